"""Where file dialogs open for a project: its file's folder, or the home folder for a project
on a server (which has no folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def project_folder(project: Any) -> Path:  # noqa: ANN401 - services.project.Project
    """The folder beside the project file; the home folder for a server project."""
    if getattr(project, "is_server", False):
        return Path.home()
    return project.path.parent
