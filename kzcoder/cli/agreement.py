"""Agreement on the command line: ``kzcoder agreement PROJECT --coders A B [C…]
[--code C…] [--doc D…] [--json] [--disagreements]`` (services/agreement.py)."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable

from kzcoder.core.escaping import escape_field

AGREEMENT_COMMANDS = ("agreement",)


def add_agreement_command(command: Callable[..., argparse.ArgumentParser], code_help: str,
                          doc_help: str) -> None:
    """Add ``agreement`` through the command line's ``command`` helper (which adds PROJECT)."""
    cmd = command("agreement", "how far coders agree, on every code point of the documents "
                  "(coded or not) for each code, each document and pooled: percent agreement, "
                  "Cohen's kappa (two coders) or Fleiss' kappa (more), Krippendorff's alpha "
                  "and unitizing alpha (span boundaries); see docs/agreement.md",
                  "Without --code: every code the coders used; without --doc: every "
                  "document one of them coded.")
    cmd.add_argument("--coders", nargs="+", required=True, metavar="NAME")
    cmd.add_argument("--code", nargs="+", default=[], metavar="CODE", help=code_help)
    cmd.add_argument("--doc", nargs="+", default=[], metavar="DOC", help=doc_help)
    cmd.add_argument("--json", action="store_true")
    cmd.add_argument("--disagreements", action="store_true",
                     help="also list the stretches some coders coded and others did not")


def run_agreement_command(args: argparse.Namespace) -> int:
    """Run ``agreement``; KzError propagates (one line, exit 1)."""
    from kzcoder.cli.opening import open_project
    from kzcoder.core.agreement.report import HEADER
    from kzcoder.services.agreement import agreement

    with open_project(args.project) as project:
        report = agreement(project, args.coders, codes=args.code, documents=args.doc)
    if args.json:
        data = {"coders": list(report.coders), "unit": "code point",
                "rows": [_row_json(r) for r in report.rows],
                "disagreements": [_dis_json(d) for d in report.disagreements],
                "truncated": report.truncated}
        sys.stdout.buffer.write((json.dumps(data, ensure_ascii=False, indent=2) + "\n")
                                .encode("utf-8"))
        return 0
    header = HEADER[:5] + [report.kappa_name] + HEADER[6:]
    print("\t".join(header))
    for row in report.rows:
        print("\t".join(escape_field(cell) for cell in row.cells()))
    if args.disagreements:
        print()
        print("document\tcode\tstart\tend\tcoded by\tnot by")
        for d in report.disagreements:
            print(f"{escape_field(d.document)}\t{escape_field(d.code)}\t{d.start}\t{d.end}\t"
                  f"{escape_field(', '.join(d.coded_by))}\t{escape_field(', '.join(d.not_by))}")
    return 0


def _number(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 6)


def _row_json(row) -> dict:  # noqa: ANN001 - AgreementRow
    return {"code": row.code, "document": row.document, "units": row.units,
            "coded": row.coded, "percent": _number(row.percent), "cohen_kappa":
            _number(row.cohen), "fleiss_kappa": _number(row.fleiss),
            "alpha": _number(row.alpha), "alpha_u": _number(row.alpha_u)}


def _dis_json(d) -> dict:  # noqa: ANN001 - Disagreement
    return {"document": d.document, "code": d.code, "start": d.start, "end": d.end,
            "coded_by": list(d.coded_by), "not_by": list(d.not_by)}
