"""Scans and photos → :class:`~nianbao.document.Document`, by OCR (the optional extra ``nianbao[ocr]``).

RapidOCR (PP-OCR models shipped inside the wheel, run by onnxruntime; nothing is
downloaded) returns text boxes with a score. A report page is a single column of
running text with ruled tables, so the page is rebuilt in small geometric
steps, pdfplumber style, each a function of its own:

1. ``words``: OCR boxes → :class:`Word` records (``x0, top, x1, bottom``, text, score).
2. ``deskew``: the median slope of the boxes' top edges is the page rotation; the
   image is rotated back and the word boxes with it (no second OCR pass).
3. ``rules``: horizontal and vertical ruling lines, found by morphological opening
   of the binarised page with long thin kernels.
4. ``lattices``: each connected group of rules is a table; the snapped rule
   positions make a lattice of grid cells, and neighbouring grid cells with no
   rule between them are one (merged) cell, so spans come out as ``copy_of``
   exactly as in HTML/DOCX, and empty cells keep their position.
5. ``cells``: words are put into the cell holding their centre; the words of a
   cell are ordered into lines (a wrapped label stays one cell). Second readings, by
   the recogniser alone on a crop: a box read with a low score is read again from its
   own crop (the better-scored reading wins), and a cell left empty but holding an
   isolated mark (a number the detector missed) is read from the mark's box.
6. Words outside every table are grouped into text lines → :class:`Paragraph`.
   A page with text boxes but no rules falls back to rows by y and cells split at
   wide gaps (ragged rows, like flattened text).

Every cell carries ``confidence``: the lowest OCR score of its words; a cell the
OCR left empty but which holds ink gets :data:`INK_CONFIDENCE`; a cell whose text
was repaired (``O`` → ``0``) at most :data:`REPAIRED_CONFIDENCE`; a second reading at
most :data:`REREAD_CONFIDENCE`. The checks in
:mod:`nianbao.checks.ocr` turn those into findings.

Coordinates: ``Source.bbox`` is ``(x0, top, x1, bottom)`` in **image pixels** of the
deskewed image for image files (``page`` is the 1-based frame of a multi-page
TIFF), and in **PDF points** (1/72 inch, origin top-left) for PDF pages, like the
text-layer PDF ingester.
"""
from __future__ import annotations

import io
import math
import re
import statistics
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..document import Block, Cell, Document, Paragraph, Source, Table
from ..errors import NianbaoError
from ..normalize import repair
from .limits import MAX_IMAGE_FRAMES, MAX_IMAGE_PIXELS, MAX_OCR_PAGES, MAX_OCR_PIXELS, exceeded

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pypdfium2

# ---------------------------------------------------------------- named tolerances (pixels at OCR_DPI unless noted)
OCR_DPI = 200  # PDF pages are rendered at this resolution
BACKGROUND_WINDOW = 41  # the paper's local brightness: the lightest pixel around, over a window wider than any stroke
MIN_BOX_SCORE = 0.1  # boxes below are noise; boxes above but low still enter and flag their cell
DESKEW_MIN_DEGREES = 0.15  # smaller rotations are left alone
DESKEW_MAX_DEGREES = 5.0  # larger ones are not "small"; the page is read as it is
DESKEW_MIN_BOX_WIDTH = 80  # only wide boxes (text lines) say reliably how the page is rotated
RULE_MIN_LENGTH_FRACTION = 1 / 15  # a rule is at least this fraction of the page width (or height) long
RULE_MIN_LENGTH = 25  # …and at least this many pixels (longer than a character's stroke)
RULE_CONTRAST = 25  # a pixel this much darker than the paper (median grey) may be part of a rule
RULE_GAP = 3  # breaks in a rule up to this long are closed (JPEG, faint printing); wider would join characters
RULE_LONG_FACTOR = 4  # a vertical segment this many times the minimum length is a rule even with loose ends
EDGE_SHARE = 0.5  # this share of the vertical rules must end together to make a table edge without a rule
SNAP_TOLERANCE = 6  # rule positions closer than this are one line of the lattice
EDGE_COVER = 0.6  # a cell boundary exists when a rule covers this fraction of its length
EDGE_BAND = 4  # how far (±px) from the lattice line the rule may run
TABLE_MIN_SIZE = 60  # a group of rules smaller than this (either side) is not a table
LINE_Y_OVERLAP = 0.5  # two words are on one text line when their heights overlap this much
CELL_GAP_FACTOR = 1.5  # no-rule fallback: a gap wider than this × line height starts a new cell
INK_MIN_FRACTION = 0.004  # an empty cell with more dark pixels than this fraction holds something unread
INK_MIN_BLOB = 12  # …counted only in blobs of at least this many pixels (salt noise is smaller)
INK_CONFIDENCE = 0.2  # the confidence given to such a cell
REREAD_PAD = 8  # margin of paper kept around the ink of a cell read again on its own
REREAD_MIN_SCORE = 0.5  # a second reading of a cell's ink below this score is not taken
REREAD_CONFIDENCE = 0.85  # at most this for a box or cell read on its own (a second reading: check it)
REREAD_BELOW = 0.9  # a box read with a lower score is read again on its own; the better-scored reading wins
REPAIRED_CONFIDENCE = 0.5  # at most this for a cell whose letters were read as digits

MSG_MISSING = "识别扫描件/图片需要 OCR 组件：pip install 'nianbao[ocr]'"

_ZERO_LIKE = str.maketrans({"o": "0", "O": "0", "Ｏ": "0", "〇": "0", "○": "0"})
_ONE_LIKE = str.maketrans({"l": "1", "I": "1", "|": "1", "丨": "1"})
_STRAY = ".,，。、·'`‘’:：;；_~"  # marks noise adds at a number's edges
_DIGITS = re.compile(r"^\d+(\.\d+)?$")


# ---------------------------------------------------------------- records
@dataclass(slots=True)
class Word:
    """One OCR box, axis-aligned after deskewing."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float
    quad: tuple[tuple[float, float], ...] = ()  # the OCR box corners (clockwise from top-left), before deskewing

    @property
    def angle(self) -> float:
        """Slope of the box's top edge in degrees (positive: downhill to the right)."""
        (x0, y0), (x1, y1) = self.quad[0], self.quad[1]
        return math.degrees(math.atan2(y1 - y0, x1 - x0))

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class Lattice:
    """A ruled table: lattice line positions and which grid cells are merged."""

    xs: list[float]
    ys: list[float]
    owner: list[list[tuple[int, int]]]  # grid (r, c) → top-left grid cell of its merged cell

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


@dataclass(slots=True)
class PageResult:
    """What one page gave: blocks in reading order, plus what the pipeline measured."""

    blocks: list[Block]
    skew_degrees: float = 0.0
    words: int = 0
    tables: int = 0
    info: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- the engine (lazy, once per process)
_ENGINE: Any = None
_ENGINE_LOCK = threading.Lock()


def _modules(path: str | None) -> tuple[Any, Any]:
    """numpy and cv2, or the missing-tool error (both come with the ``ocr`` extra)."""
    try:
        import cv2
        import numpy
    except ImportError as exc:
        raise NianbaoError(path, MSG_MISSING, kind="missing_tool") from exc
    return numpy, cv2


def get_engine(path: str | None = None) -> Any:
    """The RapidOCR engine, created on first use and shared (it costs about 0.5 s and 300 MB).

    Only the models inside the rapidocr wheel are used; rapidocr would download a
    model only for a configuration it does not ship, which we never ask for.
    """
    global _ENGINE
    if _ENGINE is None:
        with _ENGINE_LOCK:
            if _ENGINE is None:
                try:
                    from rapidocr import RapidOCR
                except ImportError as exc:
                    raise NianbaoError(path, MSG_MISSING, kind="missing_tool") from exc
                _ENGINE = RapidOCR(params={"Global.log_level": "error", "Global.text_score": MIN_BOX_SCORE})
    return _ENGINE


# ---------------------------------------------------------------- entry points
def read(data: bytes, path: str | None = None) -> Document:
    """The ingester entry point: PNG/JPEG/TIFF/BMP bytes → document (bbox in image pixels)."""
    np, _ = _modules(path)
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))  # reads the header only: size and frame count are checked first
        width, height = img.size
        if width * height > MAX_IMAGE_PIXELS:
            raise exceeded(path, "图片像素数", width * height, MAX_IMAGE_PIXELS)
        n_frames = getattr(img, "n_frames", 1)
        if n_frames > MAX_IMAGE_FRAMES:
            raise exceeded(path, "图片页数（帧数）", n_frames, MAX_IMAGE_FRAMES)
        frames = []
        for f in ImageSequence.Iterator(img):
            if f.size[0] * f.size[1] > MAX_IMAGE_PIXELS:
                raise exceeded(path, "图片像素数", f.size[0] * f.size[1], MAX_IMAGE_PIXELS)
            frames.append(f.copy())
    except Image.DecompressionBombError as exc:
        raise exceeded(path, "图片像素数", None, MAX_IMAGE_PIXELS) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise NianbaoError(path, "图片文件已损坏，无法读取", kind="corrupt") from exc
    get_engine(path)  # loaded once the image is known to be readable and within the limits
    blocks: list[Block] = []
    skews: list[float] = []
    for n, frame in enumerate(frames, start=1):
        image = frame.convert("L")
        shrink = min(1.0, math.sqrt(MAX_OCR_PIXELS / max(image.size[0] * image.size[1], 1)))
        if shrink < 1.0:  # OCR time grows with pixels: a huge scan is read at a lower resolution
            image = image.resize((max(1, int(image.size[0] * shrink)), max(1, int(image.size[1] * shrink))),
                                 Image.Resampling.BOX)
        page = read_page(np.asarray(image), page=n, scale=1.0 / shrink)  # bbox stays in the file's pixels
        blocks += page.blocks
        skews.append(round(page.skew_degrees, 2))
    meta = {"ocr": True, "pages": len(frames), "skew_degrees": skews, "bbox_units": "pixels"}
    return Document(blocks, path=path, form="image", meta=meta, warnings=[_WARNING])


_WARNING = "本文件为扫描件/图片，表格数字由 OCR 识别，请核对标记为低置信度的单元格"


def ocr_pdf_pages(pdf: pypdfium2.PdfDocument, page_indexes: list[int], path: str | None = None) -> list[Block]:
    """OCR the image-only pages *page_indexes* (0-based) of an open PDF; bbox in PDF points."""
    if len(page_indexes) > MAX_OCR_PAGES:
        raise exceeded(path, "需要 OCR 识别的扫描页数", len(page_indexes), MAX_OCR_PAGES)
    np, _ = _modules(path)
    get_engine(path)
    blocks: list[Block] = []
    for i in page_indexes:
        page = pdf[i]
        try:
            w, h = page.get_size()
            # An oversized page is rendered at a lower resolution instead of past the pixel limit.
            scale = min(OCR_DPI / 72, math.sqrt(MAX_OCR_PIXELS / max(w * h, 1.0)))
            bitmap = page.render(scale=scale, grayscale=True)
            gray = np.asarray(bitmap.to_pil().convert("L"))
        finally:
            page.close()
        blocks += read_page(gray, page=i + 1, scale=72 / OCR_DPI if scale == OCR_DPI / 72 else 1 / scale).blocks
    return blocks


def read_page(gray: np.ndarray, *, page: int, scale: float) -> PageResult:
    """One page image (2-D uint8) → blocks. *scale* converts pixels to the unit of ``Source.bbox``."""
    np, cv2 = _modules(None)
    engine = get_engine()
    result = engine(np.dstack([gray, gray, gray]))
    words = words_from_ocr(result)
    angle = skew_angle(words)
    if angle:
        gray, words = deskew(gray, words, angle)
    words = [better_reading(gray, w) for w in words]
    flat = flatten(gray)
    binary = binarize(flat)
    h_mask, v_mask = rule_masks(flat)
    lattices = find_lattices(h_mask, v_mask)
    blocks: list[tuple[float, Block]] = []
    used: set[int] = set()
    for lat in lattices:
        table, taken = lattice_table(lat, words, binary, h_mask | v_mask, page, scale, flat)
        used |= taken
        blocks.append((lat.ys[0], table))
    rest = [w for i, w in enumerate(words) if i not in used]
    for line in text_lines(rest):
        blocks += [(top, b) for top, b in line_blocks(line, page, scale)]
    blocks.sort(key=lambda tb: tb[0])
    return PageResult([b for _, b in blocks], angle, len(words), len(lattices))


# ---------------------------------------------------------------- 1. words
def words_from_ocr(result: Any) -> list[Word]:
    """RapidOCR output → words (text repaired, boxes as their axis-aligned envelope)."""
    out: list[Word] = []
    if result is None or result.boxes is None:
        return out
    for box, text, score in zip(result.boxes, result.txts, result.scores):
        text = repair(str(text)).strip()
        if not text or float(score) < MIN_BOX_SCORE:
            continue
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        quad = tuple((float(p[0]), float(p[1])) for p in box)
        out.append(Word(text, min(xs), min(ys), max(xs), max(ys), float(score), quad))
    return out


# ---------------------------------------------------------------- 2. deskew
def skew_angle(words: list[Word]) -> float:
    """The page rotation in degrees (positive: text runs downhill to the right), 0 when negligible."""
    angles = [a for w in words if len(w.quad) == 4 and w.x1 - w.x0 >= DESKEW_MIN_BOX_WIDTH
              and abs(a := w.angle) <= DESKEW_MAX_DEGREES]
    if len(angles) < 3:
        return 0.0
    angle = statistics.median(angles)
    return angle if DESKEW_MIN_DEGREES <= abs(angle) <= DESKEW_MAX_DEGREES else 0.0


def deskew(gray: np.ndarray, words: list[Word], angle: float) -> tuple[np.ndarray, list[Word]]:
    """Rotate the image by -*angle* about its centre, and the word quads with it."""
    np, cv2 = _modules(None)
    h, w = gray.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rotated = cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    out: list[Word] = []
    for word in words:
        pts = np.array([[x, y, 1.0] for x, y in word.quad]) @ m.T
        out.append(Word(word.text, float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()),
                        float(pts[:, 1].max()), word.score))
    return rotated, out


# ---------------------------------------------------------------- 3. rules
def flatten(gray: np.ndarray) -> np.ndarray:
    """The page with its paper made uniformly white: each pixel over the local paper brightness.

    Scans and photos are unevenly lit (a shadow across the page, a grey or yellowed sheet);
    thresholds against one paper grey then take whole shaded areas for ink. The local paper is
    the lightest pixel within BACKGROUND_WINDOW (wider than any stroke or rule), smoothed.
    """
    np, cv2 = _modules(None)
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (BACKGROUND_WINDOW, BACKGROUND_WINDOW))
    paper = cv2.blur(cv2.dilate(gray, k), (BACKGROUND_WINDOW, BACKGROUND_WINDOW)).astype(np.float32)
    out = gray.astype(np.float32) * 255.0 / np.maximum(paper, 1.0)
    return np.clip(out, 0, 255).astype(np.uint8)


def binarize(gray: np.ndarray) -> np.ndarray:
    """Dark pixels (ink and rules) as 255 on 0, by Otsu's threshold."""
    _, cv2 = _modules(None)
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return binary


def rule_masks(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling lines: what survives an opening with a long thin kernel.

    Thin rules come out grey in a scan (anti-aliasing, JPEG), lighter than Otsu's text
    threshold, so rules are looked for in everything clearly darker than the paper;
    the long kernels remove the text and noise this lets in.
    """
    np, cv2 = _modules(None)
    paper = float(np.median(gray))
    binary = ((gray < paper - RULE_CONTRAST) * 255).astype(np.uint8)
    h, w = binary.shape[:2]
    hlen = max(RULE_MIN_LENGTH, int(w * RULE_MIN_LENGTH_FRACTION))
    vlen = max(RULE_MIN_LENGTH, int(w * RULE_MIN_LENGTH_FRACTION / 3))  # rows are low: short vertical rules
    # Close small breaks first (JPEG, salt noise, faint printing), then keep only long runs.
    hmask = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (RULE_GAP, 1)))
    hmask = cv2.morphologyEx(hmask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hlen, 1)))
    vmask = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, RULE_GAP)))
    vmask = cv2.morphologyEx(vmask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vlen)))
    return hmask, vmask


def _snap(values: list[float]) -> list[float]:
    """Cluster positions closer than SNAP_TOLERANCE; each cluster → its mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= SNAP_TOLERANCE:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


# ---------------------------------------------------------------- 4. lattices
def find_lattices(h_mask: np.ndarray, v_mask: np.ndarray) -> list[Lattice]:
    """Each connected group of rules big enough to be a table → its lattice with merged cells."""
    np, cv2 = _modules(None)
    both = cv2.dilate(h_mask | v_mask, np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(both)
    lattices = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i][:4])
        if w < TABLE_MIN_SIZE or h < TABLE_MIN_SIZE:
            continue
        lat = _lattice(h_mask[y:y + h, x:x + w], v_mask[y:y + h, x:x + w], x, y)
        if lat is not None:
            lattices.append(lat)
    return lattices


def _segments(mask: np.ndarray, horizontal: bool) -> list[tuple[float, float, float]]:
    """Rule segments in a mask as ``(position, start, end)``."""
    np, cv2 = _modules(None)
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    segs = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i][:4])
        if horizontal:
            segs.append((y + h / 2, float(x), float(x + w)))
        else:
            segs.append((x + w / 2, float(y), float(y + h)))
    return segs


def _crosses(v: tuple[float, float, float], h: tuple[float, float, float]) -> bool:
    """Whether a vertical and a horizontal segment meet: rules do, strokes of large text do not."""
    t = SNAP_TOLERANCE + EDGE_BAND
    return h[1] - t <= v[0] <= h[2] + t and v[1] - t <= h[0] <= v[2] + t


def _ends_on_rules(v: tuple[float, float, float], hsegs: list[tuple[float, float, float]]) -> bool:
    """Whether a vertical segment runs from one horizontal rule to another (a cell border does;
    a stroke of a character near a border touches one at most)."""
    t = SNAP_TOLERANCE + EDGE_BAND
    x, top, bottom = v
    on = [h for h in hsegs if h[1] - t <= x <= h[2] + t]
    return any(abs(h[0] - top) <= t for h in on) and any(abs(h[0] - bottom) <= t for h in on)


def _ends_on_one_and_crosses(v: tuple[float, float, float], hsegs: list[tuple[float, float, float]]) -> bool:
    """Whether a vertical segment ends on a horizontal rule at one end and crosses another one."""
    t = SNAP_TOLERANCE + EDGE_BAND
    x, top, bottom = v
    on = [h for h in hsegs if h[1] - t <= x <= h[2] + t]
    ends = any(abs(h[0] - top) <= t or abs(h[0] - bottom) <= t for h in on)
    return ends and any(top + t < h[0] < bottom - t for h in on)


def _common_ends(vsegs: list[tuple[float, float, float]], hsegs: list[tuple[float, float, float]],
                 *, top: bool) -> list[float]:
    """Table edges with no rule: where most of the vertical rules run on past the outermost
    horizontal rule and end together (a page break). A border merged with the strokes of a
    heading printed against the table runs on alone, and is not an edge."""
    t = SNAP_TOLERANCE + EDGE_BAND
    if hsegs:
        outer = min(h[0] for h in hsegs) if top else max(h[0] for h in hsegs)
        crossing = [v for v in vsegs if v[1] - t <= outer <= v[2] + t]
        ends = [v[1] if top else v[2] for v in crossing]
        ends = [e for e in ends if (outer - e if top else e - outer) > t]
        need = max(2, math.ceil(EDGE_SHARE * len(crossing)))
    else:
        ends = [v[1] if top else v[2] for v in vsegs]
        need = 2
    return [c for c in _snap(ends) if sum(1 for e in ends if abs(e - c) <= SNAP_TOLERANCE) >= need]


def _lattice(h_mask: np.ndarray, v_mask: np.ndarray, ox: int, oy: int) -> Lattice | None:
    hsegs = [(p + oy, a + ox, b + ox) for p, a, b in _segments(h_mask, True)]
    vsegs = [(p + ox, a + oy, b + oy) for p, a, b in _segments(v_mask, False)]
    long_v = RULE_LONG_FACTOR * max(RULE_MIN_LENGTH, v_mask.shape[1] * RULE_MIN_LENGTH_FRACTION / 3)
    # A table continued from the previous page lacks its top rule (and the page's last table its
    # bottom rule): where several vertical rules that cross a rule and end on another run on past
    # the outermost rule and end together, that line is an edge, and a border may end on it as on a
    # rule. (Strokes of a heading printed against a table touch one rule at most and cross none.)
    touching = [v for v in vsegs if _ends_on_one_and_crosses(v, hsegs)]
    if hsegs and touching:
        lo, hi = min(h[1] for h in hsegs), max(h[2] for h in hsegs)
        edges = _common_ends(touching, hsegs, top=True) + _common_ends(touching, hsegs, top=False)
        ends = hsegs + [(e, lo, hi) for e in edges]
    else:
        ends = hsegs
    vsegs = [v for v in vsegs if v[2] - v[1] >= long_v or _ends_on_rules(v, ends)]
    # A horizontal rule meets at least two vertical ones (the table's side borders); a stroke of
    # a heading printed against the table meets one at most.
    hsegs = [h for h in hsegs if sum(1 for v in vsegs if _crosses(v, h)) >= 2]
    if len(vsegs) < 2:
        return None
    ys = [s[0] for s in hsegs]
    # A table continued from the previous page may lack its top rule (and the next page's bottom):
    # where several vertical rules end together, that is a table edge. (One rule alone running on
    # is a border merged with a stroke of the text printed right against it.)
    ys += _common_ends(vsegs, hsegs, top=True) + _common_ends(vsegs, hsegs, top=False)
    xs = [s[0] for s in vsegs]
    if hsegs:
        xs += [min(s[1] for s in hsegs), max(s[2] for s in hsegs)]
    xs, ys = _snap(xs), _snap(ys)
    if len(xs) < 2 or len(ys) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1

    def covered(mask: np.ndarray, horizontal: bool, pos: float, a: float, b: float) -> bool:
        p = int(round(pos))
        lo, hi = int(a) + 2, int(b) - 2
        if hi <= lo:
            return True
        if horizontal:
            band = mask[max(0, p - EDGE_BAND): p + EDGE_BAND + 1, lo:hi]
            hit = band.any(axis=0)
        else:
            band = mask[lo:hi, max(0, p - EDGE_BAND): p + EDGE_BAND + 1]
            hit = band.any(axis=1)
        return hit.size > 0 and float(hit.mean()) >= EDGE_COVER

    parent = {(r, c): (r, c) for r in range(nr) for c in range(nc)}

    def find(a: tuple[int, int]) -> tuple[int, int]:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the top-left cell owns the merged cell

    lx, ly = [x - ox for x in xs], [y - oy for y in ys]
    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not covered(v_mask, False, lx[c + 1], ly[r], ly[r + 1]):
                union((r, c), (r, c + 1))
            if r + 1 < nr and not covered(h_mask, True, ly[r + 1], lx[c], lx[c + 1]):
                union((r, c), (r + 1, c))
    owner = [[find((r, c)) for c in range(nc)] for r in range(nr)]
    return Lattice(xs, ys, owner)


# ---------------------------------------------------------------- 5. cells
def lattice_table(lat: Lattice, words: list[Word], binary: np.ndarray, rules: np.ndarray, page: int,
                  scale: float, gray: np.ndarray | None = None) -> tuple[Table, set[int]]:
    """Fill the lattice's cells with the words whose centre they hold → a rectangular :class:`Table`.

    A cell the text detector left empty but which holds ink (a faint or blurred number, one cut
    by the page edge) is read again on its own from *gray* (recognition only, on the ink's box);
    the reading is taken at a capped confidence, so the cell is still listed for checking.
    """
    nr, nc = len(lat.ys) - 1, len(lat.xs) - 1
    content: dict[tuple[int, int], list[Word]] = {}
    taken: set[int] = set()
    for i, w in enumerate(words):
        if not (lat.xs[0] <= w.cx <= lat.xs[-1] and lat.ys[0] <= w.cy <= lat.ys[-1]):
            continue
        c = _index(lat.xs, w.cx)
        r = _index(lat.ys, w.cy)
        content.setdefault(lat.owner[r][c], []).append(w)
        taken.add(i)
    extent: dict[tuple[int, int], list[int]] = {}
    for r in range(nr):
        for c in range(nc):
            o = lat.owner[r][c]
            e = extent.setdefault(o, [r, c, r, c])
            e[2], e[3] = max(e[2], r), max(e[3], c)
    rows: list[list[Cell]] = []
    for r in range(nr):
        row: list[Cell] = []
        for c in range(nc):
            o = lat.owner[r][c]
            r0, c0, r1, c1 = extent[o]
            box = (lat.xs[c0], lat.ys[r0], lat.xs[c1 + 1], lat.ys[r1 + 1])
            src = Source(page=page, bbox=_scaled(box, scale))
            if o != (r, c):
                row.append(Cell(rows[o[0]][o[1]].text if o[0] < r else row[o[1]].text, src, copy_of=o,
                                confidence=rows[o[0]][o[1]].confidence if o[0] < r else row[o[1]].confidence))
                continue
            ws = content.get(o, [])
            if ws:
                text, conf = cell_text(ws)
            else:
                ink = ink_box(binary, rules, box)
                text, conf = "", (INK_CONFIDENCE if ink else None)
                again = reread(gray, ink) if ink and gray is not None and _isolated(ink, box) else None
                if again:
                    text, conf = again
            row.append(Cell(text, src, confidence=conf))
        rows.append(row)
    return Table(rows, Source(page=page, bbox=_scaled(lat.bbox, scale))), taken


def _index(edges: list[float], v: float) -> int:
    for i in range(len(edges) - 1):
        if v < edges[i + 1]:
            return i
    return len(edges) - 2


def _scaled(box: tuple[float, float, float, float], scale: float) -> tuple[float, float, float, float]:
    return tuple(round(v * scale, 1) for v in box)  # type: ignore[return-value]


def cell_text(words: list[Word]) -> tuple[str, float]:
    """A cell's words in reading order (lines top to bottom), repaired if it is a number; its confidence."""
    lines = text_lines(words)
    text = "\n".join(" ".join(w.text for w in line) for line in lines)
    conf = min(w.score for w in words)
    fixed = repair_number(text)
    if fixed != text:
        return fixed, min(conf, REPAIRED_CONFIDENCE)
    return text, conf


def repair_number(text: str) -> str:
    """Typical OCR confusions in a number cell: ``O``/``〇`` read for 0, ``l``/``I`` for 1.

    Only a cell that becomes a plain number is touched, so labels keep their letters:
    a cell of only zero-like letters → 0; l/I → 1 only beside real digits; stray
    dots and commas at the edges of a number (specks of noise) are dropped.
    """
    t = text.strip().replace(" ", "")
    if not t or _DIGITS.match(t):
        return text
    core = t.strip(_STRAY)
    if core != t and _DIGITS.match(core):
        return core  # a speck of noise read as a dot or comma beside the number ("0.")
    t = core or t
    zeroed = t.translate(_ZERO_LIKE)
    if _DIGITS.match(zeroed):
        return zeroed
    if any(ch.isdigit() for ch in zeroed):
        both = zeroed.translate(_ONE_LIKE)
        if _DIGITS.match(both):
            return both
    return text


def has_ink(binary: np.ndarray, rules: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    """Whether a cell the OCR found empty has marks in it (a missed number, a stamp): blobs, not salt."""
    return ink_box(binary, rules, box) is not None


def ink_box(binary: np.ndarray, rules: np.ndarray,
            box: tuple[float, float, float, float]) -> tuple[int, int, int, int] | None:
    """The box ``(x0, top, x1, bottom)`` of the marks in a cell the OCR found empty, or None when it
    holds none (blobs of at least INK_MIN_BLOB pixels, INK_MIN_FRACTION of the cell in all)."""
    np, cv2 = _modules(None)
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    pad = EDGE_BAND + 2
    if x1 - x0 <= 2 * pad or y1 - y0 <= 2 * pad:
        return None
    region = binary[y0 + pad:y1 - pad, x0 + pad:x1 - pad] & ~rules[y0 + pad:y1 - pad, x0 + pad:x1 - pad]
    n, _, stats, _ = cv2.connectedComponentsWithStats(region)
    blobs = [stats[i] for i in range(1, n) if stats[i][4] >= INK_MIN_BLOB]
    if sum(int(b[4]) for b in blobs) < INK_MIN_FRACTION * region.size:
        return None
    bx0 = min(int(b[0]) for b in blobs)
    by0 = min(int(b[1]) for b in blobs)
    bx1 = max(int(b[0] + b[2]) for b in blobs)
    by1 = max(int(b[1] + b[3]) for b in blobs)
    return x0 + pad + bx0, y0 + pad + by0, x0 + pad + bx1, y0 + pad + by1


def better_reading(gray: np.ndarray, word: Word) -> Word:
    """A box read with a low score, read again alone from its own crop of the (deskewed) page.

    In a whole page the recogniser gets the box as a perspective crop of a downscaled detection;
    a blurred or low-resolution scan then reads ``（七）总计`` as ``十1（7）``. The crop read
    alone, with REREAD_PAD of paper around it, is taken when it scores higher and still holds a
    letter, digit or character (its confidence capped at REREAD_CONFIDENCE, so the cell stays
    listed for checking)."""
    if word.score >= REREAD_BELOW:
        return word
    box = (int(word.x0), int(word.top), int(math.ceil(word.x1)), int(math.ceil(word.bottom)))
    again = _recognise(gray, box)
    if again is None or again[1] <= word.score:
        return word
    if any(ch.isalnum() for ch in word.text) and not any(ch.isalnum() for ch in again[0]):
        return word  # a mark of punctuation alone is no better reading of a digit or character
    return Word(again[0], word.x0, word.top, word.x1, word.bottom, min(again[1], REREAD_CONFIDENCE), word.quad)


def _isolated(ink: tuple[int, int, int, int], box: tuple[float, float, float, float]) -> bool:
    """Whether a cell's ink is a mark of its own, worth reading again: clear of the cell's side
    borders (a stroke of a character cut by a spurious rule touches one) in a cell wider than the
    ink is high (a sliver between strokes is not a cell that holds a number)."""
    margin = EDGE_BAND + 2 + REREAD_PAD / 2
    return (ink[0] >= box[0] + margin and ink[2] <= box[2] - margin
            and box[2] - box[0] >= 2 * (ink[3] - ink[1]))


def reread(gray: np.ndarray, box: tuple[int, int, int, int]) -> tuple[str, float] | None:
    """Text recognition alone on the ink box of *gray* (with REREAD_PAD of paper around it) →
    ``(text, confidence)``, or None when nothing is read with at least REREAD_MIN_SCORE."""
    again = _recognise(gray, box)
    if again is None or again[1] < REREAD_MIN_SCORE:
        return None
    x0, y0, x1, y1 = box
    fixed, conf = cell_text([Word(again[0], x0, y0, x1, y1, again[1])])
    return fixed, min(conf, REREAD_CONFIDENCE)


def _recognise(gray: np.ndarray, box: tuple[int, int, int, int]) -> tuple[str, float] | None:
    """The recogniser alone on *box* of *gray*, padded with REREAD_PAD of paper → ``(text, score)``."""
    np, cv2 = _modules(None)
    x0, y0, x1, y1 = box
    crop = gray[max(0, y0):y1, max(0, x0):x1]
    if crop.size == 0:
        return None
    crop = cv2.copyMakeBorder(crop, REREAD_PAD, REREAD_PAD, REREAD_PAD, REREAD_PAD, cv2.BORDER_CONSTANT,
                              value=255)
    try:  # the recogniser alone (calling the engine with use_det=False would switch detection off for good)
        result = get_engine().recognize_txt([np.dstack([crop, crop, crop])])
    except Exception:  # noqa: BLE001 - rapidocr raises its own error when it reads nothing
        return None
    txts, scores = getattr(result, "txts", None), getattr(result, "scores", None)
    if not txts or not scores:
        return None
    text = repair(str(txts[0])).strip()
    return (text, float(scores[0])) if text else None


# ---------------------------------------------------------------- 6. text outside tables
def text_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines (heights overlapping by LINE_Y_OVERLAP), each sorted left to right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.cy, w.x0)):
        for line in reversed(lines[-3:]):
            top, bottom = min(x.top for x in line), max(x.bottom for x in line)
            overlap = min(bottom, w.bottom) - max(top, w.top)
            if overlap >= LINE_Y_OVERLAP * min(w.height, bottom - top):
                line.append(w)
                break
        else:
            lines.append([w])
    for line in lines:
        line.sort(key=lambda w: w.x0)
    lines.sort(key=lambda ln: min(w.top for w in ln))
    return lines


def line_blocks(line: list[Word], page: int, scale: float) -> list[tuple[float, Block]]:
    """A text line outside any ruled table: a paragraph, or a one-row table when it has wide gaps.

    The row keeps its cells apart (``规章  0  0  0`` of an unruled table); one-word
    lines and prose stay paragraphs.
    """
    top = min(w.top for w in line)
    height = statistics.median(w.height for w in line)
    cells: list[list[Word]] = [[line[0]]]
    for w in line[1:]:
        if w.x0 - cells[-1][-1].x1 > CELL_GAP_FACTOR * height:
            cells.append([w])
        else:
            cells[-1].append(w)
    box = (min(w.x0 for w in line), top, max(w.x1 for w in line), max(w.bottom for w in line))
    if len(cells) == 1:
        text = " ".join(w.text for w in line)
        conf_src = Source(page=page, bbox=_scaled(box, scale))
        return [(top, Paragraph(text, conf_src))]
    row = []
    for ws in cells:
        cbox = (min(w.x0 for w in ws), min(w.top for w in ws), max(w.x1 for w in ws), max(w.bottom for w in ws))
        text, conf = cell_text(ws)
        row.append(Cell(text, Source(page=page, bbox=_scaled(cbox, scale)), confidence=conf))
    return [(top, Table([row], Source(page=page, bbox=_scaled(box, scale))))]
