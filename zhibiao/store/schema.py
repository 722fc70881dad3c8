"""The database tables, as SQLAlchemy 2 declarative models (the migrations build the same schema)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# NOTE: keep in sync with zhibiao/migrations/versions/*: tests compare this metadata with the migrated database.


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


class FactRow(Base):
    """One fact: every field of Fact.to_dict(), the exact value as text, and where it came from."""

    __tablename__ = "facts"
    __table_args__ = (
        Index("ix_facts_doc", "doc_id"),
        Index("ix_facts_indicator", "indicator"),
        Index("ix_facts_region", "region"),
        Index("ix_facts_period", "period_start", "period_end"),
        Index("ix_facts_measure", "measure"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    doc: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[float] = mapped_column(Double)
    value_text: Mapped[str] = mapped_column(String(64))  # the exact Decimal, as str(Decimal)
    value_high: Mapped[float | None] = mapped_column(Double)
    value_high_text: Mapped[str | None] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(16))
    qualifier: Mapped[str] = mapped_column(String(16))
    measure: Mapped[str] = mapped_column(String(16))
    indicator: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)
    entity: Mapped[str | None] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(32))
    # the period as an ISO date interval, so that "2023" finds 2023-H1 with an indexed range test
    period_start: Mapped[str | None] = mapped_column(String(10))
    period_end: Mapped[str | None] = mapped_column(String(10))
    polarity: Mapped[str | None] = mapped_column(String(1))
    unit_text: Mapped[str] = mapped_column(Text, default="")
    indicator_standard: Mapped[bool] = mapped_column(Boolean, default=False)
    sentence: Mapped[str | None] = mapped_column(Text)
    article: Mapped[str | None] = mapped_column(Text)
    duplicate_of_start: Mapped[int | None] = mapped_column(Integer)
    duplicate_of_end: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Double)
    # fields of Fact.to_dict() that have no column yet, and Fact.extra under "extra"
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    extractor_version: Mapped[str] = mapped_column(String(64))
    # a fact the checks inferred (a sum, a level from a growth rate) rather than one the text states
    derived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # for a derived fact, what it was inferred from (fact ids, the rule); free-form JSON
    source: Mapped[Any | None] = mapped_column(JSON)


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
