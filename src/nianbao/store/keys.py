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


def report_finding_keys(agency: str | None, year: int | None, findings: list) -> list[str | None]:
    """The keys the store gives *findings* of one report when it is ingested (same identity, same
    order), so ``nianbao check`` can print the key ``nianbao review`` takes. ``None`` for each
    finding when the report has no agency or year (the store would not file it)."""
    if not agency or not year:
        return [None] * len(findings)
    from .agencies import identify

    ident_key = identify(agency).key
    keys = KeyAllocator()
    return [keys.key(f.rule, list(f.cells), ident_key, year, f.message) for f in findings]
