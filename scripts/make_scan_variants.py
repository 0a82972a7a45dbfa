#!/usr/bin/env python3
"""Build ``tests/fixtures/scan-variants/``: scans of the text-layer PDFs with the degradations real scans show.

Why: the OCR ingester was tuned on one scan (``forms/003….scan.pdf``: 150 dpi, 0.7°, light noise,
JPEG q35). Published scans also come at other resolutions, turned the other way or further, blurred,
on grey or unevenly lit paper, in colour, and as single-page images. Each variant here is one of
those, made deterministically (fixed seeds) from a ``tests/fixtures/forms`` PDF:

==============  ===========================================================================================
``100dpi``      002 LibreOffice PDF, pages 1, 3, 4 (title + every table): 100 dpi, −1.5°, blur, uneven grey
                background (a shadow across the page), noise, JPEG q50, image-only PDF
``300dpi``      001 Chromium PDF, pages 2–4 (the table pages): 300 dpi, +2°, noise, dust, JPEG q30
``rgb``         000 LibreOffice PDF, pages 2–4 (the table pages): 200 dpi colour (RGB) scan: yellowish
                paper, dark blue ink, a lighting gradient, a slight perspective (phone-photo) skew,
                +1.2°, JPEG q60
``png300``      001 LibreOffice PDF, page 3 alone (tables 三 and 四) as a 300 dpi PNG (dpi recorded),
                −0.8°, quantized to 16 grey levels
==============  ===========================================================================================

Only the pages holding the tables (and, for ``100dpi``, the title page) are kept: OCR costs several
seconds a page, and the prose pages add nothing to the table cells. Truth is the seed's
``samples/<seed>.truth.json`` copied as ``<seed-number>.<variant>.truth.json``, with what the file
cannot show set to null and said in ``source_defects``: ``agency``/``year`` when the title page is
left out (the scorer then skips them), and, for the single-page PNG, the tables that are not on it
(``active``: null, so the scorer expects nothing there — the reader must not invent a table it
never saw). Scoring single pages this way keeps them in the common ``score.py`` run; the tests
compute accuracy over the page's own cells only, so the null cells do not inflate it.

Usage: ``python scripts/make_scan_variants.py`` (needs pypdfium2, Pillow, numpy; rerunnable, same bytes).
"""
from __future__ import annotations

import io
import json
import time
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / "tests" / "fixtures" / "forms"
SAMPLES = ROOT / "samples"
OUT = ROOT / "tests" / "fixtures" / "scan-variants"


def _render(pdf: Path, pages: list[int], dpi: int, *, color: bool = False) -> list[Image.Image]:
    doc = pdfium.PdfDocument(str(pdf))
    out = []
    for p in pages:
        img = doc[p - 1].render(scale=dpi / 72, grayscale=not color).to_pil()
        out.append(img.convert("RGB" if color else "L"))
    doc.close()
    return out


def _shade(arr: np.ndarray, rng: np.random.Generator, depth: float) -> np.ndarray:
    """Uneven lighting: the paper darkens by up to *depth* (0–1) along a random direction, plus a soft blotch."""
    h, w = arr.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(a) * xx / w + np.sin(a) * yy / h)
    ramp = (ramp - ramp.min()) / (ramp.max() - ramp.min())
    cy, cx = rng.uniform(0.2, 0.8) * h, rng.uniform(0.2, 0.8) * w
    blob = np.exp(-(((yy - cy) / (0.3 * h)) ** 2 + ((xx - cx) / (0.3 * w)) ** 2))
    light = 1.0 - depth * (0.75 * ramp + 0.25 * blob)
    if arr.ndim == 3:
        light = light[..., None]
    return arr.astype(np.float32) * light


def _noise(arr: np.ndarray, rng: np.random.Generator, sigma: float, dust: float) -> np.ndarray:
    arr = arr + rng.normal(0, sigma, arr.shape).astype(np.float32)
    if dust:
        specks = rng.random(arr.shape[:2]) < dust
        arr[specks] = 40
    return np.clip(arr, 0, 255).astype(np.uint8)


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).copy()


def _perspective(img: Image.Image, rng: np.random.Generator, amount: float) -> Image.Image:
    """A slight keystone, as a phone held not quite parallel to the page: the top edge narrower."""
    w, h = img.size
    d = amount * w
    # PIL's PERSPECTIVE maps output (x, y) to input via 8 coefficients; find them from 4 corner pairs.
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    dst = [(d, rng.uniform(0, d / 2)), (w - d, rng.uniform(0, d / 2)), (w, h), (0, h)]
    rows, rhs = [], []
    for (xs, ys), (xd, yd) in zip(src, dst):
        rows.append([xd, yd, 1, 0, 0, 0, -xs * xd, -xs * yd])
        rhs.append(xs)
        rows.append([0, 0, 0, xd, yd, 1, -ys * xd, -ys * yd])
        rhs.append(ys)
    coeffs = np.linalg.solve(np.array(rows, dtype=float), np.array(rhs, dtype=float))
    fill = (255, 255, 255) if img.mode == "RGB" else 255
    return img.transform((w, h), Image.PERSPECTIVE, tuple(coeffs), Image.BICUBIC, fillcolor=fill)


def _save_pdf(pages: list[Image.Image], out: Path, dpi: int, quality: int) -> None:
    fixed = time.gmtime(1704067200)  # 2024-01-01: same bytes on every run
    pages[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=pages[1:], quality=quality,
                  creationDate=fixed, modDate=fixed)


def variant_100dpi() -> list[Image.Image]:
    rng = np.random.default_rng(100)
    out = []
    for img in _render(FORMS / "002_e36d426879923bc1.lo.pdf", [1, 3, 4], 100):
        img = img.rotate(-1.5, resample=Image.BICUBIC, expand=False, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(0.7))
        arr = _shade(np.asarray(img), rng, 0.3) * 0.93  # grey paper, darker towards one side
        out.append(_jpeg(Image.fromarray(_noise(arr, rng, 3.0, 0.0004), "L"), 50))
    return out


def variant_300dpi() -> list[Image.Image]:
    rng = np.random.default_rng(300)
    out = []
    for img in _render(FORMS / "001_203072e8f6b1ea52.chromium.pdf", [2, 3, 4], 300):
        img = img.rotate(2.0, resample=Image.BICUBIC, expand=False, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(0.9))
        arr = _noise(np.asarray(img).astype(np.float32) * 0.96, rng, 4.0, 0.0005)
        out.append(_jpeg(Image.fromarray(arr, "L"), 30))
    return out


def variant_rgb() -> list[Image.Image]:
    rng = np.random.default_rng(200)
    out = []
    paper = np.array([246, 238, 214], np.float32)  # yellowish paper
    ink = np.array([25, 35, 80], np.float32)  # dark blue ink
    for img in _render(FORMS / "000_a122145f4d95bb2d.lo.pdf", [2, 3, 4], 200, color=True):
        img = _perspective(img, rng, 0.012)
        img = img.rotate(1.2, resample=Image.BICUBIC, expand=False, fillcolor=(255, 255, 255))
        img = img.filter(ImageFilter.GaussianBlur(0.6))
        t = np.asarray(img.convert("L"), np.float32)[..., None] / 255.0  # 1 = paper, 0 = ink
        arr = ink + (paper - ink) * t
        arr = _noise(_shade(arr, rng, 0.25), rng, 3.0, 0.0)
        out.append(_jpeg(Image.fromarray(arr, "RGB"), 60))
    return out


def variant_png300() -> Image.Image:
    [img] = _render(FORMS / "001_203072e8f6b1ea52.lo.pdf", [3], 300)
    img = img.rotate(-0.8, resample=Image.BICUBIC, expand=False, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(0.5))
    return img.point(lambda v: (v // 16) * 17)  # 16 grey levels: a small PNG


def _truth(seed: str, stem: str, defects: list[str], *, no_title: bool = False, absent: tuple[str, ...] = ()) -> None:
    truth = json.loads((SAMPLES / f"{seed}.truth.json").read_text(encoding="utf-8"))
    truth["id"] = stem
    truth["source_kind"] = "scan"
    if no_title:
        truth["agency"] = None
        truth["year"] = None
        defects = defects + ["title page left out of the scan: agency and year are not in the file (null here)"]
    for table in absent:
        truth[table] = None
    if absent:
        defects = defects + [f"single page: table {t} is not on it (null here)" for t in absent]
    truth["source_defects"] = list(truth.get("source_defects") or []) + defects
    truth.setdefault("provenance", {})["scan_variant"] = f"scripts/make_scan_variants.py from samples/{seed}.truth.json"
    (OUT / f"{stem}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    _save_pdf(variant_100dpi(), OUT / "002.100dpi.pdf", 100, 50)
    _truth("002_e36d426879923bc1", "002.100dpi", ["scan: pages 1, 3, 4 of the LibreOffice PDF only (prose pages left out)"])
    _save_pdf(variant_300dpi(), OUT / "001.300dpi.pdf", 300, 30)
    _truth("001_203072e8f6b1ea52", "001.300dpi", ["scan: pages 2–4 of the Chromium PDF only"], no_title=True)
    _save_pdf(variant_rgb(), OUT / "000.rgb.pdf", 200, 60)
    _truth("000_a122145f4d95bb2d", "000.rgb", ["colour scan: pages 2–4 of the LibreOffice PDF only"], no_title=True)
    variant_png300().save(OUT / "001.png300.png", "PNG", optimize=True, dpi=(300, 300))
    _truth("001_203072e8f6b1ea52", "001.png300", ["PNG of page 3 of the LibreOffice PDF only"], no_title=True,
           absent=("active",))
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {OUT} ({total / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
