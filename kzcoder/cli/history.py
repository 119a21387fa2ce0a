"""The tamper-evident history on the command line: ``history`` and ``verify``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from kzcoder.core.escaping import escape_controls, escape_field

HISTORY_COMMANDS = ("history", "verify")


def add_history_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``history`` and ``verify`` through the parser's ``command`` helper."""
    cmd = command("history", "list the project's hash-chained history, oldest first: time, "
                  "coder, action, hash")
    cmd.add_argument("--json", action="store_true")
    cmd.add_argument("--doc", metavar="ID", type=int,
                     help="only the entries that changed this document")
    cmd.add_argument("--coding", metavar="ID", type=int,
                     help="only the entries that changed this coding")
    cmd = command("verify", "check the project against its history: every entry's hash and "
                  "link, every coding, document, code and coder against the state the history "
                  "ends in, every text and original file against its SHA-256, and SQLite's "
                  "integrity check; prints the head hash; exit 1 naming what does not match")
    cmd.add_argument("--head", metavar="HASH",
                     help="a head hash recorded earlier (in a paper, an archive record): "
                          "check that this history holds it")


def run_history_command(args: argparse.Namespace) -> int:
    """Run ``history`` or ``verify``."""
    from kzcoder.services import history

    if args.command == "history":
        from kzcoder.services.project import Project

        with Project.open(args.project) as project:
            entries = history.list_history(project, document=args.doc, coding=args.coding)
        if args.json:
            print(json.dumps([{"time": e.time, "coder": e.coder, "action": e.action,
                               "rows": e.rows, "previous": e.previous, "hash": e.hash}
                              for e in entries], ensure_ascii=False, indent=1))
        else:
            for e in entries:
                print(f"{e.time}\t{escape_field(e.coder)}\t{escape_field(e.action)}\t{e.hash}")
        return 0
    found = history.verify(args.project, head=args.head)
    for problem in found.problems:
        print(f"kzcoder: {escape_controls(problem)}", file=sys.stderr)
    print(f"head {found.head} ({found.entries} entries)")
    if args.head is not None and found.head_position is not None:
        print(f"{args.head.strip().lower()} is entry {found.head_position} of {found.entries}")
    if found.problems:
        print(f"kzcoder: {args.project}: {len(found.problems)} problem(s): it was changed "
              "outside kzcoder or damaged", file=sys.stderr)
        return 1
    print("verified: the project is what its history says")
    return 0
