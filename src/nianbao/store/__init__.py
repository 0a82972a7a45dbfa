"""The corpus store: many reports, their findings across years, summaries and exports.

``from nianbao.store import Store`` — the contract is docs/STORE_API.md. SQLite by
default (WAL), PostgreSQL by URL; the schema is created and upgraded by Alembic
migrations (``migrations/``) when a :class:`Store` is opened.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..isolate import DEFAULT_LIMITS, ParseLimits
from . import db, decisions, export, queries, settings, users
from .agencies import AgencyMap, load_agency_map
from .ingest import ingest_one, ingest_paths
from .models import IngestFailure
from .records import (
    AgencyRow,
    FailureRow,
    IngestItem,
    IngestSummary,
    ReportRow,
    SourceVersion,
    StoredFinding,
    StoredReport,
    StoreError,
    Summary,
    UserRow,
)
from .summary import summarize

__all__ = ["AgencyRow", "FailureRow", "IngestItem", "IngestSummary", "ReportRow", "SourceVersion", "Store", "StoreError",
           "StoredFinding", "StoredReport", "Summary", "UserRow"]


class Store:
    def __init__(self, url: str | None = None) -> None:
        """url None → $NIANBAO_DB → 'sqlite:///nianbao.db'. Runs Alembic migrations to head."""
        self.url = db.resolve_url(url)
        try:
            self.engine = db.make_engine(self.url)
            db.upgrade(self.engine)
        except Exception as exc:
            where = self.url.split("@")[-1]  # never echo a password
            first = str(exc).splitlines()[0] if str(exc) else ""
            raise StoreError(f"无法打开数据库 {where}：{type(exc).__name__}: {first}") from exc
        self.session = db.session_factory(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- ingest
    def ingest(self, paths: Iterable[str], *, jobs: int = 1, region: str | None = None,
               progress: Callable[[IngestItem], None] | None = None,
               agency_map: str | Path | AgencyMap | None = None,
               on_total: Callable[[int], None] | None = None, limits: ParseLimits = DEFAULT_LIMITS,
               follow_links: bool = False, retry_failed: bool = False) -> IngestSummary:
        """Each file parsed in a child process under *limits*; see docs/STORE_API.md."""
        mapping = load_agency_map(agency_map) if isinstance(agency_map, str | Path) else agency_map
        return ingest_paths(self.session, [str(p) for p in paths], jobs=max(1, int(jobs)), region=region,
                            mapping=mapping, progress=progress, on_total=on_total, limits=limits,
                            follow_links=follow_links, retry_failed=retry_failed)

    def ingest_bytes(self, data: bytes, name: str, *, region: str | None = None, user: str | None = None,
                     agency_map: str | Path | AgencyMap | None = None,
                     limits: ParseLimits = DEFAULT_LIMITS) -> IngestItem:
        mapping = load_agency_map(agency_map) if isinstance(agency_map, str | Path) else agency_map
        return ingest_one(self.session, data, name, region=region, mapping=mapping, user=user, limits=limits)

    # ---- read
    def reports(self, *, region: str | None = None, year: int | None = None, level: str | None = None,
                agency_id: int | None = None, q: str | None = None, order: str = "agency",
                limit: int | None = None, offset: int = 0) -> list[ReportRow]:
        with self.session() as s:
            return queries.report_rows(s, region=region, year=year, level=level, agency_id=agency_id, q=q,
                                       order=order, limit=limit, offset=offset)

    def count_reports(self, *, region: str | None = None, year: int | None = None, level: str | None = None,
                      agency_id: int | None = None, q: str | None = None) -> int:
        with self.session() as s:
            return queries.count_reports(s, region=region, year=year, level=level, agency_id=agency_id, q=q)

    def report(self, report_id: int) -> StoredReport | None:
        with self.session() as s:
            return queries.stored_report(s, report_id)

    def agencies(self, *, region: str | None = None, level: str | None = None, q: str | None = None
                 ) -> list[AgencyRow]:
        with self.session() as s:
            return queries.agency_rows(s, region=region, level=level, q=q)

    def agency(self, agency_id: int) -> AgencyRow | None:
        with self.session() as s:
            rows = queries.agency_rows(s, agency_id=agency_id)
        return rows[0] if rows else None

    def findings(self, report_id: int) -> list[StoredFinding]:
        with self.session() as s:
            return queries.findings_of(s, [report_id])

    def decide(self, finding_key: str, decision: str, note: str = "", user: str | None = None) -> None:
        with self.session.begin() as s:
            decisions.decide(s, finding_key, decision, note, user)

    def failures(self) -> list[FailureRow]:
        from sqlalchemy import select

        with self.session() as s:
            return [FailureRow(f.path, f.reason, f.at)
                    for f in s.scalars(select(IngestFailure).order_by(IngestFailure.at, IngestFailure.id))]

    # ---- corpus operations
    def summary(self, *, region: str | None = None, year: int | None = None, level: str | None = None) -> Summary:
        with self.session() as s:
            return summarize(s, region=region, year=year, level=level)

    def export(self, fmt: str, dest: str | Path, *, shape: str = "long", **filters: Any) -> Path:
        unknown = set(filters) - {"region", "year", "level", "agency_id", "q"}
        if unknown:
            raise StoreError(f"不支持的筛选条件：{'、'.join(sorted(unknown))}")
        with self.session() as s:
            return export.export(s, fmt, dest, shape=shape, **{k: v for k, v in filters.items() if v is not None})

    # ---- users (web app)
    # ---- settings
    def get_setting(self, key: str) -> str | None:
        """A named setting kept in the store (None when unset)."""
        return settings.get_setting(self.session, key)

    def ensure_setting(self, key: str, value: str) -> str:
        """Keep *value* under *key* unless a value is there already; return the stored one."""
        return settings.ensure_setting(self.session, key, value)

    def create_user(self, username: str, password_hash: str, role: str) -> None:
        users.create_user(self.session, username, password_hash, role)

    def get_user(self, username: str) -> UserRow | None:
        with self.session() as s:
            return users.get_user(s, username)

    def list_users(self) -> list[UserRow]:
        with self.session() as s:
            return users.list_users(s)

    def set_user_role(self, username: str, role: str) -> None:
        with self.session.begin() as s:
            users.set_user_role(s, username, role)

    def set_password_hash(self, username: str, password_hash: str) -> None:
        with self.session.begin() as s:
            users.set_password_hash(s, username, password_hash)

    def delete_user(self, username: str) -> None:
        with self.session.begin() as s:
            users.delete_user(s, username)
