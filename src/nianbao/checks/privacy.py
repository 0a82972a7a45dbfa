"""Personal data in the published text (D-29): named applicants, ID numbers, mobile numbers.

An annual report must never name who applied. The names rule looks for the shape
reports use when they do — an ``A、B、C`` list of short tokens in a sentence about
applications (``…杨春生、姚国胜、…等申请了信息公开``) — and keeps a token when it starts
with a surname (``data/surnames.txt``), has a name's length, and is not a word of jieba's
dictionary (so ``公开``, ``全部``, ``孟津清泉模具有限公司`` are not names). Officials named
with their post (``局长张昭民同志任组长``) are not applicants and are not reported.

jieba's dictionary takes ~0.8 s to load, so it is loaded only when a sentence already
has the shape of a list of names; other reports are checked with regular expressions alone.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from ..report import Report
from ..templates import SECTION_BY_KEY
from . import ERROR, Context, Finding, rule
from ._common import locate_in, narrative, section_label, sentences, unwrap

DICT_WORD_MIN_FREQ = 5  # a token jieba knows this often is a word, not a private person's name
APPLICATION_WORDS = ("申请",)
TITLE_SUFFIXES = ("局长", "主任", "书记", "同志", "科长", "处长", "县长", "区长", "市长", "镇长", "部长", "先生",
                  "女士", "老师", "师傅", "律师", "组长", "队长", "所长", "站长")
LIST_END_WORDS = ("等", "共", "均", "都", "先后", "分别", "向", "申请", "提出", "依法", "和", "及", "以及", "与")
CONTACT_WORDS = ("电话", "联系", "咨询", "热线", "传真", "手机")

_ENUM = re.compile(r"[\u4e00-\u9fff]{2,}(?:、[\u4e00-\u9fff]{2,}){2,}")
_APPLICANT = re.compile(r"申请人[：:]?(?=[\u4e00-\u9fff]{2})")
_ID = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
                 r"(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """``(single-character, compound)`` surnames from the package data."""
    text = resources.files("nianbao").joinpath("data/surnames.txt").read_text(encoding="utf-8")
    names = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return frozenset(n for n in names if len(n) == 1), frozenset(n for n in names if len(n) > 1)


def _name_shaped(token: str) -> bool:
    """Surname first, then one or two characters; no 某 (already anonymised), no post title."""
    single, compound = surnames()
    if "某" in token or token.endswith(TITLE_SUFFIXES):
        return False
    if token[:2] in compound:
        return 3 <= len(token) <= 4
    return token[0] in single and 2 <= len(token) <= 3


@lru_cache(maxsize=1)
def _jieba():
    """jieba, initialised on first use (the dictionary load is the expensive part)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return jieba


def _is_word(token: str) -> bool:
    return _jieba().dt.FREQ.get(token, 0) >= DICT_WORD_MIN_FREQ


def _first_token(item: str) -> str:
    """The first list item may carry the words before the list (``其杨春生``): keep the name-shaped tail."""
    for n in (4, 3, 2):
        tail = item[-n:]
        if len(item) >= n and _name_shaped(tail):
            return tail
    return item


def _last_token(item: str) -> str:
    """The last item runs on into the sentence (``郭光星等申请了``): cut at the first list-ending word."""
    cut = min((p for p in (item.find(w, 1) for w in LIST_END_WORDS) if p > 0), default=len(item))
    return item[:cut]


def _enumerations(sentence: str) -> Iterator[list[str]]:
    for m in _ENUM.finditer(sentence):
        items = m.group(0).split("、")
        items[0], items[-1] = _first_token(items[0]), _last_token(items[-1])
        yield items


def _names_in(items: list[str]) -> list[str]:
    """The items that are private persons' names, when the list is mostly names (≥ 2 and ≥ half)."""
    shaped = [t for t in items if _name_shaped(t)]
    if len(shaped) < 2 or 2 * len(shaped) < len(items):
        return []
    names = [t for t in shaped if not _is_word(t)]  # jieba loads here, only for name-shaped lists
    return names if len(names) >= 2 and 2 * len(names) >= len(items) else []


def _where(key: str) -> str:
    return "报告开头" if key == "preamble" else f"「{section_label(key)}」中"


@rule("PRIVACY-NAMES", defect="D-29", severity=ERROR)
def applicant_names(report: Report, ctx: Context) -> Iterator[Finding]:
    """Named individual applicants: a list of person names in a sentence about applications,
    or a name right after 申请人 (``申请人张某`` is anonymised and fine)."""
    for key, text, source in narrative(report, keys=tuple(SECTION_BY_KEY)):
        found: list[str] = []
        for sentence in sentences(text):
            if not any(w in sentence for w in APPLICATION_WORDS):
                continue
            for items in _enumerations(sentence):
                found += [n for n in _names_in(items) if n not in found]
            for m in _APPLICANT.finditer(sentence):
                after = sentence[m.end(): m.end() + 6]
                if not _name_shaped(after[:2]) and not _name_shaped(after[:3]):
                    continue
                token = _jieba().lcut(after)[0]
                if _name_shaped(token) and not _is_word(token) and token not in found:
                    found.append(token)
        if found:
            yield Finding("PRIVACY-NAMES", ERROR,
                          f"{_where(key)}公开了 {len(found)} 名申请人的姓名：{'、'.join(found)}。"
                          f"年度报告不得公开申请人的个人信息，应删除或隐去姓名",
                          location=locate_in(report, key, found[0], source), data={"names": found, "section": key})


def _id_valid(s: str) -> bool:
    total = sum(int(d) * w for d, w in zip(s[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == s[17].upper()


@rule("PRIVACY-ID-NUMBER", defect="D-29", severity=ERROR)
def id_numbers(report: Report, ctx: Context) -> Iterator[Finding]:
    """18-digit resident ID numbers (with a valid birth date and check digit) anywhere in the text."""
    for key, text, source in narrative(report, keys=tuple(SECTION_BY_KEY)):
        for m in _ID.finditer(unwrap(text)):
            if _id_valid(m.group(0)):
                masked = m.group(0)[:6] + "********" + m.group(0)[14:]
                yield Finding("PRIVACY-ID-NUMBER", ERROR,
                              f"{_where(key)}出现身份证号码「{masked}」，应删除",
                              location=source, data={"section": key})


@rule("PRIVACY-MOBILE", defect="D-29", severity=ERROR)
def mobile_numbers(report: Report, ctx: Context) -> Iterator[Finding]:
    """Mobile numbers (1[3-9] + 9 digits) in the body of the report. The agency's own contact
    block is fine: the preamble, or a sentence that gives a 联系电话/咨询电话 and names no applicant.
    Landlines do not match."""
    for key, text, source in narrative(report, keys=tuple(SECTION_BY_KEY), preamble=False):
        for sentence in sentences(text):
            for m in _MOBILE.finditer(sentence):
                before = sentence[max(0, m.start() - 15): m.start()]
                if any(w in before for w in CONTACT_WORDS) and "申请人" not in sentence:
                    continue
                masked = m.group(0)[:3] + "****" + m.group(0)[7:]
                yield Finding("PRIVACY-MOBILE", ERROR,
                              f"{_where(key)}出现手机号码「{masked}」，不属于本机关的联系方式，应删除",
                              location=source, data={"section": key})
