"""Undoable changes: Qt-free command objects with ``do()`` and ``undo()`` over services.

The GUI wraps each in a QUndoCommand. ``do()`` may run again after ``undo()`` (redo); a removed
coding is restored with its GUID and creation time, so identity survives undo and redo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kzcoder.services import codings
from kzcoder.services.dto import Changes, CodingInfo
from kzcoder.services.project import Project


class Command:
    """One user action. ``text`` names it in the Edit menu."""

    text = ""

    def do(self, project: Project) -> Changes:
        raise NotImplementedError

    def undo(self, project: Project) -> Changes:
        raise NotImplementedError


def _restore(project: Project, info: CodingInfo) -> CodingInfo:
    return codings.add_coding(project, info.document_id, info.code_id, info.start, info.end,
                              coder=info.coder, memo=info.memo, guid=info.guid,
                              created=info.created).value


@dataclass
class AddCoding(Command):
    """Code ``[start, end)`` of a document."""

    document_id: int
    code_id: int
    start: int
    end: int
    coder: str
    code_name: str = ""
    memo: str = ""
    added: CodingInfo | None = field(default=None, init=False)

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Code as {self.code_name}" if self.code_name else "Add coding"

    def do(self, project: Project) -> Changes:
        if self.added is None:
            result = codings.add_coding(project, self.document_id, self.code_id, self.start,
                                        self.end, coder=self.coder, memo=self.memo)
            self.added = result.value
            return result.changes
        self.added = _restore(project, self.added)
        return Changes(documents=frozenset({self.document_id}),
                               codes=frozenset({self.code_id}),
                               codings=frozenset({self.added.id}))

    def undo(self, project: Project) -> Changes:
        assert self.added is not None
        return codings.remove_coding(project, self.added.id).changes


@dataclass
class RemoveCoding(Command):
    """Remove a coding (undo restores it exactly)."""

    coding_id: int
    removed: CodingInfo | None = field(default=None, init=False)
    text: str = "Remove coding"

    def do(self, project: Project) -> Changes:
        result = codings.remove_coding(project, self.coding_id)
        self.removed = result.value
        return result.changes

    def undo(self, project: Project) -> Changes:
        assert self.removed is not None
        restored = _restore(project, self.removed)
        self.coding_id = restored.id
        return Changes(documents=frozenset({restored.document_id}),
                       codes=frozenset({restored.code_id}), codings=frozenset({restored.id}))


@dataclass
class EditCoding(Command):
    """Change a coding's code or memo."""

    coding_id: int
    code_id: int | None = None
    memo: str | None = None
    text: str = "Edit coding"
    before: CodingInfo | None = field(default=None, init=False)

    def do(self, project: Project) -> Changes:
        result = codings.update_coding(project, self.coding_id, code=self.code_id,
                                       memo=self.memo)
        self.before = result.value[0]
        return result.changes

    def undo(self, project: Project) -> Changes:
        assert self.before is not None
        return codings.update_coding(project, self.coding_id, code=self.before.code_id,
                                     memo=self.before.memo).changes
