"""Fixtures that open the real main window offscreen on a copy of the sample project."""

from __future__ import annotations

import shutil

import pytest

from kzcoder.gui.operations.session import open_session
from kzcoder.gui.shell.main_window import MainWindow
from kzcoder.gui.shell.settings import Settings


@pytest.fixture(autouse=True)
def _no_unexpected_message_boxes(monkeypatch):
    """A message box nobody expected would wait for a click forever: fail at once instead,
    with its text. Tests that expect one patch it themselves."""
    from PySide6.QtWidgets import QMessageBox

    def unexpected(*args, **_kwargs):
        texts = [a for a in args if isinstance(a, str)]
        raise AssertionError(f"unexpected message box: {texts}")

    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, unexpected)


def open_window(qtbot, path, coder: str = "tester", *,
                snap_words: bool | None = False) -> MainWindow:
    """The main window on *path*. Most tests code exact code-point spans that cut words, so
    snapping selections to whole words (on for users) is off unless *snap_words* says so;
    None leaves the setting as it is (to see the default)."""
    settings = Settings()
    if snap_words is not None:
        settings.set_snap_words(snap_words)
    window = MainWindow(open_session(path, coder), settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=2000)  # window shortcuts need it
    return window


@pytest.fixture
def sample_path(tmp_path, sample_template):
    path = tmp_path / "sample.kzc"
    shutil.copy(sample_template, path)
    return path


@pytest.fixture
def window(qtbot, sample_path):
    win = open_window(qtbot, sample_path)
    yield win
    if win.session is not None and win.isVisible():
        win.close()


def import_and_wait(qtbot, window, paths, timeout: int = 20_000):
    """Import through the window (in the background) and return the report."""
    reports = []
    job = window.file_actions.import_paths(paths, quiet=True, on_done=reports.append)
    assert job is not None
    qtbot.waitUntil(lambda: bool(reports), timeout=timeout)
    return reports[0]
