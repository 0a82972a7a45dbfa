"""The two national templates as data: sections, tables, rows, columns, labels,
label variants seen in the wild, and the arithmetic relations.

This module is the single definition the extractor, the checks and the
renderers read (FORMAT.md sections A, B and E). Keys follow SCHEMA.md.
Variants are printed forms of a label; matching folds them with
:func:`nianbao.normalize.label_key`, so punctuation, brackets and spaces need
not be listed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from .normalize import label_key

_NUMBERING = re.compile(r"^(?:[0-9]+|[一二三四五六七八九十]+)(?=[^0-9一二三四五六七八九十])")
MIN_CORE_KEY = 4  # a label core shorter than this (其他, 总计) keeps its numbering for matching


@dataclass(frozen=True)
class Field:
    """A column of table 二 (or of tables 三/四)."""

    key: str
    label: str
    kind: str = "count"  # count (int ≥ 0) | signed (int) | money (decimal string)
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    variants: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()  # table 二 only: the row's own columns
    group: str | None = None  # printed group heading, e.g. （三）不予公开
    caption: str | None = None  # table 二 block caption, e.g. 第二十条第（一）项

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """Folded label forms, longest first (what the extractor looks for).

        Each form also without its numbering (``1.属于国家秘密`` → ``属于国家秘密``), so a
        report that numbers rows differently, or not at all, still matches; short cores
        such as ``其他`` are too generic to stand alone and keep their number.
        """
        forms = {label_key(v) for v in (self.label, *self.variants)}
        forms |= {core for f in forms if len(core := _NUMBERING.sub("", f)) >= MIN_CORE_KEY}
        return tuple(sorted((f for f in forms if f), key=len, reverse=True))


@dataclass(frozen=True)
class Section:
    key: str
    number: str  # 一 … 六
    title: str
    variants: tuple[str, ...] = ()

    @cached_property
    def keys(self) -> tuple[str, ...]:
        forms = {label_key(v) for v in (self.title, *self.variants)}
        return tuple(sorted(forms, key=len, reverse=True))


SECTIONS: tuple[Section, ...] = (
    Section("overview", "一", "总体情况", ("概述", "政务公开工作总体情况")),
    Section("active_disclosure", "二", "主动公开政府信息情况", ("主动公开政府信息",)),
    Section("applications", "三", "收到和处理政府信息公开申请情况", ("收到和处理政府信息公开申请",)),
    Section(
        "review_litigation",
        "四",
        "政府信息公开行政复议、行政诉讼情况",
        (
            "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "政府信息公开行政复议及行政诉讼情况",
            "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
            "政府信息公开行政复议",
            "因政府信息公开",
        ),
    ),
    Section(
        "problems",
        "五",
        "存在的主要问题及改进情况",
        ("政府信息公开工作存在的主要问题及改进情况", "存在的主要问题及改进措施", "存在的主要问题", "主要问题及改进",
         "存在问题及改进"),
    ),
    Section("other_matters", "六", "其他需要报告的事项", ("其他需要报告",)),
)
SECTION_BY_KEY = {s.key: s for s in SECTIONS}

# ---------------------------------------------------------------- printed headers
# Header texts the official tables print (the same in both templates): the renderers lay the
# tables out with them, the checks look for them, the extractor uses them as anchors.
ITEM_HEADER = "信息内容"  # first cell of every table-二 block's header row
T3_BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS_HEADER = "申请人情况"
T3_ORGS_HEADER = "法人或其他组织"
T3_RESULTS_HEADER = "三、本年度办理结果"
T3_SUBTOTAL_HEADER = "小计"  # a column some localities add under 法人或其他组织 (not in the template: D-08)
T4_REVIEW_HEADER = "行政复议"
T4_LITIGATION_HEADER = "行政诉讼"

# ---------------------------------------------------------------- table 三
APPLICANT_COLUMNS: tuple[Field, ...] = (
    Field("natural_person", "自然人"),
    Field("commercial", "商业企业", variants=("商业企", "商业 企业")),
    Field("research", "科研机构"),
    Field("social_welfare", "社会公益组织", variants=("社会组织", "公益组织")),
    Field("legal_services", "法律服务机构"),
    Field("other_org", "其他"),
    Field("total", "总计"),
)
APPLICANT_KEYS = tuple(c.key for c in APPLICANT_COLUMNS)
PARTY_KEYS = APPLICANT_KEYS[:-1]  # the six applicant columns that add up to 总计

_DENIED = "（三）不予公开"
_UNABLE = "（四）无法提供"
_REJECTED = "（五）不予处理"
_OTHER = "（六）其他处理"


def _t3_rows(split_other: bool) -> tuple[Row, ...]:
    rows = [
        Row("new", "一、本年新收政府信息公开申请数量", ("本年新收政府信息公开申请",)),
        Row("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转政府信息公开申请",)),
        Row("granted", "（一）予以公开"),
        Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("（二）部分公开",)),
        Row("denied_state_secret", "1.属于国家秘密", group=_DENIED),
        Row("denied_law_prohibited", "2.其他法律行政法规禁止公开",
            ("其他法律法规禁止公开", "法律行政法规禁止公开"), group=_DENIED),
        Row("denied_three_safety", "3.危及“三安全一稳定”", ("危及三安全一稳定",), group=_DENIED),
        Row("denied_third_party", "4.保护第三方合法权益", group=_DENIED),
        Row("denied_internal_affairs", "5.属于三类内部事务信息", group=_DENIED),
        Row("denied_process_info", "6.属于四类过程性信息", group=_DENIED),
        Row("denied_enforcement_file", "7.属于行政执法案卷", group=_DENIED),
        Row("denied_admin_query", "8.属于行政查询事项", group=_DENIED),
        Row("unable_not_held", "1.本机关不掌握相关政府信息", group=_UNABLE),
        Row("unable_needs_creation", "2.没有现成信息需要另行制作", group=_UNABLE),
        Row("unable_unclear", "3.补正后申请内容仍不明确", group=_UNABLE),
        Row("rejected_petition", "1.信访举报投诉类申请", group=_REJECTED),
        Row("rejected_duplicate", "2.重复申请", group=_REJECTED),
        Row("rejected_publication", "3.要求提供公开出版物", group=_REJECTED),
        Row("rejected_excessive", "4.无正当理由大量反复申请", group=_REJECTED),
        Row("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", group=_REJECTED),
    ]
    if split_other:
        rows += [
            Row("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                ("申请人无正当理由逾期不补正", "逾期不补正"), group=_OTHER),
            Row("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                ("申请人逾期未按收费通知要求缴纳费用", "逾期未按收费通知要求缴纳费用", "逾期不缴费"), group=_OTHER),
            # A 2021-template report that prints (六) as one row: it means all of (六).
            Row("other", "3.其他", (_OTHER,), group=_OTHER),
        ]
    else:
        rows.append(Row("other", _OTHER, ("其他处理",)))
    rows += [
        Row("processed_total", "（七）总计", ("总计",)),
        Row("carried_forward", "四、结转下年度继续办理", ("结转下年度继续办理",)),
    ]
    return tuple(rows)


# ---------------------------------------------------------------- table 四
OUTCOME_COLUMNS: tuple[Field, ...] = (
    Field("upheld", "结果维持"),
    Field("corrected", "结果纠正"),
    Field("other", "其他结果"),
    Field("pending", "尚未审结"),
    Field("total", "总计"),
)
OUTCOME_KEYS = tuple(c.key for c in OUTCOME_COLUMNS)
REVIEW_BLOCKS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("litigation_direct", "行政诉讼·未经复议直接起诉"),
    ("litigation_after_review", "行政诉讼·复议后起诉"),
)

# ---------------------------------------------------------------- table 二
_C1, _C5, _C6, _C8, _C9 = (f"第二十条第（{n}）项" for n in "一五六八九")


def _counts(*pairs: tuple[str, str]) -> tuple[Field, ...]:
    return tuple(Field(k, label) for k, label in pairs)


_DOCS_2021 = _counts(("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))
_DECISIONS_2021 = _counts(("decisions", "本年处理决定数量"))
_DOCS_2019 = _counts(("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total_published", "对外公开总数量"))
_ITEMS_2019 = (
    Field("prior_items", "上一年项目数量"),
    Field("change", "本年增/减", kind="signed"),
    Field("decisions", "处理决定数量"),
)

ACTIVE_2021: tuple[Row, ...] = (
    Row("regulations", "规章", fields=_DOCS_2021, caption=_C1),
    Row("normative_documents", "行政规范性文件", ("规范性文件",), fields=_DOCS_2021, caption=_C1),
    Row("licensing", "行政许可", fields=_DECISIONS_2021, caption=_C5),
    Row("punishment", "行政处罚", fields=_DECISIONS_2021, caption=_C6),
    Row("coercion", "行政强制", fields=_DECISIONS_2021, caption=_C6),
    Row("fees", "行政事业性收费",
        fields=(Field("amount", "本年收费金额（单位：万元）", kind="money",
                      variants=("本年收费金额(单位:万元,保留4位小数)", "本年收费金额")),),
        caption=_C8),
)
ACTIVE_2019: tuple[Row, ...] = (
    Row("regulations", "规章", fields=_DOCS_2019, caption=_C1),
    Row("normative_documents", "规范性文件", ("行政规范性文件",), fields=_DOCS_2019, caption=_C1),
    Row("licensing", "行政许可", fields=_ITEMS_2019, caption=_C5),
    Row("other_services", "其他对外管理服务事项", ("其他对外管理服务",), fields=_ITEMS_2019, caption=_C5),
    Row("punishment", "行政处罚", fields=_ITEMS_2019, caption=_C6),
    Row("coercion", "行政强制", fields=_ITEMS_2019, caption=_C6),
    Row("fees", "行政事业性收费", fields=_ITEMS_2019[:2], caption=_C8),
    Row("procurement", "政府集中采购",
        fields=(Field("projects", "采购项目数量"), Field("amount", "采购总金额", kind="money")), caption=_C9),
)


@dataclass(frozen=True)
class Template:
    """One national template: what a report of this kind must contain."""

    id: str  # "2019" | "2021"
    name: str
    document: str  # the notice that issued it
    years: tuple[int, int | None]  # report years it applies to (inclusive; None = open)
    active: tuple[Row, ...]
    applications: tuple[Row, ...]
    fingerprints: tuple[str, ...]  # labels printed only in this template's tables
    sections: tuple[Section, ...] = SECTIONS
    applicant_columns: tuple[Field, ...] = APPLICANT_COLUMNS
    outcome_columns: tuple[Field, ...] = OUTCOME_COLUMNS
    review_blocks: tuple[tuple[str, str], ...] = REVIEW_BLOCKS
    extra: dict = field(default_factory=dict)

    @cached_property
    def result_rows(self) -> tuple[str, ...]:
        """Rows of 三、本年度办理结果 that add up to （七）总计 (relation B2)."""
        keys = [r.key for r in self.applications]
        return tuple(keys[keys.index("granted"): keys.index("processed_total")])

    def applies_to(self, year: int) -> bool:
        lo, hi = self.years
        return year >= lo and (hi is None or year <= hi)

    def row(self, table: str, key: str) -> Row:
        rows = self.active if table == "active" else self.applications
        return next(r for r in rows if r.key == key)


T2021 = Template(
    id="2021",
    name="中华人民共和国政府信息公开工作年度报告格式",
    document="国办公开办函〔2021〕30号",
    years=(2021, None),
    active=ACTIVE_2021,
    applications=_t3_rows(split_other=True),
    fingerprints=("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额",
                  "逾期不补正", "逾期未按收费通知要求缴纳费用"),
)
T2019 = Template(
    id="2019",
    name="中华人民共和国政府信息公开工作年度报告格式（试行）",
    document="国办公开办函〔2019〕60号",
    years=(2019, 2020),
    active=ACTIVE_2019,
    applications=_t3_rows(split_other=False),
    fingerprints=("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增减",
                  "其他对外管理服务事项", "政府集中采购", "采购项目数量", "采购总金额"),
)
TEMPLATES: dict[str, Template] = {"2021": T2021, "2019": T2019}

# Labels of the pre-2019 statistical tables (FORMAT.md A.0): such a report is out of scope.
PRE2019_FINGERPRINTS: tuple[str, ...] = ("非《条例》所指政府信息", "非本部门掌握", "免予公开范围", "收费及减免")

# Every table-三 row key either template can have, in SCHEMA order.
ALL_APPLICATION_ROWS: tuple[str, ...] = tuple(r.key for r in T2021.applications)


def template_for_year(year: int | None) -> Template:
    """The template a report of *year* must use (T2021 when the year is unknown)."""
    if year is not None and T2019.applies_to(year):
        return T2019
    return T2021


def run_context_keys(templates) -> tuple[set[str], set[str]]:
    """Folded labels that may stand right before a row's values (``ends``) and right after
    them (``starts``) in a table whose cell boundaries were lost (see extract/flatten.py):
    row labels and column headers end a label; row labels, captions and the table-四 headers
    begin the next one."""
    ends: set[str] = set()
    starts: set[str] = {label_key("第二十条"), label_key(T4_REVIEW_HEADER), label_key(T3_APPLICANTS_HEADER)}
    for t in templates:
        for row in (*t.active, *t.applications):
            ends.update(row.keys)
            starts.update(row.keys)
    ends.update(label_key(c.label) for c in (*APPLICANT_COLUMNS, *OUTCOME_COLUMNS))
    return ends, starts


def relations(template: Template) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The arithmetic relations of FORMAT.md section B as data: ``sum(left) == sum(right)`` over
    cell references (``table.row.column``). Row totals of table 三, the 勾稽关系 of its columns
    (新收 + 结转 = 总计 + 结转下年度), the result rows adding up to （七）总计, the block totals of
    table 四. The extractor uses them to choose between readings of cells whose boundaries were
    lost (extract/runs.py); a relation with a blank cell says nothing."""
    rels: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    t3 = "applications"
    for row in template.applications:
        rels.append((tuple(f"{t3}.{row.key}.{c}" for c in PARTY_KEYS), (f"{t3}.{row.key}.total",)))
    for col in APPLICANT_KEYS:
        rels.append(((f"{t3}.new.{col}", f"{t3}.carried_over.{col}"),
                     (f"{t3}.processed_total.{col}", f"{t3}.carried_forward.{col}")))
        rels.append((tuple(f"{t3}.{r}.{col}" for r in template.result_rows), (f"{t3}.processed_total.{col}",)))
    for block, _ in REVIEW_BLOCKS:
        rels.append((tuple(f"review_litigation.{block}.{c}" for c in OUTCOME_KEYS[:-1]),
                     (f"review_litigation.{block}.total",)))
    return rels


# Words a table's header row prints over its columns, besides the templates' own column labels: a
# line made only of them (「类别 数据1 … 总计」, repeated above every piece of a split table) names
# no row.
GENERIC_HEADER_WORDS: tuple[str, ...] = ("类别", "项目", "名称", "内容", "序号", "数据", "数量", "栏目", "指标", "单位")


def header_words() -> frozenset[str]:
    """Folded words of column headers: the templates' column labels and the generic words."""
    words = {label_key(x) for x in (*GENERIC_HEADER_WORDS, ITEM_HEADER, T3_APPLICANTS_HEADER, T3_ORGS_HEADER,
                                    T4_REVIEW_HEADER, T4_LITIGATION_HEADER)}
    words |= {label_key(c.label) for c in (*APPLICANT_COLUMNS, *OUTCOME_COLUMNS)}
    for t in TEMPLATES.values():
        words |= {label_key(f.label) for row in t.active for f in row.fields}
    return frozenset(words)
