"""When the report was published (D-01, D-22): the publication date the page or file states.

条例 第四十九条: a department publishes last year's report by 31 January; a local government's
report (published by the government or its 办公室/办公厅) is due by 31 March. The date comes from
the container (a web page's 发布日期 / ``<meta>`` / URL date, kept by the ingester in
``report.meta["published"]`` as ISO ``YYYY-MM-DD``); a report without one is not judged.
Provinces may set earlier dates: ``Context.settings["deadline_department"]`` /
``["deadline_government"]`` (``MM-DD``) override the statutory ones.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ..report import Report
from . import INFO, WARNING, Context, Finding, rule

STATUTORY_DEADLINES = {"department": "01-31", "government": "03-31"}
# A government's own report: the government, its office, or a body of government rank.
_GOVERNMENT = re.compile(r"(人民政府|人民政府办公室|人民政府办公厅|政府办公室|政府办公厅|管理委员会|管委会|实验区|新区)$")


def issuer_kind(agency: str | None) -> str:
    """``government`` when the name is a local government (or its office), else ``department``."""
    return "government" if agency and _GOVERNMENT.search(agency.replace(" ", "")) else "department"


def _deadline(report: Report, ctx: Context) -> tuple[date, str]:
    kind = issuer_kind(report.agency)
    mmdd = str(ctx.settings.get(f"deadline_{kind}", STATUTORY_DEADLINES[kind]))
    month, day = (int(x) for x in mmdd.split("-"))
    return date(report.year + 1, month, day), kind  # type: ignore[operator]


def _published(report: Report) -> date | None:
    raw = report.meta.get("published")
    try:
        return date.fromisoformat(str(raw)[:10]) if raw else None
    except ValueError:
        return None


@rule("PUBLISHED-LATE", defect="D-01", severity=WARNING)
def published_late(report: Report, ctx: Context) -> Iterator[Finding]:
    """The stated publication date is after the deadline for the report year (31 Jan for a
    department, 31 Mar for a government's report, or the local dates in the settings)."""
    published = _published(report)
    if published is None or report.year is None:
        return
    deadline, kind = _deadline(report, ctx)
    if published > deadline:
        who = "人民政府的年度报告" if kind == "government" else "政府部门的年度报告"
        yield Finding(
            "PUBLISHED-LATE", WARNING,
            f"{report.year}年度报告的发布日期为 {published.isoformat()}，晚于{who}的发布期限 "
            f"{deadline.isoformat()}（条例第四十九条），逾期 {(published - deadline).days} 天",
            data={"published": published.isoformat(), "deadline": deadline.isoformat(), "issuer": kind},
        )


@rule("PUBLISHED-BEFORE-YEAR-END", defect="D-22", severity=INFO)
def published_before_year_end(report: Report, ctx: Context) -> Iterator[Finding]:
    """A report published before its year ended: the year in the title is probably wrong (or the
    page date is not the publication date)."""
    published = _published(report)
    if published is not None and report.year is not None and published <= date(report.year, 12, 31):
        yield Finding(
            "PUBLISHED-BEFORE-YEAR-END", INFO,
            f"报告年度为 {report.year} 年，但发布日期 {published.isoformat()} 早于该年度结束，请核对报告年度或发布日期",
            data={"published": published.isoformat()},
        )
