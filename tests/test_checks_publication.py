"""D-01 publication deadline and D-22 publication before the year ended, from the page's date."""
from __future__ import annotations

import nianbao
from conftest import SAMPLES
from nianbao.checks import Context, run_checks
from nianbao.checks.publication import issuer_kind


def _report(agency: str, year: int, published: str | None):
    report = nianbao.parse(SAMPLES / "003_2a799143023ee02c.txt")
    report.agency, report.year = agency, year
    report.meta["published"] = published
    return report


def _rules(report, **settings) -> dict[str, list]:
    found: dict[str, list] = {}
    for f in run_checks(report, rules=["PUBLISHED-LATE", "PUBLISHED-BEFORE-YEAR-END"],
                        context=Context(settings=settings)):
        found.setdefault(f.rule, []).append(f)
    return found


def test_issuer_kind() -> None:
    assert issuer_kind("偃师区人民政府办公室") == "government"
    assert issuer_kind("平潭综合实验区") == "government"
    assert issuer_kind("老城区机关事务服务中心") == "department"
    assert issuer_kind("洛阳市机关事务管理局") == "department"


def test_department_after_31_january_is_late() -> None:
    found = _rules(_report("洛阳市机关事务管理局", 2022, "2023-02-03"))
    (late,) = found["PUBLISHED-LATE"]
    assert late.data == {"published": "2023-02-03", "deadline": "2023-01-31", "issuer": "department"}
    assert "逾期 3 天" in late.message


def test_government_has_until_31_march() -> None:
    assert _rules(_report("偃师区人民政府办公室", 2022, "2023-03-20")) == {}
    assert "PUBLISHED-LATE" in _rules(_report("偃师区人民政府办公室", 2022, "2023-04-01"))


def test_local_deadline_setting_and_no_date() -> None:
    report = _report("洛阳市机关事务管理局", 2022, "2023-01-25")
    assert _rules(report) == {}
    assert "PUBLISHED-LATE" in _rules(report, deadline_department="01-20")
    assert _rules(_report("洛阳市机关事务管理局", 2022, None)) == {}


def test_published_before_the_year_ended() -> None:
    found = _rules(_report("洛阳市机关事务管理局", 2022, "2022-12-30"))
    assert list(found) == ["PUBLISHED-BEFORE-YEAR-END"]


def test_the_date_a_web_page_states_reaches_the_check(tmp_path) -> None:
    """The HTML ingester reads 发布日期 / <meta name=PubDate>; the extractor keeps it for the rule."""
    page = (SAMPLES.parent / "tests" / "fixtures" / "forms" / "003_2a799143023ee02c.html").read_text(encoding="utf-8")
    on_time = nianbao.parse_bytes(page.encode("utf-8"), "003.html")
    assert on_time.meta["published"] == "2023-01-18"
    assert not [f for f in run_checks(on_time) if f.rule == "PUBLISHED-LATE"]
    late = nianbao.parse_bytes(page.replace("2023-01-18", "2023-04-06").encode("utf-8"), "003.html")
    (finding,) = [f for f in run_checks(late) if f.rule == "PUBLISHED-LATE"]
    assert finding.data["deadline"] == "2023-03-31" and "逾期 6 天" in finding.message
