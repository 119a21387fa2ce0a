"""Agreement between coders over documents and codes, on the character level (pure Python).

The unit is one code point of one document, for one code: each coder marked it (one of their
codings of that code covers it) or not. So every code point counts, coded or not, as in
NVivo's coding comparison; docs/agreement.md relates the figures to the other tools'.

For each code (pooled over the documents), each document (pooled over the codes) and for
everything: the number of units, how many at least one coder marked, percent agreement, Cohen's
kappa (two coders) or Fleiss' kappa (more), Krippendorff's alpha (binary, so every level of
measurement gives the same) and Krippendorff's unitizing alpha αU, which looks at where the
spans begin and end. The disagreements are the stretches of text that some coders marked and
others did not.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from kzcoder.core.agreement.coefficients import (
    cohen_kappa_from_table,
    fleiss_kappa_binary,
    krippendorff_alpha_binary,
    percent_agreement_binary,
)
from kzcoder.core.agreement.unitizing import unitizing_disagreements

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class AgreementRow:
    """The figures for one code (``document`` None: over every document), one document
    (``code`` None: over every code), or everything (both None)."""

    code: str | None
    document: str | None
    units: int  # code points, times the codes when pooled over codes
    coded: int  # units at least one coder marked
    percent: float
    cohen: float | None  # two coders
    fleiss: float | None  # more than two coders
    alpha: float
    alpha_u: float

    def cells(self) -> list[str]:
        """The row as text for a table: code, document, units, coded, then the figures."""
        return [self.code or "(all codes)", self.document or "(all documents)",
                str(self.units), str(self.coded), _figure(self.percent, percent=True),
                _figure(self.cohen if self.cohen is not None else self.fleiss),
                _figure(self.alpha), _figure(self.alpha_u)]


HEADER = ["code", "document", "units", "coded by any", "agreement", "kappa", "alpha",
          "alpha_U"]


@dataclass(frozen=True, slots=True)
class Disagreement:
    """``[start, end)`` of a document that the coders in ``coded_by`` marked with the code and
    those in ``not_by`` did not."""

    document_id: int
    document: str
    code_id: int
    code: str
    start: int
    end: int
    coded_by: tuple[str, ...]
    not_by: tuple[str, ...]


@dataclass(frozen=True)
class AgreementReport:
    """Rows per code, then per document, then the pooled row; the disagreements in document
    and text order (``truncated``: more existed than were kept)."""

    coders: tuple[str, ...]
    rows: tuple[AgreementRow, ...]
    disagreements: tuple[Disagreement, ...]
    truncated: bool = False

    @property
    def kappa_name(self) -> str:
        return "Cohen's kappa" if len(self.coders) == 2 else "Fleiss' kappa"

    def pooled(self) -> AgreementRow:
        return self.rows[-1]


@dataclass
class _Tally:
    histogram: list[int]
    table: list[list[int]]
    observed: float = 0.0  # αU's disagreements, summed over codes
    expected: float = 0.0

    def add(self, other: _Tally) -> None:
        self.histogram = [a + b for a, b in zip(self.histogram, other.histogram, strict=True)]
        self.table = [[a + b for a, b in zip(r, s, strict=True)]
                      for r, s in zip(self.table, other.table, strict=True)]
        self.observed += other.observed
        self.expected += other.expected


def pattern_runs(length: int, spans_by_coder: Sequence[Sequence[Span]]
                 ) -> Iterator[tuple[int, int, tuple[int, ...]]]:
    """``(start, end, marks)`` runs covering [0, length): ``marks`` has a 1 for each coder
    whose spans cover the run. Sorted span boundaries, O(S log S) for S spans."""
    events = sorted((at, coder, step) for coder, spans in enumerate(spans_by_coder)
                    for start, end in spans if start < end
                    for at, step in ((start, 1), (end, -1)))
    depth = [0] * len(spans_by_coder)
    position = 0
    for at, coder, step in events:
        if at > position:
            yield position, at, tuple(int(d > 0) for d in depth)
            position = at
        depth[coder] += step
    if length > position:
        yield position, length, (0,) * len(spans_by_coder)


def compute_agreement(coders: Sequence[str], documents: Sequence[tuple[int, str, int]],
                      codes: Sequence[tuple[int, str]],
                      spans: Mapping[tuple[int, int], Sequence[Sequence[Span]]], *,
                      max_disagreements: int = 10_000) -> AgreementReport:
    """The report for *coders* over *documents* ``(id, name, length)`` and *codes*
    ``(id, name)``; ``spans[(document id, code id)]`` holds one list of spans per coder, in
    the order of *coders* (absent: nobody coded it)."""
    m = len(coders)
    if m < 2:
        raise ValueError("agreement needs at least two coders")
    nobody: list[list[Span]] = [[] for _ in coders]
    by_code = {code_id: _empty(m) for code_id, _name in codes}
    by_document = {doc_id: _empty(m) for doc_id, _name, _length in documents}
    found: list[Disagreement] = []
    truncated = False
    for code_id, code_name in codes:
        offset, joined = 0, [[] for _ in coders]  # the documents end to end, for αU
        code_tally = by_code[code_id]
        for doc_id, doc_name, length in documents:
            per_coder = spans.get((doc_id, code_id), nobody)
            tally = _empty(m)
            for start, end, marks in pattern_runs(length, per_coder):
                tally.histogram[sum(marks)] += end - start
                if m == 2:
                    tally.table[marks[0]][marks[1]] += end - start
                if 0 < sum(marks) < m:
                    if len(found) < max_disagreements:
                        found.append(Disagreement(
                            doc_id, doc_name, code_id, code_name, start, end,
                            tuple(c for c, k in zip(coders, marks, strict=True) if k),
                            tuple(c for c, k in zip(coders, marks, strict=True) if not k)))
                    else:
                        truncated = True
            if length:
                tally.observed, tally.expected = unitizing_disagreements(length, per_coder)
            by_document[doc_id].add(tally)
            code_tally.add(tally)
            for coder_spans, into in zip(per_coder, joined, strict=True):
                into.extend((offset + s, offset + e) for s, e in coder_spans)
            offset += length
        # over several documents, αU sees them end to end as one continuum (over one, that is
        # the document's own, already in the tally)
        if len(documents) > 1:
            code_tally.observed, code_tally.expected = (
                unitizing_disagreements(offset, joined) if offset else (0.0, 0.0))
    total = _empty(m)
    rows = []
    for code_id, code_name in codes:
        total.add(by_code[code_id])
        rows.append(_row(code_name, None, by_code[code_id], m))
    rows += [_row(None, doc_name, by_document[doc_id], m)
             for doc_id, doc_name, _length in documents]
    rows.append(_row(None, None, total, m))
    found.sort(key=lambda d: (d.document_id, d.start, d.end, d.code_id))
    return AgreementReport(tuple(coders), tuple(rows), tuple(found), truncated)


def _empty(m: int) -> _Tally:
    return _Tally([0] * (m + 1), [[0, 0], [0, 0]])


def _row(code: str | None, document: str | None, tally: _Tally, m: int) -> AgreementRow:
    units = sum(tally.histogram)
    if not units:
        return AgreementRow(code, document, 0, 0, math.nan, None if m > 2 else math.nan,
                            math.nan if m > 2 else None, math.nan, math.nan)
    alpha_u = 1 - tally.observed / tally.expected if tally.expected else math.nan
    return AgreementRow(
        code, document, units, units - tally.histogram[0],
        percent_agreement_binary(tally.histogram),
        cohen_kappa_from_table(tally.table) if m == 2 else None,
        fleiss_kappa_binary(tally.histogram) if m > 2 else None,
        krippendorff_alpha_binary(tally.histogram), alpha_u)


def _figure(value: float | None, *, percent: bool = False) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:.1%}" if percent else f"{value:.3f}"
