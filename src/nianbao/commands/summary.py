"""``nianbao summary``: the 汇总 of the selected reports, indicators, what is missing, the ranking."""
from __future__ import annotations

import json

import click

from ._store_options import db_option, filter_options, open_existing_store


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
    scope = "，".join(filter(None, [f.get("region"), f"{f['year']}年" if f.get("year") else "全部年度",
                                   LEVEL_NAMES.get(f.get("level"), None)]))
    con.print(f"汇总范围：{scope}    报告 {sm.n_reports} 份    年度：{'、'.join(map(str, sm.years)) or '—'}    "
              f"模板：{sm.template + ' 年版' if sm.template else '—'}")
    for note in sm.notes:
        con.print(f"说明：{note}")
    blanks = sum(sm.blanks.values())
    if blanks:
        con.print(f"注意：有 {blanks} 个单元格为空白或占位符（未计为 0，合计只加数字）。")
    if sm.has_register:
        con.print(f"应报未报（依机关名录）{len(sm.missing)} 个" + (
            f"：{'、'.join(sm.missing[:30])}" + (" …" if len(sm.missing) > 30 else "") if sm.missing else "。"))
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
        same = f"（仅比较两年都有报告的 {ch['n_agencies']} 个机关" + (
            f"，另有 {ch['n_left_out']} 个机关只有一年的报告，未计入）" if ch.get("n_left_out") else "）")
        con.print((f"{year}年较{ch['compared_with']}年：新收申请 {ch['new']:+}，办理 {ch['processed']:+}"
                   if ch.get("new") is not None and ch.get("processed") is not None
                   else f"{year}年较{ch['compared_with']}年：数据不足以比较") + same)
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
@click.option("--template", type=click.Choice(["2019", "2021"]), default=None,
              help="只汇总该模板的报告（默认：所选报告中最多的模板；两种模板的表格从不相加）。")
@click.option("--all-years", is_flag=True, help="汇总全部年度（默认只汇总一个年度）。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式。")
def summary(region: str | None, year: int | None, level: str | None, db_url: str | None, template: str | None,
            all_years: bool, fmt: str) -> None:
    """汇总一个年度的报告：第二、三、四部分合计，应报未报名单，各项比率，同比变化，问题排名。

    默认汇总有报告的最近一个年度（--year 指定年度，--all-years 汇总全部年度）；
    每次只汇总一种模板（2019 年版与 2021 年版的表格不相加，另一模板的报告数会注明）；
    同比只比较两年都有报告的机关；应报未报依据导入的机关名录（nianbao agencies import）。
    空白单元格不按 0 处理：合计只加数字，并说明空白单元格的数量。

    \b
    示例：
      nianbao summary
      nianbao summary --year 2022 --region 洛阳市 --level department
      nianbao summary --all-years --template 2019
      nianbao summary --format json > 汇总.json
    """
    store = open_existing_store(db_url)
    if year is None and not all_years:
        year = store.latest_year()
        if year is None:
            raise click.ClickException("数据库中还没有报告（先用 nianbao ingest 导入）。")
    sm = store.summary(region=region, year=year, level=level, template=template)
    if fmt == "json":
        click.echo(json.dumps(sm.to_dict(), ensure_ascii=False, default=str))
    else:
        click.echo(render_summary(sm))


COMMANDS = [summary]
