"""Shared test helpers: the bundled sample reports and their truth files."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED_IDS = sorted(p.name[: -len(".truth.json")] for p in SAMPLES.glob("*.truth.json"))


def load_truth(seed_id: str) -> dict:
    return json.loads((SAMPLES / f"{seed_id}.truth.json").read_text(encoding="utf-8"))


def seed_text(seed_id: str) -> str:
    return (SAMPLES / f"{seed_id}.txt").read_text(encoding="utf-8")


def wrong_cells(got: dict, truth: dict) -> list[str]:
    """Every table cell of *truth* that *got* (a Report.to_dict()) does not reproduce exactly."""
    wrong = []
    for item, fields in (truth.get("active") or {}).items():
        for f, want in (fields or {}).items():
            have = (got["active"].get(item) or {}).get(f)
            if str(have) != str(want) if want is not None else have is not None:
                wrong.append(f"active.{item}.{f}: want {want!r} got {have!r}")
    for row, values in (truth.get("applications") or {}).items():
        have_row = got["applications"].get(row) or [None] * 7
        for i, want in enumerate(values or [None] * 7):
            if have_row[i] != want:
                wrong.append(f"applications.{row}[{i}]: want {want!r} got {have_row[i]!r}")
    for block, values in (truth.get("review_litigation") or {}).items():
        have_block = got["review_litigation"].get(block) or [None] * 5
        for i, want in enumerate(values or [None] * 5):
            if have_block[i] != want:
                wrong.append(f"review_litigation.{block}[{i}]: want {want!r} got {have_block[i]!r}")
    return wrong


@pytest.fixture(params=SEED_IDS)
def seed_id(request) -> str:
    return request.param


# ----------------------------------------------------------------------------- scored corpora
def corpus_sources(folder: Path) -> list[Path]:
    """The source files of a scored corpus folder (everything but ``*.truth.json``)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.endswith(".truth.json"))


def truth_of(path: Path) -> dict:
    """``<id>.truth.json`` beside the source ``<id>.<ext>`` (as ../shared/tools/score.py pairs them)."""
    return json.loads(path.with_name(path.name.rsplit(".", 1)[0] + ".truth.json").read_text(encoding="utf-8"))


def assert_reads_like_truth(path: Path, known_failures: dict[str, str]) -> None:
    """Every cell, the year and the template as in the truth; the agency as leniently as the scorer.

    A file listed in *known_failures* is an xfail with its reason.
    """
    from nianbao.api import parse_file

    if path.name in known_failures:
        pytest.xfail(known_failures[path.name])
    truth = truth_of(path)
    got = parse_file(path).to_dict()
    wrong = wrong_cells(got, truth)
    assert not wrong, f"{len(wrong)} wrong cells:\n" + "\n".join(wrong[:20])
    assert got["year"] == truth["year"]
    assert str(got["template"]) == str(truth["template"])
    assert truth["agency"] in (got["agency"] or "") or (got["agency"] or "x") in truth["agency"]


def assert_still_fails(path: Path) -> None:
    """A known failure that starts passing must leave its KNOWN_FAILURES list (the lists are strict)."""
    from nianbao.api import parse_file

    assert wrong_cells(parse_file(path).to_dict(), truth_of(path)), f"{path.name} now parses exactly: remove it"


# ----------------------------------------------------------------------------- ../shared
SHARED = ROOT.parent / "shared"  # the shared folder beside the repository (real reports, spec, scorer)


def shared_corpus(name: str) -> list[Path]:
    """The source files of ``../shared/<name>``; a test that needs them skips, saying which folder is missing."""
    folder = SHARED / name
    if not folder.is_dir():
        pytest.skip(f"{folder} is not present: the real reports of ../shared/{name} are needed")
    return corpus_sources(folder)
