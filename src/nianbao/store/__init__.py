"""The corpus store: many reports, their findings across years, summaries and exports.

``from nianbao.store import Store`` — the contract is docs/STORE_API.md. SQLite by
default (WAL), PostgreSQL by URL; the schema is created and upgraded by Alembic
migrations (``migrations/``) when a :class:`Store` is opened.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..isolate import DEFAULT_LIMITS, ParseLimits
from . import audit, db, decisions, export, queries, register, sessions, settings, users
from . import queue as review_queue
from .agencies import AgencyMap, load_agency_map
from .ingest import ingest_one, ingest_paths
from .models import IngestFailure
from .records import (
    AgencyRow,
    AuditRow,
    FailureRow,
    IngestItem,
    IngestSummary,
    ReportRow,
    SourceVersion,
    StoredFinding,
    StoredReport,
    StoreError,
    Summary,
    ThrottleState,
    UserRow,
)
from .summary import latest_year, summarize

__all__ = ["AgencyRow", "AuditRow", "FailureRow", "IngestItem", "IngestSummary", "ReportRow", "SourceVersion", "Store",
           "StoreError", "StoredFinding", "StoredReport", "Summary", "ThrottleState", "UserRow"]


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

    def queue(self, *, severity: str | None = None, agency: str | None = None, rule: str | None = None,
              open_only: bool = False, year: int | None = None, limit: int | None = None,
              offset: int = 0) -> list[review_queue.QueueItem]:
        """Findings across reports for review, most severe first (see :mod:`.queue`)."""
        with self.session() as s:
            return review_queue.queue(s, severity=severity, agency=agency, rule=rule, open_only=open_only,
                                      year=year, limit=limit, offset=offset)

    def count_queue(self, *, severity: str | None = None, agency: str | None = None, rule: str | None = None,
                    open_only: bool = False, year: int | None = None) -> int:
        with self.session() as s:
            return review_queue.count(s, severity=severity, agency=agency, rule=rule, open_only=open_only,
                                      year=year)

    def finding(self, finding_key: str) -> StoredFinding | None:
        """One finding by its key (None when no stored report has it)."""
        with self.session() as s:
            return review_queue.by_key(s, finding_key)

    def decide(self, finding_key: str, decision: str, note: str = "", user: str | None = None, *,
               address: str | None = None) -> None:
        """Record the decision and its audit line in one transaction."""
        with self.session.begin() as s:
            decisions.decide(s, finding_key, decision, note, user)
            audit.record(s, audit.DECISION, user, address, f"{finding_key} {decision or 'clear'} {note or ''}".strip())

    def failures(self) -> list[FailureRow]:
        from sqlalchemy import select

        with self.session() as s:
            return [FailureRow(f.path, f.reason, f.at)
                    for f in s.scalars(select(IngestFailure).order_by(IngestFailure.at, IngestFailure.id))]

    # ---- agency register
    def import_register(self, path: str | Path) -> tuple[int, int]:
        """Import a register file (CSV/YAML, see :mod:`.register`) in one transaction: (added, updated)."""
        entries = register.read_register(path)
        with self.session.begin() as s:
            return register.import_register(s, entries)

    def register(self, *, region: str | None = None) -> list[register.RegisterEntry]:
        with self.session() as s:
            return register.register_entries(s, region=region)

    def export_register(self, dest: str | Path, *, region: str | None = None) -> Path:
        return register.write_register(self.register(region=region), dest)

    def latest_year(self) -> int | None:
        """The latest year that has reports (the default year of a summary)."""
        with self.session() as s:
            return latest_year(s)

    # ---- corpus operations
    def summary(self, *, region: str | None = None, year: int | None = None, level: str | None = None,
                template: str | None = None) -> Summary:
        """The 汇总 (year None: all years); one template only (see :func:`.summary.summarize`)."""
        with self.session() as s:
            return summarize(s, region=region, year=year, level=level, template=template)

    def export(self, fmt: str, dest: str | Path, *, shape: str = "long", header: str = "zh", **filters: Any) -> Path:
        """CSV/XLSX: Chinese header row with the keys beneath (``header="keys"``: keys only)."""
        unknown = set(filters) - {"region", "year", "level", "agency_id", "q"}
        if unknown:
            raise StoreError(f"不支持的筛选条件：{'、'.join(sorted(unknown))}")
        with self.session() as s:
            return export.export(s, fmt, dest, shape=shape, header=header,
                                 **{k: v for k, v in filters.items() if v is not None})

    # ---- users (web app)
    # ---- settings
    def get_setting(self, key: str) -> str | None:
        """A named setting kept in the store (None when unset)."""
        return settings.get_setting(self.session, key)

    def ensure_setting(self, key: str, value: str) -> str:
        """Keep *value* under *key* unless a value is there already; return the stored one."""
        return settings.ensure_setting(self.session, key, value)

    def create_user(self, username: str, password_hash: str, role: str, *, by: str | None = None) -> None:
        users.create_user(self.session, username, password_hash, role)
        self.record_event(audit.USER_CREATED, username, detail=f"角色 {role}" + (f"（操作人 {by}）" if by else ""))

    def get_user(self, username: str) -> UserRow | None:
        with self.session() as s:
            return users.get_user(s, username)

    def list_users(self) -> list[UserRow]:
        with self.session() as s:
            return users.list_users(s)

    def set_user_role(self, username: str, role: str, *, by: str | None = None) -> None:
        """Change the role and end the user's sessions (a session never outlives the role it began with)."""
        with self.session.begin() as s:
            old = users.get_user(s, username)
            users.set_user_role(s, username, role)
            if old is not None and old.role == role:
                return  # nothing changed: the sessions stay
            sessions.end_user_sessions(s, username)
            audit.record(s, audit.ROLE_CHANGED, username, None,
                         f"{old.role if old else '?'} → {role}" + (f"（操作人 {by}）" if by else ""))

    def set_password_hash(self, username: str, password_hash: str, *, by: str | None = None,
                          keep_session: str | None = None) -> None:
        """Change the password and end the user's sessions (all but *keep_session*, a token, when given)."""
        with self.session.begin() as s:
            users.set_password_hash(s, username, password_hash)
            sessions.end_user_sessions(s, username, keep=keep_session)
            audit.record(s, audit.PASSWORD_CHANGED, username, None, f"操作人 {by}" if by else "")

    def delete_user(self, username: str, *, by: str | None = None) -> None:
        with self.session.begin() as s:
            sessions.end_user_sessions(s, username)
            users.delete_user(s, username)
            audit.record(s, audit.USER_DELETED, username, None, f"操作人 {by}" if by else "")

    # ---- web sessions (revocable; the cookie holds a random token, the store its hash)
    def create_session(self, username: str, now: datetime, address: str | None = None) -> str:
        with self.session.begin() as s:
            return sessions.create_session(s, username, now, address)

    def session_user(self, token: str, now: datetime, *, idle: timedelta, absolute: timedelta) -> UserRow | None:
        """The user of a live session (touching it), or None; an expired session is deleted."""
        with self.session.begin() as s:
            return sessions.session_user(s, token, now, idle=idle, absolute=absolute)

    def end_session(self, token: str) -> bool:
        with self.session.begin() as s:
            return sessions.end_session(s, token)

    def end_user_sessions(self, username: str) -> int:
        with self.session.begin() as s:
            return sessions.end_user_sessions(s, username)

    def count_sessions(self, username: str) -> int:
        with self.session() as s:
            return sessions.count_sessions(s, username)

    def purge_sessions(self, now: datetime, *, idle: timedelta, absolute: timedelta) -> int:
        with self.session.begin() as s:
            return sessions.purge_expired(s, now, idle=idle, absolute=absolute)

    # ---- audit log
    def record_event(self, event: str, username: str | None = None, address: str | None = None, detail: str = "",
                     *, at: datetime | None = None) -> None:
        """Append one line to the audit log (events: ``nianbao.store.audit.EVENTS``)."""
        with self.session.begin() as s:
            audit.record(s, event, username, address, detail, at)

    def audit(self, *, event: str | None = None, username: str | None = None, since: datetime | None = None,
              limit: int = 200, offset: int = 0) -> list[AuditRow]:
        """The audit log, newest first."""
        with self.session() as s:
            return audit.events(s, event=event, username=username, since=since, limit=limit, offset=offset)

    def count_audit(self, *, event: str | None = None, username: str | None = None,
                    since: datetime | None = None) -> int:
        with self.session() as s:
            return audit.count_events(s, event=event, username=username, since=since)

    def login_failures(self, username: str, address: str | None, since: datetime) -> ThrottleState:
        """Sign-in failures since *since* for the account (after its last success) and for the address."""
        with self.session() as s:
            return audit.login_failures(s, username, address, since)
