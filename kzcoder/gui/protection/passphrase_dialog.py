"""The dialog that asks an encrypted project's passphrase when the window opens it.

The services ask for a passphrase through a source (``services.protection``); the window's
source shows this dialog over the active window. The passphrase is never stored: not in the
settings, not in the recent-projects list; the key derived from it lives in this process while
it runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLineEdit, QWidget

from kzcoder.core import passphrase

OBJECT_NAME = "passphraseDialog"


def ask_passphrase(parent: QWidget | None, path: Path) -> str | None:
    """Ask the passphrase of the encrypted project *path*; None if the user cancels."""
    dialog = QInputDialog(parent)
    dialog.setObjectName(OBJECT_NAME)
    dialog.setWindowTitle("Encrypted project")
    dialog.setLabelText(f"{path.name} is encrypted.\nPassphrase:")
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    dialog.setOkButtonText("Open")
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setMinimumWidth(380)  # the title and a long file name fit (seen under openbox)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.textValue() or None
    finally:
        dialog.setTextValue("")
        dialog.deleteLater()


def install_window_source() -> None:
    """Make every project the window opens find its passphrase: ``KZCODER_PASSPHRASE`` if
    set, else the dialog over the active window (the application is made first when a project
    named on the command line is opened before any window)."""

    def source(path: Path) -> str | None:
        given = os.environ.get(passphrase.PASSPHRASE_ENV)
        if given:
            return given
        if QApplication.instance() is None:
            QApplication(sys.argv[:1])
        return ask_passphrase(QApplication.activeWindow(), path)

    passphrase.set_source(source)
