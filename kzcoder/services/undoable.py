"""Undoable changes: Qt-free command objects with ``do()`` and ``undo()`` over services.

The GUI wraps each in a QUndoCommand. ``do()`` runs again after ``undo()`` (redo). A removed
coding is restored under its own id, GUID and creation time, so that every command below it on
the stack, which refers to it by id, still finds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kzcoder.core.changes import Changes
from kzcoder.core.records import CodeInfo, CodingInfo, DocumentInfo
from kzcoder.services import codings, documents
from kzcoder.services.codebook import editing as codebook
from kzcoder.services.project import Project


class Command:
    """One user action. ``text`` names it in the Edit menu."""

    text = ""

    def do(self, project: Project) -> Changes:
        raise NotImplementedError

    def undo(self, project: Project) -> Changes:
        raise NotImplementedError


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
        else:
            result = codings.restore_coding(project, self.added)
        self.added = result.value
        return result.changes

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
        return codings.restore_coding(project, self.removed).changes


@dataclass
class EditCoding(Command):
    """Change a coding's code or memo."""

    coding_id: int
    code_id: int | None = None
    memo: str | None = None
    text: str = "Edit coding"
    before: CodingInfo | None = field(default=None, init=False)
    #: when the memo had last changed before this edit, and when this edit changed it
    memo_times: tuple[str, str] | None = field(default=None, init=False)

    def do(self, project: Project) -> Changes:
        first = self.memo_times is None
        if first:
            before_time = codings.memo_time(project, self.coding_id)
        result = codings.update_coding(
            project, self.coding_id, code=self.code_id, memo=self.memo,
            memo_modified=None if first else self.memo_times[1])
        self.before = result.value[0]
        if first:
            self.memo_times = (before_time, codings.memo_time(project, self.coding_id))
        return result.changes

    def undo(self, project: Project) -> Changes:
        assert self.before is not None and self.memo_times is not None
        return codings.update_coding(project, self.coding_id, code=self.before.code_id,
                                     memo=self.before.memo,
                                     memo_modified=self.memo_times[0]).changes


@dataclass
class EditCode(Command):
    """Rename, recolour, redefine a code or change its key (None leaves that part as it is;
    ``shortcut=""`` removes the key)."""

    code_id: int
    name: str | None = None
    color: str | None = None
    description: str | None = None
    shortcut: str | None = None
    codable: bool | None = None
    #: the code as the user saw it: the first ``do`` is refused if it changed since
    seen: CodeInfo | None = None
    before: CodeInfo | None = field(default=None, init=False)
    after: CodeInfo | None = field(default=None, init=False)

    @property
    def text(self) -> str:  # type: ignore[override]
        if self.codable is not None:
            return "Make the code codable" if self.codable else "Make the code a category"
        if self.name:
            return f"Rename code to {self.name}"
        if self.shortcut is not None:
            return "Change the code's key"
        if self.description is not None and self.color is None:
            return "Edit code description"
        return "Change code colour" if self.color else "Edit code"

    def do(self, project: Project) -> Changes:
        extra = {} if self.shortcut is None else {"shortcut": self.shortcut or None}
        # a redo expects the code as the undo left it: someone else's change since is kept
        result = codebook.update_code(project, self.code_id, name=self.name, color=self.color,
                                      description=self.description, codable=self.codable,
                                      expected=self.before or self.seen, **extra)
        self.before, self.after = result.value
        return result.changes

    def undo(self, project: Project) -> Changes:
        assert self.before is not None
        # undo only our own change: refused if someone else changed the code since
        return codebook.update_code(project, self.code_id, name=self.before.name,
                                    color=self.before.color,
                                    description=self.before.description,
                                    shortcut=self.before.shortcut,
                                    codable=self.before.codable,
                                    expected=self.after).changes


@dataclass
class EditDocument(Command):
    """Rename a document and set or remove its attributes (see documents.update_document);
    undo gives it back exactly its previous name and whole set of attributes."""

    document_id: int
    name: str | None = None
    set_attributes: Mapping[str, str] = field(default_factory=dict)
    unset: tuple[str, ...] = ()
    text: str = "Edit document details"
    before: DocumentInfo | None = field(default=None, init=False)

    def do(self, project: Project) -> Changes:
        result = documents.update_document(project, self.document_id, name=self.name,
                                           set_attributes=dict(self.set_attributes),
                                           unset=self.unset)
        self.before = result.value[0]
        return result.changes

    def undo(self, project: Project) -> Changes:
        assert self.before is not None
        return documents.restore_document(project, self.before).changes


@dataclass
class EditDocuments(Command):
    """Set or remove the same attributes of several documents (documents.update_documents),
    one undo step; undo gives each back exactly its previous attributes."""

    document_ids: tuple[int, ...]
    set_attributes: Mapping[str, str] = field(default_factory=dict)
    unset: tuple[str, ...] = ()
    before: list[DocumentInfo] = field(default_factory=list, init=False)

    @property
    def text(self) -> str:  # type: ignore[override]
        count = len(self.document_ids)
        what = ", ".join([*self.set_attributes, *self.unset])
        return f"Edit {what} of {count} document{'s' if count != 1 else ''}"

    def do(self, project: Project) -> Changes:
        result = documents.update_documents(project, self.document_ids,
                                            set_attributes=dict(self.set_attributes),
                                            unset=self.unset)
        self.before = [before for before, _after in result.value]
        return result.changes

    def undo(self, project: Project) -> Changes:
        return documents.restore_documents(project, self.before).changes


@dataclass
class AddCode(Command):
    """Add a code at the root or under *parent_id*; undo takes it out, redo puts it back under
    the same id and GUID."""

    name: str
    color: str
    parent_id: int | None = None
    description: str = ""
    shortcut: str | None = None
    added: CodeInfo | None = field(default=None, init=False)

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"New code {self.name}"

    def do(self, project: Project) -> Changes:
        if self.added is None:
            result = codebook.add_code(project, self.name, self.color, parent=self.parent_id,
                                       description=self.description, shortcut=self.shortcut)
            self.added = result.value
            return result.changes
        return codebook.reinsert_code(project, self.added)

    def undo(self, project: Project) -> Changes:
        assert self.added is not None
        return codebook.remove_new_code(project, self.added)
