"""Summaries: concrete sums over the samples, blanks not counted as 0, missing reports, indicators, ranking."""
from __future__ import annotations

from decimal import Decimal

from conftest import SEED_IDS, load_truth
from test_store_support import (  # noqa: F401
    SEED_GOV,
    gov_2021,
    loaded_url_fixture,
    replace_line,
    seed,
    store_fixture,
    store_url_fixture,
    write,
)


def _truth_sum(year: int, table: str, row: str, i: int) -> int:
    total = 0
    for sid in SEED_IDS:
        t = load_truth(sid)
        if t["year"] == year and t[table].get(row) and t[table][row][i] is not None:
            total += t[table][row][i]
    return total


def test_summary_sums_of_2022(loaded_url):
    from nianbao.store import Store

    sm = Store(loaded_url).summary(year=2022)
    assert sm.n_reports == 4 and sm.years == [2022]
    assert sm.applications["new"] == [61, 3, 0, 0, 0, 0, 64]
    assert sm.applications["carried_over"] == [7, 0, 0, 0, 0, 0, 7]
    assert sm.applications["processed_total"][6] == 71
    assert sm.applications["granted"][6] == 30
    assert sm.review_litigation["review"] == [1, 0, 0, 0, 1]
    assert sm.review_litigation["litigation_after_review"] == [1, 1, 0, 0, 2]
    assert sm.active["licensing"]["decisions"] == 32801
    assert sm.active["normative_documents"] == {"issued": 9, "repealed": 42, "in_force": 51}
    fees = sum(Decimal(str(load_truth(s)["active"]["fees"]["amount"])) for s in SEED_IDS
               if load_truth(s)["year"] == 2022 and load_truth(s)["active"].get("fees", {}).get("amount") is not None)
    assert abs(Decimal(str(sm.active["fees"]["amount"])) - fees) < Decimal("0.0001")
    for row in ("new", "granted", "unable_not_held", "processed_total"):  # agrees with the truth files
        assert sm.applications[row] == [_truth_sum(2022, "applications", row, i) for i in range(7)]
    # 应报未报 is never guessed from other years (洛阳市政务服务和大数据管理局 reported for 2020 only)
    assert sm.missing == [] and not sm.has_register and any("机关名录" in n for n in sm.notes)


def test_blank_cells_are_not_zero(loaded_url):
    from nianbao.store import Store

    sm = Store(loaded_url).summary(year=2022)
    blanks_truth = sum(v is None for s in SEED_IDS if load_truth(s)["year"] == 2022
                       for vals in load_truth(s)["applications"].values() for v in (vals or []))
    assert sm.blanks.get("applications", 0) == blanks_truth > 0
    assert sm.blanks["review_litigation"] == 5  # 偃师区: the 行政复议 row left blank
    assert sm.indicators["blank_cells"]["review_litigation.review.total"] == 1


def test_indicators(loaded_url):
    from nianbao.store import Store

    o = Store(loaded_url).summary(year=2022).indicators["overall"]
    assert o["processed"] == 71 and o["new"] == 64
    assert o["granted_share"] == round(30 / 71, 4)
    assert o["partial_share"] == round(5 / 71, 4)
    assert o["unable_share"] == round(28 / 71, 4)
    assert o["denied_share"] == 0.0
    assert o["review_correction_rate"] == 0.0 and o["litigation_correction_rate"] == 0.5
    per = Store(loaded_url).summary(year=2022).indicators["per_agency"]
    assert len(per) == 4 and {p["agency"] for p in per} >= {"偃师区人民政府", "孟津区人民政府"}
    yanshi = next(p for p in per if p["agency"] == "偃师区人民政府")
    assert yanshi["granted_share"] == round(16 / 57, 4) and yanshi["review_correction_rate"] is None


def test_filters_and_ranking(loaded_url):
    from nianbao.store import Store

    store = Store(loaded_url)
    # three department reports, one of them on the 2019 template: never added into one 合计
    departments = store.summary(level="department")
    assert (departments.n_reports, departments.template) == (2, "2021")
    assert "2019 年版模板的 1 份未计入合计" in departments.notes[0]
    assert store.summary(level="department", template="2019").n_reports == 1
    assert (store.summary(region="洛阳市").n_reports, store.summary(region="洛阳市", template="2019").n_reports) == (1, 1)
    county = store.summary(level="county", year=2022)
    assert county.n_reports == 2
    assert county.applications["new"][6] == sum(load_truth(s)["applications"]["new"][6]
                                                for s in ("002_e36d426879923bc1", "003_2a799143023ee02c"))
    ranking = store.summary(year=2022).ranking
    keys = [(e, w, r.n_info) for r, e, w in ranking]
    assert keys and keys == sorted(keys, reverse=True)
    assert store.summary(year=1999).n_reports == 0


def test_year_over_year_and_versions(store, tmp_path):
    text_2021 = replace_line(gov_2021(), "一、本年新收政府信息公开申", "一、本年新收政府信息公开申请数量\t\t40\t0\t0\t0\t0\t0\t40")
    write(tmp_path / "a" / "2021.txt", text_2021)
    path = write(tmp_path / "a" / "2022.txt", seed(SEED_GOV))
    store.ingest([str(tmp_path / "a")])
    write(path, seed(SEED_GOV).replace("行政强制\t219", "行政强制\t300"))  # a second version of 2022
    store.ingest([str(tmp_path / "a")])
    sm = store.summary(year=2022)
    assert sm.n_reports == 1 and sm.active["coercion"]["decisions"] == 300  # latest version, counted once
    assert sm.indicators["year_over_year"][2022]["new"] == 10
    assert sm.indicators["year_over_year"][2022]["n_agencies"] == 1
    every_year = store.summary()
    assert every_year.n_reports == 2
    assert every_year.indicators["by_year"][2021]["new"] == 40 and every_year.indicators["by_year"][2022]["new"] == 50
