"""Checks across reports: carry-over (B5/D-14), stock roll-forward (B8/D-19), copying (D-21),
government vs units — plus agency identity, which they all rely on."""
from __future__ import annotations

import pytest

from test_store_support import SEED_GOV, SEED_UNIT, gov_2021, seed, store_fixture, store_url_fixture, write  # noqa: F401


def _by_rule(store, report_id: int, rule: str):
    return [f for f in store.findings(report_id) if f.rule == rule]


def _ids(store) -> dict[int, int]:
    return {r.year: r.id for r in store.reports(q="偃师区人民政府")}


def test_carry_over_break_found_in_exactly_that_column(store, tmp_path):
    # 2021 balanced in itself (55+7 = 56+6) but hands over 6 where 2022 took over 7: 自然人 and 总计 break
    write(tmp_path / "2021.txt", gov_2021(new="55\t1\t0\t0\t0\t0\t56", carried_forward="6\t0\t0\t0\t0\t0\t6"))
    write(tmp_path / "2022.txt", seed(SEED_GOV))
    store.ingest([str(tmp_path)])
    ids = _ids(store)
    assert set(ids) == {2021, 2022}
    found = _by_rule(store, ids[2022], "X-CARRY-OVER")
    assert [f.cells for f in found] == [["applications.carried_over.natural_person"],
                                        ["applications.carried_over.total"]]
    f = found[0]
    assert f.other_report_id == ids[2021] and f.defect == "D-14" and f.severity == "error"
    assert "自然人" in f.message and "为 7" in f.message and "为 6" in f.message
    assert _by_rule(store, ids[2021], "X-CARRY-OVER") == []


def test_carry_over_break_is_softer_when_a_report_is_unbalanced(store, tmp_path):
    write(tmp_path / "2021.txt", gov_2021(carried_forward="6\t0\t0\t0\t0\t0\t7"))  # 2021 breaks B1/B3 itself
    write(tmp_path / "2022.txt", seed(SEED_GOV))
    store.ingest([str(tmp_path)])
    found = _by_rule(store, _ids(store)[2022], "X-CARRY-OVER")
    assert [f.cells for f in found] == [["applications.carried_over.natural_person"]]
    assert found[0].severity == "warning" and "仅供参考" in found[0].message


def test_carry_over_holds_and_order_of_ingest_does_not_matter(store, tmp_path):
    store.ingest([str(write(tmp_path / "2022.txt", seed(SEED_GOV)))])  # the later year first
    store.ingest([str(write(tmp_path / "2021.txt", gov_2021()))])
    assert _by_rule(store, _ids(store)[2022], "X-CARRY-OVER") == []
    # fixing the earlier year re-checks the later one: break it, then repair it
    store.ingest([str(write(tmp_path / "2021.txt", gov_2021(carried_forward="7\t0\t0\t0\t0\t1\t8")))])
    cells = sorted(c for f in _by_rule(store, _ids(store)[2022], "X-CARRY-OVER") for c in f.cells)
    assert cells == ["applications.carried_over.other_org", "applications.carried_over.total"]


def test_in_force_roll_forward(store, tmp_path):
    write(tmp_path / "2021.txt", gov_2021(in_force=81))  # 81 + 5 − 38 = 48 ≠ 47
    write(tmp_path / "2022.txt", seed(SEED_GOV))
    store.ingest([str(tmp_path)])
    found = _by_rule(store, _ids(store)[2022], "X-IN-FORCE")
    assert len(found) == 1 and found[0].severity == "info" and found[0].defect == "D-19"
    assert found[0].cells[0] == "active.normative_documents.in_force"
    assert "48" in found[0].message and "47" in found[0].message
    store.ingest([str(write(tmp_path / "2021.txt", gov_2021(in_force=80)))])
    assert _by_rule(store, _ids(store)[2022], "X-IN-FORCE") == []


def test_copied_from_last_year(store, tmp_path):
    write(tmp_path / "2021.txt", gov_2021())
    write(tmp_path / "2022.txt", seed(SEED_GOV))
    store.ingest([str(tmp_path)])
    copied = _by_rule(store, _ids(store)[2022], "X-COPIED-TEXT")
    assert len(copied) == 1 and copied[0].defect == "D-21" and copied[0].other_report_id == _ids(store)[2021]
    assert "100%" in copied[0].message
    assert _by_rule(store, _ids(store)[2022], "X-COPIED-TABLES") == []  # 现行有效件数 differs


def test_identical_tables_flagged(store, tmp_path):
    text_2021 = seed(SEED_GOV).replace("2022", "2021")
    write(tmp_path / "2021.txt", text_2021)
    write(tmp_path / "2022.txt", seed(SEED_GOV).replace("区政府办公室坚持", "区政府办公室始终坚持"))
    store.ingest([str(tmp_path)])
    assert len(_by_rule(store, _ids(store)[2022], "X-COPIED-TABLES")) == 1


def test_government_vs_units(store, tmp_path):
    write(tmp_path / "gov.txt", seed(SEED_GOV))
    write(tmp_path / "unit.txt", seed(SEED_UNIT).replace("老城区机关事务服务中心", "偃师区财政局"))
    write(tmp_path / "gone.txt", seed(SEED_UNIT).replace("老城区机关事务服务中心", "偃师区审计局").replace("2022", "2021"))
    result = store.ingest([str(tmp_path)], region="洛阳市")
    assert result.added == 3
    gov = store.reports(q="偃师区人民政府")[0]
    assert gov.level == "county" and gov.region == "洛阳市偃师区"
    found = _by_rule(store, gov.id, "X-GOV-VS-UNITS")
    assert len(found) == 1
    assert "偃师区审计局" in found[0].message and "applications.new.total" in found[0].cells


@pytest.mark.parametrize(("raw", "region", "key", "reg", "level"), [
    ("市机关事务管理局", "洛阳市", "洛阳市机关事务管理局", "洛阳市", "department"),
    ("洛阳市机关事务管理局", None, "洛阳市机关事务管理局", "洛阳市", "department"),
    ("偃师区人民政府办公室", "洛阳市", "偃师区人民政府", "洛阳市偃师区", "county"),
    ("偃师区 人民政府（办公室）", None, "偃师区人民政府", "偃师区", "county"),
    ("洛阳市孟津区财政局", "洛阳市", "孟津区财政局", "洛阳市孟津区", "department"),
    ("区财政局", "洛阳市孟津区", "孟津区财政局", "洛阳市孟津区", "department"),
    ("河南省人民政府办公厅", None, "河南省人民政府", "河南省", "province"),
    ("洛阳市人民政府", None, "洛阳市人民政府", "洛阳市", "city"),
    ("城关镇人民政府", "洛阳市孟津区", "城关镇人民政府", "洛阳市孟津区城关镇", "township"),
    ("洛阳市住房和城乡建设局", None, "洛阳市住房和城乡建设局", "洛阳市", "department"),
    ("洛阳市城市管理局", None, "洛阳市城市管理局", "洛阳市", "department"),
])
def test_agency_identity(raw, region, key, reg, level):
    from nianbao.store.agencies import identify

    ident = identify(raw, region=region)
    assert (ident.key, ident.region, ident.level) == (key, reg, level)


def test_agency_map(store, tmp_path):
    from nianbao.store.agencies import identify, load_agency_map

    mapping = load_agency_map(write(tmp_path / "map.csv", "原名称,规范名称,地区,层级\n老城区机关事务服务中心,洛阳市老城区机关事务服务中心,"
                                                          "洛阳市老城区,department\n"))
    ident = identify("老城区 机关事务服务中心", mapping=mapping)
    assert (ident.key, ident.region) == ("老城区机关事务服务中心", "洛阳市老城区")
    store.ingest([str(write(tmp_path / "u.txt", seed(SEED_UNIT)))], agency_map=tmp_path / "map.csv")
    assert store.agencies()[0].region == "洛阳市老城区"
    from nianbao.store import StoreError

    with pytest.raises(StoreError, match="层级"):
        load_agency_map(write(tmp_path / "bad.csv", "甲,乙,丙,国家级\n"))
