"""What the text says: the year (D-22, D-31), numbers the narrative quotes against the
tables (B11, D-18), and cheap content checks of sections 一, 五, 六 (D-24 … D-27, D-30).

The narrative rules are deliberately conservative: a phrase is compared only when its
meaning is unambiguous and its scope is the tables' (like with like, see ``sentence_scope``),
a number that fits an equally natural reading (收到 … 件 that includes the carried-over
applications) is accepted, and 全区/全市 in a government's report gives an info "needs review".
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..normalize import label_key
from ..report import Report
from ..templates import SECTION_BY_KEY
from . import INFO, WARNING, Context, Finding, rule
from ._common import (
    app_total,
    application_row_label,
    int_value,
    narrative,
    review_total,
    section_label,
    sentences,
    unwrap,
)

# ------------------------------------------------------------------ D-22 / D-31: the year
_PERIOD = re.compile(
    r"(20\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|-|—|－|~|～)\s*(?:(20\d{2})\s*年\s*)?12\s*月\s*31\s*日"
)
_HEADLINE = re.compile(r"^[^。，,；]{0,40}?(20\d{2})\s*年\s*度?[^。，,；]{0,20}?政府信息公开\s*工作\s*年度报告$")


def _all_text(report: Report) -> list[tuple[str, str, object]]:
    keys = tuple(SECTION_BY_KEY)
    return narrative(report, keys=keys)


@rule("YEAR-MISMATCH", defect="D-22", severity=WARNING)
def year_mismatch(report: Report, ctx: Context) -> Iterator[Finding]:
    """The report year (from the title) disagrees with the statistics period
    (``20XX年1月1日至12月31日``) or with a report headline printed inside the text — the
    sign of last year's report with only the title edited."""
    if report.year is None:
        return
    for key, text, source in _all_text(report):
        flat = unwrap(text)
        for m in _PERIOD.finditer(flat):
            years = {int(m.group(1))} | ({int(m.group(2))} if m.group(2) else set())
            if years != {report.year}:
                yield Finding("YEAR-MISMATCH", WARNING,
                              f"报告年度为 {report.year} 年，但统计期限写为「{m.group(0)}」",
                              location=source, data={"section": key, "period": m.group(0)})
        for line in text.split("\n"):
            line = re.sub(r"[#*\s]", "", line)
            m = _HEADLINE.match(line)
            if m and len(line) <= 80 and int(m.group(1)) != report.year:
                yield Finding("YEAR-MISMATCH", WARNING,
                              f"报告年度为 {report.year} 年，但正文中的标题写为「{line}」",
                              location=source, data={"section": key, "headline": line})
    if report.meta.get("year_from") == "body":
        yield Finding("YEAR-MISMATCH", INFO, f"标题中没有年份，按正文推断为 {report.year} 年",
                      data={"year_from": "body"})


@rule("PERIOD-MISSING", defect="D-31", severity=INFO)
def period_missing(report: Report, ctx: Context) -> Iterator[Finding]:
    """No statistics period (``本报告中所列数据的统计期限自20XX年1月1日起至12月31日止``)
    anywhere in the text; the template's preamble asks for it."""
    if not any(_PERIOD.search(unwrap(text)) for _, text, _ in _all_text(report)):
        yield Finding("PERIOD-MISSING", INFO, "报告中没有写明数据的统计期限（如「1月1日至12月31日」）")


def _where(key: str) -> str:
    return "报告开头" if key == "preamble" else f"「{section_label(key)}」"


# ------------------------------------------------------------------ B11 / D-18: narrative vs tables
# Scope words decide whether a sentence's count is about what the tables count ("like with like").
REGION_WIDE = re.compile(r"全(省|市|州|盟|区|县|旗|镇|乡)")  # the whole region: a government's own scope
OTHER_SCOPE = ("系统", "备案", "各部门", "各单位", "各镇", "各乡镇", "各街道", "各县", "各区", "下属", "所属单位",
               "汇总", "市直", "区直", "县直")  # other or more bodies than the reporting agency
_ON_BEHALF = re.compile(r"(?<!人大)(?<!党)代表(?!大会|建议|委员|性|团|队)")  # 区政府办代表区政府受理: another body's count
_CUMULATIVE = re.compile(r"以来|历年|累计")  # more than the report year …
_THIS_YEAR = re.compile(r"全年|本年|年度|今年|当年|20\d{2}\s*年")  # … unless the sentence names the year
_SUBSET_PAREN = re.compile(r"[（(]\s*(?:含|其中|包括)[^）)]*[）)]")
_SUBSET = "其中"
_NOT_AN_APPLICATION = re.compile(r"复议|诉讼|投诉|举报|咨询|信访|建议|提案")


def _totals(report: Report) -> dict[str, int | None]:
    t = {k: int_value(app_total(report, k)) for k in ("new", "carried_over", "processed_total", "carried_forward")}
    t["review"] = int_value(review_total(report, "review"))
    direct = int_value(review_total(report, "litigation_direct"))
    after = int_value(review_total(report, "litigation_after_review"))
    t["litigation"] = direct + after if direct is not None and after is not None else None
    return t


def _with_carried(t: dict[str, int | None]) -> set[int]:
    return {t["new"] + t["carried_over"]} if t["new"] is not None and t["carried_over"] is not None else set()


@dataclass(frozen=True)
class Claim:
    """A phrase that states a table figure: what it must equal, what else it may equal."""

    name: str
    pattern: re.Pattern[str]
    target: str  # key of _totals
    also: Callable[[dict[str, int | None]], set[int]] = lambda t: set()
    context: tuple[str, ...] = ()  # the sentence must contain one of these words
    subset_part: bool = True  # after 其中 the phrase names a part of an earlier count: not compared


_COUNT = r"(?P<n>\d+)\s*(?:件|份|宗|个|起)"
_GAP = r"[^。；，,\d]"
CLAIMS: tuple[Claim, ...] = (
    Claim("new", re.compile(rf"(?:收到|受理|接收|接到|新收){_GAP}{{0,16}}?申请{_GAP}{{0,8}}?{_COUNT}"), "new",
          _with_carried),
    # 受理393件政府信息公开申请: the count before the word 申请
    Claim("new", re.compile(rf"(?:收到|受理|接收|接到|新收){_GAP}{{0,6}}?{_COUNT}{_GAP}{{0,10}}?申请"), "new",
          _with_carried),
    # 办理…申请 N 件: the year's applications, with or without those carried over, or those closed
    Claim("new", re.compile(rf"办理{_GAP}{{0,16}}?申请{_GAP}{{0,8}}?{_COUNT}"), "new",
          lambda t: _with_carried(t) | ({t["processed_total"]} if t["processed_total"] is not None else set())),
    Claim("processed", re.compile(rf"(?:办结|答复){_GAP}{{0,8}}?{_COUNT}"), "processed_total",
          context=("申请",)),
    Claim("review", re.compile(rf"行政复议(?:案件|申请)?{_GAP}{{0,6}}?{_COUNT}"), "review",
          context=("信息公开", "被申请"), subset_part=False),
    Claim("litigation", re.compile(rf"行政诉讼(?:案件)?{_GAP}{{0,6}}?{_COUNT}"), "litigation",
          context=("信息公开", "被提起", "被起诉"), subset_part=False),
)
# "未收到…申请", "没有行政复议及行政诉讼": the figure must be 0.
NONE_CLAIMS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("new", re.compile(r"(?:未|没有)(?:收到|受理|接到)[^。；，,\d]{0,12}?申请"), "new"),
    ("review", re.compile(r"(?:未|没有|无)[^。；，,\d]{0,12}?行政复议"), "review"),
    ("litigation", re.compile(r"(?:未|没有|无)[^。；，,\d]{0,12}?行政诉讼"), "litigation"),
)
_NOT_A_NONE = ("纠正", "纠错", "败诉", "撤销", "确认违法")  # "无…被复议纠错" says nothing about the count

_GOVERNMENT_NAME = re.compile(r"(?P<suffix>[省市州盟区县旗镇乡])(?:人民)?政府(?:办公室|办公厅|办)?$|(?P<zone>区)$")


def _own_region(agency: str | None) -> str | None:
    """The 全X a report speaks for when it is a government's (or its office's): 区 for 偃师区人民政府办公室,
    市 for 淮安市人民政府, 区 for 平潭综合实验区; None for a department."""
    m = _GOVERNMENT_NAME.search(agency or "")
    return (m.group("suffix") or m.group("zone")) if m else None


def sentence_scope(sentence: str, agency: str | None) -> str | None:
    """How a sentence's counts compare with the tables: ``"own"`` (this agency, this year: compare),
    ``"region"`` (全区 in a government's report: the tables may or may not cover every unit, so a
    difference needs review), or None (other bodies, on another's behalf, several years: not compared)."""
    if any(w in sentence for w in OTHER_SCOPE) or _ON_BEHALF.search(sentence):
        return None
    if _CUMULATIVE.search(sentence) and ("以来" in sentence or "历年" in sentence or not _THIS_YEAR.search(sentence)):
        return None
    wide = REGION_WIDE.search(sentence)
    if wide:
        return "region" if wide.group(1) == _own_region(agency) else None
    return "own"


def _subset_spans(sentence: str) -> list[tuple[int, int]]:
    """Parts of a sentence that name a part of a count: ``（含上年结转7件）`` and what follows 其中."""
    spans = [m.span() for m in _SUBSET_PAREN.finditer(sentence)]
    at = sentence.find(_SUBSET)
    if at >= 0:
        spans.append((at, len(sentence)))
    return spans


def _target_name(report: Report, target: str) -> str:
    if target == "review":
        return "第四部分「行政复议」总计"
    if target == "litigation":
        return "第四部分「行政诉讼」两项总计之和"
    return f"第三部分「{application_row_label(report, target)}」总计"


_REFS = {"new": "applications.new.total", "processed_total": "applications.processed_total.total",
         "review": "review_litigation.review.total", "litigation": "review_litigation.litigation_direct.total"}


def _cells(target: str) -> list[str]:
    extra = ["review_litigation.litigation_after_review.total"] if target == "litigation" else []
    return [_REFS[target], *extra]


def _claims_in(sentence: str, totals: dict[str, int | None]) -> Iterator[tuple[Claim, re.Match[str]]]:
    """The count phrases of one sentence that are compared: not a part (其中, （含…）), not another
    kind of request (复议申请 is no 信息公开申请), and the sentence is about what the claim is about."""
    parts = _subset_spans(sentence)
    taken: list[tuple[int, int]] = []
    for claim in CLAIMS:
        if totals[claim.target] is None or (claim.context and not any(w in sentence for w in claim.context)):
            continue
        for m in claim.pattern.finditer(sentence):
            if claim.subset_part and any(a <= m.start() < b for a, b in parts):
                continue
            if claim.target == "new" and _NOT_AN_APPLICATION.search(m.group(0)):
                continue
            if any(a <= m.start("n") < b for a, b in taken):  # one number, one claim
                continue
            taken.append(m.span("n"))
            yield claim, m


@rule("NARRATIVE-VS-TABLE", defect="D-18", severity=WARNING)
def narrative_vs_table(report: Report, ctx: Context) -> Iterator[Finding]:
    """B11: counts the narrative states (收到/受理/办理…申请 X 件, 办结/答复 Y 件, 行政复议 N 件,
    行政诉讼 M 件, 未收到申请, 没有行政复议) against the tables' totals, like with like only: a
    part (其中, （含…）), another body's count (代表, 各部门, 系统), or several years (以来, 历年,
    累计 without the year) is not compared; 全区 in a government's report is (info, needs review)."""
    totals = _totals(report)
    seen: set[tuple[str, str]] = set()
    for key, text, source in narrative(report):
        for sentence in sentences(text):
            scope = sentence_scope(sentence, report.agency)
            stated_counts = any(c.pattern.search(sentence) for c in CLAIMS)
            if scope is None:
                continue
            severity = INFO if scope == "region" else WARNING
            tail = "（该句说的是全辖区，统计表可能只含本机关，请人工复核）" if scope == "region" else ""
            for claim, m in _claims_in(sentence, totals):
                want = totals[claim.target]
                n = int(m.group("n"))
                if n == want or n in claim.also(totals) or (claim.name, m.group(0)) in seen:
                    continue
                seen.add((claim.name, m.group(0)))
                yield Finding("NARRATIVE-VS-TABLE", severity,
                              f"{_where(key)}写「{m.group(0)}」，但{_target_name(report, claim.target)}为 {want}{tail}",
                              cells=_cells(claim.target), location=source,
                              data={"stated": n, "table": want, "section": key})
            if stated_counts or any(w in sentence for w in _NOT_A_NONE):
                continue
            for name, pattern, target in NONE_CLAIMS:
                want = totals[target]
                m = pattern.search(sentence)
                if m and want and (name, m.group(0)) not in seen:
                    seen.add((name, m.group(0)))
                    yield Finding("NARRATIVE-VS-TABLE", severity,
                                  f"{_where(key)}写「{m.group(0)}」，但{_target_name(report, target)}为 {want}{tail}",
                                  cells=_cells(target), location=source, data={"stated": 0, "table": want})


# ------------------------------------------------------------------ content of sections 一, 五, 六
OVERVIEW_ASPECTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("主动公开", ("主动公开",)),
    ("依申请公开", ("依申请公开", "依申请")),
    ("政府信息管理", ("政府信息管理", "信息管理", "信息资源管理")),
    ("政府信息公开平台建设", ("平台",)),
    ("监督保障", ("监督保障", "监督")),
)


@rule("OVERVIEW-ASPECTS", defect="D-24", severity=INFO)
def overview_aspects(report: Report, ctx: Context) -> Iterator[Finding]:
    """Section 一 should cover five aspects (主动公开, 依申请公开, 政府信息管理, 平台建设,
    监督保障; 2021 notice). Keyword presence only, so info."""
    s = report.sections.get("overview")
    if s is None:
        return
    text = unwrap(s.text)
    missing = [name for name, words in OVERVIEW_ASPECTS if not any(w in text for w in words)]
    if missing:
        yield Finding("OVERVIEW-ASPECTS", INFO,
                      f"「{section_label('overview')}」未涉及：{'、'.join(missing)}（模板要求总体情况涵盖五个方面）",
                      location=s.source, data={"missing": missing})


ACCOUNTABILITY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("工作考核", ("考核",)),
    ("社会评议", ("评议", "社会评价")),
    ("责任追究", ("责任追究", "追责", "问责")),
)
_GOVERNMENT = re.compile(r"人民政府$")
_GOVERNMENT_OFFICE = re.compile(r"(人民政府|政府)(办公室|办公厅|办)$")


@rule("GOV-ACCOUNTABILITY", defect="D-25", severity=WARNING)
def gov_accountability(report: Report, ctx: Context) -> Iterator[Finding]:
    """条例 第五十条: a 人民政府's report must state 工作考核、社会评议和责任追究结果. Warning for
    a report issued by a 人民政府, info for its 办公室 (whose report is often the government's)."""
    agency = report.agency or ""
    if _GOVERNMENT.search(agency):
        severity = WARNING
    elif _GOVERNMENT_OFFICE.search(agency):
        severity = INFO
    else:
        return
    text = "".join(unwrap(t) for _, t, _ in _all_text(report))
    missing = [name for name, words in ACCOUNTABILITY if not any(w in text for w in words)]
    if missing:
        yield Finding("GOV-ACCOUNTABILITY", severity,
                      f"人民政府的年度报告应报告工作考核、社会评议和责任追究结果（条例第五十条），"
                      f"本报告未提及：{'、'.join(missing)}",
                      data={"missing": missing})


PROBLEMS_MIN_CHARS = 30
_EMPTY_WORDS = {"无", "暂无", "没有", "略"}


@rule("PROBLEMS-EMPTY", defect="D-26", severity=WARNING)
def problems_empty(report: Report, ctx: Context) -> Iterator[Finding]:
    """Section 五 (存在的主要问题及改进情况) empty, "无", or a line too short to name a problem
    and a measure."""
    s = report.sections.get("problems")
    if s is None:
        return
    key = label_key(s.text)
    if key in _EMPTY_WORDS or len(key) < PROBLEMS_MIN_CHARS:
        shown = s.text.strip() or "（空）"
        yield Finding("PROBLEMS-EMPTY", WARNING,
                      f"「{section_label('problems')}」内容为「{shown[:40]}」，没有写明存在的问题和改进措施",
                      location=s.source)


_FEE_WORDS = ("处理费", "收费", "收取费用")


@rule("FEE-NOT-REPORTED", defect="D-27", severity=INFO)
def fee_not_reported(report: Report, ctx: Context) -> Iterator[Finding]:
    """B13: table 三 counts applications dropped for not paying the fee (so fee notices were
    issued), but section 六 says nothing about 信息处理费."""
    n = int_value(app_total(report, "other_unpaid_fee"))
    s = report.sections.get("other_matters")
    if not n or s is None or any(w in s.text for w in _FEE_WORDS):
        return
    yield Finding("FEE-NOT-REPORTED", INFO,
                  f"第三部分「{application_row_label(report, 'other_unpaid_fee')}」总计为 {n}，"
                  f"但「{section_label('other_matters')}」未说明信息处理费的收取情况",
                  cells=["applications.other_unpaid_fee.total"], location=s.source)


_HINT = re.compile(r"[（(]\s*(?:文字描述|此处填写|填写说明)[^）)]{0,10}[）)]|[XＸ×]{2,}")


@rule("TEMPLATE-HINT-TEXT", defect="D-30", severity=INFO)
def template_hint_text(report: Report, ctx: Context) -> Iterator[Finding]:
    """Template hint text left in the report (``（文字描述）``, ``XX``)."""
    for key, text, source in _all_text(report):
        m = _HINT.search(text)
        if m:
            yield Finding("TEMPLATE-HINT-TEXT", INFO,
                          f"{_where(key)}中留有模板提示文字「{m.group(0)}」",
                          location=source)
