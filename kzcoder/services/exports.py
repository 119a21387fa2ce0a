"""Exports of coded segments (CSV, XLSX, JSON) and the HTML report of a project.

An export changes nothing in the project: it returns an ``Exported`` record (the file, the
format, how many codings), not ``Changed``. It reads the project in one unit of work (one read
transaction: the file shows one state of the project even while others write), streams the
codings a group of documents at a time, and writes a temporary file beside the target that is
given its name only when complete (``db.snapshot.place``): an existing file is replaced only
with ``overwrite``, and a failed or stopped export leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path

from sqlalchemy.orm import Session

from kzcoder.core.errors import KzError
from kzcoder.core.export_records import Exported, ExportRow, ReportDocument
from kzcoder.db import open_files
from kzcoder.db.models import utc_now
from kzcoder.db.queries import code_tree as tree_q
from kzcoder.db.queries import coders as coder_q
from kzcoder.db.queries import codings as coding_q
from kzcoder.db.queries import exports as q
from kzcoder.db.queries import memos as memo_q
from kzcoder.db.snapshot import DestinationExists, write_beside
from kzcoder.exchange.report_html import ReportLimits, write_report
from kzcoder.exchange.segments.csv_file import write_csv
from kzcoder.exchange.segments.json_file import write_json
from kzcoder.exchange.segments.xlsx_file import write_xlsx
from kzcoder.services.codebook.editing import find_code
from kzcoder.services.documents import Progress, find_document
from kzcoder.services.project import Project

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}


class _Stopped(Exception):
    """The caller's progress said stop."""


def export_segments(project: Project, path: str | Path, fmt: str | None = None, *,
                    code: str | int | None = None, doc: str | int | None = None,
                    coder: str | None = None, coding_ids: Iterable[int] | None = None,
                    subcodes: bool = False, overwrite: bool = False,
                    progress: Progress | None = None,
                    documents: Iterable[int] | None = None) -> Exported:
    """Write the project's codings to *path* as ``csv``, ``xlsx`` or ``json`` (from the
    suffix when *fmt* is None), one row per coding in document order.

    Filters as ``services.segments.list_segments``: *code* (that code only, or with
    *subcodes* that code and every code below it), *doc*, *coder*; and *coding_ids*, the
    codings to keep (e.g. a filtered view); *documents*, the ids of the documents to keep (the
    active document filter); all those given must match. KzError in one line
    when a filter names nothing, the folder does not exist or cannot be written, or *path*
    exists and *overwrite* is not set.
    *progress(done, total, name)* is called before each document (and once at the end);
    False stops, and then nothing is written: ``Exported.stopped``.
    """
    target = _target(project, path, overwrite)
    fmt = fmt or FORMATS.get(target.suffix.lower())
    if fmt not in FORMATS.values():
        raise KzError(f"{target.name}: say which format (csv, xlsx or json)")
    ids = None if coding_ids is None else frozenset(coding_ids)
    if documents is not None:
        from kzcoder.services.analysis.filters import codings_in

        in_documents = frozenset(codings_in(project, set(documents)))
        ids = in_documents if ids is None else ids & in_documents
    with project.unit(read=True) as session:
        code_id = find_code(session, code).id if code is not None else None
        code_ids = None
        if subcodes and code_id is not None:
            code_ids = tuple(tree_q.subtree_ids(session, code_id))
        selection = q.Selection(
            code_id=code_id if code_ids is None else None,
            document_id=find_document(session, doc).id if doc is not None else None,
            coder_id=_coder(session, coder), coding_ids=ids, code_ids=code_ids)
        stream = q.SegmentStream(session, selection)
        rows = _rows(stream, progress)
        if fmt == "csv":
            write = partial(write_csv, rows=rows)
        elif fmt == "json":
            header = {"project": q.project_name(session), "exported": utc_now(),
                      "offsets": "code points of the stored text, end exclusive",
                      "filters": _filters(session, selection)}
            write = partial(write_json, rows=rows, header=header)
        else:
            write = partial(write_xlsx, rows=rows, codebook=q.codebook_rows(session),
                            documents=q.document_rows(session))
        try:
            count = write_beside(target, write, overwrite=overwrite)
        except _Stopped:
            return Exported(None, fmt, 0, stopped=True)
    return Exported(target, fmt, count)


def export_report(project: Project, path: str | Path, *, overwrite: bool = False,
                  progress: Progress | None = None,
                  limits: ReportLimits | None = None, group_by: str | None = None) -> Exported:
    """Write the project's HTML report to *path* (see ``exchange.report_html``): the project
    memo, codebook, documents (listed by title, date and outlet; in groups by the attribute
    *group_by*, where ``year`` is the year of ``published``; each with its attributes) with
    their coded spans highlighted, segments by code. ``rows`` of the result is the number of
    codings. Atomic, stoppable and refused like ``export_segments``."""
    target = _target(project, path, overwrite)
    with project.unit(read=True) as session:
        codebook, documents = q.codebook_rows(session), q.document_rows(session)
        title = q.project_name(session) or project.path.stem
        names = [_label(d.name, d.attributes) for d in documents]
        groups = None if group_by is None else [_group(d.attributes, group_by)
                                                for d in documents]
        memo = memo_q.project_row(session).memo or ""
        texts = _documents(q.report_documents(session), len(documents), progress)
        try:
            write_beside(target, partial(
                write_report, title=title, codebook=codebook, documents=texts,
                document_names=names, limits=limits or ReportLimits(), project_memo=memo,
                document_groups=groups,
                document_attributes=[d.attributes for d in documents]), overwrite=overwrite)
        except _Stopped:
            return Exported(None, "html", 0, stopped=True)
    return Exported(target, "html", sum(code.codings for code in codebook))


def _label(name: str, attributes: dict[str, str]) -> str:
    """"Title (2011-12-20, Taipei Times)": how a researcher knows an article."""
    about = ", ".join(v for v in (attributes.get("published"), attributes.get("outlet")) if v)
    shown = attributes.get("title") or name
    return f"{shown} ({about})" if about else shown


def _group(attributes: dict[str, str], group_by: str) -> str:
    if group_by == "year" and "year" not in attributes:
        return attributes.get("published", "")[:4]
    return attributes.get(group_by, "")


def _coder(session: Session, name: str | None) -> int | None:
    if name is None:
        return None
    found = coder_q.coder_id(session, name)
    if found is None:
        raise KzError(f"no coder named '{name}'")
    return found


def _filters(session: Session, selection: q.Selection) -> dict[str, object]:
    """The filters of *selection* by name, for the JSON header."""
    code_id = selection.code_ids[0] if selection.code_ids else selection.code_id
    codes = {row.id: row.path for row in q.codebook_rows(session)} if code_id else {}
    documents = ({d.id: d.name for d in q.document_rows(session)}
                 if selection.document_id else {})
    coders = coding_q.coder_names(session)
    return {"code": codes.get(code_id), "subcodes": selection.code_ids is not None,
            "document": documents.get(selection.document_id),
            "coder": coders.get(selection.coder_id),
            "codings": None if selection.coding_ids is None else len(selection.coding_ids)}


def _rows(stream: q.SegmentStream, progress: Progress | None) -> Iterator[ExportRow]:
    total = stream.documents
    for done, (name, rows) in enumerate(stream):
        if progress is not None and progress(done, total, name) is False:
            raise _Stopped
        yield from rows
    if progress is not None:
        progress(total, total, "")


def _documents(documents: Iterable[ReportDocument], total: int,
               progress: Progress | None) -> Iterator[ReportDocument]:
    for done, document in enumerate(documents):
        if progress is not None and progress(done, total, document.name) is False:
            raise _Stopped
        yield document
    if progress is not None:
        progress(total, total, "")


def _target(project: Project, path: str | Path, overwrite: bool) -> Path:
    target = Path(path).expanduser().absolute()
    if not target.parent.is_dir():
        raise KzError(f"{target.parent}: no such folder")
    if target.is_dir():
        raise KzError(f"{target}: is a folder; give a file name")
    if target == project.path or open_files.is_open_here(target):
        raise KzError(f"{target}: is an open kzcoder project; choose another name")
    if target.exists() and not overwrite:
        raise DestinationExists(f"{target}: already exists; choose another name")
    return target
