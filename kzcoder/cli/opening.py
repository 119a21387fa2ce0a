"""Opening a project for one command, and telling what its closing found."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kzcoder.core.escaping import escape_controls

if TYPE_CHECKING:
    from kzcoder.services.project import Project


@contextmanager
def open_project(path: Path) -> Iterator[Project]:
    """``Project.open(path)`` for a command; when it closes with its latest changes still in
    the ``-wal`` beside it (a full disk), one warning line on standard error says so."""
    from kzcoder.services.project import Project

    project = Project.open(path)
    try:
        yield project
    finally:
        notice = project.close()
        if notice:
            print(f"kzcoder: warning: {escape_controls(notice)}", file=sys.stderr)
