"""Backups on the command line: ``backup``, ``backups`` and ``restore`` (no Qt, no Project).

These work on the file itself, never through ``Project.open``: a copy must not upgrade or
otherwise touch the project, and a restore needs it closed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from kzcoder.core.escaping import escape_controls

BACKUP_COMMANDS = ("backup", "backups", "restore")


def add_backup_commands(sub: argparse._SubParsersAction,
                        command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``backup``, ``backups`` and ``restore`` to the command line's subparsers *sub*,
    through its ``command(name, text, *notes)`` helper (which adds PROJECT; all three take
    one, so *sub* itself is not needed yet)."""
    cmd = command("backup", "write a consistent copy of the project, also while it is open and "
                  "being changed (recent changes in its -wal file included), checked with "
                  "SQLite's integrity_check; without -o, a rolling backup in the 'backups' "
                  "folder beside it (none if nothing changed since the last)")
    cmd.add_argument("-o", "--output", metavar="FILE", type=Path,
                     help="the copy to write (one self-contained .kzc file); it must not exist")
    cmd.add_argument("--force", action="store_true", help="replace FILE if it exists")
    command("backups", "list the project's rolling backups, newest first: time taken, size in "
            "bytes, file")
    cmd = command("restore", "replace the project by BACKUP (the project must be closed); the "
                  "project as it is now is kept as a rolling backup first, and a BACKUP that "
                  "fails SQLite's integrity_check is refused")
    cmd.add_argument("backup", metavar="BACKUP", type=Path,
                     help="a backup ('kzcoder backups PROJECT' lists the rolling ones) or any "
                          "copy of a project")


def run_backup_command(args: argparse.Namespace) -> int:
    """Run ``backup``, ``backups`` or ``restore``; KzError propagates (one line, exit 1)."""
    from kzcoder.services import backup

    shown = lambda path: escape_controls(str(path))  # noqa: E731
    if args.command == "backup":
        if args.output is None:
            written = backup.backup_now(args.project)
            if written is None:
                newest = backup.list_backups(args.project)[0]
                print(f"no change since the last backup, {shown(newest.path)}")
                return 0
        else:
            written = backup.save_copy(args.project, args.output, overwrite=args.force)
        size = backup.human_size(written.stat().st_size)
        print(f"wrote {shown(written)} ({size}, integrity checked)")
        return 0
    if args.command == "backups":
        for info in backup.list_backups(args.project):
            print(f"{info.taken:%Y-%m-%d %H:%M:%S}\t{info.size}\t{shown(info.path)}")
        return 0
    kept = backup.restore(args.project, args.backup)
    tail = f"; the project as it was is kept as {shown(kept)}" if kept is not None else ""
    print(f"restored {shown(args.project)} from {shown(args.backup)}{tail}")
    return 0
