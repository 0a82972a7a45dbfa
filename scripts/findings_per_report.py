"""Findings per report (errors / warnings / infos, and per rule) for the sources under some folders.

Used to compare the checks before and after a change: run it once with the current code and once
with an older checkout on the path, e.g.
``git archive OLD src | tar -x -C /tmp/old && PYTHONPATH=/tmp/old/src python scripts/findings_per_report.py ../shared/seeds``.
"""
from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

if "PYTHONPATH" not in os.environ:  # an older checkout given on PYTHONPATH wins
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from nianbao.api import parse_file  # noqa: E402
from nianbao.checks import run_checks  # noqa: E402
from nianbao.errors import NianbaoError  # noqa: E402

_SKIP = (".json", ".md")


def main(folders: list[str]) -> None:
    total: Counter[str] = Counter()
    for folder in folders:
        for path in sorted(Path(folder).iterdir()):
            if path.suffix in _SKIP or not path.is_file():
                continue
            try:
                findings = run_checks(parse_file(str(path)))
            except NianbaoError as exc:
                print(f"{path.name}: {exc}")
                continue
            sev = Counter(f.severity for f in findings)
            total.update(sev)
            rules = Counter(f"{f.rule}/{f.severity[0]}" for f in findings if f.severity != "info")
            print(f"{path.name:40} error {sev['error']:2} warning {sev['warning']:2} info {sev['info']:2}  "
                  + " ".join(f"{r}×{n}" for r, n in sorted(rules.items())))
    print(f"{'total':40} error {total['error']:2} warning {total['warning']:2} info {total['info']:2}")


if __name__ == "__main__":
    main(sys.argv[1:])
