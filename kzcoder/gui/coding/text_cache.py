"""Recently shown document texts with their position maps, kept for re-opening.

A document's stored text never changes once imported, so switching back to an article need not
read a megabyte from SQLite, decode it and scan it for astral characters again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from kzcoder.gui.text_positions import PositionMap

#: code points kept in all (about 64 MB of ASCII text; texts are shared with the views)
DEFAULT_BUDGET = 64_000_000


class TextCache:
    """Least recently used texts, up to *budget* code points in all."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self._budget = budget
        self._size = 0
        self._items: OrderedDict[int, tuple[str, PositionMap]] = OrderedDict()

    def get(self, document_id: int, read: Callable[[int], str]) -> tuple[str, PositionMap]:
        """The text and position map of *document_id*, read with *read* when not kept."""
        item = self._items.get(document_id)
        if item is not None:
            self._items.move_to_end(document_id)
            return item
        text = read(document_id)
        item = (text, PositionMap(text))
        if len(text) <= self._budget:
            self._items[document_id] = item
            self._size += len(text)
            while self._size > self._budget:
                _old_id, (old, _positions) = self._items.popitem(last=False)
                self._size -= len(old)
        return item

    def clear(self) -> None:
        """Forget every text (another project)."""
        self._items.clear()
        self._size = 0
