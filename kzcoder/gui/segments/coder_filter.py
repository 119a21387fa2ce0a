"""A drop-down choosing whose codings to show: all coders, only mine, or one coder. Used in
each document pane's header and in the segments dock."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

ALL = ""  # item data of "All coders"
MINE = "\x00mine"  # item data of "Only mine": follows the current coder's name


class CoderFilterBox(QComboBox):
    """``selected()`` is the coder whose codings to show, or None for everyone.
    ``sig_filter_changed`` fires when the user picks another item (not when the list of coders
    is refreshed and the choice survives)."""

    sig_filter_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.setToolTip("Show the codings of all coders, only yours, or one coder's")
        self.setAccessibleName("Coder filter")
        self._me = ""
        self.set_coders([], "")
        self.activated.connect(lambda _index: self.sig_filter_changed.emit())

    def set_coders(self, names: list[str], me: str) -> None:
        """Offer *names* (and *me*, the current coder), keeping the current choice if it is
        still offered."""
        chosen = self.currentData() if self.count() else ALL
        self._me = me
        self.blockSignals(True)
        self.clear()
        self.addItem("All coders", ALL)
        self.addItem(f"Only mine ({me})" if me else "Only mine", MINE)
        for name in names:
            self.addItem(name, name)
        index = self.findData(chosen)
        self.setCurrentIndex(index if index >= 0 else 0)
        self.blockSignals(False)

    def choose(self, coder: str | None, *, mine: bool = False) -> None:
        """Select *coder* (None: all coders; *mine*: only the current coder) as if picked."""
        data = MINE if mine else (ALL if coder is None else coder)
        index = self.findData(data)
        if index < 0:  # a coder with no coding yet
            self.addItem(coder or "", data)
            index = self.count() - 1
        if index != self.currentIndex():
            self.setCurrentIndex(index)
            self.sig_filter_changed.emit()

    def selected(self) -> str | None:
        """The coder whose codings to show, or None for all coders."""
        data = self.currentData()
        if data == MINE:
            return self._me
        return data or None
