"""Importing many files through File ▸ Import documents…: read off the GUI thread, the progress
dialog names file n of N, Stop ends it midway, and every document that went in is complete."""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QPushButton

from kzcoder.exchange import readers
from kzcoder.services import originals
from kzcoder.services.documents import document_text, list_documents


def make_files(folder: Path, count: int) -> dict[str, tuple[Path, str]]:
    """*count* files, every other one a web page; name -> (file, the text it must store)."""
    folder.mkdir()
    made = {}
    for i in range(count):
        body = f"Witness {i} said the police arrived at dawn. Шеруге {i} адам қатысты."
        if i % 2:
            path = folder / f"page{i:03}.html"
            path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Page {i}"
                            f"</title></head><body><nav><a href='/'>Home</a></nav><article><p>"
                            f"{body}</p><p>{body} Again.</p></article></body></html>",
                            encoding="utf-8")
        else:
            path = folder / f"note{i:03}.txt"
            path.write_text(body + "\n", encoding="utf-8")
        made[path.stem] = (path, body)
    return made


def test_a_200_file_import_from_the_dialog_can_be_stopped_and_keeps_whole_files(
        qtbot, window, tmp_path, monkeypatch):
    made = make_files(tmp_path / "many", 200)
    chosen = [str(path) for path, _ in made.values()]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args, **kw: (chosen, ""))
    real = readers.read_with

    def slow(reader, path):  # noqa: ANN001, ANN202 - a slow disk: the import takes seconds
        time.sleep(0.02)
        return real(reader, path)

    monkeypatch.setattr(readers, "read_with", slow)
    summaries = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: summaries.append(box.text()))
    ticks = [0]
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    timer.start(10)
    window.findChild(type(window.menuBar().actions()[0]), "actionImportDocuments").trigger()
    ticks_at_start = ticks[0]

    def dialog() -> QProgressDialog | None:
        found = window.findChildren(QProgressDialog, "progressDialog")
        return found[0] if found and found[0].isVisible() else None

    qtbot.waitUntil(lambda: dialog() is not None and dialog().value() >= 20, timeout=20_000)
    label = dialog().labelText()
    match = re.fullmatch(r"Importing file (\d+) of 200: (\w+)\.(txt|html)", label)
    assert match, label
    assert ticks[0] - ticks_at_start >= 10  # the window kept handling events meanwhile
    [stop] = dialog().findChildren(QPushButton)
    stop.click()
    qtbot.waitUntil(lambda: bool(summaries), timeout=20_000)
    timer.stop()

    project = window.session.project
    imported = [d for d in list_documents(project) if d.name in made]
    assert 20 <= len(imported) < 200
    assert summaries == [f"imported {len(imported)} document(s), skipped 0 already in the "
                         "project, refused 0"]
    # the files went in in order, each one whole, with its original
    assert [d.name for d in imported] == list(made)[:len(imported)]
    for info in imported:
        path, body = made[info.name]
        text = document_text(project, info.id)
        assert body in text
        if path.suffix == ".txt":
            assert text == body + "\n"
        else:
            assert text == f"{body}\n\n{body} Again." and "Home" not in text
        kept = originals.original_info(project, info.id)
        assert kept.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert window.documents_dock.model.rowCount() == 5 + len(imported)
