"""Every database table, as SQLAlchemy 2 declarative models (the migrations build the same schema).

The facts table's fact columns are made from zhibiao.model.FACT_FORM, the one list of a fact's fields.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

from zhibiao.model import FACT_FORM, Fact, FactField
from zhibiao.store.rows import period_columns  # noqa: F401 - re-exported: the store's modules import it here

# NOTE: a change here needs a revision in zhibiao/migrations/versions/: tests compare this metadata with the
# migrated database.


class Base(DeclarativeBase):
    """The root of zhibiao's tables."""


class DocumentRow(Base):
    """One ingested file: its text and how reading and extracting it went.

    A document is known by its path, one row each: ingest skips a file whose stored row has the same content
    hash and extractor version, and replaces the row (with its facts) otherwise. A file that failed has status
    'error' and the message in `error`, and is tried again by the next ingest.
    """

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("path", name="uq_documents_path"),
        Index("ix_documents_name", "name"),
        Index("ix_documents_hash", "content_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str | None] = mapped_column(String(64))  # sha256 hex of the file's bytes
    extractor_version: Mapped[str] = mapped_column(String(64))  # zhibiao.store.version.extractor_version()
    path: Mapped[str] = mapped_column(Text)  # absolute path: the key a changed file is replaced by
    name: Mapped[str] = mapped_column(Text)  # the file name, what a fact's `doc` says
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    published_how: Mapped[str] = mapped_column(String(16), default="unknown")
    format: Mapped[str | None] = mapped_column(String(16))
    encoding: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8))  # ok | error
    error: Mapped[str | None] = mapped_column(Text)
    n_facts: Mapped[int] = mapped_column(Integer, default=0)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ArticleRow(Base):
    """An article inside a document (a newspaper page holds several), by its span in the text."""

    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_doc", "doc_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    index: Mapped[int] = mapped_column(Integer)  # 0-based order in the document
    title: Mapped[str | None] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


EXACT_LENGTH = 64  # characters of an exact Decimal kept as text (value_text, tolerance_text ...)
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Fact) if f.default is not dataclasses.MISSING}


def _column_type(field: FactField, kind: str) -> TypeEngine:
    if kind == "text":
        return String(field.size) if field.size else Text()
    return {"int": Integer(), "float": Double(), "bool": Boolean(), "json": JSON(),
            "exact": String(EXACT_LENGTH)}[kind]


def fact_columns() -> list[Column]:
    """The facts table's columns for the fields of FACT_FORM that have columns of their own."""
    return [Column(name, _column_type(f, kind), nullable=f.optional, default=_DEFAULTS.get(f.name))
            for f in FACT_FORM if f.column for name, kind in f.columns]


class FactRow(Base):
    """One fact: the columns of its fields (FACT_FORM), and where it came from.

    A decimal field has its float and, as NAME_text, its exact value; the period is also an ISO date interval
    (period_start, period_end), so that "2023" finds 2023-H1 with an indexed range test. `extra` holds the
    flat columns of fields stored without columns of their own (FactField.column) and Fact.extra under "extra".
    A derived fact is one the checks inferred (a sum, a level from a growth rate) rather than one the text
    states; `source` says what it was inferred from (fact ids, the rule), free-form JSON.
    """

    __table__ = Table(
        "facts", Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("doc_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        Column("article_id", ForeignKey("articles.id", ondelete="SET NULL")),
        *fact_columns(),
        Column("period_start", String(10)),
        Column("period_end", String(10)),
        Column("extra", JSON),
        Column("extractor_version", String(64), nullable=False),
        Column("derived", Boolean, nullable=False, default=False, server_default=false()),
        Column("source", JSON),
        Index("ix_facts_doc", "doc_id"),
        Index("ix_facts_indicator", "indicator"),
        Index("ix_facts_region", "region"),
        Index("ix_facts_period", "period_start", "period_end"),
        Index("ix_facts_measure", "measure"),
    )


class RunRow(Base):
    """One `zhibiao ingest` run: what it was asked, what it did, and the errors it met."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    command: Mapped[str] = mapped_column(Text)
    paths: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))  # running | done | interrupted
    extractor_version: Mapped[str] = mapped_column(String(64))
    workers: Mapped[int] = mapped_column(Integer)
    n_ok: Mapped[int] = mapped_column(Integer, default=0)
    n_skipped: Mapped[int] = mapped_column(Integer, default=0)
    n_failed: Mapped[int] = mapped_column(Integer, default=0)
    n_facts: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, str]]] = mapped_column(JSON)  # [{"path": ..., "error": ...}]
    duration: Mapped[float | None] = mapped_column(Double)  # seconds


class FindingRow(Base):
    """One finding of `zhibiao check` (migration 0003)."""

    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("key", name="uq_findings_key"),
        Index("ix_findings_kind_status", "kind", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(32))  # Finding.key: the kind and the facts involved
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    message_zh: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text)
    tolerance: Mapped[float | None] = mapped_column(Double)
    tolerance_text: Mapped[str | None] = mapped_column(String(EXACT_LENGTH))
    derived: Mapped[float | None] = mapped_column(Double)
    derived_text: Mapped[str | None] = mapped_column(String(EXACT_LENGTH))
    derived_unit: Mapped[str | None] = mapped_column(String(16))
    indicator: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(32))
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FindingFactRow(Base):
    """A fact a finding involves: a link to the facts table and a copy of what the finding showed of it."""

    __tablename__ = "finding_facts"
    __table_args__ = (Index("ix_finding_facts_fact", "fact_id"),)

    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    # SET NULL: a re-ingested document drops its facts; the finding keeps its copy until the next check
    fact_id: Mapped[int | None] = mapped_column(ForeignKey("facts.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(16))
    doc: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[float] = mapped_column(Double)
    value_text: Mapped[str] = mapped_column(String(EXACT_LENGTH))
    derived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ReviewRow(Base):
    """One review of one fact by one person (migration 0004); see zhibiao.store.reviews."""

    __tablename__ = "reviews"
    __table_args__ = (
        Index("ix_reviews_key", "doc_path", "start", "end"),
        Index("ix_reviews_fact", "fact_id", "latest"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_path: Mapped[str] = mapped_column(Text)  # documents.path: the key a re-ingested report keeps
    doc: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    key_value: Mapped[str] = mapped_column(String(EXACT_LENGTH))  # the value as extracted: tells apart facts of a span
    # the characters before and after the figure in the report (migration 0006): where it is when its span moved
    context_before: Mapped[str | None] = mapped_column(Text)
    context_after: Mapped[str | None] = mapped_column(Text)
    fact_id: Mapped[int | None] = mapped_column(Integer)  # the fact's current row; kept up to date by reattach
    action: Mapped[str] = mapped_column(String(8))  # confirm | correct | wrong
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    latest: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class ClaimRow(Base):
    """A file an ingest has taken to extract (migration 0005), so that two ingests of one folder share the work.

    A claim lapses when its run ends, when its process is gone (same host), or when its run has not renewed
    it for CLAIM_SECONDS (a run killed on another host); see zhibiao.store.claims.
    """

    __tablename__ = "claims"

    path: Mapped[str] = mapped_column(Text, primary_key=True)  # documents.path
    run_id: Mapped[int] = mapped_column(Integer)
    host: Mapped[str] = mapped_column(Text)
    pid: Mapped[int] = mapped_column(Integer)
    renewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IdMarkRow(Base):
    """The largest id deleted from a table (migration 0007), so that SQLite numbers new rows above it: a link to
    a deleted report or figure never lands on another one. See zhibiao.store.marks."""

    __tablename__ = "id_marks"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)  # the table's name
    last_id: Mapped[int] = mapped_column(Integer)
