"""The command line: the same services the GUI uses, no Qt unless the GUI is asked for."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kzcoder import __version__
from kzcoder.cli.agreement import AGREEMENT_COMMANDS, add_agreement_command
from kzcoder.cli.analysis import ANALYSIS_COMMANDS, add_analysis_commands
from kzcoder.cli.annotation import NAMES as ANNOTATION_COMMANDS
from kzcoder.cli.annotation import add_annotation_command
from kzcoder.cli.backup import BACKUP_COMMANDS, add_backup_commands
from kzcoder.cli.codebook import NAMES as CODEBOOK_COMMANDS
from kzcoder.cli.codebook import add_codebook_commands
from kzcoder.cli.codeset import NAMES as CODESET_COMMANDS
from kzcoder.cli.codeset import add_codeset_command
from kzcoder.cli.exchange import EXPORT_COMMANDS, add_export_commands
from kzcoder.cli.filters import add_filter_arguments
from kzcoder.cli.history import HISTORY_COMMANDS, add_history_commands
from kzcoder.cli.journal import NAMES as JOURNAL_COMMANDS
from kzcoder.cli.journal import add_journal_command
from kzcoder.cli.memo import NAMES as MEMO_COMMANDS
from kzcoder.cli.memo import add_memo_command
from kzcoder.cli.merge import MERGE_COMMANDS, add_merge_command
from kzcoder.cli.protection import (
    PASSPHRASE_FILE_HELP,
    PROTECTION_COMMANDS,
    add_protection_commands,
)
from kzcoder.cli.pseudonymise import PSEUDONYMISE_COMMANDS, add_pseudonymise_command
from kzcoder.cli.search import SEARCH_COMMANDS, add_search_commands
from kzcoder.cli.server import SERVER_COMMANDS, add_server_commands, project_location
from kzcoder.core.errors import KzError, UsageError
from kzcoder.core.escaping import escape_controls

COMMANDS = ("new", "import", "docs", "doc-edit", "show", "original", "codes", "code", "uncode",
            "segments",
            *CODEBOOK_COMMANDS, *MEMO_COMMANDS, *EXPORT_COMMANDS, *BACKUP_COMMANDS,
            *MERGE_COMMANDS, *AGREEMENT_COMMANDS, *ANALYSIS_COMMANDS, *JOURNAL_COMMANDS,
            *ANNOTATION_COMMANDS, *CODESET_COMMANDS,
            *PROTECTION_COMMANDS, *HISTORY_COMMANDS, *PSEUDONYMISE_COMMANDS, *SEARCH_COMMANDS,
            *SERVER_COMMANDS)

DOC_HELP = "document: id:N, name:TEXT, or a bare name or id"
CODE_HELP = "code: id:N, name:TEXT, or a bare name or id"
REFERENCES = ("DOC and CODE: id:N is the id, name:TEXT the exact name; a bare DOC or CODE that "
              "is the name of one and the id of another is refused as ambiguous.")
WAITING = ("A change waits up to 10 s for another program writing to the project "
           "(KZCODER_BUSY_TIMEOUT_MS sets it in milliseconds).")
OUTPUT = ("Tab-separated output escapes control characters (\\n, \\t, \\x1b...) and doubles "
          "backslashes; --json does not need to.")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit code 2, and takes options only
    as written in full: with abbreviations, adding an option could change what an existing
    script's shortened option means."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - argparse's own
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {escape_controls(message)} "
                     f"(see '{self.prog} --help')\n")


def _build_parser() -> argparse.ArgumentParser:
    from kzcoder.exchange import readers  # not at start-up: the window needs none of them

    parser = _Parser(prog="kzcoder", description="Qualitative coding of news articles.")
    parser.add_argument("--version", action="version", version=f"kzcoder {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    def command(name: str, text: str, *notes: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=text, description=text,
                             epilog=" ".join((*notes, WAITING)))
        cmd.add_argument("project", metavar="PROJECT", type=project_location,
                         help="a .kzc project file or a postgresql:// URL (docs/server.md)")
        cmd.add_argument("--passphrase-file", metavar="FILE", type=Path,
                         help=PASSPHRASE_FILE_HELP)
        return cmd

    cmd = command("new", "create a project file")
    cmd.add_argument("--sample", action="store_true",
                     help="load the sample articles and the default codebook")
    cmd.add_argument("--encrypt", action="store_true",
                     help="encrypt the project (passphrase from KZCODER_PASSPHRASE, "
                          "--passphrase-file or a prompt)")
    cmd = command("import", f"import documents ({readers.describe_accepted()}) from files "
                  "and folders; each file is kept in the project as the document's original",
                  "Progress goes to standard error when it is a terminal.", OUTPUT)
    cmd.add_argument("paths", metavar="PATH", nargs="+", type=Path)
    cmd = command("docs", "list documents: id, name, length in code points, attributes",
                  OUTPUT)
    cmd.add_argument("--json", action="store_true")
    cmd = command("doc-edit", "rename a document or set and remove its attributes (title, "
                  "outlet, published as YYYY-MM-DD, YYYY-MM or YYYY, ...); prints it as 'docs' "
                  "does", REFERENCES, OUTPUT)
    cmd.add_argument("doc", metavar="DOC", help=DOC_HELP)
    cmd.add_argument("--name", help="the document's new name")
    cmd.add_argument("--set", dest="set_attributes", metavar="KEY=VALUE", action="append",
                     type=_key_value, default=[],
                     help="set an attribute (repeatable; an empty VALUE removes it)")
    cmd.add_argument("--unset", metavar="KEY", action="append", default=[],
                     help="remove an attribute (repeatable; absent is fine)")
    cmd = command("show", "print a document's stored text (UTF-8), exactly", REFERENCES)
    cmd.add_argument("doc", metavar="DOC", help=DOC_HELP)
    cmd = command("original", "write the file a document was imported from, byte for byte",
                  REFERENCES)
    cmd.add_argument("doc", metavar="DOC", help=DOC_HELP)
    cmd.add_argument("-o", "--output", metavar="FILE", required=True,
                     help="where to write it ('-': standard output); it must not exist")
    cmd.add_argument("--force", action="store_true", help="replace FILE if it exists")
    cmd = command("codes", "list the codebook", OUTPUT)
    cmd.add_argument("--json", action="store_true")
    cmd = command("code", "code [START, END) of a document; prints the new coding's id",
                  REFERENCES)
    cmd.add_argument("doc", metavar="DOC", help=DOC_HELP)
    cmd.add_argument("code", metavar="CODE", help=CODE_HELP)
    cmd.add_argument("start", metavar="START", type=int, help="first code point (from 0)")
    cmd.add_argument("end", metavar="END", type=int, help="code point after the last")
    cmd.add_argument("--coder", help="coder name (default: your login name)")
    memo = cmd.add_mutually_exclusive_group()
    memo.add_argument("--memo", default="", help="the coding's memo")
    memo.add_argument("--memo-file", metavar="FILE",
                      help="read the memo from FILE ('-': standard input), UTF-8; line endings "
                           "become \\n and one final newline is dropped")
    cmd = command("uncode", "remove a coding")
    cmd.add_argument("coding_id", metavar="CODING_ID", type=int)
    cmd = command("segments", "list coded segments with their text", REFERENCES, OUTPUT)
    cmd.add_argument("--code", metavar="CODE", help=CODE_HELP)
    cmd.add_argument("--doc", metavar="DOC", help=DOC_HELP)
    cmd.add_argument("--coder", help="coder name")
    cmd.add_argument("--json", action="store_true")
    add_filter_arguments(cmd)
    cmd.add_argument("--subcodes", action="store_true",
                     help="with --code: that code's sub-codes too, at any depth")
    add_codebook_commands(lambda name, text, *notes: command(name, text, REFERENCES, *notes))
    add_memo_command(lambda name, text, *notes: command(name, text, REFERENCES, *notes))
    add_journal_command(command)
    add_annotation_command(lambda name, text, *notes: command(name, text, REFERENCES, *notes))
    add_codeset_command(lambda name, text, *notes: command(name, text, REFERENCES, *notes))
    add_export_commands(sub, command, REFERENCES, DOC_HELP, CODE_HELP)
    add_backup_commands(sub, command)
    add_merge_command(command)
    add_agreement_command(lambda name, text, *notes: command(name, text, REFERENCES, *notes),
                          CODE_HELP, DOC_HELP)
    add_analysis_commands(command, _Parser)
    add_protection_commands(command)
    add_history_commands(command)
    add_pseudonymise_command(command)
    add_search_commands(command, CODE_HELP)
    add_server_commands(sub)
    return parser


def _key_value(text: str) -> tuple[str, str]:
    """``KEY=VALUE`` split at the first '='; a usage error without one."""
    key, equals, value = text.partition("=")
    if not equals:
        raise argparse.ArgumentTypeError(f"'{text}' is not KEY=VALUE")
    return key, value


def _window_project(text: str) -> Path | str:
    """The window's PROJECT: a path, or a server URL kept as written (``Path`` would fold
    its ``//``)."""
    from kzcoder.core.locations import looks_like_server_url

    return text if looks_like_server_url(text) else Path(text)


def _build_gui_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kzcoder",
                     usage="kzcoder [PROJECT] | kzcoder --self-test | kzcoder COMMAND ...",
                     epilog=f"commands: {', '.join(COMMANDS)} (kzcoder COMMAND --help)")
    parser.add_argument("--version", action="version", version=f"kzcoder {__version__}")
    parser.add_argument("project", metavar="PROJECT", nargs="?", type=_window_project,
                        help="project to open in the window, a file or a postgresql:// URL "
                        "(default: your default project)")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation end to end in a temporary folder "
                        "(window offscreen, every import and export format); prints one line")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 refused, 2 usage, 3 bug)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            args = _build_parser().parse_args(argv)
            return _run_command(args)
        args = _build_gui_parser().parse_args(argv)
        if args.self_test:
            from kzcoder.selftest import run_self_test

            return run_self_test()
        from kzcoder.gui.shell.app import run_gui  # Qt is imported only here

        return run_gui(args.project)
    except UsageError as exc:  # bad input (a passphrase too), like a usage error: exit 2
        print(f"kzcoder: {escape_controls(str(exc))}", file=sys.stderr)
        return 2
    except KzError as exc:
        print(f"kzcoder: {escape_controls(str(exc))}", file=sys.stderr)
        return 1
    except SystemExit as exc:  # argparse: --help, --version, usage errors (already printed)
        return exc.code if isinstance(exc.code, int) else 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: no traceback in front of users
        if os.environ.get("KZCODER_DEBUG"):
            raise
        print(f"kzcoder: unexpected error: {type(exc).__name__}: {escape_controls(str(exc))} "
              "(run again with KZCODER_DEBUG=1 for details)", file=sys.stderr)
        return 3


def _run_command(args: argparse.Namespace) -> int:
    from kzcoder.cli.protection import install_passphrase_source

    install_passphrase_source(args)
    try:
        try:
            return _run_with_passphrase(args)
        except KzError as exc:
            from kzcoder.cli.server_password import asked_after

            if not asked_after(exc):
                raise
            return _run_with_passphrase(args)
    finally:
        install_passphrase_source(None)


def _run_with_passphrase(args: argparse.Namespace) -> int:
    if args.command in PROTECTION_COMMANDS:
        from kzcoder.cli.protection import run_protection_command

        return run_protection_command(args)
    if args.command in PSEUDONYMISE_COMMANDS:
        from kzcoder.cli.pseudonymise import run_pseudonymise_command

        return run_pseudonymise_command(args)
    if args.command in HISTORY_COMMANDS:
        from kzcoder.cli.history import run_history_command

        return run_history_command(args)
    if args.command in EXPORT_COMMANDS:
        from kzcoder.cli.exchange import run_export_command

        return run_export_command(args)
    if args.command in AGREEMENT_COMMANDS:
        from kzcoder.cli.agreement import run_agreement_command

        return run_agreement_command(args)
    if args.command in ANALYSIS_COMMANDS:
        from kzcoder.cli.analysis import run_analysis_command

        return run_analysis_command(args)
    if args.command in MERGE_COMMANDS:
        from kzcoder.cli.merge import run_merge_command

        return run_merge_command(args)
    if args.command in SEARCH_COMMANDS:
        from kzcoder.cli.search import run_search_command

        return run_search_command(args)
    if args.command in SERVER_COMMANDS:
        from kzcoder.cli.server import run_server_command

        return run_server_command(args)
    from kzcoder.cli.coding import run_command

    return run_command(args)
