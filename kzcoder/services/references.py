"""How a caller names a document or a code, the same everywhere a reference is parsed.

- ``id:N`` means the item whose id is N; ``name:TEXT`` the item named exactly TEXT.
- A bare reference means the item named exactly so, or the item whose id it is (ASCII digits).
  When it names one item and numbers another, it is refused: ``2`` must not quietly mean the
  document named "2" when document 2 is another one (files called 1.txt, 2.txt...).
- An int (what the window passes) is always an id.

A number no item can have (negative, ``²``, twenty digits) just matches nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from kzcoder.core.errors import KzError

ID_PREFIX = "id:"
NAME_PREFIX = "name:"
MAX_ID = 2**63 - 1  # SQLite's largest integer


class Named(Protocol):
    id: int
    name: str


T = TypeVar("T", bound=Named)


@dataclass(frozen=True)
class Reference:
    """What a reference can mean: an id, a name, or (bare) either."""

    text: str  # as written (without its prefix), for messages
    id: int | None  # the id it can mean; None if no item can have it
    name: str | None  # the name it can mean; None for id:N and ints


def parse(ref: str | int) -> Reference:
    """Read a reference (see the module docstring)."""
    if isinstance(ref, int):
        return Reference(str(ref), ref if 1 <= ref <= MAX_ID else None, None)
    if ref.startswith(ID_PREFIX):
        text = ref[len(ID_PREFIX):].strip()
        return Reference(text, _number(text), None)
    if ref.startswith(NAME_PREFIX):
        text = ref[len(NAME_PREFIX):]
        return Reference(text, None, text)
    return Reference(ref, _number(ref), ref)


def _number(text: str) -> int | None:
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def resolve(ref: str | int, kind: str, *, named: Callable[[str], Sequence[T]],
            numbered: Callable[[int], T | None]) -> T:
    """The one *kind* ("document", "code") that *ref* means, looked up with *named* (rows
    named exactly so) and *numbered* (the row with that id, or None); KzError if none, or if
    the reference could mean more than one."""
    reference = parse(ref)
    by_name = list(named(reference.name)) if reference.name is not None else []
    by_id = numbered(reference.id) if reference.id is not None else None
    if len(by_name) > 1:
        ids = ", ".join(str(row.id) for row in sorted(by_name, key=lambda row: row.id))
        raise KzError(f"more than one {kind} is named '{reference.name}' (ids {ids}); write "
                      f"id:N with one of them")
    if by_name and by_id is not None and by_name[0].id != by_id.id:
        raise KzError(f"'{reference.text}' is ambiguous: {kind} named '{reference.text}' "
                      f"(id {by_name[0].id}) and {kind} id {by_id.id} ('{by_id.name}'); write "
                      f"id:{by_id.id} or name:{reference.text}")
    found = by_name[0] if by_name else by_id
    if found is not None:
        return found
    if reference.name is None:
        number = reference.text if reference.text.isascii() and reference.text.lstrip(
            "-").isdigit() else f"'{reference.text}'"
        raise KzError(f"no {kind} numbered {number}")
    if not isinstance(ref, int) and ref.startswith(NAME_PREFIX):
        raise KzError(f"no {kind} named '{reference.name}'")
    raise KzError(f"no {kind} named or numbered '{reference.text}'")
