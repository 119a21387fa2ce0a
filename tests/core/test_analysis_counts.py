"""The code matrix and co-occurrence against brute force over the same codings: every count
recomputed from character sets and all pairs, not from the code's own sweep."""

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzcoder.core.analysis.cooccurrence import c_coefficient, cooccurrence, paragraphs
from kzcoder.core.analysis.matrix import code_matrix
from kzcoder.core.records import CodeInfo

# a small tree: 1 > 2 > 3, 4 > 5, 6 alone
CODES = [CodeInfo(1, "g1", "A", "#0072B2"), CodeInfo(2, "g2", "A1", "#E69F00", parent_id=1),
         CodeInfo(3, "g3", "A1a", "#CC79A7", parent_id=2), CodeInfo(4, "g4", "B", "#009E73"),
         CodeInfo(5, "g5", "B1", "#56B4E9", parent_id=4), CodeInfo(6, "g6", "C", "#D55E00")]
PARENT = {c.id: c.parent_id for c in CODES}
TEXT_LENGTH = 60


def subtree(code_id: int, rollup: bool) -> set[int]:
    """The codes whose codings count for *code_id*'s row, by walking parents upward."""
    found = set()
    for c in PARENT:
        node = c
        while node is not None:
            if node == code_id:
                found.add(c)
            node = PARENT[node] if rollup else None
    return found


codings_st = st.lists(
    st.tuples(st.integers(1, 4), st.sampled_from([c.id for c in CODES]),
              st.integers(0, TEXT_LENGTH - 1), st.integers(1, 25)),
    max_size=40).map(lambda items: sorted(
        (d, c, s, min(TEXT_LENGTH, s + n)) for d, c, s, n in items))


@settings(max_examples=150, deadline=None)
@given(codings_st, st.booleans(), st.sampled_from(["codings", "documents", "characters"]),
       st.dictionaries(st.integers(1, 4), st.integers(0, 1), min_size=1))
def test_matrix_equals_brute_force(codings, rollup, count, column_of):
    ordered = sorted(codings, key=lambda r: (r[0], r[2], r[3]))
    matrix = code_matrix(iter(ordered), CODES, ["x", "y"], column_of, count=count,
                         rollup=rollup)
    for row, code in zip(matrix.rows, CODES, strict=True):
        members = subtree(code.id, rollup)
        for column in (0, 1):
            mine = [r for r in codings if r[1] in members and column_of.get(r[0]) == column]
            if count == "codings":
                expected = len(mine)
            elif count == "documents":
                expected = len({r[0] for r in mine})
            else:
                expected = len({(r[0], i) for r in mine for i in range(r[2], r[3])})
            assert row.counts[column] == expected, (code.name, column)
    assert matrix.column_documents == (
        frozenset(d for d, j in column_of.items() if j == 0),
        frozenset(d for d, j in column_of.items() if j == 1))


def test_matrix_rows_carry_paths_and_json_shape():
    matrix = code_matrix(iter([(1, 3, 0, 5)]), CODES, ["d1"], {1: 0}, rollup=True)
    assert matrix.as_json()["rows"][2] == {"code": "A1a", "path": ["A", "A1", "A1a"],
                                           "counts": [1]}
    assert [r.counts[0] for r in matrix.rows] == [1, 1, 1, 0, 0, 0]
    assert matrix.column_totals == (3,)


TEXT = "one two three\nfour five six\n\nseven eight nine ten eleven twelve thirteen\nfo"


def brute_paragraphs(text: str) -> list[set[int]]:
    """Each non-blank line's character positions."""
    found, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            found.append(set(range(start, start + len(line))))
        start += len(line) + 1
    return found


def test_paragraphs_are_non_blank_lines():
    assert [set(range(s, e)) for s, e in paragraphs(TEXT)] == brute_paragraphs(TEXT)


cooc_st = st.lists(
    st.tuples(st.integers(1, 3), st.sampled_from([1, 4, 6, 5]),
              st.integers(0, len(TEXT) - 1), st.integers(1, 20)),
    max_size=30).map(lambda items: [(i, d, c, s, min(len(TEXT), s + n))
                                    for i, (d, c, s, n) in enumerate(items, start=1)])


@settings(max_examples=150, deadline=None)
@given(cooc_st, st.sampled_from(["overlap", "paragraph", "document"]))
def test_cooccurrence_equals_brute_force(codings, mode):
    code_ids = [1, 4, 5, 6]
    by_doc = {}
    for i, d, c, s, e in sorted(codings, key=lambda r: (r[1], r[3], r[4], r[0])):
        by_doc.setdefault(d, []).append((i, c, s, e))
    table = cooccurrence(sorted(by_doc.items()), code_ids, mode=mode,
                         paragraphs_of=lambda _d: paragraphs(TEXT))
    units = brute_paragraphs(TEXT)
    for a, b in itertools.product(code_ids, repeat=2):
        x, y = code_ids.index(a), code_ids.index(b)
        ones = [r for r in codings if r[2] == a]
        if a == b:
            assert table.counts[x][y] == len(ones)
            continue
        twos = [r for r in codings if r[2] == b]
        if mode == "overlap":
            expected = sum(1 for p in ones for q in twos if p[1] == q[1]
                           and set(range(p[3], p[4])) & set(range(q[3], q[4])))
            n1, n2 = len(ones), len(twos)
        elif mode == "document":
            expected = len({p[1] for p in ones} & {q[1] for q in twos})
            n1, n2 = len({p[1] for p in ones}), len({q[1] for q in twos})
        else:
            def touched(rows):
                return {(r[1], k) for r in rows for k, unit in enumerate(units)
                        if unit & set(range(r[3], r[4]))}
            expected = len(touched(ones) & touched(twos))
            n1, n2 = len(touched(ones)), len(touched(twos))
        assert table.counts[x][y] == expected == table.counts[y][x], (a, b)
        capped = min(expected, n1, n2)
        c = capped / (n1 + n2 - capped) if n1 + n2 - capped else 0.0
        assert table.c[x][y] == pytest.approx(c)
        assert 0.0 <= table.c[x][y] <= 1.0


def test_c_coefficient_of_atlas_ti():
    assert c_coefficient(2, 4, 4) == pytest.approx(2 / 6)
    assert c_coefficient(3, 3, 3) == 1.0
    assert c_coefficient(0, 0, 0) == 0.0
    # one coding of the first overlapping all three of the second: n12 capped at 1
    assert c_coefficient(3, 1, 3) == pytest.approx(1 / 3)


@settings(max_examples=100, deadline=None)
@given(codings_st, codings_st, st.booleans(), st.sampled_from(["codings", "documents"]),
       st.sets(st.integers(1, 4)))
def test_live_matrix_after_replacing_documents_equals_a_fresh_count(before, after, rollup,
                                                                     count, touched):
    from kzcoder.core.analysis.matrix import LiveMatrix

    column_of = {1: 0, 2: 1, 3: 1, 4: 0}

    def pairs(rows):
        return Counter((d, c) for d, c, _s, _e in rows)

    live = LiveMatrix(((d, c, n) for (d, c), n in pairs(before).items()), CODES, ["x", "y"],
                      column_of, count=count, rollup=rollup)
    # the touched documents now hold what *after* says; the others keep *before*
    now = [r for r in before if r[0] not in touched] + [r for r in after if r[0] in touched]
    for document_id in touched:
        live.replace(document_id, {c: n for (d, c), n in pairs(now).items()
                                   if d == document_id})
    fresh = code_matrix(iter(sorted(now)), CODES, ["x", "y"], column_of, count=count,
                        rollup=rollup)
    assert live.matrix() == fresh


def test_charts_from_tables_keep_labels_values_and_colours():
    from kzcoder.core.analysis.charts import (
        APART,
        bars_of_counts,
        cooccurrence_heat_map,
        frequency_chart,
        heat_color,
        matrix_heat_map,
    )

    matrix = code_matrix(iter([(1, 3, 0, 5), (2, 6, 0, 9)]), CODES, ["2005", "2022"],
                         {1: 0, 2: 1}, rollup=True)
    bars = frequency_chart(matrix, CODES)
    assert bars.categories == ("2005", "2022")
    assert [s.name for s in bars.series][:3] == ["A", "A / A1", "A / A1 / A1a"]
    assert [s.color for s in bars.series] == [c.color for c in CODES]
    assert bars.series[0].values == (1, 0) and bars.series[5].values == (0, 1)
    heat = matrix_heat_map(matrix)
    assert heat.rows[2] == "A / A1 / A1a" and heat.values == tuple(r.counts for r in matrix.rows)
    table = cooccurrence([(1, [(1, 1, 0, 10), (2, 4, 5, 15)])], [1, 4])
    co = cooccurrence_heat_map(CODES[:1] + CODES[3:4], table)
    assert co.diagonal_apart and co.highest == 1  # the diagonal (1 and 1) is left out
    assert heat_color(0, 5) == "#FFFFFF" and heat_color(5, 5) == "#0072B2" and APART
    words = bars_of_counts([("force", 9), ("protest", 4)], "Words")
    assert words.categories == ("force", "protest") and words.series[0].values == (9, 4)
