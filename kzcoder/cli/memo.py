"""``kzcoder memo``: print or set the memo of the project, a document, a code or a coding
(``services.memos``), and how a memo is read from a file (``read_memo_file``, also used by
``code --memo-file``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from kzcoder.core.errors import KzError
from kzcoder.core.escaping import escape_controls

NAMES = ("memo",)
DOC_HELP = "document: id:N, name:TEXT, or a bare name or id"
CODE_HELP = "code: id:N, name:TEXT, or a bare name or id"
FILE_RULES = "UTF-8; line endings become \\n and one final newline is dropped"


def add_memo_command(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``memo`` through cli/main.py's ``command(name, text, *notes)`` helper."""
    cmd = command("memo", "print the memo of the project, or of a document, a code or a "
                  "coding (UTF-8, exactly); with --set or --file, set it instead",
                  "Memos are stored as given, except that line endings become \\n.")
    which = cmd.add_mutually_exclusive_group()
    which.add_argument("--doc", metavar="DOC", help=DOC_HELP)
    which.add_argument("--code", metavar="CODE", help=CODE_HELP)
    which.add_argument("--coding", metavar="ID", help="a coding's id (as 'segments' lists it)")
    text = cmd.add_mutually_exclusive_group()
    text.add_argument("--set", dest="text", metavar="TEXT",
                      help="set the memo to TEXT ('' empties it)")
    text.add_argument("--file", metavar="FILE",
                      help=f"set the memo from FILE ('-': standard input), {FILE_RULES}")


def run_memo(project, args: argparse.Namespace) -> int:  # noqa: ANN001 - Project
    """Print the memo asked for, or set it (one line on stderr says so)."""
    from kzcoder.services import memos

    kind, ref = next(((kind, ref) for kind, ref in (("document", args.doc),
                                                     ("code", args.code),
                                                     ("coding", args.coding))
                      if ref is not None), ("project", None))
    if args.text is None and args.file is None:
        memo = memos.get_memo(project, kind, ref)
        sys.stdout.flush()
        sys.stdout.buffer.write(memo.text.encode("utf-8"))
        sys.stdout.buffer.flush()
        return 0
    text = args.text if args.text is not None else read_memo_file(args.file)
    before, after = memos.set_memo(project, kind, ref, text).value
    done = "set" if after.text != before.text else "unchanged:"
    print(f"{done} the memo of {escape_controls(after.label)} ({len(after.text)} characters)",
          file=sys.stderr)
    return 0


def read_memo_file(name: str) -> str:
    """The memo in file *name* ('-': standard input): UTF-8 (a BOM is dropped), line endings
    made ``\\n``, one final newline dropped."""
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise KzError(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = "standard input" if name == "-" else name
        raise KzError(f"{where}: the memo is not UTF-8 text (byte {exc.start})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text[:-1] if text.endswith("\n") else text


HANDLERS = {"memo": run_memo}
