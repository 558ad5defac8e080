"""Citations in editor Markdown: ``[@source-id#section-id]`` and ``[@source-id#section-id--p2]``.

An editor's intro (``content_sources/pages/*.md``) cites a source with a pandoc-like
citation in square brackets: ``[@zuckerberg-open-source-ai-letter#what-is-llama--p2]``
cites paragraph 2 of a section (the paragraph's anchor on the source's page),
``[@zuckerberg-open-source-ai-letter#what-is-llama]`` the whole section, and
``[@a#x; @b#y--p1]`` several at once. Each becomes a citation mark ``[n]`` that joins the
page's reference list like the marks on source passages (:mod:`curate.render`).

Citations are read from the text a reader sees, with the project's Markdown parser
(:mod:`curate.markdown_tokens`): one inside a code span or block, or written with an
escaped bracket (``\\[@x]``), is text, left alone. A citation in a heading is an error (a
mark there would be part of the heading's text and anchor), and so is one in a link's text
or an HTML block, where it would reach the reader as typed.

At load (:func:`check`) every citation must name a source, a section and a paragraph that
exist, and words the editor puts in quotation marks (“…” or "…") in a sentence that cites
must occur in the cited paragraph or section verbatim (curly and straight quotation marks
and apostrophes alike, whitespace collapsed).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import Problem, did_you_mean
from .model import Passage, Section, Source
from .schema import paragraph_anchor

#: A bracketed run that starts with ``@``: one or more citations (``[@a#x; @b#y]``).
_BRACKET = re.compile(r"\[@([^\[\]\n]*)\]")
_KEY = re.compile(r"@[^\s;@\[\]]+")
# One character stands for each citation while sentences are split (Unicode private use).
_MARK = "\ue000"
# A sentence ends after . ! ? or … (and a closing quotation mark and citations), before a
# capital, a digit or an opening quotation mark.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[”’\"]?" + _MARK + r"*\s+(?=[“\"‘(]?[A-Z0-9])")
_QUOTED = re.compile(r"“([^“”]+)”|\"([^\"\n]+)\"")
_SPACE = re.compile(r"\s+")
_QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"})


@dataclass(frozen=True)
class Citation:
    """One citation as an editor wrote it.

    Attributes:
        key: What follows ``@`` (``source#section--p2``).
        source: Source id (before ``#``).
        section: Section id or paragraph anchor as written (after ``#``; ``''`` without one).
        line: 1-based line in the Markdown text.
        start: Offset of the bracket holding it in the (normalised) text.
        end: Offset after that bracket.
        follows_text: Whether words of its paragraph come before it, so the line break
            before it (if any) is a soft one inside the paragraph.
    """

    key: str
    source: str
    section: str
    line: int
    start: int
    end: int
    follows_text: bool = False


@dataclass
class EditorSentence:
    """A sentence of an editor's prose paragraph.

    Attributes:
        text: Its plain text, citations left out.
        line: 1-based line where it starts.
        citations: The citations it holds.
    """

    text: str
    line: int
    citations: list[Citation] = field(default_factory=list)


@dataclass
class Reading:
    """What :func:`read` finds in a Markdown text.

    Attributes:
        text: The text as parsed (CR line ends as LF); citation offsets refer to it.
        citations: Every citation, in reading order.
        malformed: ``(line, written)`` of each ``[@…]`` that is not a citation.
        misplaced: ``(line, written, where)`` of each ``[@…]`` where no citation is read:
            ``heading`` (a heading or an admonition's title), ``link`` (a link's text) or
            ``html`` (an HTML block, outside comments and code).
        sentences: The sentences of the text's prose paragraphs (not quoted, not in a
            footnote), in reading order.
    """

    text: str
    citations: list[Citation] = field(default_factory=list)
    malformed: list[tuple[int, str]] = field(default_factory=list)
    misplaced: list[tuple[int, str, str]] = field(default_factory=list)
    sentences: list[EditorSentence] = field(default_factory=list)


@lru_cache(maxsize=256)
def read(text: str) -> Reading:
    """Citations and sentences of editor Markdown (see the module docstring).

    Args:
        text: Markdown, front matter removed; line 1 is the text's first line.

    Returns:
        A :class:`Reading`. Shared between callers (cached by text): do not change it.
    """
    from .markdown_tokens import parse

    doc = parse(text)
    out = Reading(doc.text)
    # Offsets of line ends, for a citation's line by bisection (counting from the start for each
    # of 10,000 citations took seconds).
    ends = [m.start() for m in re.finditer("\n", doc.text)]
    for inline in doc.inlines():
        if inline.kind not in ("paragraph", "cell"):
            # A heading or an admonition's title is no place for a mark: it would show as typed.
            out.misplaced += [(inline.line, m.group(), "heading") for run in inline.runs
                              for m in _BRACKET.finditer(run.text) if m.start() not in run.escaped]
            continue
        found: list[tuple[int, int, list[Citation]]] = []  # (start, end) in plain, citations
        for run in inline.runs:
            for m in _BRACKET.finditer(run.text):
                if m.start() in run.escaped:
                    continue  # "\[@x]" is text
                span = run.source_span(m.start(), m.end())
                if span is None:
                    continue  # pragma: no cover - text runs of paragraphs map to their source
                line = bisect.bisect_left(ends, span[0]) + 1
                if not _is_citation(m):
                    out.malformed.append((line, m.group()))
                    continue
                parts = [p.strip() for p in ("@" + m.group(1)).split(";")]
                cites = []
                follows = bool(inline.plain[:run.offset + m.start()].strip())
                for part in parts:
                    key = part[1:]
                    source, _, section = key.partition("#")
                    cites.append(Citation(key, source, section, line, span[0], span[1], follows))
                if cites:
                    out.citations += cites
                    found.append((run.offset + m.start(), run.offset + m.end(), cites))
        # A citation in a link's text is not read (the mark would be part of the link); it would show
        # as typed, so it is named like one in a heading. One in a code span is meant as text.
        for link in inline.links:
            for m in _BRACKET.finditer(inline.plain, link.start, link.end):
                if (_is_citation(m) and not any(a <= m.start() < b for a, b in inline.code)
                        and re.search(r"(?<!\\)" + re.escape(m.group()), inline.source)):  # "\[@x]" is text
                    out.misplaced.append((inline.line, m.group(), "link"))
        if inline.kind == "paragraph" and not inline.quoted and not inline.in_footnote:
            out.sentences += _sentences(inline.plain, inline.line, found)
    for token, _ in doc.blocks():
        if token.type == "html_block" and token.map and "[@" in token.content:
            # Shown as typed (or, in a 'markdown' block, rendered without curate): never a mark.
            shown = _HTML_NOT_SHOWN.sub(lambda m: "\n" * m.group().count("\n"), token.content)
            for m in _BRACKET.finditer(shown):
                if _is_citation(m):
                    out.misplaced.append((token.map[0] + 1 + shown.count("\n", 0, m.start()), m.group(), "html"))
    return out


# HTML comments and code in an HTML block: what the reader does not see, or sees as code.
_HTML_NOT_SHOWN = re.compile(r"<!--.*?-->|<(pre|code|script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)


def _is_citation(m: re.Match) -> bool:
    """Whether a ``[@…]`` run reads as citations (``[@a#x; @b#y]``)."""
    return all(_KEY.fullmatch(p.strip()) for p in ("@" + m.group(1)).split(";"))


def _sentences(plain: str, line: int, found: list[tuple[int, int, list[Citation]]]) -> list[EditorSentence]:
    """The sentences of a paragraph's plain text, each with the citations in it."""
    text, cited, pos = "", [], 0
    for start, end, cites in sorted(found, key=lambda f: f[0]):
        text += plain[pos:start].rstrip(" \t") + _MARK  # as on the page: the mark takes the space's place
        cited.append(cites)
        pos = end
    text += plain[pos:]
    out: list[EditorSentence] = []
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    k = 0
    counted, newlines = 0, 0  # line ends in text[:counted], counted on as the sentences go
    for a, b in zip(bounds, bounds[1:], strict=False):
        piece = text[a:b]
        n = piece.count(_MARK)
        words = _SPACE.sub(" ", piece.replace(_MARK, "")).strip()
        if words:
            first = a + len(piece) - len(piece.lstrip())
            newlines += text.count("\n", counted, first)
            counted = first
            out.append(EditorSentence(words, line + newlines,
                                      [c for cites in cited[k:k + n] for c in cites]))
        elif n and out:
            out[-1].citations += [c for cites in cited[k:k + n] for c in cites]
        k += n
    return out


@dataclass(frozen=True)
class Target:
    """What a citation points to: a section of a source, and one of its paragraphs or all.

    Attributes:
        source: The source.
        section: The section.
        passage: The cited paragraph; ``None`` for the whole section.
    """

    source: Source
    section: Section
    passage: Passage | None

    @property
    def text(self) -> str:
        """The cited words: the paragraph's text, or the section's paragraphs joined."""
        if self.passage is not None:
            return self.passage.text
        return "\n\n".join(p.text for p in self.section.passages)


def resolve(citation: Citation, sources: dict[str, Source]) -> Target | str:
    """The citation's target, or why there is none (a message, then ``\\n`` and a hint)."""
    source = sources.get(citation.source)
    if source is None:
        return (f"no source with id '{citation.source}'\n"
                + (did_you_mean(citation.source, sorted(sources)) or
                   "a source id is its file name without extension; the sources are listed on docs/sources/index.md"))
    if not source.sections:
        return f"source '{source.id}' has no text to cite\ncite another source"
    if not citation.section:
        return (f"[@{citation.key}] names a source but no section\n"
                f"cite a section or a paragraph, such as [@{source.id}#{source.sections[0].id}]")
    section = source.section(citation.section)
    if section is not None:
        return Target(source, section, None)
    anchor = paragraph_anchor(citation.section)
    section = source.section(anchor[0]) if anchor is not None else None
    if anchor is not None and section is not None:
        _, number, written = anchor
        n = len(section.passages)
        if 1 <= number <= n:
            return Target(source, section, section.passages[number - 1])
        anchors = section.passages[0].anchor + (f" … {section.passages[-1].anchor}" if n > 1 else "")
        return (f"section '{section.id}' of source '{source.id}' has {n} paragraph{'s' if n != 1 else ''}; "
                f"there is no paragraph {written}\ncite {'one of ' if n > 1 else ''}{anchors}")
    ids = [s.id for s in source.sections]
    if anchor is not None:
        ids = [p.anchor for s in source.sections for p in s.passages]
    return (f"source '{source.id}' has no section '{citation.section}'\n"
            + (did_you_mean(citation.section, ids) or "its sections are: " + ", ".join(s.id for s in source.sections)))


def comparable(text: str) -> str:
    """``text`` as quotations are compared: curly quotation marks and apostrophes as straight
    ones, whitespace collapsed."""
    from .quotes import normalize

    return normalize(text.translate(_QUOTE_CHARS))


def quoted_words(sentence: str) -> list[str]:
    """The words an editor puts in quotation marks (“…” or "…") in a sentence, as written."""
    return [(m.group(1) or m.group(2)).strip() for m in _QUOTED.finditer(sentence)
            if (m.group(1) or m.group(2)).strip()]


#: Where a citation is not read: how a message names the place, and the hint.
_MISPLACED = {
    "heading": ("a heading", "cite in the paragraph under the heading"),
    "link": ("a link's text", "put the citation after the link: [the link](address) [@source-id#section-id]"),
    "html": ("an HTML block", "cite in a Markdown paragraph outside the HTML, or put the text in a code span "
                              "(`…`) to show it as it is"),
}


def check(rel: str, text: str, sources: dict[str, Source], failed: set[str] | frozenset[str] = frozenset()
          ) -> list[Problem]:
    """Every problem with the citations of one editor file (see the module docstring).

    Args:
        rel: Project-relative path of the file, for messages.
        text: Its Markdown (line 1 is the file's first line).
        sources: Every loaded source by id.
        failed: Ids of sources whose own error is reported (a citation of one needs no second).

    Returns:
        One problem per unknown source, section or paragraph, per ``[@…]`` that is no
        citation, and per quotation not found verbatim in what its sentence cites.
    """
    if "[@" not in text:
        return []  # no citation: the parser is not needed
    reading = read(text)
    problems = [Problem(rel, line, "", f"'{written}' is not a citation",
                        "write [@source-id#section-id] or [@source-id#section-id--p2]; several as [@a#x; @b#y]")
                for line, written in reading.malformed]
    problems += [Problem(rel, line, "", f"'{written}' is in {_MISPLACED[where][0]}, where a citation is not read",
                         _MISPLACED[where][1])
                 for line, written, where in reading.misplaced]
    targets: dict[Citation, Target] = {}
    for c in reading.citations:
        if c.source in failed:
            continue
        invisible = next((i for i, ch in enumerate(c.key) if unicodedata.category(ch) == "Cf"), None)
        if invisible is not None:
            # Ids are slugs, which never hold one; "no section 'x'" would name an id that looks right.
            problems.append(Problem(rel, c.line, "", f"citation [@{c.key}] holds an invisible character "
                                    f"(U+{ord(c.key[invisible]):04X}) after '@{c.key[:invisible]}'",
                                    "retype the citation"))
            continue
        found = resolve(c, sources)
        if isinstance(found, str):
            message, _, hint = found.partition("\n")
            problems.append(Problem(rel, c.line, "", f"citation [@{c.key}]: {message}", hint))
        else:
            targets[c] = found
    compared: dict[str, str] = {}  # place -> its comparable text, once per place, not per sentence
    for sentence in reading.sentences:
        cited = [targets[c] for c in sentence.citations if c in targets]
        if not cited or len(cited) < len(sentence.citations):
            continue  # no citation, or one already reported
        quoted = quoted_words(sentence.text)
        if not quoted:
            continue
        for t in cited:
            if place(t) not in compared:
                compared[place(t)] = comparable(t.text)
        texts = [compared[place(t)] for t in cited]
        for words in quoted:
            wanted = comparable(words)
            if not any(wanted in t for t in texts):
                from .quotes import closest_text

                closest = closest_text(wanted, " ".join(texts))
                where = "; ".join(place(t) for t in cited)
                problems.append(Problem(rel, sentence.line, "",
                                        f"the sentence quotes “{words}”, which is not in what it cites ({where}) "
                                        "word for word",
                                        f"closest text there: “{closest}”; quote it exactly, or take the quotation "
                                        "marks away"))
    return problems


def place(target: Target) -> str:
    """``source#section--p2`` or ``source#section``: how messages name a target."""
    anchor = target.passage.anchor if target.passage is not None else target.section.id
    return f"{target.source.id}#{anchor}"


def cited_sources(text: str) -> list[str]:
    """Ids of the sources an editor's text cites, in order of first citation."""
    if "[@" not in text:
        return []
    return list(dict.fromkeys(c.source for c in read(text).citations))


def coverage(text: str) -> tuple[int, int]:
    """``(sentences that cite, sentences)`` of an editor's prose paragraphs."""
    if not text.strip():
        return 0, 0
    sentences = read(text).sentences
    return sum(1 for s in sentences if s.citations), len(sentences)
