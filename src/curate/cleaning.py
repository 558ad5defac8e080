"""Finding structure in source text and cleaning it into passages.

Two source formats are read:

* **Plain text** (``.txt``), as articles arrive when copied from a web page:
  the title on the first line, headings as bare lines, paragraphs separated
  by blank lines, image alt text and captions with a photo credit, and a tail
  of unrelated links under a heading such as "Related Posts".
* **Markdown** (``.md``), with optional YAML front matter and ATX headings.

Cleaning drops, and records with its line: an image's alt-text line, a photo
credit, and everything from a boilerplate heading ("Related Posts", "You may
also like", …) on. Raw HTML is removed with nh3 (the content of ``<script>``,
``<style>``, ``<iframe>`` and the like dropped, other tags reduced to their
text); HTML comments and script or style blocks that span several lines are
dropped whole, with their lines. Only real markup counts as HTML: a ``<`` that
does not open a known HTML element or a closed comment (``a<b``,
``<!-- unclosed``) is text and is kept. The surviving text is plain text,
never Markdown: rendering escapes it.

Every section id is derived from its heading's text (:func:`curate.slugs.unique_anchors`)
and differs from the other ids on the source's page (``lead``,
``cleaning-notes`` and the page title's own id).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import nh3

from . import markdown_tokens
from .model import Correction, Passage, PassageKind, Section
from .slugs import slugify, unique_anchors

if TYPE_CHECKING:
    from markdown_it.token import Token

# Ids a source's page uses besides its sections' (see render.cleaning_report).
RESERVED_SECTION_IDS = frozenset({"lead", "cleaning-notes"})
# A paragraph this long has almost certainly lost its line breaks.
MAX_PARAGRAPH_CHARS = 20_000

# Headings that start a block of links to unrelated stories; from the line
# holding one of these on, nothing belongs to the article.
BOILERPLATE_HEADINGS = re.compile(
    r"^(related (posts|articles|stories|news|content|reading|links)|read (more|next|also)|"
    r"you (may|might) (also )?like|more (from|stories|news|like this)|recommended( for you| stories)?|"
    r"trending( now| stories)?|popular (posts|stories|now)|sponsored( content| stories)?|advertisement|"
    r"also read|most read|don'?t miss|see also|latest (news|posts|stories))$",
    re.IGNORECASE,
)

# The most words a line BOILERPLATE_HEADINGS matches has ("you might also like"); a test counts
# them in the pattern.
_BOILERPLATE_MAX_WORDS = 4

# A photo credit at the end of a caption: "Images: Mark Zuckerberg/Meta",
# "Photo: Reuters", "(Photo by X/Getty Images)", "Credit: AP".
PHOTO_CREDIT = re.compile(
    r"(?:^|(?<=[.!?…”\"’)])\s+)(?:\(\s*)?(?:images?|photos?|photograph|picture|credit|image credit|photo credit)"
    r"(?:\s+by)?\s*[:：]?\s+[^.!?]{1,80}?\)?\s*$",
    re.IGNORECASE,
)

_TERMINAL = tuple(".,;:…\"”'’»)]")
_HEADING_MAX_WORDS = 14
_HEADING_MAX_CHARS = 120
_WS = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd\ufeff\u200b\ufffe\uffff]")
# What clean_inline removes or changes besides markup, but for two spaces and a space first or
# last: a control character, or whitespace that is not a space. Text holding none of them is
# clean as it is (most paragraphs are), and one search of a character set costs far less than
# the two substitutions (or a pattern with alternatives such as [^\S ]). Every character
# Python counts as whitespace lies below U+3001 (a test checks the whole range).
_UNCLEAN = re.compile("[" + _CONTROL.pattern[1:-1] + "".join(
    re.escape(chr(c)) for c in range(0x3001) if chr(c).isspace() and chr(c) != " ") + "]")

# Every HTML element name (HTML Living Standard, with obsolete and SVG/MathML roots):
# a "<name" that is not one of these is text, not markup.
HTML_ELEMENTS = frozenset("""
a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink
blockquote body br button canvas caption center cite code col colgroup data datalist dd del details
dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3
h4 h5 h6 head header hgroup hr html i iframe image img input ins isindex kbd keygen label legend li
link listing main map mark marquee math menu menuitem meta meter multicol nav nextid nobr noembed
noframes noscript object ol optgroup option output p param picture plaintext portal pre progress q rb
rp rt rtc ruby s samp script search section select slot small source spacer span strike strong style
sub summary sup svg table tbody td template textarea tfoot th thead time title tr track tt u ul var
video wbr xmp
altglyph animate animatemotion animatetransform circle clippath defs desc ellipse feblend fecolormatrix
fecomposite feflood fegaussianblur feimage femerge feoffset feturbulence filter foreignobject g line
lineargradient marker mask metadata mpath path pattern polygon polyline radialgradient rect set stop
symbol text textpath tspan use view
annotation maction menclose merror mfrac mi mn mo mover mpadded mphantom mroot mrow ms mspace msqrt
mstyle msub msubsup msup mtable mtd mtext mtr munder munderover semantics
""".split())
# Elements whose content is never article text.
DROPPED_CONTENT = frozenset({"script", "style", "iframe", "noscript", "template", "object", "noembed",
                             "noframes", "xmp", "plaintext", "title", "head", "svg"})
_HTML_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![A-Za-z][^<>]*>|<\?[^<>]*>"
    r"|</?(?P<name>[A-Za-z][A-Za-z0-9-]*)(?=[\s/>])(?:[^<>\"']|\"[^\"]*\"|'[^']*')*>",
    re.DOTALL,
)
_BLOCK_TAGS = frozenset({"script", "style", "iframe", "noscript", "template", "svg"})
_EMOJI_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass
class ParsedText:
    """Structure found in one source's text (what a reader's cleaning returns).

    Attributes:
        title: Title found in the text, or ``''``.
        sections: Lead (id ``lead``) first, then each heading's section; empty
            sections are left out.
        dropped: ``(line, reason, text)`` for each removed line.
        warnings: ``(line, message)`` for each thing worth telling the editor.
        left_out: ``(heading, line)`` of each section left out because no
            text was left in it after cleaning.
        plain_text: The text quotations are verified against: the decoded
            snapshot for text formats (``''`` stands for it), the extracted
            article text for HTML.
    """

    title: str
    sections: list[Section]
    dropped: list[tuple[int, str, str]]
    warnings: list[tuple[int, str]]
    left_out: list[tuple[str, int]] = field(default_factory=list)
    plain_text: str = ""


def clean_inline(text: str, corrections: Sequence[Correction] = (), html_markup: bool = True) -> str:
    """Turn one paragraph of source text into clean plain text.

    Raw HTML is reduced to its text with nh3 (the content of ``<script>``,
    ``<style>``, ``<iframe>`` and the like, and comments, dropped); entities
    are decoded; a ``<`` that opens no real markup is kept as text; control
    characters (C0 and C1), U+FFFD and zero-width spaces are removed;
    whitespace (including no-break spaces and line separators) is collapsed
    to single spaces; corrections are applied.

    Args:
        text: The paragraph.
        corrections: Typo fixes to apply.
        html_markup: Whether ``<…>`` and ``&…;`` in ``text`` are markup (false
            for text a Markdown renderer already reduced to plain text).
    """
    if html_markup and ("<" in text or "&" in text):
        text = html.unescape(nh3.clean(_literal_lt(text), tags=set(), clean_content_tags=set(DROPPED_CONTENT),
                                       strip_comments=True))
    if _UNCLEAN.search(text) is not None or "  " in text or text[:1] == " " or text[-1:] == " ":
        # " ".join(split()) is _WS.sub(" ", text).strip(): str.split and the regex \s both
        # split on Py_UNICODE_ISSPACE, the one definition of Unicode whitespace in CPython.
        text = " ".join(_CONTROL.sub("", text).split())
    for c in corrections:
        text = text.replace(c.original, c.corrected)
    return text


def _literal_lt(text: str) -> str:
    """Escape every ``<`` that does not open a comment or a known HTML element."""
    out, pos = [], 0
    for m in _HTML_TOKEN.finditer(text):
        name = m.group("name")
        if name is not None and name.lower() not in HTML_ELEMENTS:
            continue
        out.append(text[pos:m.start()].replace("<", "&lt;"))
        out.append(m.group())
        pos = m.end()
    out.append(text[pos:].replace("<", "&lt;"))
    return "".join(out)


def _mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with each ``(start, end)`` span blanked out (same length, line breaks kept)."""
    if not spans:
        return text
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(re.sub(r"[^\n]", " ", text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def strip_html_blocks(text: str, first_line: int = 1, code: Sequence[tuple[int, int]] = ()
                      ) -> tuple[str, list[tuple[int, str, str]]]:
    """Drop HTML comments and script/style/iframe/svg blocks that span lines.

    A paragraph is cleaned on its own, so a comment opened in one paragraph
    and closed in another would otherwise let the text it hides through.
    Markup is found token by token (a ``<svg`` inside a quoted attribute value
    is not a tag), and each dropped block keeps its line breaks, so line
    numbers stay right.

    Args:
        text: The source text.
        first_line: Line number of the text's first line.
        code: ``(start, end)`` offsets of code in ``text`` (Markdown code spans and
            blocks, :meth:`curate.markdown_tokens.Document.code_spans`): markup inside
            them is text, not markup.

    Returns:
        The text, and ``(line, reason, text)`` per non-blank line dropped.
    """
    dropped: list[tuple[int, str, str]] = []
    out: list[str] = []
    pos = 0
    tokens = list(_HTML_TOKEN.finditer(_mask(text, code)))
    i = 0
    while i < len(tokens):
        m = tokens[i]
        token = m.group()
        name = (m.group("name") or "").lower()
        end, after = m.end(), i + 1
        if token.startswith("<!--"):
            what = "hidden comment"
        elif name in _BLOCK_TAGS and not token.startswith("</") and not token.endswith("/>"):
            close = next((k for k in range(i + 1, len(tokens)) if tokens[k].group().startswith("</")
                          and (tokens[k].group("name") or "").lower() == name), None)
            if close is None:
                i += 1
                continue
            what = f"embedded {name} block"
            end, after = tokens[close].end(), close + 1
        else:
            i += 1
            continue
        block = text[m.start():end]
        if "\n" in block:
            out.append(text[pos:m.start()])
            out.append("\n" * block.count("\n"))
            first = first_line + text.count("\n", 0, m.start())
            dropped += [(first + k, what, line) for k, line in enumerate(block.split("\n")) if line.strip()]
            pos = end
        i = after
    out.append(text[pos:])
    return "".join(out), dropped


def is_boilerplate_heading(line: str) -> bool:
    """Whether a line is a heading that starts unrelated links ("Related Posts").

    The line is read without the emoji and punctuation at its ends (``_EMOJI_EDGE``) and with
    its whitespace collapsed.
    """
    text = line.strip()
    # The ends _EMOJI_EDGE strips, [\W_]+, are runs of characters that are not alphanumeric:
    # the regex \w is Py_UNICODE_ISALNUM or "_", as str.isalnum is (a loop of a step or two
    # here, where the regex scanned the whole line for its end).
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    # A heading of more words than any boilerplate heading has is none: splitting stops there,
    # so a paragraph is not split whole.
    words = text[start:end].split(None, _BOILERPLATE_MAX_WORDS)
    return len(words) <= _BOILERPLATE_MAX_WORDS and bool(BOILERPLATE_HEADINGS.match(" ".join(words)))


def looks_like_heading(line: str) -> bool:
    """Whether a bare line of plain text reads as a heading, not a sentence.

    A heading is one short line (at most 14 words and 120 characters) that
    does not end like a sentence or a quotation (``.``, ``,``, ``:``, ``”``;
    ``?`` and ``!`` are allowed: "What is Llama?"), and holds a letter or digit.
    """
    text = line.strip()
    if not text or len(text) > _HEADING_MAX_CHARS or len(text.split()) > _HEADING_MAX_WORDS:
        return False
    if not any(c.isalnum() for c in text):  # "---", "* * *", "🚨": a separator, not a heading
        return False
    if text.endswith(_TERMINAL):
        return False
    return not re.match(r"^([-*+•]|\d+[.)])\s", text)


def _blocks(lines: list[str], start: int = 0):
    """Yield ``(first_line_number, [lines])`` for runs of non-blank lines."""
    block: list[str] = []
    first = 0
    for i, line in enumerate(lines[start:], start + 1):
        if line.strip():
            if not block:
                first = i
            block.append(line)
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split ``---`` YAML front matter from a Markdown source.

    Returns:
        ``(front_matter_yaml, body, body_first_line)``; the YAML is ``''`` when
        there is none. ``body_first_line`` is 1-based.
    """
    if text.startswith("---\n"):
        end = re.search(r"^(---|\.\.\.)[ \t]*$", text[4:], re.MULTILINE)
        if end:
            fm = text[4:4 + end.start()]
            rest = text[4 + end.end():]
            if rest.startswith("\n"):
                rest = rest[1:]
            return fm, rest, fm.count("\n") + 3
    return "", text, 1


class _Builder:
    """Collects passages into sections while a parser walks the text."""

    def __init__(self, corrections: list[Correction], offset: int, html_markup: bool = True):
        self.corrections = corrections
        self.offset = offset
        self.html_markup = html_markup
        self.raw: list[tuple[str, int, list[Passage]]] = [("", 1 + offset, [])]
        self.dropped: list[tuple[int, str, str]] = []
        self.warnings: list[tuple[int, str]] = []
        self.left_out: list[tuple[str, int]] = []

    def heading(self, text: str, line: int) -> None:
        self.raw.append((text, line + self.offset, []))

    def passage(self, text: str, line: int, kind: PassageKind = PassageKind.PARAGRAPH) -> None:
        clean = clean_inline(text, self.corrections, self.html_markup)
        if clean:
            if len(clean) > MAX_PARAGRAPH_CHARS:
                self.warnings.append((line + self.offset, f"paragraph of {len(clean):,} characters (more than "
                                      f"{MAX_PARAGRAPH_CHARS:,}): its line breaks are probably lost; it is kept "
                                      "as one paragraph"))
            self.raw[-1][2].append(Passage(clean, line + self.offset, kind=kind))
        else:
            self.dropped.append((line + self.offset, "empty after cleaning", text.strip()))

    def drop(self, line: int, reason: str, text: str) -> None:
        self.dropped.append((line + self.offset, reason, text.strip()))

    def finish(self, title: str, page_title: str = "") -> ParsedText:
        """Sections with ids; ``page_title`` is the title the source's page will show."""
        kept: list[tuple[str, int, list[Passage]]] = []
        for heading, line, passages in self.raw:
            clean_heading = clean_inline(heading, html_markup=self.html_markup) if heading else ""
            if heading and not clean_heading:
                # Nothing left of the heading: its text belongs to the section before.
                self.dropped.append((line, "empty heading", heading.strip()))
                if passages:
                    if kept:
                        kept[-1][2].extend(passages)
                    else:
                        kept.append(("", passages[0].line, passages))
                continue
            if heading and not passages:
                self.warnings.append((line, f"section '{clean_heading}' has no text after cleaning; it is left out"))
                self.left_out.append((clean_heading, line))
                continue
            if not heading and not passages:
                continue
            kept.append((clean_heading, line, passages))
        reserved = set(RESERVED_SECTION_IDS)
        if page_title or title:
            reserved.add(slugify(page_title or title))
        anchors = unique_anchors([(h, " ".join(p.text for p in ps)) for h, _, ps in kept if h], reserved=reserved)
        sections = []
        it = iter(anchors)
        for heading, line, passages in kept:
            sid = next(it) if heading else "lead"
            for n, p in enumerate(passages, 1):
                p.anchor = f"{sid}--p{n}"
            sections.append(Section(sid, heading, passages[0].line if not heading else line, passages))
        return ParsedText(title, sections, sorted(self.dropped), self.warnings, self.left_out)


def parse_plain_text(text: str, corrections: Sequence[Correction] = (), title_hint: str = "",
                     first_line: int = 1, default_title: str = "") -> ParsedText:
    """Find title, lead, sections and boilerplate in plain-text article.

    A line is judged a heading on its text after cleaning, so a sentence
    followed by a ``<script>`` element is still a sentence.

    Args:
        text: Decoded text (LF line endings), front matter already removed.
        corrections: Typo fixes to apply to passages.
        title_hint: Title from metadata; the first line is the title when it
            equals this or reads as a heading.
        first_line: 1-based line number of the text's first line in the file.
        default_title: Title the page gets when neither the metadata nor the
            text gives one (its id is kept free for the page's heading).

    Returns:
        The structure found; never raises on any text.
    """
    text, html_dropped = strip_html_blocks(text)
    lines = text.split("\n")
    b = _Builder(list(corrections), first_line - 1)
    for line, reason, dropped_text in html_dropped:
        b.drop(line, reason, dropped_text)
    title = ""
    blocks = list(_blocks(lines))
    if blocks:
        _, first = blocks[0]
        candidate = clean_inline(first[0])
        if len(first) == 1 and candidate and (looks_like_heading(candidate) or _same(candidate, title_hint)):
            title = candidate
            blocks = blocks[1:]
    for index, (lineno, block) in enumerate(blocks):
        single = clean_inline(block[0]) if len(block) == 1 else ""
        if single and is_boilerplate_heading(single):
            for ln, rest in [(lineno, block)] + blocks[index + 1:]:
                for k, line in enumerate(rest):
                    b.drop(ln + k, "boilerplate after the article", line)
            break
        if _is_image_block(block):
            alt, caption = block[0], block[-1]
            b.drop(lineno, "image alt text", alt)
            for k, extra in enumerate(block[1:-1], 1):
                b.passage(extra, lineno + k)
            kept, credit = _split_credit(caption)
            b.drop(lineno + len(block) - 1, "photo credit", credit)
            if kept:
                b.passage(kept, lineno + len(block) - 1, PassageKind.CAPTION)
            continue
        if single and _split_credit(single)[1] and not looks_like_heading(single):
            kept, credit = _split_credit(block[0])
            b.drop(lineno, "photo credit", credit)
            if kept:
                b.passage(kept, lineno, PassageKind.CAPTION)
            continue
        if single and looks_like_heading(single):
            b.heading(block[0].strip(), lineno)
            continue
        b.passage(" ".join(block), lineno)
    return b.finish(title, title_hint or title or default_title)


def parse_markdown(body: str, first_line: int, corrections: Sequence[Correction] = (), title_hint: str = "",
                   default_title: str = "") -> ParsedText:
    """Find sections in a Markdown source body (front matter already removed).

    The body is read with :mod:`curate.markdown_tokens`, as MkDocs would read it.
    ATX (``#`` to ``######``) and setext (a line of ``===`` or ``---`` under
    text) headings start sections; a first heading equal to the title is the
    title. A thematic break (``---``, ``***``) is dropped; lines inside a code
    block are text, never headings. Each paragraph (a list item's or a quoted
    one too), code block, table row and HTML block becomes one passage: its
    inline Markdown is rendered and reduced to plain text, so ``[x](javascript:…)``
    keeps only "x", an image keeps nothing, and what the Markdown shows literally
    (a code span holding ``<script>``) stays literal. Abbreviation and link
    reference definitions are dropped, with their lines.

    Args:
        body: Markdown after the front matter.
        first_line: 1-based line number of the body's first line in the file.
        corrections: Typo fixes to apply.
        title_hint: Title from front matter or metadata.
        default_title: Title the page gets when nothing else gives one.
    """
    body, html_dropped = strip_html_blocks(body, code=markdown_tokens.parse(body).code_spans())
    doc = markdown_tokens.parse(body)
    lines = doc.text.split("\n")
    b = _Builder(list(corrections), first_line - 1, html_markup=False)
    for line, reason, dropped_text in html_dropped:
        b.drop(line, reason, dropped_text)
    title = ""
    seen = False
    covered = [False] * (len(lines) + 1)
    stop_at = 0
    row: list[str] = []
    row_line = 0
    tokens = doc.tokens
    for k, token in enumerate(tokens):
        if token.map:
            for n in range(token.map[0], min(token.map[1], len(lines))):
                covered[n] = True
        line = token.map[0] + 1 if token.map else 0
        if token.type == "heading_open":
            text = clean_inline(_inline_text(tokens[k + 1]), html_markup=False)
            if is_boilerplate_heading(text):
                stop_at = line
                break
            if not seen and not title and text and _same(text, title_hint):
                title = text
            elif text:
                b.heading(text, line)
            else:
                b.drop(line, "empty heading", lines[line - 1])
            seen = True
        elif token.type == "inline" and tokens[k - 1].type in ("paragraph_open", "admonition_title_open"):
            b.passage(_inline_text(token), line)
            seen = True
        elif token.type == "inline" and tokens[k - 1].type in ("th_open", "td_open"):
            row.append(_inline_text(token))
            row_line = row_line or line
        elif token.type == "tr_close":
            b.passage(" | ".join(cell for cell in row if cell.strip()), row_line)
            row, row_line, seen = [], 0, True
        elif token.type in ("fence", "code_block"):
            code = token.content.rstrip("\n")
            if code.strip():
                b.passage(" ".join(code.split("\n")), line + (1 if token.type == "fence" else 0))
                seen = True
        elif token.type == "html_block":
            b.passage(html.unescape(nh3.clean(token.content, tags=set(), strip_comments=True)), line)
            seen = True
        elif token.type == "abbr_definition" and token.map:
            for n in range(token.map[0], token.map[1]):
                b.drop(n + 1, "abbreviation definition", lines[n])
    if stop_at:
        for n, text in enumerate(lines[stop_at - 1:], stop_at):
            if text.strip():
                b.drop(n, "boilerplate after the article", text)
    else:
        for n, text in enumerate(lines):
            if text.strip() and not covered[n]:
                b.drop(n + 1, "link reference definition", text)
    title = title or title_hint
    return b.finish(title, title or default_title)


def _inline_text(token: Token) -> str:
    """The text an inline token shows: links keep their text, images and footnote marks
    nothing, raw HTML is reduced to its text with nh3 (script and style content dropped)."""
    out = []
    raw = False
    for child in token.children or []:
        t = child.type
        if t in ("text", "code_inline"):
            out.append(html.escape(child.content, quote=False))
        elif t in ("softbreak", "hardbreak"):
            out.append("\n")
        elif t == "html_inline":
            out.append(child.content)
            raw = True
    rendered = "".join(out)
    if not raw:
        return html.unescape(rendered)
    return html.unescape(nh3.clean(rendered, tags=set(), strip_comments=True))


def _same(a: str, b: str) -> bool:
    norm = lambda s: _WS.sub(" ", re.sub(r"[^\w\s]", "", s)).strip().casefold()  # noqa: E731
    return bool(a and b) and norm(a) == norm(b)


def _split_credit(line: str) -> tuple[str, str]:
    """Split a caption into ``(kept_text, credit)``; credit ``''`` if none."""
    m = PHOTO_CREDIT.search(line.strip()) if _may_hold_credit(line) else None
    if not m:
        return line.strip(), ""
    return line.strip()[: m.start()].strip(), m.group().strip()


def _may_hold_credit(line: str) -> bool:
    """False only for a line PHOTO_CREDIT cannot match: one without its words ("image", "photo",
    "picture", "credit"; "photograph", "image credit" and "photo credit" hold them) in any case.

    PHOTO_CREDIT ignores case, and Python's case-insensitive matching also takes "İ" and "ı"
    for "i" and "ſ" for "s", which ``str.lower`` does not turn into them: a line holding one
    of those goes to the regex too. Most lines hold none of the words, and PHOTO_CREDIT, tried
    at every position of the line, costs far more than these ``in`` tests.
    """
    low = line.lower()
    return ("image" in low or "photo" in low or "picture" in low or "credit" in low
            or (not line.isascii() and ("İ" in line or "ı" in line or "ſ" in line)))


def _is_image_block(block: list[str]) -> bool:
    """An alt-text line directly above a caption that ends in a photo credit."""
    return (
        len(block) >= 2
        and looks_like_heading(block[0])
        and not block[0].rstrip().endswith(("?", "!"))
        and bool(_split_credit(block[-1])[1])
    )
