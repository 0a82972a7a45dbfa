"""Reading the three tables from logical lines, driven by the template data.

The mechanism, the same for every form:

1. Label text accumulates across lines (wrapped labels, group headings, labels
   printed one character per line) until a line brings values.
2. The accumulated label is matched against the template's rows: the variant
   whose occurrence ends *latest* in the text wins (the row label sits right
   before its numbers; group headings and column headers come earlier), then
   the longest. Unfilled rows are preferred, so template order breaks ties.
3. Values are fitted to the row's column count: surplus blank cells at the edges
   are dropped, a short row is right-aligned (reports that fill only 总计), and
   values that continue on the next lines (one value per line) are collected.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ..normalize import label_key
from ..report import BLANK, NUMBER, PLACEHOLDER, TEXT, Note, Value
from ..templates import Row
from .lines import EMPTY, LABEL, NUMERIC, Line, Piece
from .lines import NUMBER as NUMBER_RE
from .lines import PLACEHOLDER as PLACEHOLDER_KIND

FUZZY_MIN_RATIO = 0.82  # difflib ratio for a label that matches no variant exactly (typos, doubled characters)
BLANK_ROW_MIN_COVER = 0.6  # a row of blank cells must be named by (mostly) its own label, not a header


def to_value(piece: Piece | None, kind: str) -> Value:
    """Convert one printed cell to a :class:`Value` of the field's kind."""
    if piece is None:
        return Value(None, "", BLANK)
    text = piece.text.strip()
    if piece.kind == EMPTY:
        return Value(None, "", BLANK, piece.source, confidence=piece.confidence)
    if piece.kind == PLACEHOLDER_KIND:
        return Value(None, text, PLACEHOLDER, piece.source, confidence=piece.confidence)
    m = NUMBER_RE.match(text)
    if not m:
        return Value(None, text, TEXT, piece.source, confidence=piece.confidence)
    digits = m.group("int").replace(",", "")
    frac = m.group("frac") or ""
    sign = "-" if m.group("sign") in ("-", "−") else ""
    if kind == "money":
        value: int | str = f"{sign}{digits}{frac}"
    elif frac and frac.strip(".0"):
        value = f"{sign}{digits}{frac}"  # a non-integer count stays as printed; the checks report it
    else:
        value = int(f"{sign}{digits}")
    return Value(value, text, NUMBER, piece.source, unit=m.group("unit"), confidence=piece.confidence)


@dataclass
class Match:
    row: Row
    end: int
    length: int
    exact: bool = True


def match_row(label: str, rows: tuple[Row, ...], filled: set[str]) -> Match | None:
    """The template row that *label* (accumulated label text, folded) names, if any."""
    best: Match | None = None
    best_rank: tuple = ()
    for order, row in enumerate(rows):
        for key in row.keys:
            pos = label.rfind(key)
            if pos < 0:
                continue
            m = Match(row, pos + len(key), len(key))
            rank = (m.end, m.length, row.key not in filled, -order)
            if rank > best_rank:
                best, best_rank = m, rank
            break  # keys are longest first: the first found is this row's best
    if best is not None:
        return best
    # No exact variant: a close one at the end of the label (typos, doubled characters).
    tail_best: tuple[float, int] = (0.0, 0)
    for order, row in enumerate(rows):
        if row.key in filled:
            continue
        for key in row.keys:
            if len(key) < 4:
                continue
            tail = label[-(len(key) + 3):]
            ratio = difflib.SequenceMatcher(None, key, tail).ratio()
            if ratio >= FUZZY_MIN_RATIO and (ratio, -order) > tail_best:
                tail_best = (ratio, -order)
                best = Match(row, len(label), len(key), exact=False)
    return best


def fit(values: list[Piece], n: int) -> tuple[list[Piece | None], str | None]:
    """Fit printed value cells to *n* columns. Returns the cells and a note kind, if any."""
    vals = list(values)
    while len(vals) > n and vals[-1].kind == EMPTY:
        vals.pop()
    while len(vals) > n and vals[0].kind == EMPTY:
        vals.pop(0)
    if len(vals) > n:
        return list(vals[:n]), "extra_values"
    if len(vals) < n:
        return [None] * (n - len(vals)) + list(vals), "short_row"
    return list(vals), None


@dataclass
class RowHit:
    row: Row
    values: list[Piece | None]
    label: str  # the row's label as printed (the line's own label cells)
    line: Line
    note: str | None = None
    extra: list[Piece] = field(default_factory=list)
    fuzzy: bool = False


def read_rows(lines: list[Line], rows: tuple[Row, ...], width: dict[str, int]) -> tuple[dict[str, RowHit], list[Note]]:
    """Assign value lines to template *rows*. ``width[row.key]`` is the row's column count."""
    hits: dict[str, RowHit] = {}
    notes: list[Note] = []
    pending: list[str] = []
    open_hit: RowHit | None = None
    gathered: list[Piece] = []

    def close() -> None:
        nonlocal open_hit, gathered
        if open_hit is not None:
            n = width[open_hit.row.key]
            open_hit.values, open_hit.note = fit(gathered, n)
            if open_hit.note == "extra_values":
                open_hit.extra = gathered[n:]
            _store(open_hit)
        open_hit, gathered = None, []

    def _store(hit: RowHit) -> None:
        if hit.row.key in hits:
            notes.append(Note("duplicate_row", source=hit.line.source,
                              data={"row": hit.row.key, "label": hit.label}))
            return
        hits[hit.row.key] = hit

    for line in lines:
        labels, values = line.split()
        own = "".join(p.text for p in labels)
        has_number = any(p.kind in (NUMERIC, PLACEHOLDER_KIND) for p in values)
        if labels:
            close()
            if not values or (not has_number and not line.is_row):
                pending.append(own)
                continue
            text = label_key("".join(pending) + own)
            m = match_row(text, rows, set(hits))
            if m is not None and not has_number:
                own_key = label_key(own)
                if not own_key or m.length < BLANK_ROW_MIN_COVER * len(own_key) or not own_key.endswith(
                    text[m.end - m.length: m.end]
                ):
                    m = None  # a header line ending in blank cells, not a row of blanks
            if m is None:
                if has_number:
                    notes.append(Note("unmatched_row", source=line.source,
                                      data={"label": own, "values": [p.text for p in values]}))
                    pending = []
                else:
                    pending.append(own)
                continue
            pending = []
            n = width[m.row.key]
            if len([v for v in values if v.kind != EMPTY]) < n and not line.is_row:
                open_hit, gathered = RowHit(m.row, [], own, line, fuzzy=not m.exact), list(values)
                continue  # values may continue on the next lines
            hit = RowHit(m.row, [], own, line, fuzzy=not m.exact)
            hit.values, hit.note = fit(values, n)
            if hit.note == "extra_values":
                hit.extra = [v for v in values if v.kind != EMPTY][n:]
            _store(hit)
        elif has_number:
            if open_hit is not None:
                gathered += values
                if len([v for v in gathered if v.kind != EMPTY]) >= width[open_hit.row.key]:
                    close()
                continue
            text = label_key("".join(pending))
            m = match_row(text, rows, set(hits)) if text else None
            pending = []
            if m is None:
                notes.append(Note("orphan_values", source=line.source, data={"values": [p.text for p in values]}))
                continue
            open_hit, gathered = RowHit(m.row, [], "", line, fuzzy=not m.exact), list(values)
            if len([v for v in gathered if v.kind != EMPTY]) >= width[m.row.key]:
                close()
    close()
    return hits, notes


def read_single_row(lines: list[Line], n: int, header_keys: frozenset[str] = frozenset()
                    ) -> tuple[list[Piece | None] | None, Line | None, str | None, list[Piece]]:
    """Table 四: one data row of *n* cells under a multi-line header.

    A line whose labels are all header labels (``结果维持 0 结果纠正 0 …``, a header
    and its values interleaved) gives all its values, not only those after the last label.
    """
    gathered: list[Piece] = []
    first: Line | None = None
    for line in lines:
        labels, values = line.split()
        if labels and header_keys and all(label_key(p.text) in header_keys for p in labels):
            values = [p for p in line.pieces if p.kind != LABEL]
        numbers = [p for p in values if p.kind in (NUMERIC, PLACEHOLDER_KIND)]
        if not numbers:
            continue
        if labels and len(numbers) < 5 and values is not line.pieces and not (
            header_keys and all(label_key(p.text) in header_keys for p in labels)
        ):
            continue  # a narrative line that happens to end in a number
        if first is None:
            first = line
        gathered += values
        if len([v for v in gathered if v.kind != EMPTY]) >= n:
            break
    if first is None:
        return None, None, None, []
    vals, note = fit(gathered, n)
    extra = [v for v in gathered if v.kind != EMPTY][n:] if note == "extra_values" else []
    return vals, first, note, extra
