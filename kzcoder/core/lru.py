"""A least-recently-used store bounded by the total size of what it keeps."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class SizedLRU(Generic[V]):
    """Values with a size each, the least recently used dropped past *budget* in all.

    A value larger than the whole budget is not kept.
    """

    def __init__(self, budget: int) -> None:
        self._budget = budget
        self._size = 0
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        """The value under *key* (now the most recently used), or None."""
        item = self._items.get(key)
        if item is None:
            return None
        self._items.move_to_end(key)
        return item[0]

    def put(self, key: Hashable, value: V, size: int) -> None:
        """Keep *value* under *key*, dropping the least recently used past the budget."""
        if key in self._items:
            self._size -= self._items.pop(key)[1]
        if size > self._budget:
            return
        self._items[key] = (value, size)
        self._size += size
        while self._size > self._budget:
            _key, (_value, dropped) = self._items.popitem(last=False)
            self._size -= dropped

    def clear(self) -> None:
        """Forget everything."""
        self._items.clear()
        self._size = 0

    def __len__(self) -> int:
        return len(self._items)
