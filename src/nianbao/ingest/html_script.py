"""Report markup that a page writes with JavaScript, read back as if it were inline.

Some CMS pages do not carry the article in their HTML: a script writes it —
``document.write('…')`` (often one call per line), ``var content = "…"; $("#zoom").html(content)``,
``el.innerHTML = '<p>…' + '…'``, a string built with ``s += '…'``. The strings are escaped the
way JavaScript allows (``\\'``, ``\\"``, ``\\/``, ``\\n``, ``\\x3c``, ``\\u003c``, line
continuations) and sometimes HTML-entity encoded (``&lt;table&gt;``, decoded by the page with a
helper before it is inserted). A browser would show the report; a reader of the HTML sees only
chrome and refuses the page as 「不是年度报告」.

This module turns a script's source into the markup it would write (:func:`markup_candidates`)
and puts that markup into the page tree where the browser would put it (:func:`inline_scripts`),
so the HTML ingester reads it with the same chrome removal and table grids as inline markup.
It is a small lexer, not a JavaScript interpreter: string literals joined by ``+`` make one value;
every value holding markup, in script order, makes the whole written text.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator

import lxml.html

# Tokens of a script, in the order they are tried at each position (a string before a comment:
# ``'http://x'`` is a string; outside strings ``//`` starts a comment).
_TOKEN = re.compile(
    r"""(?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)"""
    r"|(?P<comment>//[^\n]*|/\*.*?\*/|<!--|-->)"
    r"|(?P<plus>\+(?![+=]))"
    r"|(?P<name>[\w$][\w$.]*(?:\[[\w$'\"]*\])*)"
    r"|(?P<space>\s+)"
    r"|(?P<punct>.)",
    re.S,
)
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|.)", re.S)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0", "\n": "", "\r\n": ""}
# Tags that make a string markup (as in the JSON unwrapping of html.py).
MARKUP_TAG = re.compile(r"<\s*/?\s*(p|div|table|tr|td|span|br|h\d|body|html)\b", re.I)
_ENCODED_TAG = re.compile(r"&lt;\s*/?\s*(p|div|table|tr|td|span|br|h\d|body|html)\b", re.I)
MIN_TAGS = 3  # fewer tags than this is a snippet (a link, a button), never an article
# Where the written markup goes: ``$("#zoom")``, ``getElementById('zoom')``, ``querySelector("#zoom")``.
_TARGET = re.compile(r"""(?:\$|jQuery|querySelector)\(\s*['"]#([\w-]+)['"]\s*\)|getElementById\(\s*['"]([\w-]+)['"]\s*\)""")


def js_unescape(body: str) -> str:
    """The value of a string literal's body: every JavaScript escape decoded."""
    def sub(m: re.Match[str]) -> str:
        e = m.group(1)
        if e.startswith("u{"):
            return chr(int(e[2:-1], 16))
        if e[0] in "ux" and len(e) > 1:
            return chr(int(e[1:], 16))
        return _SIMPLE.get(e, e)

    return _ESCAPE.sub(sub, body)


def string_values(source: str) -> Iterator[str]:
    """The string values a script builds, in order: literals joined by ``+`` are one value.

    A name between two ``+`` (``'<td>' + n + '</td>'``) keeps the value open (its own text is
    unknown and left out); any other token ends it.
    """
    parts: list[str] = []
    joined = False  # the last significant token was a '+'
    for m in _TOKEN.finditer(source):
        kind = m.lastgroup
        if kind in ("space", "comment"):
            continue
        if kind == "str":
            if parts and not joined:
                yield "".join(parts)
                parts = []
            parts.append(js_unescape(m.group()[1:-1]))
            joined = False
        elif kind == "plus":
            joined = True
        elif kind == "name" and joined:
            joined = False  # an operand of the concatenation
        else:
            if parts:
                yield "".join(parts)
                parts = []
            joined = False
    if parts:
        yield "".join(parts)


def _decoded(value: str) -> str:
    """Entity-encoded markup (``&lt;p&gt;…``) decoded; real markup left as it is."""
    if len(_ENCODED_TAG.findall(value)) >= MIN_TAGS and len(MARKUP_TAG.findall(value)) < MIN_TAGS:
        return html.unescape(value)
    return value


def markup_score(value: str) -> int:
    return len(MARKUP_TAG.findall(value)) * 20 + len(value) // 100


def markup_candidates(source: str) -> list[str]:
    """What a script may write, most likely first: its largest markup value, then all its markup
    values joined in order (``document.write`` line by line, ``s += '…'``). Empty when none has
    at least :data:`MIN_TAGS` tags."""
    values = [v for v in (_decoded(s) for s in string_values(source)) if "<" in v]
    if not values:
        return []
    best = max(values, key=markup_score)
    tagged = [v for v in values if MARKUP_TAG.search(v)]
    joined = "".join(tagged)
    return [c for c in dict.fromkeys([best, joined]) if len(MARKUP_TAG.findall(c)) >= MIN_TAGS]


def _body(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    body = root.find("body")
    return body if body is not None else root


def _place(root: lxml.html.HtmlElement, script: lxml.html.HtmlElement, written: lxml.html.HtmlElement,
           targets: list[str]) -> None:
    """Put *written*'s body into the element a script fills (by id), else where the script stands
    (in the body), else at the end of the body."""
    content = _body(written)
    body = _body(root)
    target = next((el for t in targets for el in body.iter() if el.get("id") == t), None)
    if target is not None:
        for child in list(target):
            target.remove(child)
        target.text = content.text
        target.extend(list(content))
        return
    if any(a is body for a in script.iterancestors()):
        parent = script.getparent()
        at = parent.index(script)
        lead = content.text or ""
        prev = script.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + lead
        else:
            parent.text = (parent.text or "") + lead
        children = list(content)
        for offset, child in enumerate(children):
            parent.insert(at + offset, child)
        tail = script.tail
        parent.remove(script)
        if tail:
            if children:
                children[-1].tail = (children[-1].tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        return
    body.extend(list(content))


def inline_scripts(root: lxml.html.HtmlElement, parse: Callable[[str], lxml.html.HtmlElement | None],
                   anchors: Callable[[lxml.html.HtmlElement], list]) -> bool:
    """Write into *root* the script markup that holds more report anchors than the page itself.

    *parse* turns markup into a tree, *anchors* finds a tree's report anchors (headings and
    statistics tables; both from the HTML ingester). Returns whether markup was written.
    """
    have = len(anchors(root))
    sources = [s.text for s in root.iter("script") if s.text]
    best: tuple[int, lxml.html.HtmlElement, lxml.html.HtmlElement] | None = None
    for script in root.iter("script"):
        source = script.text or ""
        if "<" not in source and "&lt;" not in source and "\\x3" not in source.lower() and "\\u00" not in source.lower():
            continue
        for markup in markup_candidates(source):
            written = parse(markup)
            found = len(anchors(written)) if written is not None else 0
            if written is not None and found > have and (best is None or found > best[0]):
                best = (found, script, written)
    if best is None:
        return False
    targets = [a or b for src in sources for a, b in _TARGET.findall(src)]
    _place(root, best[1], best[2], targets)
    return True
