"""The code tree as analysis needs it: each code's path of names and the codes a coding counts
for when sub-codes roll up into their parents."""

from __future__ import annotations

from collections.abc import Sequence

from kzcoder.core.records import CodeInfo


def code_paths(codes: Sequence[CodeInfo]) -> dict[int, tuple[str, ...]]:
    """Code id -> the names from its top-level ancestor down to itself."""
    by_id = {c.id: c for c in codes}
    paths: dict[int, tuple[str, ...]] = {}

    def path(code_id: int) -> tuple[str, ...]:
        if code_id not in paths:
            code = by_id[code_id]
            parent = code.parent_id
            paths[code_id] = (path(parent) if parent in by_id else ()) + (code.name,)
        return paths[code_id]

    for code in codes:
        path(code.id)
    return paths


def counted_for(codes: Sequence[CodeInfo], rollup: bool) -> dict[int, tuple[int, ...]]:
    """Code id -> the codes (rows) a coding of it counts for: itself, and with *rollup* also
    every ancestor, nearest first."""
    by_id = {c.id: c for c in codes}
    found: dict[int, tuple[int, ...]] = {}
    for code in codes:
        chain = [code.id]
        parent = code.parent_id
        while rollup and parent in by_id and parent not in chain:
            chain.append(parent)
            parent = by_id[parent].parent_id
        found[code.id] = tuple(chain)
    return found
