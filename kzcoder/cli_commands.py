"""What each command-line command does: thin wrappers over services that print results."""

from __future__ import annotations

import argparse
import json
import sys

from kzcoder.core.records import DocumentInfo
from kzcoder.services import codebook, codings, documents, segments
from kzcoder.services.coders import default_coder_name
from kzcoder.services.project import Project
from kzcoder.services.sample import create_project


def run_command(args: argparse.Namespace) -> int:
    """Run one parsed command; KzError propagates to the caller, which prints it."""
    if args.command == "new":
        create_project(args.project, sample=args.sample).close()
        print(f"created {args.project}")
        return 0
    with Project.open(args.project) as project:
        return _HANDLERS[args.command](project, args)


def _import(project: Project, args: argparse.Namespace) -> int:
    report = documents.import_paths(project, args.paths).value
    for refusal in report.refused:
        print(f"kzcoder: refused {refusal.reason}", file=sys.stderr)
    for duplicate in report.duplicates:
        print(f"skipped {duplicate.reason}")
    for info in report.imported:
        print(f"{info.id}\t{info.name}\t{info.length}")
    print(report.summary_lines()[-1])
    return 1 if report.refused else 0


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
    attributes = "; ".join(f"{k}={v}" for k, v in d.attributes.items())
    print(f"{d.id}\t{d.name}\t{d.length}\t{attributes}")


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
        _print_json([{"id": c.id, "guid": c.guid, "name": c.name, "parent": c.parent_id,
                      "color": c.color, "shortcut": c.shortcut, "description": c.description}
                     for c in infos])
        return 0
    names = {c.id: c.name for c in infos}
    for c in infos:
        parent = f"\tparent={names[c.parent_id]}" if c.parent_id else ""
        print(f"{c.id}\t{c.name}\t{c.color}\tkey={c.shortcut or '-'}{parent}")
        for line in c.description.splitlines():
            print(f"\t{line}")
    return 0


def _code(project: Project, args: argparse.Namespace) -> int:
    coding = codings.add_coding(project, args.doc, args.code, args.start, args.end,
                                coder=args.coder or default_coder_name(), memo=args.memo)
    print(coding.value.id)
    return 0


def _uncode(project: Project, args: argparse.Namespace) -> int:
    removed = codings.remove_coding(project, args.coding_id).value
    print(f"removed coding {removed.id} ({removed.start}-{removed.end})")
    return 0


def _segments(project: Project, args: argparse.Namespace) -> int:
    found = segments.list_segments(project, code=args.code, document=args.doc, coder=args.coder)
    if args.json:
        _print_json([s.as_json() for s in found])
        return 0
    for s in found:
        text = s.text.replace("\n", " ")
        print(f"{s.id}\t{s.document}\t{s.code}\t{s.coder}\t{s.start}-{s.end}\t{text}")
    return 0


def _print_json(value: object) -> None:
    sys.stdout.flush()
    data = json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    sys.stdout.buffer.write(data.encode("utf-8"))
    sys.stdout.buffer.flush()


_HANDLERS = {"import": _import, "docs": _docs, "doc-edit": _doc_edit, "show": _show,
             "codes": _codes, "code": _code, "uncode": _uncode, "segments": _segments}
