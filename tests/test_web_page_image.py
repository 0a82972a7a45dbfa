"""Source page images are capped in pixels and cached (issue 14): a 14,400-point page is shown as a
window around the value, a page too large to show whole is refused in Chinese, a repeat is a cache hit."""
from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from nianbao.document import Source
from nianbao.store import Store
from nianbao.web import create_app
from nianbao.web.auth import hash_password
from nianbao.web.policy import Policy
from nianbao.web.provenance import PageCache, PageTooLarge, Window, fit_window, page_png

FORMS = Path(__file__).resolve().parent / "fixtures" / "forms"
CAP = 12_000_000


def blank_pdf(width: float, height: float) -> bytes:
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(width, height)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def is_red(pixel: tuple[int, int, int]) -> bool:
    return pixel[0] > 180 and pixel[1] < 90 and pixel[2] < 90


def test_fit_window() -> None:
    assert fit_window(595, 842, (10, 10, 20, 20), 2.0, CAP) == Window(2.0)  # A4 fits whole
    win = fit_window(595, 14400, (100, 10000, 200, 10020), 2.0, CAP)
    assert win.scale == 2.0 and win.left == 0 and win.right == 0
    kept = 14400 - win.top - win.bottom
    assert win.top < 10000 and win.top + kept > 10020 and 595 * kept * 4 <= CAP * 1.0001
    top_edge = fit_window(595, 14400, (100, 5, 200, 20), 2.0, CAP)
    assert top_edge.top == 0  # the window does not leave the page
    shrunk = fit_window(595, 14400, None, 2.0, CAP)
    assert shrunk.scale == pytest.approx((CAP / (595 * 14400)) ** 0.5, rel=0.01) and shrunk.top == 0
    with pytest.raises(PageTooLarge) as err:
        fit_window(14400, 14400, None, 2.0, CAP)
    assert "过大" in err.value.reason and "14400×14400" in err.value.reason
    wide = fit_window(200_000, 600, (150_000, 100, 150_050, 120), 2.0, CAP)  # a ribbon: a square window
    assert wide.left < 150_000 and 200_000 - wide.right > 150_050


def test_tall_pdf_page_is_cropped_around_the_value() -> None:
    data = blank_pdf(595, 14400)
    bbox = (100.0, 10000.0, 200.0, 10020.0)
    img = Image.open(io.BytesIO(page_png(data, "pdf", Source(page=1, bbox=bbox), max_pixels=CAP)))
    assert img.width == 1190 and img.width * img.height <= CAP
    win = fit_window(595, 14400, bbox, 2.0, CAP)
    y = int((bbox[1] - win.top) * 2) - 2  # the box's top edge, in the window
    assert any(is_red(img.convert("RGB").getpixel((x, y))) for x in range(200, 400))
    whole = Image.open(io.BytesIO(page_png(data, "pdf", Source(page=1), max_pixels=CAP)))
    assert whole.width * whole.height <= CAP and whole.height > 5 * whole.width  # scaled, not cropped
    with pytest.raises(PageTooLarge):
        page_png(blank_pdf(14400, 14400), "pdf", Source(page=1), max_pixels=CAP)


def test_large_scan_is_capped() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (3000, 3000), "white").save(buf, "PNG")
    bbox = (2500.0, 2500.0, 2600.0, 2550.0)
    img = Image.open(io.BytesIO(page_png(buf.getvalue(), "image", Source(page=1, bbox=bbox), max_pixels=1_000_000)))
    assert img.width == 3000 and img.width * img.height <= 1_000_000  # a full-width band around the box
    win = fit_window(3000, 3000, bbox, 1.0, 1_000_000)
    assert is_red(img.convert("RGB").getpixel((2550, int(2500 - win.top) - 2)))
    img = Image.open(io.BytesIO(page_png(buf.getvalue(), "image", Source(page=1), max_pixels=1_000_000)))
    assert 990 <= img.width == img.height <= 1000  # scaled down whole (no box to crop around)


def test_page_cache_is_bounded_by_bytes() -> None:
    cache = PageCache(max_bytes=250)
    made: list[int] = []

    def make(n: int):
        return lambda: made.append(n) or bytes(100)

    for n in (1, 2, 1, 3):
        assert cache.get((n,), make(n)) == bytes(100)
    assert made == [1, 2, 3] and cache.hits == 1 and len(cache) == 2 and cache.size == 200
    cache.get((2,), make(2))  # 2 was the least recently used: evicted by 3, made again
    assert made == [1, 2, 3, 2]
    cache.get((9,), lambda: bytes(1000))  # larger than the whole cache: served, not kept
    assert (9,) not in cache._items


def test_page_png_route_caps_and_caches(tmp_path: Path) -> None:
    pdf = FORMS / "003_2a799143023ee02c.lo.pdf"
    if not pdf.exists():
        pytest.skip("fixture not built")
    store = Store(f"sqlite:///{tmp_path / 'png.db'}")
    store.create_user("v", hash_password("viewer-pass-1"), "viewer")
    store.ingest([str(pdf)])
    rid = store.reports()[0].id
    app = create_app(store, secret="png", policy=Policy(page_image_max_pixels=300_000))
    c = TestClient(app)
    c.post("/api/session", json={"username": "v", "password": "viewer-pass-1"})
    prov = c.get(f"/api/reports/{rid}").json()["report"]["provenance"]
    ref = next(r for r, p in prov.items() if p.get("source", {}).get("bbox") and p["status"] == "number")
    first = c.get(f"/reports/{rid}/page.png", params={"ref": ref})
    assert first.status_code == 200 and first.headers["content-type"] == "image/png"
    img = Image.open(io.BytesIO(first.content))
    assert img.width * img.height <= 300_000
    second = c.get(f"/reports/{rid}/page.png", params={"ref": ref})
    assert second.content == first.content
    assert app.state.page_cache.hits == 1 and app.state.page_cache.misses == 1
