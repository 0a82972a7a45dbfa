"""The agency register and the division table: levels, regions, misprints, 应报未报 per year."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from test_store_support import (  # noqa: F401
    SEED_GOV,
    SEED_UNIT,
    seed,
    sqlite_store_fixture,
    store_fixture,
    store_url_fixture,
    write,
)


@pytest.mark.parametrize(("raw", "region", "name", "reg", "level"), [
    ("平潭综合实验区", None, "平潭综合实验区", "平潭综合实验区", "zone"),
    ("平潭综合实验区管理委员会", None, "平潭综合实验区管理委员会", "平潭综合实验区", "zone"),
    ("海坛片区管理局", "平潭综合实验区", "海坛片区管理局", "平潭综合实验区", "zone"),
    ("平潭综合实验区金井片区管理局", None, "平潭综合实验区金井片区管理局", "平潭综合实验区", "zone"),
    ("平潭综合实验区公安局", None, "平潭综合实验区公安局", "平潭综合实验区", "department"),
    ("上海市人民政府办公厅", None, "上海市人民政府", "上海市", "province"),
    ("上海市浦东新区人民政府", None, "上海市浦东新区人民政府", "上海市浦东新区", "county"),
    ("沐阳县人民政府", None, "沭阳县人民政府", "沭阳县", "county"),
    ("沐阳县财政局", "宿迁市", "沭阳县财政局", "宿迁市沭阳县", "department"),
    ("偃师区人民政府办公室", "洛阳市", "偃师区人民政府", "洛阳市偃师区", "county"),
])
def test_levels_and_regions_from_the_division_table(raw, region, name, reg, level):
    from nianbao.store.agencies import identify

    ident = identify(raw, region=region)
    assert (ident.name, ident.region, ident.level) == (name, reg, level)


def test_misprint_and_real_name_are_one_agency():
    from nianbao.store.agencies import identify

    assert identify("沐阳县人民政府").key == identify("沭阳县人民政府").key == "沭阳县人民政府"


def test_division_table_covers_provinces_to_counties():
    from nianbao.store import divisions

    assert divisions.size() == 3219
    shuyang = divisions.lookup("沭阳县")
    assert shuyang is not None and [d.name for d in divisions.ancestors(shuyang)] == ["宿迁市", "江苏省"]
    assert divisions.lookup("上海市").level == "province"
    assert divisions.correct("洛阳县") is None  # many one-character neighbours, none a look-alike: no guess


def _register(tmp_path, text: str, suffix: str = ".csv"):
    return write(tmp_path / f"名录{suffix}", text)


def test_register_sets_level_and_missing_per_year(store, tmp_path):
    store.ingest([str(write(tmp_path / "r" / "gov.txt", seed(SEED_GOV))),
                  str(write(tmp_path / "r" / "unit.txt", seed(SEED_UNIT)))])
    path = _register(tmp_path, "名称,层级,地区,上级,起始年度,终止年度\n"
                               "偃师区人民政府,县级,洛阳市偃师区,洛阳市人民政府,,\n"
                               "洛阳市审计局,部门,洛阳市,洛阳市人民政府,2023,\n"
                               "老城区机关事务服务中心,功能区,洛阳市老城区,,,\n")
    assert store.import_register(path) == (1, 2)
    unit = next(a for a in store.agencies() if a.name == "老城区机关事务服务中心")
    assert unit.level == "zone"  # the register's level wins over the name rules
    assert store.summary(year=2022).missing == []  # 审计局 is expected from 2023 on
    assert store.summary(year=2023).missing == ["偃师区人民政府", "洛阳市审计局", "老城区机关事务服务中心"]
    assert store.summary(year=2023, level="department").missing == ["洛阳市审计局"]
    out = store.export_register(tmp_path / "导出.csv")
    assert out.read_text(encoding="utf-8-sig").splitlines()[:2] == [
        "名称,层级,地区,上级,起始年度,终止年度", "洛阳市审计局,部门,洛阳市,洛阳市人民政府,2023,"]


def test_register_yaml_and_errors(store, tmp_path):
    from nianbao.store import StoreError

    path = _register(tmp_path, "- 名称: 平潭综合实验区\n  层级: 功能区\n  地区: 平潭综合实验区\n"
                               "- {name: 平潭综合实验区公安局, parent: 平潭综合实验区}\n", ".yaml")
    assert store.import_register(path) == (2, 0)
    assert [(e.name, e.level) for e in store.register()] == [("平潭综合实验区", "zone"), ("平潭综合实验区公安局", "department")]
    with pytest.raises(StoreError, match="第 2 行：层级“国家级”无效"):
        store.import_register(_register(tmp_path, "名称,层级\n甲局,国家级\n"))
    with pytest.raises(StoreError, match="第一行应为表头"):
        store.import_register(_register(tmp_path, "甲局,部门\n"))


def test_agencies_cli(store_url, tmp_path):
    from nianbao.cli import main

    path = _register(tmp_path, "名称,层级,地区\n洛阳市审计局,部门,洛阳市\n")
    runner = CliRunner()
    result = runner.invoke(main, ["agencies", "import", str(path), "--db", store_url])
    assert result.exit_code == 0 and "新增 1 个" in result.output
    result = runner.invoke(main, ["agencies", "list", "--db", store_url])
    assert "洛阳市审计局\t部门\t洛阳市" in result.output and "已有报告：无" in result.output
    bad = runner.invoke(main, ["agencies", "import", str(tmp_path / "无.csv"), "--db", store_url])
    assert bad.exit_code == 1 and "无法读取机关名录" in bad.output


def test_summary_on_missing_database_creates_nothing(tmp_path):
    from nianbao.cli import main

    db = tmp_path / "typo.db"
    result = CliRunner().invoke(main, ["summary", "--db", str(db)])
    assert result.exit_code == 2 and "数据库文件不存在" in result.output and not db.exists()
    other = write(tmp_path / "notes.db", "not a database")
    result = CliRunner().invoke(main, ["summary", "--db", str(other)])
    assert result.exit_code == 2 and "不是 nianbao 数据库" in result.output


def test_2019_columns_read_by_their_labels():
    from nianbao.store.export import column_name
    from nianbao.web.agencies import template_label

    assert template_label("active.regulations.made", ["2019"]) == "第二部分 · 规章 · 本年新制作数量"
    assert template_label("active.licensing.prior_items", ["2021"]) == "第二部分 · 行政许可 · 上一年项目数量"
    assert column_name("active.regulations.published") == "第二部分 · 规章 · 本年新公开数量"
    assert column_name("applications.new.commercial") == "第三部分 · 一、本年新收政府信息公开申请数量 · 商业企业"


def test_xlsx_summary_of_a_2019_year_keeps_its_own_items(sqlite_store, tmp_path):
    from openpyxl import load_workbook

    from conftest import SAMPLES

    sqlite_store.ingest([str(SAMPLES)])
    wb = load_workbook(sqlite_store.export("xlsx", tmp_path / "2020.xlsx", year=2020))
    sheet = wb["二、主动公开"]
    texts = {c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert "本年新制作数量" in texts and "上一年项目数量" in texts
    assert sheet["A2"].value == "洛阳市政务服务和大数据管理局 2020年" and sheet.freeze_panes is not None
