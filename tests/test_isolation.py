"""Parsing in child processes: a file that kills, starves or stalls its parser fails alone (issues 13, 14)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, SEED_IDS
from nianbao.api import Skipped, iter_inputs
from nianbao.isolate import CRASHED, MEMORY_LIMIT, TIMEOUT, ParseLimits, WorkerFailure, run_each, run_one

CRASH_PDF = ROOT / "tests" / "fixtures" / "hostile" / "crash-20m-objects.pdf"
NIANBAO = [sys.executable, "-m", "nianbao.cli"]
LOW_MEMORY = "600"  # MB: pdfium aborts on the crash PDF within a second; the seeds need ~100 MB


# module-level: children of a forkserver import them by name
def square_or_abort(x: int) -> int:
    if x == 3:
        os.abort()
    return x * x


def sleep_then(x: float) -> float:
    time.sleep(x)
    return x


def allocate(mb: int) -> int:
    return len(bytearray(mb * 1024 * 1024))


def test_a_child_that_aborts_fails_alone_in_order():
    for jobs in (1, 3):
        out = list(run_each(square_or_abort, [1, 2, 3, 4, 5], jobs=jobs, limits=ParseLimits(memory_mb=None)))
        assert [a for a, _ in out] == [1, 2, 3, 4, 5]
        assert [r for _, r in out if not isinstance(r, WorkerFailure)] == [1, 4, 16, 25]
        failure = out[2][1]
        assert isinstance(failure, WorkerFailure) and failure.kind == CRASHED
        assert "SIGABRT" in failure.reason and "已跳过" in failure.reason


def hostile(x: int) -> int:
    if x == 3:
        os.abort()
    if x == 7:
        return len(bytearray(2000 * 1024 * 1024))
    if x == 12:
        time.sleep(30)
    return x * x


def test_children_take_several_files_and_a_bad_one_fails_alone():
    """40 args in chunks of 5: an abort, an allocation over the ceiling and a stall each cost only their own arg."""
    from nianbao.isolate import chunk_size

    assert chunk_size(40, 2) == 5 and chunk_size(3, 2) == 1 and chunk_size(10_000, 2) == 16
    out = list(run_each(hostile, list(range(40)), jobs=2, limits=ParseLimits(memory_mb=300, seconds=2)))
    assert [a for a, _ in out] == list(range(40))
    kinds = {a: r.kind for a, r in out if isinstance(r, WorkerFailure)}
    assert kinds == {3: CRASHED, 7: MEMORY_LIMIT, 12: TIMEOUT}
    assert all(r == a * a for a, r in out if a not in kinds)


def test_time_ceiling_names_the_limit():
    t0 = time.monotonic()
    out = dict(run_each(sleep_then, [0.0, 30.0, 0.1], jobs=2, limits=ParseLimits(seconds=1)))
    assert time.monotonic() - t0 < 15
    assert out[0.0] == 0.0 and out[0.1] == 0.1
    assert out[30.0] == WorkerFailure("解析超时（超过时间上限 1 秒），已中止", TIMEOUT)


def test_memory_ceiling_names_the_limit():
    limits = ParseLimits(memory_mb=300)
    assert run_one(allocate, 10, limits) == 10 * 1024 * 1024
    assert run_one(allocate, 1000, limits) == WorkerFailure("解析所需内存超过上限（300 MB），已中止", MEMORY_LIMIT)


def test_without_isolation_runs_in_process():
    assert list(run_each(os.getpid, [None] * 0)) == []
    assert run_one(sleep_then, 0.0, ParseLimits(isolate=False)) == 0.0


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*NIANBAO, *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def test_check_survives_the_crash_pdf(tmp_path):
    """The abort-inducing PDF between two reports: both reports are checked, the PDF fails with the reason."""
    first, second = (str(SAMPLES / f"{s}.txt") for s in SEED_IDS[:2])
    r = _cli("check", first, str(CRASH_PDF), second, "--format", "json", "--max-memory", LOW_MEMORY)
    assert r.returncode == 2, r.stderr
    lines = [line for line in r.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 3 and '"error"' in lines[1] and '"findings"' in lines[0] and '"findings"' in lines[2]
    assert "crash-20m-objects.pdf：解析进程异常终止（SIGABRT）" in r.stderr and "600 MB" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ingest_stores_every_other_file_and_skips_the_crash_next_time(tmp_path, jobs):
    folder = tmp_path / "in"
    folder.mkdir()
    for s in SEED_IDS:
        (folder / f"{s}.txt").write_bytes((SAMPLES / f"{s}.txt").read_bytes())
    crash = folder / "002_crash.pdf"  # sorted among the seeds: the files after it must be stored too
    crash.write_bytes(CRASH_PDF.read_bytes())
    db = f"sqlite:///{tmp_path / 'c.db'}"
    r = _cli("ingest", str(folder), "--db", db, "-j", jobs, "-q", "--max-memory", LOW_MEMORY)
    assert r.returncode == 2 and f"新增 {len(SEED_IDS)} 份" in r.stdout and "失败 1 份" in r.stdout, r.stderr
    assert "002_crash.pdf：解析进程异常终止（SIGABRT）" in r.stderr

    from nianbao.store import Store

    with Store(db) as store:
        assert store.count_reports() == len(SEED_IDS)
        [failure] = store.failures()
        assert failure.path == str(crash) and "SIGABRT" in failure.reason

    t0 = time.monotonic()
    r = _cli("ingest", str(folder), "--db", db, "-j", jobs, "-q", "--max-memory", "0")  # no ceiling: 7 GB if parsed
    assert time.monotonic() - t0 < 60
    assert r.returncode == 2 and f"未变化 {len(SEED_IDS)} 份" in r.stdout
    assert "上次运行时失败：解析进程异常终止（SIGABRT）" in r.stderr and "--retry-failed" in r.stderr

    r = _cli("ingest", str(folder), "--db", db, "-q", "--max-memory", LOW_MEMORY, "--retry-failed")
    assert r.returncode == 2 and "上次运行时失败" not in r.stderr and "SIGABRT" in r.stderr
    later = time.time() + 5  # a changed file is tried again
    os.utime(crash, (later, later))
    r = _cli("ingest", str(folder), "--db", db, "-q", "--max-memory", LOW_MEMORY)
    assert "上次运行时失败" not in r.stderr and "SIGABRT" in r.stderr


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("密码\n", encoding="utf-8")
    root = tmp_path / "reports"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("一\n", encoding="utf-8")
    (root / "sub" / "b.txt").write_text("二\n", encoding="utf-8")
    (root / "inside-link.txt").symlink_to(root / "sub" / "b.txt")
    (root / "passwd.txt").symlink_to(secret)
    (root / "outdir").symlink_to(outside, target_is_directory=True)
    return root, secret


def test_links_out_of_a_folder_are_not_followed(tmp_path):
    root, secret = _tree(tmp_path)
    items = list(iter_inputs([root]))
    read = [i for i in items if isinstance(i, str)]
    skipped = {Path(i.path).name: i for i in items if isinstance(i, Skipped)}
    assert read == [str(root / "a.txt"), str(root / "inside-link.txt"), str(root / "sub" / "b.txt")]
    assert set(skipped) == {"passwd.txt", "outdir"}
    assert skipped["passwd.txt"].reason == (f"符号链接指向所选文件夹之外（{secret}），未读取；"
                                            "确需读取请使用 --follow-links")
    followed = [i for i in iter_inputs([root], follow_links=True) if isinstance(i, str)]
    assert str(root / "passwd.txt") in followed and str(root / "outdir" / "secret.txt") in followed
    assert not any(isinstance(i, Skipped) for i in iter_inputs([root], follow_links=True))
    assert list(iter_inputs([root / "passwd.txt"])) == [str(root / "passwd.txt")]  # named explicitly: read


def test_ingest_lists_a_link_out_of_the_folder_as_a_failure(tmp_path):
    root, _secret = _tree(tmp_path)
    db = f"sqlite:///{tmp_path / 'l.db'}"
    r = _cli("ingest", str(root), "--db", db, "-q")
    assert "passwd.txt：符号链接指向所选文件夹之外" in r.stderr and "密码" not in r.stdout + r.stderr

    from nianbao.store import Store

    with Store(db) as store:
        reasons = {Path(f.path).name: f.reason for f in store.failures()}
        assert reasons["passwd.txt"].startswith("符号链接指向所选文件夹之外")
        assert "outdir" in reasons
