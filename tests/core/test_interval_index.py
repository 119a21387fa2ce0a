"""The interval index agrees with a brute-force scan and stays fast on big documents."""

from __future__ import annotations

import random
import time

import pytest

from kzcoder.core.interval_index import IntervalIndex


def brute(items: dict[int, tuple[int, int]], start: int, end: int) -> list[int]:
    hits = [(s, e, k) for k, (s, e) in items.items() if s < end and start < e]
    return [k for _s, _e, k in sorted(hits)]


def test_overlap_nested_and_adjacent():
    index = IntervalIndex.from_items([(0, 5, 1), (5, 9, 2), (2, 7, 3), (3, 4, 4), (0, 100, 5)])
    assert len(index) == 5
    assert index.overlapping(0, 5) == [1, 5, 3, 4]
    assert index.overlapping(5, 6) == [5, 3, 2]
    assert index.at(4) == [1, 5, 3]
    assert index.at(5) == [5, 3, 2]  # [0, 5) ends before 5: adjacent spans do not overlap
    assert index.overlapping(9, 20) == [5]
    assert index.overlapping(100, 200) == []
    assert index.overlapping(3, 3) == []  # an empty query range finds nothing
    assert index.overlapping_items(3, 4) == [(0, 5, 1), (0, 100, 5), (2, 7, 3), (3, 4, 4)]


def test_order_is_start_end_key():
    index = IntervalIndex()
    index.add(10, 20, 9)
    index.add(10, 20, 3)
    index.add(10, 15, 7)
    index.add(0, 30, 8)
    assert index.overlapping(0, 30) == [8, 7, 3, 9]
    assert index.items() == [(0, 30, 8), (10, 15, 7), (10, 20, 3), (10, 20, 9)]


def test_remove_returns_span_and_forgets_it():
    index = IntervalIndex.from_items([(0, 5, "a"), (3, 8, "b"), (0, 5000, "c")])
    assert index.remove("b") == (3, 8)
    assert "b" not in index
    assert index.at(4) == ["a", "c"]
    assert index.remove("c") == (0, 5000)
    assert index.overlapping(0, 10_000) == ["a"]
    with pytest.raises(KeyError):
        index.remove("b")
    index.add(3, 8, "b")  # the key can come back
    assert index.span("b") == (3, 8)
    index.clear()
    assert len(index) == 0
    assert index.overlapping(0, 10_000) == []


def test_rejects_empty_spans_and_duplicate_keys():
    index = IntervalIndex()
    with pytest.raises(ValueError):
        index.add(5, 5, 1)
    with pytest.raises(ValueError):
        index.add(-1, 5, 1)
    index.add(0, 1, 1)
    with pytest.raises(ValueError):
        index.add(2, 3, 1)


def test_spans_across_bin_boundaries():
    index = IntervalIndex()
    index.add(2040, 2056, 1)  # crosses the first 2,048 boundary
    index.add(16_380, 16_390, 2)  # crosses a level-1 boundary
    index.add(2048, 2049, 3)
    assert index.at(2047) == [1]
    assert index.at(2048) == [1, 3]
    assert index.at(2056) == []
    assert index.overlapping(16_389, 16_400) == [2]
    assert index.overlapping(16_390, 16_400) == []


def test_randomised_against_brute_force():
    rng = random.Random(20240611)
    length = 200_000
    items: dict[int, tuple[int, int]] = {}
    index = IntervalIndex()
    for key in range(3000):
        start = rng.randrange(length)
        roll = rng.random()
        if roll < 0.01:
            start, end = rng.randrange(50), length - rng.randrange(50)
        elif roll < 0.1:
            end = min(length, start + rng.randrange(1, 40_000))
        else:
            end = min(length, start + rng.randrange(1, 600))
        if end <= start:
            continue
        items[key] = (start, end)
        index.add(start, end, key)
    for key in rng.sample(sorted(items), 800):
        assert index.remove(key) == items.pop(key)
    assert len(index) == len(items)
    for _ in range(1500):
        start = rng.randrange(length)
        end = start + rng.choice([1, 2, 50, 700, 5000, 90_000])
        assert index.overlapping(start, end) == brute(items, start, end)
        assert index.at(start) == brute(items, start, start + 1)
    assert index.overlapping(0, length) == brute(items, 0, length)


def test_fast_on_a_million_characters():
    rng = random.Random(7)
    length = 1_000_000
    triples = []
    for key in range(10_000):
        start = rng.randrange(length - 1000)
        triples.append((start, start + rng.randrange(1, 1000), key))
    triples += [(0, length, 10_000 + i) for i in range(5)]  # spans over the whole text
    began = time.perf_counter()
    index = IntervalIndex.from_items(triples)
    built = time.perf_counter() - began
    began = time.perf_counter()
    for paragraph in range(10_000):  # one query per 100-character paragraph
        hits = index.overlapping(paragraph * 100, paragraph * 100 + 100)
        assert len(hits) >= 5
    queried = time.perf_counter() - began
    assert built < 1.0, built
    assert queried < 2.0, queried
    assert len(index.overlapping(0, length)) == len(triples)
