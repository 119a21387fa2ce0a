"""Drag-and-drop payloads between docks and panes."""

from __future__ import annotations

from PySide6.QtCore import QMimeData

CODE_MIME = "application/x-kzcoder-code-id"
DOCUMENT_MIME = "application/x-kzcoder-document-id"


def make_mime(kind: str, item_id: int) -> QMimeData:
    mime = QMimeData()
    mime.setData(kind, str(item_id).encode("ascii"))
    return mime


def read_mime(mime: QMimeData, kind: str) -> int | None:
    if not mime.hasFormat(kind):
        return None
    raw = bytes(mime.data(kind).data()).decode("ascii", "replace")
    return int(raw) if raw.isdigit() else None
