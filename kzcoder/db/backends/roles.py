"""Members of a server project and what PostgreSQL lets each do (docs/server.md).

Three group roles per database, named after it (``kzc_<db>_owner|coder|viewer``); a member is a
login role in one of them. The database enforces the roles for every connection, kzcoder's or
not: grants say which tables a group may read or write, row-level security on ``codings`` and
``coders`` lets a coder add, change and remove only codings under their own login name.
The project's tables belong to whoever published it (the administrator), who bypasses both.
"""

from __future__ import annotations

import psycopg
from psycopg import sql
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

ROLES = ("owner", "coder", "viewer")
_READ = ("project", "documents", "document_attributes", "original_files", "codes", "coders",
         "codings", "events", "alembic_version",
         # read by the window and the services whenever a document or a set is shown
         "annotations", "document_sets", "document_set_members", "code_sets",
         "code_set_members", "journal", "guid_forms", "name_variants", "memo_times")
_OWNED = ("project", "documents", "document_attributes", "original_files", "codes", "coders",
          "codings", "annotations", "document_sets", "document_set_members", "code_sets",
          "code_set_members", "journal", "guid_forms", "name_variants", "memo_times")
# what a coder may write besides codings: the memo columns (a coding's memo is on its row)
_CODER_COLUMNS = {"documents": "memo", "codes": "memo", "project": "memo"}
_OWN = "coder_id IN (SELECT id FROM coders WHERE name = current_user)"


def group(database: str, role: str) -> str:
    """The group role of *role* in *database* (at most 63 bytes, PostgreSQL's limit)."""
    return f"kzc_{database}"[:50] + f"_{role}"


def _run(raw: psycopg.Connection, statement: sql.Composable) -> None:
    """A statement composed with psycopg (identifiers and literals quoted by it); its failure
    wrapped as SQLAlchemy would, so that the unit of work says what it means."""
    try:
        raw.execute(statement)
    except psycopg.Error as exc:
        raise DBAPIError.instance("(a role statement)", None, exc, psycopg.Error) from exc


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def ensure_roles(connection: Connection, database: str) -> None:
    """Create the three group roles if missing and (re)state their grants and policies;
    run by the tables' owner. Idempotent: a newer schema's tables get their grants too."""
    owner, coder, viewer = (_ident(group(database, role)) for role in ROLES)
    existing = {row[0] for row in connection.execute(
        text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"),
        {"names": [group(database, role) for role in ROLES]})}
    for role in ROLES:
        if group(database, role) not in existing:
            connection.execute(text(f"CREATE ROLE {_ident(group(database, role))} NOLOGIN"))
    statements = [f"REVOKE CONNECT, TEMPORARY ON DATABASE {_ident(database)} FROM PUBLIC",
                  f"GRANT CONNECT ON DATABASE {_ident(database)} TO {owner}, {coder}, {viewer}",
                  f"GRANT USAGE ON SCHEMA public TO {owner}, {coder}, {viewer}",
                  f"GRANT SELECT ON {', '.join(_READ)} TO {owner}, {coder}, {viewer}",
                  f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(_OWNED)} TO {owner}",
                  f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {owner}",
                  f"GRANT INSERT, UPDATE, DELETE ON codings TO {coder}",
                  f"GRANT INSERT ON coders TO {coder}",
                  f"GRANT INSERT, UPDATE ON memo_times TO {coder}",  # a memo's time
                  f"GRANT USAGE, SELECT, UPDATE ON codings_id_seq, coders_id_seq TO {coder}"]
    statements += [f"GRANT UPDATE ({column}) ON {table} TO {coder}"
                   for table, column in _CODER_COLUMNS.items()]
    for table in ("codings", "coders"):
        statements.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for policy in ("kz_read", "kz_owner", "kz_own_insert", "kz_own_update", "kz_own_delete"):
            statements.append(f"DROP POLICY IF EXISTS {policy} ON {table}")
        statements += [f"CREATE POLICY kz_read ON {table} FOR SELECT USING (true)",
                       f"CREATE POLICY kz_owner ON {table} TO {owner} USING (true) "
                       "WITH CHECK (true)"]
    statements += [
        f"CREATE POLICY kz_own_insert ON codings FOR INSERT TO {coder} WITH CHECK ({_OWN})",
        f"CREATE POLICY kz_own_update ON codings FOR UPDATE TO {coder} USING ({_OWN}) "
        f"WITH CHECK ({_OWN})",
        f"CREATE POLICY kz_own_delete ON codings FOR DELETE TO {coder} USING ({_OWN})",
        f"CREATE POLICY kz_own_insert ON coders FOR INSERT TO {coder} "
        "WITH CHECK (name = current_user)"]
    for statement in statements:
        connection.execute(text(statement))


def add_member(connection: Connection, database: str, name: str, role: str,
               password: str | None) -> bool:
    """Make login role *name* a member with *role* (created if missing; its password set when
    given, sent already hashed so that it reaches no server log in clear). True if created."""
    raw = connection.connection.driver_connection
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"),
                                {"n": name}).first() is not None
    hashed = None
    if password is not None:
        hashed = raw.pgconn.encrypt_password(password.encode(), name.encode(),
                                             b"scram-sha-256").decode()
    verb = "ALTER" if exists else "CREATE"
    statement = sql.SQL(verb + " ROLE {} LOGIN").format(sql.Identifier(name))
    if hashed is not None:
        statement = statement + sql.SQL(" PASSWORD {}").format(sql.Literal(hashed))
    _run(raw, statement)
    for other in ROLES:
        if other != role:
            _run(raw, sql.SQL("REVOKE {} FROM {}").format(
                sql.Identifier(group(database, other)), sql.Identifier(name)))
    admin = sql.SQL(" WITH ADMIN OPTION") if role == "owner" else sql.SQL("")
    _run(raw, sql.SQL("GRANT {} TO {}").format(sql.Identifier(group(database, role)),
                                                  sql.Identifier(name)) + admin)
    return not exists


def remove_member(connection: Connection, database: str, name: str) -> bool:
    """Take *name* out of every group of this project (the login role stays: it may be used
    elsewhere on the server). True if it was a member."""
    was = member_role(connection, database, name) is not None
    raw = connection.connection.driver_connection
    for role in ROLES:
        _run(raw, sql.SQL("REVOKE {} FROM {}").format(
            sql.Identifier(group(database, role)), sql.Identifier(name)))
    return was


def members(connection: Connection, database: str) -> list[tuple[str, str]]:
    """(login role, project role) of every member, by name."""
    names = {group(database, role): role for role in ROLES}
    rows = connection.execute(text(
        "SELECT r.rolname, g.rolname FROM pg_auth_members m "
        "JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid "
        "WHERE g.rolname = ANY(:groups) ORDER BY r.rolname"), {"groups": list(names)})
    return [(member, names[grouped]) for member, grouped in rows]


def member_role(connection: Connection, database: str, name: str) -> str | None:
    """*name*'s role in this project (the strongest if several), or None."""
    found = {role for member, role in members(connection, database) if member == name}
    return next((role for role in ROLES if role in found), None)


def is_administrator(connection: Connection) -> bool:
    """Whether the current login owns the project's tables (or is a superuser)."""
    row = connection.execute(text(
        "SELECT rolsuper OR pg_has_role(current_user, "
        "(SELECT tableowner FROM pg_tables WHERE tablename = 'codings' "
        "AND schemaname = 'public'), 'USAGE') FROM pg_roles WHERE rolname = current_user")).first()
    return bool(row and row[0])
