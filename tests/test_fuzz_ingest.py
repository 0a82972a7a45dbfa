"""Fuzzing the ingesters (issue 13): any bytes give a document or a clear NianbaoError, never a traceback.

Hypothesis drives generated markup and text, and mutations of real fixtures (HTML, text, DOCX —
inside ``word/document.xml`` — and PDF). The number of examples is bounded so that the whole
module runs in well under a minute; in CI the examples are derandomized (reproducible). The long
run is ``benchmarks/fuzz_ingest.py``. Every crash found is kept in tests/fixtures/fuzz-regressions/
and read again by :func:`test_fuzz_regressions`.
"""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.document import Document, Paragraph, Table
from nianbao.errors import NianbaoError
from nianbao.ingest import read_bytes

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
REGRESSIONS = FIXTURES / "fuzz-regressions"
KINDS = {"missing", "empty", "binary", "encoding", "too_large", "unsupported", "corrupt", "encrypted", "missing_tool",
         "not_a_report", "unreadable"}

FUZZ = settings(max_examples=int(os.environ.get("NIANBAO_FUZZ_EXAMPLES", "60")), deadline=None, database=None,
                derandomize=os.environ.get("CI") == "true",
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


def ingest_safely(data: bytes, name: str) -> Document | None:
    """Read *data*; a NianbaoError is fine when its reason is a user's (Chinese, no 内部错误)."""
    try:
        doc = read_bytes(data, name)
    except NianbaoError as exc:
        assert exc.kind in KINDS, exc.kind
        assert exc.reason and "内部错误" not in exc.reason and "Traceback" not in exc.reason
        return None
    for block in doc.blocks:
        assert isinstance(block, Paragraph | Table)
        if isinstance(block, Table):  # span-expanded grids stay within the table limits
            assert sum(len(row) for row in block.rows) <= 100_000
    return doc


# --------------------------------------------------------------------------- mutations of real fixtures

def _fixtures(*patterns: str) -> list[Path]:
    return sorted(p for pattern in patterns for p in FIXTURES.glob(pattern))


SEEDS = {
    "html": _fixtures("forms/*.html", "variants/*.html")[:12],
    "text": _fixtures("robust/*.txt")[:12],
    "docx": _fixtures("forms/*.docx", "docx-variants/*.docx")[:10],
    "pdf": _fixtures("forms/*.lo.pdf", "pdf-variants/*.pdf")[:8],
}
SUFFIX = {"html": ".html", "text": ".txt", "docx": ".docx", "pdf": ".pdf"}
HUGE = [b"0", b"-1", b"99999", b"1000000000", b"4294967296", b"99999999999999999999", b"nan"]

mutation = st.tuples(st.integers(0, 6), st.floats(0, 1), st.integers(1, 4096), st.binary(min_size=1, max_size=64),
                     st.sampled_from(HUGE))


def mutate(data: bytes, ops: list[tuple[int, float, int, bytes, bytes]]) -> bytes:
    """Apply hypothesis-chosen edits: flip, overwrite, insert, delete, duplicate, truncate, huge number."""
    buf = bytearray(data)
    for op, where, length, payload, huge in ops:
        if not buf:
            buf += payload
            continue
        at = min(int(where * len(buf)), len(buf) - 1)
        end = min(len(buf), at + length)
        if op == 0:
            buf[at] ^= payload[0] or 1
        elif op == 1:
            buf[at:at + len(payload)] = payload
        elif op == 2:
            buf[at:at] = payload
        elif op == 3:
            del buf[at:end]
        elif op == 4:
            buf[at:at] = bytes(buf[at:end]) * 4
        elif op == 5:
            del buf[at + 1:]
        else:
            digits = bytes(buf).find(b"1", at)
            if digits != -1:
                buf[digits:digits + 1] = huge
    return bytes(buf)


@pytest.mark.parametrize("form", ["html", "text", "pdf"])
@FUZZ
@given(data=st.data())
def test_mutated_fixtures_never_crash(form: str, data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(SEEDS[form]), label="seed")
    ops = data.draw(st.lists(mutation, min_size=1, max_size=4), label="ops")
    ingest_safely(mutate(seed.read_bytes(), ops), "fuzz" + SUFFIX[form])


_DOCX_ATTR = st.sampled_from(["gridSpan", "gridBefore", "gridAfter", "vMerge", "hMerge", "gridCol", "tcW"])


def _rezip(data: bytes, xml_edit) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info.filename, xml_edit(body) if info.filename == "word/document.xml" else body)
    return out.getvalue()


@FUZZ
@given(data=st.data())
def test_mutated_docx_xml_never_crashes(data: st.DataObject) -> None:
    """Edits inside word/document.xml (re-zipped), so the XML walker is reached, not only the ZIP check."""
    seed = data.draw(st.sampled_from(SEEDS["docx"]), label="seed")
    ops = data.draw(st.lists(mutation, min_size=0, max_size=3), label="ops")
    attrs = data.draw(st.lists(st.tuples(_DOCX_ATTR, st.sampled_from(HUGE)), max_size=3), label="attrs")

    def edit(xml: bytes) -> bytes:
        for attr, value in attrs:
            xml = xml.replace(b"<w:tcPr>", b'<w:tcPr><w:%s w:val="%s" w:w="%s"/>' % (attr.encode(), value, value), 1)
        return mutate(xml, ops)

    ingest_safely(_rezip(seed.read_bytes(), edit), "fuzz.docx")


@FUZZ
@given(data=st.data())
def test_mutated_docx_bytes_never_crash(data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(SEEDS["docx"]), label="seed")
    ops = data.draw(st.lists(mutation, min_size=1, max_size=3), label="ops")
    ingest_safely(mutate(seed.read_bytes(), ops), "fuzz.docx")


# --------------------------------------------------------------------------- generated input

_SPAN = st.one_of(st.integers(-2, 5).map(str), st.sampled_from(["0", "1000", "65534", "99999999", "x", "3.5", ""]))
_CELL_TEXT = st.text(alphabet=st.sampled_from(list("0123456789 规章自然人总计一、（）-/\n")), max_size=12)


@st.composite
def tables(draw) -> str:
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        cells = []
        for _ in range(draw(st.integers(1, 8))):
            tag = draw(st.sampled_from(["td", "th"]))
            attrs = "".join(f' {a}="{draw(_SPAN)}"' for a in ("rowspan", "colspan") if draw(st.booleans()))
            cells.append(f"<{tag}{attrs}>{draw(_CELL_TEXT)}</{tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>" + "".join(rows) + "</table>"


markup = st.recursive(
    st.one_of(_CELL_TEXT, tables(), st.just("<br>")),
    lambda inner: st.builds(lambda tag, kids: f"<{tag}>{''.join(kids)}</{tag}>",
                            st.sampled_from(["div", "p", "td", "table", "tr", "span", "section"]),
                            st.lists(inner, max_size=4)),
    max_leaves=30,
)


@FUZZ
@given(body=st.lists(markup, max_size=6), encoding=st.sampled_from(["utf-8", "gb18030", "utf-16-le", "utf-32-be"]))
def test_generated_pages_never_crash(body: list[str], encoding: str) -> None:
    page = "<html><head><title>2023年政府信息公开工作年度报告</title></head><body>" + "".join(body) + "</body></html>"
    ingest_safely(page.encode(encoding), "gen.html")


@FUZZ
@given(lines=st.lists(st.text(max_size=40), max_size=30),
       encoding=st.sampled_from(["utf-8", "gb18030", "big5hkscs", "utf-16-le", "utf-16", "utf-32-le"]))
def test_generated_text_never_crashes(lines: list[str], encoding: str) -> None:
    ingest_safely("\n".join(lines).encode(encoding, errors="replace"), "gen.txt")


@FUZZ
@given(blob=st.binary(max_size=4096), name=st.sampled_from(["x.txt", "x.html", "x.pdf", "x.docx", None]))
def test_arbitrary_bytes_never_crash(blob: bytes, name: str | None) -> None:
    ingest_safely(blob, name)


# --------------------------------------------------------------------------- crashes found, kept

REGRESSION_FILES = sorted(p for p in REGRESSIONS.glob("*") if p.is_file() and p.suffix != ".md")


@pytest.mark.parametrize("path", REGRESSION_FILES, ids=[p.name for p in REGRESSION_FILES])
def test_fuzz_regressions(path: Path) -> None:
    ingest_safely(path.read_bytes(), path.name)


def test_regression_folder_is_populated() -> None:
    assert len(REGRESSION_FILES) >= 1 and (REGRESSIONS / "README.md").is_file()
