"""The window asks an encrypted project's passphrase in a dialog (File ▸ Open), opens it with
the right one, says so in one message with a wrong one, and never stores it."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox

from kzcoder.db import cipher
from kzcoder.gui.protection.passphrase_dialog import OBJECT_NAME, install_window_source
from kzcoder.services import protection
from kzcoder.services.sample import create_project

PASSPHRASE = "correct horse battery staple"


def _type_into_dialog(qtbot, text: str, seen: list[str]) -> None:
    """When the dialog shows, type *text* and press Enter, as a user would."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog) or dialog.objectName() != OBJECT_NAME:
            QTimer.singleShot(20, answer)
            return
        field = dialog.findChild(QLineEdit)
        seen.append(dialog.labelText())
        assert field.echoMode() == QLineEdit.EchoMode.Password
        qtbot.keyClicks(field, text)
        qtbot.keyClick(field, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)


def test_the_window_asks_the_passphrase_and_opens_the_project(window, qtbot, tmp_path,
                                                               monkeypatch):
    monkeypatch.delenv("KZCODER_PASSPHRASE", raising=False)
    path = tmp_path / "secret.kzc"
    create_project(path, sample=True, passphrase=PASSPHRASE).close()
    cipher.forget(path)
    install_window_source()
    try:
        seen: list[str] = []
        _type_into_dialog(qtbot, PASSPHRASE, seen)
        assert window.file_actions.open_project(path)
        assert seen and "secret.kzc is encrypted" in seen[0]
        assert window.session.project.path == path
        assert len(window.session.documents) == 5
        window.settings.sync()
        home = [f for f in Path(os.environ["KZCODER_HOME"]).rglob("*") if f.is_file()]
        assert home and not any(PASSPHRASE.encode() in f.read_bytes() for f in home)
    finally:
        protection.set_passphrase_source(None)
        cipher.forget(path)


def test_a_wrong_passphrase_is_one_message_and_nothing_changes(window, qtbot, tmp_path,
                                                                monkeypatch):
    monkeypatch.delenv("KZCODER_PASSPHRASE", raising=False)
    path = tmp_path / "secret.kzc"
    create_project(path, sample=True, passphrase=PASSPHRASE).close()
    cipher.forget(path)
    before = path.read_bytes()
    shown = window.session.project.path
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: messages.append(
        text))
    install_window_source()
    try:
        _type_into_dialog(qtbot, "not it", [])
        assert not window.file_actions.open_project(path)
        assert len(messages) == 1 and "wrong passphrase" in messages[0]
        assert window.session.project.path == shown and path.read_bytes() == before
    finally:
        protection.set_passphrase_source(None)
