"""Co-occurrence of codes, code by code, in one of three modes:

- ``overlap``: pairs of codings of two different codes whose spans share at least one
  character, counted once per pair;
- ``paragraph``: paragraphs (maximal runs of text without a line break) that codings of both
  codes touch;
- ``document``: documents with codings of both codes.

The table is symmetric; its diagonal is each code's number of codings. Beside the counts,
ATLAS.ti's c-coefficient ``n12 / (n1 + n2 - n12)``: n12 is the count of the pair, n1 and n2
are each code's number of codings (overlap) or of paragraphs or documents it touches (the
other modes). A pair count can exceed either code's own count (one long coding overlapping
three short ones is three pairs), so n12 is capped at the smaller of n1 and n2: c stays
between 0 (never together) and 1 (always together).

Input is one document at a time, its codings ordered by start, so memory stays that of one
document plus the table.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

MODES = ("overlap", "paragraph", "document")



@dataclass(frozen=True, slots=True)
class Cooccurrence:
    """Code ids in order, the symmetric counts and the c-coefficients (same order)."""

    code_ids: tuple[int, ...]
    counts: tuple[tuple[int, ...], ...]
    c: tuple[tuple[float, ...], ...]
    mode: str


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The paragraphs of *text*: ``[start, end)`` of each maximal run without a line break."""
    found: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            found.append((start, end))
        start = end + 1
    return found


def overlapping_pairs(codings: Sequence[tuple[int, int, int, int]]):  # noqa: ANN201
    """Yield each pair of codings (of different codes) of one document whose spans overlap,
    as the two tuples; *codings* are ``(coding_id, code_id, start, end)`` ordered by start."""
    active: list[tuple[int, int, int, int]] = []
    for coding in codings:
        start = coding[2]
        active = [a for a in active if a[3] > start]
        for other in active:
            if other[1] != coding[1]:
                yield other, coding
        active.append(coding)


def cooccurrence(documents: Iterable[tuple[int, Sequence[tuple[int, int, int, int]]]],
                 code_ids: Sequence[int], *, mode: str = "overlap",
                 paragraphs_of: Callable[[int], list[tuple[int, int]]] | None = None,
                 ) -> Cooccurrence:
    """Count co-occurrence over *documents*: ``(document_id, codings)`` with codings
    ``(coding_id, code_id, start, end)`` ordered by start. Codes not in *code_ids* are left
    out. ``paragraphs_of(document_id)`` gives a document's paragraphs (``paragraph`` mode)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if mode == "paragraph" and paragraphs_of is None:
        raise ValueError("paragraph mode needs paragraphs_of")
    index = {code_id: i for i, code_id in enumerate(code_ids)}
    size = len(code_ids)
    table = [[0] * size for _ in range(size)]
    units = [0] * size  # paragraphs or documents each code touches
    codings_of = [0] * size
    for document_id, found in documents:
        kept = [c for c in found if c[1] in index]
        for coding in kept:
            codings_of[index[coding[1]]] += 1
        if mode == "overlap":
            _count_overlaps(kept, index, table)
            continue
        groups = (_paragraph_groups(kept, paragraphs_of(document_id), index)
                  if mode == "paragraph" else [{index[c[1]] for c in kept}])
        for group in groups:
            ordered = sorted(group)
            for i, a in enumerate(ordered):
                units[a] += 1
                for b in ordered[i + 1:]:
                    table[a][b] += 1
                    table[b][a] += 1
    if mode == "overlap":  # each pair was counted once, in one half or the other
        for a in range(size):
            for b in range(a + 1, size):
                table[a][b] = table[b][a] = table[a][b] + table[b][a]
    for i in range(size):
        table[i][i] = codings_of[i]
    alone = codings_of if mode == "overlap" else units
    return Cooccurrence(tuple(code_ids), tuple(tuple(row) for row in table),
                        tuple(tuple(_c(table[a][b], alone[a], alone[b]) if a != b
                                    else (1.0 if alone[a] else 0.0)
                                    for b in range(size)) for a in range(size)),
                        mode)


def _count_overlaps(codings: Sequence[tuple[int, int, int, int]], index: dict[int, int],
                    table: list[list[int]]) -> None:
    """Add one document's overlapping pairs to *table*, each in one half only (the caller
    adds the halves together and sets the diagonal). The codings still open
    at each start are kept as a count per code with a heap of their ends, so that each new
    coding adds its pairs code by code rather than coding by coding."""
    ends: list[tuple[int, int]] = []  # (end, code row) of the codings still open
    open_codes: dict[int, int] = {}  # code row -> how many of its codings are open
    for _id, code_id, start, end in codings:
        while ends and ends[0][0] <= start:
            _end, gone = heapq.heappop(ends)
            if open_codes[gone] == 1:
                del open_codes[gone]
            else:
                open_codes[gone] -= 1
        a = index[code_id]
        row = table[a]
        for b, number in open_codes.items():
            row[b] += number  # one half (a's own count is put right by the caller)
        open_codes[a] = open_codes.get(a, 0) + 1
        heapq.heappush(ends, (end, a))


def c_coefficient(n12: int, n1: int, n2: int) -> float:
    """ATLAS.ti's c-coefficient ``n12 / (n1 + n2 - n12)``, n12 capped at min(n1, n2)."""
    return _c(n12, n1, n2)


def _c(n12: int, n1: int, n2: int) -> float:
    n12 = min(n12, n1, n2)
    denominator = n1 + n2 - n12
    return n12 / denominator if denominator > 0 else 0.0


def _paragraph_groups(codings: Sequence[tuple[int, int, int, int]],
                      spans: list[tuple[int, int]], index: dict[int, int]) -> list[set[int]]:
    starts = [s for s, _e in spans]
    groups: dict[int, set[int]] = {}
    for _id, code_id, start, end in codings:
        first = max(bisect.bisect_right(starts, start) - 1, 0)
        for number in range(first, len(spans)):
            p_start, p_end = spans[number]
            if p_start >= end:
                break
            if p_end > start and p_start < end:
                groups.setdefault(number, set()).add(index[code_id])
    return list(groups.values())
