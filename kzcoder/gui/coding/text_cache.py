"""Recently shown document texts with their position maps, kept for re-opening.

A document's stored text never changes once imported, so switching back to an article need not
read a megabyte from SQLite, decode it and scan it for astral characters again.
"""

from __future__ import annotations

from collections.abc import Callable

from kzcoder.core.lru import SizedLRU
from kzcoder.gui.text_positions import PositionMap

#: code points kept in all (texts are shared with the views, not copied)
DEFAULT_BUDGET = 64_000_000


class TextCache:
    """Least recently used texts and their position maps, up to *budget* code points."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self._items: SizedLRU[tuple[str, PositionMap]] = SizedLRU(budget)

    def get(self, document_id: int, read: Callable[[int], str]) -> tuple[str, PositionMap]:
        """The text and position map of *document_id*, read with *read* when not kept."""
        item = self._items.get(document_id)
        if item is None:
            text = read(document_id)
            item = (text, PositionMap(text))
            self._items.put(document_id, item, len(text))
        return item

    def clear(self) -> None:
        """Forget every text (another project)."""
        self._items.clear()
