"""Search on the command line: ``search``, ``autocode``, ``variants`` and ``words``
(services/search/). A bad query, regular expression, code or stop-word language is one line
and exit status 2, with nothing changed."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from kzcoder.cli.filters import add_filter_arguments, documents_from_args
from kzcoder.core.errors import KzError
from kzcoder.core.escaping import escape_controls, escape_field

SEARCH_COMMANDS = ("search", "autocode", "variants", "words")

SYNTAX = ("QUERY: words that must all occur in a document (AND is implied), OR, NOT or -word, "
          "parentheses, \"an exact phrase\", prefix*; operators in capitals. Every occurrence "
          "of a word that is not negated is a hit. Name variants saved with 'kzcoder variants' "
          "count as one word. Offsets are code points of the stored text, end exclusive.")


def add_search_commands(command: Callable[..., argparse.ArgumentParser], code_help: str) -> None:
    """Add the search commands through the command line's ``command`` helper (adds PROJECT)."""
    cmd = command("search", "find a query in every document; prints document id, name, "
                  "start, end, left context, hit, right context", SYNTAX)
    _query_options(cmd)
    cmd.add_argument("--context", metavar="N", type=int, default=40,
                     help="characters of context either side (default 40)")
    cmd.add_argument("--json", action="store_true", help="a JSON list of hits")
    add_filter_arguments(cmd)
    cmd = command("autocode", "code every hit of a query (or its word, sentence or "
                  "paragraph) with CODE in one step, skipping spans this coder already has "
                  "for CODE; prints how many codings were added and how many were there",
                  SYNTAX)
    _query_options(cmd, variants=False)
    cmd.add_argument("code", metavar="CODE", help=code_help)
    cmd.add_argument("--expand", choices=("word", "sentence", "paragraph"),
                     help="code the whole word, sentence or paragraph around each hit "
                          "(never across a blank line)")
    cmd.add_argument("--coder", help="coder name (default: your login name)")
    add_filter_arguments(cmd)
    cmd = command("variants", "name variants: groups of spellings search takes as one term "
                  "(Tokayev = Toqaev = Токаев = Тоқаев)")
    actions = cmd.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="make the TERMs variants of one another")
    add.add_argument("terms", metavar="TERM", nargs="+")
    listing = actions.add_parser("list", help="list the groups, one per line (tab-separated)")
    listing.add_argument("--json", action="store_true")
    remove = actions.add_parser("remove", help="take TERM out of its group")
    remove.add_argument("term", metavar="TERM")
    cmd = command("words", "word frequencies: word, count, documents")
    cmd.add_argument("--top", metavar="N", type=int, help="only the N most frequent words")
    cmd.add_argument("--stopwords", metavar="LANGS", default="en,ru,kk",
                     help="leave out the stop words of these languages (en, ru, kk; "
                          "default en,ru,kk) or none")
    cmd.add_argument("--code", metavar="CODE", help="count only inside this code's segments")
    cmd.add_argument("--json", action="store_true")
    add_filter_arguments(cmd)


def _query_options(cmd: argparse.ArgumentParser, *, variants: bool = True) -> None:
    cmd.add_argument("query", metavar="QUERY", help="what to find (see below)")
    cmd.add_argument("--regex", action="store_true",
                     help="QUERY is a Python-style regular expression over the raw text")
    cmd.add_argument("--forms", action="store_true",
                     help="match word forms (Snowball stems: English, Russian)")
    if variants:
        cmd.add_argument("--no-variants", action="store_true",
                         help="do not take saved name variants as one term")


def _fail(message: str) -> int:
    print(f"kzcoder: {escape_controls(message)}", file=sys.stderr)
    return 2


def run_search_command(args: argparse.Namespace) -> int:
    """Run one search command. A refusal of the input (query, pattern, option, code, variant)
    is one line and exit 2; failures of the project file itself propagate (exit 1)."""
    from kzcoder.core.search.errors import SearchInputError

    if args.command in ("search", "autocode") and not args.query.strip():
        return _fail("empty query: give at least one word")
    from kzcoder.cli.opening import open_project

    with open_project(args.project) as project:
        if args.command in ("search", "autocode"):
            from kzcoder.services.search.searching import index_notice

            notice = index_notice(project)
            if notice:
                print(f"kzcoder: {notice}", file=sys.stderr)
        try:
            return _HANDLERS[args.command](project, args)
        except (SearchInputError, _UnknownCode) as exc:
            return _fail(str(exc))


class _UnknownCode(KzError):
    pass


def _check_code(project, code: str) -> None:  # noqa: ANN001 - Project
    """An unknown or ambiguous CODE is the user's input, refused with exit 2."""
    from kzcoder.services.codebook.editing import get_code

    try:
        get_code(project, code)
    except KzError as exc:
        raise _UnknownCode(str(exc)) from None


def _search(project, args: argparse.Namespace) -> int:  # noqa: ANN001 - Project
    from kzcoder.services.search.searching import search

    hits = search(project, args.query, regex=args.regex, forms=args.forms,
                  variants=not args.no_variants, context=args.context,
                  documents=documents_from_args(project, args))
    if args.json:
        # one line, no indent: the C encoder (tens of thousands of hits stay quick)
        json.dump([hit.as_json() for hit in hits], sys.stdout, ensure_ascii=False)
        print()
        return 0
    for hit in hits:
        print("\t".join((str(hit.document_id), escape_field(hit.document), str(hit.start),
                         str(hit.end), escape_field(hit.left), escape_field(hit.text),
                         escape_field(hit.right))))
    return 0


def _autocode(project, args: argparse.Namespace) -> int:  # noqa: ANN001 - Project
    from kzcoder.services.coders import default_coder_name
    from kzcoder.services.search.autocode import code_spans, hit_spans

    _check_code(project, args.code)  # before searching
    spans = hit_spans(project, args.query, regex=args.regex, forms=args.forms,
                      expand_to=args.expand or "hit",
                      documents=documents_from_args(project, args))
    result = code_spans(project, spans, args.code,
                        coder=args.coder or default_coder_name()).value
    print(f"added {len(result.added)} codings; {result.existing} already there")
    return 0


def _variants(project, args: argparse.Namespace) -> int:  # noqa: ANN001 - Project
    from kzcoder.services.search import variants

    if args.action == "add":
        group = variants.add_variants(project, args.terms).value
        print("\t".join(escape_field(s) for s in group))
    elif args.action == "remove":
        variants.remove_variant(project, args.term)
        print(f"removed {escape_controls(args.term)}")
    elif args.json:
        json.dump(variants.variant_groups(project), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for group in variants.variant_groups(project):
            print("\t".join(escape_field(s) for s in group))
    return 0


def _words(project, args: argparse.Namespace) -> int:  # noqa: ANN001 - Project
    from kzcoder.services.search.words import parse_languages, word_frequencies

    languages = parse_languages(args.stopwords)
    if args.code is not None:
        _check_code(project, args.code)
    counts = word_frequencies(project, top=args.top, languages=languages, code=args.code,
                              documents=documents_from_args(project, args))
    if args.json:
        json.dump([{"word": c.word, "count": c.count, "documents": c.documents}
                   for c in counts], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for c in counts:
        print(f"{escape_field(c.word)}\t{c.count}\t{c.documents}")
    return 0


_HANDLERS = {"search": _search, "autocode": _autocode, "variants": _variants, "words": _words}
