"""The administrative-division table agency names are matched against (package data, no fetching).

``data/divisions.csv`` (built by ``scripts/make_divisions.py``) lists the 34 province-level, the
prefecture-level and the county-level divisions with their codes. It covers places down to the
county; townships (乡镇/街道) are recognised by their suffix only, and functional zones
(开发区, 实验区, 片区 …) are not administrative divisions at all: :func:`zone_kind` names them.

Why match against a table: the level of a government is the level of its place (上海市 is
province-level, 洛阳市 a prefecture), and a misprinted place (沐阳县 for 沭阳县) must be read as the
real one instead of becoming a region of its own.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

# Renamed counties keep their stem: 偃师市 became 偃师区, 孟津县 became 孟津区.
_COUNTY_SUFFIXES = ("自治县", "自治旗", "市", "区", "县", "旗")
# Functional zones, longest first: they are regions for their own units but not divisions.
ZONE_SUFFIXES = tuple(sorted(("综合实验区", "实验区", "经济技术开发区", "高新技术产业开发区", "开发区", "高新区",
                              "示范区", "保税区", "综合保税区", "产业园区", "工业园区", "园区", "新区", "片区",
                              "试验区", "合作区"), key=len, reverse=True))
# Parts of a zone (a 片区 of an 实验区): a body of their own, but never a region of their own.
SUBZONE_SUFFIXES = ("片区",)


# Characters misprinted for each other in place names (one stroke apart, or one OCR confusion).
_LOOKALIKES = {frozenset(p) for p in ("沐沭", "末未", "己已", "戍戌", "汩汨", "祗祇", "菅管", "侯候", "洛络", "泊洎",
                                      "塘搪", "崇祟", "毫亳", "盱眙", "睢雎", "郓鄆", "峄峰", "莒筥", "邗刊", "婺鹜")}


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    name: str
    level: str  # province | city | county
    parent: str | None


@cache
def _table() -> tuple[dict[str, Division], dict[str, list[Division]]]:
    by_code: dict[str, Division] = {}
    by_name: dict[str, list[Division]] = {}
    text = files("nianbao").joinpath("data/divisions.csv").read_text(encoding="utf-8")
    for row in csv.reader(text.splitlines()):
        if not row or row[0].startswith("#") or row[0] == "code":
            continue
        d = Division(row[0], row[1], row[2], row[3] or None)
        by_code[d.code] = d
        by_name.setdefault(d.name, []).append(d)
    return by_code, by_name


def size() -> int:
    """How many divisions the shipped table holds."""
    return len(_table()[0])


def ancestors(d: Division) -> list[Division]:
    """The division's parents, nearest first."""
    by_code, out = _table()[0], []
    while d.parent and d.parent in by_code:
        d = by_code[d.parent]
        out.append(d)
    return out


def _within(d: Division, context: list[Division]) -> bool:
    return not context or any(c == d or c in ancestors(d) for c in context)


def _stem(name: str) -> str:
    return next((name[: -len(s)] for s in _COUNTY_SUFFIXES if name.endswith(s) and len(name) > len(s) + 1), name)


@cache
def _by_stem() -> dict[str, list[Division]]:
    out: dict[str, list[Division]] = {}
    for ds in _table()[1].values():
        for d in ds:
            if d.level == "county":
                out.setdefault(_stem(d.name), []).append(d)
    return out


@cache
def lookup(token: str, context: tuple[Division, ...] = ()) -> Division | None:
    """The division *token* names (exactly, or a county renamed with another suffix), within *context*."""
    found = [d for d in _table()[1].get(token, []) if _within(d, list(context))]
    if not found and token.endswith(_COUNTY_SUFFIXES):
        found = [d for d in _by_stem().get(_stem(token), []) if _within(d, list(context))]
    return found[0] if len(found) == 1 or (found and context) else None


@cache
def correct(token: str, context: tuple[Division, ...] = ()) -> Division | None:
    """The one real division a misprinted *token* stands for (one character off, same suffix), or None.

    Only a single candidate counts (within *context* when given): a guess between two places is no answer.
    """
    if len(token) < 3 or lookup(token, context):
        return None
    suffix = next((s for s in ("自治县", "自治州", "省", "市", "州", "区", "县", "旗", "盟") if token.endswith(s)), None)
    if suffix is None:
        return None
    stem = token[: -len(suffix)]
    candidates = []
    for name, ds in _table()[1].items():
        if len(name) != len(token) or not name.endswith(suffix):
            continue
        other = name[: -len(suffix)]
        if sum(a != b for a, b in zip(stem, other)) == 1:
            candidates += [d for d in ds if _within(d, list(context))]
    if len(candidates) > 1:  # prefer the look-alike misprint (沐 for 沭) over any other one-character change
        candidates = [d for d in candidates if any(frozenset((a, b)) in _LOOKALIKES
                                                   for a, b in zip(stem, d.name) if a != b)]
    return candidates[0] if len(candidates) == 1 else None


def zone_kind(token: str) -> str | None:
    """The zone suffix of *token* (``平潭综合实验区`` → 综合实验区), or None for other names."""
    return next((s for s in ZONE_SUFFIXES if token.endswith(s) and len(token) > len(s)), None)
