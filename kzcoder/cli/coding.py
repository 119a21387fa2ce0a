"""What each command-line command does: thin wrappers over services that print results.

Tab-separated output escapes control characters and doubles backslashes in every text field
(``escape_field``): a record is one line, and nothing from a project reaches the terminal raw.
JSON output escapes by itself; ``show`` prints the stored text exactly, as asked.
"""

from __future__ import annotations

import argparse
import json
import sys

from kzcoder.cli.annotation import HANDLERS as ANNOTATION_HANDLERS
from kzcoder.cli.backup import BACKUP_COMMANDS, run_backup_command
from kzcoder.cli.codebook import HANDLERS as CODEBOOK_HANDLERS
from kzcoder.cli.codeset import HANDLERS as CODESET_HANDLERS
from kzcoder.cli.filters import documents_from_args
from kzcoder.cli.journal import HANDLERS as JOURNAL_HANDLERS
from kzcoder.cli.memo import HANDLERS as MEMO_HANDLERS
from kzcoder.cli.memo import read_memo_file as _read_memo
from kzcoder.cli.opening import open_project
from kzcoder.cli.progress import TerminalProgress
from kzcoder.cli.protection import new_passphrase
from kzcoder.core.errors import KzError
from kzcoder.core.escaping import escape_controls, escape_field
from kzcoder.core.records import DocumentInfo
from kzcoder.services import codings, documents, originals, segments
from kzcoder.services.codebook import editing as codebook
from kzcoder.services.coders import project_coder_name
from kzcoder.services.project import Project
from kzcoder.services.sample import create_project


def run_command(args: argparse.Namespace) -> int:
    """Run one parsed command; KzError propagates to the caller, which prints it."""
    if args.command == "new":
        passphrase = new_passphrase(args) if args.encrypt else None
        create_project(args.project, sample=args.sample, passphrase=passphrase).close()
        print(f"created {escape_controls(str(args.project))}")
        return 0
    if args.command in BACKUP_COMMANDS:  # these work on the file, never opening it
        return run_backup_command(args)
    with open_project(args.project) as project:
        if getattr(args, "coder", None):  # the history names who made the change
            project.actor = args.coder.strip() or project.actor
        return _HANDLERS[args.command](project, args)


def _import(project: Project, args: argparse.Namespace) -> int:
    progress = TerminalProgress(sys.stderr) if sys.stderr.isatty() else None
    try:
        report = documents.import_paths(project, args.paths, progress=progress).value
    finally:
        if progress is not None:
            progress.clear()
    for refusal in report.refused:
        print(f"kzcoder: refused {escape_controls(refusal.reason)}", file=sys.stderr)
    for warning in report.warnings:  # the file went in: a warning alone does not fail
        print(f"kzcoder: warning: {escape_controls(warning.reason)}", file=sys.stderr)
    for duplicate in report.duplicates:
        print(f"skipped {escape_controls(duplicate.reason)}")
    for info in report.imported:
        print(f"{info.id}\t{escape_field(info.name)}\t{info.length}")
    print(report.summary_lines()[-1])
    return 1 if report.refused else 0


def _original(project: Project, args: argparse.Namespace) -> int:
    info = originals.save_original(project, args.doc, args.output, overwrite=args.force)
    if args.output != "-":
        print(f"wrote {escape_controls(str(args.output))} ({info.size} bytes, "
              f"{escape_controls(info.media_type)}, SHA-256 {info.sha256})", file=sys.stderr)
    return 0


def _docs(project: Project, args: argparse.Namespace) -> int:
    infos = documents.list_documents(project)
    if args.json:
        _print_json([{"id": d.id, "guid": d.guid, "name": d.name, "length": d.length,
                      "attributes": d.attributes} for d in infos])
        return 0
    for d in infos:
        _print_document(d)
    return 0


def _print_document(d: DocumentInfo) -> None:
    attributes = "; ".join(f"{escape_field(k)}={escape_field(v)}"
                           for k, v in d.attributes.items())
    print(f"{d.id}\t{escape_field(d.name)}\t{d.length}\t{attributes}")


def _doc_edit(project: Project, args: argparse.Namespace) -> int:
    _, after = documents.update_document(project, args.doc, name=args.name,
                                         set_attributes=dict(args.set_attributes),
                                         unset=args.unset).value
    _print_document(after)
    return 0


def _show(project: Project, args: argparse.Namespace) -> int:
    info = documents.get_document(project, args.doc)
    sys.stdout.flush()
    sys.stdout.buffer.write(documents.document_text(project, info.id).encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


def _codes(project: Project, args: argparse.Namespace) -> int:
    infos = codebook.list_codes(project)
    if args.json:
        by_id = {c.id: c for c in infos}
        counts, documents_of = codings.code_usage(project)

        def path(code):  # noqa: ANN001, ANN202
            return (*path(by_id[code.parent_id]), code.name) if code.parent_id else (code.name,)

        _print_json([{"id": c.id, "guid": c.guid, "name": c.name, "path": list(path(c)),
                      "parent": c.parent_id, "color": c.color, "shortcut": c.shortcut,
                      "description": c.description, "codings": counts.get(c.id, 0),
                      "documents": documents_of.get(c.id, 0), "codable": c.codable}
                     for c in infos])
        return 0
    names = {c.id: escape_field(c.name) for c in infos}
    for c in infos:
        parent = f"\tparent={names[c.parent_id]}" if c.parent_id else ""
        category = "" if c.codable else "\tcategory"
        print(f"{c.id}\t{names[c.id]}\t{c.color}\tkey={c.shortcut or '-'}{parent}{category}")
        for line in c.description.splitlines():
            print(f"\t{escape_field(line)}")
    return 0


def _code(project: Project, args: argparse.Namespace) -> int:
    memo = _read_memo(args.memo_file) if args.memo_file is not None else args.memo
    coding = codings.add_coding(project, args.doc, args.code, args.start, args.end,
                                coder=args.coder or project_coder_name(project), memo=memo)
    print(coding.value.id)
    return 0


#: SQLite's largest integer: a number past it is no coding's
_MAX_ID = 2**63 - 1


def _uncode(project: Project, args: argparse.Namespace) -> int:
    if not 1 <= args.coding_id <= _MAX_ID:
        raise KzError(f"no coding numbered {args.coding_id}")
    removed = codings.remove_coding(project, args.coding_id).value
    print(f"removed coding {removed.id} ({removed.start}-{removed.end})")
    return 0


def _segments(project: Project, args: argparse.Namespace) -> int:
    if args.subcodes and args.code is None:
        return subcodes_need_a_code("segments")
    found = segments.list_segments(project, code=args.code, document=args.doc, coder=args.coder,
                                   subcodes=args.subcodes,
                                   documents=documents_from_args(project, args))
    if args.json:
        _print_json([s.as_json() for s in found])
        return 0
    for s in found:
        print(f"{s.id}\t{escape_field(s.document)}\t{escape_field(s.code)}\t"
              f"{escape_field(s.coder)}\t{s.start}-{s.end}\t{escape_field(s.text)}")
    return 0


def subcodes_need_a_code(command: str) -> int:
    """--subcodes alone is a usage error: one line, exit status 2."""
    print(f"kzcoder {command}: error: --subcodes needs --code (the code whose sub-codes to "
          "include)", file=sys.stderr)
    return 2


def _print_json(value: object) -> None:
    sys.stdout.flush()
    data = json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    sys.stdout.buffer.write(data.encode("utf-8"))
    sys.stdout.buffer.flush()


_HANDLERS = {"import": _import, "docs": _docs, "doc-edit": _doc_edit, "show": _show,
             "original": _original,
             "codes": _codes, "code": _code, "uncode": _uncode, "segments": _segments,
             **CODEBOOK_HANDLERS, **MEMO_HANDLERS, **JOURNAL_HANDLERS,
             **ANNOTATION_HANDLERS, **CODESET_HANDLERS}
