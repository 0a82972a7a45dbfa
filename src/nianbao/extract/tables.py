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
4. Flattened PDF text (see :func:`read_rows`): a label may be printed in two pieces around a
   neighbouring vertical cell (:func:`gapped_find`) or around its own values (the next
   label-only line is its continuation); a block of labels followed by a run of values, or a
   run followed by its labels, is dealt out in template order only when the counts agree exactly.
5. Rows a label placed surely (on their own line, nothing unexplained after it) anchor an
   order-anchored alignment (:mod:`.align`): value rows no label placed take the free slots
   between anchors (:func:`_place_by_order`). A ``flat`` line's digit run is split into cells
   by :mod:`.runs`.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..normalize import label_key
from ..report import BLANK, NUMBER, PLACEHOLDER, TEXT, Note, Value
from ..templates import Row, header_words
from .align import Observed, Slot, align
from .lines import EMPTY, LABEL, NUMERIC, UNRESOLVED, Line, Piece
from .lines import NUMBER as NUMBER_RE
from .lines import PLACEHOLDER as PLACEHOLDER_KIND
from .regroup import Group
from .runs import Run, run_candidates

FUZZY_MIN_RATIO = 0.82  # difflib ratio for a label that matches no variant exactly (typos, doubled characters)
MIN_PREFIX = 6  # a label cut by a page break must keep at least this many characters …
PREFIX_MIN_SHARE = 0.6  # … and this share of the row label to name the row
MIN_UNEXPLAINED_TAIL = 4  # label characters after an exact row label that call for a closer look
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
    if piece.kind == UNRESOLVED:
        return Value(None, text, UNRESOLVED, piece.source)
    m = NUMBER_RE.match(text)
    if not m:
        return Value(None, text, TEXT, piece.source, confidence=piece.confidence)
    digits = m.group("int").replace(",", "").replace("，", "")
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
    start: int = -1  # where the match begins in the label text (-1: unknown, fuzzy)


MAX_GAP = 8  # foreign characters a wrapped label may carry inside it (本年/无法提供, 理 of a vertical cell)
MIN_GAPPED_KEY = 6  # shorter keys are too generic to be found in two pieces
MIN_GAPPED_PART = 2


def gapped_find(label: str, key: str) -> tuple[int, int] | None:
    """``(start, end)`` of *key* printed in two pieces with a short foreign run between them.

    Why: PDF text tools put the lines of a vertically merged cell (``三、本年度办理结果``,
    ``（六）其他处理``) between the wrapped lines of the row label beside it, so
    ``2.申请人逾期未按收费通知要求缴纳费用`` reads ``…要求缴理纳费用`` or ``…收费其他处理通知…``.
    One gap of at most :data:`MAX_GAP` characters, both pieces at least
    :data:`MIN_GAPPED_PART` long; the latest-ending occurrence wins.
    """
    if len(key) < MIN_GAPPED_KEY:
        return None
    best: tuple[int, int] | None = None
    for k in range(MIN_GAPPED_PART, len(key) - MIN_GAPPED_PART + 1):
        head, tail = key[:k], key[k:]
        pos = label.rfind(tail)
        if pos < 0:
            continue
        i = label.rfind(head, max(0, pos - MAX_GAP - k), pos - 1)
        if i < 0 or any(c.isdigit() for c in label[i + k:pos]) or key in label[i:pos + len(tail)]:
            continue  # the gap holds the next row's numbering, or the key stands whole in it
        if best is None or pos + len(tail) > best[1]:
            best = (i, pos + len(tail))
    return best


def match_row(label: str, rows: tuple[Row, ...], filled: set[str]) -> Match | None:
    """The template row that *label* (accumulated label text, folded) names, if any."""
    best: Match | None = None
    best_rank: tuple = ()
    for order, row in enumerate(rows):
        for key in row.keys:
            pos = label.rfind(key)
            if pos < 0:
                continue
            m = Match(row, pos + len(key), len(key), start=pos)
            rank = (m.end, m.length, row.key not in filled, -order)
            if rank > best_rank:
                best, best_rank = m, rank
            break  # keys are longest first: the first found is this row's best
    if best is None or best.end < len(label):
        # Text after the best label: a row label interleaved with a neighbouring cell may end later.
        for order, row in enumerate(rows):
            for key in row.keys:
                found = gapped_find(label, key)
                if found is None:
                    continue
                m = Match(row, found[1], len(key), start=found[0])
                rank = (m.end, m.length, row.key not in filled, -order)
                if rank > best_rank:
                    best, best_rank = m, rank
                break
    if best is not None and best.end == len(label):
        return best
    # The label ends in the start of a row label (a row cut by a page break: the rest of its label cell
    # is printed on the next page, after the repeated header). Only a long, unique prefix counts.
    cut: list[Match] = []
    for row in rows:
        if row.key in filled:
            continue
        for key in row.keys:
            for k in range(len(key) - 1, max(MIN_PREFIX, int(PREFIX_MIN_SHARE * len(key) + 0.999)) - 1, -1):
                if label.endswith(key[:k]):
                    cut.append(Match(row, len(label), k, exact=False, start=len(label) - k))
                    break
            else:
                continue
            break
    if len(cut) == 1 and (best is None or cut[0].start >= best.end):
        return cut[0]
    if best is not None and len(_unexplained(label[best.end:])) < MIN_UNEXPLAINED_TAIL:
        return best
    # No exact variant at the end: a close one there (typos, doubled characters) beats an exact
    # one that ends well before (a column header such as 总计 in the text before a damaged label).
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


def row_chain(label: str, rows: tuple[Row, ...], filled: set[str], last: Match) -> list[Match]:
    """The rows a block of labels names, in template order, ending with *last* (its latest row).

    Why: text tools that read a table column by column print several row labels and then
    all their values (``（一）予以公开 （二）部分公开… 1.属于国家秘密`` then 21 numbers).
    Going back from *last*, an earlier unfilled row whose label ends before the kept one
    begins and which comes earlier in the template joins the chain; group headings such
    as ``（六）其他处理`` that overlap a kept label never do.
    """
    order = {row.key: i for i, row in enumerate(rows)}
    found: list[Match] = []
    for row in rows:
        if row.key in filled or row.key == last.row.key:
            continue
        before = label[: max(0, last.start)]
        for key in row.keys:
            pos = before.rfind(key)
            span = (pos, pos + len(key)) if pos >= 0 else gapped_find(before, key)
            if span is not None:
                found.append(Match(row, span[1], len(key), start=span[0]))
                break
    chain = [last]
    for m in sorted(found, key=lambda m: (m.end, m.length), reverse=True):
        if m.end <= chain[0].start and order[m.row.key] < order[chain[0].row.key]:
            chain.insert(0, m)
    return chain


def fit(values: list[Piece], n: int) -> tuple[list[Piece | None], str | None]:
    """Fit printed value cells to *n* columns. Returns the cells and a note kind, if any."""
    vals = list(values)
    while len(vals) > n and vals[-1].kind == EMPTY:
        vals.pop()
    while len(vals) > n and vals[0].kind == EMPTY:
        vals.pop(0)
    if len(vals) > n and sum(v.kind != EMPTY for v in vals) == n:
        # More cells than columns but exactly one printed value per column: the empty cells are gaps
        # a tool's column detection cut between values (「11 | 0 |  | 0 | 0 |  | 0」), not blank cells.
        vals = [v for v in vals if v.kind != EMPTY]
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
    run: Run | None = None  # the glued run its cells were split from (flat lines)
    strong: bool = False  # named by the label printed on its own line (an anchor for the alignment)
    evidence: str = ""  # the folded label text it was matched on
    via: str | None = None  # order | similar-label: placed by the alignment (extract/align.py)


def _label_only(line: Line) -> str | None:
    """The label text of a line that prints labels and no value at all, else None."""
    labels, values = line.split()
    if not labels or any(p.kind != EMPTY for p in values) or any(p.kind != LABEL for p in line.pieces if p.text):
        return None
    return "".join(p.text for p in labels)


def read_rows(lines: list[Line], rows: tuple[Row, ...], width: dict[str, int],
              kinds: dict[str, list[str]] | None = None) -> tuple[dict[str, RowHit], list[Note]]:
    """Assign value lines to template *rows*. ``width[row.key]`` is the row's column count,
    ``kinds[row.key]`` the kinds of its cells (all counts when not given).

    Beyond one label per value line, three layouts of flattened tables are read:

    * a label wrapped *around* its values (``3.危及“三安全一稳`` / numbers / ``定”``, the numbers
      vertically centred in a two-line cell): when the label so far names no row completely, the
      next label-only line is tried as its continuation and consumed when a row label straddles
      the two;
    * several row labels and then all their values (a column-by-column reading): when the run of
      one-value lines holds exactly the widths of the last rows the label block names, in
      template order, the values are dealt out to them in order;
    * values first and the labels after them (the last rows of a column-by-column reading): the
      surplus of a run waits, and is dealt out at the end of the table to the rows the labels
      after it name, when the counts agree exactly. Otherwise it stays ``extra_values``.

    A ``flat`` line (cut out of a glued paragraph) carries its row's whole value run: its
    digits are split into the row's cells by :func:`~.runs.run_candidates`.
    """
    hits: dict[str, RowHit] = {}
    notes: list[Note] = []
    pending: list[str] = []
    open_hit: RowHit | None = None
    gathered: list[Piece] = []
    chain: tuple[str, Match] | None = None  # the label block the open hit was named in (resolved lazily)
    backlog: list[Piece] = []
    backlog_hit: RowHit | None = None
    order = {row.key: i for i, row in enumerate(rows)}
    group_keys = {label_key(row.group) for row in rows if row.group}
    skip = -1  # index of a line consumed as the continuation of the label before it
    blank_hit: RowHit | None = None  # the last row stored with blank cells only (its values may follow)
    # value rows no label placed: (line index, order within the line, line, label text, values, note)
    leftovers: list[tuple[int, int, Line, str, list[Piece], Note]] = []
    position = {id(line): i for i, line in enumerate(lines)}

    def chain_of(block: tuple[str, Match] | None) -> list[Match]:
        if block is None:
            return []
        text, last = block
        return row_chain(text, rows, set(hits), last) if last.start >= 0 else [last]

    def widths(ms: list[Match]) -> int:
        return sum(width[m.row.key] for m in ms)

    def settle_backlog() -> None:
        nonlocal backlog, backlog_hit
        if backlog and backlog_hit is not None:
            n = width[backlog_hit.row.key]
            if len(backlog) % n == 0:  # whole rows whose labels stand elsewhere: the alignment places them
                at = position[id(backlog_hit.line)]
                for k in range(0, len(backlog), n):
                    note = Note("orphan_values", source=backlog[k].source,
                                data={"values": [p.text for p in backlog[k:k + n]]})
                    notes.append(note)
                    leftovers.append((at, 50 + k // n, backlog_hit.line, "", backlog[k:k + n], note))
            else:
                backlog_hit.note, backlog_hit.extra = "extra_values", list(backlog)
        backlog, backlog_hit = [], None

    def close() -> None:
        nonlocal open_hit, gathered, chain, backlog, backlog_hit
        if open_hit is None:
            return
        n = width[open_hit.row.key]
        flat = all(p.kind != EMPTY for p in gathered) and not open_hit.line.is_row
        named = chain_of(chain) if flat and (backlog or len(gathered) > n) else []
        if flat and backlog and backlog_hit is not None:
            later = [m for m in named if order[m.row.key] > order[backlog_hit.row.key]]
            if len(later) > 1 and widths(later) == len(backlog) + len(gathered):
                gathered, named = backlog + gathered, later  # values of rows whose labels came after them
                backlog, backlog_hit = [], None
        settle_backlog()
        if flat and len(gathered) > n:
            for j in range(len(named), 1, -1):
                if widths(named[-j:]) == len(gathered):
                    at = 0
                    for m in named[-j:]:
                        w = width[m.row.key]
                        _store(RowHit(m.row, gathered[at:at + w], open_hit.label, open_hit.line, fuzzy=not m.exact))
                        at += w
                    open_hit, gathered, chain = None, [], None
                    return
            backlog, backlog_hit = gathered[n:], open_hit
            gathered = gathered[:n]
        open_hit.values, open_hit.note = fit(gathered, n)
        if open_hit.note == "extra_values":
            open_hit.extra = gathered[n:]
        _store(open_hit)
        open_hit, gathered, chain = None, [], None

    def _store(hit: RowHit) -> None:
        nonlocal blank_hit
        if hit.row.key in hits:
            notes.append(Note("duplicate_row", source=hit.line.source,
                              data={"row": hit.row.key, "label": hit.label}))
            return
        hits[hit.row.key] = hit
        blank_hit = hit if hit.line.is_row and all(p is None or p.kind == EMPTY for p in hit.values) else None

    def flat_hit(m: Match, own: str, line: Line, values: list[Piece], text: str = "") -> bool:
        """Store the row of a flat line from its value run; False when the values are no run."""
        run = run_candidates(values, kinds_of(m.row.key))
        if run is None:
            return False
        settle_backlog()
        hit = RowHit(m.row, run.cells(), own, line, fuzzy=not m.exact, run=run,
                     strong=_anchors(m, text, own, lambda: chain_of((text, m))), evidence=text)
        _store(hit)
        return True

    def kinds_of(key: str) -> list[str]:
        return (kinds or {}).get(key) or ["count"] * width[key]

    def match(text: str, index: int) -> Match | None:
        """The row *text* names, reading the next label-only line as its continuation if need be."""
        nonlocal skip
        m = match_row(text, rows, set(hits))
        if (m is None or m.end < len(text) or not m.exact) and index + 1 < len(lines):
            cont = _label_only(lines[index + 1])
            if cont and not _header_line(lines[index + 1].split()[0]):
                longer = match_row(text + label_key(cont), rows, set(hits))
                straddles = longer is not None and 0 <= longer.start < len(text) < longer.end
                # the values printed between a label's first characters and the rest that names the row,
                # unless the label after them waits for values of its own on the next line
                after = m is None and longer is not None and longer.end == len(text) + len(label_key(cont)) and (
                    index + 2 >= len(lines) or lines[index + 2].split()[0])
                if longer is not None and longer.exact and (straddles or after):
                    skip = index + 1
                    return longer
        return m

    for index, line in enumerate(lines):
        if index == skip:
            continue
        labels, values = line.split()
        own = "".join(p.text for p in labels)
        has_number = any(p.kind in (NUMERIC, PLACEHOLDER_KIND) for p in values)
        if labels:
            close()
            if not has_number and _header_line(labels):
                continue  # a (repeated) column header names no row
            if not values or (not has_number and not line.is_row):
                pending.append(own)
                continue
            if has_number and blank_hit is not None and _continues(blank_hit, own, rows, hits):
                # A wrapped label printed as rows of blank cells whose middle piece carries the values
                # (「1、申请人…逾期不补」 / 「正、行政机关…政府信」 67 3 0 … / 「息公开申请」).
                blank_hit.values, blank_hit.note = fit(values, width[blank_hit.row.key])
                blank_hit.line, blank_hit, pending = line, None, []
                continue
            text = label_key("".join(pending) + own)
            m = match(text, index) if has_number else match_row(text, rows, set(hits))
            if m is not None and not has_number:
                own_key = label_key(own)
                if not own_key or m.length < BLANK_ROW_MIN_COVER * len(own_key) or not own_key.endswith(
                    text[m.end - m.length: m.end]
                ):
                    m = None  # a header line ending in blank cells, not a row of blanks
                elif m.start < 0:
                    m = None  # only a resemblance (fuzzy): too little to call a row of blanks a row
                elif own_key in group_keys:
                    # A group heading printed as a row of its own (（六）其他处理 + blank cells) instead of a
                    # merged cell beside its sub-rows: it names the rows below, it is not a blank data row.
                    m = None
            if m is None:
                if has_number:
                    note = Note("unmatched_row", source=line.source,
                                data={"label": own, "values": [p.text for p in values]})
                    notes.append(note)
                    leftovers.append((index, 0, line, text, values, note))
                    pending = []
                else:
                    pending.append(own)
                continue
            block = (text, m)
            pending = []
            n = width[m.row.key]
            if line.flat and has_number and flat_hit(m, own, line, values, text):
                continue
            strong = _anchors(m, text, own, lambda b=block: chain_of(b))
            if len([v for v in values if v.kind != EMPTY]) < n and not line.is_row:
                open_hit, gathered = RowHit(m.row, [], own, line, fuzzy=not m.exact, strong=strong,
                                            evidence=text), list(values)
                chain = block
                continue  # values may continue on the next lines
            settle_backlog()
            hit = RowHit(m.row, [], own, line, fuzzy=not m.exact, strong=strong, evidence=text)
            hit.values, hit.note = fit(values, n)
            if hit.note == "extra_values":
                hit.extra = [v for v in values if v.kind != EMPTY][n:]
            _store(hit)
        elif has_number:
            if open_hit is not None:
                gathered += values
                if line.is_row and len([v for v in gathered if v.kind != EMPTY]) >= width[open_hit.row.key]:
                    close()
                continue
            text = label_key("".join(pending))
            own_row = match_row(text, rows, set(hits)) if text else None
            if blank_hit is not None and (own_row is None or not own_row.exact
                                          or own_row.row.key == blank_hit.row.key):
                # A wrapped label printed as rows of its own, blank cells beside each piece, then the
                # values: they belong to the row its first piece named.
                blank_hit.values, blank_hit.note = fit(values, width[blank_hit.row.key])
                blank_hit.line, blank_hit, pending = line, None, []
                continue
            m = match(text, index) if text else None
            if m is None:
                pending = []
                note = Note("orphan_values", source=line.source, data={"values": [p.text for p in values]})
                notes.append(note)
                leftovers.append((index, 0, line, text, values, note))
                continue
            chain = (text, m)
            pending = []
            if line.flat and flat_hit(m, "", line, values, text):
                continue
            open_hit, gathered = RowHit(m.row, [], "", line, fuzzy=not m.exact, evidence=text,
                                        strong=_anchors(m, text, "", lambda c=chain: chain_of(c))), list(values)
            if line.is_row and len([v for v in gathered if v.kind != EMPTY]) >= width[m.row.key]:
                close()
    close()
    if backlog and backlog_hit is not None and pending:
        text = label_key("".join(pending))
        last = match_row(text, rows, set(hits))
        if last is not None and last.exact and order[last.row.key] > order[backlog_hit.row.key]:
            block = [m for m in chain_of((text, last)) if order[m.row.key] > order[backlog_hit.row.key]]
            if widths(block) == len(backlog):
                at = 0
                for m in block:
                    w = width[m.row.key]
                    _store(RowHit(m.row, backlog[at:at + w], "", backlog_hit.line))
                    at += w
                backlog, backlog_hit = [], None
    settle_backlog()
    _place_by_order(position, rows, width, kinds_of, hits, leftovers, notes)
    return hits, notes


_HEADER_WORDS = header_words()
_TRAILING_DIGITS = re.compile(r"\d+$")


_HEADER_WORDS_LONGEST_FIRST = sorted(_HEADER_WORDS, key=len, reverse=True)


def _continues(hit: RowHit, own: str, rows: tuple[Row, ...], hits: dict[str, RowHit]) -> bool:
    """*own* is the next piece of the wrapped label *hit* was named by: the two together still name
    *hit*'s row (further into its label), and *own* alone names no other row."""
    piece = label_key(own)
    if not piece:
        return False
    alone = match_row(piece, rows, set(hits))
    if alone is not None and alone.exact and alone.row.key != hit.row.key and alone.length >= len(piece) - 1:
        return False
    before = label_key(hit.label)
    joined = match_row(before + piece, rows, set(hits) - {hit.row.key})
    return joined is not None and joined.row.key == hit.row.key and joined.end > len(before)


def _unexplained(tail: str) -> str:
    """What is left of label text once the column-header words in it are taken out."""
    for word in _HEADER_WORDS_LONGEST_FIRST:
        if word in tail:
            tail = tail.replace(word, "")
    return tail


def _header_line(labels: list[Piece]) -> bool:
    """A line of two or more column-header words and nothing else (「类别 数据1 数据2 … 总计」)."""
    return len(labels) >= 2 and all(
        _TRAILING_DIGITS.sub("", label_key(p.text)) in _HEADER_WORDS for p in labels)


def _anchors(m: Match, text: str, own: str, chain) -> bool:
    """Whether a row placed by its label is sure enough to anchor the alignment: its label is on the
    value line itself, or is the only row label in the text before it (*chain*, computed only when
    needed), and nothing unexplained follows."""
    if len(_unexplained(text[m.end:])) >= MIN_UNEXPLAINED_TAIL:
        return False
    return _own_match(m, text, own) or 0 <= m.start < MIN_GAPPED_KEY or len(chain()) == 1


def _own_match(m: Match, text: str, own: str) -> bool:
    """Whether the matched row label ends inside the line's own label (not only in earlier lines)."""
    return bool(own) and m.end > len(text) - len(label_key(own))


def _place_by_order(position: dict[int, int], rows: tuple[Row, ...], width: dict[str, int], kinds_of,
                    hits: dict[str, RowHit], leftovers: list, notes: list[Note]) -> None:
    """Give value rows that no label placed (or only a weak one) their slot by template order."""
    if not leftovers and all(h.strong for h in hits.values()):
        return
    slot_of = {row.key: i for i, row in enumerate(rows)}
    slots = [Slot(row.keys, width[row.key]) for row in rows]
    observed: dict[int, tuple[Observed, RowHit | tuple]] = {}
    for key, hit in hits.items():
        index = position.get(id(hit.line), -1) * 100 + slot_of[key] % 100
        printed = [p for p in hit.values if p is not None and p.kind != EMPTY]
        o = Observed(index, hit.evidence or label_key(hit.label), len(printed) or 1, slot_of[key], hit.strong,
                     hit.run is not None)
        observed[index] = (o, hit)
    for lo in leftovers:
        index, sub, line, text, values, _ = lo
        n = len([v for v in values if v.kind != EMPTY])
        observed[index * 100 + sub] = (Observed(index * 100 + sub, text, n, None, False, line.flat), lo)
    moves = align([o for o, _ in observed.values()], slots)
    if not moves:
        return
    for index in moves:  # free the slots of the rows that move
        _, what = observed[index]
        if isinstance(what, RowHit) and hits.get(what.row.key) is what:
            del hits[what.row.key]
    for index, (slot, how) in sorted(moves.items()):
        _, what = observed[index]
        row = rows[slot]
        if row.key in hits:
            continue
        if isinstance(what, RowHit):
            printed = [p for p in what.values if p is not None]
            line, label, evidence, run = what.line, what.label, what.evidence, what.run
        else:
            _, _, line, evidence, printed, note = what
            label, run = "", None
            if note in notes:
                notes.remove(note)
        hit = RowHit(row, [], label, line, fuzzy=True, evidence=evidence, via=how)
        if run is not None or line.flat:
            run = run_candidates(printed if run is None else run.pieces, kinds_of(row.key))
        if run is not None:
            hit.values, hit.run = run.cells(), run
        else:
            hit.values, hit.note = fit(printed, width[row.key])
        hits[row.key] = hit
        if how == "order":
            notes.append(Note("placed_by_order", source=line.source,
                              data={"row": row.key, "label": label, "values": [p.text for p in printed if p]}))


def read_single_row(lines: list[Line], n: int, header_keys: frozenset[str] = frozenset(),
                    groups: list[Group] | None = None,
                    ) -> tuple[list[Piece | None] | None, Line | None, str | None, list[Piece], Run | None]:
    """Table 四: one data row of *n* cells under a multi-line header.

    A line whose labels are all header labels (``结果维持 0 结果纠正 0 …``, a header
    and its values interleaved) gives all its values, not only those after the last label.
    The values of a ``flat`` line are one run of digits, split by :func:`~.runs.run_candidates`.
    When *groups* is given it receives the values as printed groups, each with the text printed
    before it (for :func:`~.regroup.regroup`, when the order turns out wrong).
    """
    gathered: list[Piece] = []
    first: Line | None = None
    said: list[str] = []
    for line in lines:
        labels, values = line.split()
        if labels and header_keys and all(label_key(p.text) in header_keys for p in labels):
            values = [p for p in line.pieces if p.kind != LABEL]
        numbers = [p for p in values if p.kind in (NUMERIC, PLACEHOLDER_KIND)]
        if not numbers:
            said.append(line.text)
            continue
        if labels and len(numbers) < 5 and values is not line.pieces and not line.flat and not (
            header_keys and all(label_key(p.text) in header_keys for p in labels)
        ):
            said.append(line.text)
            continue  # a narrative line that happens to end in a number
        if first is None:
            first = line
        gathered += values
        if groups is not None:
            said += [p.text for p in labels]
            if said or not groups:
                groups.append(Group("".join(said), []))
                said = []
            groups[-1].pieces += [v for v in values if v.kind != EMPTY]
        if first.flat or len([v for v in gathered if v.kind != EMPTY]) >= n:
            break
    if first is None:
        return None, None, None, [], None
    if first.flat and (run := run_candidates(gathered, ["count"] * n)) is not None:
        return list(run.cells()), first, None, [], run
    vals, note = fit(gathered, n)
    extra = [v for v in gathered if v.kind != EMPTY][n:] if note == "extra_values" else []
    return vals, first, note, extra, None
