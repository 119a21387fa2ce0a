"""Starting the application as `kzcoder` does: default project, coder prompt, remembered state."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kzcoder.gui.shell import app as app_module
from kzcoder.gui.shell import file_actions
from kzcoder.gui.shell.main_window import MainWindow
from kzcoder.gui.shell.settings import Settings
from kzcoder.paths import default_project_path
from tests.gui.conftest import import_and_wait


def _run_and_capture(monkeypatch, project=None, on_shown=None, timeout_s: float = 30) -> dict:
    """Run run_gui until the project is open and its articles shown (polled, so a slow
    machine only waits longer), record what the window shows, then close it."""
    seen: dict = {}
    started = time.monotonic()

    def ready(window) -> bool:  # noqa: ANN001
        return (window.session is not None and bool(window.workspace.panes())
                and all(p.view.document_id is not None for p in window.workspace.panes()))

    def poll() -> None:
        window = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, MainWindow) and w.isVisible()), None)
        if window is None or not ready(window):
            if time.monotonic() - started > timeout_s:
                seen["timed_out"] = True
                if window is not None:
                    window.close()
                QApplication.instance().quit()
                return
            QTimer.singleShot(20, poll)
            return
        seen["title"] = window.windowTitle()
        seen["panes"] = [p.view.document_id for p in window.workspace.panes()]
        seen["coder"] = window.status.coder.text()
        if on_shown:
            on_shown(window)
        window.close()

    QTimer.singleShot(20, poll)
    seen["exit"] = app_module.run_gui(project)
    assert "timed_out" not in seen, "the project never finished opening"
    return seen


def test_first_start_creates_default_project_and_asks_the_coder(qapp, monkeypatch):
    asked = []
    monkeypatch.setattr(file_actions, "ask_coder_name",
                        lambda parent, current="": asked.append(current) or "Aigerim")
    seen = _run_and_capture(monkeypatch)
    assert seen["exit"] == 0
    assert asked == [""]
    assert default_project_path().exists()
    assert "default.kzc" in seen["title"]
    assert seen["panes"] == [1, 2]
    assert seen["coder"] == "Coder: Aigerim"
    settings = Settings()
    assert settings.coder() == "Aigerim"
    assert settings.last_project() == default_project_path()


def test_second_start_remembers_coder_layout_and_open_articles(qapp, monkeypatch):
    monkeypatch.setattr(file_actions, "ask_coder_name", lambda parent, current="": "Daniel")
    _run_and_capture(monkeypatch, on_shown=lambda w: (
        w.workspace.add_pane(), w.workspace.open_document(w.workspace.panes()[2], 5),
        w.resize(700, 560)))
    monkeypatch.setattr(file_actions, "ask_coder_name",
                        lambda *a: (_ for _ in ()).throw(AssertionError("asked twice")))
    sizes = []
    seen = _run_and_capture(monkeypatch, on_shown=lambda w: sizes.append(w.size().toTuple()))
    assert seen["panes"] == [1, 2, 5]
    assert seen["coder"] == "Coder: Daniel"
    assert sizes == [(700, 560)]


def test_many_files_import_with_progress(qtbot, window, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(30):
        (folder / f"report{i:02}.txt").write_text(f"report number {i}", encoding="utf-8")
    report = import_and_wait(qtbot, window, [folder])
    assert len(report.imported) == 30
    assert window.documents_dock.model.rowCount() == 35
