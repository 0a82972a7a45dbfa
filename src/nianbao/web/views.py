"""What the report pages and the API both need: a stored report turned into page-ready pieces.

Kept apart from the routes so the HTML page, the JSON API and the XLSX download agree on which
cells a finding concerns, how a cell is highlighted, and how a value is shown.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..checks import SEVERITY_ORDER
from ..checks._common import finding_position
from ..document import Source
from ..render.layout import Grid, report_grids
from ..report import ABSENT, BLANK, NUMBER, Value
from ..templates import SECTIONS


def source_of(d: dict | None) -> Source | None:
    """A Source from its ``as_dict()`` form (as findings are stored)."""
    if not d:
        return None
    d = dict(d)
    if d.get("bbox") is not None:
        d["bbox"] = tuple(d["bbox"])
    return Source(**{k: v for k, v in d.items() if k in Source.__slots__})


def display(v: Any) -> str:
    """A cell as the reader sees it: the number, the printed text, empty for blank, — for absent."""
    if isinstance(v, Value):
        if v.status == NUMBER:
            return f"{v.value:,}" if isinstance(v.value, int) else str(v.value)
        if v.status == BLANK:
            return ""
        if v.status == ABSENT:
            return "—"
        return v.raw or ""
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.4f}".rstrip("0").rstrip(".")
    return f"{v:,}" if isinstance(v, int) else str(v)


@dataclass(slots=True)
class CellView:
    """How one value cell is drawn: its classes, its hover text, the findings it points to."""

    classes: list[str] = field(default_factory=list)
    title: str = ""
    findings: list[int] = field(default_factory=list)  # indices into the page's findings list


def cell_views(grids: list[Grid], findings: list[Any]) -> dict[str, CellView]:
    """Highlight state of every value cell: by its most severe live finding, blank/absent marks too."""
    by_ref: dict[str, list[int]] = {}
    for i, f in enumerate(findings):
        for ref in f.cells:
            by_ref.setdefault(ref, []).append(i)
    views: dict[str, CellView] = {}
    for grid in grids:
        for cell in grid.value_cells():
            assert cell.ref is not None
            view = CellView()
            v = cell.value
            if isinstance(v, Value):
                if v.status == BLANK:
                    view.classes.append("blank")
                elif v.status == ABSENT:
                    view.classes.append("absent")
                elif v.status != NUMBER:
                    view.classes.append("textual")
            idx = by_ref.get(cell.ref, [])
            if idx:
                view.findings = idx
                live = [findings[i] for i in idx if findings[i].decision != "dismissed"]
                if live:
                    worst = min(live, key=lambda f: SEVERITY_ORDER.get(f.severity, 9))
                    view.classes += ["flag", f"sev-{worst.severity}"]
                else:
                    view.classes.append("flag-dismissed")
                view.title = "\n".join(f"[{findings[i].rule}] {findings[i].message}" for i in idx)
            views[cell.ref] = view
    return views


def report_view(stored: Any) -> dict[str, Any]:
    """Everything the report page shows, computed once."""
    rep = stored.report
    grids = report_grids(stored.row.template or rep.template, rep.cell)
    findings = sorted(stored.findings, key=lambda f: (finding_position(rep, f), SEVERITY_ORDER.get(f.severity, 9),
                                                      (f.location or {}).get("line") or 0, f.rule))
    sections = [(s, rep.sections.get(s.key)) for s in SECTIONS]
    return {
        "stored": stored,
        "row": stored.row,
        "rep": rep,
        "grids": grids,
        "findings": findings,
        "views": cell_views(grids, findings),
        "sections": sections,
    }


def report_json(stored: Any) -> dict[str, Any]:
    """The JSON download: the SCHEMA.md report, its store metadata, its findings with decisions."""
    return {
        "report_id": stored.row.id,
        **stored.row.to_dict(),
        "source_name": stored.source_name,
        "versions": [{"version": v, "content_hash": h, "ingested_at": at.isoformat()} for v, h, at in stored.versions],
        "report": stored.report.to_dict(),
        "findings": [f.to_dict() for f in stored.findings],
    }
