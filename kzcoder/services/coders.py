"""Coders: who made a coding."""

from __future__ import annotations

import getpass


def default_coder_name() -> str:
    """The login name, or 'coder' where the system has none."""
    try:
        return getpass.getuser() or "coder"
    except Exception:  # no login name in some containers
        return "coder"
