"""Agency, year and title: from the title line, repaired from the body when damaged."""
from __future__ import annotations

import re
from collections import Counter

from .lines import Line

TITLE_WINDOW = 60  # the title is among the first lines (after a section heading, in some extractions)
_TITLE = re.compile(
    r"(?P<year>20\d{2})\s*年\s*度?\s*(?P<mid>.{0,40}?)(政府信息公开|政务公开|信息公开)\s*(工作)?\s*(的)?\s*(年度报告|年报|工作报告)"
)
_CJK_RUN_BEFORE = re.compile(r"([\u4e00-\u9fff]{1,6})\Z")
_LEAD_WORDS = ("根据", "按照", "依据", "关于", "全年", "今年", "我们", "年", "月", "日", "在", "由", "对", "经", "向", "的",
               "及", "和", "与", "是", "为", "我", "了", "据", "将", "把")
_TRUNCATED_START = tuple("市区县镇乡州旗盟")
_CLEAN = re.compile(r"[#*\s《》<>“”\"'【】\[\]]")


def find_title(lines: list[Line], doc_title: str | None = None) -> tuple[str | None, int | None]:
    """The title text and its line index (None when it came from the container's metadata)."""
    window = lines[:TITLE_WINDOW]
    for i, line in enumerate(window):
        if len(line.text) <= 80 and _TITLE.search(line.text.replace(" ", "")):
            return line.text.strip(), i
        if i + 1 < len(window) and not line.is_row:
            # A title wrapped by the extraction tool (…工作年度报 / 告): the two lines read as one.
            nxt = window[i + 1].text.strip()
            joined = line.text.strip() + nxt
            if len(joined) <= 80 and not _TITLE.search(nxt.replace(" ", "")) and _TITLE.search(
                    joined.replace(" ", "")):
                return joined, i
    if doc_title and _TITLE.search(doc_title.replace(" ", "")):
        return doc_title.strip(), None
    return None, None


# Words before or after the agency in a title; a crawler's field name (标题: …) before it.
_TITLE_JUNK = re.compile(r"^(?:(?:标题|题名|名称|主题|文章标题)[:：])?(?:关于|印发|公布|发布)*|(?:关于|印发|公布|发布|的)+$")
_SEPARATORS = "：:，,、-—_|（）() "


def parse_title(title: str) -> tuple[str | None, int | None]:
    """``(agency, year)`` as the title prints them.

    The agency stands before the year (洛阳市XX局2022年…), between the year and the report name
    (2022年度洛阳市XX局政府信息公开…), or — in page titles — after it (…年度报告_洛阳市XX局).
    """
    flat = _CLEAN.sub("", title)
    m = _TITLE.search(flat)
    if not m:
        return None, None
    agency = _TITLE_JUNK.sub("", (flat[:m.start()] or m.group("mid")).strip(_SEPARATORS))
    if not agency:
        after = flat[m.end():].strip(_SEPARATORS)
        if 2 < len(after) <= 30 and _AGENCY_SUFFIX.search(after):
            agency = after
    return (agency or None), int(m.group("year"))


def complete_agency(agency: str, body: str) -> str:
    """Restore a name the title lost its place name from (市机关事务管理局 → 洛阳市机关事务管理局).

    Only when the name starts with a bare level word (市, 区, 县 …): the body is
    searched for the same name with a place name before it, and the most frequent
    prefix wins.
    """
    if not agency.startswith(_TRUNCATED_START):
        return agency
    prefixes: Counter[str] = Counter()
    start = 0
    while (pos := body.find(agency, start)) != -1:
        start = pos + 1
        m = _CJK_RUN_BEFORE.search(body[max(0, pos - 6): pos])
        if not m:
            continue
        prefix = m.group(1)
        for word in _LEAD_WORDS:
            if word in prefix:
                prefix = prefix[prefix.rfind(word) + len(word):]
        if len(prefix) >= 2:
            prefixes[prefix] += 1
    if prefixes:
        return prefixes.most_common(1)[0][0] + agency
    return agency


_AGENCY_SUFFIX = re.compile(r"(局|委员会|委|办公室|办|厅|中心|人民政府|政府|院|会|所|站|部|署|处|街道办事处|管委会|公司)$")
_COMPILED_BY = re.compile(r"本(?:年度)?报告(?:是)?由([\u4e00-\u9fff（）()]{2,30}?)(?:根据|依据|按照|依照|编制|制作)")


def agency_near_title(lines: list[Line], title_idx: int | None, body: str) -> str | None:
    """The agency when the title line names none: the short line above it, or 本报告由…编制."""
    if title_idx is not None:
        for line in reversed(lines[max(0, title_idx - 2): title_idx]):
            name = _CLEAN.sub("", line.text)
            if 2 < len(name) <= 30 and _AGENCY_SUFFIX.search(name):
                return name
    m = _COMPILED_BY.search(body)
    return m.group(1) if m else None


_YEAR_MENTION = re.compile(r"(20\d{2})\s*年")


def year_mentions(text: str) -> Counter[int]:
    return Counter(int(y) for y in _YEAR_MENTION.findall(text))


def guess_year(text: str) -> int | None:
    """A report year when the title has none: the statistics period, else the most cited year."""
    m = re.search(r"(20\d{2})\s*年\s*1\s*月\s*1\s*日\s*(至|到|-|—)\s*(20\d{2}\s*年\s*)?12\s*月\s*31\s*日", text)
    if m:
        return int(m.group(1))
    counts = year_mentions(text)
    return counts.most_common(1)[0][0] if counts else None
