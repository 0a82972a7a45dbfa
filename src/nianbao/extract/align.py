"""Order-anchored alignment: value rows take their template slots by order, labels as evidence.

The rows of tables 二 and 三 come in template order. Rows whose own printed label names
them are *anchors*; between two anchors, the value rows that no label placed (a typo
beyond the known variants, a label wrapped away from its values, a block of labels
printed apart from a block of value rows, rows printed without their numbering) stand
in the same order as the template rows still free between them. So:

* anchors are the strongly labelled rows that keep template order (the longest such
  chain: a label matched out of order is not trusted as an anchor);
* in each gap, when the value rows and the free template rows are equally many, they
  are paired in order (``order``; ``similar-label`` when the printed label resembles the row's);
* otherwise only pairs whose labels resemble each other are made, in order, by a
  global alignment (``similar-label``); what is left stays unplaced and is reported.

This module is pure: it sees positions, labels and widths, not lines or pieces.
"""
from __future__ import annotations

import difflib
from bisect import bisect_left
from dataclasses import dataclass

SIMILAR = 0.6  # label resemblance (difflib ratio) that counts as the row's label
TAIL_SLACK = 3  # characters before the row label a printed label may carry (group headings)


@dataclass(frozen=True)
class Observed:
    """A printed value row: where it stands, its label (folded), how many values it has."""

    index: int  # its order in the table (line index)
    label: str
    n_values: int
    slot: int | None = None  # the template slot a label already gave it
    strong: bool = False  # the slot came from the row's own label
    run: bool = False  # its values are one glued run (any width fits)


@dataclass(frozen=True)
class Slot:
    keys: tuple[str, ...]  # the row's folded labels
    width: int


def similarity(label: str, slot: Slot) -> float:
    """How much *label* reads like the row: the best ratio of a key against the label's tail."""
    if not label:
        return 0.0
    best = 0.0
    for key in slot.keys:
        tail = label[-(len(key) + TAIL_SLACK):]
        best = max(best, difflib.SequenceMatcher(None, key, tail).ratio())
    return best


def _fits(obs: Observed, slot: Slot) -> bool:
    return obs.run or 0 < obs.n_values <= slot.width


def _anchors(observed: list[Observed]) -> list[Observed]:
    """The longest chain of strong rows whose slots increase with their position."""
    strong = sorted((o for o in observed if o.strong and o.slot is not None), key=lambda o: o.index)
    tails: list[int] = []  # slot of the chain's end, per chain length
    tail_at: list[int] = []  # index into strong
    prev: list[int] = [-1] * len(strong)
    for i, o in enumerate(strong):
        k = bisect_left(tails, o.slot)
        if k == len(tails):
            tails.append(o.slot)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = o.slot, i
        prev[i] = tail_at[k - 1] if k else -1
    chain: list[Observed] = []
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        chain.append(strong[i])
        i = prev[i]
    return chain[::-1]


def align(observed: list[Observed], slots: list[Slot]) -> dict[int, tuple[int, str]]:
    """``{observed.index: (slot, how)}`` for the rows whose slot the alignment gives or changes.

    Rows a label placed and the alignment agrees with are not returned.
    """
    anchors = _anchors(observed)
    anchored = {o.index for o in anchors}
    bounds = [(-1, -1), *((o.index, o.slot) for o in anchors), (10**9, len(slots))]
    out: dict[int, tuple[int, str]] = {}
    for (i0, s0), (i1, s1) in zip(bounds, bounds[1:]):
        rows = [o for o in observed if i0 < o.index < i1 and o.index not in anchored]
        held = {o.slot for o in observed if o.slot is not None and not i0 < o.index < i1}
        free = [s for s in range(s0 + 1, s1) if s not in held]
        if not rows or not free:
            continue
        for o, (slot, how) in _gap(rows, free, slots).items():
            if slot != o.slot:
                out[o.index] = (slot, how)
    return out


def _gap(rows: list[Observed], free: list[int], slots: list[Slot]) -> dict[Observed, tuple[int, str]]:
    rows = sorted(rows, key=lambda o: o.index)
    if len(rows) == len(free) and all(_fits(o, slots[s]) for o, s in zip(rows, free)):
        return {o: (s, "similar-label" if similarity(o.label, slots[s]) >= SIMILAR else "order") for o, s in zip(rows, free)}
    # Unequal counts: an order-preserving matching of resembling labels only (weighted LCS).
    n, m = len(rows), len(free)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            sim = similarity(rows[i].label, slots[free[j]])
            if sim >= SIMILAR and _fits(rows[i], slots[free[j]]):
                best = max(best, sim + score[i + 1][j + 1])
            score[i][j] = best
    out: dict[Observed, tuple[int, str]] = {}
    i = j = 0
    while i < n and j < m:
        sim = similarity(rows[i].label, slots[free[j]])
        if sim >= SIMILAR and _fits(rows[i], slots[free[j]]) and score[i][j] == sim + score[i + 1][j + 1]:
            out[rows[i]] = (free[j], "similar-label")
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    for o in rows:  # a weakly labelled row the matching left alone keeps its own slot
        if o not in out and o.slot is not None:
            out[o] = (o.slot, "similar-label")
    return out
