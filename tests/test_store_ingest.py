"""Ingest: idempotent, versioned, resumable, failures kept — on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from conftest import SAMPLES
from test_store_support import SEED_GOV, seed, store_fixture, store_url_fixture, write  # noqa: F401


def _counts(s) -> dict[str, int]:
    from nianbao.store import models as m

    with s.session() as ses:
        return {t.__tablename__: ses.scalar(select(func.count()).select_from(t))
                for t in (m.Agency, m.ReportRecord, m.ReportVersion, m.CellRecord, m.SectionRecord, m.FindingRecord)}


def test_samples_twice_changes_nothing(store):
    first = store.ingest([str(SAMPLES)], jobs=2)
    assert (first.added, first.unchanged, first.new_versions, first.failed) == (5, 0, 0, []), first.failed
    before = _counts(store)
    keys = {f.key for r in store.reports() for f in store.findings(r.id)}
    second = store.ingest([str(SAMPLES)])
    assert (second.added, second.unchanged, second.new_versions, second.failed) == (0, 5, 0, [])
    assert _counts(store) == before
    assert {f.key for r in store.reports() for f in store.findings(r.id)} == keys
    assert before["reports"] == 5 and before["report_versions"] == 5
    assert store.count_reports() == 5 and store.count_reports(year=2022) == 4


def test_changed_file_is_a_new_version(store, tmp_path):
    path = write(tmp_path / "r.txt", seed(SEED_GOV))
    item = store.ingest([str(path)]).items[0]
    assert item.status == "added"
    write(path, seed(SEED_GOV).replace("行政强制\t219", "行政强制\t220"))
    result = store.ingest([str(path)])
    assert result.new_versions == 1 and result.items[0].report_id == item.report_id
    stored = store.report(item.report_id)
    assert stored.row.version == 2 and [v for v, _, _ in stored.versions] == [1, 2]
    assert stored.report.active["coercion"]["decisions"].value == 220
    assert stored.source_bytes == path.read_bytes()
    assert _counts(store)["cells"] == len(list(stored.report.iter_cells()))  # old version's cells are gone
    assert store.summary(year=2022).active["coercion"]["decisions"] == 220  # counted once, latest version


def test_failures_are_listed_and_stored(store, tmp_path):
    bad = write(tmp_path / "note.txt", "这不是年度报告，只是一段说明文字。\n" * 3)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = store.ingest([str(bad), str(empty), str(tmp_path / "missing.txt"), str(SAMPLES / f"{SEED_GOV}.txt")])
    assert result.added == 1 and len(result.failed) == 3
    assert all(item.error for item in result.failed)
    reasons = {Path(f.path).name: f.reason for f in store.failures()}
    assert set(reasons) == {"note.txt", "empty.txt", "missing.txt"}
    assert reasons["missing.txt"] == "文件不存在" and "空" in reasons["empty.txt"]
    store.ingest([str(bad)])  # a repeated failure is listed once
    assert len(store.failures()) == 3


def test_list_file_and_ingest_bytes(store, tmp_path):
    listing = write(tmp_path / "list.txt", f"{SAMPLES / (SEED_GOV + '.txt')}\n# comment\n")
    assert store.ingest([f"@{listing}"]).added == 1
    item = store.ingest_bytes(seed(SEED_GOV).replace("2022", "2021").encode(), "upload.txt", user="alice")
    assert item.status == "added" and item.report_id and item.version_id
    assert store.ingest_bytes(seed(SEED_GOV).replace("2022", "2021").encode(), "again.txt").status == "unchanged"
    failed = store.ingest_bytes(b"\x00\x01\x02binary", "x.bin")
    assert failed.status == "failed" and failed.error


def test_a_raising_worker_fails_one_file_only(store, tmp_path, monkeypatch):
    from nianbao.store import worker

    real = worker.extract

    def flaky(doc):
        if "boom" in (doc.path or ""):
            raise RuntimeError("simulated bug")
        return real(doc)

    monkeypatch.setattr(worker, "extract", flaky)
    write(tmp_path / "in" / "a.txt", seed(SEED_GOV))
    write(tmp_path / "in" / "boom.txt", seed(SEED_GOV).replace("2022", "2021"))
    from nianbao.isolate import ParseLimits

    # in this process: a child started by a forkserver would not see the monkeypatch
    result = store.ingest([str(tmp_path / "in")], limits=ParseLimits(isolate=False))
    assert result.added == 1 and len(result.failed) == 1
    assert "内部错误" in result.failed[0].error and "simulated bug" in result.failed[0].error


def _series(folder: Path, n: int) -> None:
    text = seed(SEED_GOV)
    for i in range(n):
        write(folder / f"r{i:03d}.txt", text.replace("偃师区", f"测{i:03d}县"))


def test_killed_ingest_leaves_a_consistent_store_and_resumes(tmp_path):
    """SIGKILL the ingest process mid-run: whole reports only, and a rerun completes."""
    folder, db = tmp_path / "in", tmp_path / "kill.db"
    _series(folder, 120)
    url = f"sqlite:///{db}"
    cmd = [sys.executable, "-m", "nianbao.cli", "ingest", str(folder), "--db", url, "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ})
    deadline = time.time() + 60
    done = 0
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=5) as con:
                    done = con.execute("select count(*) from report_versions").fetchone()[0]
            except sqlite3.Error:
                done = 0
            if done >= 10:
                break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < done < 120, "the run finished before it could be interrupted"
    with sqlite3.connect(db) as con:
        versions = con.execute("select count(*) from report_versions").fetchone()[0]
        # every stored report is whole: current version set, with its cells and sections
        broken = con.execute("""select count(*) from reports r where r.current_version_id is null
            or not exists (select 1 from cells c where c.report_id = r.id and c.version_id = r.current_version_id)
            or not exists (select 1 from sections x where x.report_id = r.id)""").fetchone()[0]
        orphans = con.execute("select count(*) from report_versions v where not exists "
                              "(select 1 from reports r where r.current_version_id = v.id)").fetchone()[0]
    assert versions < 120 and broken == 0 and orphans == 0
    from nianbao.store import Store

    store = Store(url)
    result = store.ingest([str(folder)])
    assert result.unchanged == versions and result.added == 120 - versions and not result.failed
    assert store.count_reports() == 120
    with store.session() as s:
        from nianbao.store.models import ReportRecord

        assert s.scalar(select(func.count()).where(ReportRecord.cross_dirty.is_(True))) == 0


def test_migrations_match_the_models(store_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from nianbao.store import Store
    from nianbao.store.models import Base

    s = Store(store_url)
    with s.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    Store(store_url).close()  # opening again (already at head) is a no-op
    s.close()


def test_default_url_from_environment(tmp_path, monkeypatch):
    from nianbao.store import Store

    monkeypatch.setenv("NIANBAO_DB", f"sqlite:///{tmp_path / 'env.db'}")
    Store().close()
    assert (tmp_path / "env.db").exists()
    monkeypatch.delenv("NIANBAO_DB")
    monkeypatch.chdir(tmp_path)
    shutil.rmtree(tmp_path / "sub", ignore_errors=True)
    Store().close()
    assert (tmp_path / "nianbao.db").exists()
