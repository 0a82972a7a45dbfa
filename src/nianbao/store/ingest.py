"""Ingest: files → parsed in worker processes → written by the parent, one transaction per report.

Why this shape: parsing is CPU-bound and independent (processes scale it), while a
single writer keeps SQLite happy and makes every report all-or-nothing. Content
hashes make the run idempotent and resumable: what is stored is skipped, what
changed becomes a new version, and the cross-report checks run at the end for
whatever is marked dirty (so an interrupted run is finished by the next one).
"""
from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from ..api import expand_paths
from ..errors import NianbaoError
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
from .records import ADDED, FAILED, NEW_VERSION, UNCHANGED, IngestItem, IngestSummary, StoreError
from .worker import CELL_COLUMNS, Parsed, content_hash, parse_data, parse_path, read_file

Progress = Callable[[IngestItem], None]


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
    if rep_id is None:
        rep_id = conn.execute(insert(ReportRecord).values(agency_id=agency_id, year=p.year, cross_dirty=True)
                              .returning(ReportRecord.id)).scalar_one()
    number = (conn.execute(select(func.max(ReportVersion.version)).where(ReportVersion.report_id == rep_id))
              .scalar() or 0) + 1
    version_id = conn.execute(insert(ReportVersion).values(
        report_id=rep_id, version=number, content_hash=p.content_hash, file_name=p.path, form=p.form,
        source=p.data, report_json=p.report, raw_agency=p.agency, ingested_by=user, ingested_at=utcnow())
        .returning(ReportVersion.id)).scalar_one()
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
    conn.execute(delete(IngestFailure).where(IngestFailure.path == p.path))
    return IngestItem(p.path, status, rep_id, version_id, agency=agency_name, year=p.year)


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


def _parsed_stream(paths: list[str], jobs: int) -> Iterator[Parsed]:
    if jobs <= 1 or len(paths) <= 1:
        yield from map(parse_path, paths)
        return
    # spawn: the parent may run threads (rich's progress refresh); forking those is unsafe.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        yield from pool.map(parse_path, paths, chunksize=max(1, min(32, len(paths) // (jobs * 8) or 1)))


def ingest_paths(factory: sessionmaker, paths: Iterable[str], *, jobs: int = 1, region: str | None = None,
                 mapping: AgencyMap | None = None, progress: Progress | None = None,
                 on_total: Callable[[int], None] | None = None) -> IngestSummary:
    summary = IngestSummary()

    def done(item: IngestItem) -> None:
        summary.count(item)
        if progress:
            progress(item)

    engine = factory.kw["bind"]
    files = list(dict.fromkeys(expand_paths(paths)))
    if on_total:
        on_total(len(files))
    with factory() as s:
        known = {h: (r, v) for h, r, v in s.execute(
            select(ReportVersion.content_hash, ReportVersion.report_id, ReportVersion.id))}
    todo, seen = [], set()
    for path in files:
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
    try:
        for parsed in _parsed_stream(todo, jobs):
            done(write_safely(engine, parsed, region=region, mapping=mapping))
    except BrokenProcessPool as exc:
        cross.recheck_dirty(factory)
        raise StoreError("解析进程意外退出；已入库的报告均完整保留，重新运行同一命令即可继续") from exc
    # An interrupted run leaves reports marked dirty: this call (next run) finishes their checks.
    cross.recheck_dirty(factory)
    return summary


def ingest_one(factory: sessionmaker, data: bytes, name: str, *, region: str | None = None,
               mapping: AgencyMap | None = None, user: str | None = None) -> IngestItem:
    """Bytes in memory (a web upload): parsed in this process, then stored like a file."""
    parsed = parse_data(data, name)
    item = write_safely(factory.kw["bind"], parsed, region=region, mapping=mapping, user=user)
    if item.status in (ADDED, NEW_VERSION):
        cross.recheck_dirty(factory)
    return item
