"""Every action of every menu, triggered as a user would, on the sample project.

The test walks the menu bar (sub-menus included), so an action added later is covered without
listing it here. Dialogs are answered by the test: file dialogs with real files of the right
kind (or a new path in a scratch folder), input dialogs with their first choice, questions with
Yes; a modal or message box left open afterwards is accepted. Any exception, any error the
window reports (``sig_error``) and any message box saying "unexpected error" fails the test,
naming the action.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QColorDialog,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMenu,
    QMessageBox,
    QProgressDialog,
)

from kzcoder.gui.operations.session import open_session
from tests.gui.conftest import open_window
from tests.gui.test_coding_loop import select_codepoints


def _patterns(file_filter: str) -> list[str]:
    return re.findall(r"\*\.[\w.]+|\*", file_filter or "")


class Answers:
    """What the test answers to every static dialog; records what it was asked and told."""

    def __init__(self, files: list[Path], out: Path) -> None:
        self.files = files
        self.out = out
        self.told: list[str] = []
        self.saved = 0

    def open_file(self, _parent=None, _caption="", _dir="", file_filter="", *_a, **_k):
        for pattern in _patterns(file_filter):
            if pattern == "*":
                continue
            for path in self.files:
                if fnmatch.fnmatch(path.name.lower(), pattern.lower()):
                    return str(path), ""
        return "", ""

    def open_files(self, parent=None, caption="", folder="", file_filter="", *_a, **_k):
        name, _ = self.open_file(parent, caption, folder, file_filter)
        return ([name] if name else []), ""

    def save_file(self, _parent=None, _caption="", suggested="", file_filter="", *_a, **_k):
        self.saved += 1
        name = Path(suggested).name if suggested else "out"
        suffixes = [p[1:] for p in _patterns(file_filter) if p != "*"]
        if suffixes and not any(name.lower().endswith(s) for s in suffixes):
            name += suffixes[0]
        folder = self.out / f"save{self.saved}"
        folder.mkdir()
        return str(folder / name), ""

    def directory(self, *_a, **_k):
        folder = self.out / "folder"
        folder.mkdir(exist_ok=True)
        text = next(p for p in self.files if p.suffix == ".txt")
        shutil.copy(text, folder / "from a folder.txt")
        return str(folder)

    def message(self, _parent=None, title="", text="", *_a, **_k):
        self.told.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Yes


@pytest.fixture
def answers(tmp_path, sample_template, monkeypatch):
    from kzcoder.services.codebook.exchange import export_codebook
    from kzcoder.services.project import Project
    from kzcoder.services.refi.exporting import export_qdpx

    given = tmp_path / "given"
    given.mkdir()
    other = given / "other.kzc"
    shutil.copy(sample_template, other)
    with Project.open(other) as project:
        export_codebook(project, given / "codebook.qdc")
        export_qdpx(project, given / "project.qdpx")
    (given / "article.txt").write_text("Protesters gathered in the square on Monday.\n",
                                       encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    said = Answers([given / "codebook.qdc", given / "project.qdpx", other,
                    given / "article.txt"], out)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", said.open_file)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", said.open_files)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", said.save_file)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", said.directory)
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *_a, **_k: ("Menu test", True))
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *_a, **_k: ("A memo from the menu test", True))
    monkeypatch.setattr(QInputDialog, "getItem",
                        lambda _p, _t, _l, items, *_a, **_k: (items[min(1, len(items) - 1)],
                                                             True))
    monkeypatch.setattr(QInputDialog, "getInt", lambda *_a, **_k: (1, True))
    monkeypatch.setattr(QColorDialog, "getColor", lambda *_a, **_k: QColor("#336699"))
    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, said.message)
    return said


def _actions(menu: QMenu, trail: str):
    for action in menu.actions():
        if action.isSeparator():
            continue
        label = f"{trail} ▸ {action.text().replace('&', '')}"
        if action.menu() is not None:
            sub = action.menu()
            sub.aboutToShow.emit()  # menus filled when shown (recent projects, codes)
            yield from _actions(sub, label)
        else:
            yield label, action


def _menu_actions(window):
    found = []
    for top in window.menuBar().actions():
        menu = top.menu()
        if menu is None:
            continue
        menu.aboutToShow.emit()
        found.extend(_actions(menu, top.text().replace("&", "")))
    return found


def _answer_modals(window) -> QTimer:
    """A modal dialog run with exec() waits for a click: accept it, as a user pressing
    Enter would (the choice it offers first), and note what a message box said."""
    def answer() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QDialog) and not isinstance(modal, QProgressDialog):
            if isinstance(modal, QMessageBox):
                window.told_by_boxes.append(f"{modal.windowTitle()}: {modal.text()}")
            modal.accept()

    timer = QTimer(window)
    timer.timeout.connect(answer)
    timer.start(50)
    return timer


def _settle(qtbot, window) -> None:
    """Let the action finish: background work, then any dialog it left open is accepted."""
    for _ in range(50):
        session = window.session
        if session is not None:
            session.wait_for_background()
        qtbot.wait(20)
        pending = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QDialog) and w.isVisible()
                   and not isinstance(w, QProgressDialog)]
        if not pending and (session is None or not session.busy):
            return
        for dialog in pending:
            if isinstance(dialog, QMessageBox):
                window.told_by_boxes.append(f"{dialog.windowTitle()}: {dialog.text()}")
            dialog.accept()
            dialog.close()


def _prepare(qtbot, window, path: Path) -> None:
    """A project open, text selected in the active pane, a code and a segment chosen: what
    a researcher has at hand when reaching for a menu."""
    if not window.isVisible():
        window.show()
        qtbot.waitExposed(window)
    if window.session is None or window.session.project.path.resolve() != path.resolve():
        window.set_session(open_session(path, "tester"))  # New, Open, Import REFI-QDA…
    pane = window.workspace.active_pane() or window.workspace.panes()[0]
    if pane.view.document_id is None:
        window.workspace.open_document(pane, next(iter(window.session.documents)))
    select_codepoints(pane.view, 0, min(12, len(pane.view.toPlainText())))
    window.workspace.set_active(pane)
    dock = window.codebook_dock
    if window.session.codes:
        dock.view.setCurrentIndex(dock.view_index(next(iter(window.session.codes))))
    if window.segments_dock.proxy.rowCount():
        window.segments_dock.view.selectRow(0)
    pane.view.setFocus()


def test_every_menu_action_runs_without_an_error(qtbot, sample_path, answers):
    window = open_window(qtbot, sample_path)
    window.told_by_boxes = []
    _answer_modals(window)
    errors: list[str] = []
    window.current.sig_error.connect(errors.append)
    pane = window.workspace.panes()[0]
    select_codepoints(pane.view, 0, 12)
    qtbot.keyClick(pane.view, "1")  # a coding, so the segment list has a row
    failures: list[str] = []
    seen: set[str] = set()
    labels = [label for label, _action in _menu_actions(window)]
    assert any("Export codebook" in label for label in labels)
    assert any("Import codebook" in label for label in labels)
    assert len(labels) > 30, labels
    rounds = 0
    while True:  # actions are found again after each one: a menu may be rebuilt
        rounds += 1
        assert rounds < 500
        _prepare(qtbot, window, sample_path)
        todo = [(label, action) for label, action in _menu_actions(window)
                if label not in seen]
        if not todo:
            break
        label, action = todo[0]
        seen.add(label)
        if not action.isEnabled():
            continue
        before_errors, before_told = len(errors), len(answers.told) + len(window.told_by_boxes)
        try:
            action.trigger()
            if action.isCheckable():
                _settle(qtbot, window)
                action.trigger()  # a view toggle: back as it was
            _settle(qtbot, window)
        except Exception as exc:  # noqa: BLE001 - every failure is named with its action
            failures.append(f"{label}: {type(exc).__name__}: {exc}")
            continue
        told = (answers.told + window.told_by_boxes)[before_told:]
        for error in errors[before_errors:]:
            failures.append(f"{label}: error signal: {error}")
        for text in told:
            if "unexpected error" in text.lower():
                failures.append(f"{label}: {text}")
    assert not failures, "\n".join(failures)
    assert {"Codebook ▸ Export codebook…", "Codebook ▸ Import codebook…"} <= seen
    written = list(answers.out.rglob("*.qdc"))
    assert written, "Export codebook wrote nothing"
    _settle(qtbot, window)
    if window.isVisible():
        window.close()
