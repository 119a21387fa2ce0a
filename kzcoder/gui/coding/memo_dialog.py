"""The memo of a coding (Ctrl+M): it names the coding it belongs to and, where codings
overlap at the cursor, lets the researcher choose which one (the newest first)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.records import CodedSpan

EXCERPT = 80  # characters of the coded text shown


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """*text* on one line, cut at *limit* characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


class CodingMemoDialog(QDialog):
    """*choices*: (coding, its description such as "'Force' by ana") newest first. After OK,
    ``coding`` is the chosen coding and ``text()`` its memo as edited."""

    def __init__(self, parent: QWidget | None, choices: list[tuple[CodedSpan, str]],
                 document_text: str) -> None:
        super().__init__(parent)
        self.setObjectName("codingMemoDialog")
        self.setWindowTitle("Coding memo")
        self._choices = choices
        self._text = document_text
        self._edits: dict[int, str] = {}
        self.which = QComboBox(objectName="codingMemoWhich")
        for _coding, label in choices:
            self.which.addItem(label)
        self.which.setVisible(len(choices) > 1)
        self.about = QLabel(objectName="codingMemoAbout", wordWrap=True)
        self.editor = QPlainTextEdit(objectName="codingMemoEditor")
        self.editor.setTabChangesFocus(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if len(choices) > 1:
            layout.addWidget(QLabel(f"{len(choices)} codings overlap here; the memo of:"))
        layout.addWidget(self.which)
        layout.addWidget(self.about)
        layout.addWidget(self.editor)
        layout.addWidget(buttons)
        self._shown = 0
        self.which.currentIndexChanged.connect(self._show)
        self._show(0)
        self.resize(520, 320)

    @property
    def coding(self) -> CodedSpan:
        return self._choices[self.which.currentIndex()][0]

    def text(self) -> str:
        return self.editor.toPlainText()

    def _show(self, index: int) -> None:
        old = self._choices[self._shown][0]
        if index != self._shown:
            self._edits[old.id] = self.editor.toPlainText()
        self._shown = index
        coding, label = self._choices[index]
        self.about.setText(f"Memo of the coding {label} on “"
                           f"{excerpt(self._text[coding.start:coding.end])}”")
        self.editor.setPlainText(self._edits.get(coding.id, coding.memo))
        self.editor.setFocus()
