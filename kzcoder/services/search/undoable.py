"""Coding many hits as one undoable step (the window's *Code all hits as…*)."""

from __future__ import annotations

from dataclasses import dataclass, field

from kzcoder.core.changes import Changes
from kzcoder.services import removals
from kzcoder.services.project import Project
from kzcoder.services.search.autocode import AutocodeResult, Span, code_spans
from kzcoder.services.undoable import Command


@dataclass
class CodeHits(Command):
    """Code *spans* with a code, skipping those the coder has already; undo removes exactly
    the codings it added, redo puts them back under their own ids."""

    spans: tuple[Span, ...]
    code_id: int
    coder: str
    code_name: str = ""
    result: AutocodeResult | None = field(default=None, init=False)

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Code {len(self.spans)} hits as {self.code_name or 'a code'}"

    def do(self, project: Project) -> Changes:
        if self.result is None:
            done = code_spans(project, self.spans, self.code_id, coder=self.coder)
            self.result = done.value
            return done.changes
        if not self.result.added:
            return Changes()
        return removals.restore_codings(project, self.result.added)

    def undo(self, project: Project) -> Changes:
        assert self.result is not None
        if not self.result.added:
            return Changes()
        return removals.remove_codings(project, [c.id for c in self.result.added]).changes
