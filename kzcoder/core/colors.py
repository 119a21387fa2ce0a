"""Code colours: ``#RRGGBB``, stored upper-case; a new sub-code's colour differs clearly from
its parent's and its siblings' (CIE 1976 colour difference, ΔE*ab, at least ``NEAR_DELTA_E``)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kzcoder.core.errors import KzError

_HEX = re.compile(r"#?([0-9A-Fa-f]{6})")


def parse_color(value: str) -> str:
    """Normalise a colour to ``#RRGGBB``; KzError naming the value if it is not one."""
    match = _HEX.fullmatch(value.strip())
    if not match:
        raise KzError(f"colour '{value}' is not of the form #RRGGBB")
    return "#" + match.group(1).upper()


#: Okabe-Ito first (distinct for colour-blind readers), then more, for codes given no colour
PALETTE = ("#0072B2", "#E69F00", "#CC79A7", "#009E73", "#56B4E9", "#D55E00", "#F0E442",
           "#000000", "#882255", "#44AA99", "#999933", "#AA4499", "#332288", "#88CCEE",
           "#117733", "#DDCC77", "#661100", "#6699CC", "#888888", "#AA4466")


def distinct_colors(used: set[str]):  # noqa: ANN201 - Iterator[str]
    """Colours for new codes: the palette's unused ones first, then the palette again."""
    used = {c.upper() for c in used}
    yield from (c for c in PALETTE if c not in used)
    while True:
        yield from PALETTE


#: a new code's colour is at least this far (CIE76 ΔE*ab) from its parent's and siblings':
#: about 2.3 is a just noticeable difference; 30 is plainly another colour in a highlight
NEAR_DELTA_E = 30.0


def color_for_new_code(used: set[str], near: Iterable[str] = ()) -> str:
    """The colour of a new code: the first palette colour unused in the project and at least
    ``NEAR_DELTA_E`` from every colour of *near* (its parent's and siblings'); failing that,
    of the unused (else all) palette colours the farthest from the nearest of *near*."""
    used = {c.upper() for c in used}
    near_lab = [_lab(c) for c in near]
    unused = [c for c in PALETTE if c not in used] or list(PALETTE)

    def gap(color: str) -> float:
        lab = _lab(color)
        return min((_delta_e(lab, other) for other in near_lab), default=float("inf"))

    for color in unused:
        if gap(color) >= NEAR_DELTA_E:
            return color
    return max(unused, key=gap)


def _lab(color: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB ``#RRGGBB``."""
    rgb = [int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    xyz = (0.4124 * r + 0.3576 * g + 0.1805 * b, 0.2126 * r + 0.7152 * g + 0.0722 * b,
           0.0193 * r + 0.1192 * g + 0.9505 * b)
    f = [t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116
         for t in (xyz[0] / 0.95047, xyz[1], xyz[2] / 1.08883)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _delta_e(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5
