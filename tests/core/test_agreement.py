"""Agreement statistics (kzcoder/core/agreement/coefficients.py, unitizing.py): published
worked examples, the ``krippendorff`` package on random data, and fast paths equal to the list
paths."""

from __future__ import annotations

import math
import random
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzcoder.core.agreement import coefficients as agreement
from kzcoder.core.agreement.coefficients import (
    LEVELS,
    binary_histogram_from_spans,
    binary_pattern_lengths,
    cohen_kappa,
    cohen_kappa_from_table,
    contingency_from_spans,
    fleiss_kappa,
    krippendorff_alpha,
    krippendorff_alpha_binary,
    krippendorff_alpha_from_coincidences,
    percent_agreement,
    percent_agreement_binary,
)
from kzcoder.core.agreement.unitizing import unitizing_alpha, unitizing_disagreements

N = None
KRIPPENDORFF_2011 = [  # rows = coders A..D, columns = units 1..12
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


@pytest.mark.parametrize(("level", "expected"), [
    ("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_krippendorff_2011_four_coders_with_missing_values(level, expected):
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section E."""
    assert round(krippendorff_alpha(KRIPPENDORFF_2011, level), 3) == expected


def test_krippendorff_2011_two_coders_binary():
    """Krippendorff (2011), section A: two coders, ten binary units, α = 0.095."""
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(krippendorff_alpha([a, b]), 3) == 0.095
    assert round(krippendorff_alpha_binary([5, 4, 1]), 3) == 0.095  # 5 none, 4 one, 1 both
    assert percent_agreement([a, b]) == 0.6


def test_cohen_kappa_worked_example():
    """Not Cohen's (1960) own table: the worked example of Wikipedia's "Cohen's kappa" article —
    50 units, both yes 20, A yes/B no 5, A no/B yes 10, both no 15: p_o = 0.7, p_e = 0.5,
    κ = 0.4."""
    assert cohen_kappa_from_table([[20, 5], [10, 15]]) == pytest.approx(0.4, abs=1e-12)
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4, abs=1e-12)
    assert percent_agreement([a, b]) == 0.7


def test_cohen_1960_example():
    """Cohen (1960), "A coefficient of agreement for nominal scales", Table 1: 200 units, three
    categories, observed agreement .44 + .20 + .06 = .70, marginals .60/.30/.10 and
    .50/.30/.20, chance agreement .41, κ = .29/.59 = .492. κ depends only on the diagonal and
    the marginals; the off-diagonal cells below are one split consistent with them."""
    proportions = [[.44, .07, .09], [.05, .20, .05], [.01, .03, .06]]
    table = [[round(200 * p) for p in row] for row in proportions]
    assert [sum(row) for row in table] == [120, 60, 20]
    assert [sum(col) for col in zip(*table, strict=True)] == [100, 60, 40]
    assert round(cohen_kappa_from_table(table), 3) == 0.492
    a = [i for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)]
    b = [j for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)]
    assert round(cohen_kappa(a, b), 3) == 0.492 and percent_agreement([a, b]) == 0.7


def test_fleiss_1971_example():
    """The example of Fleiss (1971) as given in Wikipedia's "Fleiss' kappa": 10 subjects,
    14 raters, 5 categories; P̄ = 0.378, P̄_e = 0.213, κ = 0.210."""
    table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
             [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
             [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    assert round(fleiss_kappa(table), 3) == 0.210


def test_undefined_statistics_are_nan():
    assert math.isnan(krippendorff_alpha([[1, N, 2], [N, 3, N]]))  # no pairable unit
    assert math.isnan(krippendorff_alpha([[2, 2, N], [2, 2, 5]]))  # one value: no variation
    assert math.isnan(krippendorff_alpha([[], []]))
    assert math.isnan(krippendorff_alpha_binary([0, 0, 7]))
    assert math.isnan(krippendorff_alpha_binary([0, 0, 0]))
    assert math.isnan(krippendorff_alpha_from_coincidences([], []))
    assert math.isnan(cohen_kappa(["a", "a"], ["a", "a"]))
    assert math.isnan(cohen_kappa([], []))
    assert math.isnan(fleiss_kappa([[3, 0], [3, 0]]))
    assert math.isnan(fleiss_kappa([]))
    assert math.isnan(percent_agreement([[1, N], [N, 2]]))
    assert math.isnan(unitizing_alpha(10, [[], []]))


def test_malformed_input_is_refused():
    with pytest.raises(ValueError, match="different lengths"):
        krippendorff_alpha([[1, 2], [1]])
    with pytest.raises(ValueError, match="unknown level"):
        krippendorff_alpha([[1, 2], [1, 2]], "cardinal")
    with pytest.raises(ValueError):
        cohen_kappa([1, 2], [1])
    with pytest.raises(ValueError):
        cohen_kappa([1, None], [1, 2])
    with pytest.raises(ValueError, match="same number of raters"):
        fleiss_kappa([[1, 2], [2, 2]])
    with pytest.raises(ValueError):
        unitizing_alpha(10, [[(0, 11)], []])
    with pytest.raises(ValueError):
        unitizing_alpha(10, [[(0, 3)]])


def test_coincidences_as_a_mapping_give_the_same_alpha():
    matrix = {(0, 0): 10.0, (0, 1): 4.0, (1, 0): 4.0, (1, 1): 2.0}
    assert krippendorff_alpha_from_coincidences(matrix, [0, 1]) == \
        krippendorff_alpha_from_coincidences([[10.0, 4.0], [4.0, 2.0]], [0, 1])


# The krippendorff package on random data.

@st.composite
def reliability_data(draw):
    values = draw(st.sampled_from([[1, 2], [1, 2, 3], [0, 1, 2, 3, 4], [1, 2, 3, 5, 8]]))
    coders = draw(st.integers(2, 5))
    units = draw(st.integers(2, 40))
    cell = st.sampled_from(values)
    return [[None if draw(st.integers(0, 4)) == 0 else draw(cell) for _ in range(units)]
            for _ in range(coders)]


def _package_alpha(data, level):
    import krippendorff
    import numpy as np

    matrix = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level))
        except ValueError:  # e.g. "There has to be more than one value in the domain."
            return math.nan


@pytest.mark.parametrize("level", LEVELS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=reliability_data())
def test_alpha_equals_the_krippendorff_package(level, data):
    ours = krippendorff_alpha(data, level)
    theirs = _package_alpha(data, level)
    if math.isfinite(theirs):
        assert ours == pytest.approx(theirs, abs=1e-9)
    else:
        assert math.isnan(ours)


# Fast paths against list paths.

@st.composite
def binary_data(draw):
    coders = draw(st.integers(2, 5))
    units = draw(st.integers(0, 60))
    return [[draw(st.integers(0, 1)) for _ in range(units)] for _ in range(coders)]


def _histogram(data):
    histogram = [0] * (len(data) + 1)
    for unit in zip(*data, strict=True):
        histogram[sum(unit)] += 1
    return histogram


@settings(max_examples=200, deadline=None)
@given(data=binary_data())
def test_binary_histogram_gives_exactly_the_list_based_alpha(data):
    histogram = _histogram(data)
    fast, slow = krippendorff_alpha_binary(histogram), krippendorff_alpha(data)
    assert fast == slow or (math.isnan(fast) and math.isnan(slow))
    for level in LEVELS:  # 0/1 data: every level gives the same alpha
        other = krippendorff_alpha(data, level)
        assert (math.isnan(other) and math.isnan(slow)) or other == pytest.approx(slow, abs=1e-12)
    fast, slow = percent_agreement_binary(histogram), percent_agreement(data)
    assert fast == slow or (math.isnan(fast) and math.isnan(slow))


@settings(max_examples=200, deadline=None)
@given(a=st.lists(st.sampled_from("abcd"), max_size=50), seed=st.integers(0, 10**6))
def test_cohen_kappa_equals_its_table_and_two_coder_percent_agreement(a, seed):
    rng = random.Random(seed)
    b = [label if rng.random() < 0.5 else rng.choice("abcd") for label in a]
    labels = sorted(set(a) | set(b))
    table = [[sum(1 for x, y in zip(a, b, strict=True) if (x, y) == (r, c)) for c in labels]
             for r in labels]
    fast, slow = cohen_kappa_from_table(table), cohen_kappa(a, b)
    assert fast == slow or (math.isnan(fast) and math.isnan(slow))
    if a:
        assert percent_agreement([a, b]) == sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


@st.composite
def spans_over(draw, coders=None):
    length = draw(st.integers(1, 60))
    count = coders or draw(st.integers(2, 4))
    spans = []
    for _ in range(count):
        coder = []
        for _ in range(draw(st.integers(0, 4))):
            start = draw(st.integers(0, length - 1))
            coder.append((start, draw(st.integers(start + 1, length))))
        spans.append(coder)
    return length, spans


def _positions(length, spans_by_coder):
    return [[int(any(s <= x < e for s, e in spans)) for x in range(length)]
            for spans in spans_by_coder]


@settings(max_examples=200, deadline=None)
@given(case=spans_over())
def test_span_counts_equal_the_per_position_data(case):
    length, spans = case
    data = _positions(length, spans)
    assert sum(binary_pattern_lengths(length, spans).values()) == length
    histogram = binary_histogram_from_spans(length, spans)
    assert histogram == _histogram(data)
    fast, slow = krippendorff_alpha_binary(histogram), krippendorff_alpha(data)
    assert fast == slow or (math.isnan(fast) and math.isnan(slow))
    if len(spans) == 2:
        fast = cohen_kappa_from_table(contingency_from_spans(length, *spans))
        slow = cohen_kappa(*data)
        assert fast == slow or (math.isnan(fast) and math.isnan(slow))


# Unitizing alpha.

def test_unitizing_krippendorff_2004_example():
    """Krippendorff (2004), Content Analysis, 2nd ed., p. 254 example (continuum [150, 450), two
    observers), with the values DKPro Statistics' Krippendorff2004Test asserts: category c
    uD_o = 0.0144, uD_e = 0.0532, α = 0.7286; category k α = 1 (uD_e = 0.0490)."""
    c = [[(225, 295), (370, 400)], [(220, 300), (355, 375), (400, 420)]]
    observed, expected = unitizing_disagreements(300, c, begin=150)
    assert (round(observed, 4), round(expected, 4)) == (0.0144, 0.0532)
    assert round(unitizing_alpha(300, c, begin=150), 4) == 0.7286
    k = [[(180, 240), (300, 350)], [(180, 240), (300, 350)]]
    assert round(unitizing_disagreements(300, k, begin=150)[1], 4) == 0.0490
    assert unitizing_alpha(300, k, begin=150) == 1.0


def _krippendorff_1995(stretch):
    """Krippendorff (1995, p. 57) pairs A–D over 24 positions (as transcribed in DKPro's
    Krippendorff1995Test), positions multiplied by ``stretch``."""
    pairs = {
        "A": [[(2, 10), (14, 20)], [(4, 8), (15, 17)]],
        "B": [[(0, 18)], [(0, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 9), (9, 10)]],
        "C": [[(2, 8), (10, 12), (14, 18), (20, 22)],
              [(0, 2), (4, 8), (10, 14), (16, 18), (20, 22)]],
        "D": [[(0, 2), (2, 10), (10, 14), (14, 20), (20, 24)],
              [(0, 4), (4, 8), (8, 15), (15, 17), (17, 24)]],
    }
    return {name: [[(s * stretch, e * stretch) for s, e in coder] for coder in spans]
            for name, spans in pairs.items()}


def test_unitizing_krippendorff_1995_examples():
    """Observed disagreements exactly (to 1e-5); expected disagreements and alphas within DKPro's
    tolerances (0.005, 0.02): the 1995 paper's uD_e carries a small error (DKPro's note)."""
    observed = {"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}
    for name, spans in _krippendorff_1995(1).items():
        assert unitizing_disagreements(24, spans)[0] == pytest.approx(observed[name], abs=1e-5)
    expected = {"A": 0.06990, "B": 1.17731, "C": 0.08642, "D": 0.41445}
    alpha = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}
    for name, spans in _krippendorff_1995(50_000).items():
        assert unitizing_disagreements(1_200_000, spans)[1] == \
            pytest.approx(expected[name], abs=0.005)
        assert unitizing_alpha(1_200_000, spans) == pytest.approx(alpha[name], abs=0.02)


def _naive_observed_sum(length, spans_by_coder):
    """Σ δ² over ALL pairs of sections of all coder pairs, straight from the definition."""
    from kzcoder.core.agreement.unitizing import _sections

    sections = [_sections(0, length, spans) for spans in spans_by_coder]
    total = 0
    for i in range(len(sections)):
        for j in range(i + 1, len(sections)):
            for gs, ge, gu in sections[i]:
                for hs, he, hu in sections[j]:
                    if gu and hu and gs < he and hs < ge:
                        total += (gs - hs) ** 2 + (ge - he) ** 2
                    elif gu and not hu and hs <= gs and ge <= he:
                        total += (ge - gs) ** 2
                    elif hu and not gu and gs <= hs and he <= ge:
                        total += (he - hs) ** 2
    return total


@settings(max_examples=200, deadline=None)
@given(case=spans_over(), shift=st.integers(-50, 50), seed=st.integers(0, 1000))
def test_unitizing_properties(case, shift, seed):
    length, spans = case
    m = len(spans)
    alpha = unitizing_alpha(length, spans)
    observed, _ = unitizing_disagreements(length, spans)
    assert observed == pytest.approx(
        2 * _naive_observed_sum(length, spans) / (m * (m - 1) * length ** 2), abs=1e-12)
    same = lambda x: (math.isnan(x) and math.isnan(alpha)) or x == pytest.approx(alpha, abs=1e-12)  # noqa: E731
    identical = unitizing_alpha(length, [spans[0]] * m)
    # undefined (nan) exactly when no disagreement could be expected, e.g. no unit at all, or
    # units of length 1 filling the whole continuum
    assert identical == 1.0 or (math.isnan(identical)
                                and unitizing_disagreements(length, [spans[0]] * m)[1] == 0)
    shuffled = spans[:]
    random.Random(seed).shuffle(shuffled)
    assert same(unitizing_alpha(length, shuffled))  # symmetric in the coders
    moved = [[(s + shift, e + shift) for s, e in coder] for coder in spans]
    assert same(unitizing_alpha(length, moved, begin=shift))  # shifting everything together
    mirrored = [[(length - e, length - s) for s, e in coder] for coder in spans]
    assert same(unitizing_alpha(length, mirrored))  # reading the continuum backwards


def test_identical_unitizings_agree_perfectly():
    spans = [(0, 5), (5, 9), (20, 31)]
    assert unitizing_alpha(40, [spans, spans, spans]) == 1.0
    assert unitizing_alpha(10, [[(0, 10)], [(0, 10)]]) == 1.0


@given(st.integers(2, 6).flatmap(
    lambda m: st.lists(st.integers(0, m), min_size=1, max_size=40).map(lambda js: (m, js))))
def test_fleiss_from_a_histogram_equals_fleiss_from_rows(case):
    m, marks = case
    histogram = [0] * (m + 1)
    for j in marks:
        histogram[j] += 1
    rows = [[m - j, j] for j in marks]
    expected = fleiss_kappa(rows)
    got = agreement.fleiss_kappa_binary(histogram)
    assert (math.isnan(expected) and math.isnan(got)) or got == expected
