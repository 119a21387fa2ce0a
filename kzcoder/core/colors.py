"""Code colours: ``#RRGGBB``, stored upper-case."""

from __future__ import annotations

import re

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
