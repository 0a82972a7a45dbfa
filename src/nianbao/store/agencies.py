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


def identify(raw: str, *, region: str | None = None, mapping: AgencyMap | None = None) -> Identity:
    """Fold a printed publisher name into an agency identity (see the module doc)."""
    name = clean(raw)
    mapped = (mapping or {}).get(name)
    if mapped:
        name = mapped.name
        region = mapped.region or region
    name = _GOVERNMENT_OFFICE.sub("人民政府", name)
    name = _BARE_GOVERNMENT.sub("人民政府", name)
    given = place_tokens(clean(region)) if region else []
    own = place_tokens(name)
    if not own and given and name[:1] in "省市区县镇乡":  # 市机关事务管理局 → 洛阳市机关事务管理局
        match = next((t for t in reversed(given) if _suffix(t) == name[0]), None)
        if match:
            name = match + name[1:]
            own = [match]
    path = _join_region(given, own) if given else own
    if region and not given:
        path = [clean(region)]
    is_gov = name.endswith("人民政府") or name.endswith("街道办事处")
    level = mapped.level if mapped and mapped.level else None
    if level is None:
        level = "department"
        if is_gov and own:
            level = _LEVEL_OF_SUFFIX[_suffix(own[-1])]
    # The key keeps only the most specific place: 洛阳市孟津区财政局 and 孟津区财政局 are one body.
    key = name[len("".join(own[:-1])):] if len(own) > 1 else name
    return Identity(key=key, name=name, region="".join(path) or None, level=level, is_government=is_gov)
