"""The tables (SQLAlchemy 2 typed models). Schema changes go through Alembic (``migrations/``).

Cells and sections are kept for the *current* version of a report only: they
exist for querying and summing, and keeping one copy per report is what makes
"never double count versions" true by construction. Every version keeps its
source bytes and full Report JSON, so nothing is lost.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class JSONText(TypeDecorator):
    """JSON stored as text, the same on SQLite and PostgreSQL.

    Why not the JSON type: the ingest hot path receives JSON already encoded by the worker
    processes (a ``str`` is stored as is), which takes the encoding off the single writer.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return None if value is None else json.loads(value)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSONText, list[Any]: JSONText}


class Agency(Base):
    """One publishing body across years (identity: :mod:`.agencies`)."""

    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    norm_name: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    region: Mapped[str | None] = mapped_column(String(255), index=True)
    level: Mapped[str] = mapped_column(String(20), index=True)
    is_government: Mapped[bool] = mapped_column(Boolean, default=False)
    # The agency register (``nianbao agencies import``): who is expected to report, and in which years.
    registered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    parent: Mapped[str | None] = mapped_column(String(255))
    first_year: Mapped[int | None] = mapped_column(Integer)
    last_year: Mapped[int | None] = mapped_column(Integer)


class ReportRecord(Base):
    """One agency's report for one year; its versions hold the files."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("agency_id", "year", name="uq_reports_agency_year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    template: Mapped[str | None] = mapped_column(String(8))
    # No FK: versions point at reports; a cycle would need ALTER TABLE, which SQLite lacks.
    current_version_id: Mapped[int | None] = mapped_column(Integer, index=True)
    cross_dirty: Mapped[bool] = mapped_column(Boolean, default=True, index=True)


class ReportVersion(Base):
    __tablename__ = "report_versions"
    __table_args__ = (UniqueConstraint("report_id", "version", name="uq_versions_report_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(Text)
    form: Mapped[str] = mapped_column(String(20))
    source: Mapped[bytes] = mapped_column(LargeBinary)
    report_json: Mapped[dict[str, Any]] = mapped_column(JSONText)
    raw_agency: Mapped[str | None] = mapped_column(String(255))
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ingested_by: Mapped[str | None] = mapped_column(String(100))


class CellRecord(Base):
    """One table cell of a report's current version (``table.row.column`` as in findings)."""

    __tablename__ = "cells"
    __table_args__ = (Index("ix_cells_report_ref", "report_id", "tbl", "row", "col"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id", ondelete="CASCADE"), index=True)
    tbl: Mapped[str] = mapped_column(String(20))
    row: Mapped[str] = mapped_column(String(40))
    col: Mapped[str] = mapped_column(String(40))
    value: Mapped[str | None] = mapped_column(String(40))  # exact: an int, or the money decimal as printed
    number: Mapped[float | None] = mapped_column(Float)  # the same as a number, for SQL sums
    raw: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    provenance: Mapped[dict[str, Any] | None] = mapped_column(JSONText)


class SectionRecord(Base):
    __tablename__ = "sections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    heading: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)


class FindingRecord(Base):
    """A finding of the current version. ``scope``: report (one-report rules), cross (year pairs),
    hierarchy (government vs units) — each scope is replaced as a whole when re-checked."""

    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    other_report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"), index=True)
    scope: Mapped[str] = mapped_column(String(12))
    rule: Mapped[str] = mapped_column(String(60))
    defect: Mapped[str | None] = mapped_column(String(12))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    cells: Mapped[list[Any]] = mapped_column(JSONText)
    location: Mapped[dict[str, Any] | None] = mapped_column(JSONText)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSONText)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Decision(Base):
    """A reviewer's decision, keyed by the finding's stable key (not its row id): it outlives re-checks."""

    __tablename__ = "decisions"
    finding_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    decision: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IngestFailure(Base):
    __tablename__ = "ingest_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text, index=True)
    reason: Mapped[str] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Setting(Base):
    """Small named values the store keeps for its users (e.g. the web app's session-signing key)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class WebSession(Base):
    """A signed-in browser or API client. The cookie holds a random token; only its SHA-256 is kept here,
    so a copy of the database cannot be replayed as a cookie. Deleting the row ends the session."""

    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the cookie token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    address: Mapped[str | None] = mapped_column(String(64))


class AuditEvent(Base):
    """Who did what, when, from where: sign-ins (success, failure, lockout), sign-outs, account changes,
    review decisions. Also the memory of the login throttle (failures per account and per address)."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_user_at", "username", "at"),
                      Index("ix_audit_events_address_at", "address", "at"))
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    event: Mapped[str] = mapped_column(String(32), index=True)
    username: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")
