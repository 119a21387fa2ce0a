"""Exports on the command line: ``export`` (segments as CSV/XLSX/JSON, a REFI-QDA project, an
HTML report) and ``import-project`` (a REFI-QDA project into a new kzcoder project)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from kzcoder.cli.filters import add_filter_arguments, documents_from_args, has_filter
from kzcoder.cli.progress import TerminalProgress
from kzcoder.core.escaping import escape_controls

EXPORT_COMMANDS = ("export", "import-project")
FORMATS = ("csv", "xlsx", "json", "qdpx", "html")


def add_export_commands(sub: argparse._SubParsersAction,
                        command: Callable[..., argparse.ArgumentParser],
                        references: str, doc_help: str, code_help: str) -> None:
    """Add ``export`` (through the command line's ``command`` helper, which adds PROJECT) and
    ``import-project`` (which takes no existing project) to the subparsers *sub*."""
    cmd = command("export", "write the coded segments (csv: UTF-8 with BOM for spreadsheets; "
                  "xlsx: segments, codebook, documents and code x document counts; json), the "
                  "whole project for ATLAS.ti, NVivo, MAXQDA or QualCoder (qdpx, REFI-QDA), "
                  "or a report that opens in any browser (html)", references,
                  "Spreadsheet cells that begin with =, +, -, @, tab or carriage return get "
                  "a leading apostrophe (formula injection); nothing else is altered. Offsets "
                  "are code points of the stored text, end exclusive.")
    cmd.add_argument("--format", required=True, choices=FORMATS)
    cmd.add_argument("-o", "--output", metavar="PATH", required=True, type=Path,
                     help="the file to write; it must not exist")
    cmd.add_argument("--force", action="store_true", help="replace PATH if it exists")
    cmd.add_argument("--for", dest="for_tool", choices=("nvivo",),
                     help="qdpx: positions as NVivo for Windows counts them (UTF-16 code units "
                     "over the text with CRLF line endings)")
    cmd.add_argument("--code", metavar="CODE", help=f"{code_help} (csv, xlsx, json)")
    cmd.add_argument("--doc", metavar="DOC", help=f"{doc_help} (csv, xlsx, json)")
    cmd.add_argument("--coder", help="coder name (csv, xlsx, json)")
    add_filter_arguments(cmd)
    cmd.add_argument("--subcodes", action="store_true",
                     help="with --code: that code's sub-codes too, at any depth")
    cmd.add_argument("--group-by", metavar="ATTRIBUTE",
                     help="html: list the documents in groups by this attribute ('year': the "
                          "year of 'published')")
    cmd = sub.add_parser("import-project", help="make a new kzcoder project from a REFI-QDA "
                         "project (.qdpx) written by kzcoder, ATLAS.ti, NVivo, MAXQDA or "
                         "QualCoder; what cannot be imported is listed in a report beside it",
                         description="make a new kzcoder project from a REFI-QDA project")
    cmd.add_argument("source", metavar="FILE.qdpx", type=Path)
    cmd.add_argument("project", metavar="NEW_PROJECT", type=Path,
                     help="the .kzc file to create; it must not exist")


def run_export_command(args: argparse.Namespace) -> int:
    """Run ``export`` or ``import-project``; KzError propagates (one line, exit 1)."""
    from kzcoder.cli.opening import open_project
    from kzcoder.core.errors import KzError

    progress = TerminalProgress(sys.stderr, "writing") if sys.stderr.isatty() else None
    try:
        if args.command == "import-project":
            from kzcoder.services.refi import importing as refi_import

            report = refi_import.import_qdpx(args.source, args.project, progress=progress)
            if progress is not None:
                progress.clear()
            for line in report.summary_lines():
                print(escape_controls(line))
            if report.path is not None:
                print(f"report saved as {escape_controls(str(report.path))}")
            return 0
        if args.for_tool and args.format != "qdpx":
            print(f"kzcoder export: error: --for {args.for_tool} is for --format qdpx",
                  file=sys.stderr)
            return 2
        if args.subcodes and args.code is None:
            from kzcoder.cli.coding import subcodes_need_a_code

            return subcodes_need_a_code("export")
        if args.group_by is not None and args.format != "html":
            print("kzcoder export: error: --group-by is for --format html", file=sys.stderr)
            return 2
        filters = (args.code, args.doc, args.coder)
        if args.format in ("qdpx", "html") and (any(f is not None for f in filters)
                                                or has_filter(args)):
            raise KzError(f"--code, --doc, --coder, --where and --docset select segments: a "
                          f"{args.format} export is the whole project")
        with open_project(args.project) as project:
            written = _export(project, args, progress)
    finally:
        if progress is not None:
            progress.clear()
    print(f"wrote {escape_controls(str(args.output))} ({written})")
    return 0


def _export(project, args: argparse.Namespace, progress) -> str:  # noqa: ANN001
    if args.format == "qdpx":
        from kzcoder.services.refi import exporting as refi_export

        return refi_export.export_qdpx(project, args.output, overwrite=args.force,
                                       progress=progress,
                                       for_tool=args.for_tool or "").value.describe()
    from kzcoder.services import exports

    if args.format == "html":
        return exports.export_report(project, args.output, overwrite=args.force,
                                     progress=progress, group_by=args.group_by).describe()
    documents = documents_from_args(project, args)
    coding_ids = None
    if documents is not None:
        from kzcoder.services.analysis.filters import codings_in

        coding_ids = codings_in(project, documents)
    return exports.export_segments(project, args.output, args.format, code=args.code,
                                   doc=args.doc, coder=args.coder, subcodes=args.subcodes,
                                   coding_ids=coding_ids, overwrite=args.force,
                                   progress=progress).describe()
