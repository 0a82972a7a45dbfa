"""Exports: long/wide CSV, JSONL, Parquet read back; XLSX in the official layout; atomic writes."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import load_truth
from test_store_support import SEED_GOV, loaded_url_fixture, store_fixture, store_url_fixture  # noqa: F401


@pytest.fixture
def loaded(loaded_url):
    from nianbao.store import Store

    s = Store(loaded_url)
    yield s
    s.close()


def keyed_rows(path: Path) -> list[dict[str, str]]:
    """A people's CSV export read by its keys: the Chinese header row first, the key row second."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        next(fh)
        return list(csv.DictReader(fh))


def test_long_csv(loaded, tmp_path):
    path = loaded.export("csv", tmp_path / "long.csv", year=2022)
    head = list(csv.reader(path.open(encoding="utf-8-sig")))[:2]
    assert head[0][:5] == ["报告编号", "发布机关", "地区", "层级", "年度"] and head[0][-1] == "项目"
    rows = keyed_rows(path)
    assert list(rows[0])[:12] == ["report_id", "agency", "region", "level", "year", "template", "table", "row",
                                  "column", "value", "raw", "status"]
    cell = next(r for r in rows if r["agency"] == "偃师区人民政府" and r["table"] == "applications"
                and r["row"] == "new" and r["column"] == "total")
    assert (cell["value"], cell["raw"], cell["status"], cell["year"], cell["level"]) == ("50", "50", "数字", "2022",
                                                                                         "县级")
    assert cell["item"] == "第三部分 · 一、本年新收政府信息公开申请数量 · 总计"
    keys = list(csv.DictReader(loaded.export("csv", tmp_path / "keys.csv", year=2022, header="keys")
                               .open(encoding="utf-8-sig")))
    assert {r["level"] for r in keys} >= {"county", "department"}
    assert {r["year"] for r in rows} == {"2022"}
    assert any(r["status"] == "空白" and r["value"] == "" for r in rows)


def test_wide_jsonl_and_parquet(loaded, tmp_path):
    import pyarrow.parquet as pq

    path = loaded.export("jsonl", tmp_path / "wide.jsonl", shape="wide")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 5
    yanshi = next(r for r in rows if r["agency"] == "偃师区人民政府")
    assert yanshi["applications.new.total"] == 50 and yanshi["active.fees.amount"] == 11384.8489
    assert yanshi["review_litigation.review.total"] is None  # blank stays blank
    table = pq.read_table(loaded.export("parquet", tmp_path / "wide.parquet", shape="wide"))
    assert table.num_rows == 5 and "applications.new.total" in table.column_names
    col = dict(zip(table.column("agency").to_pylist(), table.column("applications.new.total").to_pylist()))
    assert col["偃师区人民政府"] == 50
    long = pq.read_table(loaded.export("parquet", tmp_path / "long.parquet", year=2020)).to_pylist()
    assert {r["year"] for r in long} == {2020} and long[0]["agency"] == "洛阳市政务服务和大数据管理局"


def test_xlsx_official_layout(loaded, tmp_path):
    from openpyxl import load_workbook

    from nianbao.templates import T2021

    path = loaded.export("xlsx", tmp_path / "out.xlsx", q="偃师")
    wb = load_workbook(path)
    assert wb.sheetnames == ["二、主动公开", "三、依申请公开", "四、复议诉讼", "报告明细", "问题"]
    truth = load_truth(SEED_GOV)
    ws = wb["三、依申请公开"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["D3"].value == "申请人情况" and "D3:J3" in merged
    assert ws["D4"].value == "自然人" and "D4:D5" in merged
    assert ws["E4"].value == "法人或其他组织" and "E4:I4" in merged
    assert [ws.cell(5, c).value for c in range(5, 10)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert ws["J4"].value == "总计"
    labels = {ws.cell(r, 1).value: r for r in range(6, ws.max_row + 1) if ws.cell(r, 1).value}
    assert ws.cell(labels[T2021.row("applications", "new").label], 10).value == 50
    assert "三、本年度办理结果" in labels
    denied = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 2).value == "（三）不予公开")
    assert f"B{denied}:B{denied + 7}" in merged and ws.cell(denied, 3).value == "1.属于国家秘密"
    granted = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 2).value == "（一）予以公开")
    assert [ws.cell(granted, c).value for c in range(4, 11)] == truth["applications"]["granted"]
    ws4 = wb["四、复议诉讼"]
    merged4 = {str(r) for r in ws4.merged_cells.ranges}
    assert ws4["A3"].value == "行政复议" and "A3:E3" in merged4
    assert ws4["F3"].value == "行政诉讼" and "F3:O3" in merged4
    assert ws4["F4"].value == "未经复议直接起诉" and ws4["K4"].value == "复议后起诉"
    assert ws4["A4"].value == "结果维持" and ws4["F5"].value == "结果维持"
    assert [ws4.cell(6, c).value for c in range(11, 16)] == truth["review_litigation"]["litigation_after_review"]
    ws2 = wb["二、主动公开"]
    values = {ws2.cell(r, 1).value: [ws2.cell(r, c).value for c in range(2, 5)] for r in range(3, ws2.max_row + 1)}
    assert values["行政许可"][0] == 27732 and values[T2021.row("active", "normative_documents").label] == [5, 38, 47]
    first_header = next(r for r in range(3, ws2.max_row + 1) if ws2.cell(r, 1).value == "信息内容")
    assert [ws2.cell(first_header, c).value for c in range(2, 5)] == ["本年制发件数", "本年废止件数", "现行有效件数"]
    assert values["第二十条第（一）项"][0] is None
    assert ws.freeze_panes == "A6" and ws.column_dimensions["A"].width >= 8
    detail = wb["报告明细"]
    assert [detail.cell(r, 5).value for r in (1, 2, 3)][:2] == ["层级", "level"] and detail.freeze_panes == "C3"
    findings = list(wb["问题"].values)
    assert findings[0][0] == "发布机关" and len(findings) > 1 and findings[1][0] == "偃师区人民政府"


def test_writes_are_atomic(loaded, tmp_path, monkeypatch):
    from nianbao.store import StoreError
    from nianbao.store import export as ex

    dest = tmp_path / "keep.csv"
    dest.write_text("old", encoding="utf-8")

    def broken(*a, **k):
        raise OSError("disk full")

    monkeypatch.setitem(ex._WRITERS, "csv", broken)
    with pytest.raises(OSError):
        loaded.export("csv", dest)
    assert dest.read_text(encoding="utf-8") == "old" and list(tmp_path.iterdir()) == [dest]
    with pytest.raises(StoreError, match="导出格式"):
        loaded.export("pdf", tmp_path / "x.pdf")


def test_export_on_each_backend(store, tmp_path):
    from conftest import SAMPLES

    store.ingest([str(SAMPLES / f"{SEED_GOV}.txt")])
    path = store.export("csv", tmp_path / "w.csv", shape="wide")
    rows = keyed_rows(path)
    assert len(rows) == 1 and rows[0]["applications.new.total"] == "50"
