"""File ▸ Open URL…: a server project by its ``postgresql://`` URL, and the password prompt
shown when the server wants a password that the URL, ``PGPASSWORD``, the pass file and the
keyring did not give (with "Remember in the system keyring")."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kzcoder.core.errors import KzError
from kzcoder.gui.lazy import lazy_import
from kzcoder.gui.operations.session import ProjectSession, open_server_session

if TYPE_CHECKING:  # the same import, seen by type checkers and the layer rules
    from kzcoder.services.server import connecting
else:
    connecting = lazy_import("kzcoder.services.server.connecting")

URL_HINT = "postgresql://user@host:port/database?sslmode=verify-full"

#: (parent, URL shown, why) -> (password, remember) or None when cancelled
PasswordAsker = Callable[[QWidget | None, str, str], "tuple[str, bool] | None"]


class PasswordDialog(QDialog):
    """Asks for a server password; says why (none found, or the last one refused)."""

    def __init__(self, parent: QWidget | None, shown: str, why: str) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.setWindowTitle("Server password")
        layout = QVBoxLayout(self)
        label = QLabel(f"{why}.\nPassword of {shown}:", objectName="passwordWhy")
        label.setWordWrap(True)
        layout.addWidget(label)
        self.password = QLineEdit(objectName="passwordEdit")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.password)
        self.remember = QCheckBox("Remember in the system keyring", objectName="rememberPassword")
        layout.addWidget(self.remember)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def ask_password(parent: QWidget | None, shown: str, why: str) -> tuple[str, bool] | None:
    """The password typed and whether to remember it; None if cancelled."""
    dialog = PasswordDialog(parent, shown, why)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.password.text(), dialog.remember.isChecked()


def ask_url(parent: QWidget | None, last: str = "") -> str:
    """The URL typed in the Open URL dialog ('' if cancelled)."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("openUrlDialog")
    dialog.setWindowTitle("Open a server project")
    dialog.setLabelText(f"URL of the project's database\n({URL_HINT}):")
    dialog.setTextValue(last)
    dialog.resize(560, dialog.sizeHint().height())
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return ""
    return dialog.textValue().strip()


def open_url_session(parent: QWidget | None, url: str, coder: str, *,
                     asker: PasswordAsker = ask_password,
                     error: Callable[[str], None] | None = None) -> ProjectSession | None:
    """Open the server project at *url*, asking for a password as long as the server wants
    one (until cancelled); a password to remember goes to the keyring once it has worked.
    Any refusal is one line to *error* (raised as KzError without it); None if not opened."""
    password: str | None = None
    remember = False
    while True:
        try:
            session = open_server_session(url, coder, password)
        except KzError as exc:
            if not isinstance(exc, connecting.PasswordNeeded):
                if error is None:
                    raise
                error(str(exc))
                return None
            why = str(exc).rsplit(": ", 1)[-1]
            answer = asker(parent, connecting.shown_url(url), why[:1].upper() + why[1:])
            if answer is None:
                return None
            password, remember = answer
            continue
        if remember and password:
            try:
                connecting.remember_password(url, password)
            except KzError as exc:  # opened all the same: only the remembering failed
                if error is not None:
                    error(str(exc))
        return session
