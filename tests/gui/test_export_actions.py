"""File ▸ Export ▸ … and File ▸ Import a REFI-QDA project… through the window's menus: the
work runs in the background, the message names the written file, the segments dock's filtered
view exports only what it shows, and an imported project opens."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from kzcoder.services import codings
from kzcoder.services.documents import document_text


def trigger(window, name: str) -> None:
    action = window.findChild(QAction, name)
    assert action is not None, name
    action.trigger()


def boxes(monkeypatch) -> list[QMessageBox]:
    opened: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: opened.append(box))
    return opened


def code_some(window) -> None:
    project = window.session.project
    codings.add_coding(project, 1, "Force", 0, 20, coder="ana")
    codings.add_coding(project, 2, "Dissent", 5, 40, coder="bo", memo="=1+1 looks odd")
    codings.add_coding(project, 3, "Force", 10, 30, coder="ana")
    window.session.announce(__import__("kzcoder.core.changes", fromlist=["Changes"])
                            .Changes.everything())


def test_the_export_menu_lists_every_format(window):
    menu = window.findChild(QMenu, "menuExport")
    names = [a.objectName() for a in menu.actions() if not a.isSeparator()]
    assert names == ["actionExport_csv", "actionExport_xlsx", "actionExport_json",
                     "actionExportShown", "actionExport_qdpx", "actionExport_html",
                     "actionExport_pseudonymised"]
    assert window.findChild(QAction, "actionImportRefi") is not None


def test_csv_from_the_menu_is_written_in_the_background_and_named(qtbot, window, tmp_path,
                                                                   monkeypatch):
    code_some(window)
    target = tmp_path / "segments"  # the suffix is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    opened = boxes(monkeypatch)
    trigger(window, "actionExport_csv")
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    written = tmp_path / "segments.csv"
    assert opened[0].objectName() == "exportWritten"
    assert opened[0].text() == f"Wrote {written} (3 codings as CSV)."
    assert [b.text() for b in opened[0].buttons()].count("Show in folder") == 1
    rows = list(csv.DictReader(io.StringIO(written.read_text(encoding="utf-8-sig"))))
    project = window.session.project
    for row in rows:
        document = [d for d in window.session.documents.values() if d.name == row["document"]]
        text = document_text(project, document[0].id)
        assert row["text"] == text[int(row["start"]):int(row["end"])]
    assert [r["memo"] for r in rows if r["memo"]] == ["'=1+1 looks odd"]


def test_the_filtered_view_of_the_segments_dock_exports_only_what_it_shows(
        qtbot, window, tmp_path, monkeypatch):
    code_some(window)
    dock = window.segments_dock
    dock.show_code(None)
    dock.filter.setText("Dissent")  # the code's name; no document name or text has it
    shown = dock.shown_coding_ids()
    assert len(shown) == 1
    target = tmp_path / "shown.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    opened = boxes(monkeypatch)
    trigger(window, "actionExportShown")
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [(r["code"], r["coder"]) for r in rows] == [("Dissent", "bo")]


def test_a_refi_project_round_trips_through_the_window(qtbot, window, tmp_path, monkeypatch):
    code_some(window)
    archive = tmp_path / "out.qdpx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(archive), ""))
    opened = boxes(monkeypatch)
    trigger(window, "actionExport_qdpx")
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    assert archive.exists() and "3 coding(s)" in opened[0].text()

    new = tmp_path / "again.kzc"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(archive), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(new), ""))
    trigger(window, "actionImportRefi")
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=20_000)
    assert opened[1].objectName() == "refiImported"
    assert opened[1].text().startswith("imported 5 document(s), 4 code(s), 3 coding(s)")
    assert Path(window.session.project.path) == new
    assert len(window.session.documents) == 5
    assert Path(f"{new}.import-report.txt").exists()


def test_a_segment_export_keeps_to_the_active_document_filter(qtbot, window, tmp_path,
                                                              monkeypatch):
    """With a document filter typed in the analysis area, File ▸ Export ▸ CSV writes only the
    segments of the documents it keeps, under a name that says so."""
    code_some(window)
    project = window.session.project
    from kzcoder.services.segments import list_segments

    everything = list_segments(project)
    kept_document = everything[0].document_id
    name = window.session.documents[kept_document].name
    window.actions_named("actionCodeMatrix").trigger()
    window.analysis_dock.sig_documents_filtered.emit({kept_document})  # as a filter does
    asked = []

    def save_as(*args, **_kwargs):
        asked.append(args[2])
        return str(tmp_path / "filtered.csv"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    opened = boxes(monkeypatch)
    trigger(window, "actionExport_csv")
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    assert asked[0].endswith("filtered documents.csv")
    rows = list(csv.DictReader(io.StringIO(
        (tmp_path / "filtered.csv").read_text(encoding="utf-8-sig"))))
    expected = [s for s in everything if s.document_id == kept_document]
    assert len(rows) == len(expected) < len(everything)
    assert {r["document"] for r in rows} == {name}
