"""Undoable changes to the journal, annotations and code sets (``services.undoable`` says
what a command is). Undo of a removal puts the thing back under its id and GUID, so that
commands lower on the stack still find it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from kzcoder.core.annotation import AnnotationInfo
from kzcoder.core.changes import Changes
from kzcoder.core.code_set import CodeSetInfo
from kzcoder.core.journal import JournalEntry
from kzcoder.services import annotation, code_sets, journal
from kzcoder.services.memos import MERGE_PAUSE_S
from kzcoder.services.project import Project
from kzcoder.services.undoable import Command

# --- the journal ---------------------------------------------------------------------------


@dataclass
class AddJournalEntry(Command):
    """Add an entry; undo removes it, redo puts it back as it was added."""

    title: str
    entry_text: str = ""
    author: str = ""
    added: JournalEntry | None = field(default=None, init=False)

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"New journal entry {self.title}"

    def do(self, project: Project) -> Changes:
        if self.added is None:
            result = journal.add_entry(project, self.title, self.entry_text, author=self.author)
            self.added = result.value
            return result.changes
        return journal.restore_entry(project, self.added)

    def undo(self, project: Project) -> Changes:
        assert self.added is not None
        return journal.remove_entry(project, self.added.title).changes


@dataclass
class EditJournalEntry(Command):
    """Give an entry a new text; undo gives back its text and modification time, redo the
    edit's. Like ``memos.EditMemo``, it absorbs the next edit of the same entry typed without
    a pause."""

    title: str
    entry_text: str
    typed_from: float = field(default_factory=time.monotonic)
    typed_until: float | None = None
    before: JournalEntry | None = field(default=None, init=False)
    after: JournalEntry | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.typed_until is None or self.typed_until < self.typed_from:
            self.typed_until = self.typed_from

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Edit journal entry {self.title}"

    def do(self, project: Project) -> Changes:
        # a redo gives back the modification time the edit had, not the time of the redo
        result = journal.set_text(project, self.title, self.entry_text,
                                  modified=self.after.modified if self.after else None)
        before, self.after = result.value
        if self.before is None:
            self.before = before
            self.entry_text = self.after.text  # as stored
        return result.changes

    def undo(self, project: Project) -> Changes:
        assert self.before is not None
        return journal.set_text(project, self.title, self.before.text,
                                modified=self.before.modified).changes

    def absorb(self, later: EditJournalEntry) -> bool:
        """Take *later* in when it edits the same entry in the same burst of typing."""
        assert self.typed_until is not None and later.typed_until is not None
        if later.title != self.title or later.typed_from - self.typed_until >= MERGE_PAUSE_S:
            return False
        self.entry_text, self.after = later.entry_text, later.after
        self.typed_until = max(self.typed_until, later.typed_until)
        return True

    @property
    def changes_nothing(self) -> bool:
        """The text is as it was before this edit (typed, then deleted again)."""
        return self.before is not None and self.before.text == self.entry_text


@dataclass
class RemoveJournalEntry(Command):
    """Remove an entry; undo puts it back as it was."""

    title: str
    removed: JournalEntry | None = field(default=None, init=False)

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Remove journal entry {self.title}"

    def do(self, project: Project) -> Changes:
        result = journal.remove_entry(project, self.title)
        self.removed = result.value
        return result.changes

    def undo(self, project: Project) -> Changes:
        assert self.removed is not None
        return journal.restore_entry(project, self.removed)


# --- annotations ---------------------------------------------------------------------------


@dataclass
class AddAnnotation(Command):
    """Anchor a note to ``[start, end)`` of a document; undo removes it, redo puts it back
    under the same id and GUID."""

    document_id: int
    start: int
    end: int
    note: str
    author: str = ""
    added: AnnotationInfo | None = field(default=None, init=False)

    text = "Annotate"

    def do(self, project: Project) -> Changes:
        if self.added is None:
            result = annotation.add_annotation(project, self.document_id, self.start,
                                               self.end, self.note, author=self.author)
            self.added = result.value
            return result.changes
        return annotation.restore_annotation(project, self.added)

    def undo(self, project: Project) -> Changes:
        assert self.added is not None
        return annotation.remove_annotation(project, self.added.id).changes


@dataclass
class RemoveAnnotation(Command):
    """Remove an annotation; undo puts it back under its id and GUID."""

    annotation_id: int
    removed: AnnotationInfo | None = field(default=None, init=False)

    text = "Remove annotation"

    def do(self, project: Project) -> Changes:
        result = annotation.remove_annotation(project, self.annotation_id)
        self.removed = result.value
        return result.changes

    def undo(self, project: Project) -> Changes:
        assert self.removed is not None
        return annotation.restore_annotation(project, self.removed)


# --- code sets -----------------------------------------------------------------------------


@dataclass
class AddCodeSet(Command):
    """Add a code set of *code_ids*; undo removes it, redo puts it back as it was."""

    name: str
    code_ids: tuple[int, ...]
    added: CodeSetInfo | None = field(default=None, init=False)

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"New code set {self.name}"

    def do(self, project: Project) -> Changes:
        if self.added is None:
            result = code_sets.add_code_set(project, self.name, list(self.code_ids))
            self.added = result.value
            return result.changes
        return code_sets.restore_code_set(project, self.added)

    def undo(self, project: Project) -> Changes:
        assert self.added is not None
        return code_sets.remove_code_set(project, self.added.name).changes


@dataclass
class EditCodeSet(Command):
    """Make *code_ids* the members of the set *name*; undo gives back its members."""

    name: str
    code_ids: tuple[int, ...]
    before: tuple[int, ...] | None = field(default=None, init=False)

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Edit code set {self.name}"

    def do(self, project: Project) -> Changes:
        result = code_sets.set_codes(project, self.name, list(self.code_ids))
        if self.before is None:
            self.before = result.value[0].codes
        return result.changes

    def undo(self, project: Project) -> Changes:
        assert self.before is not None
        return code_sets.set_codes(project, self.name, list(self.before)).changes


@dataclass
class RemoveCodeSet(Command):
    """Remove a code set (its codes stay); undo puts it back under its id and GUID."""

    name: str
    removed: CodeSetInfo | None = field(default=None, init=False)

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Remove code set {self.name}"

    def do(self, project: Project) -> Changes:
        result = code_sets.remove_code_set(project, self.name)
        self.removed = result.value
        return result.changes

    def undo(self, project: Project) -> Changes:
        assert self.removed is not None
        return code_sets.restore_code_set(project, self.removed)
