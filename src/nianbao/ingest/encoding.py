"""Turning bytes into text: BOM, declared charset, strict UTF-8, GB18030, then detection.

The order is the one measured in LIBRARIES.md §4: declared GB2312/GBK are read as
GB18030 (its superset), and charset-normalizer is only a fallback, restricted to
the encodings Chinese government sites use.
"""
from __future__ import annotations

import codecs
import re

from ..errors import NianbaoError

_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
            "cp936": "gb18030", "utf8": "utf-8"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def canonical(name: str) -> str:
    name = name.strip().strip("\"'").lower()
    return _ALIASES.get(name, name)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB: not text."""
    head = data[:8192]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


def decode(data: bytes, path: str | None = None, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``. Raises :class:`NianbaoError` when nothing fits."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc), enc
    candidates = []
    if declared:
        candidates.append(canonical(declared))
    candidates += ["utf-8", "gb18030"]
    for enc in dict.fromkeys(candidates):
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_isolation=["utf_8", "gb18030", "big5"]).best()
    except ImportError:  # pragma: no cover - declared dependency
        best = None
    if best is not None:
        return str(best), best.encoding
    text = data.decode("gb18030", errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 100):
        raise NianbaoError(path, "无法识别文件编码（已尝试 UTF-8、GB18030 等）", kind="encoding")
    return text, "gb18030 (有替换字符)"


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first 4 KiB, if any."""
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii") if m else None
