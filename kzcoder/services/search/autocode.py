"""Autocoding: coding every hit of a query (or the word, sentence or paragraph around it) in
one unit of work, skipping the spans the coder already has for that code."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from kzcoder.core.changes import Changed, Changes
from kzcoder.core.errors import KzError
from kzcoder.core.records import CodingInfo
from kzcoder.core.search.errors import SearchInputError
from kzcoder.core.search.expand import EXPANSIONS, expand
from kzcoder.core.spans import check_span
from kzcoder.db.queries import autocode as q
from kzcoder.db.queries import coders as coder_q
from kzcoder.db.queries import codings as coding_q
from kzcoder.db.queries import documents as document_q
from kzcoder.services.codebook.editing import find_code
from kzcoder.services.codings import coder_id
from kzcoder.services.project import Project
from kzcoder.services.search.searching import Progress, compile_query, matching_texts

#: a span to code: (document id, start, end)
Span = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class AutocodeResult:
    """The codings added, and how many spans the coder had already coded with the code."""

    added: tuple[CodingInfo, ...]
    existing: int


def hit_spans(project: Project, query: str, *, regex: bool = False, forms: bool = False,
              variants: bool = True, expand_to: str = "hit",
              documents: Collection[int] | None = None,
              progress: Progress | None = None) -> list[Span]:
    """The spans autocoding *query* would code: each hit grown to *expand_to* (one of
    ``hit``, ``word``, ``sentence``, ``paragraph``), each span once, in document order."""
    if expand_to not in EXPANSIONS:
        raise SearchInputError(f"expand to one of {', '.join(EXPANSIONS)}, not {expand_to!r}")
    compiled = compile_query(project, query, regex=regex, forms=forms, variants=variants)
    spans: list[Span] = []
    for document_id, name, text in matching_texts(project, compiled, documents, progress):
        grown = {expand(text, s, e, expand_to) for s, e in compiled.hits(text, where=name)}
        spans += [(document_id, s, e) for s, e in sorted(grown)]
    return spans


def count_new(project: Project, spans: Iterable[Span], code: str | int, *,
              coder: str) -> tuple[int, int]:
    """(to add, already there): what ``code_spans`` would do, without doing it."""
    wanted = set(spans)
    with project.unit() as session:
        code_id = find_code(session, code).id
        number = coder_q.coder_id(session, coder.strip())  # read only: no coder is created
        existing = set() if number is None else q.coded_spans(session, code_id, number)
    there = len(wanted & existing)
    return len(wanted) - there, there


def code_spans(project: Project, spans: Iterable[Span], code: str | int, *,
               coder: str) -> Changed[AutocodeResult]:
    """Code every span in *spans* with *code* as *coder*, in one unit of work, except those
    the coder already has for this code: all or nothing (KzError, nothing written)."""
    wanted = list(dict.fromkeys(spans))
    with project.unit() as session:
        code_id = find_code(session, code).id
        coder_number = coder_id(session, coder)
        existing = q.coded_spans(session, code_id, coder_number)
        lengths = document_q.document_lengths(session)
        for document_id, start, end in wanted:
            if document_id not in lengths:
                raise KzError(f"no document numbered {document_id}")
            check_span(start, end, lengths[document_id], where=f"document {document_id}")
        added: list[CodingInfo] = []
        for document_id, start, end in wanted:
            if (document_id, start, end) in existing:
                continue
            number, guid, created = coding_q.insert_coding(
                session, document_id=document_id, code_id=code_id, coder_id=coder_number,
                start=start, end=end)
            added.append(CodingInfo(number, guid, document_id, code_id, coder.strip(), start,
                                    end, "", created))
        counts = coding_q.code_counts(session, [code_id])
    result = AutocodeResult(tuple(added), len(wanted) - len(added))
    changes = Changes(codings=frozenset(c.id for c in added),
                      coded_documents=frozenset(c.document_id for c in added),
                      code_counts=frozenset(counts), counts=counts) if added else Changes()
    return Changed(result, changes)


def expand_hits(project: Project, hits: Iterable[tuple[int, int, int]],
                expand_to: str = "hit") -> list[Span]:
    """Hits ``(document id, start, end)`` grown to *expand_to* (see ``hit_spans``), each span
    once, in document order (what the window codes when hits were chosen by hand)."""
    if expand_to not in EXPANSIONS:
        raise SearchInputError(f"expand to one of {', '.join(EXPANSIONS)}, not {expand_to!r}")
    wanted = sorted(set(hits))
    if expand_to == "hit":
        return wanted
    with project.unit() as session:
        texts = document_q.texts_by_id(session, sorted({d for d, _s, _e in wanted}))
    grown = {(d, *expand(texts[d][1], s, e, expand_to)) for d, s, e in wanted if d in texts}
    return sorted(grown)
