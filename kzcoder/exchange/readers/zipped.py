"""Reading the XML inside a zipped document (Word, OpenDocument) a block at a time.

A 1.4 MB ``.docx`` whose ``document.xml`` unpacks to 466 MiB took 7.7 GB to read whole: a
parsed tree costs many times its XML. So the body is parsed as a stream (lxml's
``iterparse``): each block under the body (a paragraph, a table) is handed over when it ends
and then freed, and everything outside the body is freed as it ends. What is held at once is
the text read so far and one block.

Limits (docs/reliability.md): a member unpacks to at most ``MAX_UNPACKED`` bytes (checked
from the zip's directory before anything is unpacked; Python's zipfile stops at the declared
size, so a lying directory is a damaged file); one block may hold at most
``MAX_BLOCK_ELEMENTS`` elements, a guard on the memory of a single block. Entities are never
expanded, DTDs never loaded, the network never used.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from kzcoder.core.errors import KzError
from kzcoder.exchange.readers.registry import MIB

#: The most one member of a zipped document may unpack to.
MAX_UNPACKED = 512 * MIB
#: The most elements one block (a paragraph, a table) may have: about 200 MB of tree.
MAX_BLOCK_ELEMENTS = 1_000_000


def member_size(archive: zipfile.ZipFile, name: str) -> int:
    """The unpacked size of *name* in *archive* as its directory says (KeyError if absent)."""
    return archive.getinfo(name).file_size


def stream_blocks(archive: zipfile.ZipFile, name: str, body: tuple[str, ...],
                  blocks: Callable[[Any], Iterable[str]], *, shown: str,
                  max_unpacked: int | None = None) -> Iterator[str]:
    """The blocks of member *name*: ``blocks(element)`` for each child of the element at the
    path of tags *body* (from the root, the root's tag first), in document order; each child
    is freed once read. KzError naming *shown* (the file) for a member over *max_unpacked*
    (``MAX_UNPACKED``) or a block over ``MAX_BLOCK_ELEMENTS``; lxml's XMLSyntaxError and
    zipfile's errors pass on (a damaged file: the reader words it)."""
    from lxml import etree

    limit = MAX_UNPACKED if max_unpacked is None else max_unpacked
    size = member_size(archive, name)
    if size > limit:
        raise KzError(f"{shown}: its {name} unpacks to {size / MIB:.0f} MiB, over the "
                      f"{limit // MIB} MiB limit")
    body_tag, top = body[-1], body[1] if len(body) > 1 else body[0]
    held = 0  # elements parsed and not yet freed
    with archive.open(name) as stream:
        # "end" events only: one Python step per element (start events doubled the time)
        events = etree.iterparse(stream, events=("end",), resolve_entities=False,
                                 no_network=True, load_dtd=False, remove_comments=True,
                                 remove_pis=True, huge_tree=True)
        for _event, element in events:
            held += 1
            if held > MAX_BLOCK_ELEMENTS:
                raise KzError(f"{shown}: one paragraph or table (or another part of its "
                              f"{name}) has more than {MAX_BLOCK_ELEMENTS:,} elements; refused "
                              "(it would take too much memory)")
            parent = element.getparent()
            if parent is None:
                continue
            if parent.tag == body_tag and _on_path(parent, body):
                yield from blocks(element)
                _free(element)
                held = 0
            elif parent.getparent() is None and element.tag != top:
                _free(element)  # outside the body (styles, fonts): not read
                held = 0


def _on_path(element: Any, body: tuple[str, ...]) -> bool:
    """Whether *element* is at the path of tags *body* from the root."""
    for tag in reversed(body):
        if element is None or element.tag != tag:
            return False
        element = element.getparent()
    return element is None


def _free(element: Any) -> None:
    """Drop *element*'s content and every earlier sibling (all read)."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
