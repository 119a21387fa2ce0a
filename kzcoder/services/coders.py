"""Coders: who made a coding."""

from __future__ import annotations

import getpass

from kzcoder.db.queries import coders
from kzcoder.services.project import Project


def default_coder_name() -> str:
    """The login name, or 'coder' where the system has none."""
    try:
        return getpass.getuser() or "coder"
    except Exception:  # no login name in some containers
        return "coder"


def list_coders(project: Project) -> list[str]:
    """The names of the project's coders, sorted without regard to case."""
    with project.unit() as session:
        return sorted(coders.coder_names(session), key=lambda name: (name.casefold(), name))
