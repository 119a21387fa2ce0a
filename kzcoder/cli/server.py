"""Shared projects on the command line (docs/server.md): ``publish FILE URL``, ``clone URL
FILE``, ``watch URL [--json]``, and the PROJECT argument that takes a path or a URL."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kzcoder.core.errors import KzError
from kzcoder.core.escaping import escape_controls, escape_field

SERVER_COMMANDS = ("publish", "clone", "watch", "members", "login")
URL_HELP = "a postgresql://user@host:port/dbname[?sslmode=...] URL"


def project_location(text: str) -> object:
    """argparse ``type=`` of PROJECT: a path, or a server URL kept as written (a ``Path``
    would fold its ``//``); a malformed URL is a usage error naming it."""
    from kzcoder.db.backends.location import is_server_location, parse_server

    if not is_server_location(text):
        return Path(text)
    try:
        return parse_server(text)
    except KzError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_server_commands(sub: argparse._SubParsersAction) -> None:
    """Add publish, clone, watch and members."""
    cmd = sub.add_parser("publish", help="copy a project file into an empty PostgreSQL "
                         "database (refused if it is not empty)",
                         description="copy a project file into an empty PostgreSQL database, "
                         "in one transaction: all of it or nothing")
    cmd.add_argument("file", metavar="FILE", type=Path, help="a .kzc project file")
    cmd.add_argument("url", metavar="URL", type=project_location, help=URL_HELP)
    cmd = sub.add_parser("clone", help="copy a server project into a new project file "
                         "(one consistent snapshot)",
                         description="copy a server project into a new project file, read in "
                         "one snapshot transaction while others keep working; a backup, or a "
                         "copy to work on offline (then: kzcoder merge URL FILE)")
    cmd.add_argument("url", metavar="URL", type=project_location, help=URL_HELP)
    cmd.add_argument("file", metavar="FILE", type=Path, help="the new .kzc file")
    cmd = sub.add_parser("watch", help="print a server project's changes as they happen",
                         description="print a server project's changes as they happen, one "
                         "line each (event id, time, who, what, action, its id, document); "
                         "stop with Ctrl+C")
    cmd.add_argument("url", metavar="URL", type=project_location, help=URL_HELP)
    cmd.add_argument("--json", action="store_true",
                     help="one JSON object per line: event, at, by, what, action, id, document")
    cmd.add_argument("--after", metavar="EVENT", type=int, default=None,
                     help="start after this event id (0: from the beginning; default: only "
                          "what happens from now on)")
    _add_members(sub)
    cmd = sub.add_parser("login", help="remember a server password in the system keyring",
                         description="remember (or, with --forget, drop) the password of a "
                         "server URL in the system keyring; later commands on that URL use it")
    cmd.add_argument("url", metavar="URL", type=project_location, help=URL_HELP)
    how = cmd.add_mutually_exclusive_group(required=True)
    how.add_argument("--password-file", metavar="F",
                     help="read the password from the first line of F ('-': standard input)")
    how.add_argument("--forget", action="store_true", help="drop the remembered password")


def _add_members(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("members", help="list, add or remove the members of a server project",
                         description="members of a server project and their roles: owner "
                         "(everything, members included), coder (adds codings and memos; "
                         "changes and removes only their own codings), viewer (reads). "
                         "PostgreSQL itself enforces them (docs/server.md).")
    cmd.add_argument("url", metavar="URL", type=project_location, help=URL_HELP)
    action = cmd.add_subparsers(dest="action", metavar="ACTION", required=True,
                                parser_class=type(cmd))
    add = action.add_parser("add", help="create (or grant) a login role with a role")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=("owner", "coder", "viewer"))
    add.add_argument("--password-file", metavar="F",
                     help="read the login's password from the first line of F ('-': standard "
                          "input); it is sent hashed")
    listing = action.add_parser("list", help="name and role of every member")
    listing.add_argument("--json", action="store_true")
    remove = action.add_parser("remove", help="take a member out of the project")
    remove.add_argument("name", metavar="NAME")


def _members(args: argparse.Namespace) -> int:
    from kzcoder.services.project import Project
    from kzcoder.services.server import members

    password = _read_password(args.password_file) if getattr(args, "password_file", None) \
        else None
    with Project.open(_url(args.url)) as project:
        if args.action == "add":
            created = members.add_member(project, args.name, args.role, password)
            print(f"{'created' if created else 'granted'} {escape_field(args.name)} as "
                  f"{args.role}")
        elif args.action == "remove":
            if not members.remove_member(project, args.name):
                raise KzError(f"{args.name}: not a member of {args.url}")
            print(f"removed {escape_field(args.name)}")
        else:
            rows = members.list_members(project)
            if args.json:
                print(json.dumps([{"name": name, "role": role} for name, role in rows]))
            else:
                for name, role in rows:
                    print(f"{escape_field(name)}\t{role}")
    return 0


def _login(args: argparse.Namespace) -> int:
    from kzcoder.services.project import Project
    from kzcoder.services.server import credentials

    location = _url(args.url)
    if args.forget:
        if not credentials.forget(location):
            raise KzError(f"{location}: no password is remembered for it")
        print(f"forgot the password of {location}")
        return 0
    password = _read_password(args.password_file)
    with Project.open(location.with_password(password)):  # only a password that works is kept
        pass
    credentials.remember(location, password)
    print(f"remembered the password of {location} in the system keyring")
    return 0


def _read_password(name: str) -> str:
    try:
        if name == "-":
            line = sys.stdin.readline()
        else:
            with open(name, encoding="utf-8") as handle:
                line = handle.readline()
    except (OSError, UnicodeDecodeError) as exc:
        raise KzError(f"{name}: the password file cannot be read "
                      f"({getattr(exc, 'strerror', None) or exc})") from None
    password = line.rstrip("\r\n")
    if not password:
        raise KzError(f"{name}: the password file's first line is empty")
    return password


def _url(value: object) -> object:
    from kzcoder.db.backends.location import ServerLocation

    if not isinstance(value, ServerLocation):
        raise KzError(f"{value}: not a postgresql:// URL")
    return value


def run_server_command(args: argparse.Namespace) -> int:
    """Run publish, clone or watch; KzError propagates (one line, exit 1)."""
    if args.command == "publish":
        from kzcoder.services.server.publishing import publish

        counts = publish(args.file, _url(args.url))
        print(f"published {escape_controls(str(args.file))} to {args.url}: "
              f"{counts.get('documents', 0)} documents, {counts.get('codes', 0)} codes, "
              f"{counts.get('codings', 0)} codings")
        return 0
    if args.command == "clone":
        from kzcoder.services.server.publishing import clone

        counts = clone(_url(args.url), args.file)
        print(f"cloned {args.url} to {escape_controls(str(args.file))}: "
              f"{counts.get('documents', 0)} documents, {counts.get('codes', 0)} codes, "
              f"{counts.get('codings', 0)} codings")
        return 0
    if args.command == "members":
        return _members(args)
    if args.command == "login":
        return _login(args)
    return _watch(args)


def _watch(args: argparse.Namespace) -> int:
    from kzcoder.services.project import Project
    from kzcoder.services.server import events

    def show(batch: list) -> None:
        for event in batch:
            if args.json:
                print(json.dumps(event.as_json(), ensure_ascii=False))
            else:
                print("\t".join(escape_field(str(value)) if value is not None else ""
                                for value in event.as_json().values()))
        sys.stdout.flush()

    with Project.open(_url(args.url)) as project:
        after = events.last_event_id(project) if args.after is None else args.after
        events.follow(project, after, show)
    return 0
