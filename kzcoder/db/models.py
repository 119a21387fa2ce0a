"""The project file's schema: SQLAlchemy 2.x typed models.

Every row users can refer to carries a stable GUID (REFI-QDA's identity), kept across exports and
imports. Offsets in ``codings`` are code points of ``documents.text``, end exclusive.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    func,
    true,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_guid() -> str:
    """A fresh GUID in the form REFI-QDA uses."""
    return str(uuid.uuid4())


def utc_now() -> str:
    """The current time as an ISO 8601 UTC string (what REFI-QDA's dateTime expects)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ProjectRow(Base):
    """The single row describing the project itself; its presence marks a kzcoder file."""

    __tablename__ = "project"
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(Text, default="")
    memo: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[str] = mapped_column(String(32), default=utc_now)


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(Text, unique=True)
    # Deferred: a document row is often loaded just for its name or length, and texts are big.
    text: Mapped[str] = mapped_column(Text, deferred=True)
    length: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source_encoding: Mapped[str] = mapped_column(String(40), default="utf-8")
    memo: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[str] = mapped_column(String(32), default=utc_now)
    attributes: Mapped[list[DocumentAttribute]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class DocumentAttribute(Base):
    """A named value of a document (title, outlet, published...): a REFI-QDA variable."""

    __tablename__ = "document_attributes"
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class OriginalFile(Base):
    """The file a document was imported from, byte for byte, apart from the documents table so
    that its bytes are read only when asked for (``kzcoder original``, exports).

    ``data`` is NULL when the file was exactly the stored text in UTF-8 (a plain UTF-8 text
    file): the bytes are then those of ``documents.text``, not stored twice. ``sha256`` is
    always that of the file's bytes.
    """

    __tablename__ = "original_files"
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    file_name: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)


class Code(Base):
    __tablename__ = "codes"
    __table_args__ = (
        # Names are unique among siblings; coalesce() so that root codes (NULL parent) count too.
        Index("uq_codes_sibling_name", func.coalesce("parent_id", 0), "name", unique=True),
        CheckConstraint("color GLOB '#[0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F]'",
                        name="color_hex"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("codes.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(Text)
    color: Mapped[str] = mapped_column(String(7))
    description: Mapped[str] = mapped_column(Text, default="")
    # an analytic memo (REFI-QDA's Note on a code), apart from the definition above
    memo: Mapped[str] = mapped_column(Text, default="", server_default="")
    shortcut: Mapped[str | None] = mapped_column(String(1), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    # False for a category (QualCoder) or folder (NVivo): it groups codes, nothing is coded with it
    codable: Mapped[bool] = mapped_column(default=True, server_default=true())


class Coder(Base):
    __tablename__ = "coders"
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(Text, unique=True)


class Coding(Base):
    __tablename__ = "codings"
    __table_args__ = (
        CheckConstraint("start >= 0 AND start < \"end\"", name="span_order"),
        # Covering: a document's codings come straight from the index, already in order.
        Index("ix_codings_document_span", "document_id", "start", "end", "id", "code_id",
              "coder_id"),
        Index("ix_codings_document_memo", "document_id", sqlite_where=sql_text("memo != ''")),
        Index("ix_codings_code_span", "code_id", "document_id", "start", "end", "id",
              "coder_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id"), index=True)
    start: Mapped[int] = mapped_column()
    end: Mapped[int] = mapped_column()
    memo: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[str] = mapped_column(String(32), default=utc_now)


class DocumentSet(Base):
    """A saved group of documents: ``dynamic`` (a saved filter, ``conditions`` as the
    ``--where`` texts, one a line) or ``static`` (hand-picked: its members). REFI-QDA's Set."""

    __tablename__ = "document_sets"
    __table_args__ = (CheckConstraint("kind IN ('dynamic', 'static')", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(7))
    conditions: Mapped[str] = mapped_column(Text, default="")
    memo: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[str] = mapped_column(String(32), default=utc_now)


class DocumentSetMember(Base):
    """A document of a static set."""

    __tablename__ = "document_set_members"
    set_id: Mapped[int] = mapped_column(
        ForeignKey("document_sets.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )
class JournalEntry(Base):
    """A free memo of the project (a journal entry, ATLAS.ti's memo, REFI-QDA's project-level
    ``Note``): named, dated, by someone."""

    __tablename__ = "journal"
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    title: Mapped[str] = mapped_column(Text, unique=True)
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[str] = mapped_column(String(32), default=utc_now)
    modified: Mapped[str] = mapped_column(String(32), default="", server_default="")


class CodeSet(Base):
    """A named group of codes (MAXQDA's and ATLAS.ti's code sets: REFI-QDA ``Set`` of
    ``MemberCode``), apart from the code tree."""

    __tablename__ = "code_sets"
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(Text, unique=True)
    description: Mapped[str] = mapped_column(Text, default="")


class CodeSetMember(Base):
    __tablename__ = "code_set_members"
    set_id: Mapped[int] = mapped_column(
        ForeignKey("code_sets.id", ondelete="CASCADE"), primary_key=True
    )
    code_id: Mapped[int] = mapped_column(
        ForeignKey("codes.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class GuidForm(Base):
    """The form a GUID was imported in when it is not the one kzcoder writes (upper case, no
    braces): exports give it back exactly as it came (``guid`` is the stored lower-case key)."""

    __tablename__ = "guid_forms"
    guid: Mapped[str] = mapped_column(String(36), primary_key=True)
    form: Mapped[str] = mapped_column(Text)


class MemoTime(Base):
    """When the memo of the project, a document, a code or a coding (its ``guid``) was last
    changed (REFI-QDA's ``modifiedDateTime``); no row: never changed here."""

    __tablename__ = "memo_times"
    guid: Mapped[str] = mapped_column(String(36), primary_key=True)
    modified: Mapped[str] = mapped_column(String(32))


class Annotation(Base):
    """A note anchored to a span of a document, without a code (QualCoder's annotations,
    ATLAS.ti's quotations that have a comment and no code): offsets as in ``codings``."""

    __tablename__ = "annotations"
    __table_args__ = (
        CheckConstraint("start >= 0 AND start < \"end\"", name="span_order"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column()
    end: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[str] = mapped_column(String(32), default=utc_now)
class HistoryEntry(Base):
    """One entry of the tamper-evident history (written by ``db.history.tracking`` only)."""

    __tablename__ = "history"
    id: Mapped[int] = mapped_column(primary_key=True)
    time: Mapped[str] = mapped_column(String(40))
    coder: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    previous: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    rows: Mapped[int] = mapped_column()


class HistoryRow(Base):
    """A row one history entry changed: its table, key, and state hash (NULL: removed)."""

    __tablename__ = "history_rows"
    entry_id: Mapped[int] = mapped_column(ForeignKey("history.id"), primary_key=True)
    tbl: Mapped[str] = mapped_column(Text, primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    state: Mapped[str | None] = mapped_column(String(64))
class NameVariant(Base):
    """One spelling in a group of name variants that search takes as one term (Tokayev,
    Toqaev, Токаев, Тоқаев). A spelling belongs to one group; unique as written (search
    compares them case-folded)."""

    __tablename__ = "name_variants"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(index=True)
    spelling: Mapped[str] = mapped_column(Text, unique=True)
class Event(Base):
    """One change to a shared project, appended by the server's triggers (migration
    0008_events): what changed (a table's name), how, its id and document, who, when.
    Clients catch up by ``id``; on a file the table stays empty."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"),
                                    primary_key=True)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(Text)
    what: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(8))
    row_id: Mapped[int | None] = mapped_column(BigInteger)
    document_id: Mapped[int | None] = mapped_column(BigInteger)
