"""Precision and recall of NARRATIVE-VS-TABLE (the narrative's counts against the tables).

Two measures, printed as one table:

* ``cases``: the hand-labelled sentences of ``tests/fixtures/narrative/cases.json``, each put at
  the start of section 一 of a seed; a finding is right when it is labelled (same table total,
  same stated number, same severity). Precision = right findings / findings, recall = labelled
  findings found / labelled findings.
* real reports (``../shared/seeds``, ``../shared/corpus-dev``) and the committed corpora
  (``tests/fixtures/*``): every source with a ``.truth.json``; a finding is right when the number
  it quotes really differs from the truth file's total (so a finding caused by a misread table
  counts as wrong). These reports have no labelled narrative mismatch, so only findings and
  precision are shown there.

Usage: ``python scripts/measure_narrative.py`` (from the repository root).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from nianbao.api import parse_file  # noqa: E402
from nianbao.checks import run_checks  # noqa: E402
from nianbao.extract import extract  # noqa: E402
from nianbao.ingest.text import read_text  # noqa: E402

RULE = "NARRATIVE-VS-TABLE"
_TARGET_OF_CELL = {"applications.new.total": "new", "applications.processed_total.total": "processed_total",
                   "review_litigation.review.total": "review",
                   "review_litigation.litigation_direct.total": "litigation"}


def _found(findings) -> list[tuple[str, int, str]]:
    return [(_TARGET_OF_CELL[f.cells[0]], f.data["stated"], f.severity) for f in findings if f.rule == RULE]


def _with_sentence(seed: str, sentence: str) -> str:
    lines = (ROOT / "samples" / f"{seed}.txt").read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "总体情况" in line)
    return "\n".join(lines[: at + 1] + [sentence] + lines[at + 1:])


def measure_cases() -> tuple[int, int, int, list[str]]:
    """(findings, right findings, labelled findings, wrong lines) over the labelled sentences."""
    cases = json.loads((ROOT / "tests/fixtures/narrative/cases.json").read_text(encoding="utf-8"))["cases"]
    n_found = n_right = n_expected = 0
    wrong: list[str] = []
    for case in cases:
        text = _with_sentence(case["seed"], case["text"])
        report = extract(read_text(text, "case.txt"))
        found = _found(run_checks(report, rules=[RULE]))
        expected = [tuple(x) for x in case["expect"]]
        right = [f for f in found if f in expected]
        n_found, n_right, n_expected = n_found + len(found), n_right + len(right), n_expected + len(expected)
        if sorted(found) != sorted(expected):
            wrong.append(f"  {case['text']}  expected {expected} got {found}")
    return n_found, n_right, n_expected, wrong


def _truth_total(truth: dict, target: str) -> int | None:
    apps, rl = truth.get("applications") or {}, truth.get("review_litigation") or {}
    if target in ("new", "processed_total"):
        row = apps.get(target)
        return row[-1] if row else None
    if target == "review":
        return (rl.get("review") or [None])[-1]
    direct, after = (rl.get("litigation_direct") or [None])[-1], (rl.get("litigation_after_review") or [None])[-1]
    return direct + after if direct is not None and after is not None else None


def _sources_with_truth(folder: Path) -> list[tuple[Path, Path]]:
    """``(source, truth)`` pairs: ``<id>.<ext>`` beside ``<id>.truth.json``, or (tests/fixtures/forms)
    a seed published in several forms, ``<seed>.<form>.<ext>``, whose truth is ``samples/<seed>.truth.json``."""
    pairs = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith((".json", ".md"))):
        stem = path.name.split(".")[0]
        for truth in (path.with_name(path.name[: -len(path.suffix)] + ".truth.json"),
                      path.with_name(stem + ".truth.json"), ROOT / "samples" / f"{stem}.truth.json"):
            if truth.exists():
                pairs.append((path, truth))
                break
    return pairs


def measure_corpus(folder: Path) -> tuple[int, int, int]:
    """(sources, findings, right findings) for every source with a truth file under *folder*."""
    n_src = n_found = n_right = 0
    for source, truth_path in _sources_with_truth(folder):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        try:
            report = parse_file(str(source))
        except Exception:  # an unreadable source has no findings to judge
            continue
        n_src += 1
        for target, stated, _ in _found(run_checks(report, rules=[RULE])):
            n_found += 1
            n_right += stated != _truth_total(truth, target)
    return n_src, n_found, n_right


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f}%" if b else "—"


def main() -> None:
    n_found, n_right, n_expected, wrong = measure_cases()
    print("corpus                         sources findings right precision recall")
    print(f"{'labelled sentences':30} {len(json.loads((ROOT / 'tests/fixtures/narrative/cases.json').read_text(encoding='utf-8'))['cases']):7} "
          f"{n_found:8} {n_right:5} {_pct(n_right, n_found):>9} {_pct(n_right, n_expected):>6}")
    folders = [ROOT.parent / "shared" / "seeds", ROOT.parent / "shared" / "corpus-dev"]
    folders += sorted(p for p in (ROOT / "tests" / "fixtures").iterdir() if p.is_dir() and p.name != "narrative")
    for folder in folders:
        if folder.is_dir():
            n_src, found, right = measure_corpus(folder)
            name = str(folder.relative_to(ROOT.parent)) if "shared" in folder.parts else str(folder.relative_to(ROOT))
            print(f"{name:30} {n_src:7} {found:8} {right:5} {_pct(right, found):>9}")
    if wrong:
        print("labelled sentences judged differently:")
        print("\n".join(wrong))


if __name__ == "__main__":
    main()
