"""Spans of stored text: half-open intervals ``[start, end)`` in Unicode code points.

This is the unit REFI-QDA uses (spec section 10.2) and the length Python's ``str`` reports, so
``text[start:end]`` is always the coded text.
"""

from __future__ import annotations

from dataclasses import dataclass

from kzcoder.core.errors import KzError


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open interval of code points."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share at least one code point."""
        return self.start < other.end and other.start < self.end


def check_span(start: int, end: int, length: int, *, where: str = "the document") -> Span:
    """Return ``Span(start, end)`` or raise KzError unless ``0 <= start < end <= length``."""
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise KzError(f"{name} offset {value!r} is not a whole number")
    if start < 0:
        raise KzError(f"start offset {start} is negative")
    if end <= start:
        raise KzError(f"end offset {end} must be greater than start offset {start}")
    if end > length:
        raise KzError(
            f"end offset {end} is past the end of {where} ({length} characters)"
        )
    return Span(start, end)
