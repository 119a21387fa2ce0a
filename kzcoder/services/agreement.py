"""Agreement between coders, read from a project: the spans of the chosen coders' codings,
per code and document, into ``core.agreement.report`` (see there for what is counted)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from kzcoder.core.agreement.report import AgreementReport, compute_agreement
from kzcoder.core.errors import KzError
from kzcoder.db.queries import agreement as q
from kzcoder.db.queries import coders as coder_q
from kzcoder.db.queries import codes as code_q
from kzcoder.db.snapshot import write_beside
from kzcoder.services.codebook.editing import find_code
from kzcoder.services.documents import find_document
from kzcoder.services.project import Project


def agreement(project: Project, coders: Sequence[str], *, codes: Sequence[str | int] = (),
              documents: Sequence[str | int] = ()) -> AgreementReport:
    """How far *coders* (two or more names) agree, on every code point of *documents* for
    every one of *codes*.

    Without *codes*: every code one of the coders used. Without *documents*: every document
    one of them coded (a document nobody coded would only add agreement on nothing).
    KzError naming what is wrong: fewer than two coders, a coder, code or document that does
    not exist. Reads one state of the project (one unit of work) and changes nothing."""
    chosen = list(dict.fromkeys(coders))
    if len(chosen) < 2:
        raise KzError("agreement needs two coders or more (--coders A B …)")
    with project.unit(read=True) as session:
        known = set(coder_q.coder_names(session))
        for name in chosen:
            if name not in known:
                listed = ", ".join(sorted(known, key=str.casefold)) or "none yet"
                raise KzError(f"no coder named '{name}' in this project (coders: {listed})")
        code_ids = {find_code(session, ref).id for ref in codes}
        doc_ids = {find_document(session, ref).id for ref in documents}
        rows = q.coder_spans(session, chosen)
        if not doc_ids:
            doc_ids = {row[0] for row in rows}
        if not code_ids:
            code_ids = {row[1] for row in rows}
        docs = q.documents_by_id(session, doc_ids)
        code_list = [(c.id, c.name) for c in code_q.all_codes(session) if c.id in code_ids]
    index = {name: n for n, name in enumerate(chosen)}
    spans: dict[tuple[int, int], list[list[tuple[int, int]]]] = {}
    for doc_id, code_id, coder, start, end in rows:
        if doc_id in doc_ids and code_id in code_ids:
            per_coder = spans.setdefault((doc_id, code_id), [[] for _ in chosen])
            per_coder[index[coder]].append((start, end))
    return compute_agreement(chosen, docs, code_list, spans)


def save_table_csv(path: str | Path, rows: Sequence[Sequence[str]], *,
                   overwrite: bool = False) -> Path:
    """Write the agreement table *rows* to *path* as CSV (UTF-8 with BOM, as the segment
    exports), the safe way (``write_beside``: an existing file only with *overwrite*, never
    a project); returns the path. KzError in one line on any refusal."""
    path = Path(path).expanduser().absolute()

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out).writerows(rows)

    write_beside(path, write, overwrite=overwrite)
    return path
