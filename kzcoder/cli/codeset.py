"""``kzcoder codeset PROJECT add NAME CODE... [--description T] | list [--json] | remove
NAME``: named groups of codes apart from the code tree (``services.code_sets``)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from kzcoder.cli.memo import CODE_HELP
from kzcoder.core.escaping import escape_controls, escape_field

NAMES = ("codeset",)


def add_codeset_command(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``codeset`` through cli/main.py's ``command(name, text, *notes)`` helper."""
    cmd = command("codeset", "code sets: named groups of codes apart from the code tree "
                  "(MAXQDA's and ATLAS.ti's code groups; exported to REFI-QDA as Sets of "
                  "MemberCodes)")
    actions = cmd.add_subparsers(dest="action", required=True, metavar="ACTION",
                                 parser_class=type(cmd))
    add = actions.add_parser("add", help="add a set of codes",
                             description="add a set of codes (or give the set NAME these "
                             "codes with --replace)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("codes", metavar="CODE", nargs="*", help=CODE_HELP)
    add.add_argument("--description", default="", help="what the set is for")
    add.add_argument("--replace", action="store_true",
                     help="the set NAME exists: make CODE... its members instead")
    listing = actions.add_parser("list", help="list the sets, by name",
                                 description="list the sets, by name: name, number of codes, "
                                 "the codes' paths (tab-separated), or JSON")
    listing.add_argument("--json", action="store_true")
    remove = actions.add_parser("remove", help="remove a set (its codes stay)",
                                description="remove a set (its codes stay)")
    remove.add_argument("name", metavar="NAME")


def run_codeset(project, args: argparse.Namespace) -> int:  # noqa: ANN001 - Project
    """Run one ``codeset`` action; KzError propagates (one line, exit 1, nothing changed)."""
    from kzcoder.services import code_sets

    if args.action == "add":
        if args.replace:
            found = code_sets.set_codes(project, args.name, args.codes).value[1]
        else:
            found = code_sets.add_code_set(project, args.name, args.codes,
                                           description=args.description).value
        print(f"{'set' if args.replace else 'added'} code set "
              f"'{escape_controls(found.name)}' of {len(found.codes)} code(s)")
    elif args.action == "list":
        found = code_sets.list_code_sets(project)
        if args.json:
            print(json.dumps([s.as_json() for s in found], ensure_ascii=False, indent=1))
        for item in found if not args.json else ():
            print("\t".join([escape_field(item.name), str(len(item.codes)),
                             *map(escape_field, item.paths)]))
    else:
        found = code_sets.remove_code_set(project, args.name).value
        print(f"removed code set '{escape_controls(found.name)}'")
    return 0


HANDLERS = {"codeset": run_codeset}
