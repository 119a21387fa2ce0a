"""The code matrix: codes (rows) by columns of documents, counted three ways.

Input is one pass over codings ``(document_id, code_id, start, end)`` in document order and,
within a document, by start (the order of the covering index), so that memory stays that of
the table (codes x columns), not of the codings. A column is a set of documents: one document,
the documents sharing an attribute value, or a year or month of a date attribute.

- ``codings``: how many codings;
- ``documents``: in how many documents of the column the code has at least one coding;
- ``characters``: how many characters of the column's documents the code covers (overlapping
  codings of the same row count a character once).

With roll-up, a coding of a sub-code counts for its parent and every ancestor as well (once
per row: a document or a character is not counted twice because two sub-codes cover it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kzcoder.core.analysis.tree import code_paths, counted_for
from kzcoder.core.records import CodeInfo

COUNTS = ("codings", "documents", "characters")


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One code's counts, one per column."""

    code_id: int
    code: str
    path: tuple[str, ...]
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True, slots=True)
class Matrix:
    """Codes by columns; ``column_documents[j]`` are the documents of column ``j``."""

    columns: tuple[str, ...]
    rows: tuple[MatrixRow, ...]
    count: str
    column_documents: tuple[frozenset[int], ...]

    @property
    def column_totals(self) -> tuple[int, ...]:
        """Each column's sum over the rows (with roll-up a parent's row already includes its
        sub-codes', so the sum counts those twice; it is the sum of what is shown)."""
        return tuple(sum(r.counts[j] for r in self.rows) for j in range(len(self.columns)))

    def as_json(self) -> dict[str, object]:
        """The command line's JSON: ``{"columns": [...], "rows": [{"code", "path",
        "counts"}]}``."""
        return {"columns": list(self.columns),
                "rows": [{"code": r.code, "path": list(r.path), "counts": list(r.counts)}
                         for r in self.rows]}


def code_matrix(codings: Iterable[tuple[int, int, int, int]], codes: Sequence[CodeInfo],
                columns: Sequence[str], column_of: Mapping[int, int], *,
                count: str = "codings", rollup: bool = False) -> Matrix:
    """Count *codings* (ordered by document, then start) into a matrix of *codes* (in tree
    order) by *columns*; ``column_of`` maps a document id to its column (a document absent from
    it is left out). *count* is one of ``COUNTS``."""
    if count not in COUNTS:
        raise ValueError(f"count must be one of {COUNTS}, not {count!r}")
    if count != "characters":
        pairs = Counter((document_id, code_id) for document_id, code_id, _s, _e in codings)
        return matrix_from_pairs(((d, c, n) for (d, c), n in pairs.items()), codes, columns,
                                 column_of, count=count, rollup=rollup)
    targets = _targets(codes, rollup)
    table = [[0] * len(columns) for _ in codes]
    _count_characters(codings, targets, column_of, table)
    return _matrix(codes, columns, column_of, table, count)


def matrix_from_pairs(pairs: Iterable[tuple[int, int, int]], codes: Sequence[CodeInfo],
                      columns: Sequence[str], column_of: Mapping[int, int], *,
                      count: str = "codings", rollup: bool = False) -> Matrix:
    """The ``codings`` or ``documents`` matrix from ``(document_id, code_id, codings)``, one
    per document and code that has codings (what a GROUP BY gives: at most codes x documents
    rows, whatever the number of codings)."""
    return LiveMatrix(pairs, codes, columns, column_of, count=count, rollup=rollup).matrix()


class LiveMatrix:
    """A ``codings`` or ``documents`` matrix kept current document by document: it holds each
    document's codings per code (at most codes x documents numbers), so that a change to the
    codings of a few documents is applied by taking those documents' old numbers out of the
    table and putting their new ones in (``replace``), not by counting everything again."""

    def __init__(self, pairs: Iterable[tuple[int, int, int]], codes: Sequence[CodeInfo],
                 columns: Sequence[str], column_of: Mapping[int, int], *,
                 count: str = "codings", rollup: bool = False) -> None:
        if count not in ("codings", "documents"):
            raise ValueError(f"count must be codings or documents, not {count!r}")
        self.codes, self.columns, self.column_of = list(codes), list(columns), dict(column_of)
        self.count, self.rollup = count, rollup
        self._targets = _targets(codes, rollup)
        self._table = [[0] * len(columns) for _ in codes]
        self._by_document: dict[int, dict[int, int]] = {}
        for document_id, code_id, number in pairs:
            self._by_document.setdefault(document_id, {})[code_id] = number
        for document_id, found in self._by_document.items():
            self._add(document_id, found, 1)

    def _add(self, document_id: int, found: Mapping[int, int], sign: int) -> None:
        column = self.column_of.get(document_id)
        if column is None:
            return
        table, targets = self._table, self._targets
        if self.count == "codings":
            for code_id, number in found.items():
                for row in targets.get(code_id, ()):
                    table[row][column] += sign * number
            return
        rows = {row for code_id in found for row in targets.get(code_id, ())}
        for row in rows:
            table[row][column] += sign

    def replace(self, document_id: int, found: Mapping[int, int]) -> None:
        """*document_id*'s codings per code are now *found* (empty: it has none)."""
        self._add(document_id, self._by_document.pop(document_id, {}), -1)
        kept = {code_id: n for code_id, n in found.items() if n}
        if kept:
            self._by_document[document_id] = kept
            self._add(document_id, kept, 1)

    def matrix(self) -> Matrix:
        """The matrix as it is now."""
        return _matrix(self.codes, self.columns, self.column_of, self._table, self.count)


def _targets(codes: Sequence[CodeInfo], rollup: bool) -> dict[int, tuple[int, ...]]:
    row_of = {c.id: i for i, c in enumerate(codes)}
    return {code_id: tuple(row_of[t] for t in chain)
            for code_id, chain in counted_for(codes, rollup).items()}


def _matrix(codes: Sequence[CodeInfo], columns: Sequence[str], column_of: Mapping[int, int],
            table: list[list[int]], count: str) -> Matrix:
    paths = code_paths(codes)
    members: list[set[int]] = [set() for _ in columns]
    for document_id, column in column_of.items():
        members[column].add(document_id)
    return Matrix(tuple(columns),
                  tuple(MatrixRow(c.id, c.name, paths[c.id], tuple(table[i]))
                        for i, c in enumerate(codes)),
                  count, tuple(frozenset(m) for m in members))


def _count_characters(codings: Iterable[tuple[int, int, int, int]],
                      targets: Mapping[int, tuple[int, ...]], column_of: Mapping[int, int],
                      table: list[list[int]]) -> None:
    # per row, the covered run being merged in the current document: codings come by start
    runs: dict[int, list[int]] = {}
    current: int | None = None
    column = None

    def flush() -> None:
        for row, (start, end) in runs.items():
            table[row][column] += end - start
        runs.clear()

    for document_id, code_id, start, end in codings:
        if document_id != current:
            if column is not None:
                flush()
            current, column = document_id, column_of.get(document_id)
        if column is None or code_id not in targets:
            continue
        for row in targets[code_id]:
            run = runs.get(row)
            if run is None:
                runs[row] = [start, end]
            elif start <= run[1]:
                run[1] = max(run[1], end)
            else:
                table[row][column] += run[1] - run[0]
                run[0], run[1] = start, end
    if column is not None:
        flush()
