"""Co-occurrence of a project's codes (overlap, paragraph or document) over the documents a
filter keeps, and the segments behind one cell."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from kzcoder.core.analysis.cooccurrence import (
    MODES,
    Cooccurrence,
    cooccurrence,
    overlapping_pairs,
    paragraphs,
)
from kzcoder.core.errors import UsageError
from kzcoder.core.records import CodeInfo, Segment
from kzcoder.db.queries import analysis as q
from kzcoder.db.queries import codes as code_q
from kzcoder.services.analysis.matrix import coder_id
from kzcoder.services.project import Project
from kzcoder.services.segments import segments_by_id


def _by_document(session: Session, who: int | None, documents: set[int] | None,
                 ) -> Iterator[tuple[int, list[tuple[int, int, int, int]]]]:
    current: int | None = None
    batch: list[tuple[int, int, int, int]] = []
    for document_id, code_id, start, end, coding_id in q.coding_stream(session, coder_id=who):
        if documents is not None and document_id not in documents:
            continue
        if document_id != current:
            if batch:
                yield current, batch
            current, batch = document_id, []
        batch.append((coding_id, code_id, start, end))
    if batch:
        yield current, batch


def project_cooccurrence(project: Project, *, mode: str = "overlap", coder: str | None = None,
                         documents: set[int] | None = None,
                         ) -> tuple[list[CodeInfo], Cooccurrence]:
    """Every code (tree order) and their co-occurrence in *mode* over *documents* (None:
    all) and *coder*'s codings (None: all)."""
    if mode not in MODES:
        raise UsageError(f"--mode must be one of {', '.join(MODES)}")
    with project.unit(read=True) as session:
        codes = code_q.all_codes(session)
        who = coder_id(session, coder)

        def paragraphs_of(document_id: int) -> list[tuple[int, int]]:
            return [paragraphs(text) for _d, text in q.texts(session, [document_id])][0]

        table = cooccurrence(_by_document(session, who, documents), [c.id for c in codes],
                             mode=mode, paragraphs_of=paragraphs_of)
    return codes, table


def cooccurring_segments(project: Project, first: int, second: int, *,
                         mode: str = "overlap", coder: str | None = None,
                         documents: set[int] | None = None) -> list[Segment]:
    """The codings of codes *first* and *second* that make their co-occurrence count: the
    overlapping pairs, or every coding of either in a paragraph or document holding both."""
    wanted = {first, second}
    kept: set[int] = set()
    with project.unit(read=True) as session:
        who = coder_id(session, coder)
        for document_id, codings in _by_document(session, who, documents):
            mine = [c for c in codings if c[1] in wanted]
            if mode == "overlap":
                for a, b in overlapping_pairs(mine):
                    kept.update((a[0], b[0]))
            elif mode == "document":
                if {c[1] for c in mine} == wanted:
                    kept.update(c[0] for c in mine)
            else:
                text = next(q.texts(session, [document_id]))[1]
                for start, end in paragraphs(text):
                    inside = [c for c in mine if c[2] < end and c[3] > start]
                    if {c[1] for c in inside} == wanted:
                        kept.update(c[0] for c in inside)
    found = segments_by_id(project, kept)
    return sorted(found.values(), key=lambda s: (s.document_id, s.start, s.end, s.id))
