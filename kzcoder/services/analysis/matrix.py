"""The code matrix of a project: codes by documents, by an attribute's values, or by the year
or month of a date attribute, over the documents a filter keeps."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from kzcoder.core.analysis.matrix import COUNTS, Matrix, code_matrix, matrix_from_pairs
from kzcoder.core.analysis.tree import counted_for
from kzcoder.core.errors import KzError, UsageError
from kzcoder.core.filters import date_interval
from kzcoder.core.records import Segment
from kzcoder.db.queries import analysis as q
from kzcoder.db.queries import coders as coder_q
from kzcoder.db.queries import codes as code_q
from kzcoder.services.project import Project
from kzcoder.services.segments import list_segments

#: how a date attribute is cut into columns: ``ATTR:year`` or ``ATTR:month``
PERIODS = ("year", "month")


def coder_id(session: Session, coder: str | None) -> int | None:
    """The id of the coder *coder* (None for everyone); KzError for an unknown name."""
    if coder is None:
        return None
    found = coder_q.coder_id(session, coder)
    if found is None:
        raise KzError(f"no coder named '{coder}'")
    return found


def columns_for(session: Session, by: str,
                documents: set[int] | None) -> tuple[list[str], dict[int, int]]:
    """The column labels for ``--by`` *by* and each kept document's column. A document without
    the attribute (or, by year or month, without a date in it) is in a column labelled ''."""
    names = q.document_names(session)
    kept = [i for i in names if documents is None or i in documents]
    if by == "document":
        return [names[i] for i in kept], {d: j for j, d in enumerate(kept)}
    attribute, _, period = by.rpartition(":") if ":" in by else (by, "", "")
    if period and period not in PERIODS:
        raise UsageError(f"--by {by}: cut a date by year or month (ATTR:year, ATTR:month)")
    values = {d: v.strip() for d, name, v in q.attribute_rows(session) if name == attribute}
    if not values:
        known = sorted({name for _d, name, _v in q.attribute_rows(session)})
        raise UsageError(f"unknown attribute '{attribute}' (known: "
                         f"{', '.join(known) or 'none'})")
    if period:
        if not all(date_interval(v) is not None for v in values.values() if v):
            raise UsageError(f"--by {by}: '{attribute}' is not a date attribute")
        width = 4 if period == "year" else 7
        label = {d: v[:width] if len(v) >= width else "" for d, v in values.items()}
    else:
        label = values
    found = {d: label.get(d, "") for d in kept}
    labels = sorted(set(found.values()) - {""})
    if "" in found.values():
        labels.append("")
    where = {text: j for j, text in enumerate(labels)}
    return labels, {d: where[text] for d, text in found.items()}


def project_matrix(project: Project, *, by: str = "document", count: str = "codings",
                   rollup: bool = False, coder: str | None = None,
                   documents: set[int] | None = None) -> Matrix:
    """The code matrix: every code (tree order) by the columns of *by* (``document``, an
    attribute, ``ATTR:year`` or ``ATTR:month``), counting *count* (``codings``, ``documents``
    or ``characters``), over *documents* (None: all) and *coder*'s codings (None: all)."""
    if count not in COUNTS:
        raise UsageError(f"--count must be one of {', '.join(COUNTS)}")
    with project.unit(read=True) as session:
        codes = code_q.all_codes(session)
        who = coder_id(session, coder)
        columns, column_of = columns_for(session, by, documents)
        if count == "characters":
            return code_matrix(q.span_stream(session, coder_id=who), codes, columns, column_of,
                               count=count, rollup=rollup)
        return matrix_from_pairs(q.coding_pairs(session, coder_id=who), codes, columns,
                                 column_of, count=count, rollup=rollup)


def cell_segments(project: Project, matrix: Matrix, row: int, column: int | None, *,
                  rollup: bool = False, coder: str | None = None) -> list[Segment]:
    """The segments behind one cell (``column`` None: the whole row): the codings of that
    row's code (and, with *rollup*, its sub-codes) in that column's documents."""
    with project.unit(read=True) as session:
        chains = counted_for(code_q.all_codes(session), rollup)
    target = matrix.rows[row].code_id
    codes = {code for code, chain in chains.items() if target in chain}
    documents: Iterable[int] = (matrix.column_documents[column] if column is not None
                                else set().union(*matrix.column_documents))
    kept = set(documents)
    found = [s for code in sorted(codes) for s in list_segments(project, code=code, coder=coder)
             if s.document_id in kept]
    return sorted(found, key=lambda s: (s.document_id, s.start, s.end, s.id))
