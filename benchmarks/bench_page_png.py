"""Benchmark the source-page image (``/reports/{id}/page.png``): time and peak memory for one tall page.

Builds a PDF with one blank 595 × 14,400-point page (a whole report pasted onto a single page; issue 14
measured a 14,400-point square page) and renders the value box near its foot, once uncapped (what the route used to do: the
whole page at scale 2) and once with the default pixel cap (a window around the value). Each run is
a fresh child process so its peak RSS is its own; a cached repeat is timed in the capped child.

    .venv/bin/python benchmarks/bench_page_png.py [--width 595] [--height 14400] [--no-uncapped]
"""
from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time


def tall_pdf(width: float, height: float) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(width, height)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def child(width: float, height: float, max_pixels: int) -> dict:
    from nianbao.document import Source
    from nianbao.web.provenance import PageCache, page_png

    data = tall_pdf(width, height)
    src = Source(page=1, bbox=(100.0, height - 400, 200.0, height - 380))
    cache = PageCache(64 * 1024 * 1024)
    t0 = time.perf_counter()
    png = cache.get(("p",), lambda: page_png(data, "pdf", src, max_pixels=max_pixels))
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    cache.get(("p",), lambda: page_png(data, "pdf", src, max_pixels=max_pixels))
    again = time.perf_counter() - t0
    from PIL import Image

    w, h = Image.open(io.BytesIO(png)).size
    return {"max_pixels": max_pixels, "seconds": round(first, 3), "cached_seconds": round(again, 6),
            "png_bytes": len(png), "image": f"{w}x{h}",
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--width", type=float, default=595.0, help="page width in points (default 595, A4)")
    ap.add_argument("--height", type=float, default=14400.0, help="page height in points (default 14400)")
    ap.add_argument("--uncapped", action=argparse.BooleanOptionalAction, default=True,
                    help="also run the old uncapped rendering (never on a 14400 × 14400 page: 6.6 GB)")
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.width, args.height, args.child)))
        return 0
    from nianbao.web.policy import Policy

    caps = [Policy().page_image_max_pixels] + ([10**12] if args.uncapped else [])
    for cap in caps:
        out = subprocess.run([sys.executable, __file__, "--width", str(args.width), "--height", str(args.height),
                              "--child", str(cap)],
                             capture_output=True, text=True, check=True).stdout
        result = json.loads(out)
        label = "capped (default)" if cap != 10**12 else "uncapped (before)"
        print(f"{label:18} {result['image']:>12}  {result['seconds']:7.2f} s  repeat {result['cached_seconds']:.4f} s"
              f"  peak RSS {result['peak_rss_mb']:8.1f} MB  PNG {result['png_bytes'] / 1024:8.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
