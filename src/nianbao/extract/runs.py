"""Cells whose boundaries were lost: a run of digits split back into a row's cells.

A crawler that flattens an HTML table prints ``1000001`` for the seven cells
1 | 0 | 0 | 0 | 0 | 0 | 1, and ``0494246`` for 0 | 494 | 246. The split is found,
never guessed:

1. :func:`run_candidates` lists every way the run's digits fill the row's cells
   (no number but 0 starts with 0; a count has no decimal point). Blank cells are
   allowed only when no split without one exists (``000000`` for seven cells).
2. :func:`resolve` keeps, among them, those that break the fewest arithmetic relations
   of the template (row totals, the 勾稽关系 of the columns, the block totals of table
   四) — across rows when several runs are open — then those whose numbers the report's
   own text gives after naming the row (``制发行政规范性文件15件，废止6件``), then those
   that put no space inside a number (a crawler's spaces sometimes mark boundaries,
   never the inside of a number).
3. A cell on which all the surviving splits agree is read; any other stays ``None``
   and is reported as unresolved. The arithmetic chooses between readings of what is
   printed; it never changes a printed value.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ..document import Source
from .lines import EMPTY, NUMERIC, UNRESOLVED, Piece

MAX_CANDIDATES = 5000  # splits of one run beyond which it is left unresolved
JOINT_LIMIT = 20000  # combinations of open runs tried together against the relations

_COUNT = re.compile(r"0|[1-9]\d*")
_MONEY = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")

Candidate = tuple[str | None, ...]


@dataclass
class Run:
    """One run of digits and the cells it fills."""

    digits: str  # the run without spaces
    pieces: list[Piece]  # the printed tokens
    candidates: list[Candidate]
    space_ok: list[bool] = field(default_factory=list)  # per candidate: no number crosses a space
    refs: list[str] = field(default_factory=list)  # the cells, set by the table reader
    mentions: tuple[str, ...] = ()  # how the narrative names the row (its labels), for narrative evidence
    how: str = "unique"  # unique | arithmetic | narrative | spaces | unresolved

    def cells(self, chosen: list[Candidate] | None = None) -> list[Piece]:
        """One piece per cell: the digits all *chosen* splits agree on, else an unresolved piece."""
        chosen = self.candidates if chosen is None else chosen
        out: list[Piece] = []
        for i in range(len(chosen[0]) if chosen else 0):
            values = {c[i] for c in chosen}
            if len(values) == 1:
                value = values.pop()
                if value is None:
                    out.append(Piece("", self._source(None), EMPTY))
                else:
                    out.append(Piece(value, self._source(_offset(chosen[0], i)), NUMERIC))
            else:
                out.append(Piece(self.text, self._source(None), UNRESOLVED))
        return out

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces)

    def _source(self, offset: int | None) -> Source:
        """The source of the digit at *offset* in the run (the run's first token when unknown)."""
        if offset is None:
            return self.pieces[0].source
        at = 0
        for p in self.pieces:
            if offset < at + len(p.text):
                src = p.source
                if src.column is None:
                    return src
                return Source(line=src.line, column=src.column + offset - at, page=src.page, bbox=src.bbox)
            at += len(p.text)
        return self.pieces[-1].source


def _offset(candidate: Candidate, i: int) -> int:
    return sum(len(v) for v in candidate[:i] if v)


def _valid(part: str, kind: str) -> bool:
    return bool((_MONEY if kind == "money" else _COUNT).fullmatch(part))


def _splits(digits: str, kinds: list[str], limit: int) -> list[Candidate] | None:
    """Every split of *digits* into ``len(kinds)`` non-empty valid parts (None past *limit*)."""
    out: list[Candidate] = []

    def walk(at: int, k: int, parts: list[str]) -> bool:
        if k == len(kinds):
            if at == len(digits):
                out.append(tuple(parts))
            return len(out) <= limit
        left = len(kinds) - k - 1
        for end in range(at + 1, len(digits) - left + 1):
            part = digits[at:end]
            if not _valid(part, kinds[k]):
                if part[0] == "0" and "." not in part and kinds[k] != "money":
                    break  # a longer part would start with 0 too
                continue
            if not walk(end, k + 1, [*parts, part]):
                return False
        return True

    return out if walk(0, 0, []) else None


def run_candidates(pieces: list[Piece], kinds: list[str]) -> Run | None:
    """The splits of the printed *pieces* into ``len(kinds)`` cells, or None when they are not a run."""
    tokens = [p for p in pieces if p.kind != EMPTY]
    if not tokens or not all(re.fullmatch(r"[\d.]+", p.text) for p in tokens):
        return None
    texts = [p.text for p in tokens]
    width = len(kinds)
    if len(texts) == width and all(_valid(t, k) for t, k in zip(texts, kinds)):
        return Run("".join(texts), tokens, [tuple(texts)], [True])
    digits = "".join(texts)
    candidates: list[Candidate] | None = []
    for blanks in range(width):
        if width - blanks > len(digits):
            continue
        candidates = []
        for holes in itertools.combinations(range(width), blanks):
            filled = [k for i, k in enumerate(kinds) if i not in holes]
            found = _splits(digits, filled, MAX_CANDIDATES)
            if found is None or len(candidates) + len(found) > MAX_CANDIDATES:
                candidates = None
                break
            for parts in found:
                it = iter(parts)
                candidates.append(tuple(None if i in holes else next(it) for i in range(width)))
        if candidates is None or candidates:
            break
    run = Run(digits, tokens, candidates or [])
    if not candidates:
        run.how = "unresolved"
        return run
    bounds = set(itertools.accumulate(len(t) for t in texts[:-1]))
    run.space_ok = [bounds <= _cuts(c) for c in candidates]
    run.how = "unique" if len(candidates) == 1 else "unresolved"
    return run


def _cuts(candidate: Candidate) -> set[int]:
    return set(itertools.accumulate(len(v or "") for v in candidate))


# ------------------------------------------------------------------ resolution

Relation = tuple[tuple[str, ...], tuple[str, ...]]  # sum(left) == sum(right)


def _score(relations: list[Relation], value) -> tuple[int, int]:
    """``(-broken, kept)`` over the relations whose cells all hold numbers."""
    broken = kept = 0
    for left, right in relations:
        vals = [value(r) for r in (*left, *right)]
        if any(v is None for v in vals):
            continue
        if sum(vals[: len(left)]) == sum(vals[len(left):]):
            kept += 1
        else:
            broken += 1
    return -broken, kept


def _as_int(v: str | None) -> int | None:
    return int(v) if v is not None and v.isdigit() else None


NARRATIVE_WINDOW = 40  # characters after a mention of the row in which its numbers are looked for
_SENTENCE_END = re.compile(r"[。；;！？\n]")
_TEXT_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def narrative_numbers(text: str, mentions: tuple[str, ...]) -> set[str]:
    """The numbers the *text* prints shortly after naming the row (in the same sentence)."""
    found: set[str] = set()
    for key in mentions:
        if len(key) < 2 or not key.isalpha():
            continue
        for m in re.finditer(re.escape(key), text):
            window = _SENTENCE_END.split(text[m.end(): m.end() + NARRATIVE_WINDOW], maxsplit=1)[0]
            found.update(_TEXT_NUMBER.findall(window))
    return found


def resolve(runs: list[Run], fixed: dict[str, int | None], relations: list[Relation], narrative: str = "") -> None:
    """Narrow each run's candidates by the *relations*; ``run.how`` says what decided.

    *fixed* holds the cells read without ambiguity (``None`` for a blank). Runs whose
    candidates are narrowed to agreeing cells become fixed for the others.
    """
    open_runs = [r for r in runs if r.candidates]
    known = dict(fixed)
    for run in open_runs:
        if len(run.candidates) == 1:
            known.update(zip(run.refs, map(_as_int, run.candidates[0])))
    touching = {id(r): [rel for rel in relations if set(rel[0] + rel[1]) & set(r.refs)] for r in open_runs}

    changed = True
    while changed:  # one run at a time, against what is known
        changed = False
        for run in open_runs:
            if len(run.candidates) < 2:
                continue
            rels = [rel for rel in touching[id(run)] if all(c in known or c in run.refs for c in rel[0] + rel[1])]
            if not rels:
                continue
            scored = [(_score(rels, _lookup(known, run.refs, c)), c) for c in run.candidates]
            best = max(s for s, _ in scored)
            keep = [c for s, c in scored if s == best]
            if len(keep) < len(run.candidates):
                _narrow(run, keep, "arithmetic")
                changed = True
                if len(keep) == 1:
                    known.update(zip(run.refs, map(_as_int, keep[0])))

    ambiguous = [r for r in open_runs if len(r.candidates) > 1]
    if len(ambiguous) > 1 and _product(ambiguous) <= JOINT_LIMIT:  # open runs tried together
        rels = [rel for rel in relations if any(set(rel[0] + rel[1]) & set(r.refs) for r in ambiguous)]
        best, kept = None, []
        for combo in itertools.product(*(r.candidates for r in ambiguous)):
            cells = dict(known)
            for r, c in zip(ambiguous, combo):
                cells.update(zip(r.refs, map(_as_int, c)))
            s = _score(rels, cells.get)
            if best is None or s > best:
                best, kept = s, [combo]
            elif s == best:
                kept.append(combo)
        for i, r in enumerate(ambiguous):
            keep = list(dict.fromkeys(combo[i] for combo in kept))
            if len(keep) < len(r.candidates):
                _narrow(r, keep, "arithmetic")

    for run in open_runs:  # the numbers the narrative gives for the row, then the spaces
        if len(run.candidates) > 1 and narrative and run.mentions:
            said = narrative_numbers(narrative, run.mentions)
            scores = [sum(1 for v in c if v is not None and v in said) for c in run.candidates]
            best = max(scores)
            keep = [c for c, n in zip(run.candidates, scores) if n == best]
            if best and len(keep) < len(run.candidates):
                _narrow(run, keep, "narrative")
        if len(run.candidates) > 1:
            ok = [c for c, s in zip(run.candidates, run.space_ok) if s]
            if ok and len(ok) < len(run.candidates):
                _narrow(run, ok, "spaces")
        if len(run.candidates) > 1:
            run.how = "unresolved"


def _lookup(known: dict[str, int | None], refs: list[str], candidate: Candidate):
    mine = dict(zip(refs, map(_as_int, candidate)))
    return lambda ref: mine[ref] if ref in mine else known.get(ref)


def _narrow(run: Run, keep: list[Candidate], how: str) -> None:
    flags = dict(zip(run.candidates, run.space_ok))
    run.candidates, run.space_ok = keep, [flags.get(c, False) for c in keep]
    run.how = how


def _product(runs: list[Run]) -> int:
    n = 1
    for r in runs:
        n *= len(r.candidates)
    return n
