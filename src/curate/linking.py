"""Markdown-aware text work: escaping, glossary links and link extraction.

Markdown is read with :mod:`curate.markdown_tokens` (markdown-it-py, configured to
read as MkDocs' Python-Markdown does). Glossary linking walks a page's Markdown in
reading order and links the first mention of each glossary term, with the term's
definition as the link title (shown as a tooltip by Material's ``content.tooltips``),
by one rule on every page: to the page that is about the term (the page whose key
term it is, :attr:`curate.schema.PageSpec.terms`), and otherwise to the term's
glossary entry (see :class:`TermLink`). A term is matched in the text a reader sees
(escapes and entities decoded) and its link is written where that text is in the
source. It never links:

* to the page being written (no self-links);
* inside headings, code, existing links, images, raw HTML, attribute lists,
  abbreviations, admonition titles, footnote references or definitions;
* inside quotations: blockquotes and text between quotation marks;
* where Python-Markdown could read the text otherwise than markdown-it: inside
  literal ``[…]``, ``(…)`` after them or ``<…>``, next to an emphasis mark that
  does not wrap the mention exactly, after ``!`` or a lone backslash, on a line
  with a ``}`` after it (see :func:`_can_wrap`). A property test holds that linking
  never changes what Python-Markdown shows but the links.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote

from .markdown_tokens import (
    PARAGRAPHS,
    Inline,
    Part,
    Run,
    inline_parts,
    normalized,
    visible_text,
    with_links,
)
from .model import GlossaryTerm
from .slugs import name_key

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
# Whatever one of the substitutions of escape() acts on: without it, a line is left as it is.
_NEEDS_ESCAPE = re.compile(r"[\\`*_{}\[\]|#!&<>]|^[-+=~?:]|^\d+[.)]")


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
        if not _NEEDS_ESCAPE.search(line):
            lines.append(line)  # nothing below would change it (most lines of prose)
            continue
        line = _ENTITY_LIKE.sub("&amp;", line)
        line = _MD_SPECIAL.sub(r"\\\1", line)
        line = line.replace("<", "&lt;").replace(">", "&gt;")
        line = _LINE_START_BACKSLASH.sub(r"\\\1", line)
        line = _LINE_START_ENTITY.sub(lambda m: f"&#{ord(m.group(1))};", line)
        line = _ORDERED.sub(r"\1\\\2", line)
        lines.append(line)
    return "\n".join(lines)


@functools.lru_cache(maxsize=1 << 16)
def relative_link(from_page: str, to_page: str, fragment: str = "") -> str:
    """Relative Markdown link target between two ``docs/``-relative paths.

    >>> relative_link("sources/x.md", "what-is-llama.md", "top")
    '../what-is-llama.md#top'
    """
    rel = _relpath(to_page, posixpath.dirname(from_page) or ".")
    return rel + (f"#{fragment}" if fragment else "")


@functools.cache
def _relpath(path: str, start: str) -> str:
    # Remembered: a site links the same few folders to each other thousands of times, and
    # posixpath.relpath asks the operating system for the working folder on every call.
    return posixpath.relpath(path, start)


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


# Characters that IGNORECASE matches with an ASCII letter although lowercasing does not give
# that letter (Python's sre_compile pairs "ı" with "i" and "ſ" with "s"; tests check every code point).
_IGNORECASE_ONLY = re.compile("[\u0131\u017f]")


def _lowers_cleanly(text: str) -> bool:
    """Whether ``text.lower()`` keeps every character in place (one for one) and holds nothing
    IGNORECASE would match with an ASCII letter that lowercasing does not turn into it."""
    return text.isascii() or (len(text.lower()) == len(text) and not _IGNORECASE_ONLY.search(text))


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




_FOUND_SIZE = 4096


class GlossaryLinker:
    """Links first mentions of glossary terms; one instance for the whole site.

    Markdown is read with :mod:`curate.markdown_tokens`: a term is matched in the
    text a reader sees (escapes and entities decoded), and its link is written at
    the exact place in the source it came from, so ``\\*NSYNC`` or ``AT&amp;T``
    link like any other word. Only text of paragraphs, list items, table cells and
    admonitions is linked, never text inside a heading, blockquote, footnote
    definition, code, link, image, raw HTML, attribute list or abbreviation, nor a
    quotation, a bare URL, or literal ``[…]``, ``(…)`` after it or ``<…>`` (which
    Python-Markdown may still read as a link or a tag).

    Args:
        links: One :class:`TermLink` per glossary term.
    """

    _SUFFIX = r"(?:['’]s|['’]|es|s)?"

    def __init__(self, links: Iterable[TermLink]):
        self.links = list(links)
        self._by_key: dict[str, list[tuple[str, TermLink]]] = {}
        self._matched: dict[str, TermLink | None] = {}  # mention text → link: the same words recur
        alternatives = []
        for link in self.links:
            for alias in [link.term.term, *link.term.aliases]:
                if not alias.strip():
                    continue
                self._by_key.setdefault(name_key(alias), []).append((alias, link))
                alternatives.append(alias)
        alternatives.sort(key=lambda a: (-len(a), a))
        self._regex: re.Pattern | None = None
        if alternatives:
            body = _trie_pattern(alternatives)
            self._regex = re.compile(r"(?<![\w\-])(" + body + r")" + self._SUFFIX + r"(?![\w\-])", re.IGNORECASE)
        # The same regex for lowercased text, matched case by case: twice as fast as IGNORECASE, and
        # the same matches where lowercasing keeps every character in place and no character in
        # it matches an ASCII letter only under IGNORECASE (see _lowers_cleanly). Only for
        # aliases all in ASCII, whose letters IGNORECASE pairs with nothing else.
        self._lower_regex: re.Pattern | None = None
        if alternatives and all(a.isascii() for a in alternatives):
            body = _trie_pattern(sorted({a.lower() for a in alternatives}, key=lambda a: (-len(a), a)))
            self._lower_regex = re.compile(r"(?<![\w\-])(" + body + r")" + self._SUFFIX + r"(?![\w\-])")
        self._titles: dict[str, str] = {}
        # id(inline) → (inline, its mentions), the last few thousand: a page's passages are
        # read for mentions, then linked.
        self._found: OrderedDict[int, tuple[Inline, list[tuple[Run, int, int, TermLink]]]] = OrderedDict()

    def _mentions_in(self, parts: list[Part], abbreviations: dict[str, str]
                     ) -> Iterator[tuple[Part, Run, int, int, TermLink]]:
        """Every mention in linkable text, in reading order: ``(part, run, start, end, link)``."""
        abbreviation_regex = _abbreviation_regex(abbreviations)
        for part in parts:
            for inline in part.inlines:
                if not inline.runs or not linkable(inline):
                    continue
                if abbreviation_regex is None:
                    known = self._found.get(id(inline))
                    if known is None or known[0] is not inline:
                        known = self._found[id(inline)] = (inline, list(self._scan(inline, None, part.text)))
                        if len(self._found) > _FOUND_SIZE:
                            self._found.popitem(last=False)
                    found: Iterable = known[1]
                else:
                    found = self._scan(inline, abbreviation_regex, part.text)
                for run, start, end, link in found:
                    yield part, run, start, end, link

    def _scan(self, inline: Inline, abbreviations: re.Pattern | None, text: str
              ) -> Iterator[tuple[Run, int, int, TermLink]]:
        assert self._regex is not None
        if _stray_emphasis(inline, text):
            return
        protected = _protected(inline.plain)
        for run, syntax in zip(inline.runs, _literal_syntax(inline.runs), strict=True):
            for start, end in _linkable_segments(run, protected, syntax, abbreviations):
                segment = run.text[start:end]
                if self._lower_regex is not None and _lowers_cleanly(segment):
                    for m in self._lower_regex.finditer(segment.lower()):
                        link = self._match_text(segment[m.start(1):m.end(1)])
                        if link is not None:
                            yield run, start + m.start(), start + m.end(), link
                    continue
                for m in self._regex.finditer(segment):
                    link = self._match(m)
                    if link is not None:
                        yield run, start + m.start(), start + m.end(), link

    def mentions(self, text: str) -> set[str]:
        """Terms mentioned anywhere in linkable parts of ``text`` (by ``term``)."""
        if self._regex is None:
            return set()
        return {link.term.term for *_, link in self._mentions_in(*inline_parts(text))}

    def mentions_anywhere(self, text: str) -> set[str]:
        """Terms mentioned anywhere a reader sees text: quotations and headings too.

        Link targets, HTML tags, code and footnote definitions are not text a
        reader sees and are skipped.
        """
        if self._regex is None:
            return set()
        found = set()
        parts, _ = inline_parts(text)
        for inline in (inline for part in parts for inline in part.inlines):
            if inline.in_footnote:
                continue
            for m in self._regex.finditer(visible_text(inline, with_code=False)):
                link = self._match(m)
                if link is not None:
                    found.add(link.term.term)
        return found

    def _match(self, m: re.Match) -> TermLink | None:
        return self._match_text(m.group(1))

    def _match_text(self, base: str) -> TermLink | None:
        """The term a mention (the text the regex's first group matched, as written) names, if any."""
        cache = self._matched
        if base in cache:
            return cache[base]
        found = None
        for alias, link in self._by_key.get(name_key(base), []):
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
            at each first mention; the mention is escaped (:func:`escape`) and the
            definition written for a link title (:func:`link_title`).
        """
        if self._regex is None:
            return markdown_text
        source = normalized(markdown_text)
        parts, abbreviations = inline_parts(source)
        edits: dict[int, list] = {}
        for part, run, start, end, link in self._mentions_in(parts, abbreviations):
            if link.term.term in done:
                continue
            if link.target == page and not link.fragment:
                done.add(link.term.term)  # the explaining page: never a self-link
                continue
            if link.target == page:
                continue
            span = run.source_span(start, end)
            if span is None or not _can_wrap(part.text, *span):
                continue
            if _pairs_outside(part.text, *span) or not _next_to_marks_ok(part.text, *span, run, start, end):
                continue
            done.add(link.term.term)
            title = self._titles.get(link.term.term)
            if title is None:
                title = self._titles[link.term.term] = link_title(link.term.definition)
            target = relative_link(page, link.target, link.fragment)
            text = _link_text(part.text, run, start, end)
            markup = f'[{text}]({target} "{title}"){{ .glossary-link }}'
            edits.setdefault(id(part), []).append((run, start, end, span[0], span[1], markup, target))
        if not edits:
            return markdown_text
        out, pos = [], 0
        for part in parts:
            changes = edits.get(id(part))
            if not changes:
                continue
            new = []
            at = 0
            for _, _, _, s, e, markup, _ in sorted(changes, key=lambda c: c[3]):
                new.append(part.text[at:s])
                new.append(markup)
                at = e
            new.append(part.text[at:])
            text = "".join(new)
            # An emphasis mark next to a new link may pair differently once the link is there:
            # then the new text is parsed afresh when it is next read.
            if part.paragraph and not any(part.text[s - 1:s] in ("*", "_") or part.text[e:e + 1] in ("*", "_")
                                          for _, _, _, s, e, _, _ in changes):
                derived = with_links(part.inlines[0], [(r, a, b, s, e, len(m), t) for r, a, b, s, e, m, t in changes])
                if derived is not None:
                    PARAGRAPHS.put_linked(text, derived)
            out.append(source[pos:part.offset])
            out.append(text)
            pos = part.offset + len(part.text)
        out.append(source[pos:])
        return "".join(out)


_UNESCAPED_CLOSE_BRACE = re.compile(r"(?<!\\)(?:\\\\)*\}")


def _can_wrap(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` can become a glossary link written in place.

    Not right after a ``!`` (it would make an image) or a lone backslash (it would
    escape the ``[``); not when the rest of its line holds a ``}`` that is not escaped:
    Python-Markdown's ``attr_list`` reads a link's ``{ .glossary-link }`` on to the last
    ``}`` of the line and moves the text in between (``markdown/extensions/attr_list.py``,
    ``INLINE_RE``); not right after a line that so far holds only an attribute list.
    """
    if start and text[start - 1] == "!":
        return False
    if _escaped(text, start):
        return False
    # Nor right after a line that is so far only "{ … }": the link would end the paragraph's
    # text before its first element there, and attr_list reads such an ending as the
    # paragraph's own attribute list (``BLOCK_RE`` on ``elem.text``), dropping the braces.
    line_start = text.rfind("\n", 0, start) + 1
    if _ATTR_LIST_SO_FAR.match(text, line_start, start):
        return False
    line_end = text.find("\n", end)
    return not _UNESCAPED_CLOSE_BRACE.search(text, end, len(text) if line_end < 0 else line_end)


# attr_list's BASE_RE (``\{\:?[ ]*([^\}\n ][^\n]*)[ ]*\}``) filling a line up to a point.
_ATTR_LIST_SO_FAR = re.compile(r"[ ]*\{:?[ ]*[^}\n ][^\n]*[ ]*\}[ ]*$")


_UNESCAPED_MARK = {mark: re.compile(r"(?<!\\)(?:\\\\)*" + re.escape(mark)) for mark in "*_"}


def _escaped(text: str, pos: int) -> bool:
    """Whether ``text[pos]`` is escaped by an odd run of backslashes before it."""
    count = 0
    while pos - count - 1 >= 0 and text[pos - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _next_to_marks_ok(text: str, s: int, e: int, run: Run, start: int, end: int) -> bool:
    """Whether emphasis marks and backticks next to ``text[s:e]`` stay what they are once it is a link.

    Python-Markdown's emphasis patterns look at the characters around ``*`` and ``_``; a
    link written next to them changes those. Only marks that wrap the mention exactly, as
    one emphasis or strong emphasis (``*Meta*``, ``__Meta__``), are left as they are.
    """
    # A backtick left as text next to or in the mention pairs with another differently once a
    # link splits its run (``\`code``grep` `` with the term "`grep`" became a code span).
    if any(text[k] == "`" and not _escaped(text, k) for k in range(max(0, s - 1), min(len(text), e + 1))):
        return False
    before = text[s - 1] if s and not _escaped(text, s - 1) else ""
    if before in ("*", "_"):
        marks = _marks(run.follows, "_open")
        a = s - len(marks)
        if start or not marks or text[a:s] != marks or (a and text[a - 1] == marks[0]):
            return False
    after = text[e] if e < len(text) else ""
    if after in ("*", "_"):
        marks = _marks(run.precedes, "_close")
        b = e + len(marks)
        if end != len(run.text) or not marks or text[e:b] != marks or text[b:b + 1] == marks[0]:
            return False
    if "_" in (before, after):
        # Underscore emphasis also looks at the characters around every other "_": only
        # the marks of the emphasis around the mention may be in the text.
        pair = len(_marks(run.follows, "_open")) + len(_marks(run.precedes, "_close"))
        return sum(1 for k, c in enumerate(text) if c == "_" and not _escaped(text, k)) == pair
    return True


def _marks(key: str, suffix: str) -> str:
    """The emphasis marks of a run's neighbour (``em_open*`` → ``*``), or ``''``."""
    for kind in ("em", "strong"):
        if key.startswith(kind + suffix):
            return key[len(kind + suffix):]
    return ""


def _stray_emphasis(inline: Inline, text: str) -> bool:
    """Whether a ``*`` or ``_`` markdown-it left as text may pair up in Python-Markdown.

    Python-Markdown's emphasis patterns pair two ``*`` whatever is around them
    (``2 * 3 * 4``), and two ``_`` at word edges, where markdown-it's flanking rules saw
    none; a link written between such a pair can upset them. Nothing is linked in such a
    paragraph.
    """
    for mark in "*_":
        literal = any(c == mark and k not in run.escaped and (mark == "*" or _at_word_edge(run.text, k))
                      for run in inline.runs if mark in run.text for k, c in enumerate(run.text))
        if literal and len(_UNESCAPED_MARK[mark].findall(text)) > 1:
            return True
    return False


def _at_word_edge(text: str, k: int) -> bool:
    before = text[k - 1] if k else " "
    after = text[k + 1] if k + 1 < len(text) else " "
    return not (before.isalnum() and after.isalnum())


def _pairs_outside(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a ``*`` or ``_`` (not escaped) that Python-Markdown may
    pair with another one in the text: its emphasis patterns pair any two, where markdown-it
    saw a lone character. Inside link text, it would be cut off from its partner."""
    for mark, regex in _UNESCAPED_MARK.items():
        inside = [k for k in range(start, end) if text[k] == mark and not _escaped(text, k)]
        if inside and len(regex.findall(text)) > 1:
            return True
    return False


def linkable(inline: Inline) -> bool:
    """Whether glossary links may go into an inline: not a heading, title, quotation or footnote."""
    return inline.kind in ("paragraph", "cell") and not inline.quoted and not inline.in_footnote and not inline.fragile


# Text between quotation marks (a quotation keeps its words), and bare URLs.
# A quotation in double quotes may run across a soft line break (an editor wraps lines); one in
# single quotes may not, as "’" is also an apostrophe.
_QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"|(?<!\w)‘[^‘’\n]*’(?!\w)|https?://\S+")


def _protected(plain: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(plain)] if ('"' in plain or "“" in plain or "‘" in plain
                                                             or "://" in plain) else []


def _abbreviation_regex(abbreviations: dict[str, str]) -> re.Pattern | None:
    """Words the ``abbr`` extension wraps in ``<abbr>`` (``markdown/extensions/abbr.py``)."""
    abbrs = sorted(abbreviations, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in abbrs) + r")\b") if abbrs else None


def _literal_syntax(runs: list[Run]) -> list[list[tuple[int, int]]]:
    """Per run, the stretches inside literal link or tag syntax, which Python-Markdown may read.

    A literal (not escaped) ``[`` up to its ``]``, a ``(…)`` right after that ``]`` or after
    a footnote reference (``[^1](…)`` is a link when the footnote is not defined), and
    ``<…>``. An unclosed one runs on into the inline's next runs.
    """
    out: list[list[tuple[int, int]]] = []
    close = ""  # the character that ends the syntax we are in, or ""
    for run in runs:
        text, cuts = run.text, list[tuple[int, int]]()
        if not close and run.follows == "footnote_ref" and text.startswith("("):
            close = ")"
        if not close and "[" not in text and "<" not in text:
            out.append(cuts)
            continue
        start = 0 if close else -1
        for i, c in enumerate(text):
            if i in run.escaped:
                continue
            if close:
                if c == close:
                    if close == "]" and text.startswith("(", i + 1):
                        close = ")"
                        continue
                    close = ""
                    cuts.append((start, i + 1))
                continue
            if c in "[<":
                close, start = ("]" if c == "[" else ">"), i
        if close:
            cuts.append((start, len(text)))
        out.append(cuts)
    return out


def _linkable_segments(run: Run, protected: list[tuple[int, int]], syntax: list[tuple[int, int]],
                       abbreviations: re.Pattern | None) -> list[tuple[int, int]]:
    """Stretches of a run a term may be matched in, as ``(start, end)`` in ``run.text``."""
    cuts = [(max(0, s - run.offset), min(len(run.text), e - run.offset)) for s, e in protected
            if e > run.offset and s < run.offset + len(run.text)]
    cuts += syntax
    if abbreviations is not None:
        cuts += [m.span() for m in abbreviations.finditer(run.text)]
    if not cuts:
        return [(0, len(run.text))]
    out, pos = [], 0
    for s, e in sorted(cuts):
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < len(run.text):
        out.append((pos, len(run.text)))
    return out


def _link_text(source: str, run: Run, start: int, end: int) -> str:
    """The mention as link text: each line escaped, the source's own line breaks between."""
    parts = run.text[start:end].split("\n")
    if len(parts) == 1:
        return escape(parts[0])
    out, at = [], start
    for k, part in enumerate(parts):
        out.append(escape(part))
        at += len(part)
        if k < len(parts) - 1:
            before = run.source_span(start, at)
            after = run.source_span(at + 1, end)
            out.append(source[before[1]:after[0]] if before and after else "\n")
            at += 1
    return "".join(out)


_TITLE_ENTITIES = {"&": "&amp;", '"': "&quot;", "(": "&#40;", ")": "&#41;", "\\": "&#92;",
                   "<": "&lt;", ">": "&gt;", "`": "&#96;", "[": "&#91;", "]": "&#93;"}
_TITLE_TABLE = str.maketrans(_TITLE_ENTITIES)
_TITLE_SPACE = re.compile(r"[\x00-\x1f\x7f-\x9f\s]+")


def link_title(text: str) -> str:
    """Plain text as the title of a Markdown link ``[x](url "title")``, shown exactly as typed.

    Python-Markdown finds where a link ends with a scanner of its own
    (``LinkInlineProcessor.getLink`` in ``markdown/inlinepatterns.py``): a ``)`` right
    after a closing quote ends the link, so ``('hi')`` inside a title used to cut it short
    and let the rest of the title (``[x](javascript:…)``, ``<b>``) be read as Markdown.
    Here every ``"``, ``(`` and ``)``, everything an inline pattern that runs before links
    reads (backslash, backtick, brackets) and every ``&``, ``<`` and ``>`` becomes an HTML
    character reference, which Python-Markdown copies into the ``title`` attribute as it is
    and the browser shows as the character. An apostrophe stays as typed: with no ``)``
    left in the title it cannot end the link. The link's address is then always the target
    curate wrote, and nothing of the text becomes markup. Line breaks and control
    characters become single spaces.

    >>> link_title('Say (\'hi\') & "bye"')
    "Say &#40;'hi'&#41; &amp; &quot;bye&quot;"
    """
    return _TITLE_SPACE.sub(" ", text).strip().translate(_TITLE_TABLE)


@dataclass
class FoundLink:
    """A link between pages found in a page's prose.

    Attributes:
        source_page: ``docs/``-relative path of the page holding the link.
        target_page: ``docs/``-relative path it points to.
        sentence: The sentence the link sits in, as plain text.
        fragment: The anchor it points to on that page, or ``''``.
    """

    source_page: str
    target_page: str
    sentence: str = field(default="")
    fragment: str = field(default="")


_SENTENCE_END = re.compile(r"(?<=[.!?…])[”’\"]?\s+(?=[\[“\"‘(]?[A-Z0-9])")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def find_links(page: str, markdown_text: str) -> list[FoundLink]:
    """Links to other Markdown pages in ``markdown_text``, with their sentences.

    Links in headings and footnote definitions, images, external URLs and links to
    the page itself are left out; reference links count as the links they are.
    """
    found: list[FoundLink] = []
    if "[" not in markdown_text:
        return found  # every Markdown link starts with "[" (autolinks are not counted)
    parts, _ = inline_parts(markdown_text, only_with="](")
    for inline in (inline for part in parts for inline in part.inlines):
        if inline.kind == "heading" or inline.in_footnote or not inline.links:
            continue
        for link in inline.links:
            url = unquote(link.href)
            if link.autolink or _SCHEME.match(url) or url.startswith("#"):
                continue
            path, _, fragment = url.partition("#")
            if not path.endswith(".md"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
            if target == page:
                continue
            found.append(FoundLink(page, target, _sentence_around(inline.plain, link.start, link.end), fragment))
    return found


def _sentence_around(plain: str, start: int, end: int) -> str:
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(plain)] + [len(plain)]
    s = max(b for b in bounds if b <= start)
    e = min((b for b in bounds if b >= end), default=len(plain))
    return re.sub(r"\s+", " ", plain[s:e]).strip()
