"""A code matrix the window keeps current: after codings change in a few documents only those
documents' numbers are read again (one GROUP BY over their codings) and swapped in, so that a
coding updates an open matrix of 100,000 codings without counting them all again."""

from __future__ import annotations

from collections.abc import Iterable

from kzcoder.core.analysis.matrix import LiveMatrix, Matrix
from kzcoder.db.queries import analysis as q
from kzcoder.db.queries import codes as code_q
from kzcoder.services.analysis.matrix import coder_id, columns_for, project_matrix
from kzcoder.services.project import Project


class KeptMatrix:
    """The matrix of ``project_matrix``'s arguments; ``update(documents)`` after their codings
    changed. A ``characters`` matrix is counted again whole each time (it needs the spans)."""

    def __init__(self, project: Project, *, by: str = "document", count: str = "codings",
                 rollup: bool = False, coder: str | None = None,
                 documents: set[int] | None = None) -> None:
        self.project = project
        self.options = {"by": by, "count": count, "rollup": rollup, "coder": coder,
                        "documents": documents}
        self._live: LiveMatrix | None = None
        self._coder_id: int | None = None
        if count == "characters":
            self.matrix = project_matrix(project, **self.options)
            return
        with project.unit(read=True) as session:
            codes = code_q.all_codes(session)
            self._coder_id = coder_id(session, coder)
            columns, column_of = columns_for(session, by, documents)
            self._live = LiveMatrix(q.coding_pairs(session, coder_id=self._coder_id), codes,
                                    columns, column_of, count=count, rollup=rollup)
        self.matrix = self._live.matrix()

    def update(self, documents: Iterable[int]) -> Matrix:
        """The matrix after the codings of *documents* changed."""
        if self._live is None:
            self.matrix = project_matrix(self.project, **self.options)
            return self.matrix
        wanted = sorted(set(documents))
        found: dict[int, dict[int, int]] = {d: {} for d in wanted}
        with self.project.unit(read=True) as session:
            for document_id, code_id, number in q.coding_pairs(
                    session, coder_id=self._coder_id, document_ids=wanted):
                found[document_id][code_id] = number
        for document_id, numbers in found.items():
            self._live.replace(document_id, numbers)
        self.matrix = self._live.matrix()
        return self.matrix
