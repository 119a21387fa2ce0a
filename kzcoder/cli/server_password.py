"""A server's password asked on the terminal. When a command's server asks for a password that
the URL, ``PGPASSWORD``, the pass file and the keyring did not give, and standard input is a
terminal, it is asked for once (not echoed, written nowhere, kept in this process only) and
the command runs again with it. Nothing had changed: the server refused the connection before
the command did anything."""

from __future__ import annotations

import getpass
import os
import sys

from kzcoder.core.errors import KzError


def asked_after(exc: KzError) -> bool:
    """True when *exc* was a server asking for a password and one was typed for a retry."""
    if os.environ.get("PGPASSWORD") or not sys.stdin.isatty():
        return False
    from kzcoder.services.server.connecting import ASKS, password_trouble

    if password_trouble(exc) != ASKS:
        return False
    where = str(exc).split(": ", 1)[0]
    try:
        password = getpass.getpass(f"password for {where}: ")
    except (EOFError, KeyboardInterrupt):
        return False
    if not password:
        return False
    os.environ["PGPASSWORD"] = password  # libpq's own way; this process only
    return True
