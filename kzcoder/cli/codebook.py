"""Command-line commands that edit and exchange the codebook (the same services and commands
the window uses): code-add, code-edit, code-merge, code-delete, codebook-export,
codebook-import."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from kzcoder.core.errors import KzError
from kzcoder.core.escaping import escape_controls, escape_field

NAMES = ("code-add", "code-edit", "code-merge", "code-delete", "codebook-export",
         "codebook-import")
CODE_HELP = "code: id:N, name:TEXT, or a bare name or id"


def add_codebook_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add the codebook commands through cli/main.py's ``command(name, text, *notes)`` helper."""
    cmd = command("code-add", "add a code (at the root or under --parent); prints its id")
    cmd.add_argument("name", metavar="NAME")
    cmd.add_argument("--parent", metavar="CODE", help=CODE_HELP)
    cmd.add_argument("--color", help="#RRGGBB (default: a colour no code has yet)")
    cmd.add_argument("--shortcut", metavar="K", help="a key 1-9 that is free")
    cmd.add_argument("--description", default="")
    cmd.add_argument("--not-codable", action="store_true",
                     help="a category: it groups codes and nothing is coded with it")
    cmd = command("code-edit", "rename, recolour, redefine or move a code, or change its key")
    cmd.add_argument("code", metavar="CODE", help=CODE_HELP)
    cmd.add_argument("--name")
    cmd.add_argument("--color")
    key = cmd.add_mutually_exclusive_group()
    key.add_argument("--shortcut", metavar="K", help="a key 1-9 that is free")
    key.add_argument("--no-shortcut", action="store_true", help="remove the code's key")
    cmd.add_argument("--description")
    codable = cmd.add_mutually_exclusive_group()
    codable.add_argument("--codable", action="store_true", default=None,
                         help="make a category an ordinary code")
    codable.add_argument("--not-codable", dest="codable", action="store_false",
                         help="make it a category (refused if it has codings)")
    where = cmd.add_mutually_exclusive_group()
    where.add_argument("--parent", metavar="CODE", help="move it under this code")
    where.add_argument("--root", action="store_true", help="move it to the top level")
    cmd = command("code-merge", "merge SOURCE into TARGET: its codings (identical ones "
                  "collapse, keeping the older GUID and both memos), sub-codes and description "
                  "go to TARGET, then SOURCE is deleted")
    cmd.add_argument("source", metavar="SOURCE", help=CODE_HELP)
    cmd.add_argument("target", metavar="TARGET", help=CODE_HELP)
    cmd = command("code-delete", "delete a code with its codings and sub-codes")
    cmd.add_argument("code", metavar="CODE", help=CODE_HELP)
    cmd.add_argument("--lift-children", action="store_true",
                     help="keep the sub-codes, one level up, instead of deleting them")
    cmd = command("codebook-export", "write the codebook as REFI-QDA .qdc, CSV or Markdown")
    cmd.add_argument("--format", choices=("qdc", "csv", "md"),
                     help="default: from the file's ending")
    cmd.add_argument("-o", "--output", metavar="FILE", type=Path, required=True)
    cmd.add_argument("--force", action="store_true", help="replace FILE if it exists")
    cmd = command("codebook-import", "add the codes of a .qdc, .qde, .qdpx or codebook CSV: "
                  "matched by GUID, then by path of names, never overwritten")
    cmd.add_argument("file", metavar="FILE", type=Path)


def _code_add(project, args: argparse.Namespace) -> int:  # noqa: ANN001 - Project
    from kzcoder.core.colors import color_for_new_code
    from kzcoder.services.codebook import editing as codebook

    color = args.color
    if not color:
        codes = codebook.list_codes(project)
        parent = codebook.get_code(project, args.parent) if args.parent is not None else None
        family = [c.color for c in codes  # its parent's and siblings': a colour apart
                  if parent is not None and parent.id in (c.id, c.parent_id)]
        color = color_for_new_code({c.color for c in codes}, family)
    added = codebook.add_code(project, args.name, color, parent=args.parent,
                              description=args.description, shortcut=args.shortcut,
                              codable=not args.not_codable).value
    print(added.id)
    return 0


def _code_edit(project, args: argparse.Namespace) -> int:  # noqa: ANN001
    from kzcoder.services.codebook import editing as codebook
    from kzcoder.services.codebook import tree as code_tree

    extra = {}
    if args.shortcut is not None or args.no_shortcut:
        extra["shortcut"] = None if args.no_shortcut else args.shortcut
    if args.codable is not None:
        extra["codable"] = args.codable
    changed = any(v is not None for v in (args.name, args.color, args.description)) or extra
    if not changed and args.parent is None and not args.root:
        raise KzError("nothing to change: give --name, --color, --description, --shortcut, "
                      "--no-shortcut, --codable, --not-codable, --parent or --root")
    code = codebook.get_code(project, args.code)
    # each step expects the code as read (or as the step before left it): another coder's
    # change in between is refused, not overwritten
    if changed:
        code = codebook.update_code(project, code.id, name=args.name, color=args.color,
                                    description=args.description, expected=code,
                                    **extra).value[1]
    if args.parent is not None or args.root:
        code_tree.move_code(project, code.id, None if args.root else args.parent,
                            expected=code)
    after = codebook.get_code(project, code.id)
    print(f"{after.id}\t{escape_field(after.name)}\t{after.color}\tkey={after.shortcut or '-'}")
    return 0


def _code_merge(project, args: argparse.Namespace) -> int:  # noqa: ANN001
    from kzcoder.services.codebook import tree as code_tree

    merged = code_tree.merge_codes(project, args.source, args.target).value
    print(f"merged '{escape_field(merged.source.name)}' into "
          f"'{escape_field(merged.target.name)}': {len(merged.source_codings)} coding(s) "
          f"moved, {merged.collapsed} collapsed into an identical one")
    return 0


def _code_delete(project, args: argparse.Namespace) -> int:  # noqa: ANN001
    from kzcoder.services import removals

    removed = removals.delete_code(project, args.code, lift_children=args.lift_children).value
    print(f"deleted {len(removed.codes)} code(s) and {len(removed.codings)} coding(s) in "
          f"{removed.documents} document(s)")
    return 0


def _codebook_export(project, args: argparse.Namespace) -> int:  # noqa: ANN001
    from kzcoder.services.codebook import exchange as codebook_exchange

    count = codebook_exchange.export_codebook(project, args.output, args.format,
                                             overwrite=args.force)
    print(f"wrote {count} code(s) to {escape_controls(str(args.output))}")
    return 0


def _codebook_import(project, args: argparse.Namespace) -> int:  # noqa: ANN001
    from kzcoder.services.codebook import exchange as codebook_exchange

    result = codebook_exchange.import_codebook(project, args.file).value
    for line in result.added:
        print(f"added\t{escape_field(line)}")
    for line in result.matched:
        print(f"matched\t{escape_field(line)}")
    lines = result.summary_lines()
    for note in lines[:-1]:
        print(f"kzcoder: note: {escape_controls(note)}", file=sys.stderr)
    print(lines[-1])
    return 0


HANDLERS = {"code-add": _code_add, "code-edit": _code_edit, "code-merge": _code_merge,
            "code-delete": _code_delete, "codebook-export": _codebook_export,
            "codebook-import": _codebook_import}
