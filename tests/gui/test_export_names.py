"""Export dialogs open where the last export went and name a filtered export after its
filter."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox

from kzcoder.gui.shell.export_actions import safe_file_stem
from tests.gui.conftest import open_window


def test_export_dialogs_remember_the_folder_and_name_the_filter(qtbot, sample_path, tmp_path,
                                                                monkeypatch):
    asked: list[str] = []
    out = tmp_path / "exports"
    out.mkdir()

    def save(_parent, _title, suggested, _filter, *_args, **_kwargs):
        asked.append(suggested)
        return "", ""  # cancelled: only the suggestion matters here

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    window = open_window(qtbot, sample_path)
    window.actions_named("actionExport_csv").trigger()
    assert asked[-1] == str(sample_path.parent / "sample.csv")  # first time: the project's

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: asked.append(_a[2]) or (str(out / "mine.csv"), ""))
    window.actions_named("actionExport_csv").trigger()
    window.session.wait_for_background()
    qtbot.waitUntil(lambda: (out / "mine.csv").exists())
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "exportWritten") is not None)
    box = window.findChild(QMessageBox, "exportWritten")
    box.close()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    window.actions_named("actionExport_xlsx").trigger()
    assert asked[-1] == str(out / "sample.xlsx")  # where the last one went

    dock = window.segments_dock
    dock.show_code(2)
    dock.filter.setText("police")
    window.actions_named("actionExportShown").trigger()
    assert asked[-1] == str(out / "sample - Dissent, with police.csv")
    window.actions_named("actionExportCodebook").trigger()  # the codebook's export too
    assert asked[-1] == str(out / "sample.qdc")
    window.close()
    again = open_window(qtbot, sample_path)  # remembered across sessions
    again.actions_named("actionExport_json").trigger()
    assert asked[-1] == str(out / "sample.json")
    again.close()


def test_file_names_are_safe_everywhere():
    assert safe_file_stem('a/b\\c: "d" <e>|f?*') == "a_b_c_ _d_ _e__f__"
    assert safe_file_stem("x\ny\t z") == "x y z"
    assert safe_file_stem("...") == "segments"
    assert len(safe_file_stem("w" * 300)) == 100
