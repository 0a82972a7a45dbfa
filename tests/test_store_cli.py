"""The store commands: ingest, summary, export, review, failures (Chinese output, no tracebacks)."""
from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import SAMPLES
from nianbao.cli import main
from test_store_support import gov_2021, seed, write  # noqa: F401


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_ingest_summary_export_review(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    bad = write(tmp_path / "bad" / "bad.txt", "不是年度报告。\n")
    r = run("ingest", str(SAMPLES), str(bad), "--db", db, "--jobs", "2", "--quiet")
    assert r.exit_code == 2 and "新增 5 份" in r.output and "失败 1 份" in r.output and "bad.txt" in r.output
    r = run("ingest", str(SAMPLES), "--db", db, "--quiet")
    assert r.exit_code == 0 and "未变化 5 份" in r.output
    r = run("failures", "--db", db)
    assert "bad.txt" in r.output and "共 1 个文件未能入库" in r.output
    r = run("summary", "--db", db, "--year", "2022")
    assert r.exit_code == 0 and "报告 4 份" in r.output and "未导入机关名录" in r.output
    data = json.loads(run("summary", "--db", db, "--year", "2022", "--format", "json").output)
    assert data["n_reports"] == 4 and data["applications"]["new"][6] == 64
    out = tmp_path / "out.xlsx"
    r = run("export", "--db", db, "--format", "xlsx", "-o", str(out), "--region", "洛阳市")
    assert r.exit_code == 0 and out.exists()
    r = run("export", "--db", db, "--format", "csv", "--shape", "wide", "-o", str(tmp_path / "w.csv"))
    assert r.exit_code == 0


def test_review_command(tmp_path):
    from nianbao.store import Store

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    write(tmp_path / "in" / "2021.txt", gov_2021(carried_forward="6\t0\t0\t0\t0\t0\t7"))
    write(tmp_path / "in" / "2022.txt", seed("003_2a799143023ee02c"))
    assert run("ingest", str(tmp_path / "in"), "--db", db, "-q").exit_code == 0
    store = Store(db)
    rid = store.reports(year=2022)[0].id
    key = next(f.key for f in store.findings(rid) if f.rule == "X-CARRY-OVER")
    r = run("review", key, "--dismiss", "--note", "机构合并", "--db", db)
    assert r.exit_code == 0 and "已排除" in r.output
    assert next(f for f in store.findings(rid) if f.key == key).decision == "dismissed"
    r = CliRunner().invoke(main, ["review", "nokey", "--confirm", "--db", db])
    assert r.exit_code == 1 and "未找到问题" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["review", key, "--db", db])
    assert r.exit_code == 1 and "--confirm" in r.output


def test_bad_database_is_one_chinese_line(tmp_path):
    r = CliRunner().invoke(main, ["summary", "--db", "nosuchdriver://x"])
    assert r.exit_code == 2 and "无法打开数据库" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["summary", "--db", "postgresql+psycopg://u:secret@127.0.0.1:1/x"])
    assert r.exit_code == 2 and "无法打开数据库" in r.output and "secret" not in r.output
