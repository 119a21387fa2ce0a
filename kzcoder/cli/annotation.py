"""``kzcoder annotation PROJECT add DOC START END (--text T | --file F) | list [--doc DOC]
[--json] | remove ID``: notes anchored to a span of a document without a code
(``services.annotation``)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from kzcoder.cli.journal import login_name
from kzcoder.cli.memo import DOC_HELP, FILE_RULES, read_memo_file
from kzcoder.core.escaping import escape_controls, escape_field

NAMES = ("annotation",)


def add_annotation_command(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``annotation`` through cli/main.py's ``command(name, text, *notes)`` helper."""
    cmd = command("annotation", "notes anchored to a span of a document without a code "
                  "(QualCoder's annotations; exported to REFI-QDA as a PlainTextSelection "
                  "with a Description and no Coding)",
                  "START and END are code points of the stored text, END exclusive, as for "
                  "'code'.")
    actions = cmd.add_subparsers(dest="action", required=True, metavar="ACTION",
                                 parser_class=type(cmd))
    add = actions.add_parser("add", help="anchor a note to [START, END) of DOC",
                             description="anchor a note to [START, END) of DOC; prints its id")
    add.add_argument("doc", metavar="DOC", help=DOC_HELP)
    add.add_argument("start", metavar="START", type=int, help="first code point (from 0)")
    add.add_argument("end", metavar="END", type=int, help="code point after the last")
    text = add.add_mutually_exclusive_group(required=True)
    text.add_argument("--text", metavar="T", help="the note's text")
    text.add_argument("--file", metavar="F",
                      help=f"the note's text from F ('-': standard input), {FILE_RULES}")
    add.add_argument("--author", help="who wrote it (default: your login name)")
    listing = actions.add_parser(
        "list", help="list the annotations, by document and span",
        description="list the annotations, by document and span: id, document, start, end, "
        "author, text (tab-separated), or JSON")
    listing.add_argument("--doc", metavar="DOC", help="only those of DOC; " + DOC_HELP)
    listing.add_argument("--json", action="store_true")
    remove = actions.add_parser("remove", help="remove an annotation",
                                description="remove an annotation (its id as 'list' shows it)")
    remove.add_argument("annotation_id", metavar="ID", type=int)


def run_annotation(project, args: argparse.Namespace) -> int:  # noqa: ANN001 - Project
    """Run one ``annotation`` action; KzError propagates (one line, exit 1, nothing
    changed)."""
    from kzcoder.services import annotation, documents

    if args.action == "add":
        text = args.text if args.text is not None else read_memo_file(args.file)
        author = args.author if args.author is not None else login_name()
        found = annotation.add_annotation(project, args.doc, args.start, args.end, text,
                                          author=author).value
        print(found.id)
    elif args.action == "list":
        found = annotation.list_annotations(project, args.doc) if args.doc is not None \
            else annotation.all_annotations(project)
        names = {d.id: d.name for d in documents.list_documents(
            project, {a.document_id for a in found})}
        if args.json:
            print(json.dumps([a.as_json(names[a.document_id]) for a in found],
                             ensure_ascii=False, indent=1))
        for a in found if not args.json else ():
            print(f"{a.id}\t{escape_field(names[a.document_id])}\t{a.start}\t{a.end}\t"
                  f"{escape_field(a.author)}\t{escape_field(a.text)}")
    else:
        found = annotation.remove_annotation(project, args.annotation_id).value
        print(f"removed annotation {found.id} on [{found.start}, {found.end}) of document "
              f"{found.document_id}: {escape_controls(found.text[:40])}")
    return 0


HANDLERS = {"annotation": run_annotation}
