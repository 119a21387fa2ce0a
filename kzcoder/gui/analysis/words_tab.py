"""Analysis ▸ Word frequencies: the search's word-frequency view (table and bars) as a tab of
the analysis area, counting in the documents the active filter keeps."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kzcoder.gui.operations.session import CurrentSession
from kzcoder.gui.search.words_view import WordsView


class WordsTab(QWidget):
    """A tab of the analysis area like the others (``project``, ``documents``, ``refresh``);
    ``sig_word_clicked(word)`` when a word is clicked."""

    sig_segments = Signal(object, str)  # what every analysis tab has; words list no segments
    sig_error = Signal(str)
    sig_word_clicked = Signal(str)
    title = "Word frequencies"

    def __init__(self, current: CurrentSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wordsTab")
        self.project = None
        self.documents: set[int] | None = None
        self.view = WordsView(current, self)
        self.view.sig_word_clicked.connect(self.sig_word_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def refresh(self) -> None:
        """Count again, in the filter's documents."""
        self.view.documents = None if self.documents is None else frozenset(self.documents)
        self.view.fill_codes()
        self.view.count()

    def update_documents(self, _documents: set[int]) -> None:
        """A coding changes no word count, unless the count is inside a code's segments."""
        if self.view.code.currentData() is not None:
            self.refresh()
