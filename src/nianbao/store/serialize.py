"""Report ⇄ JSON for storage: ``Report.to_dict()`` (with provenance) plus what it leaves out (notes, meta, path).

``report_from_json`` rebuilds a :class:`~nianbao.report.Report` whose cells carry
their raw text, status and source again, so the web app can show provenance.
"""
from __future__ import annotations

import json
from typing import Any

from ..document import Source
from ..report import ABSENT, Note, Report, SectionText, Value
from ..templates import APPLICANT_KEYS, OUTCOME_KEYS, TEMPLATES


def _jsonable(obj: Any) -> Any:
    return json.loads(json.dumps(obj, ensure_ascii=False, default=str))


def report_json(report: Report) -> dict[str, Any]:
    d = report.to_dict(provenance=True)
    d["path"] = report.path
    d["notes"] = [{"kind": n.kind, "cells": n.cells, "source": n.source.as_dict() if n.source else None,
                   "data": n.data} for n in report.notes]
    d["meta"] = report.meta
    return _jsonable(d)


def _source(d: dict | None) -> Source | None:
    if not d:
        return None
    d = dict(d)
    if d.get("bbox") is not None:
        d["bbox"] = tuple(d["bbox"])
    return Source(**d)


def _value(ref: str, value: Any, prov: dict[str, Any]) -> Value:
    p = prov.get(ref)
    if p is None:
        return Value(value, None, ABSENT) if value is None else Value(value, str(value), "number")
    return Value(value, p.get("raw"), p.get("status", ABSENT), _source(p.get("source")), p.get("unit"),
                 p.get("confidence"), p.get("via"))


def report_from_json(d: dict[str, Any]) -> Report:
    prov = d.get("provenance") or {}
    r = Report(agency=d.get("agency"), year=d.get("year"), template=d.get("template"), title=d.get("title"),
               path=d.get("path"), form=d.get("form") or "text", meta=d.get("meta") or {})
    for item, fields in (d.get("active") or {}).items():
        if fields is None:  # a row the source does not print
            template = TEMPLATES.get(str(r.template)) or TEMPLATES["2021"]
            fields = dict.fromkeys(f.key for row in template.active if row.key == item for f in row.fields)
        r.active[item] = {f: _value(f"active.{item}.{f}", v, prov) for f, v in fields.items()}
    for row, vals in (d.get("applications") or {}).items():
        r.applications[row] = None if vals is None else [
            _value(f"applications.{row}.{c}", v, prov) for c, v in zip(APPLICANT_KEYS, vals)]
    for block, vals in (d.get("review_litigation") or {}).items():
        r.review_litigation[block] = [_value(f"review_litigation.{block}.{c}", v, prov)
                                      for c, v in zip(OUTCOME_KEYS, vals)]
    for i, (key, s) in enumerate((d.get("sections") or {}).items()):
        r.sections[key] = SectionText(key, s.get("heading") or "", s.get("text") or "", _source(s.get("source")), i)
    r.notes = [Note(n["kind"], n.get("cells") or [], _source(n.get("source")), n.get("data") or {})
               for n in d.get("notes") or []]
    return r
