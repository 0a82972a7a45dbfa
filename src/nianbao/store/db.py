"""Engine and sessions. The URL comes from the argument, else $NIANBAO_DB, else ``sqlite:///nianbao.db``.

SQLite gets WAL (readers — the web app — never block the ingest writer), foreign
keys on, and a busy timeout so a second writer waits instead of failing.

Migrations are serialised across processes, because two commands opening a new database at
once would both see no schema and both create it (one then fails: ``table agencies already
exists``): SQLite files take a file lock beside the database (``<file>.migrate.lock``),
PostgreSQL a transaction-scoped advisory lock. The second process waits, then finds the
schema at head and does nothing.
"""
from __future__ import annotations

import os
import zlib
from contextlib import nullcontext
from pathlib import Path

from alembic import command
from alembic.config import Config
from filelock import FileLock
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import sessionmaker

DEFAULT_URL = "sqlite:///nianbao.db"
MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK_TIMEOUT = 300  # seconds a process waits for another one's migration
PG_MIGRATION_LOCK = zlib.crc32(b"nianbao.migrations")  # the advisory lock key (any fixed 32-bit number)


def resolve_url(url: str | None = None) -> str:
    url = url or os.environ.get("NIANBAO_DB") or DEFAULT_URL
    if "://" not in url:  # a bare file path
        url = f"sqlite:///{url}"
    return url


def make_engine(url: str | None = None) -> Engine:
    url = resolve_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=60000")
    cur.close()


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def migration_lock(engine: Engine) -> FileLock | nullcontext:
    """The cross-process lock beside a SQLite database file (none for in-memory databases or PostgreSQL)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return nullcontext()
    return FileLock(f"{database}.migrate.lock", timeout=MIGRATION_LOCK_TIMEOUT)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates it on an empty database), one process at a time."""
    cfg = alembic_config(engine)
    with migration_lock(engine), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)
