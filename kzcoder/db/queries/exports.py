"""Queries for exports: the codings to write, streamed a group of documents at a time, and the
codebook and documents as exports list them.

Everything goes through the DB-API connection of the unit of work (see the package docstring):
an export reads every coding of a project, 100,000 and more. Texts are read a group of
documents at a time (at most ``TEXT_BUDGET`` code points and ``ROW_BUDGET`` codings, or one
document that is bigger) and each segment's text is cut from its document's text in Python:
SQLite's substr() would read a whole text from its overflow pages once per segment.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from kzcoder.core.export_records import (
    CodebookRow,
    DocumentRow,
    ExportRow,
    ReportDocument,
    join_code_path,
)
from kzcoder.core.records import CodedSpan
from kzcoder.db.queries import chunks, is_postgres, raw

#: code points of document text held at once while exporting
TEXT_BUDGET = 4_000_000
#: codings of one group of documents held at once
ROW_BUDGET = 20_000


@dataclass(frozen=True, slots=True)
class Selection:
    """Which codings to export: those matching every filter given (None: no filter). A code
    means that code only, unless *code_ids* holds it with its sub-codes (as
    ``services.segments.list_segments``)."""

    code_id: int | None = None
    document_id: int | None = None
    coder_id: int | None = None
    coding_ids: frozenset[int] | None = None
    code_ids: tuple[int, ...] | None = None  # any of these codes: a code and its sub-codes

    def where(self, alias: str = "") -> tuple[str, list[int]]:
        """The SQL conditions of the filters on codings (without the ids) and their values."""
        terms, values = [], []
        for column, value in (("code_id", self.code_id), ("document_id", self.document_id),
                              ("coder_id", self.coder_id)):
            if value is not None:
                terms.append(f"{alias}{column} = ?")
                values.append(value)
        if self.code_ids is not None:
            terms.append(f"{alias}code_id IN ({','.join('?' * len(self.code_ids))})")
            values.extend(self.code_ids)
        return " AND ".join(terms), values


def project_name(session: Session) -> str:
    """The project's name (its file's stem when it was created)."""
    row = raw(session).execute("SELECT name FROM project LIMIT 1").fetchone()
    return row[0] if row else ""


def codebook_rows(session: Session) -> list[CodebookRow]:
    """Every code, parents before children and siblings in their order, with its path, memo
    and counts of codings and documents in the project."""
    db = raw(session)
    rows = db.execute("SELECT id, guid, parent_id, name, color, description, memo FROM codes "
                      "ORDER BY position, id").fetchall()
    counts = {code_id: (n, docs) for code_id, n, docs in db.execute(
        "SELECT code_id, count(*), count(DISTINCT document_id) FROM codings GROUP BY code_id")}
    children: dict[int | None, list[tuple]] = {}
    for row in rows:
        children.setdefault(row[2], []).append(row)
    ordered: list[CodebookRow] = []
    stack = [(row, ()) for row in reversed(children.get(None, []))]
    while stack:
        (code_id, guid, _parent, name, color, description, memo), above = stack.pop()
        names = (*above, name)
        codings, documents = counts.get(code_id, (0, 0))
        ordered.append(CodebookRow(code_id, guid, name, join_code_path(names), len(above),
                                   color, description or "", memo or "", codings, documents))
        stack += [(child, names) for child in reversed(children.get(code_id, []))]
    return ordered


def document_rows(session: Session) -> list[DocumentRow]:
    """Every document in import order with its length and attributes (not its text)."""
    db = raw(session)
    attributes: dict[int, dict[str, str]] = {}
    # in the order they were stored: SQLite's rowid, PostgreSQL's row position (ctid)
    order = "ctid" if is_postgres(session) else "rowid"
    for document_id, name, value in db.execute(
            "SELECT document_id, name, value FROM document_attributes "
            f"ORDER BY document_id, {order}"):
        attributes.setdefault(document_id, {})[name] = value
    return [DocumentRow(document_id, name, length, attributes.get(document_id, {}))
            for document_id, name, length in db.execute(
                "SELECT id, name, length FROM documents ORDER BY id")]


class SegmentStream:
    """The codings of a selection as ``ExportRow``s, a document at a time, in document order
    (then start, end, id). ``total`` and ``documents`` are known before the first is read.

    Read it inside the unit of work that made it: the whole export then sees one state of the
    project. Iterating yields ``(document name, rows of that document)``.
    """

    def __init__(self, session: Session, selection: Selection) -> None:
        self._session = session
        self._selection = selection
        self._wanted: set[int] | None = None
        self._plan = self._make_plan()
        self.total = sum(count for _doc, count in self._plan)
        self.documents = len(self._plan)

    def _make_plan(self) -> list[tuple[int, int]]:
        """(document id, matching codings) of each document that has any, in id order."""
        db = raw(self._session)
        where, values = self._selection.where()
        if self._selection.coding_ids is None:
            return db.execute("SELECT document_id, count(*) FROM codings"
                              + (f" WHERE {where}" if where else "")
                              + " GROUP BY document_id ORDER BY document_id", values).fetchall()
        per_document: dict[int, int] = {}
        self._wanted = set()
        for chunk in chunks(sorted(self._selection.coding_ids)):
            for coding_id, document_id in db.execute(
                    f"SELECT id, document_id FROM codings WHERE id IN "
                    f"({','.join('?' * len(chunk))})" + (f" AND {where}" if where else ""),
                    [*chunk, *values]):
                self._wanted.add(coding_id)
                per_document[document_id] = per_document.get(document_id, 0) + 1
        return sorted(per_document.items())

    def __iter__(self) -> Iterator[tuple[str, list[ExportRow]]]:
        db = raw(self._session)
        codes = {row.id: (row.name, row.path) for row in codebook_rows(self._session)}
        coders = dict(db.execute("SELECT id, name FROM coders").fetchall())
        attributes: dict[str, dict[int, str]] = {"title": {}, "published": {}, "outlet": {}}
        for document_id, key, value in db.execute(
                "SELECT document_id, name, value FROM document_attributes "
                "WHERE name IN ('title', 'published', 'outlet')"):
            attributes[key][document_id] = value
        titles, dates, outlets = (attributes[k] for k in ("title", "published", "outlet"))
        where, values = self._selection.where("c.")
        lengths = dict(db.execute("SELECT id, length FROM documents").fetchall())
        for group in _groups(self._plan, lengths):
            texts = _texts(self._session, group)
            rows = db.execute(
                'SELECT c.id, c.document_id, c.code_id, c.coder_id, c.start, c."end", c.guid, '
                f"c.memo, c.created FROM codings c WHERE c.document_id IN "
                f"({','.join('?' * len(group))})" + (f" AND {where}" if where else "")
                + ' ORDER BY c.document_id, c.start, c."end", c.id', [*group, *values])
            current, batch = None, []
            for coding_id, doc_id, code_id, coder_id, start, end, guid, memo, created in rows:
                if self._wanted is not None and coding_id not in self._wanted:
                    continue
                if doc_id != current:
                    if batch:
                        yield texts[current][0], batch
                    current, batch = doc_id, []
                name, text = texts[doc_id]
                code_name, code_path = codes[code_id]
                batch.append(ExportRow(guid, name, titles.get(doc_id, ""), code_name, code_path,
                                       coders[coder_id], start, end, text[start:end], memo or "",
                                       created, dates.get(doc_id, ""),
                                       outlets.get(doc_id, "")))
            if batch:
                yield texts[current][0], batch
            del texts, batch


def _groups(plan: list[tuple[int, int]], lengths: dict[int, int]) -> Iterator[list[int]]:
    """Document ids of *plan* in groups within the budgets (a bigger document alone)."""
    group: list[int] = []
    size = rows = 0
    for document_id, count in plan:
        length = lengths.get(document_id, 0)
        if group and (size + length > TEXT_BUDGET or rows + count > ROW_BUDGET
                      or len(group) >= 900):
            yield group
            group, size, rows = [], 0, 0
        group.append(document_id)
        size += length
        rows += count
    if group:
        yield group


def _texts(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    ids = list(ids)
    return {doc_id: (name, text) for doc_id, name, text in raw(session).execute(
        f"SELECT id, name, text FROM documents WHERE id IN ({','.join('?' * len(ids))})", ids)}


def report_documents(session: Session) -> Iterator[ReportDocument]:
    """Every document in import order with its text and all its codings (ordered by start,
    end, id), read a group of documents at a time within the budgets."""
    db = raw(session)
    coders = dict(db.execute("SELECT id, name FROM coders").fetchall())
    titles = dict(db.execute("SELECT document_id, value FROM document_attributes "
                             "WHERE name = 'title'").fetchall())
    plan = db.execute("SELECT d.id, (SELECT count(*) FROM codings c WHERE c.document_id = d.id)"
                      " FROM documents d ORDER BY d.id").fetchall()
    lengths = dict(db.execute("SELECT id, length FROM documents").fetchall())
    for group in _groups(plan, lengths):
        texts = _texts(session, group)
        spans: dict[int, list[CodedSpan]] = {doc_id: [] for doc_id in group}
        for coding_id, doc_id, code_id, coder_id, start, end, memo in db.execute(
                'SELECT id, document_id, code_id, coder_id, start, "end", memo FROM codings '
                f"WHERE document_id IN ({','.join('?' * len(group))}) "
                'ORDER BY document_id, start, "end", id', group):
            spans[doc_id].append(CodedSpan(coding_id, doc_id, code_id, coders[coder_id], start,
                                           end, memo or ""))
        for doc_id in group:
            name, text = texts[doc_id]
            yield ReportDocument(name, titles.get(doc_id, ""), text, spans[doc_id])
        del texts, spans
