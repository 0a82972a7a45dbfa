"""Unicode repair for text that extraction tools damaged.

Applied cell by cell (and paragraph by paragraph) by every ingester, so the
extractor only ever sees repaired text. The repair is deliberately *targeted*
rather than whole-text NFKC: NFKC would also turn （一） into (一) and ， into ,
which changes what a reader sees. Folding punctuation for *matching* is the job
of :func:`label_key`, in one place.
"""
from __future__ import annotations

import re
import unicodedata

from ._radicals import RADICAL_MAP

_TABLE: dict[int, int | str | None] = dict(RADICAL_MAP)
# Full-width digits and Latin letters → ASCII (numbers must parse).
for _cp in range(0xFF10, 0xFF1A):
    _TABLE[_cp] = _cp - 0xFEE0
for _cp in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):
    _TABLE[_cp] = _cp - 0xFEE0
# Full-width signs that appear inside numbers.
_TABLE.update({0xFF0E: ".", 0xFF0D: "-", 0xFF0B: "+", 0xFF05: "%"})
# Spaces of every kind → a plain space; invisible characters → nothing.
for _cp in (0x00A0, 0x2002, 0x2003, 0x2009, 0x200A, 0x3000, 0x202F, 0x205F):
    _TABLE[_cp] = " "
for _cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD):
    _TABLE[_cp] = None

_COMPAT = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]")


def repair(text: str) -> str:
    """Return *text* with radicals, compatibility ideographs and full-width digits repaired."""
    text = text.translate(_TABLE)
    if _COMPAT.search(text):
        text = _COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return text


_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<={_CJK})[ \t]+(?={_CJK})")


def join_cjk_spaces(text: str) -> str:
    """Drop spaces between two CJK characters (``结 果 维 持`` → ``结果维持``)."""
    return _SPACE_BETWEEN_CJK.sub("", text)


# Everything that is not a letter, digit or ideograph is noise for label matching.
_NOT_KEY = re.compile(r"[^0-9A-Za-z\u3400-\u9fff]+")


def label_key(text: str) -> str:
    """Fold a label for matching: NFKC, no spaces, no punctuation.

    ``（二）部分公开（区分处理的，…）`` and ``(二) 部分公开(区分处 理的,…)`` get the same key.
    """
    return _NOT_KEY.sub("", unicodedata.normalize("NFKC", repair(text)))
