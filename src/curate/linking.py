"""Markdown-aware text work: escaping, glossary links and link extraction.

Glossary linking walks a page's Markdown in reading order and links the first
mention of each glossary term to the page that explains it, with the term's
definition as the link title (shown as a tooltip by Material's
``content.tooltips``). It never links:

* to the page being written (no self-links);
* inside headings, code, existing links, images, HTML, attribute lists,
  footnote references or definitions;
* inside quotations: blockquotes and text between quotation marks.
"""

from __future__ import annotations

import html
import functools
import posixpath
import re
from dataclasses import dataclass, field
from typing import Iterable, Optional

from .model import GlossaryTerm

# Regions of Markdown that must never receive a link, in one alternation. The lookahead
# first is only a fast filter (every region starts a line or starts with one of those
# characters); it spares trying each alternative at every position of the text.
_PROTECTED = re.compile(
    r"""
    (?=^|[<`!\[h{“"‘])(?:
      ^(?P<fence>[ ]{0,3}(`{3,}|~{3,})).*?^[ ]{0,3}(?P=fence)[^\n]*$   # fenced code
    | ^[ ]{0,3}\#{1,6}(?:[ \t][^\n]*)?$                             # ATX heading
    | ^[ ]{0,3}>[^\n]*$                                             # blockquote line
    | ^\[\^[^\]\n]+\]:[^\n]*$                                       # footnote definition
    | <!--.*?-->                                                    # HTML comment
    | <[A-Za-z/][^>\n]*>                                            # HTML tag
    | (?P<tick>`+)[^`\n].*?(?P=tick)                                    # inline code
    | !?\[(?:[^\[\]\n]|\[[^\]\n]*\])*\]\([^)\n]*\)(?:\{[^}\n]*\})?  # inline link or image (+attrs)
    | !?\[[^\]\n]*\]\[[^\]\n]*\]                                    # reference link
    | \[\^[^\]\n]+\]                                                # footnote reference
    | <https?://[^>\n]+> | https?://\S+                             # URLs
    | \{[^}\n]*\}                                                   # attribute list
    | “[^“”\n]*” | "[^"\n]*"                                        # quotations
    | (?<!\w)‘[^‘’\n]*’(?!\w)                                       # single-quoted quotation
    )""",
    re.MULTILINE | re.DOTALL | re.VERBOSE,
)

# Characters Python-Markdown (with the tables extension) lets a backslash escape, and that
# mean something somewhere in a line: emphasis, code, links, footnotes, attribute lists, tables.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|#!])")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
# Line starts that open a block: lists, rules and setext underlines, fences (``~~~``),
# admonitions (``!!!``, escaped above) and details (``???``), ordered lists (``1.``).
_LINE_START_ENTITY = re.compile(r"^([=~?:])")
_LINE_START_BACKSLASH = re.compile(r"^([-+])")
_ORDERED = re.compile(r"^(\d+)([.)])")
# Invisible control characters (Python-Markdown uses STX and ETX itself): dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@functools.lru_cache(maxsize=1 << 16)  # titles and descriptions recur on many pages
def escape(text: str) -> str:
    """Escape plain text so Markdown renders it literally, character for character.

    Control characters are dropped and each line is trimmed (leading spaces
    would make a code block, two trailing spaces a line break). ``&`` before an entity-like run becomes ``&amp;``;
    ``<`` and ``>`` become ``&lt;`` and ``&gt;`` (Python-Markdown cannot
    backslash-escape ``<``); every character Markdown or an enabled extension
    gives a meaning to inside a line is backslash-escaped (``\\ ` * _ { } [ ]
    | # !``); and a line start that would open a block (``- + = ~ ? :``,
    ``1.``, ``1)``) is escaped too. Characters without a meaning (``~ ^ = $``
    inside a line) are left alone, so no stray backslash is ever shown.
    """
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        line = _ENTITY_LIKE.sub("&amp;", line)
        line = _MD_SPECIAL.sub(r"\\\1", line)
        line = line.replace("<", "&lt;").replace(">", "&gt;")
        line = _LINE_START_BACKSLASH.sub(r"\\\1", line)
        line = _LINE_START_ENTITY.sub(lambda m: f"&#{ord(m.group(1))};", line)
        line = _ORDERED.sub(r"\1\\\2", line)
        lines.append(line)
    return "\n".join(lines)


def unescape(markdown_text: str) -> str:
    """Markdown of one sentence back to plain text: links keep their text."""
    text = re.sub(r"\s*\{:?\s*[#.][^}]*\}", "", markdown_text)  # attribute lists
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    text = re.sub(r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\([^)]*\)(?:\{[^}]*\})?", r"\1", text)
    text = re.sub(r"\\(.)", r"\1", text)
    text = html.unescape(text)
    return re.sub(r"\s+", " ", text).strip()


@functools.lru_cache(maxsize=1 << 16)
def relative_link(from_page: str, to_page: str, fragment: str = "") -> str:
    """Relative Markdown link target between two ``docs/``-relative paths.

    >>> relative_link("sources/x.md", "what-is-llama.md", "top")
    '../what-is-llama.md#top'
    """
    rel = _relpath(to_page, posixpath.dirname(from_page) or ".")
    return rel + (f"#{fragment}" if fragment else "")


@functools.lru_cache(maxsize=None)
def _relpath(path: str, start: str) -> str:
    # Remembered: a site links the same few folders to each other thousands of times, and
    # posixpath.relpath asks the operating system for the working folder on every call.
    return posixpath.relpath(path, start)


def split_protected(markdown_text: str) -> list[tuple[bool, str]]:
    """Split Markdown into ``(linkable, text)`` runs, in order.

    ``linkable`` is false for every region listed in the module docstring.
    """
    out: list[tuple[bool, str]] = []
    pos = 0
    for m in _PROTECTED.finditer(markdown_text):
        if m.start() > pos:
            out.append((True, markdown_text[pos:m.start()]))
        out.append((False, m.group()))
        pos = m.end()
    if pos < len(markdown_text):
        out.append((True, markdown_text[pos:]))
    return out


@dataclass
class TermLink:
    """Where a term can link to.

    Attributes:
        term: The glossary term.
        target: ``docs/``-relative page path.
        fragment: Anchor on that page, or ``''``.
    """

    term: GlossaryTerm
    target: str
    fragment: str = ""


def _alias_pattern(alias: str) -> str:
    # Spaces and hyphens are interchangeable: "open source" = "open-source".
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", alias.strip()) if p]
    return r"[\s\-]+".join(parts)


_SEP = r"[\s\-]+"


def _trie_pattern(aliases: list[str]) -> str:
    """One regex for all aliases, with shared beginnings factored out (a trie).

    Matches exactly what ``"|".join(_alias_pattern(a) for a in longest_first)`` matches,
    in the same order of preference: wherever two aliases both match, one is a prefix of
    the other, and the longer is tried first (``(?:…)?`` tries the longer branch before
    stopping). Python's ``re`` tries every alternative of a flat alternation at every word
    start; the trie tries one character per step, so hundreds of terms cost little more
    than a dozen. Characters are grouped case-insensitively, as the regex matches them.
    """
    end = ""
    trie: dict = {}
    for alias in aliases:
        node = trie
        parts = [p for p in re.split(_SEP, alias.strip()) if p]
        for k, part in enumerate(parts):
            for ch in ([_SEP] if k else []) + list(part):
                key = ch if ch == _SEP or len(ch.casefold()) != 1 else ch.casefold()
                node = node.setdefault(key, ({}, ch))[0]
        node[end] = None

    def emit(node: dict) -> str:
        branches = [(ch if ch == _SEP else re.escape(ch)) + emit(child)
                    for key, (child, ch) in sorted((k, v) for k, v in node.items() if k != end)]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end in node:
            return (body if len(branches) > 1 else "(?:" + body + ")") + "?"
        return body

    return emit(trie)


def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", " ", text).casefold()


class GlossaryLinker:
    """Links first mentions of glossary terms; one instance for the whole site.

    Args:
        links: One :class:`TermLink` per glossary term.
    """

    _SUFFIX = r"(?:['’]s|['’]|es|s)?"

    def __init__(self, links: Iterable[TermLink]):
        self.links = list(links)
        self._by_key: dict[str, list[tuple[str, TermLink]]] = {}
        self._matched: dict[str, Optional[TermLink]] = {}  # mention text → link: the same words recur
        alternatives = []
        for link in self.links:
            for alias in [link.term.term, *link.term.aliases]:
                if not alias.strip():
                    continue
                self._by_key.setdefault(_key(alias), []).append((alias, link))
                alternatives.append(alias)
        alternatives.sort(key=lambda a: (-len(a), a))
        self._regex: Optional[re.Pattern] = None
        if alternatives:
            body = _trie_pattern(alternatives)
            self._regex = re.compile(r"(?<![\w\-])(" + body + r")" + self._SUFFIX + r"(?![\w\-])", re.IGNORECASE)

    def mentions(self, text: str) -> set[str]:
        """Terms mentioned anywhere in linkable parts of ``text`` (by ``term``)."""
        found: set[str] = set()
        if self._regex is None:
            return found
        for linkable, chunk in split_protected(text):
            if not linkable:
                continue
            for m in self._regex.finditer(chunk):
                link = self._match(m)
                if link:
                    found.add(link.term.term)
        return found

    def mentions_anywhere(self, text: str) -> set[str]:
        """Terms mentioned anywhere a reader sees text: quotations and headings too.

        Link targets, HTML tags, code and footnote definitions are not text a
        reader sees and are skipped.
        """
        if self._regex is None:
            return set()
        visible = re.sub(r"^\[\^[^\]\n]+\]:[^\n]*$", "", text, flags=re.MULTILINE)
        visible = re.sub(r"\]\([^)\n]*\)|<[^>\n]*>|`[^`\n]*`|\{[^}\n]*\}", " ", visible)
        return {link.term.term for m in self._regex.finditer(visible) if (link := self._match(m))}

    def _match(self, m: re.Match) -> Optional[TermLink]:
        base = m.group(1)
        cache = self._matched
        if base in cache:
            return cache[base]
        found = None
        for alias, link in self._by_key.get(_key(base), []):
            if link.term.case_sensitive and re.sub(r"[\s\-]+", " ", base) != re.sub(r"[\s\-]+", " ", alias):
                continue
            found = link
            break
        cache[base] = found
        return found

    def link(self, markdown_text: str, page: str, done: set[str]) -> str:
        """Link the first mention of each term not yet in ``done``.

        Args:
            markdown_text: Markdown to link (any part of a page).
            page: ``docs/``-relative path of the page being written.
            done: Terms already linked (or skipped) on this page; updated.

        Returns:
            The Markdown with ``[mention](target "definition"){ .glossary-link }``
            at each first mention.
        """
        if self._regex is None:
            return markdown_text
        out = []
        for linkable, chunk in split_protected(markdown_text):
            if not linkable:
                out.append(chunk)
                continue
            pieces, pos = [], 0
            for m in self._regex.finditer(chunk):
                link = self._match(m)
                if link is None or link.term.term in done:
                    continue
                if link.target == page and not link.fragment:
                    done.add(link.term.term)  # the explaining page: never a self-link
                    continue
                if link.target == page:
                    continue
                done.add(link.term.term)
                title = link.term.definition.replace('"', "”").replace("\n", " ")
                title = title.replace("\\", "\\\\")
                target = relative_link(page, link.target, link.fragment)
                pieces.append(chunk[pos:m.start()])
                pieces.append(f'[{m.group()}]({target} "{title}"){{ .glossary-link }}')
                pos = m.end()
            pieces.append(chunk[pos:])
            out.append("".join(pieces))
        return "".join(out)


@dataclass
class FoundLink:
    """A link between pages found in a page's prose.

    Attributes:
        source_page: ``docs/``-relative path of the page holding the link.
        target_page: ``docs/``-relative path it points to.
        sentence: The sentence the link sits in, as plain text.
    """

    source_page: str
    target_page: str
    sentence: str = field(default="")


_LINK = re.compile(r"(?<!!)\[(?:[^\[\]]|\[[^\]]*\])*\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[”’\"]?\s+(?=[\[“\"‘(]?[A-Z0-9])")


def find_links(page: str, markdown_text: str) -> list[FoundLink]:
    """Links to other Markdown pages in ``markdown_text``, with their sentences.

    Headings, code and footnote definitions are skipped; external URLs and
    links to the page itself are ignored.
    """
    found = []
    for paragraph in re.split(r"\n\s*\n", markdown_text):
        if re.match(r"\s*(#|```|~~~|\[\^)", paragraph):
            continue
        for m in _LINK.finditer(paragraph):
            url = m.group("url")
            if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I) or url.startswith("#"):
                continue
            path = url.split("#", 1)[0]
            if not path.endswith(".md"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
            if target == page:
                continue
            found.append(FoundLink(page, target, _sentence_around(paragraph, m.start(), m.end())))
    return found


def _sentence_around(paragraph: str, start: int, end: int) -> str:
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(paragraph)] + [len(paragraph)]
    s = max(b for b in bounds if b <= start)
    e = min((b for b in bounds if b >= end), default=len(paragraph))
    text = paragraph[s:e]
    text = re.sub(r"^\s*([-*+]|\d+\.)\s+", "", text)
    return unescape(text)
