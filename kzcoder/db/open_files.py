"""Which database files this process has open through SQLite, and reading a file's first bytes
without harming them.

On POSIX systems SQLite's locks are ``fcntl`` locks, which belong to the process and the file:
closing *any* descriptor of the file in the process drops them all, whichever descriptor took
them. SQLite guards its own descriptors against this, but a plain ``open()`` and ``close()``
of an open project (to look at its header, say) silently drops the shared lock that tells
other programs the project is in use. Another program closing the project then believes it
is the last, switches it out of WAL mode and deletes the ``-wal`` this process is still
writing to: every change after that is lost. (kzcoder did this to itself: a rolling backup
read the project's header in the window's process.)

So nothing in kzcoder opens a project file with ``open()`` but through ``read_head``, which
does not when the file is open here: an open project is a database anyway.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_lock = threading.Lock()
_open: dict[tuple[int, int], int] = {}  # (device, inode) -> how many opened it here


def _key(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


def opened(path: Path) -> tuple[int, int] | None:
    """Record that this process opened the database at *path*; returns the token to give
    ``closed`` (None if the file cannot be found: nothing is recorded)."""
    key = _key(path)
    if key is not None:
        with _lock:
            _open[key] = _open.get(key, 0) + 1
    return key


def closed(token: tuple[int, int] | None) -> None:
    """Record that the opening that returned *token* was closed."""
    if token is None:
        return
    with _lock:
        left = _open.get(token, 0) - 1
        if left > 0:
            _open[token] = left
        else:
            _open.pop(token, None)


def is_open_here(path: Path) -> bool:
    """Whether this process has the file at *path* (any name of it) open through SQLite."""
    key = _key(path)
    with _lock:
        return key is not None and key in _open


def read_head(path: Path, size: int) -> bytes | None:
    """The first *size* bytes of *path*, or None when this process has it open as a database
    (see the module docstring). OSError as ``open()`` raises it."""
    if is_open_here(path):
        return None
    with path.open("rb") as handle:
        return handle.read(size)
