"""Ingest: files → parsed in child processes → written by the parent, one transaction per report.

Why this shape: parsing is CPU-bound and independent (processes scale it), and untrusted — a
crafted file can abort a native library — so each file is parsed in its own child under a memory
and a time ceiling (:mod:`nianbao.isolate`), while a single writer keeps SQLite happy and makes
every report all-or-nothing. Content hashes make the run idempotent and resumable: what is stored
is skipped, what changed becomes a new version, and the cross-report checks run at the end for
whatever is marked dirty (so an interrupted run is finished by the next one). A file that killed
its worker, ran out of time or memory is recorded with the reason and skipped by the next run
until it changes (or ``retry_failed``), so one such file never costs every resumed run its limit.

The current version of a report is the most trustworthy source stored (:mod:`.sources`), not
simply the last one ingested.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from ..api import Skipped, iter_inputs
from ..errors import NianbaoError
from ..isolate import (
    CRASHED,
    DEFAULT_LIMITS,
    MEMORY_LIMIT,
    TIMEOUT,
    ParseLimits,
    WorkerFailure,
    run_each,
    run_one,
    warm_up,
)
from . import cross
from .agencies import AgencyMap, identify
from .keys import KeyAllocator
from .models import (
    Agency,
    CellRecord,
    FindingRecord,
    IngestFailure,
    ReportRecord,
    ReportVersion,
    SectionRecord,
    utcnow,
)
from .records import ADDED, FAILED, NEW_VERSION, UNCHANGED, IngestItem, IngestSummary
from .sources import TRUST, describe, version_kind
from .worker import CELL_COLUMNS, Parsed, content_hash, parse_path, parse_upload, read_file

Progress = Callable[[IngestItem], None]
WORKER_KINDS = (CRASHED, MEMORY_LIMIT, TIMEOUT)  # failures skipped by the next run until the file changes


def record_failure(conn: Connection, path: str, reason: str, kind: str | None) -> IngestItem:
    conn.execute(delete(IngestFailure).where(IngestFailure.path == path))
    conn.execute(insert(IngestFailure).values(path=path, reason=reason, kind=kind, at=utcnow()))
    return IngestItem(path, FAILED, error=reason)


def _insert_cells(conn: Connection, rows: list[tuple]) -> None:
    """The bulk of every report (~200 rows): straight to the driver's executemany."""
    quote = conn.dialect.identifier_preparer.quote
    cols = ("report_id", "version_id", *CELL_COLUMNS)
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO cells ({', '.join(quote(c) for c in cols)}) "
           f"VALUES ({', '.join([mark] * len(cols))})")
    conn.exec_driver_sql(sql, rows)


def write_parsed(conn: Connection, p: Parsed, *, region: str | None = None, mapping: AgencyMap | None = None,
                 user: str | None = None) -> IngestItem:
    """Store one parsed file (call inside a transaction). Failures are recorded, not raised."""
    if p.error:
        return record_failure(conn, p.path, p.error, p.error_kind)
    if not p.agency:
        return record_failure(conn, p.path, "未能识别发布机关，无法归档（可用 --agency-map 指定）", "no_agency")
    if not p.year:
        return record_failure(conn, p.path, "未能识别报告年度，无法归档", "no_year")
    known = conn.execute(select(ReportVersion.report_id, ReportVersion.id)
                      .where(ReportVersion.content_hash == p.content_hash)).first()
    if known:
        return IngestItem(p.path, UNCHANGED, known[0], known[1], agency=p.agency, year=p.year)
    ident = identify(p.agency, region=region, mapping=mapping)
    # Core statements on a Connection: the ORM's per-row bookkeeping was the ingest bottleneck.
    agency = conn.execute(select(Agency.id, Agency.name, Agency.region).where(Agency.norm_name == ident.key)).first()
    if agency is None:
        agency_id = conn.execute(insert(Agency).values(
            norm_name=ident.key, name=ident.name, region=ident.region, level=ident.level,
            is_government=ident.is_government).returning(Agency.id)).scalar_one()
        agency_name = ident.name
    else:
        agency_id, agency_name = agency.id, agency.name
        if ident.region and (not agency.region or len(ident.region) > len(agency.region)):
            # a more specific region (given later by --region) wins
            conn.execute(update(Agency).where(Agency.id == agency_id).values(region=ident.region))
    rep_id = conn.execute(select(ReportRecord.id).where(ReportRecord.agency_id == agency_id,
                                                        ReportRecord.year == p.year)).scalar()
    status = NEW_VERSION if rep_id else ADDED
    kept = _current_if_better(conn, rep_id, p.source_kind) if rep_id else None
    if rep_id is None:
        rep_id = conn.execute(insert(ReportRecord).values(agency_id=agency_id, year=p.year, cross_dirty=True)
                              .returning(ReportRecord.id)).scalar_one()
    number = (conn.execute(select(func.max(ReportVersion.version)).where(ReportVersion.report_id == rep_id))
              .scalar() or 0) + 1
    version_id = conn.execute(insert(ReportVersion).values(
        report_id=rep_id, version=number, content_hash=p.content_hash, file_name=p.path, form=p.form,
        source=p.data, report_json=p.report, raw_agency=p.agency, ingested_by=user, ingested_at=utcnow())
        .returning(ReportVersion.id)).scalar_one()
    conn.execute(delete(IngestFailure).where(IngestFailure.path == p.path))
    if kept is not None:  # stored as a version; the current one stays (its source is more trustworthy)
        note = (f"已保存为第 {number} 版（{describe(p.source_kind, p.form)}），当前版本仍为第 {kept[0]} 版"
                f"（{describe(kept[1], kept[2])}，来源更可靠）")
        return IngestItem(p.path, status, rep_id, version_id, agency=agency_name, year=p.year, current=False,
                          note=note, source=kept[1])
    if status == NEW_VERSION:
        for model in (CellRecord, SectionRecord):
            conn.execute(delete(model).where(model.report_id == rep_id))
        conn.execute(delete(FindingRecord).where(FindingRecord.report_id == rep_id, FindingRecord.scope == "report"))
    if p.cells:
        _insert_cells(conn, [(rep_id, version_id, *c) for c in p.cells])
    if p.sections:
        conn.execute(SectionRecord.__table__.insert(),
                     [{**x, "report_id": rep_id, "version_id": version_id} for x in p.sections])
    keys = KeyAllocator()
    if p.findings:
        now = utcnow()
        conn.execute(FindingRecord.__table__.insert(), [
            {"key": keys.key(f["rule"], f["cells"], ident.key, p.year, f["message"]), "report_id": rep_id,
             "other_report_id": None, "scope": "report", "rule": f["rule"], "defect": f["defect"],
             "severity": f["severity"], "message": f["message"], "cells": f["cells"], "location": f["location"],
             "data": f.get("data"), "created_at": now} for f in p.findings])
    conn.execute(update(ReportRecord).where(ReportRecord.id == rep_id)
                 .values(current_version_id=version_id, template=p.template, cross_dirty=True))
    note = f"第 {number} 版（{describe(p.source_kind, p.form)}）为当前版本" if status == NEW_VERSION else None
    return IngestItem(p.path, status, rep_id, version_id, agency=agency_name, year=p.year, note=note,
                      source=p.source_kind)


def _current_if_better(conn: Connection, rep_id: int, kind: str) -> tuple[int, str, str] | None:
    """``(version, kind, form)`` of the report's current version when its source is more trustworthy
    than *kind* (the new file then does not replace it); None when the new file should be current."""
    row = conn.execute(select(ReportVersion.version, ReportVersion.form, ReportVersion.report_json)
                       .join(ReportRecord, ReportRecord.current_version_id == ReportVersion.id)
                       .where(ReportRecord.id == rep_id)).first()
    if row is None:
        return None
    current = version_kind(row.form, row.report_json)
    if TRUST.get(current, 0) > TRUST.get(kind, 0):
        return row.version, current, row.form
    return None


def write_safely(engine: Engine, p: Parsed, **kwargs: Any) -> IngestItem:
    """One transaction per report; a concurrent writer storing the same file first (unique content hash,
    unique agency name) makes us retry once, and the retry sees it as already stored."""
    for attempt in (1, 2):
        try:
            with engine.begin() as conn:
                return write_parsed(conn, p, **kwargs)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _as_parsed(path: str, out: Parsed | WorkerFailure) -> Parsed:
    if isinstance(out, WorkerFailure):
        return Parsed(path, error=out.reason, error_kind=out.kind)
    return out


def _worker_failures(factory: sessionmaker) -> dict[str, tuple[str, datetime]]:
    """Path → (reason, when) of the files whose worker died, overran or ran out of memory."""
    with factory() as s:
        rows = s.execute(select(IngestFailure.path, IngestFailure.reason, IngestFailure.at)
                         .where(IngestFailure.kind.in_(WORKER_KINDS)))
        return {path: (reason, at if at.tzinfo else at.replace(tzinfo=UTC)) for path, reason, at in rows}


def _unchanged_since(path: str, when: datetime) -> bool:
    try:
        return datetime.fromtimestamp(os.stat(path).st_mtime, UTC) <= when
    except OSError:
        return False


def ingest_paths(factory: sessionmaker, paths: Iterable[str], *, jobs: int = 1, region: str | None = None,
                 mapping: AgencyMap | None = None, progress: Progress | None = None,
                 on_total: Callable[[int], None] | None = None, limits: ParseLimits = DEFAULT_LIMITS,
                 follow_links: bool = False, retry_failed: bool = False) -> IngestSummary:
    summary = IngestSummary()

    def done(item: IngestItem) -> None:
        summary.count(item)
        if progress:
            progress(item)

    engine = factory.kw["bind"]
    files = list(dict.fromkeys(iter_inputs(paths, follow_links=follow_links)))
    if on_total:
        on_total(len(files))
    with factory() as s:
        known = {h: (r, v) for h, r, v in s.execute(
            select(ReportVersion.content_hash, ReportVersion.report_id, ReportVersion.id))}
    dead = {} if retry_failed else _worker_failures(factory)
    todo, seen = [], set()
    for path in files:
        if isinstance(path, Skipped):
            with engine.begin() as conn:
                done(record_failure(conn, path.path, path.reason, path.kind))
            continue
        if path in dead and _unchanged_since(path, dead[path][1]):
            done(IngestItem(path, FAILED, error=f"上次运行时失败：{dead[path][0]}；文件未修改，本次跳过"
                                                  f"（可用 --retry-failed 重试）"))
            continue
        try:
            h = content_hash(read_file(path))
        except NianbaoError as exc:
            with engine.begin() as conn:
                done(record_failure(conn, path, exc.reason, exc.kind))
            continue
        if h in known:
            done(IngestItem(path, UNCHANGED, *known[h]))
        elif h in seen:
            done(IngestItem(path, UNCHANGED, error=None))
        else:
            seen.add(h)
            todo.append(path)
    if limits.isolate and len(todo) > 1:
        warm_up()  # once here rather than in every child
    for path, out in run_each(parse_path, todo, jobs=jobs, limits=limits):
        done(write_safely(engine, _as_parsed(path, out), region=region, mapping=mapping))
    # An interrupted run leaves reports marked dirty: this call (next run) finishes their checks.
    cross.recheck_dirty(factory)
    return summary


def ingest_one(factory: sessionmaker, data: bytes, name: str, *, region: str | None = None,
               mapping: AgencyMap | None = None, user: str | None = None,
               limits: ParseLimits = DEFAULT_LIMITS) -> IngestItem:
    """Bytes received by the web app: parsed in a child process under *limits*, then stored like a file."""
    parsed = _as_parsed(name, run_one(parse_upload, (data, name), limits=limits))
    item = write_safely(factory.kw["bind"], parsed, region=region, mapping=mapping, user=user)
    if item.status in (ADDED, NEW_VERSION):
        cross.recheck_dirty(factory)
    return item

