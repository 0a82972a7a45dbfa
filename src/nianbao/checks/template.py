"""Is it the right template, printed as issued? Template vs year and mixed templates (D-06),
row labels printed with another wording (D-08/D-30), header labels of the tables (D-08).
"""
from __future__ import annotations

from collections.abc import Iterator

from ..normalize import label_key
from ..report import Report
from ..templates import (
    APPLICANT_COLUMNS,
    OUTCOME_COLUMNS,
    REVIEW_BLOCKS,
    T3_BALANCE_NOTE,
    TEMPLATES,
    Field,
    template_for_year,
)
from . import ERROR, INFO, WARNING, Context, Finding, rule
from ._common import TABLE_NAME, template_of

# The note printed in table 三's header cell (FORMAT.md B1); the extractor anchors on the same words.
BALANCE_NOTE = T3_BALANCE_NOTE.strip("（）")
_NOTE_KEY = "勾稽关系"
WRAP_SLACK = 12  # characters a wrapped header label may be spread over beyond its own length


@rule("TEMPLATE-YEAR", defect="D-06", severity=ERROR)
def template_year(report: Report, ctx: Context) -> Iterator[Finding]:
    """The template the tables use does not fit the report year: the 2019 (试行) template in
    a report for 2021 or later is an error (the 2021 notice replaced it); the 2021 template
    in a 2019/2020 report is unusual (issued in Sept. 2021) and suggests a wrong year."""
    if report.year is None or report.template is None:
        return
    used, due = TEMPLATES[report.template], template_for_year(report.year)
    if used.id == due.id:
        return
    severity = ERROR if used.id == "2019" else WARNING
    yield Finding(
        "TEMPLATE-YEAR", severity,
        f"{report.year}年度报告应使用《{due.name}》（{due.document}），"
        f"但统计表使用的是《{used.name}》（{used.document}）",
        data={"year": report.year, "used": used.id, "due": due.id},
    )


@rule("TEMPLATE-MIXED", defect="D-06", severity=WARNING)
def template_mixed(report: Report, ctx: Context) -> Iterator[Finding]:
    """Labels only one template prints appear from both templates in the tables (an old
    table pasted into a new report, or the reverse)."""
    fps = report.meta.get("fingerprints") or {}
    if all(fps.get(t) for t in TEMPLATES):
        used = report.template or ""
        other = next(t for t in TEMPLATES if t != used)
        yield Finding(
            "TEMPLATE-MIXED", WARNING,
            f"统计表混用了两版格式：按{used}年版读取，但同时出现了{other}年版格式的标签：{'、'.join(fps[other])}",
            data={"fingerprints": fps},
        )


@rule("LABEL-VARIANT", defect="D-30", severity=INFO)
def label_variant(report: Report, ctx: Context) -> Iterator[Finding]:
    """A row label printed with other wording than the template (其他法律法规禁止公开), a typo
    or doubled character (无正当理由由大量反复申请), or the other template's label
    (规范性文件 in a 2021 table). The row was read; the wording should follow the template."""
    for note in report.notes:
        if note.kind != "label_variant":
            continue
        table = note.cells[0].split(".")[0] if note.cells else "applications"
        printed, canonical = note.data.get("printed", ""), note.data.get("canonical", "")
        extra = ""
        used = report.template or ""
        for tid, t in TEMPLATES.items():
            if tid == used:
                continue
            rows = t.active if table == "active" else t.applications
            if any(label_key(r.label) == label_key(printed) for r in rows):
                extra = f"（这是{tid}年版格式的行名）"
        typo = "（疑似错字或多字）" if note.data.get("fuzzy") else ""
        yield Finding(
            "LABEL-VARIANT", INFO,
            f"{TABLE_NAME[table]}行名印为「{printed}」，模板为「{canonical}」{extra}{typo}",
            defect="D-30" if typo else None,
            cells=list(note.cells), location=note.source, data=dict(note.data),
        )


# ------------------------------------------------------------------ header labels
def _wrapped_in(key: str, text: str) -> bool:
    """*key*'s characters in order within ``len(key) + WRAP_SLACK`` characters of *text*:
    a header label split by a wrapped neighbour cell (自然 … 人)."""
    if len(key) < 3:
        return False
    start = 0
    while (pos := text.find(key[0], start)) != -1:
        start, i, j = pos + 1, 1, pos + 1
        limit = pos + len(key) + WRAP_SLACK
        while i < len(key) and j < min(limit, len(text)):
            if text[j] == key[i]:
                i += 1
            j += 1
        if i == len(key):
            return True
    return False


def _find_label(field: Field, text: str) -> tuple[str, str | None]:
    """``("ok"|"variant"|"missing", printed variant)``."""
    key = label_key(field.label)
    if key in text:
        return "ok", None
    for v in field.variants:
        if label_key(v) in text:
            return "variant", v
    if _wrapped_in(key, text):
        return "ok", None
    return "missing", None


def _header(report: Report, section: str, end_keys: tuple[str, ...]) -> str | None:
    text = (report.meta.get("table_text") or {}).get(section)
    if not text:
        return None
    ends = [p for p in (text.find(k) for k in end_keys) if p > 0]
    return text[: min(ends)] if ends else None


@rule("TABLE-HEADER-LABELS", defect="D-08", severity=WARNING)
def header_labels(report: Report, ctx: Context) -> Iterator[Finding]:
    """Column headers of tables 二, 三 and 四 as printed, compared with the template: a missing
    column label is a warning (the reader cannot tell which column a number is in), a known
    variant (社会组织 for 社会公益组织) is info, table 三 without its 勾稽关系 note is info."""
    template = template_of(report)
    sources = {k: s.source for k, s in report.sections.items()}
    t2, t3, t4 = TABLE_NAME["active"], TABLE_NAME["applications"], TABLE_NAME["review_litigation"]

    # table 三: the header is the text before the first row label.
    new_row = template.row("applications", "new")
    head = _header(report, "applications", new_row.keys)
    if head is not None:
        for col in APPLICANT_COLUMNS:
            state, printed = _find_label(col, head)
            if state == "variant":
                yield Finding("TABLE-HEADER-LABELS", INFO,
                              f"{t3}表头「{col.label}」印为「{printed}」",
                              location=sources.get("applications"), data={"column": col.key, "printed": printed})
            elif state == "missing":
                yield Finding("TABLE-HEADER-LABELS", WARNING, f"{t3}表头缺少「{col.label}」列名",
                              location=sources.get("applications"), data={"column": col.key})
        if _NOTE_KEY not in head:
            yield Finding("TABLE-HEADER-LABELS", INFO,
                          f"{t3}表头缺少说明「（{BALANCE_NOTE}）」",
                          location=sources.get("applications"), data={"note": "balance"})

    # table 四: the header is the text before the first number; each outcome label once per block.
    text = (report.meta.get("table_text") or {}).get("review_litigation")
    if text:
        first_digit = next((i for i, ch in enumerate(text) if ch.isdigit()), len(text))
        head = text[:first_digit]
        counts = {c.key: head.count(label_key(c.label)) for c in OUTCOME_COLUMNS}
        n = len(REVIEW_BLOCKS)
        short = [c for c in OUTCOME_COLUMNS if counts[c.key] < n]
        if short and len(short) <= 2:  # more means the header is unreadable here, not altered
            litigation_key = label_key(REVIEW_BLOCKS[1][1].split("·")[-1])
            review_part = head.split(litigation_key)[0]
            for c in short:
                where = ""
                if label_key(c.label) not in review_part and all(
                        label_key(o.label) in review_part for o in OUTCOME_COLUMNS if o not in short):
                    where = f"；「{REVIEW_BLOCKS[0][1]}」部分缺少"
                yield Finding("TABLE-HEADER-LABELS", WARNING,
                              f"{t4}表头「{c.label}」只出现 {counts[c.key]} 次，应为 {n} 次"
                              f"（{'、'.join(label.split('·')[-1] for _, label in REVIEW_BLOCKS)}各一次{where}）",
                              location=sources.get("review_litigation"), data={"column": c.key})

    # table 二: every column label of the template's blocks.
    head = (report.meta.get("table_text") or {}).get("active_disclosure")
    if head:
        seen: set[str] = set()
        for row in template.active:
            for f in row.fields:
                if f.label in seen:
                    continue
                seen.add(f.label)
                state, printed = _find_label(f, head)
                if state == "missing":
                    yield Finding("TABLE-HEADER-LABELS", WARNING, f"{t2}表头缺少「{f.label}」列名",
                                  location=sources.get("active_disclosure"), data={"field": f.key})
