"""Members of a shared project: who may do what, enforced by PostgreSQL itself
(``db/backends/roles.py``): owner (everything, members included), coder (add codings and memos;
change and remove only their own codings), viewer (read only)."""

from __future__ import annotations

from kzcoder.core.errors import KzError
from kzcoder.db.backends import roles
from kzcoder.db.backends.location import ServerLocation
from kzcoder.services.project import Project

ROLES = roles.ROLES
MAX_NAME_BYTES = 63  # PostgreSQL's identifier limit


def _location(project: Project) -> ServerLocation:
    if not isinstance(project.path, ServerLocation):
        raise KzError(f"{project.path}: a project file has no members; they belong to a "
                      "postgresql:// project")
    return project.path


def add_member(project: Project, name: str, role: str, password: str | None = None) -> bool:
    """Create (or grant) login role *name* with *role*; True if the login was created. Only
    an owner may; the database refuses anyone else (one line naming their role)."""
    location = _location(project)
    name = name.strip()
    if not name or len(name.encode()) > MAX_NAME_BYTES or "\x00" in name:
        raise KzError(f"{name!r}: a member's name must be 1 to {MAX_NAME_BYTES} bytes")
    if role not in ROLES:
        raise KzError(f"{role!r}: a role is one of {', '.join(ROLES)}")
    with project.unit() as session:
        connection = session.connection()
        if roles.is_administrator(connection):
            roles.ensure_roles(connection, location.database)
        return roles.add_member(connection, location.database, name, role, password)


def remove_member(project: Project, name: str) -> bool:
    """Take *name* out of the project (its login stays); False if it was not a member."""
    location = _location(project)
    with project.unit() as session:
        return roles.remove_member(session.connection(), location.database, name)


def list_members(project: Project) -> list[tuple[str, str]]:
    """(name, role) of every member, by name."""
    location = _location(project)
    with project.unit() as session:
        return roles.members(session.connection(), location.database)


def my_role(project: Project) -> str:
    """The current login's role in the project: ``administrator`` for the tables' owner,
    else owner, coder, viewer, or ``none``."""
    location = _location(project)
    with project.unit() as session:
        connection = session.connection()
        if roles.is_administrator(connection):
            return "administrator"
        from sqlalchemy import text

        me = str(connection.execute(text("SELECT current_user")).scalar())
        return roles.member_role(connection, location.database, me) or "none"
