"""Inter-coder agreement statistics as pure functions (no Qt, no SQL).

Conventions shared by every function here:

* ``data`` ("reliability data") is one sequence per coder, all of the same length (the number of
  units); ``None`` (or a float NaN) marks a value that coder did not give.
* A statistic that is undefined for the data (no pairable unit, no variation, a chance agreement
  of 1) is returned as ``math.nan``; it is never raised. Malformed input (rows of different
  lengths, an unknown level, a negative count…) raises ``ValueError``.
* The list-based functions and the count-based fast paths share one core, so the same data gives
  the same float, bit for bit (``krippendorff_alpha`` and ``krippendorff_alpha_binary``,
  ``cohen_kappa`` and ``cohen_kappa_from_table``).

For character-level agreement on one code (every code point a unit coded 1/0 by each coder) use
``binary_histogram_from_spans`` / ``contingency_from_spans``: they cost O(S log S) in the number
of spans S, not in the length of the document. Krippendorff's unitizing alpha is in
``kzcoder.core.agreement.unitizing``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _rows(data: Sequence[Sequence[object]]) -> list[list[object]]:
    rows = [list(row) for row in data]
    if rows and any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("every coder must give one value per unit (rows of different lengths)")
    return rows


def _sorted_values(values: set) -> list:
    try:
        return sorted(values)
    except TypeError:  # unorderable labels: any fixed order will do for nominal data
        return sorted(values, key=repr)


def coincidence_matrix(data: Sequence[Sequence[object]]) -> tuple[list, list[list[float]]]:
    """Krippendorff's coincidence matrix of reliability ``data``.

    Returns ``(values, o)``: ``values`` the sorted distinct values that occur in pairable units
    (units with at least two values), ``o[c][k]`` the coincidences of ``values[c]`` and
    ``values[k]``: ``o_ck = Σ_u (number of ordered pairs of values (c, k) from different coders in
    unit u) / (m_u − 1)``, m_u = number of values in unit u (Krippendorff 2011, "Computing
    Krippendorff's Alpha-Reliability", section C.b). Units with fewer than two values are left out.
    The pair counts are summed as integers per m_u and divided once, which keeps the result
    independent of the order of the units.
    """
    rows = _rows(data)
    pair_counts: dict[int, Counter] = {}
    for pattern, count in Counter(zip(*rows, strict=True)).items():
        present = Counter(value for value in pattern if not _missing(value))
        m = sum(present.values())
        if m < 2:
            continue
        pairs = pair_counts.setdefault(m, Counter())
        for c, n_c in present.items():
            for k, n_k in present.items():
                pairs[c, k] += count * n_c * (n_k - 1 if c == k else n_k)
    values = _sorted_values({c for pairs in pair_counts.values() for c, _ in pairs})
    return values, _combine(pair_counts, values)


def _combine(pair_counts: Mapping[int, Mapping[tuple, int]], values: list) -> list[list[float]]:
    index = {value: i for i, value in enumerate(values)}
    matrix = [[0.0] * len(values) for _ in values]
    for m in sorted(pair_counts):
        for (c, k), pairs in pair_counts[m].items():
            matrix[index[c]][index[k]] += pairs / (m - 1)
    return matrix


def _delta(level: str, values: Sequence, marginals: Sequence[float]):
    """The squared difference function δ²(c, k) of Krippendorff (2011), section E."""
    if level == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if level == "ordinal":
        cumulative = [0.0]
        for n in marginals:
            cumulative.append(cumulative[-1] + n)

        def ordinal(c: int, k: int) -> float:
            low, high = min(c, k), max(c, k)
            between = cumulative[high + 1] - cumulative[low]
            return (between - (marginals[low] + marginals[high]) / 2) ** 2
        return ordinal
    if level == "interval":
        return lambda c, k: float(values[c] - values[k]) ** 2
    if level == "ratio":
        def ratio(c: int, k: int) -> float:
            total = values[c] + values[k]
            return 0.0 if total == 0 else ((values[c] - values[k]) / total) ** 2
        return ratio
    raise ValueError(f"unknown level of measurement {level!r}; use one of {', '.join(LEVELS)}")


def krippendorff_alpha_from_coincidences(
    matrix: Sequence[Sequence[float]] | Mapping[tuple[Hashable, Hashable], float],
    values: Sequence,
    level: str = "nominal",
) -> float:
    """Krippendorff's alpha from a coincidence matrix.

    ``matrix`` is k×k (``matrix[c][k]`` the coincidences of ``values[c]`` and ``values[k]``) or a
    mapping ``{(value_c, value_k): coincidences}`` (absent pairs count 0). ``values`` lists the
    values in order: any labels for ``nominal``, in rank order for ``ordinal``, numbers for
    ``interval`` and ``ratio``.

    Computes α = 1 − D_o/D_e = 1 − (n − 1) · Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck, with
    n_c = Σ_k o_ck and n = Σ_c n_c (Krippendorff 2011, "Computing Krippendorff's
    Alpha-Reliability", sections C–E), and the differences δ² of that paper: nominal 0/1;
    ordinal (Σ_{g=c..k} n_g − (n_c + n_k)/2)²; interval (c − k)²; ratio ((c − k)/(c + k))²
    (taken as 0 when c + k = 0, as the ``krippendorff`` package does).
    Returns ``math.nan`` when alpha is undefined: n < 2 (no pairable value) or D_e = 0 (all
    pairable values equal).
    """
    values = list(values)
    if isinstance(matrix, Mapping):
        index = {value: i for i, value in enumerate(values)}
        rows = [[0.0] * len(values) for _ in values]
        for (c, k), o in matrix.items():
            rows[index[c]][index[k]] += o
    else:
        rows = [list(row) for row in matrix]
        if len(rows) != len(values) or any(len(row) != len(values) for row in rows):
            raise ValueError("the coincidence matrix must be k×k for k values")
    marginals = [math.fsum(row) for row in rows]
    n = math.fsum(marginals)
    delta = _delta(level, values, marginals)
    if n < 2:
        return math.nan
    size = range(len(values))
    observed = math.fsum(rows[c][k] * delta(c, k) for c in size for k in size if rows[c][k])
    expected = math.fsum(marginals[c] * marginals[k] * delta(c, k)
                         for c in size for k in size if marginals[c] and marginals[k])
    if expected == 0:
        return math.nan
    return 1.0 - (n - 1) * observed / expected


def krippendorff_alpha(data: Sequence[Sequence[object]], level: str = "nominal") -> float:
    """Krippendorff's alpha of reliability ``data`` (one sequence per coder, ``None`` = missing).

    ``level`` is ``"nominal"``, ``"ordinal"``, ``"interval"`` or ``"ratio"``. Builds the
    coincidence matrix (``coincidence_matrix``) and applies
    ``krippendorff_alpha_from_coincidences``: α = 1 − (n − 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck
    (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"). Units coded by fewer
    than two coders do not count. Returns ``math.nan`` when alpha is undefined (no pairable unit,
    or a single value among all pairable values).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level of measurement {level!r}; use one of {', '.join(LEVELS)}")
    values, matrix = coincidence_matrix(data)
    return krippendorff_alpha_from_coincidences(matrix, values, level)


def krippendorff_alpha_binary(n_units: Sequence[int]) -> float:
    """Krippendorff's alpha of 0/1 data from a histogram: the fast path for character-level data.

    ``n_units[j]`` is the number of units that exactly j of the m coders marked 1 (and m − j
    marked 0), j = 0..m, m = ``len(n_units) − 1`` ≥ 2; every coder codes every unit. The
    coincidences are o_11 = Σ_j n_j j(j − 1)/(m − 1), o_00 = Σ_j n_j (m − j)(m − j − 1)/(m − 1),
    o_01 = o_10 = Σ_j n_j j(m − j)/(m − 1), then α as in ``krippendorff_alpha_from_coincidences``.
    With only the values 0 and 1 every level of measurement gives the same alpha. Equals
    ``krippendorff_alpha(data)`` for the same 0/1 data exactly (same core); ``math.nan`` when
    undefined (no unit, or every value the same).
    """
    counts = [int(n) for n in n_units]
    m = len(counts) - 1
    if m < 2 or any(n < 0 for n in counts):
        raise ValueError("n_units needs m + 1 ≥ 3 non-negative counts (m ≥ 2 coders)")
    pairs = Counter()
    for j, n in enumerate(counts):
        pairs[0, 0] += n * (m - j) * (m - j - 1)
        pairs[0, 1] += n * j * (m - j)
        pairs[1, 0] += n * j * (m - j)
        pairs[1, 1] += n * j * (j - 1)
    present = {0: any(counts[:m]), 1: any(counts[1:])}  # values met in some unit
    values = [value for value in (0, 1) if present[value]]
    pairs = Counter({key: count for key, count in pairs.items() if count})
    return krippendorff_alpha_from_coincidences(_combine({m: pairs}, values), values)


def binary_pattern_lengths(length: int, spans_by_coder: Sequence[Sequence[tuple[int, int]]]
                           ) -> Counter:
    """How many positions of [0, length) each combination of coders marks.

    ``spans_by_coder`` holds one list of half-open ``(start, end)`` spans per coder; a position is
    marked 1 by a coder when it lies in any of that coder's spans (overlaps count once). Returns a
    ``Counter`` mapping a tuple of m 0/1 flags (one per coder) to its number of positions; the
    counts sum to ``length``. Sweeps the sorted span boundaries: O(S log S) for S spans, whatever
    the length.
    """
    if length < 0:
        raise ValueError("length must not be negative")
    m = len(spans_by_coder)
    events: list[tuple[int, int, int]] = []
    for coder, spans in enumerate(spans_by_coder):
        for start, end in spans:
            if not 0 <= start <= end <= length:
                raise ValueError(f"span ({start}, {end}) is not within [0, {length})")
            if start < end:
                events.append((start, coder, 1))
                events.append((end, coder, -1))
    events.sort()
    depth = [0] * m
    patterns: Counter = Counter()
    position = 0
    for at, coder, step in events:
        if at > position:
            patterns[tuple(int(d > 0) for d in depth)] += at - position
            position = at
        depth[coder] += step
    if length > position:
        patterns[(0,) * m] += length - position
    return patterns


def binary_histogram_from_spans(length: int, spans_by_coder: Sequence[Sequence[tuple[int, int]]]
                                ) -> list[int]:
    """``n_units`` for ``krippendorff_alpha_binary`` from spans: ``n_units[j]`` = number of
    positions of [0, length) marked by exactly j of the coders (see ``binary_pattern_lengths``)."""
    histogram = [0] * (len(spans_by_coder) + 1)
    for pattern, count in binary_pattern_lengths(length, spans_by_coder).items():
        histogram[sum(pattern)] += count
    return histogram


def contingency_from_spans(length: int, spans_a: Sequence[tuple[int, int]],
                           spans_b: Sequence[tuple[int, int]]) -> list[list[int]]:
    """The 2×2 table for ``cohen_kappa_from_table`` from two coders' spans over [0, length):
    ``table[a][b]`` = number of positions coder A marks ``a`` (0/1) and coder B marks ``b``."""
    table = [[0, 0], [0, 0]]
    for (a, b), count in binary_pattern_lengths(length, [spans_a, spans_b]).items():
        table[a][b] += count
    return table


def cohen_kappa_from_table(table: Sequence[Sequence[float]] | Mapping[tuple, float]) -> float:
    """Cohen's kappa from a k×k contingency table.

    ``table[i][j]`` (or ``table[(label_a, label_b)]`` in a mapping; absent pairs count 0) is the
    number of units coder A put in category i and coder B in category j. Computes
    κ = (p_o − p_e)/(1 − p_e), p_o = Σ_i t_ii / N, p_e = Σ_i r_i c_i / N² with r_i, c_i the row and
    column totals (Cohen 1960, "A coefficient of agreement for nominal scales", eq. 1), evaluated
    as (N Σ t_ii − Σ r_i c_i)/(N² − Σ r_i c_i). ``math.nan`` when N = 0 or p_e = 1 (both coders
    used one and the same category for every unit).
    """
    if isinstance(table, Mapping):
        cells = dict(table)
    else:
        rows = [list(row) for row in table]
        if any(len(row) != len(rows) for row in rows):
            raise ValueError("the contingency table must be square (k×k)")
        cells = {(i, j): value for i, row in enumerate(rows) for j, value in enumerate(row)}
    if any(value < 0 for value in cells.values()):
        raise ValueError("the contingency table must not hold negative counts")
    rows_total: Counter = Counter()
    columns_total: Counter = Counter()
    diagonal = 0
    for (a, b), count in cells.items():
        rows_total[a] += count
        columns_total[b] += count
        if a == b:
            diagonal += count
    total = sum(rows_total.values())
    chance = sum(rows_total[label] * columns_total[label] for label in rows_total)
    if total == 0 or total * total == chance:
        return math.nan
    return (total * diagonal - chance) / (total * total - chance)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa of two coders' labels for the same units (``a[u]``, ``b[u]`` for unit u).

    Counts the contingency table and applies ``cohen_kappa_from_table``:
    κ = (p_o − p_e)/(1 − p_e) (Cohen 1960). Missing values are not allowed (``ValueError``);
    ``math.nan`` when no unit or p_e = 1.
    """
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError("both coders must label the same units (sequences of different lengths)")
    if any(_missing(label) for label in a + b):
        raise ValueError("Cohen's kappa needs a label from both coders for every unit")
    return cohen_kappa_from_table(Counter(zip(a, b, strict=True)))


def fleiss_kappa(counts: Sequence[Sequence[int]]) -> float:
    """Fleiss' kappa for n ≥ 2 raters per unit.

    ``counts[i][j]`` is the number of raters who put unit i in category j; every row must have the
    same total n. Computes κ = (P̄ − P̄_e)/(1 − P̄_e) with P_i = (Σ_j n_ij² − n)/(n(n − 1)),
    P̄ = mean of P_i, p_j = Σ_i n_ij/(N n), P̄_e = Σ_j p_j² (Fleiss 1971, "Measuring nominal scale
    agreement among many raters", eqs. 2–9). ``math.nan`` when there is no unit or P̄_e = 1 (every
    rating in one category).
    """
    rows = [list(row) for row in counts]
    if not rows:
        return math.nan
    if any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("every unit needs a count for every category (rows of different lengths)")
    if any(value < 0 for row in rows for value in row):
        raise ValueError("counts must not be negative")
    raters = sum(rows[0])
    if any(sum(row) != raters for row in rows):
        raise ValueError("every unit must be rated by the same number of raters")
    if raters < 2:
        raise ValueError("Fleiss' kappa needs at least two raters per unit")
    squares = sum(value * value for row in rows for value in row)
    columns = [sum(column) for column in zip(*rows, strict=True)]
    return _fleiss(len(rows), raters, squares, columns)


def fleiss_kappa_binary(n_units: Sequence[int]) -> float:
    """``fleiss_kappa`` of 0/1 data from the histogram of ``krippendorff_alpha_binary``
    (``n_units[j]`` units marked 1 by exactly j of the m raters): the same formula, with
    Σ n_ij² = Σ_j n_j (j² + (m − j)²) and category totals Σ_j n_j (m − j), Σ_j n_j j; equal to
    ``fleiss_kappa`` on the same rows exactly (same core)."""
    counts = [int(n) for n in n_units]
    m = len(counts) - 1
    if m < 2 or any(n < 0 for n in counts):
        raise ValueError("n_units needs m + 1 ≥ 3 non-negative counts (m ≥ 2 raters)")
    units = sum(counts)
    if not units:
        return math.nan
    squares = sum(n * (j * j + (m - j) * (m - j)) for j, n in enumerate(counts))
    columns = [sum(n * (m - j) for j, n in enumerate(counts)),
               sum(n * j for j, n in enumerate(counts))]
    return _fleiss(units, m, squares, columns)


def _fleiss(units: int, raters: int, squares: int, columns: Sequence[int]) -> float:
    p_bar = (squares - units * raters) / (units * raters * (raters - 1))
    p_e = sum((column / (units * raters)) ** 2 for column in columns)
    if p_e >= 1.0:
        return math.nan
    return (p_bar - p_e) / (1 - p_e)


def percent_agreement(data: Sequence[Sequence[object]]) -> float:
    """Share of pairable units on which every coder who coded the unit gave the same value.

    ``data`` as for ``krippendorff_alpha``. A unit is pairable when at least two coders gave it a
    value; it agrees when all its values are equal (missing values ignored). Returns
    agreeing pairable units / pairable units — for two coders without missing values, the plain
    share of units with equal labels. ``math.nan`` when no unit is pairable.
    """
    pairable = agreeing = 0
    for pattern, count in Counter(zip(*_rows(data), strict=True)).items():
        present = [value for value in pattern if not _missing(value)]
        if len(present) >= 2:
            pairable += count
            if all(value == present[0] for value in present):
                agreeing += count
    return agreeing / pairable if pairable else math.nan


def percent_agreement_binary(n_units: Sequence[int]) -> float:
    """``percent_agreement`` of 0/1 data from the histogram of ``krippendorff_alpha_binary``:
    (n_0 + n_m) / Σ_j n_j, the share of units all m coders marked alike; ``math.nan`` if none."""
    counts = list(n_units)
    if len(counts) < 3:
        raise ValueError("n_units needs m + 1 ≥ 3 counts (m ≥ 2 coders)")
    total = sum(counts)
    return (counts[0] + counts[-1]) / total if total else math.nan
