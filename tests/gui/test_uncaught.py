"""An exception no slot caught becomes one line in the window's status bar (the window's
last line of defence, installed by run_gui), not only a traceback on a terminal."""

from __future__ import annotations

import sys

from kzcoder.core.errors import KzError
from kzcoder.gui.shell import uncaught


def test_an_uncaught_error_is_one_line_in_the_status_bar(qtbot, capfd):
    from PySide6.QtWidgets import QStatusBar

    bar = QStatusBar()
    qtbot.addWidget(bar)
    previous = uncaught.install(lambda line: bar.showMessage(line, 10_000))
    try:
        try:
            raise KzError("postgresql://ana@db/team: connection lost — reconnecting")
        except KzError:
            sys.excepthook(*sys.exc_info())
        assert bar.currentMessage() == "postgresql://ana@db/team: connection lost — reconnecting"
        assert capfd.readouterr().err == ""  # a KzError is said, not dumped
        try:
            {}["missing"]
        except KeyError:
            sys.excepthook(*sys.exc_info())
        assert bar.currentMessage().startswith("unexpected error: KeyError: 'missing'")
        assert "\n" not in bar.currentMessage()
        assert "Traceback" in capfd.readouterr().err  # kept for a bug report
    finally:
        sys.excepthook = previous
