"""The registry of document readers: which files kzcoder can import, and how each is read.

The file dialog filter, the command-line help and the folder walk all take the accepted file
types from here, so a new format is one reader module (see ``kzcoder.exchange.readers``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kzcoder.core.errors import KzError

HEAD_SIZE = 4096  # bytes of a file that a reader's sniff sees
MIB = 1024 * 1024
#: The largest file a reader takes unless it says otherwise. Formats other than plain text
#: are parsed whole into memory by their libraries (a DOM, a page tree), typically 5-20x the
#: file; 100 MiB of PDF or HTML is far beyond any article, and keeps the import within memory.
DEFAULT_MAX_BYTES = 100 * MIB


@dataclass(frozen=True, slots=True)
class ReadDocument:
    """A document as read: its stored text, how it was read, the metadata found in it, and
    what the reader was unsure of (each warning one line naming the file; the document still
    goes in, and the import report lists the warnings)."""

    text: str
    encoding: str  # the text encoding (e.g. "utf-8"), or the format name for binary formats
    attributes: dict[str, str] = field(default_factory=dict)  # e.g. {"title": ...}
    warnings: tuple[str, ...] = ()  # e.g. "a.txt: read as UTF-8; 1 byte was not UTF-8 …"


@dataclass(frozen=True, slots=True)
class Reader:
    """One document format: a human name, its suffixes, how to read it, how to recognise it.

    ``suffixes`` are lower-case with a leading dot. ``sniff(head)`` gets a file's first
    ``HEAD_SIZE`` bytes and returns True only for an unmistakable signature (magic bytes); a
    reader whose sniff claims a file reads it whatever its suffix. ``media_type`` is what the
    kept original file is labelled with (IANA media type); ``max_bytes`` is the largest file
    the reader takes (a bigger one is refused before it is read).
    """

    name: str
    suffixes: frozenset[str]
    read: Callable[[Path], ReadDocument]
    sniff: Callable[[bytes], bool] | None = None
    media_type: str = "application/octet-stream"
    max_bytes: int = DEFAULT_MAX_BYTES

    def __post_init__(self) -> None:
        object.__setattr__(self, "suffixes", frozenset(self.suffixes))
        if not self.suffixes:
            raise ValueError(f"reader {self.name!r} has no suffixes")
        for suffix in self.suffixes:
            if not suffix.startswith(".") or suffix != suffix.lower() or len(suffix) < 2:
                raise ValueError(f"reader {self.name!r}: suffix {suffix!r} must be lower-case "
                                 "and start with a dot")


_readers: list[Reader] = []


def register(reader: Reader) -> Reader:
    """Add *reader* after those already registered; ValueError if its name or a suffix is taken."""
    for other in _readers:
        if other.name == reader.name:
            raise ValueError(f"a reader named {reader.name!r} is already registered")
        if taken := other.suffixes & reader.suffixes:
            raise ValueError(f"{', '.join(sorted(taken))} already read by {other.name!r}")
    _readers.append(reader)
    return reader


def unregister(reader: Reader) -> None:
    """Remove *reader* from the registry; ValueError if it is not registered."""
    if reader not in _readers:
        raise ValueError(f"reader {reader.name!r} is not registered")
    _readers.remove(reader)


@contextmanager
def registered(reader: Reader) -> Iterator[Reader]:
    """Register *reader* for the duration of a ``with`` block (for tests)."""
    register(reader)
    try:
        yield reader
    finally:
        unregister(reader)


def readers() -> tuple[Reader, ...]:
    """Every registered reader, in registration order."""
    return tuple(_readers)


def accepted_suffixes() -> frozenset[str]:
    """Every suffix some reader reads (lower-case, with the dot)."""
    return frozenset().union(*(reader.suffixes for reader in _readers))


def is_accepted(path: Path) -> bool:
    """Whether *path*'s suffix, in any case, is read by some reader (by name only, no I/O)."""
    return path.suffix.lower() in accepted_suffixes()


def describe_accepted() -> str:
    """The accepted suffixes for help texts and refusals, e.g. ``".md, .txt"``."""
    return ", ".join(_ordered_suffixes())


def dialog_filters() -> list[str]:
    """Qt-style file dialog filters: all documents, then one per reader, then all files."""
    return [_filter("Documents", _ordered_suffixes()),
            *(_filter(reader.name, sorted(reader.suffixes)) for reader in _readers),
            "All files (*)"]


def reader_for(path: Path) -> Reader:
    """The reader for *path*: the first whose sniff claims its first bytes, else by suffix.

    Raises KzError with one line naming the file if it cannot be read or no reader takes it.
    """
    head = _head(path)
    for reader in _readers:
        if reader.sniff is not None and reader.sniff(head):
            return reader
    suffix = path.suffix.lower()
    for reader in _readers:
        if suffix in reader.suffixes:
            return reader
    raise KzError(f"{path.name}: not a supported document (accepted: {describe_accepted()})")


def read_document(path: Path) -> ReadDocument:
    """Read *path* with its reader; raise KzError with one line naming the file on any problem
    (a file over the reader's size limit among them)."""
    return read_with(reader_for(path), path)


def read_with(reader: Reader, path: Path) -> ReadDocument:
    """Read *path* with *reader* (as chosen by ``reader_for``); KzError as ``read_document``."""
    check_size(reader, path)
    try:
        return reader.read(path)
    except KzError:
        raise
    except OSError as exc:
        raise KzError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    except Exception as exc:  # a parser's own error: refuse this file, keep the import going
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise KzError(f"{path.name}: cannot be read as {reader.name} ({detail})") from exc


def check_size(reader: Reader, path: Path) -> None:
    """KzError naming *path* if it is bigger than *reader* takes."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise KzError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    if size > reader.max_bytes:
        raise KzError(f"{path.name}: {size / MIB:.0f} MiB is over the {reader.max_bytes // MIB} "
                      f"MiB limit for {reader.name} files")


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(HEAD_SIZE)
    except OSError as exc:
        raise KzError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc


def _ordered_suffixes() -> list[str]:
    """Readers in registration order, each one's suffixes sorted."""
    return [suffix for reader in _readers for suffix in sorted(reader.suffixes)]


def _filter(label: str, suffixes: Iterable[str]) -> str:
    return f"{label} ({' '.join('*' + suffix for suffix in suffixes)})"
