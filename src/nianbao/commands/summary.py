"""``nianbao summary``: the 汇总 of the selected reports, indicators, what is missing, the ranking."""
from __future__ import annotations

import json

import click

from ._store_options import db_option, filter_options, open_store


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1%}"


def render_summary(sm) -> str:
    """Plain text, laid out with the labels of templates.py."""
    import io

    from rich.console import Console
    from rich.table import Table

    from ..store.records import LEVEL_NAMES
    from ..templates import APPLICANT_COLUMNS, OUTCOME_COLUMNS, REVIEW_BLOCKS, TEMPLATES

    buf = io.StringIO()
    con = Console(file=buf, width=150, force_terminal=False, color_system=None)
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
    labels = {r.key: f"{r.group or ''}{r.label}" for t in (TEMPLATES["2019"], TEMPLATES["2021"]) for r in t.applications}
    t3 = Table(title="三、收到和处理政府信息公开申请情况（合计）")
    t3.add_column("")
    for c in APPLICANT_COLUMNS:
        t3.add_column(c.label, justify="right")
    for row, vals in sm.applications.items():
        t3.add_row(labels.get(row, row), *map(str, vals))
    con.print(t3)
    t4 = Table(title="四、政府信息公开行政复议、行政诉讼情况（合计）")
    t4.add_column("")
    for c in OUTCOME_COLUMNS:
        t4.add_column(c.label, justify="right")
    for key, label in REVIEW_BLOCKS:
        if key in sm.review_litigation:
            t4.add_row(label, *map(str, sm.review_litigation[key]))
    con.print(t4)
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
