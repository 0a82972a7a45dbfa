"""The typed report: what one annual report says, each value traceable to its source.

``Report.to_dict()`` produces the contract of docs/SCHEMA.md (the keys
``agency, year, template, active, applications, review_litigation``) plus the
sections, the provenance of every cell and the extraction notes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .document import Source
from .templates import ALL_APPLICATION_ROWS, OUTCOME_KEYS, REVIEW_BLOCKS

# How a printed cell was classified.
NUMBER, BLANK, PLACEHOLDER, TEXT, ABSENT = "number", "blank", "placeholder", "text", "absent"
# A cell whose digits ran together with its neighbours' and could not be told apart (extract/runs.py):
# None, and reported as needing a look, never as a cell the agency left blank.
UNRESOLVED = "unresolved"


@dataclass(slots=True)
class Value:
    """One table cell as the source prints it.

    ``value`` is an ``int`` for counts and a decimal ``str`` (digits only) for money;
    ``None`` for a blank cell, a placeholder (``/``, ``—``, ``无``), text, or a cell the
    source does not contain at all (``status`` tells which).
    """

    value: int | str | None
    raw: str | None = None  # the cell text as printed; None when absent
    status: str = ABSENT
    source: Source | None = None
    unit: str | None = None  # a unit printed inside the cell (元, 万元, 件)
    confidence: float | None = None  # OCR confidence
    via: str | None = None  # how the cell was placed when not by its own label: order | arithmetic | spaces

    @classmethod
    def absent(cls) -> Value:
        return cls(None)


@dataclass(slots=True)
class SectionText:
    key: str
    heading: str  # as printed
    text: str
    source: Source | None = None
    index: int = 0  # position among the headings found (to check order)
    lines: list[Source] = field(default_factory=list)  # the source of each line of ``text``

    def locate(self, needle: str) -> Source | None:
        """Where the first line holding *needle* (or its first two characters, if wrapped) stands."""
        return locate(self.text, self.lines, needle) or self.source


def locate(text: str, sources: list[Source], needle: str) -> Source | None:
    for probe in (needle, needle[:2]):
        for line, src in zip(text.split("\n"), sources):
            if probe and probe in line:
                return src
    return None


@dataclass(slots=True)
class Note:
    """Something the extractor noticed that a check turns into a finding.

    ``kind`` is a machine name (``extra_values``, ``short_row``, ``unmatched_row``,
    ``label_variant``, ``unit_in_cell`` …); ``data`` holds its details.
    """

    kind: str
    cells: list[str] = field(default_factory=list)
    source: Source | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Report:
    agency: str | None = None
    year: int | None = None
    template: str | None = None  # the template the document uses: "2019" | "2021"
    title: str | None = None
    path: str | None = None
    form: str = "text"
    active: dict[str, dict[str, Value]] = field(default_factory=dict)
    applications: dict[str, list[Value] | None] = field(default_factory=dict)
    review_litigation: dict[str, list[Value]] = field(default_factory=dict)
    sections: dict[str, SectionText] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # evidence: title source, fingerprints, year mentions…

    # ------------------------------------------------------------ access
    def cell(self, ref: str) -> Value:
        """The value at ``table.row.column`` (as used in findings), absent if none."""
        table, row, col = ref.split(".")
        if table == "active":
            return self.active.get(row, {}).get(col) or Value.absent()
        if table == "applications":
            from .templates import APPLICANT_KEYS

            values = self.applications.get(row)
            return values[APPLICANT_KEYS.index(col)] if values else Value.absent()
        values = self.review_litigation.get(row)
        return values[OUTCOME_KEYS.index(col)] if values else Value.absent()

    # ------------------------------------------------------------ output
    def to_dict(self, provenance: bool = True) -> dict[str, Any]:
        """The SCHEMA.md contract (plus sections, provenance and notes)."""
        out: dict[str, Any] = {
            "agency": self.agency,
            "year": self.year,
            "template": self.template,
            "title": self.title,
            "form": self.form,
            "active": {  # a row the source does not print at all is null, like table 三's
                item: ({f: v.value for f, v in fields.items()}
                       if any(v.status != ABSENT for v in fields.values()) else None)
                for item, fields in self.active.items()
            },
            "applications": {
                row: ([v.value for v in vals] if vals is not None else None)
                for row, vals in ((r, self.applications.get(r)) for r in ALL_APPLICATION_ROWS)
                if row in self.applications
            },
            "review_litigation": {
                block: [v.value for v in self.review_litigation[block]]
                for block, _ in REVIEW_BLOCKS
                if block in self.review_litigation
            },
            "sections": {
                k: {"heading": s.heading, "text": s.text, "source": s.source.as_dict() if s.source else None}
                for k, s in self.sections.items()
            },
        }
        if provenance:
            out["provenance"] = {ref: _value_dict(v) for ref, v in self.iter_cells() if v.status != ABSENT}
        return out

    def iter_cells(self):
        """Yield ``(ref, Value)`` for every table cell of the report, in template order."""
        from .templates import APPLICANT_KEYS

        for item, fields in self.active.items():
            for f, v in fields.items():
                yield f"active.{item}.{f}", v
        for row in ALL_APPLICATION_ROWS:
            vals = self.applications.get(row)
            if vals:
                for col, v in zip(APPLICANT_KEYS, vals):
                    yield f"applications.{row}.{col}", v
        for block, _ in REVIEW_BLOCKS:
            for col, v in zip(OUTCOME_KEYS, self.review_litigation.get(block) or ()):
                yield f"review_litigation.{block}.{col}", v


def _value_dict(v: Value) -> dict[str, Any]:
    d: dict[str, Any] = {"raw": v.raw, "status": v.status}
    if v.source:
        d["source"] = v.source.as_dict()
    if v.unit:
        d["unit"] = v.unit
    if v.confidence is not None:
        d["confidence"] = round(v.confidence, 3)
    if v.via:
        d["via"] = v.via
    return d
