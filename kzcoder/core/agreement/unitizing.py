"""Krippendorff's alpha for unitizing one category of a continuum (binary unitizing).

What is implemented is the αU of Krippendorff (1995), "On the reliability of unitizing
contiguous data", Sociological Methodology 25:47–76, in the form given in Krippendorff (2004),
*Content Analysis: An Introduction to Its Methodology*, 2nd ed., section 12.4 (the per-category
coefficient that DKPro Statistics implements as ``KrippendorffAlphaUnitizingAgreement``
.calculateCategoryAgreement). It is NOT the revised family (|uα, cuα, (k)uα, Cuα) of Krippendorff,
Mathet, Bouvry & Widlöcher (2016), "On the reliability of unitizing textual continua: Further
developments", Quality & Quantity 50:2347–2364, which ATLAS.ti reports: that revision changes the
coefficient for more than two coders, and its values generally differ from these.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from fractions import Fraction


def _sections(begin: int, length: int, spans: Sequence[tuple[int, int]]
              ) -> list[tuple[int, int, bool]]:
    """One coder's segmentation of [begin, begin + length): (start, end, is_unit), in order.

    Overlapping spans are merged into one unit; spans that only touch stay separate units."""
    end_of_continuum = begin + length
    units: list[list[int]] = []
    for start, end in sorted(spans):
        if not (isinstance(start, int) and isinstance(end, int)):
            raise ValueError(f"span ({start!r}, {end!r}) must have whole-number bounds")
        if not begin <= start < end <= end_of_continuum:
            raise ValueError(f"span ({start}, {end}) is empty or not within "
                             f"[{begin}, {end_of_continuum})")
        if units and start < units[-1][1]:
            units[-1][1] = max(units[-1][1], end)
        else:
            units.append([start, end])
    sections: list[tuple[int, int, bool]] = []
    position = begin
    for start, end in units:
        if start > position:
            sections.append((position, start, False))
        sections.append((start, end, True))
        position = end
    if end_of_continuum > position:
        sections.append((position, end_of_continuum, False))
    return sections


def _distance(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
    """δ²(g, h) of Krippendorff (2004, sec. 12.4) for two overlapping sections of two coders."""
    (g_start, g_end, g_unit), (h_start, h_end, h_unit) = g, h
    if g_unit and h_unit:
        return (g_start - h_start) ** 2 + (g_end - h_end) ** 2
    if g_unit and not h_unit and h_start <= g_start and g_end <= h_end:
        return (g_end - g_start) ** 2
    if h_unit and not g_unit and g_start <= h_start and h_end <= g_end:
        return (h_end - h_start) ** 2
    return 0


def _observed_pair_sum(a: list[tuple[int, int, bool]], b: list[tuple[int, int, bool]]) -> int:
    """Σ δ² over every pair of overlapping sections of two coders (a merge of the two lists)."""
    total = i = j = 0
    while i < len(a) and j < len(b):
        total += _distance(a[i], b[j])
        a_end, b_end = a[i][1], b[j][1]
        if a_end <= b_end:
            i += 1
        if b_end <= a_end:
            j += 1
    return total


def unitizing_disagreements(length: int, spans_by_coder: Sequence[Sequence[tuple[int, int]]],
                            *, begin: int = 0) -> tuple[float, float]:
    """The observed and expected disagreements (uD_o, uD_e) of ``unitizing_alpha``.

    With m coders, continuum length L, each coder's sections g (units and the gaps between them,
    start b, length l):
    uD_o = 2/(m(m − 1)L²) · Σ_{coders i<j} Σ_{g of i, h of j} δ²(g, h), where for overlapping
    units δ² = (b_g − b_h)² + (b_g + l_g − b_h − l_h)², for a unit lying within the other coder's
    gap δ² = l_unit², otherwise 0;
    uD_e = (2/L) · Σ_units u [ (N − 1)(2l_u³ − 3l_u² + l_u)/3 + l_u² Σ_{gaps γ, l_γ ≥ l_u}
    (l_γ − l_u + 1) ] / (mL(mL − 1) − Σ_units l_u(l_u − 1)), N = number of units of all coders
    (Krippendorff 2004, Content Analysis, 2nd ed., sec. 12.4). uD_e is 0 when nobody marked
    anything.
    """
    observed, expected = _disagreements(length, spans_by_coder, begin)
    return float(observed), float(expected)


def _disagreements(length: int, spans_by_coder: Sequence[Sequence[tuple[int, int]]],
                   begin: int) -> tuple[Fraction, Fraction]:
    if not isinstance(length, int) or length < 1:
        raise ValueError("the continuum needs a whole, positive length")
    m = len(spans_by_coder)
    if m < 2:
        raise ValueError("unitizing alpha needs at least two coders")
    sections = [_sections(begin, length, spans) for spans in spans_by_coder]
    observed_sum = sum(_observed_pair_sum(sections[i], sections[j])
                       for i in range(m) for j in range(i + 1, m))
    units = [end - start for coder in sections for start, end, unit in coder if unit]
    gaps = sorted(end - start for coder in sections for start, end, unit in coder if not unit)
    suffix = [0] * (len(gaps) + 1)  # suffix[k] = Σ gaps[k:]
    for k in range(len(gaps) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + gaps[k]
    n_units = len(units)
    expected_sum = 0  # three times the bracketed sum, an integer
    for size in units:
        first = bisect.bisect_left(gaps, size)
        fitting = suffix[first] - (size - 1) * (len(gaps) - first)  # Σ_{γ ≥ l} (γ − l + 1)
        expected_sum += ((n_units - 1) * (2 * size ** 3 - 3 * size ** 2 + size)
                         + 3 * size * size * fitting)
    pairs = m * length * (m * length - 1) - sum(size * (size - 1) for size in units)
    return (Fraction(2 * observed_sum, m * (m - 1) * length * length),
            Fraction(2 * expected_sum, 3 * length * pairs))


def unitizing_alpha(length: int, spans_by_coder: Sequence[Sequence[tuple[int, int]]],
                    *, begin: int = 0) -> float:
    """Krippendorff's αU for one category: how well m ≥ 2 coders agree on where its units lie.

    ``spans_by_coder`` holds one list of half-open ``(start, end)`` spans per coder over the
    continuum [begin, begin + length) (``begin`` = 0 unless given). A coder's overlapping spans
    are merged into one unit; spans that only touch stay two units (a boundary between them is
    information). Computes αU = 1 − uD_o/uD_e with the disagreements of
    ``unitizing_disagreements``: the binary, per-category αU of Krippendorff (1995) "On the
    reliability of unitizing contiguous data" as given in Krippendorff (2004), Content Analysis,
    2nd ed., sec. 12.4 — not the 2016 revision (|uα, cuα) of Krippendorff, Mathet, Bouvry &
    Widlöcher that ATLAS.ti reports. 1.0 for identical codings; ``math.nan`` when undefined
    (uD_e = 0, e.g. no coder marked anything). Cost O(m² S + S log S) for S spans.
    """
    observed, expected = _disagreements(length, spans_by_coder, begin)
    if expected == 0:
        return math.nan
    return float(1 - observed / expected)
