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
