"""What a chart shows, as plain data, whatever draws it: grouped bars of labelled counts, or a
heat map of a table. The analysis tables become charts here; word frequencies (or any other
labelled counts) become bars through ``bars_of_counts``.

Colours: a bar series takes its code's colour when it has one, else the next colour of
``core.colors.PALETTE`` (Okabe-Ito first); a heat map runs from white to one blue, a
single-hue scale that readers with any colour-vision deficiency read in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kzcoder.core.analysis.cooccurrence import Cooccurrence
from kzcoder.core.analysis.matrix import Matrix
from kzcoder.core.colors import PALETTE
from kzcoder.core.export_records import join_code_path
from kzcoder.core.records import CodeInfo

#: the heat map's darkest colour (Okabe-Ito blue): zero is white
HEAT = "#0072B2"
KINDS = ("matrix", "cooccurrence", "frequency", "words")


@dataclass(frozen=True, slots=True)
class BarSeries:
    """One series of bars: its name, colour and one value per category."""

    name: str
    color: str
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class BarChart:
    """Grouped bars: one group per category, one bar per series in each."""

    title: str
    categories: tuple[str, ...]
    series: tuple[BarSeries, ...]
    value_label: str = ""


@dataclass(frozen=True, slots=True)
class HeatMap:
    """A table drawn as shaded cells, each with its number."""

    title: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]
    #: the diagonal is apart (a code with itself): shown grey, left out of the scale
    diagonal_apart: bool = False

    @property
    def highest(self) -> float:
        if self.diagonal_apart:
            return max((v for i, row in enumerate(self.values) for j, v in enumerate(row)
                        if i != j), default=0)
        return max(map(max, filter(None, self.values)), default=0)


Chart = BarChart | HeatMap


#: the colour of cells outside the scale (a code with itself in a co-occurrence table)
APART = "#E6E6E6"


def heat_color(value: float, highest: float) -> str:
    """``#RRGGBB`` for *value* on the scale from white (0) to ``HEAT`` (*highest*)."""
    share = 0.0 if highest <= 0 else max(0.0, min(1.0, value / highest))
    target = (int(HEAT[1:3], 16), int(HEAT[3:5], 16), int(HEAT[5:7], 16))
    mixed = (round(255 + (t - 255) * share) for t in target)
    return "#" + "".join(f"{c:02X}" for c in mixed)


def frequency_chart(matrix: Matrix, codes: Sequence[CodeInfo], title: str = "") -> BarChart:
    """The matrix as grouped bars: one group per column, one bar per code, in its colour."""
    colors = {c.id: c.color for c in codes}
    series = tuple(BarSeries(join_code_path(row.path), colors.get(row.code_id)
                             or PALETTE[i % len(PALETTE)], tuple(row.counts))
                   for i, row in enumerate(matrix.rows))
    return BarChart(title or f"Code frequency ({matrix.count})", matrix.columns, series,
                    matrix.count)


def matrix_heat_map(matrix: Matrix, title: str = "") -> HeatMap:
    """The matrix as a heat map (rows: codes by path, columns: the matrix's columns)."""
    return HeatMap(title or f"Code matrix ({matrix.count})",
                   tuple(join_code_path(r.path) for r in matrix.rows), matrix.columns,
                   tuple(tuple(r.counts) for r in matrix.rows))


def cooccurrence_heat_map(codes: Sequence[CodeInfo], table: Cooccurrence,
                          title: str = "") -> HeatMap:
    """The co-occurrence counts as a heat map, code by code."""
    names = tuple(c.name for c in codes)
    return HeatMap(title or f"Code co-occurrence ({table.mode})", names, names,
                   tuple(tuple(row) for row in table.counts), diagonal_apart=True)


def bars_of_counts(counts: Sequence[tuple[str, int]], title: str,
                   value_label: str = "count") -> BarChart:
    """Labelled counts (word frequencies, for one) as one series of bars, in the order
    given."""
    return BarChart(title, tuple(label for label, _n in counts),
                    (BarSeries(value_label, PALETTE[0], tuple(n for _l, n in counts)),),
                    value_label)
