"""Coders: who made a coding."""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kzcoder.services.project import Project


def default_coder_name() -> str:
    """The login name, or 'coder' where the system has none."""
    try:
        return getpass.getuser() or "coder"
    except Exception:  # no login name in some containers
        return "coder"


def list_coders(project: Project) -> list[str]:
    """The names of the project's coders, sorted without regard to case."""
    # here, not at the top: the window imports this module before its first paint, and the
    # data layer (SQLAlchemy) would then load before the window shows (benchmarks: startup_ms)
    from kzcoder.db.queries import coders

    with project.unit(read=True) as session:
        return sorted(coders.coder_names(session), key=lambda name: (name.casefold(), name))


def project_coder_name(project: Project) -> str:
    """Whom a coding is recorded under by default: on a server the login role (the database
    lets a coder record codings under no other name), else the system's login name."""
    if not getattr(project, "is_server", False):
        return default_coder_name()
    from sqlalchemy import text

    with project.unit() as session:
        return str(session.scalar(text("SELECT current_user")))
