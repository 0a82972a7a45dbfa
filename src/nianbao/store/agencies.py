"""Agency identity: the same body must be one agency across years.

Reports name their publisher inconsistently: ``市机关事务管理局`` one year and
``洛阳市机关事务管理局`` the next; a government's report is published by its
``办公室``; spaces and brackets creep in. :func:`identify` folds these into one
key, derives the region from the place prefix (``洛阳市``, ``孟津区`` …) or the
``--region`` given, and the level from name rules. What rules cannot settle goes
into a mapping file (``--agency-map``, CSV: raw name, canonical name, region, level).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from . import divisions
from .divisions import Division
from .records import LEVELS, StoreError

_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_BRACKETS = re.compile(r"[()（）\[\]【】〔〕<>《》「」『』\"“”'‘’]")
# A place token: a short name ending in an administrative suffix (longest suffixes first).
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "街道", "地区", "省", "市", "州", "盟", "区", "县",
             "旗", "镇", "乡")
_PLACE = re.compile(r"([\u4e00-\u9fff]{1,7}?(?:" + "|".join(_SUFFIXES) + "))")
# Words that make a would-be place token part of a department name (住房和城乡建设局, 城市管理局 …).
_NOT_PLACE = re.compile(r"[和与及的]|城市|城乡|管理|服务|建设|发展|委员|社区|开发区")
_LEVEL_OF_SUFFIX = {
    "省": "province", "自治区": "province", "特别行政区": "province",
    "市": "city", "州": "city", "自治州": "city", "盟": "city", "地区": "city",
    "区": "county", "县": "county", "自治县": "county", "旗": "county", "自治旗": "county",
    "镇": "township", "乡": "township", "街道": "township",
}
# What a zone's own body is called after the zone's name (平潭综合实验区管理委员会, 金井片区管理局).
_ZONE_BODIES = ("", "管理委员会", "管委会", "管理局", "人民政府", "工作委员会", "党工委管委会")
_GOVERNMENT_OFFICE = re.compile(r"(?:人民)?政府(?:办公室|办公厅|办)$")
_BARE_GOVERNMENT = re.compile(r"(?<!人民)政府$")


@dataclass(frozen=True, slots=True)
class Identity:
    key: str  # what makes two reports the same agency
    name: str  # display name
    region: str | None
    level: str
    is_government: bool


@dataclass(frozen=True, slots=True)
class MappedName:
    name: str
    region: str | None
    level: str | None


AgencyMap = dict[str, MappedName]


def clean(name: str) -> str:
    """Remove spaces and bracket characters (the words inside brackets stay)."""
    return _BRACKETS.sub("", _SPACES.sub("", name or ""))


def place_tokens(text: str) -> list[str]:
    """The administrative place names at the start of *text*: ``洛阳市孟津区财政局`` → [洛阳市, 孟津区]."""
    tokens, pos = [], 0
    while True:
        m = _PLACE.match(text, pos)
        if not m or _NOT_PLACE.search(m.group(1)) or m.group(1)[0] in "省市区县":
            break
        tokens.append(m.group(1))
        pos = m.end()
        if text.startswith(("人民政府", "政府"), pos):
            break
    return tokens


def _suffix(token: str) -> str:
    return next(s for s in _SUFFIXES if token.endswith(s))


def load_agency_map(path: str | Path) -> AgencyMap:
    """Read the CSV mapping (header optional): raw name, canonical name, region, level."""
    out: AgencyMap = {}
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise StoreError(f"无法读取机关对照表 {path}：{exc.strerror or exc}") from exc
    for n, row in enumerate(csv.reader(text.splitlines()), 1):
        if not row or not row[0].strip() or row[0].strip().startswith("#"):
            continue
        if n == 1 and row[0].strip() in ("raw", "原名称", "raw_name"):
            continue
        cells = [c.strip() for c in row] + ["", "", ""]
        level = cells[3] or None
        if level and level not in LEVELS:
            raise StoreError(f"机关对照表第 {n} 行：层级“{level}”无效（可选：{'、'.join(LEVELS)}）")
        out[clean(cells[0])] = MappedName(clean(cells[1]) or clean(cells[0]), cells[2] or None, level)
    return out


def _join_region(given: list[str], own: list[str]) -> list[str]:
    """Merge the --region path with the name's own place prefix (``洛阳市`` + ``孟津区`` → 洛阳市孟津区)."""
    for k in range(min(len(given), len(own)), 0, -1):
        if given[-k:] == own[:k]:
            return given + own[k:]
    if own and given and own[0] in given:  # the name repeats an earlier part of the path
        return given[: given.index(own[0])] + own
    return given + own


def _checked(tokens: list[str], outer: list[Division | None] | None = None
             ) -> tuple[list[str], list[Division | None]]:
    """Match each place token against the division table (within the *outer* places), reading a misprint
    as the real place."""
    out: list[str] = []
    found: list[Division | None] = []
    for token in tokens:
        context = tuple(d for d in (outer or []) + found if d is not None)
        d = None if divisions.zone_kind(token) and not divisions.lookup(token) else divisions.lookup(token, context)
        if d is None and not divisions.zone_kind(token):
            d = divisions.correct(token, context)
            if d is not None:
                token = d.name
        out.append(token)
        found.append(d)
    return out, found


def _region_path(tokens: list[str]) -> list[str]:
    """Sub-zones (片区) are bodies, not regions: 平潭综合实验区海坛片区管理局 belongs to 平潭综合实验区."""
    return [t for t in tokens if not (divisions.zone_kind(t) in divisions.SUBZONE_SUFFIXES
                                      and not divisions.lookup(t))]


def _level(name: str, own: list[str], found: list[Division | None], is_gov: bool) -> str:
    if not own:
        return "department"
    last, division = own[-1], found[-1]
    rest = name[len("".join(own)):]
    if division is None and divisions.zone_kind(last) and rest in _ZONE_BODIES:
        return "zone"
    if not is_gov:
        return "department"
    return division.level if division is not None else _LEVEL_OF_SUFFIX[_suffix(last)]


def identify(raw: str, *, region: str | None = None, mapping: AgencyMap | None = None) -> Identity:
    """Fold a printed publisher name into an agency identity (see the module doc)."""
    name = clean(raw)
    mapped = (mapping or {}).get(name)
    if mapped:
        name = mapped.name
        region = mapped.region or region
    name = _GOVERNMENT_OFFICE.sub("人民政府", name)
    name = _BARE_GOVERNMENT.sub("人民政府", name)
    given, outer = _checked(place_tokens(clean(region))) if region else ([], [])
    printed = place_tokens(name)
    own, found = _checked(printed, outer)
    name = "".join(own) + name[len("".join(printed)):]
    if not own and given and name[:1] in "省市区县镇乡":  # 市机关事务管理局 → 洛阳市机关事务管理局
        match = next((t for t in reversed(given) if _suffix(t) == name[0]), None)
        if match:
            name = match + name[1:]
            own, found = _checked([match])
    path = _join_region(given, own) if given else own
    if region and not given:
        path = [clean(region)]
    is_gov = name.endswith("人民政府") or name.endswith("街道办事处")
    level = mapped.level if mapped and mapped.level else _level(name, own, found, is_gov)
    # The key keeps only the most specific place: 洛阳市孟津区财政局 and 孟津区财政局 are one body.
    key = name[len("".join(own[:-1])):] if len(own) > 1 else name
    return Identity(key=key, name=name, region="".join(_region_path(path)) or None, level=level,
                    is_government=is_gov)
