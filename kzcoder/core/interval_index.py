"""An index of half-open intervals ``[start, end)`` for fast overlap queries.

Codings of a document are intervals of code points. The editor asks, for every paragraph it
paints, which codings touch that paragraph; the index answers without scanning all codings.

The index is a hierarchy of fixed-size bins (the "binning scheme" of genome browsers). Level 0
cuts the text into bins of 2,048 code points, and every level above has bins eight times larger.
Each interval is stored once, in the smallest bin that contains it whole, so a span over the
whole text costs one entry, not one per bin. A query walks, on each level, only the bins its
range touches and checks the few intervals in them. Short intervals over a long text, the usual
case, almost all sit on level 0, so a query for one paragraph looks at a handful of entries.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator

#: log2 of the level-0 bin size (2,048 code points).
_BASE_SHIFT = 11
#: log2 of how many times larger each level's bins are than the level below.
_LEVEL_SHIFT = 3


class IntervalIndex:
    """Half-open intervals ``[start, end)`` with a hashable key each (for example a coding id).

    Keys are unique: adding a key that is present raises ValueError. Queries return keys sorted
    by ``(start, end, key)``, so keys that share a span must be comparable (ints are).
    """

    __slots__ = ("_levels", "_spans")

    def __init__(self) -> None:
        # key -> (start, end, level, bin)
        self._spans: dict[Hashable, tuple[int, int, int, int]] = {}
        # one dict per level: bin number -> {key: (start, end)}
        self._levels: list[dict[int, dict[Hashable, tuple[int, int]]]] = []

    @classmethod
    def from_items(cls, items: Iterable[tuple[int, int, Hashable]]) -> IntervalIndex:
        """Build an index from ``(start, end, key)`` triples in one pass (same rules as add)."""
        index = cls()
        spans, levels = index._spans, index._levels
        for start, end, key in items:  # add() inlined: this runs once per coding on opening
            if start < 0 or end <= start:
                raise ValueError(f"interval [{start}, {end}) is empty or negative")
            if key in spans:
                raise ValueError(f"key {key!r} is already in the index")
            shift, level, last = _BASE_SHIFT, 0, end - 1
            while (start >> shift) != (last >> shift):
                shift += _LEVEL_SHIFT
                level += 1
            while len(levels) <= level:
                levels.append({})
            number = start >> shift
            bins = levels[level]
            bucket = bins.get(number)
            if bucket is None:
                bucket = bins[number] = {}
            bucket[key] = (start, end)
            spans[key] = (start, end, level, number)
        return index

    def __len__(self) -> int:
        return len(self._spans)

    def __contains__(self, key: object) -> bool:
        return key in self._spans

    def __iter__(self) -> Iterator[Hashable]:
        """The keys, in no particular order."""
        return iter(self._spans)

    def clear(self) -> None:
        """Remove every interval."""
        self._spans.clear()
        self._levels.clear()

    def span(self, key: Hashable) -> tuple[int, int]:
        """The ``(start, end)`` stored under *key*; KeyError if absent."""
        start, end, _level, _bin = self._spans[key]
        return start, end

    def add(self, start: int, end: int, key: Hashable) -> None:
        """Store ``[start, end)`` under *key*.

        ValueError when ``start < 0``, ``end <= start`` or *key* is already present.
        """
        if start < 0 or end <= start:
            raise ValueError(f"interval [{start}, {end}) is empty or negative")
        if key in self._spans:
            raise ValueError(f"key {key!r} is already in the index")
        shift = _BASE_SHIFT
        level = 0
        last = end - 1
        while (start >> shift) != (last >> shift):
            shift += _LEVEL_SHIFT
            level += 1
        levels = self._levels
        while len(levels) <= level:
            levels.append({})
        number = start >> shift
        bucket = levels[level].get(number)
        if bucket is None:
            bucket = levels[level][number] = {}
        bucket[key] = (start, end)
        self._spans[key] = (start, end, level, number)

    def remove(self, key: Hashable) -> tuple[int, int]:
        """Remove *key* and return its ``(start, end)``; KeyError if absent."""
        start, end, level, number = self._spans.pop(key)
        bins = self._levels[level]
        bucket = bins[number]
        del bucket[key]
        if not bucket:
            del bins[number]
        return start, end

    def overlapping(self, start: int, end: int) -> list[Hashable]:
        """Keys whose interval shares at least one code point with ``[start, end)``.

        Adjacent intervals do not overlap: ``[0, 5)`` and ``[5, 9)`` share nothing.
        An empty query range finds nothing.
        """
        return [key for _s, _e, key in self.overlapping_items(start, end)]

    def overlapping_items(self, start: int, end: int) -> list[tuple[int, int, Hashable]]:
        """Like :meth:`overlapping`, as sorted ``(start, end, key)`` triples."""
        if end <= start:
            return []
        start = max(start, 0)
        found: list[tuple[int, int, Hashable]] = []
        last = end - 1
        shift = _BASE_SHIFT
        for bins in self._levels:
            if bins:
                first_bin = start >> shift
                last_bin = last >> shift
                if last_bin - first_bin + 1 <= len(bins):
                    buckets = (bins.get(n) for n in range(first_bin, last_bin + 1))
                else:
                    buckets = (b for n, b in bins.items() if first_bin <= n <= last_bin)
                for bucket in buckets:
                    if bucket:
                        for key, (s, e) in bucket.items():
                            if s < end and start < e:
                                found.append((s, e, key))
            shift += _LEVEL_SHIFT
        try:
            found.sort()
        except TypeError:  # keys of mixed types sharing a span: fall back to their repr
            found.sort(key=lambda item: (item[0], item[1], repr(item[2])))
        return found

    def at(self, pos: int) -> list[Hashable]:
        """Keys whose interval covers code point *pos*."""
        return self.overlapping(pos, pos + 1)

    def items(self) -> list[tuple[int, int, Hashable]]:
        """Every ``(start, end, key)``, sorted."""
        found = [(s, e, key) for key, (s, e, _level, _bin) in self._spans.items()]
        try:
            found.sort()
        except TypeError:
            found.sort(key=lambda item: (item[0], item[1], repr(item[2])))
        return found
