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
