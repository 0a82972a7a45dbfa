"""Finding the six numbered sections by their headings (template data, FORMAT.md E.1)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..normalize import label_key
from ..templates import SECTIONS, Section
from .lines import Line

# 一、总体情况 / ## 一．总体情况 / **一 总体情况** / 第一部分 总体情况
_HEADING = re.compile(r"^[#\s*【\[]*(?:第\s*)?([一二三四五六])\s*(?:部分)?\s*[、.．,，:：】\]]?\s*(.*)$")
_NEXT_NUMBER = re.compile(r"[二三四五六]\s*[、.．]")
HEADING_SLACK = 6  # characters a heading may carry before its title (e.g. 政府信息公开工作…)
SHORT_HEADING = 40  # a line this short may carry more before its title (一、2022年政府信息公开工作总体情况)
SHORT_HEADING_SLACK = 16


@dataclass(slots=True)
class Heading:
    section: Section
    index: int  # line index
    text: str


def find_headings(lines: list[Line]) -> list[Heading]:
    """Section headings in reading order, at most one per section (the first that keeps order)."""
    found: dict[str, Heading] = {}
    for i, line in enumerate(lines):
        text = line.pieces[0].text if line.is_row and line.pieces else line.text
        if line.is_row and len([p for p in line.pieces if p.text.strip()]) > 1:
            continue  # a table row such as 四、结转下年度继续办理 0 0 …
        m = _HEADING.match(text)
        if not m:
            continue
        number, rest = m.groups()
        if _NEXT_NUMBER.search(rest):
            continue  # a table of contents line: 一、总体情况 二、主动公开…
        key = label_key(rest)
        for section in SECTIONS:
            if section.number != number or section.key in found:
                continue
            slack = SHORT_HEADING_SLACK if len(key) <= SHORT_HEADING else HEADING_SLACK
            if any(k in key[: len(k) + slack] for k in section.keys):
                found[section.key] = Heading(section, i, text)
            break
    return sorted(found.values(), key=lambda h: h.index)
