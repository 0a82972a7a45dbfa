"""Resource limits of the ingesters, in one place.

Why: a hostile or broken file must be answered with a clear error in bounded time and memory
(the targets are ≤ 30 s and ≤ 1 GB per file), not by luck. Each ingester checks what it is
about to expand (spans, grids, inflated streams, characters, elements) against these limits
*before* expanding it, and raises :func:`exceeded` naming the file and the limit.

Every limit is far above what a real annual report needs (the real figure is in the comment),
so a legitimate large report (300 pages, a 120 KiB page, a scan at 600 dpi) still reads.
Modules import the names they use (``from .limits import MAX_…``), so a test can lower one
limit for one ingester with ``monkeypatch.setattr(module, "MAX_…", n)``.
"""
from __future__ import annotations

from ..errors import NianbaoError

MiB = 1024 * 1024

# --- any file -------------------------------------------------------------------------------------------
MAX_FILE_BYTES = 200 * MiB  # a report is rarely over 20 MB; scans can be large

# --- text and web pages ---------------------------------------------------------------------------------
MAX_TEXT_BYTES = 4 * MiB  # a report's extracted text is 20–60 KiB
MAX_HTML_BYTES = 16 * MiB  # a report page is 30–150 KiB; inline images can add a few MB
MAX_HTML_TAGS = 300_000  # '<' in a page (open and close tags); a report page has about 5 000
MAX_HTML_DEPTH = 200  # element nesting; portal pages nest 20–40 deep
MAX_HTML_TABLES = 1_000  # tables on a page; a report has 3–10 (plus layout tables)

# --- tables (HTML, DOCX, markdown in text) --------------------------------------------------------------
MAX_TABLE_COLUMNS = 1_000  # grid columns after spans (HTML's own colspan limit; Word allows 63)
MAX_TABLE_ROWS = 10_000  # grid rows; the longest report table has about 40
MAX_TABLE_CELLS = 100_000  # grid positions of one table after spans (a report table has ≤ 600)
MAX_DOCUMENT_CELLS = 500_000  # grid positions of all tables of one document together
MAX_TABLE_NESTING = 16  # tables inside table cells (layout containers nest 2–3 deep)

# --- DOCX (a ZIP package) -------------------------------------------------------------------------------
MAX_ZIP_MEMBERS = 5_000  # parts in the package; a Word file has 10–50 (plus images)
MAX_ZIP_PART_BYTES = 128 * MiB  # one inflated part (document.xml of a 300-page report: about 10 MB)
MAX_ZIP_TOTAL_BYTES = 384 * MiB  # all parts inflated (python-docx keeps every part in memory)

# --- PDF ------------------------------------------------------------------------------------------------
MAX_PAGES = 500  # an annual report has 3–30 pages; 300 must still read
MAX_PAGE_SIDE = 14_400.0  # points (200 inches, the PDF spec's own limit); bigger boxes are bombs
MAX_PAGE_OBJECTS = 200_000  # drawing objects on one page (a dense real page has a few thousand)
MAX_PAGE_CHARS = 100_000  # characters on one page (a dense page has about 2 000)
MAX_PATH_SEGMENTS = 20_000  # one path with more segments is artwork, not a rule; skipped
MAX_FORM_DEPTH = 8  # nested form XObjects deeper than this are not followed
MAX_RULES = 50_000  # rule pieces on one page before we stop collecting (vector maps, patterns)
MAX_STREAM_INFLATED = 16 * MiB  # one content/other stream inflated (a dense page: 50–500 KiB); pdfium
#   builds every drawing object of a page at load: 16 MiB of operators cost about 300 MB
MAX_BINARY_STREAM_INFLATED = 256 * MiB  # one image or embedded font inflated (A4 at 600 dpi RGB: 100 MB)
MAX_TOTAL_INFLATED = 2048 * MiB  # all Flate streams of a PDF inflated together

# --- images (OCR) ---------------------------------------------------------------------------------------
MAX_IMAGE_PIXELS = 80_000_000  # one page image decoded (A4 at 600 dpi: 35 million); more is refused
MAX_OCR_PIXELS = 16_000_000  # one page image OCR'd (A4 at 400 dpi); bigger ones are read scaled down
MAX_OCR_PAGES = 60  # page images read by OCR in one file (about 2 s a page: 2 minutes); scans have 3–30
MAX_IMAGE_FRAMES = MAX_OCR_PAGES  # pages of a multi-page TIFF


def exceeded(path: str | None, what: str, value: float | str | None, limit: float | str) -> NianbaoError:
    """The error for a file over a limit: names the quantity, its value (if known) and the limit, in Chinese."""
    bound = f"{limit:,}" if isinstance(limit, int) else str(limit)
    if value is None:
        shown = f"上限 {bound}"
    else:
        shown = f"{value:,}，上限 {bound}" if isinstance(value, int) else f"{value}，上限 {bound}"
    return NianbaoError(path, f"{what}超出上限（{shown}），文件可能已损坏或是恶意构造的，已拒绝读取", kind="too_large")
