"""Finding structure in source text and cleaning it into passages.

Two source formats are read:

* **Plain text** (``.txt``), as articles arrive when copied from a web page:
  the title on the first line, headings as bare lines, paragraphs separated
  by blank lines, image alt text and captions with a photo credit, and a tail
  of unrelated links under a heading such as "Related Posts".
* **Markdown** (``.md``), with optional YAML front matter and ATX headings.

Cleaning drops, and records with its line: an image's alt-text line, a photo
credit, and everything from a boilerplate heading ("Related Posts", "You may
also like", …) on. Raw HTML is removed with nh3 (script and style content
dropped, other tags reduced to their text). The surviving text is plain text,
never Markdown: rendering escapes it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import markdown as _markdown
import nh3

from .model import Correction, Passage, PassageKind, Section
from .slugs import unique_anchors

# Headings that start a block of links to unrelated stories; from the line
# holding one of these on, nothing belongs to the article.
BOILERPLATE_HEADINGS = re.compile(
    r"^(related (posts|articles|stories|news|content|reading|links)|read (more|next|also)|"
    r"you (may|might) (also )?like|more (from|stories|news|like this)|recommended( for you| stories)?|"
    r"trending( now| stories)?|popular (posts|stories|now)|sponsored( content| stories)?|advertisement|"
    r"also read|most read|don'?t miss|see also|latest (news|posts|stories))$",
    re.IGNORECASE,
)

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
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd\ufeff\u200b]")
_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$|^ {0,3}(#{1,6})[ \t]*$")
_EMOJI_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass
class ParsedText:
    """Structure found in one source's text.

    Attributes:
        title: Title found in the text, or ``''``.
        sections: Lead (id ``lead``) first, then each heading's section; empty
            sections are left out.
        dropped: ``(line, reason, text)`` for each removed line.
        warnings: ``(line, message)`` for each thing worth telling the editor.
    """

    title: str
    sections: list[Section]
    dropped: list[tuple[int, str, str]]
    warnings: list[tuple[int, str]]


def clean_inline(text: str, corrections: list[Correction] = ()) -> str:
    """Turn one paragraph of source text into clean plain text.

    Raw HTML is reduced to its text with nh3 (``<script>`` and ``<style>``
    content and comments dropped); entities are decoded; control characters,
    U+FFFD and zero-width spaces are removed; whitespace (including no-break
    spaces) is collapsed to single spaces; corrections are applied.
    """
    if "<" in text or "&" in text:
        text = html.unescape(nh3.clean(text, tags=set(), strip_comments=True))
    text = _CONTROL.sub("", text)
    text = _WS.sub(" ", text).strip()
    for c in corrections:
        text = text.replace(c.original, c.corrected)
    return text


def is_boilerplate_heading(line: str) -> bool:
    """Whether a line is a heading that starts unrelated links ("Related Posts")."""
    core = _EMOJI_EDGE.sub("", line.strip())
    return bool(BOILERPLATE_HEADINGS.match(_WS.sub(" ", core)))


def looks_like_heading(line: str) -> bool:
    """Whether a bare line of plain text reads as a heading, not a sentence.

    A heading is one short line (at most 14 words and 120 characters) that
    does not end like a sentence or a quotation (``.``, ``,``, ``:``, ``”``;
    ``?`` and ``!`` are allowed: "What is Llama?").
    """
    text = line.strip()
    if not text or len(text) > _HEADING_MAX_CHARS or len(text.split()) > _HEADING_MAX_WORDS:
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

    def __init__(self, corrections: list[Correction], offset: int):
        self.corrections = corrections
        self.offset = offset
        self.raw: list[tuple[str, int, list[Passage]]] = [("", 1 + offset, [])]
        self.dropped: list[tuple[int, str, str]] = []
        self.warnings: list[tuple[int, str]] = []

    def heading(self, text: str, line: int) -> None:
        self.raw.append((text, line + self.offset, []))

    def passage(self, text: str, line: int, kind: PassageKind = PassageKind.PARAGRAPH) -> None:
        clean = clean_inline(text, self.corrections)
        if clean:
            self.raw[-1][2].append(Passage(clean, line + self.offset, kind=kind))
        else:
            self.dropped.append((line + self.offset, "empty after cleaning", text.strip()))

    def drop(self, line: int, reason: str, text: str) -> None:
        self.dropped.append((line + self.offset, reason, text.strip()))

    def finish(self, title: str) -> ParsedText:
        kept = []
        for heading, line, passages in self.raw:
            clean_heading = clean_inline(heading)
            if heading and not passages:
                self.warnings.append((line, f"section '{clean_heading}' has no text after cleaning; it is left out"))
                continue
            if not heading and not passages:
                continue
            kept.append((clean_heading, line, passages))
        anchors = unique_anchors([(h, " ".join(p.text for p in ps)) for h, _, ps in kept if h], reserved={"lead"})
        sections = []
        it = iter(anchors)
        for heading, line, passages in kept:
            sid = next(it) if heading else "lead"
            for n, p in enumerate(passages, 1):
                p.anchor = f"{sid}--p{n}"
            sections.append(Section(sid, heading, passages[0].line if not heading else line, passages))
        return ParsedText(title, sections, self.dropped, self.warnings)


def parse_plain_text(text: str, corrections: list[Correction] = (), title_hint: str = "") -> ParsedText:
    """Find title, lead, sections and boilerplate in plain-text article.

    Args:
        text: Decoded text (LF line endings).
        corrections: Typo fixes to apply to passages.
        title_hint: Title from metadata; the first line is the title when it
            equals this or reads as a heading.

    Returns:
        The structure found; never raises on any text.
    """
    lines = text.split("\n")
    b = _Builder(list(corrections), 0)
    title = ""
    blocks = list(_blocks(lines))
    if blocks:
        first_line, first = blocks[0]
        candidate = clean_inline(first[0])
        if len(first) == 1 and (looks_like_heading(first[0]) or _same(candidate, title_hint)):
            title = candidate
            blocks = blocks[1:]
    for index, (lineno, block) in enumerate(blocks):
        if len(block) == 1 and is_boilerplate_heading(block[0]):
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
        if len(block) == 1 and _split_credit(block[0])[1] and not looks_like_heading(block[0]):
            kept, credit = _split_credit(block[0])
            b.drop(lineno, "photo credit", credit)
            if kept:
                b.passage(kept, lineno, PassageKind.CAPTION)
            continue
        if len(block) == 1 and looks_like_heading(block[0]):
            b.heading(block[0].strip(), lineno)
            continue
        b.passage(" ".join(block), lineno)
    return b.finish(title)


def parse_markdown(body: str, first_line: int, corrections: list[Correction] = (), title_hint: str = "") -> ParsedText:
    """Find sections in a Markdown source body (front matter already removed).

    ATX headings (``#`` to ``######``) start sections; a first heading equal to
    the title is the title. Each other block becomes one passage: its inline
    Markdown is rendered and reduced to plain text, so ``[x](javascript:…)``
    keeps only "x".

    Args:
        body: Markdown after the front matter.
        first_line: 1-based line number of the body's first line in the file.
        corrections: Typo fixes to apply.
        title_hint: Title from front matter or metadata.
    """
    lines = body.split("\n")
    b = _Builder(list(corrections), first_line - 1)
    title = ""
    stop = False
    seen_content = False
    for lineno, block in _blocks(lines):
        para: list[str] = []
        para_line = lineno
        for k, line in enumerate(block):
            m = _MD_HEADING.match(line)
            if m:
                if para:
                    b.passage(_md_to_text("\n".join(para)), para_line)
                    para = []
                heading = clean_inline(_md_to_text(m.group(2) or ""))
                if is_boilerplate_heading(heading):
                    stop = True
                    break
                if not seen_content and not title and heading and _same(heading, title_hint):
                    title = heading
                elif heading:
                    b.heading(heading, lineno + k)
                else:
                    b.drop(lineno + k, "empty heading", line)
                seen_content = True
                continue
            if not para:
                para_line = lineno + k
            para.append(line)
        if para and not stop:
            b.passage(_md_to_text("\n".join(para)), para_line)
            seen_content = True
        if stop:
            break
    if stop:
        # Record everything from the boilerplate heading on as dropped.
        for lineno, block in _blocks(lines):
            for k, line in enumerate(block):
                if lineno + k >= _first_boilerplate_line(lines):
                    b.drop(lineno + k, "boilerplate after the article", line)
    return b.finish(title or title_hint)


def _first_boilerplate_line(lines: list[str]) -> int:
    for i, line in enumerate(lines, 1):
        m = _MD_HEADING.match(line)
        if m and is_boilerplate_heading(_md_to_text(m.group(2) or "")):
            return i
    return len(lines) + 1


_MD = _markdown.Markdown(extensions=[])


def _md_to_text(text: str) -> str:
    """Render inline Markdown and keep only its text (links lose their URLs)."""
    if not re.search(r"[\\`*_\[\]<>&!#|]", text):
        return text
    _MD.reset()
    rendered = _MD.convert(text)
    return html.unescape(nh3.clean(rendered, tags=set(), strip_comments=True))


def _same(a: str, b: str) -> bool:
    norm = lambda s: _WS.sub(" ", re.sub(r"[^\w\s]", "", s)).strip().casefold()  # noqa: E731
    return bool(a and b) and norm(a) == norm(b)


def _split_credit(line: str) -> tuple[str, str]:
    """Split a caption into ``(kept_text, credit)``; credit ``''`` if none."""
    m = PHOTO_CREDIT.search(line.strip())
    if not m:
        return line.strip(), ""
    return line.strip()[: m.start()].strip(), m.group().strip()


def _is_image_block(block: list[str]) -> bool:
    """An alt-text line directly above a caption that ends in a photo credit."""
    return (
        len(block) >= 2
        and looks_like_heading(block[0])
        and not block[0].rstrip().endswith(("?", "!"))
        and bool(_split_credit(block[-1])[1])
    )
