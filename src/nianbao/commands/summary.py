"""``nianbao summary``: the 汇总 of the selected reports, indicators, what is missing, the ranking."""
from __future__ import annotations

import json

import click

from ._store_options import db_option, filter_options, open_store


def _num(v: object) -> str:
    return "—" if v is None else str(v)


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1%}"


def render_summary(sm) -> str:
    """Plain text, laid out with the labels of templates.py."""
    import io

    from rich.table import Table

    from ..render.text import console, table_active, table_applications, table_review
    from ..store.records import LEVEL_NAMES
    from ..templates import APPLICANT_KEYS, OUTCOME_KEYS, TEMPLATES

    buf = io.StringIO()
    con = console(buf, 150)
    f = sm.filters
    scope = "，".join(filter(None, [f.get("region"), f"{f['year']}年" if f.get("year") else None,
                                   LEVEL_NAMES.get(f.get("level"), None)])) or "全部"
    con.print(f"汇总范围：{scope}    报告 {sm.n_reports} 份    年度：{'、'.join(map(str, sm.years)) or '—'}")
    blanks = sum(sm.blanks.values())
    if blanks:
        con.print(f"注意：有 {blanks} 个单元格为空白或占位符（未计为 0，合计只加数字）。")
    if sm.missing:
        con.print(f"缺少的报告（其他年度有、本次范围内没有）{len(sm.missing)} 份：{'、'.join(sm.missing[:30])}"
                  + (" …" if len(sm.missing) > 30 else ""))
    # Table 二 sums each (item, field) once; fields only the 2019 template has are listed after.
    seen: set[tuple[str, str]] = set()
    for tpl in (TEMPLATES["2021"], TEMPLATES["2019"]):
        own = {(r.key, f.key) for r in tpl.active for f in r.fields} - seen
        if any((item, f) in own for item, vals in sm.active.items() for f in vals):
            con.print(table_active(
                tpl, lambda r, f, own=own: _num(sm.active.get(r, {}).get(f)) if (r, f) in own else "（见上表）",
                title="二、主动公开政府信息情况（合计）" if not seen else "二、主动公开政府信息情况（2019年版格式的项目）"))
        seen |= own
    apps = sm.applications
    tpl = TEMPLATES["2021"] if any(apps.get(k) for k in ("other_no_correction", "other_unpaid_fee")) \
        else TEMPLATES["2019"] if apps else TEMPLATES["2021"]
    con.print(table_applications(tpl, lambda r, c: _num((apps.get(r) or [None] * 7)[APPLICANT_KEYS.index(c)]),
                                 title="三、收到和处理政府信息公开申请情况（合计）"))
    con.print(table_review(lambda b, c: _num((sm.review_litigation.get(b) or [None] * 5)[OUTCOME_KEYS.index(c)]),
                           title="四、政府信息公开行政复议、行政诉讼情况（合计）"))
    o = sm.indicators["overall"]
    con.print(f"予以公开 {_pct(o['granted_share'])}  部分公开 {_pct(o['partial_share'])}  "
              f"不予公开 {_pct(o['denied_share'])}  无法提供 {_pct(o['unable_share'])}  "
              f"（占办理结果总计 {o['processed'] if o['processed'] is not None else '—'} 件）")
    con.print(f"行政复议纠错率 {_pct(o['review_correction_rate'])}  行政诉讼纠错率 {_pct(o['litigation_correction_rate'])}"
              "（结果纠正 ÷（总计 − 尚未审结））")
    for year, ch in sm.indicators["year_over_year"].items():
        con.print(f"{year}年较{ch['compared_with']}年：新收申请 {ch['new']:+}，办理 {ch['processed']:+}"
                  if ch.get("new") is not None and ch.get("processed") is not None
                  else f"{year}年较{ch['compared_with']}年：数据不足以比较")
    if sm.ranking:
        tr = Table(title="问题最多的报告")
        for col in ("发布机关", "年度", "错误", "警告"):
            tr.add_column(col)
        for row, n_err, n_warn in sm.ranking[:20]:
            tr.add_row(row.agency, str(row.year), str(n_err), str(n_warn))
        con.print(tr)
    return buf.getvalue()


@click.command("summary")
@filter_options
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式。")
def summary(region: str | None, year: int | None, level: str | None, db_url: str | None, fmt: str) -> None:
    """汇总所选报告：第二、三、四部分合计，缺报名单，各项比率，同比变化，问题排名。

    空白单元格不按 0 处理：合计只加数字，并说明空白单元格的数量。

    \b
    示例：
      nianbao summary --year 2022
      nianbao summary --region 洛阳市 --year 2022 --level department
      nianbao summary --format json > 汇总.json
    """
    sm = open_store(db_url).summary(region=region, year=year, level=level)
    if fmt == "json":
        click.echo(json.dumps(sm.to_dict(), ensure_ascii=False, default=str))
    else:
        click.echo(render_summary(sm))


COMMANDS = [summary]
