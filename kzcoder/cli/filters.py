"""``--where ATTR=VALUE`` and ``--docset NAME`` for any command: one call adds them to a parser,
one call turns them into the documents to keep."""

from __future__ import annotations

import argparse

WHERE_HELP = ("keep documents whose attribute ATTR is VALUE, or between A and B with "
              "ATTR=A..B (inclusive; dates compare as dates and a partial date covers its "
              "whole year or month); text~WORD keeps documents containing WORD; repeatable, "
              "all must hold")
DOCSET_HELP = "keep only the documents of the saved document set NAME (see 'kzcoder sets')"


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--where`` (repeatable) and ``--docset`` to *parser*."""
    parser.add_argument("--where", metavar="ATTR=VALUE", action="append", default=[],
                        help=WHERE_HELP)
    parser.add_argument("--docset", metavar="NAME", help=DOCSET_HELP)


def has_filter(args: argparse.Namespace) -> bool:
    """Whether ``--where`` or ``--docset`` was given."""
    return bool(getattr(args, "where", None)) or getattr(args, "docset", None) is not None


def documents_from_args(project, args: argparse.Namespace) -> set[int] | None:  # noqa: ANN001
    """The ids of the documents ``--where`` and ``--docset`` keep, or None when neither was
    given; an unknown attribute, a malformed range or an unknown set is a ``UsageError``
    (exit 2)."""
    if not has_filter(args):
        return None
    from kzcoder.services.analysis.filters import filtered_documents

    return filtered_documents(project, args.where, args.docset)
