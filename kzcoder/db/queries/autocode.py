"""What autocoding needs to know: the spans a coder already has for a code."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kzcoder.db.queries import raw


def coded_spans(session: Session, code_id: int, coder_id: int) -> set[tuple[int, int, int]]:
    """(document id, start, end) of every coding of *code_id* by *coder_id* (one index
    range of ``ix_codings_code_span``)."""
    rows = raw(session).execute(
        'SELECT document_id, start, "end" FROM codings WHERE code_id = ? AND coder_id = ?',
        (code_id, coder_id))
    return {tuple(row) for row in rows}
