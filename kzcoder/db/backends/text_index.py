"""The full-text index, as services see it: which documents may match a query over words.

The index answers a *prefilter* (see ``core.search.matching``): a query of words, phrases and
prefixes joined by AND/OR that every matching document matches too. Exact hits are then found
in the texts themselves, so a backend only has to be right about which documents to read.
SQLite's FTS5 is ``sqlite_fts``; a PostgreSQL server's trigram index is ``pg_trigram``.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from sqlalchemy.orm import Session

from kzcoder.core.search.query import Node


class TextIndex(Protocol):
    def candidates(self, session: Session, prefilter: Node,
                   documents: Collection[int] | None = None) -> set[int]:
        """The ids of the documents (among *documents*, when given) that match *prefilter*."""
        ...


def text_index(session: Session) -> TextIndex:
    """The index of the database *session* is connected to."""
    if session.get_bind().dialect.name != "sqlite":
        from kzcoder.core.search.cases import known
        from kzcoder.db.backends import pg_trigram

        return pg_trigram.PgTrigram() if known() else EveryDocument()
    from kzcoder.db.backends import sqlite_fts

    return sqlite_fts.SqliteFts()


class EveryDocument:
    """No index: every document is a candidate, and the exact matching reads each text (on a
    server when the matcher's case classes cannot be told, ``core.search.cases.known``)."""

    def candidates(self, session: Session, prefilter: Node,
                   documents: Collection[int] | None = None) -> set[int]:
        from sqlalchemy import select

        from kzcoder.db.models import Document

        every = set(session.scalars(select(Document.id)))
        return every if documents is None else every & set(documents)
