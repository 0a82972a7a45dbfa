"""Page geometry: characters and ruling lines → text lines and table grids.

Pure geometry on plain records (no PDF library here), in small steps after
pdfplumber's table finder, each testable alone:

    chars  → :func:`group_lines` → :class:`TextLine` (words rebuilt from gaps)
    rules  → :func:`snap_edges` → :func:`merge_edges` → :func:`edge_components`
           → :func:`build_grid` (fine grid of every ruling position; a missing
             outer rule, such as the top rule Chromium omits on a continuation
             page, is supplied from the ends of the perpendicular rules)
           → :func:`span_regions` (fine cells with no rule between them are one
             merged cell) → :func:`fill_grid` (characters into cells)
    loose chars → :func:`vertical_stacks` (an unruled merged cell printed one
             character per line) → :func:`aligned_rows` (unruled tables)

Coordinates are PDF points with the origin at the top-left of the visible page
(``x0, top, x1, bottom``), as the page is displayed (rotation applied).
Every tolerance is a named constant below.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

# --- tolerances (PDF points unless the name says "EM" = multiple of the font size) -------------------
AXIS_TOL = 1.0  # a segment whose ends differ by at most this across is horizontal / vertical
RULE_MAX_THICKNESS = 3.0  # a filled rectangle thinner than this is a drawn rule, thicker is a background
MIN_RULE_LENGTH = 2.0  # shorter rule pieces are dots or glyph decorations (after joining)
SNAP_TOL = 2.0  # rules this close across are the same ruling line (double borders, rounding)
JOIN_TOL = 2.5  # collinear pieces with a gap up to this are one rule (dashed lines, per-cell borders)
INTERSECT_TOL = 2.5  # a rule that stops this short of another still meets it
COVER_MIN = 0.5  # a boundary exists between two fine cells when rules cover this share of it
MIN_GRID_STEP = 4.0  # synthetic outer rules are only added when they make a row/column at least this big
CELL_PAD = 1.0  # a character whose centre is this far outside the grid still belongs to it
GRID_SPILL_EM = 0.1  # a character reaching this close (× its size) over an *undrawn* top/bottom rule belongs to
#                      the edge row: Chromium lets the text of a row split by a page break overflow the page's end
LINE_OVERLAP = 0.5  # characters share a line when they overlap vertically by this share of the smaller
CHAIN_HEIGHT = 1.5  # a line band taller than this × its tallest character may have chained two printed lines
WORD_GAP_EM = 0.25  # a horizontal gap over this (× font size) separates two words
CJK_GAP_EM = 1.0  # … but between two CJK characters only a gap over this does (justified text)
COLUMN_GAP_EM = 1.5  # a gap over this separates two aligned columns of a line
ALIGN_MIN_ROWS = 2  # lines with values in columns form an unruled table when at least this many are together
ALIGN_MAX_SKIP = 2  # … allowing this many other lines (wrapped labels, headers) between two of them
STACK_MIN_CHARS = 3  # single characters one per line, at least this many, are one cell's text printed downwards
STACK_ALIGN_EM = 0.3  # … their centres this close across (× size)
STACK_PITCH_EM = 2.5  # … each at most this far below the previous one (× size)
STACK_ISOLATION_EM = 0.5  # … and each this far from the characters beside it on its line (× size)
STACK_BREAK = 1.4  # a gap over this × the column's usual pitch ends one downward cell and starts the next


@dataclass(slots=True)
class Char:
    """One printed character with its box (display coordinates, points)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def size(self) -> float:
        return max(self.bottom - self.top, 0.1)

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Edge:
    """A straight ruling line. Horizontal: ``top == bottom``; vertical: ``x0 == x1``."""

    orient: str  # "h" | "v"
    x0: float
    top: float
    x1: float
    bottom: float
    synthetic: bool = False  # supplied by build_grid, not drawn

    @property
    def pos(self) -> float:
        """Position across the edge (y for horizontal, x for vertical)."""
        return self.top if self.orient == "h" else self.x0

    @property
    def start(self) -> float:
        return self.x0 if self.orient == "h" else self.top

    @property
    def end(self) -> float:
        return self.x1 if self.orient == "h" else self.bottom


@dataclass(slots=True)
class TextLine:
    """Characters sharing a baseline, left to right."""

    chars: list[Char]
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0

    def __post_init__(self) -> None:
        self.x0 = min(c.x0 for c in self.chars)
        self.x1 = max(c.x1 for c in self.chars)
        self.top = min(c.top for c in self.chars)
        self.bottom = max(c.bottom for c in self.chars)

    @property
    def size(self) -> float:
        sizes = sorted(c.size for c in self.chars)
        return sizes[len(sizes) // 2]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)

    @property
    def text(self) -> str:
        return chars_text(self.chars)

    def segments(self) -> list[list[Char]]:
        """Runs of characters separated by a column-sized gap (for tables printed without rules)."""
        out: list[list[Char]] = [[]]
        prev: Char | None = None
        for c in self.chars:
            if prev is not None and c.x0 - prev.x1 > COLUMN_GAP_EM * max(c.size, prev.size) and out[-1]:
                out.append([])
            if not c.text.isspace():
                out[-1].append(c)
            prev = c
        return [s for s in out if s]


@dataclass(slots=True)
class Region:
    """A (possibly merged) cell: fine-grid rows ``r0..r1`` and columns ``c0..c1`` inclusive."""

    r0: int
    c0: int
    r1: int
    c1: int
    x0: float
    top: float
    x1: float
    bottom: float
    fine: list[tuple[int, int]] = field(default_factory=list)
    chars: list[Char] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)

    @property
    def text(self) -> str:
        return cell_text(self.chars)


@dataclass(slots=True)
class Grid:
    """A ruled table: fine ruling positions ``xs``/``ys`` and the merged cells over them."""

    xs: list[float]
    ys: list[float]
    regions: list[Region]
    owner: list[list[int]]  # owner[row][col] = index into regions
    edges: list[Edge]
    open_top: bool = False  # the top rule was not drawn (supplied from the vertical rules' ends)
    open_bottom: bool = False

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    def contains(self, c: Char) -> bool:
        if not self.xs[0] - CELL_PAD <= c.xc <= self.xs[-1] + CELL_PAD:
            return False
        if self.ys[0] - CELL_PAD <= c.yc <= self.ys[-1] + CELL_PAD:
            return True
        spill = GRID_SPILL_EM * c.size
        return ((self.open_bottom and c.top <= self.ys[-1] + spill < c.bottom)
                or (self.open_top and c.top < self.ys[0] - spill <= c.bottom))


# --- characters → text ----------------------------------------------------------------------------------

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def chars_text(chars: list[Char]) -> str:
    """Text of one line: a space where the PDF had one or where the gap is word-sized.

    Between two CJK characters only a wide gap counts, because justified Chinese
    text spreads characters apart without meaning a word break.
    """
    out: list[str] = []
    prev: Char | None = None
    pending = False
    for c in chars:
        if c.text.isspace():
            pending = True
            continue
        if prev is not None and not pending:
            gap = c.x0 - prev.x1
            size = max(c.size, prev.size)
            limit = CJK_GAP_EM if is_cjk(prev.text[-1]) and is_cjk(c.text[0]) else WORD_GAP_EM
            pending = gap > limit * size
        if pending and out:
            out.append(" ")
        out.append(c.text)
        pending = False
        prev = c
    return "".join(out)


def group_lines(chars: list[Char]) -> list[TextLine]:
    """Group characters into lines by vertical overlap, top to bottom, each sorted left to right."""
    lines: list[list[Char]] = []
    tall: list[bool] = []  # the band grew past CHAIN_HEIGHT × its tallest character: maybe chained lines
    band_top = band_bottom = 0.0
    biggest = 0.0
    for c in sorted(chars, key=lambda c: (c.yc, c.x0)):
        if lines:
            overlap = min(band_bottom, c.bottom) - max(band_top, c.top)
            if overlap >= LINE_OVERLAP * min(c.size, band_bottom - band_top):
                lines[-1].append(c)
                band_top, band_bottom = min(band_top, c.top), max(band_bottom, c.bottom)
                biggest = max(biggest, c.size)
                tall[-1] = band_bottom - band_top > CHAIN_HEIGHT * biggest
                continue
        lines.append([c])
        tall.append(False)
        band_top, band_bottom, biggest = c.top, c.bottom, c.size
    result = []
    for group, maybe_chained in zip(lines, tall):
        for part in (_unchain(group) if maybe_chained else [group]):
            part.sort(key=lambda c: c.x0)
            if any(not c.text.isspace() for c in part):
                result.append(TextLine(part))
    return result


def _unchain(group: list[Char]) -> list[list[Char]]:
    """Split a band that chained several printed lines together.

    The band grows with each character it takes, so characters of neighbouring cells sitting at
    staggered heights (a label wrapped over two lines beside a one-line cell, text centred in a tall
    cell) can bridge two lines of one column. Two characters covering the same x-range in one band
    prove it: the band is then cut into lines again by height, at gaps between character centres.
    """
    ink = sorted((c for c in group if not c.text.isspace()), key=lambda c: c.x0)
    if not any(b.x0 < a.x1 - 0.5 * min(a.size, b.size) for a, b in zip(ink, ink[1:])):
        return [group]
    parts: list[list[Char]] = []
    for c in sorted(group, key=lambda c: c.yc):
        if parts and c.yc - parts[-1][-1].yc <= 0.25 * c.size:
            parts[-1].append(c)
        else:
            parts.append([c])
    return parts


def _joiner(left: str, right: str) -> str:
    """What joins two wrapped lines of one cell: nothing inside CJK text or a wrapped number, else a space."""
    if not left or not right:
        return ""
    a, b = left[-1], right[0]
    if is_cjk(a) or is_cjk(b) or (a.isdigit() and b.isdigit()) or a in "-/（(":
        return ""
    return " "


def cell_text(chars: list[Char]) -> str:
    """Text of a cell: its lines joined (wrapped labels, labels printed one character per line)."""
    text = ""
    for line in group_lines(chars):
        t = line.text.strip()
        text = f"{text}{_joiner(text, t)}{t}" if text else t
    return text


# --- rules → grid ---------------------------------------------------------------------------------------

def _cluster(values: list[float], tol: float) -> list[list[float]]:
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


def snap_edges(edges: list[Edge]) -> list[Edge]:
    """Move rules that are within SNAP_TOL across onto one common position (their mean)."""
    out: list[Edge] = []
    for orient in ("h", "v"):
        group = [e for e in edges if e.orient == orient]
        where: dict[float, float] = {}
        for cluster in _cluster([e.pos for e in group], SNAP_TOL):
            mean = sum(cluster) / len(cluster)
            for v in cluster:
                where[v] = mean
        for e in group:
            p = where[e.pos]
            if orient == "h":
                out.append(Edge("h", e.x0, p, e.x1, p, e.synthetic))
            else:
                out.append(Edge("v", p, e.top, p, e.bottom, e.synthetic))
    return out


def merge_edges(edges: list[Edge]) -> list[Edge]:
    """Join collinear rules that overlap or nearly touch; drop what is still too short to be a rule."""
    out: list[Edge] = []
    for orient in ("h", "v"):
        group = sorted((e for e in edges if e.orient == orient), key=lambda e: (e.pos, e.start))
        cur: Edge | None = None
        for e in group:
            if cur is not None and abs(e.pos - cur.pos) < 1e-6 and e.start <= cur.end + JOIN_TOL:
                if orient == "h":
                    cur.x1 = max(cur.x1, e.x1)
                else:
                    cur.bottom = max(cur.bottom, e.bottom)
                continue
            if cur is not None:
                out.append(cur)
            cur = Edge(orient, e.x0, e.top, e.x1, e.bottom, e.synthetic)
        if cur is not None:
            out.append(cur)
    return [e for e in out if e.end - e.start >= MIN_RULE_LENGTH]


def _meets(h: Edge, v: Edge) -> bool:
    return (h.x0 - INTERSECT_TOL <= v.x0 <= h.x1 + INTERSECT_TOL
            and v.top - INTERSECT_TOL <= h.top <= v.bottom + INTERSECT_TOL)


def edge_components(edges: list[Edge]) -> list[list[Edge]]:
    """Connected groups of rules (a horizontal and a vertical rule that cross or touch are connected)."""
    parent = list(range(len(edges)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, e in enumerate(edges) if e.orient == "h"]
    vs = [i for i, e in enumerate(edges) if e.orient == "v"]
    for i in hs:
        for j in vs:
            if _meets(edges[i], edges[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[Edge]] = {}
    for i, e in enumerate(edges):
        groups.setdefault(find(i), []).append(e)
    return list(groups.values())


def _covered(intervals: list[tuple[float, float]], a: float, b: float) -> bool:
    """Whether rules (intervals along one ruling position) cover at least COVER_MIN of [a, b]."""
    total = 0.0
    for s, e in intervals:
        total += max(0.0, min(e, b) - max(s, a))
    return total >= COVER_MIN * (b - a)


def _add_outer_rules(edges: list[Edge]) -> list[Edge]:
    """Supply outer rules a table lacks, from the ends of the perpendicular rules.

    Chromium does not redraw a table's top border when a row continues on a new
    page; the vertical rules still start at the table's top, so their upper end
    marks the missing horizontal rule. The same holds for every other side.
    """
    hs = [e for e in edges if e.orient == "h"]
    vs = [e for e in edges if e.orient == "v"]
    if not hs or not vs:
        return edges
    x_lo, x_hi = min(e.x0 for e in hs + vs), max(e.x1 for e in hs + vs)
    y_lo, y_hi = min(e.top for e in hs + vs), max(e.bottom for e in hs + vs)
    extra: list[Edge] = []
    h_pos = [e.pos for e in hs]
    v_pos = [e.pos for e in vs]
    if min(h_pos) - y_lo >= MIN_GRID_STEP:
        extra.append(Edge("h", x_lo, y_lo, x_hi, y_lo, True))
    if y_hi - max(h_pos) >= MIN_GRID_STEP:
        extra.append(Edge("h", x_lo, y_hi, x_hi, y_hi, True))
    if min(v_pos) - x_lo >= MIN_GRID_STEP:
        extra.append(Edge("v", x_lo, y_lo, x_lo, y_hi, True))
    if x_hi - max(v_pos) >= MIN_GRID_STEP:
        extra.append(Edge("v", x_hi, y_lo, x_hi, y_hi, True))
    return edges + extra


def span_regions(xs: list[float], ys: list[float], edges: list[Edge]) -> tuple[list[Region], list[list[int]]]:
    """Merge fine cells that no rule separates into regions (the merged cells of the table)."""
    nr, nc = len(ys) - 1, len(xs) - 1
    h_at: dict[int, list[tuple[float, float]]] = {i: [] for i in range(len(ys))}
    v_at: dict[int, list[tuple[float, float]]] = {j: [] for j in range(len(xs))}
    for e in edges:
        if e.orient == "h":
            i = min(range(len(ys)), key=lambda k: abs(ys[k] - e.pos))
            h_at[i].append((e.x0, e.x1))
        else:
            j = min(range(len(xs)), key=lambda k: abs(xs[k] - e.pos))
            v_at[j].append((e.top, e.bottom))
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _covered(v_at[c + 1], ys[r], ys[r + 1]):
                parent[find(r * nc + c + 1)] = find(r * nc + c)
            if r + 1 < nr and not _covered(h_at[r + 1], xs[c], xs[c + 1]):
                parent[find((r + 1) * nc + c)] = find(r * nc + c)
    regions: list[Region] = []
    index: dict[int, int] = {}
    owner = [[0] * nc for _ in range(nr)]
    for r in range(nr):
        for c in range(nc):
            root = find(r * nc + c)
            if root not in index:
                index[root] = len(regions)
                regions.append(Region(r, c, r, c, xs[c], ys[r], xs[c + 1], ys[r + 1]))
            reg = regions[index[root]]
            reg.r1, reg.c1 = max(reg.r1, r), max(reg.c1, c)
            reg.x0, reg.x1 = min(reg.x0, xs[c]), max(reg.x1, xs[c + 1])
            reg.bottom = max(reg.bottom, ys[r + 1])
            reg.fine.append((r, c))
            owner[r][c] = index[root]
    return regions, owner


def build_grid(component: list[Edge]) -> Grid | None:
    """A table grid from one connected group of rules, or None when the rules do not enclose cells."""
    if not any(e.orient == "h" for e in component) or not any(e.orient == "v" for e in component):
        return None
    edges = merge_edges(snap_edges(_add_outer_rules(component)))
    ys = [sum(g) / len(g) for g in _cluster([e.pos for e in edges if e.orient == "h"], SNAP_TOL)]
    xs = [sum(g) / len(g) for g in _cluster([e.pos for e in edges if e.orient == "v"], SNAP_TOL)]
    if len(xs) < 2 or len(ys) < 2:
        return None
    regions, owner = span_regions(xs, ys, edges)
    drawn = [e.pos for e in edges if e.orient == "h" and not e.synthetic]
    open_top = not drawn or min(drawn) - ys[0] > SNAP_TOL
    open_bottom = not drawn or ys[-1] - max(drawn) > SNAP_TOL
    return Grid(xs, ys, regions, owner, edges, open_top, open_bottom)


def find_grids(rules: list[Edge]) -> list[Grid]:
    """Every ruled table on a page, top to bottom."""
    edges = merge_edges(snap_edges(rules))
    grids = [g for comp in edge_components(edges) if (g := build_grid(comp)) is not None]
    grids = [g for g in grids if g.n_rows >= 1 and g.n_cols >= 1 and (g.n_rows > 1 or g.n_cols > 1)]
    return sorted(grids, key=lambda g: (g.ys[0], g.xs[0]))


def fill_grid(grid: Grid, chars: list[Char]) -> None:
    """Put each character into the cell that holds its centre."""
    for c in chars:
        col = min(max(bisect.bisect_right(grid.xs, c.xc) - 1, 0), grid.n_cols - 1)
        row = min(max(bisect.bisect_right(grid.ys, c.yc) - 1, 0), grid.n_rows - 1)
        grid.regions[grid.owner[row][col]].chars.append(c)


@dataclass(slots=True)
class Stack:
    """Text printed one character per line: a narrow cell spanning rows (「三、本年度办理结果」 beside the rows
    it groups). Its characters are its own, never part of the lines of the rows it stands beside."""

    chars: list[Char]  # top to bottom

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (min(c.x0 for c in self.chars), self.chars[0].top, max(c.x1 for c in self.chars), self.chars[-1].bottom)


@dataclass(slots=True)
class PageLayout:
    """What a page holds: text lines outside tables, the ruled tables, and the text printed downwards
    outside tables (each with its top for ordering)."""

    lines: list[TextLine]
    grids: list[Grid]
    stacks: list[Stack] = field(default_factory=list)


def layout_page(chars: list[Char], rules: list[Edge]) -> PageLayout:
    """Split a page's characters between ruled tables and running text lines."""
    grids = find_grids(rules)
    loose: list[Char] = []
    inside: list[list[Char]] = [[] for _ in grids]
    # Smallest grid first: a box drawn around the whole page (or a table) must not take the table's characters.
    by_area = sorted(range(len(grids)), key=lambda k: (grids[k].xs[-1] - grids[k].xs[0]) * (grids[k].ys[-1] - grids[k].ys[0]))
    for c in chars:
        for k in by_area:
            g = grids[k]
            if g.contains(c):
                inside[k].append(c)
                break
        else:
            loose.append(c)
    kept: list[Grid] = []
    for g, cs in zip(grids, inside):
        if not any(not c.text.isspace() for c in cs):
            continue  # an empty frame (a box around nothing) is no table
        if g.n_rows * g.n_cols == 1 or all(len(row) == 1 or len(set(row)) == 1 for row in g.owner):
            loose.extend(cs)  # a single box or rows of full-width boxes: framed text, not a table
            continue
        fill_grid(g, cs)
        kept.append(g)
    stacks = vertical_stacks(loose)
    stacked = {id(c) for st in stacks for c in st.chars}
    return PageLayout(group_lines([c for c in loose if id(c) not in stacked]), kept, stacks)


def _isolated(line: TextLine) -> list[Char]:
    """The CJK characters of a line that stand alone: far from both neighbours (a cell one character wide)."""
    ink = [c for c in line.chars if not c.text.isspace()]
    out = []
    for i, c in enumerate(ink):
        if not is_cjk(c.text) or c.text.isdigit():
            continue
        left = c.x0 - ink[i - 1].x1 if i else float("inf")
        right = ink[i + 1].x0 - c.x1 if i + 1 < len(ink) else float("inf")
        if min(left, right) > STACK_ISOLATION_EM * c.size:
            out.append(c)
    return out


def vertical_stacks(chars: list[Char]) -> list[Stack]:
    """Columns of lone characters one per line: the text of an unruled cell that spans rows.

    Without rules, a merged group label (「（三）不予公开」 one character per line) shares its lines with
    the rows it spans and would be read as part of their labels (「三 3.危及…」, 「、四 1.本机关…」).
    A run of at least STACK_MIN_CHARS lone CJK characters (not all the same), centred on one x and each
    close below the previous one, is such a cell; values (digits, placeholders such as 无 and ／) and
    running text (characters side by side) never are.
    """
    lone = sorted((c for line in group_lines(chars) for c in _isolated(line)), key=lambda c: c.xc)
    columns: list[list[Char]] = []
    for c in lone:
        if columns and c.xc - columns[-1][-1].xc <= STACK_ALIGN_EM * c.size:
            columns[-1].append(c)
        else:
            columns.append([c])
    stacks: list[Stack] = []
    for col in columns:
        for run in _runs(sorted(col, key=lambda c: c.yc)):
            if len(run) >= STACK_MIN_CHARS and len({c.text for c in run}) > 1 and not all(_is_value([c]) for c in run):
                stacks.append(Stack(run))
    return sorted(stacks, key=lambda st: (st.chars[0].top, st.chars[0].x0))


def _runs(column: list[Char]) -> list[list[Char]]:
    """A column of lone characters cut where the pitch jumps: at a gap over STACK_PITCH_EM, or over
    STACK_BREAK × the usual pitch (two merged cells one above the other, each centred in its own box)."""
    gaps = [b.yc - a.yc for a, b in zip(column, column[1:])]
    usual = sorted(gaps)[len(gaps) // 2] if gaps else 0.0
    runs: list[list[Char]] = []
    for i, c in enumerate(column):
        gap = gaps[i - 1] if i else None
        if gap is None or gap > STACK_PITCH_EM * c.size or gap > STACK_BREAK * usual:
            runs.append([])
        runs[-1].append(c)
    return runs


# --- tables printed without rules: alignment of words --------------------------------------------------------

_VALUE = re.compile(r"^[+\-−]?\d[\d,.]*\s*(万元|元|件|个|项|条)?$|^[/／\\—\-－–―×*无]{1,2}$")


@dataclass(slots=True)
class AlignedRow:
    """A text line of an unruled table: its label text, then one entry per value column (None = blank)."""

    line: int  # index into the page's lines
    label: list[Char]
    values: list[list[Char] | None]
    bands: list[tuple[float, float]]


def _is_value(seg: list[Char]) -> bool:
    return bool(_VALUE.match(chars_text(seg).strip()))


def _value_segments(line: TextLine) -> tuple[list[Char], list[list[Char]]] | None:
    """``(label chars, value segments)`` when the line ends in at least one column-separated value."""
    segs = line.segments()
    k = len(segs)
    while k > 0 and _is_value(segs[k - 1]):
        k -= 1
    if k == len(segs) or (k == 0 and len(segs) < 2):
        return None
    label = [c for seg in segs[:k] for c in seg]
    return label, segs[k:]


def _bands(rows: list[list[list[Char]]]) -> list[tuple[float, float]]:
    """Value columns: the x-ranges of value segments, overlapping ones merged (aligned numbers overlap)."""
    spans = sorted((min(c.x0 for c in seg), max(c.x1 for c in seg)) for segs in rows for seg in segs)
    bands: list[tuple[float, float]] = []
    for x0, x1 in spans:
        if bands and x0 <= bands[-1][1]:
            bands[-1] = (bands[-1][0], max(bands[-1][1], x1))
        else:
            bands.append((x0, x1))
    return bands


def _span_snaps(rows: list[list[list[Char]]], bands: list[tuple[float, float]]) -> dict[int, int]:
    """Bands made only by values centred under a merged header (a value spanning columns k..k+1).

    The full rows (most values) fix the real columns; a band no full row uses, lying between two of
    them, holds values of cells spanning from the column on its left: those values belong to that
    column. Returns ``{band: column band}`` for such bands (when no row would get two values in one).
    """
    if len(rows) < 2:
        return {}
    most = max(len(r) for r in rows)

    def band_of(seg: list[Char]) -> int:
        x0 = min(c.x0 for c in seg)
        return next(j for j, (b0, b1) in enumerate(bands) if b0 <= x0 <= b1)

    used = [{band_of(seg) for seg in r} for r in rows]
    anchors = set().union(*(u for r, u in zip(rows, used) if len(r) == most))
    if not anchors or len(anchors) == len(bands):
        return {}
    lo, hi = min(anchors), max(anchors)
    snap = {}
    for j in range(lo + 1, hi):
        if j not in anchors:
            left = max(a for a in anchors if a < j)
            if any(j in u and left in u for u in used):
                return {}
            snap[j] = left
    return snap


def aligned_rows(lines: list[TextLine]) -> list[AlignedRow]:
    """Rows of tables printed without rules, their values put into columns found by alignment.

    Blank cells can only be recovered from position: a value column is an x-range
    where the values of several lines overlap, and a line with nothing in a column
    gets a blank there. Lines are grouped into a block while value lines follow
    each other (with at most ALIGN_MAX_SKIP other lines between).
    """
    found = [(i, r) for i, line in enumerate(lines) if (r := _value_segments(line)) is not None]
    blocks: list[list[tuple[int, tuple[list[Char], list[list[Char]]]]]] = []
    for item in found:
        if blocks and item[0] - blocks[-1][-1][0] <= ALIGN_MAX_SKIP + 1:
            blocks[-1].append(item)
        else:
            blocks.append([item])
    out: list[AlignedRow] = []
    for block in blocks:
        if len(block) < ALIGN_MIN_ROWS:
            continue
        rows = [segs for _, (_, segs) in block]
        bands = _bands(rows)
        snap = _span_snaps(rows, bands)
        for i, (label, segs) in block:
            values: list[list[Char] | None] = [None] * len(bands)
            for seg in segs:
                x0, x1 = min(c.x0 for c in seg), max(c.x1 for c in seg)
                k = next(j for j, (b0, b1) in enumerate(bands) if b0 <= x0 and x1 <= b1)
                k = snap.get(k, k)
                values[k] = seg if values[k] is None else values[k] + seg  # type: ignore[operator]
            kept = [j for j in range(len(bands)) if j not in snap]
            out.append(AlignedRow(i, label, [values[j] for j in kept], [bands[j] for j in kept]))
    return out
