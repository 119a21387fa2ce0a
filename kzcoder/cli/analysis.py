"""Comparing on the command line: ``sets`` (saved document sets), ``matrix`` (codes by
documents, attribute values or periods), ``cooccurrence`` (code by code) and ``chart`` (any of
them, or word frequencies, as a PNG or SVG). All but ``sets`` take ``--where`` and
``--docset``.

``chart`` is the one command that loads Qt (QtCharts draws it, off screen)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from kzcoder.cli.filters import add_filter_arguments, documents_from_args
from kzcoder.core.errors import UsageError
from kzcoder.core.escaping import escape_controls, escape_field
from kzcoder.core.export_records import join_code_path

ANALYSIS_COMMANDS = ("sets", "matrix", "cooccurrence", "chart")
BY_HELP = ("columns: 'document' (one per document, the default), an attribute (one per "
           "value), or ATTR:year / ATTR:month of a date attribute")
MODES = ("overlap", "paragraph", "document")
COUNTS = ("codings", "documents", "characters")


def add_analysis_commands(command: Callable[..., argparse.ArgumentParser],
                          parser_class: type[argparse.ArgumentParser]) -> None:
    """Add ``sets``, ``matrix``, ``cooccurrence`` and ``chart`` through the command line's
    ``command`` helper (which adds PROJECT)."""
    cmd = command("sets", "saved document sets: a filter kept under a name (add NAME --where "
                  "...) or a hand-picked list (add NAME --docs NAME,NAME...)",
                  "'list --json' gives [{\"name\", \"kind\", \"documents\": COUNT, \"where\", "
                  "\"document_ids\", \"guid\"}].")
    actions = cmd.add_subparsers(dest="sets_action", metavar="ACTION", required=True,
                                 parser_class=parser_class)
    add = actions.add_parser("add", help="save a set")
    add.add_argument("name", metavar="NAME")
    given = add.add_mutually_exclusive_group(required=True)
    given.add_argument("--where", metavar="ATTR=VALUE", action="append",
                       help="a condition of a dynamic set (repeatable, all must hold)")
    given.add_argument("--docs", metavar="NAME,NAME...",
                       help="the documents of a static set, by name, comma-separated")
    listing = actions.add_parser("list", help="list the sets and how many documents each has")
    listing.add_argument("--json", action="store_true")
    remove = actions.add_parser("remove", help="remove a set (its documents stay)")
    remove.add_argument("name", metavar="NAME")

    cmd = command("matrix", "count codes by documents, attribute values or periods",
                  "JSON: {\"columns\": [LABEL...], \"rows\": [{\"code\", \"path\", "
                  "\"counts\"}]}; CSV: code,LABEL... then one row per code.")
    _matrix_arguments(cmd)
    cmd.add_argument("--format", choices=("table", "json", "csv", "xlsx"), default="table")
    _output_arguments(cmd, required=False)
    add_filter_arguments(cmd)

    cmd = command("cooccurrence", "count codes found together: overlapping codings (the "
                  "default), in the same paragraph or in the same document; with ATLAS.ti's "
                  "c-coefficient n12/(n1+n2-n12)",
                  "JSON: {\"codes\": [NAME...], \"counts\": [[N...]...], \"c\": [[X...]...]}, "
                  "symmetric; the diagonal is each code's codings.")
    cmd.add_argument("--mode", choices=MODES, default="overlap")
    cmd.add_argument("--coder", help="only this coder's codings")
    cmd.add_argument("--format", choices=("json", "csv", "xlsx"), default="json")
    _output_arguments(cmd, required=False)
    add_filter_arguments(cmd)

    cmd = command("chart", "draw a chart as PNG or SVG: the matrix or the co-occurrence as a "
                  "heat map, code frequency as grouped bars, word frequencies as bars")
    cmd.add_argument("--kind", required=True, choices=("matrix", "cooccurrence", "frequency",
                                                       "words"))
    _matrix_arguments(cmd)
    cmd.add_argument("--mode", choices=MODES, default="overlap", help="for --kind cooccurrence")
    cmd.add_argument("--top", metavar="N", type=int, default=25,
                     help="for --kind words: the N most frequent words (default 25)")
    cmd.add_argument("--stopwords", metavar="LANGS", default="en,ru,kk",
                     help="for --kind words: leave out these languages' stop words (en, ru, "
                          "kk; default en,ru,kk) or none")
    _output_arguments(cmd, required=True, metavar="FILE.png|FILE.svg")
    add_filter_arguments(cmd)


def _matrix_arguments(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--by", default="document", metavar="document|ATTR|ATTR:year|ATTR:month",
                     help=BY_HELP)
    cmd.add_argument("--count", choices=COUNTS, default="codings",
                     help="codings (default), documents with at least one, or coded characters")
    cmd.add_argument("--rollup", action="store_true",
                     help="count sub-codes' codings in their parents too")
    cmd.add_argument("--coder", help="only this coder's codings")


def _output_arguments(cmd: argparse.ArgumentParser, *, required: bool,
                      metavar: str = "PATH") -> None:
    cmd.add_argument("-o", "--output", metavar=metavar, type=Path, required=required,
                     help="the file to write; it must not exist")
    cmd.add_argument("--force", action="store_true", help="replace the file if it exists")


def run_analysis_command(args: argparse.Namespace) -> int:
    """Run one of ``ANALYSIS_COMMANDS``; UsageError (exit 2) and KzError propagate."""
    from kzcoder.cli.opening import open_project

    if args.command == "chart":
        _check_image_path(args.output)
    with open_project(args.project) as project:
        return _HANDLERS[args.command](project, args)


def _sets(project, args: argparse.Namespace) -> int:  # noqa: ANN001
    from kzcoder.services.analysis import sets

    if args.sets_action == "list":
        found = sets.list_sets(project)
        if args.json:
            _print_json([s.as_json() for s in found])
            return 0
        for s in found:
            what = " AND ".join(s.conditions) if s.kind == "dynamic" else "hand-picked"
            print(f"{escape_field(s.name)}\t{s.kind}\t{len(s.documents)}\t{escape_field(what)}")
        return 0
    if args.sets_action == "remove":
        removed = sets.remove_set(project, args.name).value
        print(f"removed set {escape_controls(removed.name)}")
        return 0
    if args.where is not None:
        added = sets.add_dynamic_set(project, args.name, args.where).value
    else:
        names = [n.strip() for n in args.docs.split(",") if n.strip()]
        added = sets.add_static_set_by_names(project, args.name, names).value
    print(f"added {added.kind} set {escape_controls(added.name)} ({len(added.documents)} "
          "documents)")
    return 0


def _matrix(project, args: argparse.Namespace) -> int:  # noqa: ANN001
    from kzcoder.services.analysis import tables
    from kzcoder.services.analysis.matrix import project_matrix

    if args.format == "xlsx" and args.output is None:
        raise UsageError("--format xlsx needs -o PATH")
    matrix = project_matrix(project, by=args.by, count=args.count, rollup=args.rollup,
                            coder=args.coder, documents=documents_from_args(project, args))
    if args.format == "json":
        return _emit_json(matrix.as_json(), args)
    header, rows = tables.matrix_table(matrix)
    if args.format in ("csv", "xlsx") and args.output is not None:
        written = tables.write_table(args.output, args.format, header, rows,
                                     overwrite=args.force, sheet="matrix")
        print(f"wrote {escape_controls(str(written))} ({len(rows)} codes x "
              f"{len(matrix.columns)} columns)")
        return 0
    if args.format == "csv":
        import csv

        from kzcoder.core.cells import neutralise

        writer = csv.writer(sys.stdout, lineterminator="\n")
        for line in [header, *rows]:
            writer.writerow([neutralise(v) if isinstance(v, str) else v for v in line])
        return 0
    if args.output is not None:
        raise UsageError("-o PATH writes json, csv or xlsx (--format)")
    print("\t".join(escape_field(h) for h in [*header, "total"]))
    for row, values in zip(matrix.rows, rows, strict=True):
        print("\t".join([escape_field(join_code_path(row.path)), *map(str, values[1:]),
                         str(row.total)]))
    print("\t".join(["total", *map(str, matrix.column_totals),
                     str(sum(matrix.column_totals))]))
    return 0


def _cooccurrence(project, args: argparse.Namespace) -> int:  # noqa: ANN001
    from kzcoder.services.analysis import tables
    from kzcoder.services.analysis.cooccurrence import project_cooccurrence

    if args.format != "json" and args.output is None:
        raise UsageError(f"--format {args.format} needs -o PATH")
    codes, table = project_cooccurrence(project, mode=args.mode, coder=args.coder,
                                        documents=documents_from_args(project, args))
    if args.format == "json":
        return _emit_json({"codes": [c.name for c in codes],
                           "counts": [list(r) for r in table.counts],
                           "c": [[round(x, 6) for x in r] for r in table.c]}, args)
    header, rows = tables.cooccurrence_table(codes, table)
    written = tables.write_table(args.output, args.format, header, rows, overwrite=args.force,
                                 sheet="co-occurrence")
    print(f"wrote {escape_controls(str(written))} ({len(codes)} codes, {args.mode})")
    return 0


def _chart(project, args: argparse.Namespace) -> int:  # noqa: ANN001
    from kzcoder.core.analysis import charts
    from kzcoder.services.analysis.tables import write_new_file

    documents = documents_from_args(project, args)
    if args.kind == "words":
        from kzcoder.core.search.errors import SearchInputError
        from kzcoder.services.search.words import parse_languages, word_frequencies

        try:
            languages = parse_languages(args.stopwords)
        except SearchInputError as exc:
            raise UsageError(str(exc)) from None
        counts = word_frequencies(project, top=args.top, languages=languages,
                                  documents=documents)
        data = charts.bars_of_counts([(c.word, c.count) for c in counts], "Word frequencies")
    elif args.kind == "cooccurrence":
        from kzcoder.services.analysis.cooccurrence import project_cooccurrence

        codes, table = project_cooccurrence(project, mode=args.mode, coder=args.coder,
                                            documents=documents)
        data = charts.cooccurrence_heat_map(codes, table)
    else:
        from kzcoder.services.analysis.matrix import project_matrix
        from kzcoder.services.codebook.editing import list_codes

        matrix = project_matrix(project, by=args.by, count=args.count, rollup=args.rollup,
                                coder=args.coder, documents=documents)
        data = (charts.matrix_heat_map(matrix) if args.kind == "matrix"
                else charts.frequency_chart(matrix, list_codes(project)))
    image_format = args.output.suffix.lower().lstrip(".")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication  # Qt only for this command

    from kzcoder.gui.analysis.charts import render_chart

    _app = QApplication.instance() or QApplication([])
    written = write_new_file(args.output, lambda p: render_chart(data, p, image_format),
                             overwrite=args.force)
    print(f"wrote {escape_controls(str(written))} ({args.kind} chart)")
    return 0


def _check_image_path(path: Path) -> None:
    if path.suffix.lower() not in (".png", ".svg"):
        raise UsageError(f"{path}: a chart is written as .png or .svg")


def table_json(value: dict[str, object]) -> str:
    """A table's JSON, one row to a line: readable, and written by json's C encoder (with
    ``indent`` it falls back to Python's, five times slower on a 100 x 1,000 matrix)."""
    parts = []
    for key, item in value.items():
        if isinstance(item, list) and item and isinstance(item[0], (list, dict)):
            rows = ",\n".join(f"    {json.dumps(row, ensure_ascii=False)}" for row in item)
            parts.append(f"  {json.dumps(key)}: [\n{rows}\n  ]")
        else:
            parts.append(f"  {json.dumps(key)}: {json.dumps(item, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _emit_json(value: dict[str, object], args: argparse.Namespace) -> int:
    text = table_json(value)
    if args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
        return 0
    from kzcoder.services.analysis.tables import write_new_file

    data = text.encode("utf-8")
    written = write_new_file(args.output, lambda p: p.write_bytes(data), overwrite=args.force)
    print(f"wrote {escape_controls(str(written))}")
    return 0


def _print_json(value: object) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write((json.dumps(value, ensure_ascii=False, indent=2) + "\n")
                            .encode("utf-8"))
    sys.stdout.buffer.flush()


_HANDLERS = {"sets": _sets, "matrix": _matrix, "cooccurrence": _cooccurrence, "chart": _chart}
