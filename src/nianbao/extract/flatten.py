"""Lines that a crawler or a copy-paste ran together, taken apart again.

Some archivers save a whole web page as one line: the section headings run into
the text before and after them (``…特编制此报告：一、总体情况2022年，…``) and the
table cells lose their boundaries (``规章000行政规范性文件417第二十条第（五）项…``,
``…申请10000012.申请人逾期…`` where the ``2.`` numbers the next row). Two steps
turn such a line back into the lines the extractor reads:

* :func:`split_headings` cuts a paragraph before every section heading that stands
  inside it, and after the heading's title, so each heading is a line of its own.
* :func:`split_glued` cuts a paragraph of a table region into one line per row:
  label text, then the *run* of digits that follows it. A run is taken for the
  row's values only where the template says a row ends before it or begins after
  it (row labels, captions, numbered labels); digits inside a header such as
  ``保留4位小数`` stay text. The lines it makes are marked ``flat``: their run may
  hold several cells with no boundary printed, which :mod:`.runs` splits.

Only paragraphs are touched (table rows have real cell boundaries), and only
paragraphs that really glue digits to text: ``规章 0 0 0`` keeps its own reading.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..document import Source
from ..normalize import label_key
from ..templates import SECTIONS, TEMPLATES, run_context_keys
from .lines import LABEL, Line, Piece, classify

# ------------------------------------------------------------------ folding with positions


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    return label_key(ch)


def fold_map(text: str) -> tuple[str, list[int]]:
    """``label_key(text)`` and, for each character of it, its index in *text*."""
    folded: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for c in _fold_char(ch):
            folded.append(c)
            index.append(i)
    return "".join(folded), index


# ------------------------------------------------------------------ sub-lines


def _piece_source(line: Line, offset: int) -> Source:
    src = line.source
    if src.line is None or src.column is None:
        return src
    return Source(line=src.line, column=src.column + offset, page=src.page, bbox=src.bbox)


def sub_line(line: Line, start: int, end: int, values: tuple[int, int] | None = None) -> Line | None:
    """The part ``line.text[start:end]`` as a line of its own (None when blank).

    With *values* ``(a, b)``: ``text[a:b]`` is a run of values (its whitespace tokens
    become number pieces) and the line is marked ``flat``.
    """
    text = line.text
    pieces: list[Piece] = []
    label_end = values[0] if values else end
    for m in re.finditer(r"\S+", text[start:label_end]):
        a = start + m.start()
        pieces.append(Piece(m.group(), _piece_source(line, a), LABEL if values else classify(m.group())))
    if values:
        for m in re.finditer(r"\S+", text[values[0]:values[1]]):
            a = values[0] + m.start()
            pieces.append(Piece(m.group(), _piece_source(line, a), classify(m.group())))
    if not pieces:
        return None
    part = text[start:end].strip()
    return Line(pieces, pieces[0].source, part, False, label_key(part), flat=values is not None)


# ------------------------------------------------------------------ section headings

_MID_HEADING = re.compile(r"([一二三四五六])\s*[、.．]\s*")
_HEADING_START = re.compile(r"\s*([一二三四五六])\s*[、.．]")
MID_HEADING_SLACK = 2  # folded characters a heading inside a line may carry before its title
TOC_GAP = 3  # a heading followed this closely by the next one is a table of contents entry
_NUMBERS = "一二三四五六"


def _heading_spans(text: str, after: int) -> list[tuple[int, int, int]]:
    """``(start, title_end, number)`` of the section headings inside *text*, in order,
    numbered above *after* (the last section number seen before this line)."""
    spans: list[tuple[int, int, int]] = []
    for m in _MID_HEADING.finditer(text):
        number = _NUMBERS.index(m.group(1)) + 1
        if number <= after or (spans and number <= spans[-1][2]):
            continue
        section = SECTIONS[number - 1]
        rest, index = fold_map(text[m.end(): m.end() + 60])
        for key in section.keys:
            pos = rest.find(key)
            if 0 <= pos <= MID_HEADING_SLACK:
                end = m.end() + index[pos + len(key) - 1] + 1
                while end < len(text) and text[end] in "：:。.，, \t":
                    end += 1
                spans.append((m.start(), end, number))
                break
    # A table of contents (一、总体情况 二、主动公开…) is not a run of headings.
    toc = {i for i in range(len(spans) - 1) if spans[i + 1][0] - spans[i][1] <= TOC_GAP}
    toc |= {i + 1 for i in toc}
    return [s for i, s in enumerate(spans) if i not in toc]


def split_headings(lines: list[Line]) -> list[Line]:
    """Each section heading that stands inside a paragraph becomes a line of its own."""
    out: list[Line] = []
    last = 0
    for line in lines:
        if line.is_row or len(line.text) < 6 or not (
                _HEADING_START.match(line.text) or _MID_HEADING.search(line.text, 1)):
            out.append(line)
            continue
        spans = _heading_spans(line.text, last)
        if not spans or (len(spans) == 1 and spans[0][0] == 0 and spans[0][1] >= len(line.text)):
            out.append(line)
            if spans:
                last = spans[-1][2]
            continue
        cuts = [0]
        for start, end, _ in spans:
            cuts += [start, end]
        cuts.append(len(line.text))
        for a, b in zip(cuts, cuts[1:]):
            if b > a and (part := sub_line(line, a, b)) is not None:
                out.append(part)
        last = spans[-1][2]
    return out


# ------------------------------------------------------------------ glued table rows

# Digits, with spaces between them (a crawler keeps &nbsp; that marks no boundary), a decimal part.
_RUN = re.compile(r"\d(?:[ \t]*\d)*(?:\.\d+)?")
_NUMBERED_START = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、．.]|\d{1,2}[.．、])\s*[\u4e00-\u9fff]")
# A digit touching a label character, or a number printed with a leading zero: worth a closer look.
_MAYBE_GLUED = re.compile(r"[^\s\d.,，]\d|\d[^\s\d.,，%]|(?<![\d.])0\d")
_ZERO_LED = re.compile(r"(?<![\d.])0\d")  # "00", "01": no number is printed so, cells ran together
_GLUED_NUMBER = re.compile(r"^[.．、]\s*[\u4e00-\u9fff]")  # "2.其他…" after the run: its last digit numbers a label


@lru_cache(maxsize=1)
def _context_keys() -> tuple[tuple[str, ...], tuple[str, ...]]:
    ends, starts = run_context_keys(TEMPLATES.values())
    return tuple(sorted(ends, key=len, reverse=True)), tuple(sorted(starts, key=len, reverse=True))


def _ends_with_label(before: str) -> bool:
    key = label_key(before[-40:])
    return any(key.endswith(k) for k in _context_keys()[0])


def _starts_label(after: str) -> tuple[bool, bool]:
    """``(label, strong)``: *after* begins a numbered label, a row label or a caption (strong),
    or some other text (the end of the line counts as a label: the run closes the row)."""
    if not after.strip():
        return True, False
    if _NUMBERED_START.match(after):
        return True, True
    key = label_key(after[:40])
    if any(key.startswith(k) for k in _context_keys()[1]):
        return True, True
    return bool(key) and not key[0].isdigit(), False


def _runs(text: str) -> list[tuple[int, int]]:
    """The value runs of a glued paragraph, ``(start, end)`` in *text*; ``[]`` when nothing is glued."""
    found: list[tuple[int, int]] = []
    glued = False
    for m in _RUN.finditer(text):
        a, b = m.start(), m.end()
        after = text[b:]
        if _GLUED_NUMBER.match(after):
            if b - a < 2:
                continue  # the run is the numbering itself: 1.属于国家秘密
            b -= 1  # 00000002.其他法律…: the 2 numbers the next row
            after = text[b:]
            while text[b - 1].isspace():
                b -= 1
        if a > 0 and text[a - 1] in "第（(":
            continue
        label_after, strong = _starts_label(after)
        if not (strong or (label_after and _ends_with_label(text[:a]))):
            continue
        touches = (a > 0 and not text[a - 1].isspace()) or (b < len(text) and not text[b].isspace())
        glued = glued or touches or bool(_ZERO_LED.search(text[a:b]))
        found.append((a, b))
    return found if glued else []


def split_glued(lines: list[Line], regions: dict[str, tuple[int, int]]) -> list[Line]:
    """Paragraphs of the table regions that glue values to labels, cut into one line per row."""
    inside = {i for a, b in regions.values() for i in range(a, b)}
    out: list[Line] = []
    for i, line in enumerate(lines):
        glued = i in inside and not line.is_row and _MAYBE_GLUED.search(line.text)
        runs = _runs(line.text) if glued else []
        if not runs:
            out.append(line)
            continue
        start = 0
        for a, b in runs:
            part = sub_line(line, start, b, (a, b))
            if part is not None:
                out.append(part)
            start = b
        if start < len(line.text) and (rest := sub_line(line, start, len(line.text))) is not None:
            out.append(rest)
    return out


# ------------------------------------------------------------------ table 二 written as sentences

_PROSE_ROW = re.compile(r"^[\s\-*·•>]*(?P<label>[^：:，,。\d]{2,24})[：:]\s*(?P<rest>.*\d.*)$")
_PROSE_NUMBER = re.compile(r"(?P<num>[+\-−]?\d+(?:[,，]\d{3})*(?:\.\d+)?)\s*(?P<unit>万元|元|件|项|个|条|次)?")
_MONEY_UNITS = ("万元", "元")


@lru_cache(maxsize=1)
def _active_rows() -> dict[str, list[tuple[str, ...]]]:
    """Folded table-二 row label → the field labels (folded) of that row in each template."""
    rows: dict[str, list[tuple[str, ...]]] = {}
    for t in TEMPLATES.values():
        for row in t.active:
            for key in row.keys:
                rows.setdefault(key, []).append(tuple(label_key(f.label) for f in row.fields))
    return rows


def _field_order(words: list[str], fields: list[tuple[str, ...]]) -> list[int] | None:
    """The field each number's words name (``本年制发`` → 本年制发件数), if they name distinct fields."""
    for labels in fields:
        if len(labels) != len(words):
            continue
        picks = []
        for w in words:
            scores = [max((len(set(w) & set(f)) / max(len(f), 1)), 0) for f in labels]
            picks.append(max(range(len(labels)), key=scores.__getitem__) if max(scores) >= 0.5 else -1)
        if sorted(picks) == list(range(len(labels))):
            return picks
    return None


def prose_row(line: Line) -> Line | None:
    """``规章：本年制发0件，废止0件，现行有效0件。`` → a line of the row label and its values in field order."""
    m = _PROSE_ROW.match(line.text)
    if not m:
        return None
    fields = _active_rows().get(label_key(m.group("label")))
    if not fields:
        return None
    rest_at = m.start("rest")
    numbers = list(_PROSE_NUMBER.finditer(m.group("rest")))
    if not numbers or len(numbers) > max(len(f) for f in fields):
        return None
    words, prev = [], 0
    for n in numbers:
        words.append(label_key(m.group("rest")[prev:n.start()]))
        prev = n.end()
    order = _field_order(words, fields)
    pieces = [Piece(m.group("label").strip(), _piece_source(line, m.start("label")), LABEL)]
    values: list[Piece | None] = [None] * len(numbers)
    for i, n in enumerate(numbers):
        unit = n.group("unit") if n.group("unit") in _MONEY_UNITS else ""
        piece = Piece(n.group("num") + (unit or ""), _piece_source(line, rest_at + n.start()), classify(n.group("num")))
        values[order[i] if order else i] = piece
    pieces += [p for p in values if p is not None]
    return Line(pieces, pieces[0].source, line.text, False, line.key)


def split_prose(lines: list[Line], region: tuple[int, int] | None) -> list[Line]:
    """Table-二 rows written as sentences, within the table's region, read as rows."""
    if region is None:
        return lines
    out = list(lines)
    for i in range(*region):
        if not lines[i].is_row and (row := prose_row(lines[i])) is not None:
            out[i] = row
    return out
