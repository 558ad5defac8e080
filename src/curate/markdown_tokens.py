"""Markdown read the way MkDocs renders it: one parser, with source positions.

Every part of curate that reads Markdown (glossary linking, link discovery,
headings and their anchors, front matter and titles of hand-written pages,
editor quotations, the Markdown source reader) goes through :func:`parse`,
which wraps markdown-it-py (https://markdown-it-py.readthedocs.io). MkDocs
renders pages with Python-Markdown and the extensions ``mkdocs.yml`` lists;
the parser is configured to agree with it on what is code, a link, a heading,
front matter, an abbreviation, a footnote and an attribute list:

* **Headings** follow Python-Markdown's block processors
  (``markdown/blockprocessors.py``): an ATX heading starts at the first column
  of its block and needs no space after the ``#`` (``#Heading``); trailing
  ``#`` are dropped; a setext underline (``===``, ``---``) makes a heading of
  a one-line paragraph only (under a longer paragraph ``===`` stays text and
  ``---`` is a rule).
* **Lists and tables** never interrupt a paragraph (a ``- item`` line right
  under text continues it), as in Python-Markdown.
* **Abbreviation definitions** (``*[HTML]: Hyper Text``, the ``abbr``
  extension) are blocks of their own; the abbreviated words are wrapped in
  ``<abbr>`` wherever they occur.
* **Footnote definitions** (``[^1]: …``, the ``footnotes`` extension) are
  read with mdit-py-plugins' footnote plugin, in place. A ``[^label]``
  reference counts only when defined, as in Python-Markdown, except when a
  part of a page is read apart from its footnotes (``any_footnote``).
* **Admonitions and details** (``!!! note``, ``??? note``) are read with
  mdit-py-plugins' admon plugin.
* **Attribute lists** (``attr_list``) are found where Python-Markdown's
  ``AttrListTreeprocessor`` looks: at the end of a heading or table cell
  after a space, on the last line of a paragraph or list item (or of its text
  before its first inline element, when it ends with one), and right after an
  inline element (``[x](y){ .c }``); anywhere else braces are text. Their
  content is read as Python-Markdown's ``get_attrs_and_remainder`` reads it.
* **Escapes** are Python-Markdown's: a backslash escapes only its
  ``ESCAPED_CHARS`` (``\\<`` is a backslash and a tag) and never breaks a line.
* **Links** take any address (``javascript:`` too), as Python-Markdown does;
  nothing here is rendered to HTML for the site.
* **Front matter** is split off exactly as ``mkdocs.utils.meta.get_data``
  does (MkDocs 1.6): YAML between ``---`` lines, else MultiMarkdown
  ``Key: value`` lines.

Tests compare these readings with Python-Markdown and MkDocs themselves
(``tests/test_markdown.py``). Where the two parsers could still disagree, the
readers err on the safe side (see :mod:`curate.linking`).

Positions: markdown-it records only line ranges. The inline parser here
(:func:`_inline_parser`) records, for every inline token, the span of source it
came from, so a :class:`Run` of text maps back character by character (escapes
and entities as a whole), and :class:`Document` turns those into offsets in the
whole text. Inline content made only of text, escapes and line breaks (most of
curate's generated prose) is tokenised directly, without running markdown-it's
rules over it, and prose made of plain paragraphs is read a paragraph at a time
with the results kept for reuse (:func:`inline_parts`); property tests hold both
shortcuts equal to parsing the whole text.
"""

from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import yaml

from .slugs import slugify

if TYPE_CHECKING:  # markdown-it is imported when the parser is first made (a no-op build never needs it)
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token


# markdown-it's Token class, set by parser(): every token is made after the parser is.
_Token: Any = None


def _new_token(kind: str, tag: str, nesting: int) -> Token:
    return _Token(kind, tag, nesting)

# ------------------------------------------------------------------------------------------------
# Source positions of inline tokens
# ------------------------------------------------------------------------------------------------
#
# A *piece* maps part of a text token's content to the source: ``(length, start, end, verbatim)``
# says the next ``length`` characters of the content come from ``src[start:end]``, one for one
# when ``verbatim``, else as a whole (an escape ``\*`` or an entity ``&amp;``). Text tokens carry
# ``meta["pieces"]`` (``None`` when the source could not be matched, as for an autolink's text);
# every other inline token carries ``meta["span"] = (start, end)``. Offsets are in the inline
# token's ``content`` until :class:`Document` turns them into offsets in the whole text.

# Python-Markdown's ESCAPED_CHARS with the extensions mkdocs.yml loads (tables adds "|"):
# a backslash before any other character is text (``\\<b>`` is a backslash and a tag).
_ESCAPABLE = frozenset("!#()*+-.>[\\]_`{|}")
# Characters at which an inline rule of this parser can start (text, newline and escape aside).
_SIGNIFICANT = re.compile(r"[`*_\[\]<&!]")
_BREAK_OR_ESCAPE = re.compile(r"[\n\\]")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\n]+)\]")


# Characters at which a rule of this parser other than "text" can match (newline, escape,
# backticks, emphasis, link, image, autolink, HTML, entity, footnote reference). markdown-it
# also stops its text rule at characters it keeps for extensions (``- : + = # $ % @ ^ ~ { }``);
# in prose that stops it at every hyphen, for nothing.
_TERMINATOR = re.compile(r"[\n\\`*_\[\]!<&]")


def _text(state: StateInline, silent: bool) -> bool:
    """markdown-it's ``text`` rule, stopping only where another rule can match."""
    m = _TERMINATOR.search(state.src, state.pos, state.posMax)
    pos = m.start() if m else state.posMax
    if pos == state.pos:
        return False
    if not silent:
        _append_pending(state, state.src[state.pos:pos])
    state.pos = pos
    return True


def _escape(state: StateInline, silent: bool) -> bool:
    """A backslash escape as Python-Markdown reads one: only before a character of
    :data:`_ESCAPABLE` (its ``ESCAPED_CHARS`` with the extensions MkDocs loads); elsewhere,
    and before a line break, the backslash is text."""
    src, pos = state.src, state.pos
    if src[pos] != "\\" or pos + 1 >= state.posMax or src[pos + 1] not in _ESCAPABLE:
        return False
    if not silent:
        token = state.push("text_special", "", 0)
        token.content = src[pos + 1]
        token.markup = src[pos:pos + 2]
        token.info = "escape"
    state.pos = pos + 2
    return True


def _pieces_of(token: Token, src: str) -> list | None:
    span = token.meta.get("span")
    if span is None:
        return None
    start, end = span
    return [(len(token.content), start, end, src[start:end] == token.content)]


def _place_text(state: StateInline) -> None:
    """Give every pending-text token the source it came from (the first ``ruler2`` rule).

    Tokens flushed from markdown-it's pending buffer carry no position; each one is the
    verbatim source right after the token before it (the newline rule only trims spaces
    at its end), so a cursor walk finds it.
    """
    src = state.src
    cursor = 0
    for token in state.tokens:
        meta = token.meta
        if "pieces" in meta:
            pieces = meta["pieces"]
            if pieces:
                cursor = pieces[-1][2]
            continue
        span = meta.get("span")
        if token.type in ("text", "text_special"):
            if span is not None:
                meta["pieces"] = _pieces_of(token, src)
                del meta["span"]  # a text token's position is its pieces
                cursor = span[1]
            elif src.startswith(token.content, cursor):
                meta["pieces"] = [(len(token.content), cursor, cursor + len(token.content), True)]
                cursor += len(token.content)
            else:
                meta["pieces"] = None
        elif span is not None:
            # A link's own span covers its text: carry on inside it.
            cursor = span[0] + 1 if token.type == "link_open" and token.markup != "autolink" else span[1]


def _merge_text(tokens: list[Token]) -> list[Token]:
    """Turn ``text_special`` into ``text`` and join adjacent text tokens, keeping their pieces."""
    out: list[Token] = []
    for token in tokens:
        if token.type == "text_special":
            token.type = "text"
        if token.type == "text" and not token.content:
            continue  # an emphasis mark markdown-it used up (``**`` is two text tokens at first)
        if token.type == "text" and out and out[-1].type == "text":
            last = out[-1]
            a, b = last.meta.get("pieces"), token.meta.get("pieces")
            last.content += token.content
            last.meta["pieces"] = _join_pieces(a, b) if a is not None and b is not None else None
        else:
            out.append(token)
    return out


def _join_pieces(a: list, b: list) -> list:
    """Pieces of two texts one after the other; verbatim pieces that touch become one."""
    if a and b and a[-1][3] and b[0][3] and a[-1][2] == b[0][1]:
        length, start, _, _ = a[-1]
        return [*a[:-1], (length + b[0][0], start, b[0][2], True), *b[1:]]
    return a + b


def _fragments_join(state: StateInline) -> None:
    """markdown-it's ``fragments_join`` (levels after emphasis), keeping source pieces."""
    level = 0
    for token in state.tokens:
        if token.nesting < 0:
            level -= 1
        token.level = level
        if token.nesting > 0:
            level += 1
    joined = _merge_text(state.tokens)
    state.tokens[:] = joined


def _text_join(state: StateCore) -> None:
    """markdown-it's core ``text_join`` (escapes become text), keeping source pieces."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.children:
                    child.children = _merge_text(child.children)
            token.children = _merge_text(token.children)


def _trivial_tokens(src: str, begin: int, end: int) -> list[Token]:
    """Tokens of ``src[begin:end]``, which holds only text, escapes and line breaks.

    Mirrors this parser's ``text``, ``escape`` and ``newline`` rules: ``\\`` before ASCII
    punctuation is an escape, before a line break text; a line break after two
    spaces is a hard break, else a soft break (one trailing space dropped); spaces and
    tabs that start the next line are skipped.
    """
    tokens: list[Token] = []
    text: list[str] = []
    pieces: list = []

    def flush() -> None:
        if text:
            token = _new_token("text", "", 0)
            token.content = "".join(text)
            token.meta = {"pieces": list(pieces)}
            tokens.append(token)
            text.clear()
            pieces.clear()

    def add(chunk: str, start: int, stop: int, verbatim: bool = True) -> None:
        if verbatim and pieces and pieces[-1][3] and pieces[-1][2] == start:
            length, s, _, _ = pieces[-1]
            pieces[-1] = (length + len(chunk), s, stop, True)
        else:
            pieces.append((len(chunk), start, stop, verbatim))
        text.append(chunk)

    def line_break(kind: str, start: int, pos: int) -> int:
        flush()
        while pos < len(src) and src[pos] in " \t":
            pos += 1
        token = _new_token(kind, "br", 0)
        token.meta = {"span": (start, pos)}
        tokens.append(token)
        return pos

    pos = begin
    while pos < end:
        m = _BREAK_OR_ESCAPE.search(src, pos, end)
        stop = m.start() if m else end
        if stop > pos:
            add(src[pos:stop], pos, stop)
        if not m:
            break
        pos = stop
        if src[pos] == "\n":
            trailing = "".join(text)
            spaces = len(trailing) - len(trailing.rstrip(" "))
            if spaces:
                # markdown-it trims the spaces before a line break from the text
                cut = spaces if spaces >= 2 else 1
                _trim(text, pieces, cut)
            pos = line_break("hardbreak" if spaces >= 2 else "softbreak", pos, pos + 1)
        elif pos + 1 < end and src[pos + 1] in _ESCAPABLE:
            add(src[pos + 1], pos, pos + 2, verbatim=False)
            pos += 2
        else:  # a backslash before anything else is text (see _escape)
            add("\\", pos, pos + 1)
            pos += 1
    flush()
    return tokens


def _trim(text: list[str], pieces: list, count: int) -> None:
    """Drop ``count`` trailing characters (verbatim spaces) from a text being built."""
    joined = "".join(text)[:-count]
    text[:] = [joined] if joined else []
    while count and pieces:
        length, s, e, verbatim = pieces[-1]
        if length <= count:
            pieces.pop()
            count -= length
        else:
            pieces[-1] = (length - count, s, e - count, verbatim)
            count = 0


def _prefix_end(src: str, pos: int = 0) -> int:
    """Where the part of ``src`` from ``pos`` made only of text, escapes and line breaks ends."""
    while True:
        m = _SIGNIFICANT.search(src, pos)
        if not m:
            return len(src)
        k = m.start()
        # An escaped character is text: skip it unless the backslash is itself escaped.
        backslashes = 0
        while k - backslashes - 1 >= pos and src[k - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2 and src[k] in _ESCAPABLE:
            pos = k + 1
            continue
        return k


def _inline_parser() -> Any:
    """markdown-it's inline parser, recording the source span of every token it makes.

    ``tokenize`` is markdown-it's own loop (``markdown_it/parser_inline.py``) with one
    addition: after a rule succeeds, the tokens it pushed get ``meta["span"]``.
    ``parse`` first tokenises the longest start of the content made only of text,
    escapes and line breaks without running the rules (see :func:`_trivial_tokens`);
    nothing after it can reach back into it, as it holds no delimiter, bracket or tag.
    """
    from markdown_it.parser_inline import ParserInline
    from markdown_it.rules_inline import StateInline

    class InlineParser(ParserInline):  # type: ignore[misc]  # markdown-it's class, typed at run time
        fast = True

        def tokenize(self, state: StateInline) -> None:
            rules = self.ruler.getRules("")
            end = state.posMax
            max_nesting = state.md.options["maxNesting"]
            tokens = state.tokens
            while state.pos < end:
                pos = state.pos
                ok = False
                count = len(tokens)
                if state.level < max_nesting:
                    for rule in rules:
                        ok = rule(state, False)
                        if ok:
                            if state.pos <= pos:
                                raise RuntimeError("inline rule didn't increment state.pos")
                            break
                if ok:
                    if len(tokens) > count:
                        _mark(rule, tokens, count, pos, state.pos)
                    if state.pos >= end:
                        break
                    continue
                _append_pending(state, state.src[state.pos])
                state.pos += 1
            if state.pending:
                state.pushPending()

        def parse(self, src: str, md: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
            start = 0
            if self.fast:
                while True:
                    stop = _prefix_end(src, start)
                    if stop > start:
                        tokens.extend(_trivial_tokens(src, start, stop))
                    if stop >= len(src):
                        return tokens
                    if src[stop] in "<&":
                        tag = (_TAG_LIKE if src[stop] == "<" else _ENTITY_LIKE).match(src, stop)
                        token = _alone(tag.group()) if tag else None
                        if token is None or tag is None:
                            start = stop
                            break
                        tokens.append(_shifted_token(token, stop))
                        start = tag.end()
                        continue
                    # A footnote reference is the only thing "[" can start here when no link
                    # reference is defined and no "(" follows (the link rule would come first).
                    m = _FOOTNOTE_REF.match(src, stop)
                    if (m is None or env.get("references") or src.startswith(("(", "[", ":"), m.end())
                            or not _footnote_defined(env, m.group(1))):
                        start = stop
                        break
                    token = _new_token("footnote_ref", "", 0)
                    token.meta = {"label": m.group(1), "span": (stop, m.end())}
                    tokens.append(token)
                    start = m.end()
            state = StateInline(src, md, env, tokens)
            state.pos = start
            self.tokenize(state)
            for rule in self.ruler2.getRules(""):
                rule(state)
            return state.tokens

    return InlineParser()


# What could be one inline HTML tag or one character reference (checked by parsing it: _alone).
_TAG_LIKE = re.compile(r"<[^<>\n]*>")
_ENTITY_LIKE = re.compile(r"&#?[0-9A-Za-z]{1,32};")


@lru_cache(maxsize=4096)
def _alone(construct: str) -> Token | None:
    """The one token markdown-it makes of ``construct`` (an inline HTML tag or a character
    reference) parsed on its own, or ``None`` when it makes anything else.

    The rules that can match at ``<`` (autolink, HTML) and ``&`` (entity) read forward only,
    and a tag or reference ends at its ``>`` or ``;``: such a construct is read the same
    wherever it stands, so the inline parser's shortcut (:func:`_inline_parser`) takes its
    token from here and goes on after it. The curate-made ``<span class="curate-insertion">``
    and ``&#91;`` of every dated passage are most of what stopped the shortcut before.
    """
    md = parser(False)
    tokens = md.inline.parse(construct, md, {}, [])
    if len(tokens) != 1:
        return None
    token = tokens[0]
    if token.type == "html_inline" and token.meta.get("span") == (0, len(construct)):
        return token
    pieces = token.meta.get("pieces")
    if token.type in ("text", "text_special") and token.info == "entity" and pieces and len(pieces) == 1 \
            and pieces[0][1:3] == (0, len(construct)):
        return token
    return None


def _shifted_token(token: Token, offset: int) -> Token:
    """A copy of a token from :func:`_alone`, its source positions moved by ``offset``."""
    copy = _new_token(token.type, token.tag, token.nesting)
    copy.content, copy.markup, copy.info = token.content, token.markup, token.info
    if "span" in token.meta:
        start, end = token.meta["span"]
        copy.meta = {"span": (start + offset, end + offset)}
    else:
        copy.meta = {"pieces": [(n, a + offset, b + offset, v) for n, a, b, v in token.meta["pieces"]]}
    return copy


def _append_pending(state: StateInline, char: str) -> None:
    append = getattr(state, "append_pending", None)  # markdown-it-py 4.3 buffers pending text
    if append is not None:
        append(char)
    else:
        state.pending += char


def _mark(rule: Any, tokens: list[Token], count: int, start: int, end: int) -> None:
    new = tokens[count:]
    if getattr(rule, "__module__", "") == "markdown_it.rules_inline.emphasis":
        # One text token per delimiter character, after any flushed pending text.
        for i, token in enumerate(new[-(end - start):]):
            token.meta["span"] = (start + i, start + i + 1)
        return
    for token in new:
        # A "text" token without a span is pending text, placed by _place_text.
        if token.type != "text" and "span" not in token.meta:
            token.meta["span"] = (start, end)


# ------------------------------------------------------------------------------------------------
# Block rules that follow Python-Markdown
# ------------------------------------------------------------------------------------------------

# markdown/blockprocessors.py HashHeaderProcessor.RE, for one line.
_PM_ATX = re.compile(r"(?P<level>#{1,6})(?P<header>(?:\\.|[^\\])*?)#*$")
# markdown/extensions/abbr.py AbbrBlockprocessor.RE, for one line (a title may follow on the next).
_PM_ABBR = re.compile(r"[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*(?P<title>.*)$")
# markdown/blockprocessors.py HRProcessor.RE
_PM_HR = re.compile(r"^[ ]{0,3}(?=(?P<g>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=g)[ ]*$")
_PM_SETEXT_UNDERLINE = re.compile(r"^[=-]+[ ]*$")


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]


def _atx_heading(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Python-Markdown's ATX heading: first column of its block, no space needed after ``#``."""
    if state.sCount[start_line] != state.blkIndent:
        return False
    text = _line(state, start_line)
    if not text.startswith("#"):
        return False
    m = _PM_ATX.match(text)
    if not m:
        return False
    if silent:
        return True
    level = len(m.group("level"))
    state.line = start_line + 1
    token = state.push("heading_open", f"h{level}", 1)
    token.markup = "#" * level
    token.map = [start_line, state.line]
    token = state.push("inline", "", 0)
    token.content = m.group("header").strip()
    token.map = [start_line, state.line]
    token.children = []
    token = state.push("heading_close", f"h{level}", -1)
    token.markup = "#" * level
    return True


def _abbreviation(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """An abbreviation definition ``*[HTML]: Hyper Text`` (the title may be on the next line)."""
    if state.sCount[start_line] != state.blkIndent:
        return False
    text = _line(state, start_line)
    if not text.startswith("*["):
        return False
    m = _PM_ABBR.match(text)
    if not m:
        return False
    abbr, title, last = m.group("abbr").strip(), m.group("title").strip(), start_line
    if not title and start_line + 1 < end_line and not state.isEmpty(start_line + 1):
        title, last = _line(state, start_line + 1).strip(), start_line + 1
    if not (abbr and title):
        return False
    if silent:
        return True
    token = state.push("abbr_definition", "", 0)
    token.map = [start_line, last + 1]
    token.meta = {"abbr": abbr, "title": title}
    abbreviations = state.env.setdefault("abbreviations", {})
    if title in ("''", '""'):
        abbreviations.pop(abbr, None)
    else:
        abbreviations[abbr] = title
    state.line = last + 1
    return True


def _not_in_paragraph(rule: Any) -> Any:
    """A block rule that cannot interrupt a paragraph at its own indentation (Python-Markdown)."""
    def wrapped(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        if silent and state.parentType == "paragraph" and state.sCount[start_line] >= state.blkIndent:
            return False
        return rule(state, start_line, end_line, silent)
    return wrapped


def _setext_like_python_markdown(state: StateCore) -> None:
    """Undo setext headings Python-Markdown would not make.

    Python-Markdown takes a setext underline only under the first line of a block and
    only at the first column: under a longer paragraph ``===`` stays paragraph text and
    ``---`` becomes a thematic break after the paragraph.
    """
    tokens = state.tokens
    lines = state.src.split("\n")
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open" and token.markup in ("=", "-") and token.map:
            first, stop = token.map
            underline = lines[stop - 1] if stop - 1 < len(lines) else ""
            if stop - first > 2 or not _PM_SETEXT_UNDERLINE.match(underline):
                inline, close = tokens[i + 1], tokens[i + 2]
                para_open = _new_token("paragraph_open", "p", 1)
                para_close = _new_token("paragraph_close", "p", -1)
                for t in (para_open, para_close):
                    t.level, t.block = token.level, True
                para_open.map = [first, stop]
                replacement = [para_open, inline, para_close]
                if token.markup == "-" and _PM_HR.match(underline):
                    para_open.map = [first, stop - 1]
                    inline.map = [first, stop - 1]
                    hr = _new_token("hr", "hr", 0)
                    hr.map, hr.markup, hr.level, hr.block = [stop - 1, stop], underline.strip(), token.level, True
                    replacement.append(hr)
                else:
                    inline.content = "\n".join(line.strip() for line in lines[first:stop])
                    inline.map = [first, stop]
                tokens[i:i + 3] = replacement
                del close
                i += len(replacement)
                continue
        i += 1


def _footnote_ref(state: StateInline, silent: bool) -> bool:
    """``[^label]``: a footnote reference (Python-Markdown's ``\\[\\^([^\\]]*)\\]``, label not empty).

    Python-Markdown makes one only when the label is defined; with ``env["any_footnote"]``
    every such label counts (curate reads a page's prose apart from its footnotes).
    """
    src, start = state.src, state.pos
    if not src.startswith("[^", start):
        return False
    end = src.find("]", start + 2, state.posMax)
    if end <= start + 2 or "\n" in src[start + 2:end]:
        return False
    if src.startswith(":", end + 1):  # a definition, not a reference
        return False
    if not _footnote_defined(state.env, src[start + 2:end]):
        return False
    if not silent:
        token = state.push("footnote_ref", "", 0)
        token.meta = {"label": src[start + 2:end]}
    state.pos = end + 1
    return True


def _footnote_defined(env: Any, label: str) -> bool:
    return bool(env.get("any_footnote")) or ":" + label in env.get("footnotes", {}).get("refs", {})


@lru_cache(maxsize=2)
def parser(fast: bool = True) -> MarkdownIt:
    """The configured markdown-it parser (see the module docstring).

    Args:
        fast: Tokenise plain stretches of inline content directly (the default);
            ``False`` runs markdown-it's rules over everything (tests compare both).
    """
    global _Token
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from mdit_py_plugins.admon import admon_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    _Token = Token
    md = MarkdownIt("commonmark")
    # Python-Markdown makes a link of any address (javascript: too); markdown-it would leave
    # such a link as text. Nothing here is rendered to HTML for the site.
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # a documented override
    inline = _inline_parser()
    inline.ruler, inline.ruler2 = md.inline.ruler, md.inline.ruler2
    inline.fast = fast
    md.inline = inline
    md.enable("table")
    md.inline.ruler.at("text", _text)
    md.inline.ruler.at("escape", _escape)
    footnote_plugin(md, inline=False, move_to_end=False, always_match_refs=True)
    md.inline.ruler.at("footnote_ref", _footnote_ref)
    admon_plugin(md)
    md.block.ruler.at("heading", _atx_heading, {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.before("reference", "abbreviation", _abbreviation,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    for name in ("list", "table"):
        rule = next(r for r in md.block.ruler.__rules__ if r.name == name)
        md.block.ruler.at(name, _not_in_paragraph(rule.fn), {"alt": list(rule.alt)})
    md.core.ruler.after("block", "setext_like_python_markdown", _setext_like_python_markdown)
    md.inline.ruler2.before("balance_pairs", "place_text", _place_text)
    md.inline.ruler2.at("fragments_join", _fragments_join)
    md.core.ruler.at("text_join", _text_join)
    return md


# ------------------------------------------------------------------------------------------------
# The document model
# ------------------------------------------------------------------------------------------------

_NEWLINES = re.compile(r"\r\n?")


@dataclass(slots=True)
class Run:
    """A stretch of linkable-looking text: text and soft line breaks, nothing between.

    Attributes:
        text: The text as shown (escapes and entities decoded; a line break is ``\\n``).
        offset: Where ``text`` starts in its inline's :attr:`Inline.plain`.
        pieces: ``(text_start, length, source_start, source_end, verbatim)``: which
            characters of ``text`` come from which span of the document's text (escapes,
            entities and line breaks map as a whole); ``None`` when unknown.
        escaped: Offsets in ``text`` of characters written as an escape or entity
            (``\\[``, ``&lt;``); any other ``[`` or ``<`` is literal in the source and may
            still be syntax to Python-Markdown.
        follows: The inline token right before the run: its type, and for emphasis its
            marks (``em_open*``, ``strong_close__``, ``footnote_ref``); ``""`` at the start.
        precedes: The same for the token right after the run; ``""`` at the end.
    """

    text: str
    offset: int
    pieces: list[tuple[int, int, int, int, bool]] | None
    escaped: frozenset[int] = frozenset()
    follows: str = ""
    precedes: str = ""

    def source_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Where ``text[start:end]`` is in the document's text, or ``None`` if unknown."""
        if not self.pieces or end <= start:
            return None
        starts = [p[0] for p in self.pieces]
        i = bisect.bisect_right(starts, start) - 1
        j = bisect.bisect_right(starts, end - 1) - 1
        if i < 0 or j < 0:
            return None
        a, b = self.pieces[i], self.pieces[j]
        s = a[2] + (start - a[0]) if a[4] else a[2]
        e = b[2] + (end - b[0]) if b[4] else b[3]
        return s, e


@dataclass(slots=True)
class Link:
    """A link (not an image) in a paragraph, list item, table cell or heading.

    Attributes:
        href: The destination as written (percent-decoded), reference links resolved.
        start: Where the link's text starts in its inline's :attr:`Inline.plain`.
        end: Where it ends.
        autolink: ``<https://…>``.
        line: 1-based line of the link's paragraph.
    """

    href: str
    start: int
    end: int
    autolink: bool
    line: int


@dataclass(slots=True)
class Inline:
    """One run of inline content (a paragraph, heading, table cell, title) and what it holds.

    Attributes:
        kind: ``paragraph``, ``heading``, ``cell`` or ``title`` (an admonition's).
        containers: The block containers around it, outermost first (``blockquote``,
            ``list_item``, ``footnote``, ``admonition``, ``table``).
        line: 1-based first line.
        end_line: 1-based last line.
        level: Heading level (``kind == "heading"``), else 0.
        source: The inline's Markdown (its block markers and indentation removed).
        plain: The text a reader sees: escapes and entities decoded, code spans' text,
            links' text, line breaks as ``\\n``; images, raw HTML tags, footnote
            references and attribute lists left out.
        code: ``(start, end)`` in ``plain`` of each code span.
        runs: Text outside links, images, code, raw HTML and attribute lists.
        links: Links, in order.
        attr_ids: Ids set by attribute lists (``{ #id }``) on this block or inside it.
        block_id: The id an attribute list gives the block itself (a heading's ``{ #id }``).
        fragile: The block's attribute list is in its text before its first inline element
            (it ends with one): a link written into that text would change what attr_list
            reads, so nothing is linked here.
    """

    kind: str
    containers: tuple[str, ...]
    line: int
    end_line: int
    level: int
    source: str
    plain: str = ""
    code: list[tuple[int, int]] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    attr_ids: list[str] = field(default_factory=list)
    block_id: str = ""
    fragile: bool = False

    @property
    def quoted(self) -> bool:
        """Inside a blockquote."""
        return "blockquote" in self.containers

    @property
    def in_footnote(self) -> bool:
        """Inside a footnote definition."""
        return "footnote" in self.containers


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading and the id MkDocs' ``toc`` extension gives it.

    Attributes:
        level: 1 to 6.
        text: Its text as ``toc`` reads it (inline markup, images, footnote references
            and the attribute list left out; whitespace collapsed).
        source: Its Markdown, without ``#`` marks and attribute list.
        line: 1-based line.
        id: The id MkDocs renders: the attribute list's ``#id``, else
            ``curate.slugs.slugify(text)`` made unique with ``_1``, ``_2``… as
            ``markdown.extensions.toc.unique`` does.
        explicit: The id comes from an attribute list.
    """

    level: int
    text: str
    source: str
    line: int
    id: str
    explicit: bool


class Document:
    """A parsed Markdown text.

    Args:
        text: Markdown (front matter already removed); CR and CRLF line ends are read
            as LF and NUL as U+FFFD, as markdown-it does, and :attr:`text` holds the
            result, which every offset refers to.
        first_line: Line number of the text's first line, for :attr:`Inline.line`.
        fast: See :func:`parser`.
        any_footnote: Read every ``[^label]`` as a footnote reference, defined in the text
            or not (for a part of a page whose footnotes are elsewhere); Python-Markdown
            reads only defined ones.

    Attributes:
        text: The normalised text.
        tokens: markdown-it's block tokens (inline tokens carry ``children``).
        env: markdown-it's environment (``references``, ``abbreviations``).
    """

    def __init__(self, text: str, first_line: int = 1, fast: bool = True, any_footnote: bool = False):
        text = normalized(text)
        self.text = text
        self.first_line = first_line
        self.env: dict = {"any_footnote": True} if any_footnote else {}
        self.tokens: list[Token] = parser(fast).parse(text, self.env)
        self._line_starts: list[int] | None = None
        self._inlines: list[Inline] | None = None

    # --- lines ---------------------------------------------------------------------------------

    def line_start(self, line: int) -> int:
        """Offset in :attr:`text` where 0-based ``line`` starts."""
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            pos = find("\n")
            while pos >= 0:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        starts = self._line_starts
        return starts[line] if line < len(starts) else len(self.text)

    def line_text(self, line: int) -> str:
        """0-based ``line`` without its line break."""
        start = self.line_start(line)
        end = self.text.find("\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]

    # --- blocks -----------------------------------------------------------------------------------

    def blocks(self) -> Iterator[tuple[Token, tuple[str, ...]]]:
        """Every block token with the containers around it, in order."""
        stack: list[str] = []
        names = {"blockquote_open": "blockquote", "list_item_open": "list_item",
                 "footnote_reference_open": "footnote", "admonition_open": "admonition",
                 "table_open": "table"}
        for token in self.tokens:
            if token.nesting == -1 and token.type.replace("_close", "_open") in names:
                stack.pop()
            yield token, tuple(stack)
            if token.nesting == 1 and token.type in names:
                stack.append(names[token.type])

    @property
    def abbreviations(self) -> dict[str, str]:
        """Abbreviation → title, from every definition in the text (``abbr``)."""
        return self.env.get("abbreviations", {})

    def inlines(self) -> list[Inline]:
        """Every inline run of the text, in order (see :class:`Inline`)."""
        if self._inlines is None:
            self._inlines = list(self._walk())
        return self._inlines

    def _walk(self) -> Iterator[Inline]:
        parent = ""
        level = 0
        cell_cursor: dict[int, int] = {}
        for token, containers in self.blocks():
            if token.nesting == 1:
                parent = token.type
                level = int(token.tag[1]) if token.type == "heading_open" else 0
                continue
            if token.type != "inline" or not token.map:
                continue
            kind = {"heading_open": "heading", "th_open": "cell", "td_open": "cell",
                    "admonition_title_open": "title"}.get(parent, "paragraph")
            yield self._inline(token, kind, containers, level, cell_cursor)

    # --- one inline ------------------------------------------------------------------------------

    def _content_map(self, token: Token, cursor: dict[int, int]) -> list[tuple[int, int, int]] | None:
        """``(content_offset, text_offset, padding)`` per line of the token's content.

        Each content line is the end of its source line (block markers and indentation
        removed; the last line right-trimmed), or for a heading or cell a part of it.
        """
        out = []
        assert token.map is not None  # inline tokens carry their lines
        first = token.map[0]
        offset = 0
        for k, content_line in enumerate(token.content.split("\n")):
            line = first + k
            source = self.line_text(line)
            stripped = content_line.lstrip(" ")
            pad = len(content_line) - len(stripped)
            tail = stripped.rstrip()
            x = len(source.rstrip()) - len(tail)
            if not (tail and x >= cursor.get(line, 0) and source.rstrip().endswith(tail)):
                x = source.find(stripped, cursor.get(line, 0)) if stripped else cursor.get(line, 0)
                if x < 0:
                    return None
            cursor[line] = x + len(stripped)
            if pad and x >= pad and source[x - pad:x] == " " * pad:
                x, pad = x - pad, 0  # spaces of the source, not a tab markdown-it expanded
            out.append((offset, self.line_start(line) + x, pad))
            offset += len(content_line) + 1
        return out

    def _inline(self, token: Token, kind: str, containers: tuple[str, ...], level: int,
                cell_cursor: dict[int, int]) -> Inline:
        cmap = self._content_map(token, cell_cursor if kind == "cell" else {})
        starts = [c[0] for c in cmap] if cmap else []

        def to_text(pos: int) -> int | None:
            if cmap is None:
                return None
            k = bisect.bisect_right(starts, pos) - 1
            offset, at, pad = cmap[k]
            col = pos - offset
            return at + max(0, col - pad)

        assert token.map is not None  # inline tokens carry their lines
        inline = Inline(kind, containers, token.map[0] + self.first_line, token.map[1] - 1 + self.first_line,
                        level, token.content)
        _read_children(inline, token.children or [], to_text, heading=kind in ("heading", "cell"))
        return inline

    # --- what readers ask ------------------------------------------------------------------------

    def headings(self, reserved: Iterable[str] = ()) -> list[Heading]:
        """Every heading with the id MkDocs gives it (see :class:`Heading`).

        Args:
            reserved: Ids already used on the rendered page before this text
                (``toc`` counts every ``id`` on the page).
        """
        inlines = [i for i in self.inlines() if i.kind == "heading"]
        used = set(reserved)
        for i in self.inlines():
            used.update(i.attr_ids)
            if i.block_id:
                used.add(i.block_id)
        counters: dict[str, int] = {}
        out = []
        for i in inlines:
            text = " ".join(i.plain.split())
            source = _strip_attr_list(i.source)
            if i.block_id:
                out.append(Heading(i.level, text, source, i.line, i.block_id, True))
            else:
                out.append(Heading(i.level, text, source, i.line, unique_id(slugify(text), used, counters), False))
        return out

    def anchors(self, reserved: Iterable[str] = ()) -> list[str]:
        """Every id the rendered text has (headings' and attribute lists'), in order.

        Footnote ids (``fn:1``, ``fnref:1``) are left out. See :meth:`headings`.
        """
        heading_ids = iter(h.id for h in self.headings(reserved))
        out = []
        for i in self.inlines():
            out.extend(i.attr_ids)
            if i.kind == "heading":
                out.append(next(heading_ids))
        return out

    def code_spans(self) -> list[tuple[int, int]]:
        """``(start, end)`` offsets in :attr:`text` of every code block and code span."""
        out = []
        for token, _ in self.blocks():
            if token.type in ("fence", "code_block") and token.map:
                out.append((self.line_start(token.map[0]), self.line_start(token.map[1])))
        for token, _ in self.blocks():
            if token.type == "inline" and token.children and token.map:
                cmap = self._content_map(token, {})
                if cmap is None:
                    continue
                starts = [c[0] for c in cmap]
                for child in token.children:
                    if child.type == "code_inline" and "span" in child.meta:
                        s, e = child.meta["span"]
                        k = bisect.bisect_right(starts, s) - 1
                        j = bisect.bisect_right(starts, e - 1) - 1
                        out.append((cmap[k][1] + s - cmap[k][0] - cmap[k][2],
                                    cmap[j][1] + e - cmap[j][0] - cmap[j][2]))
        return sorted(out)


def normalized(text: str) -> str:
    """``text`` with CR and CRLF line ends as LF and NUL as U+FFFD, as markdown-it reads it."""
    if "\r" in text or "\0" in text:
        return _NEWLINES.sub("\n", text).replace("\0", "\ufffd")
    return text


def parse(text: str, first_line: int = 1) -> Document:
    """Parse Markdown (front matter already removed); see :class:`Document`."""
    return Document(text, first_line)


# --- inline runs of text made of plain paragraphs, without the block parser --------------------------

# A line that could start or interrupt a block other than a paragraph (a heading, rule, setext
# underline, fence, quote, HTML, list, table, footnote, abbreviation or admonition), or a blank line.
_NOT_PLAIN_LINE = re.compile(r"^(?: {0,3}[#>`~<=_*+\-!?\[|:]|[ \t]*$)", re.MULTILINE)
# A first line that starts a list item or an indented code block.
_NOT_PLAIN_FIRST = re.compile(r"^(?: {0,3}\d+[.)]| {0,3}\t| {4})")


class _Paragraphs:
    """Texts known to be one paragraph after a blank line, whatever surrounds them, and their inline.

    Two bounded memos (least recently used first out), each entry about a kilobyte beyond
    its text: the paragraphs read lately (a page's passages are read for glossary mentions,
    then linked), and the paragraphs glossary linking wrote (:func:`with_links`), which
    link finding reads once every page is linked.
    """

    recent_size = 8192
    linked_size = 32768

    def __init__(self) -> None:
        self._recent: OrderedDict[str, Inline] = OrderedDict()
        self._linked: OrderedDict[str, Inline] = OrderedDict()

    def get(self, piece: str) -> Inline | None:
        """The paragraph's inline, or ``None`` if the text may be read otherwise in context."""
        for items in (self._recent, self._linked):
            inline = items.get(piece)
            if inline is not None:
                items.move_to_end(piece)
                return inline
        inline = _plain_paragraph(piece)
        if inline is not None:
            _remember(self._recent, piece, inline, self.recent_size)
        return inline

    def put_linked(self, piece: str, inline: Inline) -> None:
        """Remember a paragraph glossary linking wrote, and its inline."""
        _remember(self._linked, piece, inline, self.linked_size)

    def known(self, piece: str) -> Inline | None:
        """The inline remembered for a paragraph, without reading it."""
        return self._recent.get(piece) or self._linked.get(piece)

    def clear(self) -> None:
        self._recent.clear()
        self._linked.clear()


def _remember(items: OrderedDict, key: str, value: Inline, size: int) -> None:
    items[key] = value
    items.move_to_end(key)
    if len(items) > size:
        items.popitem(last=False)


PARAGRAPHS = _Paragraphs()


def _plain_paragraph_text(piece: str) -> bool:
    """Whether a text is a plain paragraph or heading line (see :func:`_plain_paragraph`)."""
    body = piece.rstrip("\n")
    if not body:
        return False
    if body[0] == "#" and "\n" not in body:
        return _PM_ATX.match(body) is not None
    return not (_NOT_PLAIN_FIRST.match(body) or _NOT_PLAIN_LINE.search(body))


def _plain_paragraph(piece: str) -> Inline | None:
    """The inline of a text that is one paragraph or heading whatever surrounds it; else ``None``.

    A text none of whose lines can start or interrupt another block is a paragraph, and
    its inline content can be read on its own (markdown-it makes it the text stripped of
    surrounding whitespace). A single line starting with ``#`` is a heading (see
    :func:`_atx_heading`).
    """
    body = piece.rstrip("\n")
    if not body:
        return None
    if body[0] == "#" and "\n" not in body:
        m = _PM_ATX.match(body)
        if m is None:
            return None
        content = m.group("header").strip()
        lead = m.start("header") + len(m.group("header")) - len(m.group("header").lstrip())
        kind, level = "heading", len(m.group("level"))
    elif _NOT_PLAIN_FIRST.match(body) or _NOT_PLAIN_LINE.search(body):
        return None
    else:
        content = body.strip()
        lead = len(body) - len(body.lstrip())
        kind, level = "paragraph", 0
    children = _merge_text(parser().inline.parse(content, parser(), {"any_footnote": True}, []))
    inline = Inline(kind, (), 1, body.count("\n") + 1, level, content if kind == "heading" else "")
    _read_children(inline, children, lambda pos: lead + pos, heading=kind == "heading")
    return inline


class _Stretches:
    """Inlines of stretches of blocks that are not plain paragraphs (a bounded memo, as :class:`_Paragraphs`)."""

    size = 4096

    def __init__(self) -> None:
        self._items: OrderedDict[tuple[str, bool], tuple[list[Inline], dict[str, str]] | None] = OrderedDict()

    def get(self, stretch: str, closed: bool) -> tuple[list[Inline], dict[str, str]] | None:
        """``(inlines, abbreviations)`` of a stretch, or ``None`` when it does not stand alone."""
        key = (stretch, closed)
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        value = _stretch(stretch, closed)
        self._items[key] = value
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        self._items.clear()


STRETCHES = _Stretches()


def _stretch(stretch: str, closed: bool) -> tuple[list[Inline], dict[str, str]] | None:
    """Parse a stretch of blocks; ``None`` if it defines link references or (not ``closed``)
    runs on past its end (checked with a paragraph ``x`` after a blank line)."""
    doc = Document(stretch if closed else stretch + "\n\nx", any_footnote=True)
    if doc.env.get("references"):
        return None
    inlines = doc.inlines()
    if not closed:
        lines = stretch.count("\n")
        last = doc.tokens[-3:]
        if not (len(last) == 3 and last[0].type == "paragraph_open" and last[0].level == 0
                and last[1].content == "x" and last[1].map == [lines + 2, lines + 3]):
            return None
        inlines = inlines[:-1]
    return inlines, doc.abbreviations


@dataclass(slots=True)
class Part:
    """A stretch of a text and its inlines (see :func:`inline_parts`).

    Attributes:
        offset: Where it starts in the text; its runs' source offsets count from here.
        text: The stretch itself.
        inlines: Its inlines.
        paragraph: It is one paragraph or heading whatever surrounds it.
    """

    offset: int
    text: str
    inlines: list[Inline]
    paragraph: bool


def inline_parts(text: str, only_with: str = "") -> tuple[list[Part], dict[str, str]]:
    """The inlines of Markdown, grouped by the part of ``text`` their offsets refer to.

    Most of a page's prose is paragraphs separated by blank lines, each one a paragraph
    whatever surrounds it (:func:`_plain_paragraph`); those are read one at a time and
    reused across calls. Each stretch of other blocks between them is parsed on its own,
    with a line ``x`` after it to check that it ends there (no list, fence or HTML block
    runs on into the next paragraph). The result is what parsing the whole text gives;
    when it cannot be (a stretch runs on, or defines link references), the whole text is
    parsed.

    Args:
        text: Markdown.
        only_with: Leave out plain paragraphs without this text (``"]("``: a paragraph
            without it holds no link when no link reference is defined).

    Returns:
        The parts in order, and the abbreviations defined. Offsets refer to the text with
        line ends normalised (:func:`normalized`).
    """
    text = normalized(text)
    pieces = []
    offset = 0
    skipped = object()
    for piece in text.split("\n\n"):
        if piece:
            if piece[0] in " \t\n":
                inline: Any = None
            elif only_with and only_with not in piece and _plain_paragraph_text(piece):
                inline = skipped
            else:
                inline = PARAGRAPHS.get(piece)
            pieces.append((offset, piece, inline))
        offset += len(piece) + 2
    parts: list[Part] = []
    abbreviations: dict[str, str] = {}
    i = 0
    while i < len(pieces):
        start, piece, inline = pieces[i]
        if inline is skipped:
            i += 1
            continue
        if inline is not None:
            parts.append(Part(start, piece, [inline], True))
            i += 1
            continue
        j = i
        while j < len(pieces) and pieces[j][2] is None:
            j += 1
        end = pieces[j - 1][0] + len(pieces[j - 1][1])
        stretch = text[start:end]
        found = STRETCHES.get(stretch, j == len(pieces))
        if found is None:
            whole = Document(text, any_footnote=True)
            return [Part(0, text, whole.inlines(), False)], whole.abbreviations
        abbreviations.update(found[1])
        parts.append(Part(start, stretch, found[0], False))
        i = j
    return parts, abbreviations


def with_links(inline: Inline, edits: list[tuple[Run, int, int, int, int, int, str]]) -> Inline | None:
    """A paragraph's inline after links were written over some of its text, without parsing it.

    Args:
        inline: The paragraph's inline.
        edits: ``(run, start, end, source_start, source_end, new_length, href)``: the run's
            ``text[start:end]``, written at ``source_start:source_end``, became
            ``[text](href …){ .glossary-link }`` of ``new_length`` characters.

    Returns:
        What parsing the new text gives: the same text, the runs cut around the new links
        and moved, the links added; ``None`` if a cut falls inside an escape or entity.
    """
    edits = sorted(edits, key=lambda e: e[3])

    def moved(pos: int) -> int:
        delta = 0
        for _, _, _, s, e, n, _ in edits:
            if pos >= e:
                delta += n - (e - s)
        return pos + delta

    runs = []
    for run in inline.runs:
        cuts = sorted((start, end) for r, start, end, *_ in edits if r is run)
        if not cuts:
            runs.append(_moved_run(run, 0, len(run.text), moved))
            continue
        pos = 0
        for start, end in cuts + [(len(run.text), len(run.text))]:
            if start > pos:
                part = _moved_run(run, pos, start, moved)
                if part is None:
                    return None
                runs.append(part)
            pos = end
    if any(r is None for r in runs):
        return None
    links = inline.links + [Link(href, run.offset + start, run.offset + end, False, inline.line)
                            for run, start, end, _, _, _, href in edits]
    return replace(inline, runs=[r for r in runs if r is not None and r.text],
                   links=sorted(links, key=lambda link: link.start))


def _moved_run(run: Run, a: int, b: int, moved: Any) -> Run | None:
    """``run.text[a:b]`` as a run of its own, its source offsets passed through ``moved``."""
    if run.pieces is None:
        return Run(run.text[a:b], run.offset + a, None, _shifted(run.escaped, a, b),
                   run.follows if a == 0 else "link_close", run.precedes if b == len(run.text) else "link_open")
    pieces = []
    for at, length, s, e, verbatim in run.pieces:
        lo, hi = max(at, a), min(at + length, b)
        if lo >= hi:
            continue
        if not verbatim:
            if lo != at or hi != at + length:
                return None
            pieces.append((at - a, length, moved(s), moved(e), False))
        else:
            pieces.append((lo - a, hi - lo, moved(s + lo - at), moved(s + lo - at) + hi - lo, True))
    return Run(run.text[a:b], run.offset + a, pieces, _shifted(run.escaped, a, b),
               run.follows if a == 0 else "link_close", run.precedes if b == len(run.text) else "link_open")


def _shifted(offsets: frozenset[int], a: int, b: int) -> frozenset[int]:
    return frozenset(k - a for k in offsets if a <= k < b) if offsets else offsets


# --- reading the children of one inline token ---------------------------------------------------

# Inline elements after which Python-Markdown's attr_list reads a "{…}" (markdown/extensions/attr_list.py).
_ELEMENT_CLOSE = frozenset({"link_close", "em_close", "strong_close", "code_inline", "image", "footnote_ref"})
# Tokens Python-Markdown makes an element of (raw HTML stays text, as a placeholder).
_ELEMENTS = ("em_", "strong_", "link_", "code_inline", "image", "footnote_ref", "hardbreak")
# Raw inline HTML elements whose text is never linked (a link inside a link, code).
_OPAQUE_HTML = re.compile(r"<(a|code|pre|kbd|samp|script|style|abbr|textarea|title|svg|math)\b", re.IGNORECASE)
_HTML_CLOSE = re.compile(r"</(\w+)\s*>")
# attr_list's BASE_RE, INLINE_RE, HEADER_RE and BLOCK_RE.
_ATTR_BASE = r"\{\:?[ ]*([^\}\n ][^\n]*)\}"
_ATTR_INLINE = re.compile(r"^" + _ATTR_BASE)
_ATTR_HEADER = re.compile(r"[ ]+" + _ATTR_BASE + r"[ ]*$")
_ATTR_LINE = re.compile(r"^[ ]*" + _ATTR_BASE + r"[ ]*$")


_ID_ONLY = re.compile(r"#([^ =}]+) *")


def _attr_ids(attrs: str) -> tuple[list[str], str]:
    """Ids an attribute list sets, and text after a stray ``}`` (attr_list's reading)."""
    m = _ID_ONLY.fullmatch(attrs)
    if m:  # "{ #id }", as curate writes it: one word, read as attr_list's scanner reads it
        return [m.group(1)], ""
    from markdown.extensions.attr_list import get_attrs_and_remainder

    pairs, remainder = get_attrs_and_remainder(attrs)
    return [v for k, v in pairs if k == "id" and v], remainder


def _read_children(inline: Inline, children: list[Token], to_text: Any, heading: bool = False) -> None:
    plain: list[str] = []
    size = 0
    run: Run | None = None
    link_depth = 0
    html_opaque: list[str] = []
    link_start = 0
    link_href = ""
    link_auto = False
    previous = ""

    def end_run() -> None:
        nonlocal run
        if run is not None and run.text:
            run.precedes = key
            inline.runs.append(run)
        run = None

    key = ""
    moved_tail = False
    first_element: int | None = None
    for index, child in enumerate(children):
        t = child.type
        key = t + child.markup if t.startswith(("em_", "strong_")) else t
        if first_element is None and key.startswith(_ELEMENTS):
            first_element = size
        if t == "text":
            content = child.content
            pieces = child.meta.get("pieces")
            skip = 0
            garbled = False
            if previous.rstrip("*_") in _ELEMENT_CLOSE and content.startswith("{") and pieces and pieces[0][3]:
                m = _ATTR_INLINE.match(content)
                if m:
                    ids, remainder = _attr_ids(m.group(1))
                    inline.attr_ids.extend(ids)
                    skip = m.end()
                    if not remainder and _brace_later(children, index):
                        remainder = "}"  # the regex reads on through raw HTML to a later "}"
                    if remainder:
                        # attr_list read on to the line's last "}" and puts the text after the
                        # first "}" behind the rest of the element's tail: Python-Markdown shows
                        # it moved. A link anywhere after it would move it again: none is made.
                        content = content[skip:] + remainder
                        garbled = moved_tail = True
            if skip and not garbled:
                content = content[skip:]
                pieces = _drop_pieces(pieces, skip) if pieces is not None else None
            if skip:
                end_run()
            linkable = not link_depth and not html_opaque and not garbled and not moved_tail
            if linkable:
                if run is None:
                    run = Run("", size, [], follows=previous)
                _extend_run(run, content, pieces, to_text)
            else:
                end_run()
            plain.append(content)
            size += len(content)
        elif t in ("softbreak", "hardbreak"):
            if run is not None and t == "softbreak":
                s, e = child.meta.get("span", (None, None))
                a, b = (to_text(s), to_text(e)) if s is not None else (None, None)
                if run.pieces is not None and a is not None and b is not None:
                    run.pieces.append((len(run.text), 1, a, b, False))
                else:
                    run.pieces = None
                run.text += "\n"
            else:
                end_run()
            plain.append("\n")
            size += 1
        elif t == "code_inline":
            end_run()
            inline.code.append((size, size + len(child.content)))
            plain.append(child.content)
            size += len(child.content)
        elif t == "link_open":
            end_run()
            link_depth += 1
            link_start, link_href = size, str(child.attrs.get("href", ""))
            link_auto = child.markup == "autolink"
        elif t == "link_close":
            link_depth -= 1
            inline.links.append(Link(str(link_href), link_start, size, link_auto, inline.line))
        elif t == "html_inline":
            end_run()
            m = _OPAQUE_HTML.match(child.content)
            if m and not child.content.rstrip().endswith("/>"):
                html_opaque.append(m.group(1).lower())
            else:
                c = _HTML_CLOSE.match(child.content)
                if c and html_opaque and c.group(1).lower() == html_opaque[-1]:
                    html_opaque.pop()
        else:  # images, footnote references, emphasis marks: a run never crosses them
            end_run()
        previous = key
    key = ""
    end_run()
    inline.plain = _shared("".join(plain), inline.runs)
    ends_with_element = previous.startswith(_ELEMENTS)
    before_element = ends_with_element and first_element is not None
    _trailing_attr_list(inline, heading, first_element if before_element and first_element is not None
                        else len(inline.plain), before_element)


def _brace_later(children: list[Token], index: int) -> bool:
    """Whether a ``}`` follows on the same line in text or raw HTML after ``children[index]``
    before the next element, where attr_list's ``INLINE_RE`` would read on to it."""
    for child in children[index + 1:]:
        if child.type in ("text", "html_inline"):
            if "}" in child.content:
                return True
        else:
            return False
    return False


def _drop_pieces(pieces: list, count: int) -> list | None:
    out = []
    for length, s, e, verbatim in pieces:
        if count >= length:
            count -= length
            continue
        if count:
            if not verbatim:
                return None
            s, length, count = s + count, length - count, 0
        out.append((length, s, e, verbatim))
    return out


def _extend_run(run: Run, content: str, pieces: list | None, to_text: Any) -> None:
    base = len(run.text)
    run.text += content
    if run.pieces is None:
        return
    if pieces is None:
        run.pieces = None
        return
    at = base
    for length, s, e, verbatim in pieces:
        a, b = to_text(s), to_text(e)
        if a is None or b is None:
            run.pieces = None
            return
        if not verbatim:
            run.escaped = run.escaped.union(range(at, at + length))
        run.pieces.append((at, length, a, b, verbatim))
        at += length


def _trailing_attr_list(inline: Inline, heading: bool, end: int, before_element: bool = False) -> None:
    """Find a block's attribute list where attr_list looks for it; drop it from the text.

    attr_list (``AttrListTreeprocessor.run``) reads the tail of the block's last inline
    element, or, when the block ends with an element, the text before its first element:
    ``end`` is where that text ends in :attr:`Inline.plain` (``before_element``: the block
    ends with an element, so the list sits before the first one). A heading's or cell's list
    follows a space (``HEADER_RE``), a paragraph's is alone on its last line (``BLOCK_RE``).
    """
    last = next((r for r in reversed(inline.runs) if r.offset + len(r.text) == end), None)
    if last is None or "{" not in last.text:
        return  # that text does not end in a run of plain text, or holds no list
    text = last.text
    if heading:
        m = _ATTR_HEADER.search(text)
        cut = m.start() if m else -1
    else:
        # BLOCK_RE ends in "$", which also matches before a last line break.
        body = text.removesuffix("\n")
        nl = body.rfind("\n")
        # The list's line follows a soft line break: inside the run, or right before it
        # (after a code span, say).
        alone = nl < 0 and last.follows == "softbreak"
        m = _ATTR_LINE.match(body[nl + 1:]) if nl >= 0 or alone else None
        cut = max(nl, 0) if m else -1
    if not m or cut < 0:
        return
    start_in_text = m.start(1) - 1 + (nl + 1 if not heading else 0)
    if start_in_text in last.escaped:
        return  # an escaped "{" is text
    ids, remainder = _attr_ids(m.group(1))
    if remainder:
        return  # attr_list refuses a list with a stray "}" at a block's end
    if heading:
        kept = text[:cut].rstrip("#").rstrip()
        inline.block_id = ids[-1] if ids else ""
    else:
        kept = text[:cut]
        inline.attr_ids.extend(ids)
    # Before the first element, the list holds only while no element comes before it: a link
    # written earlier in that text would move it into the link's tail (a footnote reference,
    # say, adds nothing to the plain text, so the list can end it and still be fragile).
    inline.fragile = before_element or end != len(inline.plain)
    start = last.offset + len(kept) - (1 if not heading and alone else 0)  # with the line break before it
    _cut_run(last, len(kept))
    if not last.text:
        inline.runs.remove(last)
    _remove_plain(inline, start, end)


def _cut_run(run: Run, keep: int) -> None:
    """Keep the first ``keep`` characters of a run."""
    run.text = run.text[:keep]
    if run.pieces is not None:
        run.pieces = [p for p in run.pieces if p[0] < keep]
        if run.pieces:
            at, length, s, e, verbatim = run.pieces[-1]
            if at + length > keep:
                if verbatim:
                    cut = at + length - keep
                    run.pieces[-1] = (at, length - cut, s, e - cut, True)
                else:
                    run.pieces.pop()


def _remove_plain(inline: Inline, start: int, end: int) -> None:
    """Drop ``plain[start:end]``; what comes after it moves back."""
    if end == len(inline.plain):  # the usual case: the list ends the block
        inline.plain = _shared(inline.plain[:start], inline.runs)
        return
    gone = end - start
    inline.plain = inline.plain[:start] + inline.plain[end:]
    for run in inline.runs:
        if run.offset >= end:
            run.offset -= gone
    inline.links = [replace(link, start=link.start - gone if link.start >= end else link.start,
                            end=link.end - gone if link.end >= end else link.end) for link in inline.links]
    inline.code = [(s - gone, e - gone) if s >= end else (s, e) for s, e in inline.code]
    inline.plain = _shared(inline.plain, inline.runs)


def _shared(plain: str, runs: list[Run]) -> str:
    """``plain``, or the one run's equal text (one string kept instead of two)."""
    if len(runs) == 1 and runs[0].offset == 0 and len(runs[0].text) == len(plain) and runs[0].text == plain:
        return runs[0].text
    return plain


def _strip_attr_list(source: str) -> str:
    m = _ATTR_HEADER.search(source)
    if m and not source[:m.start()].endswith("\\"):
        return source[:m.start()].rstrip("#").rstrip()
    return source


# ------------------------------------------------------------------------------------------------
# Ids as MkDocs' toc extension gives them
# ------------------------------------------------------------------------------------------------

_IDCOUNT = re.compile(r"^(.*)_([0-9]+)$")


def unique_id(id_: str, used: set[str], counters: dict[str, int] | None = None) -> str:
    """``id_`` made unique among ``used`` (and added to it), as ``markdown.extensions.toc.unique``.

    ``x`` taken gives ``x_1``, then ``x_2``; ``x_1`` taken gives ``x_2``.
    """
    if id_ in used or not id_:
        m = _IDCOUNT.match(id_)
        base, count = (m.group(1), int(m.group(2))) if m else (id_, 0)
        count += 1
        while f"{base}_{count}" in used:
            count += 1
        id_ = f"{base}_{count}"
    used.add(id_)
    return id_


def headings(markdown_text: str, first_line: int = 1, reserved: Iterable[str] = ()) -> list[Heading]:
    """Headings of Markdown with the ids MkDocs renders (see :meth:`Document.headings`)."""
    return parse(markdown_text, first_line).headings(reserved)


def anchors(markdown_text: str, reserved: Iterable[str] = ()) -> list[str]:
    """Every id Markdown gets when MkDocs renders it (see :meth:`Document.anchors`)."""
    return parse(markdown_text).anchors(reserved)


# ------------------------------------------------------------------------------------------------
# Front matter and titles of hand-written pages
# ------------------------------------------------------------------------------------------------

# mkdocs/utils/meta.py (MkDocs 1.6): YAML_RE, META_RE, META_MORE_RE.
_YAML_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_META_MORE = re.compile(r"^([ ]{4}|\t)(\s*)(?P<value>.*)")
try:
    _YAML_LOADER: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _YAML_LOADER = yaml.SafeLoader


@dataclass
class FrontMatter:
    """A page's front matter, as MkDocs reads it.

    Attributes:
        meta: The keys (``{}`` when there is none, or when its YAML does not load:
            MkDocs then shows it as text).
        body: The Markdown after it.
        body_line: 1-based line of the body's first line.
    """

    meta: dict
    body: str
    body_line: int


def front_matter(text: str) -> FrontMatter:
    """Split front matter from a page exactly as ``mkdocs.utils.meta.get_data`` (MkDocs 1.6) does.

    YAML between a first line ``---`` and a line ``---`` or ``...`` (each followed by a
    line break) is loaded with PyYAML's safe loader; without it, MultiMarkdown lines
    ``Key: value`` (lower-cased keys, indented continuation lines) up to the first blank
    line are read. Blank lines after the front matter are dropped from the body.
    """
    data: dict = {}
    m = _YAML_FRONT_MATTER.match(text)
    if m:
        try:
            loaded = yaml.load(m.group(1), _YAML_LOADER)
        except Exception:  # noqa: BLE001 - MkDocs ignores broken front matter and renders it as text
            loaded = None
        if isinstance(loaded, dict):
            body = text[m.end():].lstrip("\n")
            return FrontMatter(loaded, body, text.count("\n", 0, len(text) - len(body)) + 1)
        return FrontMatter({}, text, 1)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    key = None
    used = 0
    for line in lines:
        if line.strip() == "":
            used += 1 if data else 0
            break
        m1 = _META.match(line)
        if m1:
            key = m1.group("key").lower().strip()
            value = m1.group("value").strip()
            data[key] = f"{data[key]} {value}" if key in data else value
        else:
            m2 = _META_MORE.match(line)
            if not (m2 and key):
                break
            data[key] += " " + m2.group("value").strip()
        used += 1
    if not data:
        return FrontMatter({}, text, 1)
    rest = "\n".join(lines[used:])
    body = rest.lstrip("\n")
    return FrontMatter(data, body, used + 1 + (len(rest) - len(body)))


def title_of(text: str, path: str) -> str:
    """The title MkDocs gives a hand-written page (``mkdocs.structure.pages.Page.title``).

    The front matter's ``title``; else the text of an ``h1`` that is the page's first
    element (images by their alt text, other markup dropped); else the file name with
    ``-`` and ``_`` as spaces, capitalised when all lower-case (``Home`` for the
    site's ``index.md``).

    Args:
        text: The page's Markdown, front matter included.
        path: ``docs/``-relative path (``about.md``).
    """
    fm = front_matter(text)
    title = fm.meta.get("title")
    if title is not None and not isinstance(title, (dict, list)):
        return str(title)
    doc = parse(fm.body, fm.body_line)
    # MkDocs' _ExtractTitleTreeprocessor: the first element, if it is an h1. Abbreviation and
    # link reference definitions make no element.
    first = next((k for k, t in enumerate(doc.tokens) if t.type != "abbr_definition"), None)
    if first is not None and doc.tokens[first].type == "heading_open" and doc.tokens[first].tag == "h1":
        return _title_text(doc.tokens[first + 1])
    name = path.rsplit("/", 1)[-1].removesuffix(".md")
    if path in ("index.md", "README.md"):
        return "Home"
    title = name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def _title_text(inline_token: Token) -> str:
    """A heading's text as ``mkdocs.utils.rendering.get_heading_text``: image alt texts kept."""
    out = []
    for child in _merge_text(list(inline_token.children or [])):
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "image":
            out.append("".join(c.content for c in child.children or [] if c.type in ("text", "code_inline")))
    text = "".join(out)
    m = _ATTR_HEADER.search(text)
    if m:
        text = text[:m.start()].rstrip("#").rstrip()
    return " ".join(text.split())


# ------------------------------------------------------------------------------------------------
# Plain text
# ------------------------------------------------------------------------------------------------


def visible_text(inline: Inline, with_code: bool = True) -> str:
    """An inline's text as read (see :attr:`Inline.plain`), optionally without code spans."""
    if with_code or not inline.code:
        return inline.plain
    out, pos = [], 0
    for s, e in inline.code:
        out.append(inline.plain[pos:s])
        out.append(" ")
        pos = e
    out.append(inline.plain[pos:])
    return "".join(out)
