"""What an operation changed, by kind, so that each view decides for itself what to refresh.

Modelled on Anki's ``OpChanges``: one field per kind of thing that can change. Ids are given
where views need them; where the operation already knew the new state of what it changed (the
segment a coding now is, a code's new count), it carries it too, so a view refreshes without
asking the project again: one keypress, one unit of work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:  # annotations only: the window imports this module before its first paint
    from kzcoder.core.records import Segment

T = TypeVar("T")
_EMPTY: Mapping = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Changes:
    """Which kinds of things an operation changed (empty: nothing).

    ``segments`` and ``counts`` are optional knowledge: a coding id in ``codings`` that is
    missing from ``segments`` (or a code in ``code_counts`` missing from ``counts``) must be
    looked up by the view that needs it.
    """

    #: codings added, removed or edited (code, memo, span)
    codings: frozenset[int] = frozenset()
    #: documents whose codings those are
    coded_documents: frozenset[int] = frozenset()
    #: codes whose number of codings changed
    code_counts: frozenset[int] = frozenset()
    #: codes whose name, colour, description, key or place changed
    codes: frozenset[int] = frozenset()
    #: codes were added or removed: the tree's shape changed
    code_tree: bool = False
    #: documents whose name or attributes changed
    documents: frozenset[int] = frozenset()
    #: documents were added or removed
    document_list: bool = False
    #: a memo of the project, a document, a code or a coding changed
    memos: bool = False
    #: coders were added, renamed or removed
    coders: bool = False
    #: document sets were added or removed
    document_sets: bool = False
    #: code sets were added, removed or given other members
    code_sets: bool = False
    #: everything may have changed (another project, or changes made by another program)
    project: bool = False
    #: coding id -> the segment it is now (None: it is gone), for ids in ``codings``
    segments: Mapping[int, Segment | None] = field(default_factory=lambda: _EMPTY, compare=False)
    #: code id -> its number of codings now, for ids in ``code_counts``
    counts: Mapping[int, int] = field(default_factory=lambda: _EMPTY, compare=False)
    #: code id -> in how many documents it has codings now, for ids in ``code_counts``
    document_counts: Mapping[int, int] = field(default_factory=lambda: _EMPTY, compare=False)

    @classmethod
    def everything(cls) -> Changes:
        """Every view refreshes from scratch."""
        return cls(project=True, code_tree=True, document_list=True, memos=True, coders=True,
                   document_sets=True, code_sets=True)

    def __or__(self, other: Changes) -> Changes:
        """Both changes at once; where both know a new state, *other*'s (the later) wins."""
        values = {}
        for item in fields(self):
            mine, theirs = getattr(self, item.name), getattr(other, item.name)
            if isinstance(mine, Mapping):
                values[item.name] = MappingProxyType({**mine, **theirs}) if theirs else mine
            else:
                values[item.name] = mine | theirs
        return Changes(**values)

    def __bool__(self) -> bool:
        return any(getattr(self, item.name) for item in fields(self)
                   if item.name not in ("segments", "counts", "document_counts"))


@dataclass(frozen=True, slots=True)
class Changed(Generic[T]):
    """What a changing service call returns: its result and what it changed."""

    value: T
    changes: Changes


def coding_changes(segments: Mapping[int, Segment | None], documents: set[int],
                   counts: Mapping[int, int],
                   document_counts: Mapping[int, int] | None = None) -> Changes:
    """The change of some codings: their current segments, their documents, their codes' new
    counts of codings (and of documents, when known)."""
    return Changes(codings=frozenset(segments), coded_documents=frozenset(documents),
                   code_counts=frozenset(counts), segments=MappingProxyType(dict(segments)),
                   counts=MappingProxyType(dict(counts)),
                   document_counts=MappingProxyType(dict(document_counts or {})))


def without_echo(changes: Changes, own: dict[int, Segment | None]) -> Changes:
    """*changes* read from a server's change feed, without the codings that are exactly as
    this window's own last change of them left them (*own*: coding id -> that segment, None
    for removed): the window shows them already. Every coding in *changes* leaves *own*, so
    that a later change back to the same state by someone else is shown. The rest stays."""
    same = set()
    for coding_id in changes.codings & own.keys():
        mine = own.pop(coding_id)  # from now on the window shows what the feed says
        if coding_id in changes.segments and mine == changes.segments[coding_id]:
            same.add(coding_id)
    if not same:
        return changes
    rest = changes.codings - same
    if not rest:  # the counts are those the window announced with its own change
        return replace(changes, codings=frozenset(), coded_documents=frozenset(),
                       segments=_EMPTY, code_counts=frozenset(), counts=_EMPTY,
                       document_counts=_EMPTY)
    return replace(changes, codings=frozenset(rest), segments=MappingProxyType(
        {i: changes.segments[i] for i in rest if i in changes.segments}))
