"""Extract: one :class:`~nianbao.document.Document` → the typed :class:`~nianbao.report.Report`.

This is the only extractor; it never looks at the file format. Steps:
lines (:mod:`.lines`) → section headings (:mod:`.sections`) → title, agency,
year (:mod:`.meta`) → the template the tables really use → the three tables
(:mod:`.tables`), every value keeping its source position.
"""
from __future__ import annotations

from ..document import Document
from ..errors import NotAReportError
from ..normalize import label_key
from ..report import NUMBER, Note, Report, SectionText, Value
from ..templates import (
    ALL_APPLICATION_ROWS,
    APPLICANT_COLUMNS,
    APPLICANT_KEYS,
    OUTCOME_COLUMNS,
    OUTCOME_KEYS,
    PRE2019_FINGERPRINTS,
    REVIEW_BLOCKS,
    T3_APPLICANTS_HEADER,
    T3_SUBTOTAL_HEADER,
    T4_LITIGATION_HEADER,
    T4_REVIEW_HEADER,
    TEMPLATES,
    Template,
    relations,
    template_for_year,
)
from .flatten import split_glued, split_headings, split_prose
from .lines import Line, Piece, document_lines
from .meta import agency_near_title, complete_agency, find_title, guess_year, parse_title
from .regroup import Group, regroup
from .runs import Run, resolve
from .sections import Heading, find_headings
from .stream import cut, relations_hold, stream
from .tables import read_rows, read_single_row, to_value

__all__ = ["extract"]

# Lines that open a table when its section heading is missing.
_ANCHORS = {
    "active_disclosure": ("第二十条第", "信息内容本年"),
    "applications": ("本列数据的勾稽关系", label_key(T3_APPLICANTS_HEADER), "本年新收政府信息公开申请"),
    "review_litigation": ("结果维持结果纠正", "行政复议行政诉讼"),
}
_TABLE_SECTIONS = ("active_disclosure", "applications", "review_litigation")


def _regions(lines: list[Line], headings: list[Heading]) -> dict[str, tuple[int, int]]:
    """Line ranges of the three tables: from the section heading (or an anchor line) to the next heading."""
    first = {h.section.key: h.index + 1 for h in headings}  # the first line of each section's body
    cuts = {h.index for h in headings}  # lines that end the section before them
    for key in _TABLE_SECTIONS:
        if key not in first:
            earlier = _TABLE_SECTIONS[: _TABLE_SECTIONS.index(key)]
            after = max([first[k] for k in earlier if k in first] or [0])
            for i in range(after, len(lines)):
                if any(a in lines[i].key for a in _ANCHORS[key]):
                    first[key] = i
                    cuts.add(i)
                    break
    ordered = sorted(cuts)
    return {
        key: (first[key], next((c for c in ordered if c > first[key]), len(lines)))
        for key in _TABLE_SECTIONS if key in first
    }


def _detect_template(region_key: str, year: int | None) -> tuple[Template, dict[str, list[str]]]:
    """The template whose own labels the tables print; the year decides only when neither does."""
    seen = {tid: [fp for fp in t.fingerprints if label_key(fp) in region_key] for tid, t in TEMPLATES.items()}
    n19, n21 = len(seen["2019"]), len(seen["2021"])
    if n19 > n21:
        return TEMPLATES["2019"], seen
    if n21 > n19:
        return TEMPLATES["2021"], seen
    return template_for_year(year), seen


def extract(doc: Document) -> Report:
    """Read the typed report out of *doc*. Raises :class:`NotAReportError` for other documents."""
    lines = split_headings(document_lines(doc))
    headings = find_headings(lines)
    glued = split_glued(lines, _regions(lines, headings))
    if len(glued) != len(lines):  # rows cut out of run-together paragraphs: headings move
        lines = glued
        headings = find_headings(lines)
    lines = split_prose(lines, _regions(lines, headings).get("active_disclosure"))
    report = Report(path=doc.path, form=doc.form)

    # -- title, agency, year
    title, title_idx = find_title(lines, doc.meta.get("title"))
    body = "\n".join(line.text for line in lines)
    agency, year = parse_title(title) if title else (None, None)
    if not agency:
        agency = agency_near_title(lines, title_idx, body.replace(" ", ""))
    for key in ("title", "page_title"):  # the page's <title> often adds the agency: …年度报告_XX局
        if not agency and doc.meta.get(key):
            agency = parse_title(str(doc.meta[key]))[0]
    if agency:
        agency = complete_agency(agency, body.replace(" ", ""))
    report.meta["title_year"] = year
    if doc.meta.get("published"):
        report.meta["published"] = doc.meta["published"]  # the container's stated date (D-01 checks)
    if year is None:
        year = guess_year(body)
        report.meta["year_from"] = "body" if year else None
    report.title, report.agency, report.year = title, agency, year

    # -- sections
    for n, h in enumerate(headings):
        end = headings[n + 1].index if n + 1 < len(headings) else len(lines)
        body_idx = [i for i in range(h.index + 1, end) if i != title_idx]
        report.sections[h.section.key] = SectionText(
            h.section.key, h.text, "\n".join(lines[i].text for i in body_idx), lines[h.index].source, n,
            [lines[i].source for i in body_idx])
    first = headings[0].index if headings else len(lines)
    pre_idx = [i for i in range(first) if i != title_idx]
    report.meta["preamble"] = "\n".join(lines[i].text for i in pre_idx)
    report.meta["preamble_lines"] = [lines[i].source for i in pre_idx]

    # -- tables
    regions = _regions(lines, headings)
    region_key = "".join(line.key for key in regions for line in lines[slice(*regions[key])])
    template, fingerprints = _detect_template(region_key, year)
    report.template = template.id
    report.meta["fingerprints"] = fingerprints
    report.meta["table_text"] = {k: "".join(line.key for line in lines[slice(*regions[k])]) for k in regions}

    if not _looks_like_report(title, headings, regions):
        raise NotAReportError(doc.path, "不是政府信息公开工作年度报告：未找到年度报告标题、六个部分的标题或统计表")
    if (year is not None and year < 2019) or (
        any(label_key(fp) in region_key for fp in PRE2019_FINGERPRINTS) and not any(fingerprints.values())
    ):
        raise NotAReportError(doc.path, f"这是2019年以前格式的年度报告（{year or '年份不详'}年），不在支持范围内")

    runs: list[_RunCells] = []
    _read_active(report, template, lines[slice(*regions["active_disclosure"])] if "active_disclosure" in regions else [],
                 runs)
    _read_applications(report, template,
                       lines[slice(*regions["applications"])] if "applications" in regions else [], runs)
    _read_review(report, lines[slice(*regions["review_litigation"])] if "review_litigation" in regions else [],
                 runs)
    if runs:
        _resolve_runs(report, template, runs)
    return report


_RunCells = tuple[Run, list[str], list[str]]  # a glued run, the cells it fills, their kinds


def _resolve_runs(report: Report, template: Template, runs: list[_RunCells]) -> None:
    """Split the glued runs of all three tables together (extract/runs.py), then write their cells."""
    mine = {ref for _, refs, _ in runs for ref in refs}
    fixed = {ref: (v.value if isinstance(v.value, int) else None)
             for ref, v in report.iter_cells() if ref not in mine}
    for run, refs, _ in runs:
        run.refs = refs
    narrative = "\n".join([str(report.meta.get("preamble") or "")] + [
        s.text for k, s in report.sections.items() if k not in ("active_disclosure", "applications", "review_litigation")])
    resolve([r for r, _, _ in runs], fixed, relations(template), narrative)
    for run, refs, kinds in runs:
        for ref, piece, kind in zip(refs, run.cells(), kinds):
            table, row, col = ref.split(".")
            if col == "subtotal":
                continue
            value = to_value(piece, kind)
            value.via = None if run.how == "unique" else run.how
            _set_cell(report, ref, value)
        if run.how != "unique":
            report.notes.append(Note("run_split", [r for r in refs if not r.endswith(".subtotal")],
                                     run.pieces[0].source,
                                     {"how": run.how, "printed": run.text,
                                      "candidates": [list(c) for c in run.candidates[:6]],
                                      "n_candidates": len(run.candidates)}))


def _set_cell(report: Report, ref: str, value: Value) -> None:
    table, row, col = ref.split(".")
    if table == "active":
        report.active[row][col] = value
    elif table == "applications":
        vals = report.applications.get(row)
        if vals is not None:
            vals[APPLICANT_KEYS.index(col)] = value
    else:
        report.review_litigation[row][OUTCOME_KEYS.index(col)] = value


def _looks_like_report(title: str | None, headings: list[Heading], regions: dict) -> bool:
    return bool(title) + (len(headings) >= 3) + bool(regions) >= 2


def _note_hit(report: Report, table: str, hit, cols: tuple[str, ...]) -> None:
    cells = [f"{table}.{hit.row.key}.{c}" for c in cols]
    if hit.note:
        report.notes.append(Note(hit.note, cells, hit.line.source,
                                 {"row": hit.row.key, "label": hit.label, "extra": [p.text for p in hit.extra],
                                  "printed": sum(1 for p in hit.values if p is not None)}))
    if hit.label:
        canonical = label_key(hit.row.label).lstrip("0123456789一二三四五六七八")
        if canonical not in label_key(hit.label) or hit.fuzzy:
            report.notes.append(Note("label_variant", cells, hit.line.source,
                                     {"row": hit.row.key, "printed": hit.label, "canonical": hit.row.label,
                                      "fuzzy": hit.fuzzy}))


def _read_active(report: Report, template: Template, lines: list[Line], runs: list[_RunCells]) -> None:
    width = {row.key: len(row.fields) for row in template.active}
    kinds = {row.key: [f.kind for f in row.fields] for row in template.active}
    hits, notes = read_rows(lines, template.active, width, kinds)
    report.notes += [_tag(n, "active") for n in notes]
    for row in template.active:
        hit = hits.get(row.key)
        if hit is None:
            report.active[row.key] = {f.key: Value.absent() for f in row.fields}
            continue
        report.active[row.key] = {f.key: _placed(to_value(p, f.kind), hit) for f, p in zip(row.fields, hit.values)}
        _note_hit(report, "active", hit, tuple(f.key for f in row.fields))
        if hit.run is not None:
            hit.run.mentions = tuple(v for v in (row.label, *row.variants))
            runs.append((hit.run, [f"active.{row.key}.{f.key}" for f in row.fields], kinds[row.key]))


def _subtotal_column(lines: list[Line]) -> int | None:
    """Where a 小计 column the template does not have stands among the value columns, if the header
    prints one: counted from the applicant labels printed before it (自然人 商业企业 … 其他 小计 → 6)."""
    header = ""
    for line in lines:
        if "本年新收" in line.key:
            break
        header += line.key
    pos = header.find(label_key(T3_SUBTOTAL_HEADER))
    if pos < 0:
        return None
    before = header[:pos]
    # 自然人 is always the first column (and often wrapped 自然/人 in extracted text): count the
    # 法人或其他组织 columns printed before 小计.
    index = 1 + sum(1 for c in APPLICANT_COLUMNS[1:-1] if label_key(c.label) in before)
    return index if index < len(APPLICANT_KEYS) else None


def _read_applications(report: Report, template: Template, lines: list[Line], runs: list[_RunCells]) -> None:
    extra_col = _subtotal_column(lines)
    n = len(APPLICANT_KEYS) + (extra_col is not None)
    width = {row.key: n for row in template.applications}
    hits, notes = read_rows(lines, template.applications, width)
    if extra_col is not None:
        report.notes.append(Note("extra_column", [], lines[0].source if lines else None,
                                 {"table": "applications", "label": T3_SUBTOTAL_HEADER, "index": extra_col}))
    first_note = len(report.notes)
    report.notes += [_tag(n, "applications") for n in notes]
    in_template = {r.key for r in template.applications}
    for key in ALL_APPLICATION_ROWS:
        hit = hits.get(key)
        if key not in in_template or hit is None:
            report.applications[key] = None
            continue
        values = hit.values if extra_col is None else hit.values[:extra_col] + hit.values[extra_col + 1:]
        report.applications[key] = [_placed(to_value(p, "count"), hit) for p in values]
        _note_hit(report, "applications", hit, APPLICANT_KEYS)
        if hit.run is not None:
            refs = [f"applications.{key}.{c}" for c in APPLICANT_KEYS]
            if extra_col is not None:
                refs.insert(extra_col, f"applications.{key}.subtotal")
            runs.append((hit.run, refs, ["count"] * n))
    _read_as_stream(report, template, lines, n, extra_col, first_note)


def _read_as_stream(report: Report, template: Template, lines: list[Line], n: int, extra_col: int | None,
                    first_note: int) -> None:
    """Table 三 read as one stream of numbers in template order when reading by labels left it
    incomplete or broken and the stream makes every relation hold (extract/stream.py)."""
    if any(line.flat for line in lines):
        return  # glued runs are split by runs.py, not cut here
    rels = [r for r in relations(template) if r[0][0].startswith("applications.")]
    rows = [row.key for row in template.applications]

    def ints(table: dict[str, list[Value] | None]) -> dict[str, int | None]:
        return {f"applications.{key}.{col}": (v.value if v.status == NUMBER and isinstance(v.value, int) else None)
                for key in rows for col, v in zip(APPLICANT_KEYS, table.get(key) or [], strict=False)}

    now = ints(report.applications)
    if len(now) == len(rows) * len(APPLICANT_KEYS) and all(v is not None for v in now.values()) \
            and relations_hold(now, rels)[0]:
        return
    cells = cut(stream(lines), rows, n)
    if cells is None:
        return
    read: dict[str, list[Value] | None] = {}
    for key, pieces in cells.items():
        if extra_col is not None:
            pieces = pieces[:extra_col] + pieces[extra_col + 1:]
        read[key] = [to_value(p, "count") for p in pieces]
    holds, checked = relations_hold(ints(read), rels)
    if not holds or checked * 2 < len(rels) or ints(read) == now:
        return
    for values in read.values():
        for v in values or []:
            v.via = "order"
    report.applications.update(read)
    del report.notes[first_note:]
    report.notes.append(Note("read_as_stream", [f"applications.{k}.{c}" for k in rows for c in APPLICANT_KEYS],
                             lines[0].source if lines else None,
                             {"table": "applications", "count": len(rows) * n, "rows": len(rows), "width": n,
                              "relations": checked}))


def _read_review(report: Report, lines: list[Line], runs: list[_RunCells]) -> None:
    n = len(REVIEW_BLOCKS) * len(OUTCOME_KEYS)
    kinds = [label.partition("·")[2] for _, label in REVIEW_BLOCKS]
    header = frozenset(label_key(x) for x in (*(c.label for c in OUTCOME_COLUMNS), T4_REVIEW_HEADER,
                                               T4_LITIGATION_HEADER, *filter(None, kinds), "数量", "件数"))
    groups: list[Group] = []
    values, line, note, extra, run = read_single_row(lines, n, header, groups)
    moved = False
    if values is not None and run is None and note is None:
        values, moved = _regrouped(report, values, groups, line)
    if run is not None:
        runs.append((run, [f"review_litigation.{b}.{c}" for b, _ in REVIEW_BLOCKS for c in OUTCOME_KEYS], ["count"] * n))
    k = len(OUTCOME_KEYS)
    for b, (block, _) in enumerate(REVIEW_BLOCKS):
        if values is None:
            report.review_litigation[block] = [Value.absent() for _ in OUTCOME_KEYS]
        else:
            report.review_litigation[block] = [to_value(p, "count") for p in values[b * k:(b + 1) * k]]
            if moved:
                for v in report.review_litigation[block]:
                    v.via = "arithmetic"
    if note and line is not None:
        cells = [f"review_litigation.{b}.{c}" for b, _ in REVIEW_BLOCKS for c in OUTCOME_KEYS]
        report.notes.append(Note(note, cells, line.source, {"row": "review_litigation",
                                                               "extra": [p.text for p in extra]}))


def _regrouped(report: Report, values: list[Piece | None], groups: list[Group], line: Line | None
               ) -> tuple[list[Piece | None], bool]:
    """Table 四's values in block order when the printed order breaks every way but one (regroup.py)."""
    k = len(OUTCOME_KEYS)
    ints = {id(p): v.value for p in values if p is not None
            and isinstance((v := to_value(p, "count")).value, int) and v.status == NUMBER}
    if len(ints) != len(values):
        return values, False  # a blank, a placeholder or text: no arithmetic to go by
    blocks = [values[b * k:(b + 1) * k] for b in range(len(REVIEW_BLOCKS))]
    if all(sum(ints[id(p)] for p in blk[:-1]) == ints[id(blk[-1])] for blk in blocks):
        return values, False
    words = [[label.rpartition("·")[2]] for _, label in REVIEW_BLOCKS]
    placed = regroup(groups, ints, words, k)
    if placed is None:
        return values, False
    cells = [f"review_litigation.{b}.{c}" for b, _ in REVIEW_BLOCKS for c in OUTCOME_KEYS]
    report.notes.append(Note("regrouped_by_arithmetic", cells, line.source if line else None,
                             {"table": "review_litigation", "printed": [p.text for p in values if p],
                              "read": [p.text for p in placed]}))
    return list(placed), True


def _placed(value: Value, hit) -> Value:
    """Record how the alignment placed the cell's row when its label did not (provenance ``via``)."""
    value.via = hit.via
    return value


def _tag(note: Note, table: str) -> Note:
    note.data.setdefault("table", table)
    return note
