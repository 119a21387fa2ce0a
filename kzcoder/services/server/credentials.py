"""Server passwords kept in the OS keyring (``keyring``) when the user asks to remember one.

The keyring entry is named by the URL without its password; nothing else kzcoder writes (recent
projects, settings, logs, messages) ever holds a password. Without a remembered one, libpq's
own ways apply: the URL, ``PGPASSWORD``, ``PGPASSFILE`` / ``~/.pgpass``.
"""

from __future__ import annotations

import os

from kzcoder.core.errors import KzError
from kzcoder.db.backends.location import ServerLocation

SERVICE = "kzcoder"


def _keyring():  # noqa: ANN202 - the keyring module, imported only when a server is used
    import keyring

    return keyring


def remember(location: ServerLocation, password: str) -> None:
    """Keep *password* for *location* in the OS keyring; KzError if there is none."""
    keyring = _keyring()
    try:
        keyring.set_password(SERVICE, location.shown(), password)
    except Exception as exc:  # keyring's backends raise their own kinds  # noqa: BLE001
        raise KzError(f"{location}: the password could not be kept in the system keyring "
                      f"({type(exc).__name__}); use a pass file (PGPASSFILE) instead") from None


def forget(location: ServerLocation) -> bool:
    """Remove *location*'s password from the keyring; False if none was kept."""
    keyring = _keyring()
    try:
        keyring.delete_password(SERVICE, location.shown())
    except Exception:  # noqa: BLE001 - not kept, or no keyring: nothing to forget
        return False
    return True


def with_saved_password(location: ServerLocation) -> ServerLocation:
    """*location* with its remembered password when it has none of its own and
    ``PGPASSWORD`` is not set; else unchanged (libpq then looks in the pass file)."""
    if location.url.password is not None or os.environ.get("PGPASSWORD"):
        return location
    try:
        password = _keyring().get_password(SERVICE, location.shown())
    except Exception:  # noqa: BLE001 - no usable keyring: the pass file still works
        return location
    return location.with_password(password) if password else location
