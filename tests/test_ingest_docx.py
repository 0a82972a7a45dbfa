"""DOCX / DOC ingestion: the fixtures' three tables cell by cell, span expansion, and bad input."""
from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import ROOT, load_truth, wrong_cells
from nianbao.document import Paragraph, Table
from nianbao.errors import NianbaoError
from nianbao.extract import extract
from nianbao.ingest import docx as docx_ingest
from nianbao.ingest import read_bytes, read_document

FORMS = ROOT / "tests" / "fixtures" / "forms"
DOCX_FIXTURES = sorted(FORMS.glob("*.docx"))
DOC_FIXTURE = next(iter(sorted(FORMS.glob("*.doc"))), None)


def _seed(path: Path) -> str:
    return path.name.split(".")[0]


def _assert_matches_truth(path: Path) -> None:
    truth = load_truth(_seed(path))
    report = extract(read_document(path))
    got = report.to_dict()
    assert wrong_cells(got, truth) == []
    assert (got["agency"], got["year"], got["template"]) == (truth["agency"], truth["year"], truth["template"])


@pytest.mark.skipif(not DOCX_FIXTURES, reason="no DOCX fixtures in tests/fixtures/forms")
@pytest.mark.parametrize("path", DOCX_FIXTURES, ids=lambda p: p.name)
def test_docx_fixture_matches_truth(path: Path) -> None:
    _assert_matches_truth(path)


def _merged_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("标题段落")
    t = d.add_table(rows=3, cols=4)
    for r in range(3):
        for c in range(4):
            t.cell(r, c).text = f"{r}{c}"
    t.cell(0, 0).merge(t.cell(0, 1))  # gridSpan 2
    t.cell(1, 2).merge(t.cell(2, 2))  # vMerge over two rows
    t.cell(1, 3).text = ""
    cell = t.cell(2, 0)
    cell.text = "第一段"
    cell.add_paragraph("第二段")
    d.add_paragraph("表后段落")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_spans_expand_to_exact_grid() -> None:
    doc = read_bytes(_merged_docx(), "merged.docx")
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph"]  # document order, not paragraphs then tables
    p0, table, p1 = doc.blocks
    assert isinstance(p0, Paragraph) and p0.source.line == 1 and isinstance(p1, Paragraph) and p1.source.line == 2
    assert isinstance(table, Table)
    grid = [[(c.text, c.copy_of) for c in row] for row in table.rows]
    merged_text = "00 01" if grid[0][0][0] == "00 01" else grid[0][0][0]  # python-docx joins merged texts
    assert grid == [
        [(merged_text, None), (merged_text, (0, 0)), ("02", None), ("03", None)],
        [("10", None), ("11", None), (grid[1][2][0], None), ("", None)],
        [("第一段\n第二段", None), ("21", None), (grid[1][2][0], (1, 2)), ("23", None)],
    ]
    assert table.rows[2][3].source.as_dict() == {"table": 0, "row": 2, "col": 3}


def test_zip_without_word_document() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "x")
    with pytest.raises(NianbaoError) as exc:
        read_bytes(buf.getvalue(), "a.zip")
    assert exc.value.kind == "unsupported" and "word/document.xml" in exc.value.reason


def test_corrupt_docx() -> None:
    data = _merged_docx()
    with pytest.raises(NianbaoError) as exc:
        read_bytes(data[: len(data) // 2], "broken.docx")
    assert exc.value.kind == "corrupt"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<not xml")
    with pytest.raises(NianbaoError) as exc:
        read_bytes(buf.getvalue(), "broken2.docx")
    assert exc.value.kind == "corrupt"


def test_encrypted_ooxml_is_refused() -> None:
    # A minimal OLE image with an "EncryptionInfo" directory entry at a 128-byte boundary.
    data = bytearray(docx_ingest.OLE_MAGIC + b"\0" * (2048 - 8))
    name = "EncryptionInfo".encode("utf-16-le")
    data[1024:1024 + len(name)] = name
    data[1024 + 64:1024 + 66] = (len(name) + 2).to_bytes(2, "little")
    with pytest.raises(NianbaoError) as exc:
        read_bytes(bytes(data), "secret.docx")
    assert exc.value.kind == "encrypted"


@pytest.mark.skipif(DOC_FIXTURE is None, reason="no DOC fixture (tests/fixtures/forms/*.doc): scripts/make_fixtures.py")
def test_doc_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    with pytest.raises(NianbaoError) as exc:
        read_document(DOC_FIXTURE)
    assert exc.value.kind == "missing_tool" and "LibreOffice" in exc.value.reason


@pytest.mark.skipif(DOC_FIXTURE is None, reason="no DOC fixture (tests/fixtures/forms/*.doc): scripts/make_fixtures.py")
def test_doc_converted_with_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.which("soffice") or shutil.which("libreoffice")
    if real is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    calls: list[str] = []

    def which(name: str, *a, **k) -> str | None:
        calls.append(name)
        return real if name in ("soffice", "libreoffice") else None

    monkeypatch.setattr(shutil, "which", which)
    _assert_matches_truth(DOC_FIXTURE)
    assert calls and calls[0] == "soffice"
