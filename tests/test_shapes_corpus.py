"""The shapes corpus: the real seed reports in the shapes real tools and sites print their tables in.

``tests/fixtures/shapes/`` is built by ``scripts/make_shapes.py`` from ``../shared/seeds`` (typos in
row labels, wrapped labels whose continuation stands between label and values, Markdown with the
table-三 labels and value rows apart, one HTML table per row, table 三 in many pieces, table 二 as
sentences, the article written by the page's JavaScript). Every file must give its truth cell by cell, agency, year and template included.
Files that cannot be read yet are strict xfails in :data:`KNOWN_FAILURES`, with the reason: a file
that starts passing fails :func:`test_known_failures_still_fail` until it leaves the list.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SAMPLES, assert_reads_like_truth, assert_still_fails, corpus_sources, truth_of

SHAPES = Path(__file__).resolve().parent / "fixtures" / "shapes"
DOCS = corpus_sources(SHAPES)

# Files the extractor cannot read yet, with the reason (a strict list: one that starts passing must leave it).
KNOWN_FAILURES: dict[str, str] = {}


SHAPE_NAMES = ("typo", "wrap", "label-block", "row-tables", "t3-pieces", "t2-prose", "script", "vlabels")


def _shape(path: Path) -> str:
    """``002.wrap-md.md`` → ``wrap``, ``003.script-var.html`` → ``script``: the shape the file name names."""
    name = path.name.split(".")[1]
    return next((s for s in SHAPE_NAMES if name.startswith(s)), name)


def test_corpus_is_there() -> None:
    """Every shape from at least two seeds, in a small corpus, one truth per source."""
    seeds_by_shape: dict[str, set[str]] = {}
    for path in DOCS:
        seeds_by_shape.setdefault(_shape(path), set()).add(path.name[:3])
    assert set(seeds_by_shape) == set(SHAPE_NAMES)
    assert all(len(seeds) >= 2 for seeds in seeds_by_shape.values()), seeds_by_shape
    assert {p.suffix for p in DOCS} >= {".md", ".txt", ".html", ".pdf"}
    assert sum(p.stat().st_size for p in SHAPES.iterdir()) < 1024 * 1024
    assert set(KNOWN_FAILURES) <= {p.name for p in DOCS}


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_truth_is_the_seeds(path: Path) -> None:
    """A shape prints the seed's numbers under the seed's rows: its truth cells are the seed's, unchanged."""
    truth = truth_of(path)
    seed = json.loads((SAMPLES / f"{truth['provenance'].split('seed ')[1].split(',')[0]}.truth.json")
                      .read_text(encoding="utf-8"))
    for part in ("active", "applications", "review_litigation", "agency", "year", "template"):
        assert truth[part] == seed[part], part
    assert truth["id"] == path.name.rsplit(".", 1)[0]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_shape(path: Path) -> None:
    assert_reads_like_truth(path, KNOWN_FAILURES)


@pytest.mark.parametrize("name", sorted(KNOWN_FAILURES) or ["-"])
def test_known_failures_still_fail(name: str) -> None:
    """A known failure that starts passing must leave :data:`KNOWN_FAILURES` (it is a strict list)."""
    if name == "-":
        pytest.skip("no known failures")
    assert_still_fails(SHAPES / name)
