"""``kzcoder journal PROJECT add TITLE (--text T | --file F) | list [--json] | show TITLE |
remove TITLE``: the project's free memos (``services.journal``)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable

from kzcoder.cli.memo import FILE_RULES, read_memo_file
from kzcoder.core.escaping import escape_controls, escape_field

NAMES = ("journal",)


def add_journal_command(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``journal`` through cli/main.py's ``command(name, text, *notes)`` helper."""
    cmd = command("journal", "the project's journal: free memos, each with a title, a text, "
                  "an author and the time it was written (exported to REFI-QDA as the "
                  "project's notes)")
    actions = cmd.add_subparsers(dest="action", required=True, metavar="ACTION",
                                 parser_class=type(cmd))
    add = actions.add_parser("add", help="add an entry", description="add an entry")
    add.add_argument("title", metavar="TITLE")
    text = add.add_mutually_exclusive_group(required=True)
    text.add_argument("--text", metavar="T", help="the entry's text")
    text.add_argument("--file", metavar="F",
                      help=f"the entry's text from F ('-': standard input), {FILE_RULES}")
    add.add_argument("--author", help="who wrote it (default: your login name)")
    listing = actions.add_parser("list", help="list the entries, oldest first",
                                 description="list the entries, oldest first: created, "
                                 "author, title (tab-separated), or JSON")
    listing.add_argument("--json", action="store_true")
    show = actions.add_parser("show", help="print an entry's text (UTF-8, exactly)",
                              description="print an entry's text (UTF-8, exactly)")
    show.add_argument("title", metavar="TITLE")
    remove = actions.add_parser("remove", help="remove an entry",
                                description="remove an entry")
    remove.add_argument("title", metavar="TITLE")


def run_journal(project, args: argparse.Namespace) -> int:  # noqa: ANN001 - Project
    """Run one ``journal`` action; KzError propagates (one line, exit 1, nothing changed)."""
    from kzcoder.services import journal

    if args.action == "add":
        text = args.text if args.text is not None else read_memo_file(args.file)
        author = args.author if args.author is not None else login_name()
        entry = journal.add_entry(project, args.title, text, author=author).value
        print(f"added journal entry '{escape_controls(entry.title)}' "
              f"({len(entry.text)} characters)")
    elif args.action == "list":
        entries = journal.list_entries(project)
        if args.json:
            print(json.dumps([e.as_json() for e in entries], ensure_ascii=False, indent=1))
        for entry in entries if not args.json else ():
            print(f"{entry.created}\t{escape_field(entry.author)}\t{escape_field(entry.title)}")
    elif args.action == "show":
        entry = journal.get_entry(project, args.title)
        sys.stdout.flush()
        sys.stdout.buffer.write(entry.text.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        entry = journal.remove_entry(project, args.title).value
        print(f"removed journal entry '{escape_controls(entry.title)}'")
    return 0


def login_name() -> str:
    """The user's login name, "" where there is none."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in this environment
        return ""


HANDLERS = {"journal": run_journal}
