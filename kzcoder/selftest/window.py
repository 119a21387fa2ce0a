"""The self-test's window step: the real main window on the offscreen platform, a span coded
by the code's key as a keypress (Qt's own key-event path, shortcuts included), undo, redo."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from kzcoder.selftest.failure import SelfTestFailure

CODER = "self-test"
WAIT_S = 10.0


def code_in_window(project_path: Path) -> None:
    """Open *project_path* in a main window, code the first line of the first pane's document
    (whole words: snapping to words leaves it as it is) with the key of the code that has
    key 1, undo, redo; SelfTestFailure if any of it does not show in the project file."""
    app = _application()
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    # the offscreen platform's notices are not the self-test's findings; Qt's own warnings
    # about the window are kept to explain a failure
    notes: list[str] = []
    previous = qInstallMessageHandler(
        lambda kind, _context, text: notes.append(text)
        if kind != QtMsgType.QtDebugMsg else None)
    try:
        _drive(app, project_path)
    except SelfTestFailure as failure:
        warning = next((n for n in notes if "propagateSizeHints" not in n), "")
        raise SelfTestFailure(f"{failure}{f' (Qt: {warning})' if warning else ''}") from None
    finally:
        qInstallMessageHandler(previous)


def _application():  # noqa: ANN202 - QApplication, imported late
    """The running QApplication, or a new one on the offscreen platform."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # never a window on the user's screen
        app = QApplication(["kzcoder"])
    return app


def _drive(app, project_path: Path) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    from kzcoder.gui.operations.session import open_session
    from kzcoder.gui.shell.main_window import MainWindow
    from kzcoder.gui.shell.settings import Settings
    from kzcoder.services.codebook.editing import list_codes
    from kzcoder.services.documents import document_text
    from kzcoder.services.segments import list_segments

    window = MainWindow(open_session(project_path, CODER), Settings())
    try:
        window.resize(1200, 800)
        window.show()
        window.activateWindow()
        _wait(app, lambda: window.isActiveWindow() and bool(window.workspace.panes()),
              "the main window did not become active with its panes")
        project = window.session.project
        key_code = next((c for c in list_codes(project) if c.shortcut == "1"), None)
        if key_code is None:
            raise SelfTestFailure("no code has the key 1 in the sample codebook")
        pane = window.workspace.panes()[0]
        text = document_text(project, pane.view.document_id)
        start, end = 0, len(text.split("\n", 1)[0].rstrip())
        to16 = lambda cp: len(text[:cp].encode("utf-16-le")) // 2  # noqa: E731 - Qt positions
        cursor = pane.view.textCursor()
        cursor.setPosition(to16(start))
        cursor.setPosition(to16(end), QTextCursor.MoveMode.KeepAnchor)
        pane.view.setTextCursor(cursor)
        pane.view.setFocus()
        QTest.keyClick(pane.view, Qt.Key.Key_1)
        coded = [(pane.view.document_id, key_code.name, start, end, text[start:end])]

        def found() -> list[tuple]:
            return [(s.document_id, s.code, s.start, s.end, s.text)
                    for s in list_segments(project)]

        _expect_codings(app, found, coded, "after the key 1")
        window.undo_actions.undo.trigger()
        _expect_codings(app, found, [], "after undo")
        window.undo_actions.redo.trigger()
        _expect_codings(app, found, coded, "after redo")
    finally:
        window.close()
        app.processEvents()


def _expect_codings(app, found: Callable[[], list], expected: list, when: str) -> None:  # noqa: ANN001
    _wait(app, lambda: found() == expected,
          lambda: f"{when}: the project holds {found()!r}, not {expected!r}")


def _wait(app, condition: Callable[[], bool], message: str | Callable[[], str]) -> None:  # noqa: ANN001
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise SelfTestFailure(message if isinstance(message, str) else message())
        app.processEvents()
        time.sleep(0.005)
