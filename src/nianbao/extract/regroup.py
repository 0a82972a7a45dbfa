"""Table 四 read out of column order: put the value groups back into their blocks by arithmetic.

``pdftotext`` (without ``-layout``) reads a wide table as a sequence of text blocks, one block a
few columns wide with its header fragments above its numbers, and orders the blocks by its own
reading-order heuristic. Table 四's single data row then comes out as groups such as
``72 64 178 37 | 12 1 1 6 | 351 | 13 4 8 1 26 | 20``: every number is there, the order is not.

The groups are the evidence. Each of the three blocks (行政复议, 未经复议直接起诉, 复议后起诉) is
four outcomes and their total, so a block is some of the groups, in text order, whose first four
numbers add up to the fifth. When exactly one way of cutting the groups into blocks holds, the
blocks are known; which block is which comes from a block label printed just before the block's
first group (「复议后起诉」 …), then from the template's order. Printed values are never changed —
only their places — and nothing is placed unless every surviving reading agrees on every cell.
This runs only when the in-order reading breaks the block totals.
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from ..normalize import label_key
from .lines import Piece

MAX_NUMBERS = 15  # table 四's cells
MAX_STEPS = 60_000  # search steps before giving up (a row of zeros has very many dealings; ~0.1 s)


@dataclass(slots=True)
class Group:
    """Consecutive numbers of table 四, and the text printed before them since the previous group."""

    before: str
    pieces: list[Piece]


def _holds(numbers: Sequence[int]) -> bool:
    return sum(numbers[:-1]) == numbers[-1]


def regroup(groups: list[Group], numbers: dict[int, int], block_labels: Sequence[Sequence[str]],
            width: int) -> list[Piece] | None:
    """The pieces of *groups* re-ordered into blocks of *width* (template order), or ``None``.

    *numbers* maps ``id(piece)`` to its integer value (every piece must have one); *block_labels*
    gives, per block in template order, the folded label words that name it. A block is any
    *width* of the numbers taken in text order (a tool may print one column of a block after the
    columns of another: 「12 0 0 0 | 0 0 0 0 12 0」), its last the sum of the others.
    """
    n_blocks = len(block_labels)
    pieces = [p for g in groups for p in g.pieces]
    said = [g.before if i == 0 else "" for g in groups for i in range(len(g.pieces))]
    if len(pieces) != width * n_blocks or len(pieces) > MAX_NUMBERS:
        return None
    group_of = tuple(n for n, g in enumerate(groups) for _ in g.pieces)
    found = _interleavings(tuple(numbers[id(p)] for p in pieces), group_of, n_blocks, width)
    if found is None:
        return None
    labels = [[label_key(w) for w in words] for words in block_labels]
    scored: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for slots, (inner, switches) in found.items():
        firsts = [members[0] for members in slots]
        for order in itertools.permutations(range(n_blocks)):  # order[b]: the slot that is block b
            evidence = 0
            for b, slot in enumerate(order):
                named = {o for o, words in enumerate(labels) if any(w in label_key(said[firsts[slot]]) for w in words)}
                if named == {b}:
                    evidence += 1
                elif named and b not in named:
                    evidence -= 1
            agree = sum(firsts[order[a]] < firsts[order[b]] for a, b in itertools.combinations(range(n_blocks), 2))
            scored.append(((-inner, evidence, -switches, agree), tuple(i for b in range(n_blocks) for i in slots[order[b]])))
    if not scored:
        return None
    best = max(score for score, _ in scored)
    winners = [placed for score, placed in scored if score == best]
    if len({tuple(numbers[id(pieces[i])] for i in placed) for placed in winners}) != 1:
        return None
    return [pieces[i] for i in winners[0]]


def _interleavings(values: tuple[int, ...], group_of: tuple[int, ...], n_blocks: int, width: int
                   ) -> dict[tuple[tuple[int, ...], ...], tuple[int, int]] | None:
    """Every way of dealing *values* (by position) into *n_blocks* blocks of *width*, each in text
    order, each block's last value the sum of its others; blocks numbered by first appearance.

    Each dealing comes with its cost: how often consecutive numbers of one printed group go to
    different blocks, and how often consecutive numbers do at all (a tool moves whole columns, so
    the fewer cuts the likelier). Dealings that give the same numbers to the same blocks count
    once, at their lowest cost. ``None`` past the search budget.
    """
    budget = [MAX_STEPS]
    best: dict[tuple[tuple[int, ...], ...], tuple[tuple[tuple[int, ...], ...], tuple[int, int]]] = {}
    slots: list[list[int]] = [[] for _ in range(n_blocks)]
    owner: list[int] = []
    sums = [0] * n_blocks

    def walk(i: int, opened: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if i == len(values):
            cuts = [j for j in range(1, len(owner)) if owner[j] != owner[j - 1]]
            cost = (sum(group_of[j] == group_of[j - 1] for j in cuts), len(cuts))
            key = tuple(tuple(values[j] for j in s) + (s[0],) for s in slots)
            if key not in best or cost < best[key][1]:
                best[key] = (tuple(tuple(s) for s in slots), cost)
            return True
        x = values[i]
        for k in range(min(opened + 1, n_blocks)):
            filled = len(slots[k])
            if filled == width or (filled == width - 1 and sums[k] != x):
                continue
            slots[k].append(i)
            owner.append(k)
            sums[k] += x if filled < width - 1 else 0
            ok = walk(i + 1, max(opened, k + 1))
            sums[k] -= x if filled < width - 1 else 0
            owner.pop()
            slots[k].pop()
            if not ok:
                return False
        return True

    return dict(best.values()) if walk(0, 0) else None
