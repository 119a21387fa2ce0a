"""Where the passphrase of an encrypted project comes from, when one is opened.

The command line installs a source that reads ``--passphrase-file``, ``KZCODER_PASSPHRASE`` or
a terminal prompt; the window, one that shows a dialog. Pure Python, so that the window can
install its source before the data layer has loaded.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

PASSPHRASE_ENV = "KZCODER_PASSPHRASE"
NEW_PASSPHRASE_ENV = "KZCODER_NEW_PASSPHRASE"

Source = Callable[[Path], "str | None"]


def from_environment(_path: Path) -> str | None:
    """The default source: ``KZCODER_PASSPHRASE`` (None when unset or empty)."""
    return os.environ.get(PASSPHRASE_ENV) or None


_source: Source = from_environment


def set_source(source: Source | None) -> None:
    """Install *source* (``source(path)`` returns the passphrase of *path*, or None when there
    is none); None restores the default, the environment variable alone."""
    global _source
    _source = source or from_environment


def ask(path: Path) -> str | None:
    """The passphrase of the encrypted project *path*, from the installed source."""
    return _source(path)
