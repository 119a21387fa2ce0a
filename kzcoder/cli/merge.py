"""Merging on the command line: ``kzcoder merge PROJECT OTHER`` (a ``.kzc`` or a ``.qdpx``)
prints what the merge added, matched and kept ours against theirs (services/merge/merging.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from kzcoder.cli.progress import TerminalProgress
from kzcoder.cli.server import project_location
from kzcoder.core.escaping import escape_controls

MERGE_COMMANDS = ("merge",)


def add_merge_command(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``merge`` through the command line's ``command`` helper (which adds PROJECT)."""
    cmd = command("merge", "merge another project (a file or a server's) into PROJECT: "
                  "documents matched by GUID, then by identical text; codes by GUID, then by "
                  "path of names; coders by GUID, then by name; codings by GUID. Nothing is "
                  "lost and nothing of PROJECT is overwritten (differences are reported, "
                  "ours kept); merging again changes nothing. OTHER is only read.")
    cmd.add_argument("other", metavar="OTHER", type=project_location,
                     help="a kzcoder project (.kzc or a postgresql:// URL) or a REFI-QDA "
                          "project (.qdpx)")


def run_merge_command(args: argparse.Namespace) -> int:
    """Run ``merge``; KzError propagates (one line, exit 1, nothing changed)."""
    from kzcoder.cli.opening import open_project
    from kzcoder.db.backends.location import parse_location
    from kzcoder.services.merge.merging import merge_project
    from kzcoder.services.merge.read import check_other

    check_other(parse_location(args.project), args.other)  # before opening
    progress = TerminalProgress(sys.stderr, "merging document") if sys.stderr.isatty() \
        else None
    try:
        with open_project(args.project) as project:
            report = merge_project(project, args.other, progress=progress).value
    finally:
        if progress is not None:
            progress.clear()
    for line in report.summary_lines():
        print(escape_controls(line))
    return 0
