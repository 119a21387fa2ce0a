"""How lists mark an item that has a memo: a ✎ (after a code's name; before a document's title,
as an icon, where eliding a long title cannot hide it), and the memo in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPalette, QPixmap

MEMO_MARK = "✎"
PREVIEW = 300  #: characters of a memo shown in a tooltip
_icons: dict[str, QIcon] = {}  # by the colour it is drawn in


def has_memo(memo: str) -> bool:
    """Whether *memo* says anything (a memo of blanks is none)."""
    return bool(memo.strip())


def marked(text: str, memo: str) -> str:
    """*text* (a name shown in a list) with the memo mark after it when *memo* says
    anything."""
    if not has_memo(memo):
        return text
    return f"{text} {MEMO_MARK}" if text else MEMO_MARK


def memo_icon() -> QIcon:
    """The memo mark as an icon, in the palette's text colour."""
    color = QGuiApplication.palette().color(QPalette.ColorRole.Text)
    icon = _icons.get(color.name())
    if icon is None:
        pixmap = QPixmap(16, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setPen(color)
        font = QGuiApplication.font()
        font.setPixelSize(14)
        painter.setFont(font)
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, MEMO_MARK)
        painter.end()
        icon = _icons[color.name()] = QIcon(pixmap)
    return icon


def memo_tooltip(memo: str) -> str:
    """The lines a tooltip adds for *memo* ("" when it says nothing): the memo, cut at
    ``PREVIEW`` characters."""
    if not has_memo(memo):
        return ""
    memo = memo.strip()
    return f"\n\n{MEMO_MARK} {memo[:PREVIEW].rstrip()}{'…' if len(memo) > PREVIEW else ''}"
