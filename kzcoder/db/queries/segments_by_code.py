"""The texts of one code's segments, for counting words inside them."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from kzcoder.db.queries import raw


def segment_texts(session: Session, code_id: int) -> Iterator[tuple[int, str]]:
    """(document id, text) of each coding of *code_id*, in document order. Overlapping
    codings of one code are read as one stretch of text, so no word is counted twice."""
    rows = raw(session).execute(
        'SELECT document_id, start, "end" FROM codings WHERE code_id = ? '
        'ORDER BY document_id, start, "end"', (code_id,)).fetchall()
    merged: list[list[int]] = []
    for document_id, start, end in rows:
        if merged and merged[-1][0] == document_id and start <= merged[-1][2]:
            merged[-1][2] = max(merged[-1][2], end)
        else:
            merged.append([document_id, start, end])
    for document_id, start, end in merged:
        # substr() counts characters from 1: code points, like the offsets
        text = raw(session).execute("SELECT substr(text, ?, ?) FROM documents WHERE id = ?",
                                    (start + 1, end - start, document_id)).fetchone()[0]
        yield document_id, text
