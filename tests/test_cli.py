"""The command line: output shapes, exit statuses, errors without tracebacks."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from conftest import SAMPLES, seed_text
from nianbao.cli import main

SEED3 = SAMPLES / "003_2a799143023ee02c.txt"
SEED4 = SAMPLES / "004_075fb8c0c28ee6ce.txt"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_parse_json_one_file_is_one_object() -> None:
    result = run("parse", str(SEED3), "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["agency"] == "偃师区人民政府办公室" and data["year"] == 2022 and data["template"] == "2021"
    assert data["applications"]["processed_total"] == [56, 1, 0, 0, 0, 0, 57]
    assert data["provenance"]["applications.new.natural_person"]["source"] == {"line": 48, "column": 20}


def test_parse_json_several_files_are_json_lines() -> None:
    result = run("parse", str(SEED3), str(SEED4), "--json")
    lines = result.output.strip().splitlines()
    assert [json.loads(x)["agency"] for x in lines] == ["偃师区人民政府办公室", "老城区机关事务服务中心"]


def test_parse_text_lays_out_the_tables() -> None:
    result = run("parse", str(SEED3))
    assert result.exit_code == 0
    assert "三、收到和处理政府信息公开申请情况" in result.output
    assert "11384.8489" in result.output
    assert "（空）" in result.output  # the blank 行政复议 cells


def test_a_bad_file_does_not_stop_the_batch(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(main, ["parse", str(empty), str(tmp_path / "missing.txt"), str(SEED3), "--json"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    objs = [json.loads(x) for x in result.stdout.strip().splitlines()]
    assert objs[0] == {"file": str(empty), "error": "文件为空"}
    assert objs[1]["error"] == "文件不存在"
    assert objs[2]["agency"] == "偃师区人民政府办公室"
    assert f"错误：{empty}：文件为空" in result.stderr


def test_check_exit_status_and_json(tmp_path: Path) -> None:
    broken = tmp_path / "broken.txt"
    # 一、本年新收 自然人 49 → 48: column 自然人 no longer balances (B1).
    broken.write_text(seed_text("003_2a799143023ee02c").replace("请数量\t\t49\t", "请数量\t\t48\t"), encoding="utf-8")
    result = run("check", str(broken), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    balance = [f for f in data["findings"] if f["rule"] == "T3-COLUMN-BALANCE"]
    assert len(balance) == 1
    assert balance[0]["defect"] == "D-10" and balance[0]["severity"] == "error"
    assert "applications.new.natural_person" in balance[0]["cells"]
    assert "自然人" in balance[0]["message"] and "(48)" in balance[0]["message"]


def test_check_unreadable_file_exits_2(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "missing.txt"), "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {"file": str(tmp_path / "missing.txt"), "error": "文件不存在"}


def test_folder_argument_reads_every_report() -> None:
    result = run("parse", str(SAMPLES), "--json", "--no-provenance")
    agencies = [json.loads(x)["agency"] for x in result.output.strip().splitlines()]
    assert len(agencies) == 5 and "孟津区人民政府办公室" in agencies


def test_check_local_setting_fee_decimals() -> None:
    """--set fee_decimals=2: 11384.8489 has four decimals, the local rule asks for two."""
    result = run("check", str(SEED3), "--format", "json", "--set", "fee_decimals=2")
    findings = json.loads(result.output)["findings"]
    fee = [f for f in findings if f["rule"] == "FEE-DECIMALS"]
    assert len(fee) == 1 and fee[0]["cells"] == ["active.fees.amount"] and "11384.8489" in fee[0]["message"]
    default = json.loads(run("check", str(SEED3), "--format", "json").output)["findings"]
    assert not [f for f in default if f["rule"] == "FEE-DECIMALS"]


def test_check_text_batch_ends_with_totals(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(SAMPLES), str(tmp_path / "missing.txt")])
    assert result.exit_code == 2  # one file could not be read
    assert "合计：读取 5 份，无法读取 1 份；有错误的 1 份" in result.stdout  # 002 exposes names
    assert "错误 1 项" in result.stdout and "【错误】[PRIVACY-NAMES]" in result.stdout


def test_parse_does_not_load_the_store() -> None:
    """`nianbao parse` runs once per file in scripts and the scorer: the CLI module must not import the
    store (SQLAlchemy, openpyxl), which would triple its start-up time."""
    import subprocess
    import sys

    code = "import sys, nianbao.cli; print(sorted(m for m in ('sqlalchemy', 'openpyxl', 'alembic') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
