"""Turning bytes into text: BOM, wide encodings, declared charset, strict UTF-8, GB18030, Big5, detection.

The order is the one measured in LIBRARIES.md §4: declared GB2312/GBK are read as GB18030
(its superset), and charset-normalizer is only a fallback, restricted to the encodings Chinese
government sites use. Three hazards that a strict decode alone gets wrong:

* **UTF-16/UTF-32 without a BOM** look binary (NUL bytes). Their NULs sit at fixed positions
  (ASCII in UTF-16LE is ``xx 00``; every BMP character in UTF-32LE is ``xx xx 00 00``), which
  is how they are recognised before the binary test refuses them.
* **Big5** (Traditional script) bytes are almost always *valid* GB18030, decoding to rare
  characters and kana: a strict decode succeeds and the report is "not found". A decode is
  judged by the share of its Chinese characters that are common (GB2312 level 1 for
  Simplified, Big5's 常用字 range for Traditional); Big5 wins when it reads as more common
  text. Traditional text is converted to Simplified (OpenCC ``t2s``) for matching; the
  encoding is reported as ``big5→简体`` and the ingesters keep the original text
  (``Document.meta["original_text"]``).
* **Shift-JIS** (Japanese) is also valid GB18030 bytes; it is recognised (kana) and refused
  with an error that says 编码.
"""
from __future__ import annotations

import codecs
import re
from functools import lru_cache

from ..errors import NianbaoError

_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
            "cp936": "gb18030", "utf8": "utf-8", "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "cp950": "big5hkscs",
            "x-sjis": "shift_jis", "sjis": "shift_jis", "shift-jis": "shift_jis", "windows-31j": "cp932"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_UNTRUSTED_DECLARATIONS = {"iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii"}
_GB_FAMILY = {"gb18030", "gb2312", "gbk"}
_BIG5_FAMILY = {"big5hkscs", "big5", "cp950"}
_JAPANESE = {"shift_jis", "cp932", "euc-jp", "euc_jp", "iso-2022-jp", "shift_jisx0213", "euc_jis_2004"}
SIMPLIFIED_MARK = "→简体"  # appended to the encoding name when Traditional text was converted

COMMON_SHARE = 0.8  # a decode whose Chinese characters are at least this share common is plausible
KANA_SHARE = 0.1  # non-ASCII characters that are kana: Japanese text
WIDE_NUL_SHARE = 0.9  # UTF-32: share of characters with a NUL in byte 2 (LE) / 1 (BE), i.e. in the BMP
UTF16_NUL_SHARE = 0.75  # UTF-16: share of all NULs that sit after (LE) / before (BE) a byte
ORDINARY_SHARE = 0.9  # a wide decode must be this share ordinary text characters
SAMPLE = 65536  # bytes/characters looked at by the heuristics

MSG_JAPANESE = "文件编码为日文（{enc}），不是中文政府信息公开年度报告；如确为中文报告，请另存为 UTF-8 编码后再试"
MSG_UNKNOWN = "无法识别文件编码（已尝试 UTF-8、UTF-16、GB18030、Big5 等），请另存为 UTF-8 编码后再试"


def canonical(name: str) -> str:
    name = name.strip().strip("\"'").lower()
    return _ALIASES.get(name, name)


def wide_encoding(data: bytes) -> str | None:
    """``utf-32-le/be`` or ``utf-16-le/be`` for BOM-less wide text, judged by where its NULs are.

    UTF-32LE puts a NUL in byte 3 of every character (byte 2 too in the BMP); UTF-16LE puts one
    after every ASCII character, and only rarely elsewhere (CJK code points ending in 00, such
    as 一 U+4E00). A candidate must also decode to ordinary text (:func:`_ordinary_share`).
    """
    head = data[:SAMPLE]
    head = head[: len(head) - len(head) % 4]
    nuls = head.count(0)
    if nuls < 4 or len(head) < 8:
        return None
    quarter = len(head) // 4
    candidates = []
    if head[3::4].count(0) == quarter and head[2::4].count(0) >= WIDE_NUL_SHARE * quarter:
        candidates.append("utf-32-le")
    if head[0::4].count(0) == quarter and head[1::4].count(0) >= WIDE_NUL_SHARE * quarter:
        candidates.append("utf-32-be")
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd >= UTF16_NUL_SHARE * nuls:
        candidates.append("utf-16-le")
    if even >= UTF16_NUL_SHARE * nuls:
        candidates.append("utf-16-be")
    for enc in candidates:
        text = head.decode(enc, errors="replace")
        if _ordinary_share(text) >= ORDINARY_SHARE:
            return enc
    return None


def _ordinary_share(text: str) -> float:
    """Share of characters that text in Chinese is made of: ASCII text, Han, CJK and full-width punctuation."""
    if not text:
        return 0.0
    ok = sum(1 for ch in text if (" " <= ch <= "~") or ch in "\t\r\n" or _is_han(ch) or "\u3000" <= ch <= "\u303f"
             or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u2027" or ch in "\u00a0\u00b7")
    return ok / len(text)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB: not text (wide Unicode text excepted)."""
    head = data[:8192]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or wide_encoding(data) is not None:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def common_share(text: str, encoding: str) -> float:
    """Share of the Han characters of *text* that are common ones in *encoding*'s script.

    Common: GB2312 level 1 (lead byte 0xB0–0xD7, the 3 755 most used Simplified characters) for
    GB text, Big5 常用字 (lead byte 0xA4–0xC6, 5 401 characters) for Big5 text. Text without Han
    characters counts as common (1.0).
    """
    han = [ch for ch in text[:SAMPLE] if _is_han(ch)]
    if not han:
        return 1.0
    if encoding in _BIG5_FAMILY:
        codec, low, high = "big5hkscs", 0xA4, 0xC6
    else:
        codec, low, high = "gb2312", 0xB0, 0xD7
    common = 0
    for ch in han:
        try:
            lead = ch.encode(codec)[0]
        except UnicodeEncodeError:
            continue
        common += low <= lead <= high
    return common / len(han)


def kana_share(text: str) -> float:
    wide = [ch for ch in text[:SAMPLE] if ord(ch) > 0x7F]
    if not wide:
        return 0.0
    return sum(1 for ch in wide if "\u3040" <= ch <= "\u30ff" or "\uff66" <= ch <= "\uff9f") / len(wide)


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # the official OpenCC binding (Apache-2.0); loaded only for Traditional text

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified characters (OpenCC ``t2s``); Simplified text comes back unchanged."""
    return _t2s().convert(text)


def _refuse_japanese(path: str | None, encoding: str) -> NianbaoError:
    return NianbaoError(path, MSG_JAPANESE.format(enc=encoding), kind="encoding")


def decode_original(data: bytes, path: str | None = None, declared: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` as written (Traditional stays Traditional); see :func:`decode`."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = _strict(data, enc)
            if text is not None:
                return text, enc
    wide = wide_encoding(data)
    if wide is not None:
        text = _strict(data, wide) or _strict(data[: len(data) - len(data) % (4 if "32" in wide else 2)], wide)
        if text is not None:
            return text, wide
    name = canonical(declared) if declared else None
    if name in _UNTRUSTED_DECLARATIONS:
        name = None  # a Western single-byte declaration decodes anything into mojibake
    if name in _JAPANESE and (text := _strict(data, name)) is not None and kana_share(text) >= KANA_SHARE:
        raise _refuse_japanese(path, name)
    if name in _GB_FAMILY and not data.isascii() and (text := _strict(data, "utf-8")) is not None:
        return text, "utf-8"  # a GB declaration on valid multi-byte UTF-8 (migrated CMS sites)
    for enc in dict.fromkeys([n for n in (name,) if n and n not in _JAPANESE | _GB_FAMILY] + ["utf-8"]):
        text = _strict(data, enc)
        if text is not None:
            return text, enc
    gb = _strict(data, "gb18030")
    if gb is not None and common_share(gb, "gb18030") >= COMMON_SHARE:
        return gb, "gb18030"
    # GB bytes that read as rare characters: Traditional (Big5) or Japanese (Shift-JIS) text?
    big5 = _strict(data, "big5hkscs")
    if big5 is not None and common_share(big5, "big5hkscs") > (common_share(gb, "gb18030") if gb else 0.0):
        return big5, "big5hkscs"
    for enc in ("shift_jis", "cp932", "euc-jp"):
        text = _strict(data, enc)
        if text is not None and kana_share(text) >= KANA_SHARE:
            raise _refuse_japanese(path, enc)
    if gb is not None:
        return gb, "gb18030"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:4 * SAMPLE], cp_isolation=["utf_8", "gb18030", "big5"]).best()
    except ImportError:  # pragma: no cover - declared dependency
        best = None
    if best is not None:
        text = _strict(data, best.encoding)
        if text is not None:
            return text, best.encoding
    text = data.decode("gb18030", errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 100):
        raise NianbaoError(path, MSG_UNKNOWN, kind="encoding")
    return text, "gb18030 (有替换字符)"


def decode(data: bytes, path: str | None = None, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)`` with Traditional text converted to Simplified (for matching).

    Raises :class:`NianbaoError` (kind ``encoding``, the reason says 编码) when nothing fits or
    the text is Japanese. Big5 text comes back Simplified with encoding ``big5hkscs→简体``.
    """
    text, encoding = decode_original(data, path, declared)
    if encoding in _BIG5_FAMILY:
        return to_simplified(text), encoding + SIMPLIFIED_MARK
    return text, encoding


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first 4 KiB, if any (wide encodings read too)."""
    head = data[:4096]
    wide = wide_encoding(data)
    if wide is not None:
        head = head.decode(wide, errors="ignore").encode("ascii", errors="ignore")
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii") if m else None
