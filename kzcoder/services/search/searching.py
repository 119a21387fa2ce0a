"""Searching the corpus: the index chooses the documents to read, the query finds its hits in
their texts (``core.search.matching``). A search never writes to the project."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator

from sqlalchemy.orm import Session

from kzcoder.core.errors import KzError
from kzcoder.core.search.errors import SearchInputError
from kzcoder.core.search.hits import DEFAULT_CONTEXT, Hit, make_hit
from kzcoder.core.search.matching import CompiledQuery, SearchOptions
from kzcoder.db.backends.text_index import text_index
from kzcoder.db.queries import chunks, is_postgres
from kzcoder.db.queries import documents as document_q
from kzcoder.db.queries import variants as variant_q
from kzcoder.services.project import Project

# progress(done, total, current document name) -> False to stop
Progress = Callable[[int, int, str], bool | None]

#: documents whose texts are read at once (memory: a chunk of texts, not the corpus)
_TEXTS_AT_ONCE = 64
#: documents searched between two batches of hits handed on (``iter_hits``)
_BATCH = 16


class SearchStopped(KzError):
    """The search was stopped by the user (through its progress callback)."""


def index_notice(project: Project) -> str | None:
    """One line when the project's search has no index to ask (a server where ``pg_trgm``
    could not be created: every text is scanned on the server), else None."""
    with project.unit(read=True) as session:
        if not is_postgres(session):
            return None
        from kzcoder.db.backends.pg_trigram import PgTrigram

        if PgTrigram.has_index(session):
            return None
    return ("note: this server project has no search index (pg_trgm could not be created; "
            "see docs/server.md): search scans every text")


def compile_query(project: Project, query: str, *, regex: bool = False, forms: bool = False,
                  variants: bool = True) -> CompiledQuery:
    """*query* read with these options (the project's name variants unless *variants* is
    False); KzError (one line) when it is empty or malformed."""
    groups: tuple[tuple[str, ...], ...] = ()
    if variants and not regex:
        with project.unit() as session:
            groups = tuple(tuple(g) for g in variant_q.variant_groups(session).values())
    return CompiledQuery(query, SearchOptions(forms=forms, variants=groups, regex=regex))


def search(project: Project, query: str, *, regex: bool = False, forms: bool = False,
           variants: bool = True, context: int = DEFAULT_CONTEXT,
           documents: Collection[int] | None = None,
           progress: Progress | None = None) -> list[Hit]:
    """Every hit of *query* in the project's documents (or in *documents*, ids), by document
    then offset, each with *context* characters either side."""
    return [hit for batch in iter_hits(project, query, regex=regex, forms=forms,
                                       variants=variants, context=context,
                                       documents=documents, progress=progress)
            for hit in batch]


def iter_hits(project: Project, query: str, *, regex: bool = False, forms: bool = False,
              variants: bool = True, context: int = DEFAULT_CONTEXT,
              documents: Collection[int] | None = None,
              progress: Progress | None = None) -> Iterator[list[Hit]]:
    """``search``'s hits a few documents at a time, as soon as they are found (the window
    shows the first ones while the rest are searched). The query is checked first: KzError
    before anything is yielded."""
    if context < 0:
        raise SearchInputError(f"context must be 0 or more, not {context}")
    compiled = compile_query(project, query, regex=regex, forms=forms, variants=variants)
    return _batches(project, compiled, context, documents, progress)


def _batches(project: Project, compiled: CompiledQuery, context: int,
             documents: Collection[int] | None,
             progress: Progress | None) -> Iterator[list[Hit]]:
    batch: list[Hit] = []
    for number, (document_id, name, text) in enumerate(
            matching_texts(project, compiled, documents, progress), start=1):
        batch += [make_hit(document_id, name, text, start, end, context)
                  for start, end in compiled.hits(text, where=name)]
        if number % _BATCH == 0 and batch:
            yield batch
            batch = []
    if batch:
        yield batch


def matching_texts(project: Project, compiled: CompiledQuery,
                   documents: Collection[int] | None = None,
                   progress: Progress | None = None) -> Iterator[tuple[int, str, str]]:
    """(id, name, text) of each document the index says may match *compiled*, in id order,
    read in chunks; SearchStopped when *progress* returns False."""
    with project.unit() as session:
        ids = _candidates(session, compiled, documents)
    done = 0
    for piece in chunks(ids):
        # the first read is small, so that the first hits come at once
        starts = [0, _BATCH, *range(_TEXTS_AT_ONCE, len(piece), _TEXTS_AT_ONCE)]
        for start, stop in zip(starts, [*starts[1:], len(piece)], strict=True):
            part = piece[start:stop]
            if not part:
                continue
            with project.unit() as session:
                texts = document_q.texts_by_id(session, part)
            for document_id in part:
                if document_id not in texts:
                    continue  # removed since (another program)
                name, text = texts[document_id]
                if progress is not None and progress(done, len(ids), name) is False:
                    raise SearchStopped("search stopped")
                done += 1
                yield document_id, name, text
    if progress is not None:
        progress(len(ids), len(ids), "")


def _candidates(session: Session, compiled: CompiledQuery,
                documents: Collection[int] | None) -> list[int]:
    prefilter = compiled.prefilter()
    if prefilter is None:
        every = document_q.document_lengths(session)
        found = set(every) if documents is None else set(every) & set(documents)
    else:
        found = text_index(session).candidates(session, prefilter, documents)
    return sorted(found)
