"""Memos where REFI-QDA has them: on the project, each document, each code and each coding.

A memo is free text, stored exactly as given except that line endings become ``\\n`` (``\\r\\n``
and a lone ``\\r`` alike: what the window's editor gives back, so that a memo set from a file
with Windows line endings reads the same everywhere). A code's memo is its analytic memo,
apart from its definition (``description``).

What a memo belongs to is named by a kind (``records.MEMO_KINDS``) and a reference: none for
the project, a document or a code as everywhere (``id:N``, ``name:TEXT``, bare; an int is an
id), a coding by its id. Setting a memo is one unit of work and returns ``(before, after)``
with the changes views need (``memos`` always; the document, code or coding too, so that the
lists marking items with a memo and the panes' tooltips follow).

``EditMemo`` is the undoable edit. The window saves a memo as it is typed, a save after each
pause; ``EditMemo.absorb`` is the rule by which such saves form one undo step (a burst of
typing).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from kzcoder.core.changes import Changed, Changes, coding_changes
from kzcoder.core.errors import KzError
from kzcoder.core.records import MEMO_KINDS, CodingInfo, Memo, MemoTarget
from kzcoder.db.models import Code, Document, ProjectRow, utc_now
from kzcoder.db.queries import codings as coding_q
from kzcoder.db.queries import memos as q
from kzcoder.services import references
from kzcoder.services.codebook.editing import find_code
from kzcoder.services.documents import find_document
from kzcoder.services.project import Project
from kzcoder.services.undoable import Command

#: a pause in typing at least this long (seconds) starts a new undo step (see EditMemo.absorb)
MERGE_PAUSE_S = 3.0

Ref = str | int | None


def clean_memo(text: str) -> str:
    """*text* as a memo is stored: line endings made ``\\n``, nothing else changed. KzError if
    it cannot be stored as UTF-8 (a lone surrogate, e.g. from a command line in another
    encoding)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise KzError(f"the memo is not valid text (character {exc.start + 1} cannot be "
                      "stored as UTF-8)") from None
    return text


def get_memo(project: Project, kind: str = "project", ref: Ref = None) -> Memo:
    """The memo of the project (*ref* None), a document or code (*ref* as for
    ``find_document``/``find_code``) or a coding (*ref* its id); KzError if there is no
    such item."""
    with project.unit(read=True) as session:
        memo, row = _find(session, kind, ref)
        return replace(memo, modified=q.memo_time(session, row.guid))


def memo_times(project: Project) -> dict[str, str]:
    """Owner GUID -> when its memo last changed here, for every memo ever changed."""
    with project.unit(read=True) as session:
        return q.memo_times(session)


def set_memo(project: Project, kind: str, ref: Ref, text: str, *,
             modified: str | None = None) -> Changed[tuple[Memo, Memo]]:
    """Give the project, a document, a code or a coding (as for ``get_memo``) the memo
    *text* (see ``clean_memo``), changed now (or at *modified*: an undo or redo gives back
    the time it had; "" none); returns ``(before, after)``. Nothing is written, and nothing
    announced, when the memo is that already. KzError, changing nothing, if there is no such
    item or the project cannot be changed (read-only, locked...)."""
    text = clean_memo(text)
    with project.unit() as session:
        before, row = _find(session, kind, ref)
        before = replace(before, modified=q.memo_time(session, row.guid))
        if text == before.text:
            return Changed((before, before), Changes())
        target = before.target
        when = utc_now() if modified is None else modified
        q.set_memo_time(session, row.guid, when)
        if isinstance(row, CodingInfo):
            coding_q.set_coding(session, row.id, code_id=row.code_id, memo=text)
            found = coding_q.segments_by_id(session, [row.id])
            changes = coding_changes({row.id: found.get(row.id)}, {row.document_id}, {})
        else:
            row.memo = text
            session.flush()
            ids = frozenset({target.id}) if target.id is not None else frozenset()
            changes = Changes(documents=ids if target.kind == "document" else frozenset(),
                              codes=ids if target.kind == "code" else frozenset())
    return Changed((before, replace(before, text=text, modified=when)),
                   changes | Changes(memos=True))


def document_label(name: str, title: str = "") -> str:
    """What a document's memo belongs to, for a heading: its title, else its name."""
    return f"document '{title or name}'"


def code_label(name: str) -> str:
    """What a code's memo belongs to, for a heading."""
    return f"code '{name}'"


def coding_label(code_name: str, document_name: str, document_title: str = "") -> str:
    """What a coding's memo belongs to, for a heading: its code and its document."""
    return f"coding '{code_name}' in '{document_title or document_name}'"


def _find(session: Session, kind: str,
          ref: Ref) -> tuple[Memo, ProjectRow | Document | Code | CodingInfo]:
    """The memo *kind*/*ref* means, and the row that holds it."""
    if kind == "project":
        if ref is not None:
            raise ValueError("the project's memo takes no reference")
        project = q.project_row(session)
        return Memo(MemoTarget("project"), f"the project '{project.name}'", project.memo), project
    if kind == "document":
        document = find_document(session, _given(ref, kind))
        title = q.document_title(session, document.id)
        return Memo(MemoTarget("document", document.id), document_label(document.name, title),
                    document.memo), document
    if kind == "code":
        code = find_code(session, _given(ref, kind))
        return Memo(MemoTarget("code", code.id), code_label(code.name), code.memo), code
    if kind == "coding":
        coding = _coding(session, _given(ref, kind))
        names = q.coding_names(session, coding.id)
        return Memo(MemoTarget("coding", coding.id), coding_label(*(names or ("?", "?"))),
                    coding.memo), coding
    raise ValueError(f"no memo kind {kind!r} (one of {', '.join(MEMO_KINDS)})")


def _given(ref: Ref, kind: str) -> str | int:
    if ref is None:
        raise KzError(f"which {kind}? give its reference")
    return ref


def _coding(session: Session, ref: str | int) -> CodingInfo:
    """The coding whose id *ref* is (``N``, ``id:N`` or an int); codings have no names."""
    reference = references.parse(ref)
    found = coding_q.coding_by_id(session, reference.id) if reference.id is not None else None
    if found is None:
        text = reference.text
        shown = text if text.isascii() and text.lstrip("-").isdigit() else f"'{text}'"
        raise KzError(f"no coding numbered {shown}")
    return found


@dataclass
class EditMemo(Command):
    """Set the memo of *target* to *memo*; undo gives back the memo it had before.

    ``typed_from`` and ``typed_until`` are when the typing this edit saves began and ended
    (``time.monotonic()`` seconds; both default to now). ``absorb`` takes a later edit of the
    same memo into this one when it continues the same burst of typing, so that one undo
    step covers it.
    """

    target: MemoTarget
    memo: str
    label: str = ""  # what the memo belongs to, for the Edit menu (filled in by do())
    typed_from: float = field(default_factory=time.monotonic)
    typed_until: float | None = None
    before: str | None = field(default=None, init=False)
    #: when the memo had last changed before this edit, and when this edit changed it
    times: tuple[str, str] = field(default=("", ""), init=False)

    def __post_init__(self) -> None:
        if self.typed_until is None or self.typed_until < self.typed_from:
            self.typed_until = self.typed_from

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Edit memo of {self.label}" if self.label else "Edit memo"

    def do(self, project: Project) -> Changes:
        result = set_memo(project, self.target.kind, self.target.id, self.memo,
                          modified=None if self.before is None else self.times[1])
        before, after = result.value
        if self.before is None:
            self.before = before.text
            self.memo = after.text  # as stored
            self.times = (before.modified, after.modified)
        self.label = self.label or after.label
        return result.changes

    def undo(self, project: Project) -> Changes:
        assert self.before is not None
        return set_memo(project, self.target.kind, self.target.id, self.before,
                        modified=self.times[0]).changes

    def absorb(self, later: EditMemo) -> bool:
        """Take *later* (done just after this edit, nothing else in between) into this edit
        if it continues the same burst: the same memo, and its typing began less than
        ``MERGE_PAUSE_S`` after this edit's typing ended. Undo then gives back the memo as it
        was before this edit, redo the memo as *later* left it. Returns whether it did."""
        if later.target != self.target or later.typed_from - self.typed_until >= MERGE_PAUSE_S:
            return False
        self.memo = later.memo
        self.times = (self.times[0], later.times[1])
        self.typed_until = max(self.typed_until, later.typed_until)
        return True

    @property
    def changes_nothing(self) -> bool:
        """The memo is as it was before this edit (typed, then deleted again)."""
        return self.before == self.memo
