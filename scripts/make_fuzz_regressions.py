#!/usr/bin/env python3
"""Write ``tests/fixtures/fuzz-regressions/``: every crash the fuzzers found, minimised, one file each.

Why: a crash found once must stay fixed. Each entry is the smallest input (reduced by hand from
what hypothesis or ``benchmarks/fuzz_ingest.py`` found) that made an ingester raise something
other than a clear :class:`NianbaoError`; ``tests/test_fuzz_ingest.py::test_fuzz_regressions``
reads every file of the folder. The table below is also written as the folder's README.md.

Usage: ``python scripts/make_fuzz_regressions.py`` (deterministic; rerunnable).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "fuzz-regressions"
sys.path.insert(0, str(ROOT / "scripts"))


def _docx_bad_deflate() -> bytes:
    import make_hostile

    return make_hostile.bad_deflate_docx()


# name -> (how it was found, what crashed, bytes)
CRASHES: dict[str, tuple[str, str, object]] = {
    "html-control-char-tail.html": (
        "hypothesis, test_mutated_fixtures_never_crash[html] (a flipped last byte: newline → VT)",
        "ValueError from lxml when a dropped <script>'s tail holding a control character moved to its neighbour",
        lambda: b"<html><body><p>a</p><script>x</script>\x0b\x0c</body></html>"),
    "docx-bad-deflate.docx": (
        "issue 13 (a DOCX whose deflate data is damaged)",
        "zlib.error from ZipFile.testzip (only BadZipFile was expected): 内部错误",
        _docx_bad_deflate),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    lines = ["# Fuzz regressions", "", "Made by `scripts/make_fuzz_regressions.py`; read by "
             "`tests/test_fuzz_ingest.py::test_fuzz_regressions`.", "",
             "| file | found by | crash (before the fix) |", "|---|---|---|"]
    for name, (found, crash, make) in CRASHES.items():
        (OUT / name).write_bytes(make())
        lines.append(f"| `{name}` | {found} | {crash} |")
    (OUT / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(CRASHES)} files in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
