"""Everything the CLI shows is Chinese: Click's own messages too; zips read like the web upload reads them."""
from __future__ import annotations

import zipfile

from click.testing import CliRunner

from conftest import SAMPLES
from nianbao.cli import main

GOV = "003_2a799143023ee02c"  # printed 偃师区人民政府办公室, filed as 偃师区人民政府


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="nianbao")


def test_click_messages_are_chinese():
    missing = run("check")
    assert missing.exit_code == 2
    assert "用法： nianbao check [选项] FILES..." in missing.output and "错误：缺少参数 'FILES...'" in missing.output
    assert "运行“nianbao check --help”查看帮助。" in missing.output
    for english in ("Usage:", "Error:", "Try ", "Missing"):
        assert english not in missing.output
    assert "没有这个命令：'nosuch'" in run("nosuch").output
    assert "'abc' 不是有效的整数" in run("summary", "--year", "abc").output
    assert "不在可选值" in run("summary", "--level", "city2").output
    assert "显示本帮助并退出。" in run("--help").output


def test_parse_and_check_read_zip_members(tmp_path):
    archive = tmp_path / "reports.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(SAMPLES / f"{GOV}.txt", f"{GOV}.txt")
        zf.writestr("notes.bin", b"\x00\x01" * 50)
    parsed = run("parse", str(archive), "--json")
    assert parsed.exit_code == 2  # one member unreadable: the batch goes on
    assert '"agency": "偃师区人民政府办公室"' in parsed.output and "reports.zip/notes.bin" in parsed.output
    checked = run("check", str(archive))
    assert f"== {archive}/{GOV}.txt" in checked.output
    # the identity the store and the web show, beside the printed name
    assert "偃师区人民政府（报告所署：偃师区人民政府办公室） · 2022年" in checked.output
    assert "合计：读取 1 份，无法读取 1 份" in checked.output


def test_check_json_carries_the_identity():
    import json

    out = run("check", str(SAMPLES / f"{GOV}.txt"), "--format", "json").output
    report = json.loads(out.splitlines()[0])["report"]
    assert (report["agency"], report["agency_identity"]) == ("偃师区人民政府办公室", "偃师区人民政府")
