"""Stable finding keys: a reviewer's decision must find its finding again after re-ingest and re-check.

The key hashes what identifies the problem, not the row that holds it: the rule,
the cells, the report's identity (agency key + year, and the other year for
cross-report findings) and the message with its numbers and spacing removed (so
a corrected typo elsewhere in the file does not orphan the decision).
"""
from __future__ import annotations

import hashlib
import re

_NOISE = re.compile(r"[\d\s.,+\-−%％，。：:；;（）()]+")


def message_core(message: str) -> str:
    return _NOISE.sub("", message)


def finding_key(rule: str, cells: list[str], agency_key: str, year: int, message: str,
                other_year: int | None = None, seq: int = 0) -> str:
    parts = [rule, agency_key, str(year), ",".join(sorted(cells)), str(other_year or ""), message_core(message)]
    if seq:
        parts.append(str(seq))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


class KeyAllocator:
    """Hands out keys, disambiguating findings that would otherwise share one (same rule, cells, wording)."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def key(self, rule: str, cells: list[str], agency_key: str, year: int, message: str,
            other_year: int | None = None) -> str:
        seq = 0
        while True:
            k = finding_key(rule, cells, agency_key, year, message, other_year, seq)
            if k not in self._seen:
                self._seen.add(k)
                return k
            seq += 1
