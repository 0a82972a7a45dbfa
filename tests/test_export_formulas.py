"""Spreadsheet formula injection (issue 14): text that begins like a formula stays text in every
XLSX (the report download, the corpus export) and in the CSV export; numbers stay numbers."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from conftest import SAMPLES
from nianbao.render.xlsx import append_row, csv_safe, formula_like
from nianbao.store import Store
from nianbao.store.agencies import MappedName, clean
from nianbao.web import create_app
from nianbao.web.auth import hash_password

AGENCY = '=HYPERLINK("http://evil.example","点我")'
REGION = "@SUM(1+1)"  # the store folds the brackets away: "@SUM1+1"
OVERVIEW = '=cmd|" /C calc"!A0本机关持续推进政务公开。'


@pytest.mark.parametrize("value, risky", [
    ("=1+1", True), ("+1+1", True), ("-1+1", True), ("@SUM(A1)", True), ("\t=1", True), ("\r=1", True),
    ("-5", False), ("+3.25", False), ("-1,234.5", False), ("-12%", False), ("-", False), ("--", False),
    ("偃师区", False), ("1=1", False), ("", False), (-5, False), (2.5, False), (None, False),
])
def test_formula_like(value, risky) -> None:
    assert formula_like(value) is risky
    assert csv_safe(value) == ("'" + value if risky else value)


def test_append_row_keeps_text_as_text_and_numbers_as_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    append_row(wb.active, ["=1+1", "@x", "\t=2", "-5", -5, 3.5, "-", "普通文本"])
    wb.save(tmp_path / "t.xlsx")
    row = [c for c in load_workbook(tmp_path / "t.xlsx").active[1]]
    assert [c.value for c in row] == ["=1+1", "@x", "\t=2", "-5", -5, 3.5, "-", "普通文本"]
    assert [c.data_type for c in row] == ["s", "s", "s", "s", "n", "n", "s", "s"]
    assert row[0].quotePrefix and not row[3].quotePrefix
    assert not _formulas(tmp_path / "t.xlsx")


def _formulas(path: Path | bytes) -> list[str]:
    """Every <f> (formula) element in the workbook's sheets."""
    with zipfile.ZipFile(path if isinstance(path, Path) else io.BytesIO(path)) as zf:
        return [m for n in zf.namelist() if n.startswith("xl/worksheets/")
                for m in re.findall(r"<f[ >].*?</f>", zf.read(n).decode("utf-8"))]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    """Seed 003 with a formula for an agency name (through the agency map), a region and a section."""
    d = tmp_path_factory.mktemp("formulas")
    text = next(SAMPLES.glob("003_*.txt")).read_text(encoding="utf-8")
    src = d / "003.txt"
    src.write_text(text.replace("一、总体情况\n", f"一、总体情况\n{OVERVIEW}\n", 1), encoding="utf-8")
    s = Store(f"sqlite:///{d / 'f.db'}")
    summary = s.ingest([str(src)], agency_map={clean("偃师区人民政府办公室"): MappedName(AGENCY, REGION, "county")})
    assert summary.added == 1
    s.create_user("viewer1", hash_password("viewer-pass-1"), "viewer")
    return s


def keyed_rows(path: Path) -> list[dict[str, str]]:
    """A people's CSV export read by its keys: the Chinese header row first, the key row second."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        next(fh)
        return list(csv.DictReader(fh))


def test_corpus_csv_writes_formulas_as_text(store: Store, tmp_path: Path) -> None:
    for shape in ("long", "wide"):
        path = store.export("csv", tmp_path / f"{shape}.csv", shape=shape)
        rows = keyed_rows(path)
        assert {r["agency"] for r in rows} == {"'" + AGENCY}
        assert {r["region"] for r in rows} == {"'@SUM1+1"}
        assert rows[0]["year"] == "2022"  # numbers untouched
    longs = keyed_rows(tmp_path / "long.csv")
    new = next(r for r in longs if (r["table"], r["row"], r["column"]) == ("applications", "new", "total"))
    assert new["value"] == "50"


def test_corpus_xlsx_writes_formulas_as_text(store: Store, tmp_path: Path) -> None:
    path = store.export("xlsx", tmp_path / "corpus.xlsx")
    assert not _formulas(path)
    wb = load_workbook(path)
    detail = wb["报告明细"]
    assert (detail["B1"].value, detail["B2"].value, detail.freeze_panes) == ("发布机关", "agency", "C3")
    header = [c.value for c in detail[2]]
    agency = detail.cell(3, header.index("agency") + 1)
    assert agency.value == AGENCY and agency.data_type == "s" and agency.quotePrefix
    assert detail.cell(3, header.index("region") + 1).value == "@SUM1+1"
    year = detail.cell(3, header.index("year") + 1)
    assert year.value == 2022 and year.data_type == "n"
    findings = wb["问题"]
    assert findings.cell(2, 1).value == AGENCY and findings.cell(2, 1).data_type == "s"


def test_report_xlsx_download_writes_formulas_as_text(store: Store) -> None:
    c = TestClient(create_app(store, secret="formulas"))
    assert c.post("/api/session", json={"username": "viewer1", "password": "viewer-pass-1"}).status_code == 200
    rid = store.reports()[0].id
    body = c.get(f"/reports/{rid}/download.xlsx").content
    assert not _formulas(body)
    wb = load_workbook(io.BytesIO(body))
    head = {r[0].value: r[1] for r in wb["报告"].iter_rows(min_row=1, max_row=6)}
    assert head["发布机关"].value == AGENCY and head["发布机关"].data_type == "s"
    assert head["年度"].value == 2022 and head["年度"].data_type == "n"
    overview = next(r for r in wb["正文"].iter_rows() if r[0].value == "overview")[2]
    assert overview.value.startswith(OVERVIEW) and overview.data_type == "s" and overview.quotePrefix
