"""Concurrent first use of a new database: two processes open it at once, both succeed (issue 13)."""
from __future__ import annotations

import multiprocessing as mp

from sqlalchemy import create_engine, inspect, text

from test_store_support import store_url_fixture  # noqa: F401  (pytest fixture by name)

OPENERS = 3


def _open(url: str, start: mp.Event, results: mp.Queue) -> None:
    """Wait for the common start, then open the store (which migrates) and report the outcome."""
    from nianbao.store import Store

    start.wait(30)
    try:
        Store(url).close()
        results.put("ok")
    except Exception as exc:  # reported to the test, which shows it
        results.put(f"{type(exc).__name__}: {exc}")


def test_processes_opening_a_new_database_at_once_all_succeed(store_url: str) -> None:
    ctx = mp.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_open, args=(store_url, start, results)) for _ in range(OPENERS)]
    for p in procs:
        p.start()
    start.set()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(30)
    assert outcomes == ["ok"] * OPENERS
    engine = create_engine(store_url)
    try:
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        assert len(versions) == 1  # migrated once, to one head
        assert {"agencies", "reports", "alembic_version"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
