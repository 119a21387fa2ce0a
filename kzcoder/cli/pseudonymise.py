"""``kzcoder pseudonymise``: a copy of a project with terms replaced, and its key apart."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from kzcoder.core.escaping import escape_controls

PSEUDONYMISE_COMMANDS = ("pseudonymise",)


def add_pseudonymise_command(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``pseudonymise`` through the parser's ``command`` helper."""
    cmd = command("pseudonymise", "write a pseudonymised copy of the project: every term of "
                  "TERMS.csv replaced (whole words, case-sensitive) in document texts, names, "
                  "attributes and memos, every coding shifted to cover the same words; no "
                  "original files, no backups, a new history; the key (replacement -> term, "
                  "with counts) goes to KEY.csv, readable by you only",
                  "TERMS.csv is UTF-8 CSV with the header term,replacement (an empty "
                  "replacement becomes [Person 1], [Person 2]...). A bad terms file, an empty "
                  "term, a replacement that is a term, or an output that exists: one line, "
                  "exit 2, nothing written.")
    cmd.add_argument("--terms", metavar="TERMS.csv", type=Path, required=True)
    cmd.add_argument("-o", "--output", metavar="NEW", type=Path, required=True,
                     help="the pseudonymised project to write; it must not exist")
    cmd.add_argument("--key", metavar="KEY.csv", type=Path, required=True,
                     help="where the key goes; it must not exist")
    cmd.add_argument("--ignore-case", action="store_true",
                     help="match terms whatever their case")


def run_pseudonymise_command(args: argparse.Namespace) -> int:
    """Run ``pseudonymise``; a TermsError is one line and exit 2."""
    from kzcoder.core.pseudonymise import TermsError
    from kzcoder.services import pseudonymise

    try:
        for path in (args.output, args.key):
            if path.exists() or path.is_symlink():
                raise TermsError(f"{path}: already exists; choose another name")
        from kzcoder.cli.opening import open_project

        with open_project(args.project) as project:
            variants = pseudonymise.project_variants(project)
        replacer = pseudonymise.load_terms(args.terms, variants=variants,
                                           ignore_case=args.ignore_case)
        done = pseudonymise.pseudonymise(args.project, args.output, args.key, replacer)
    except TermsError as exc:
        print(f"kzcoder: {escape_controls(str(exc))}", file=sys.stderr)
        return 2
    replaced = sum(done.counts.values())
    print(f"wrote {escape_controls(str(done.project))} ({done.documents} documents, "
          f"{done.codings} codings, {replaced} replacements)")
    print(f"wrote the key {escape_controls(str(done.key))} (readable by you only; keep it "
          "apart from the copy)")
    return 0
