"""Finding attributed quotations in sources and verifying quotes on pages.

A quotation is text in curly double quotes with a speaker next to it:
``“…,” Zuckerberg said``, ``“…,” he wrote`` (the pronoun takes the last named
speaker of the source) or ``Zuckerberg said: “…”``. The quote check holds
every quotation shown on a page to the source snapshot it came from: the
quoted words must occur there verbatim (whitespace aside), or the build fails
naming the page, the quote and the closest source text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .markdown_tokens import parse, visible_text
from .model import Source

_VERBS = r"(?:said|says|wrote|writes|added|adds|told|tells|explained|argued|argues|noted|notes|stated|insisted|warned)"
_NAME = r"(?:[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,3})"
_AFTER = re.compile(r"“(?P<q>[^“”]{2,}?)”\s*(?:,\s*)?(?P<who>" + _NAME + r"|he|she|they)\s+" + _VERBS + r"\b")
_BEFORE = re.compile(r"(?P<who>" + _NAME + r")\s+" + _VERBS + r"\s*[,:]\s*“(?P<q>[^“”]{2,}?)”")
_PRONOUNS = {"he", "she", "they"}


@dataclass(frozen=True)
class Quote:
    """An attributed quotation found in a source.

    Attributes:
        text: The quoted words without the closing comma.
        speaker: Who said or wrote them.
        source_id: Source it was found in.
        section_id: Section it was found in.
        passage_anchor: Anchor of the passage on the source's page.
        complete: Whether the quotation is a whole sentence (:func:`_is_sentence`).
    """

    text: str
    speaker: str
    source_id: str
    section_id: str
    passage_anchor: str
    complete: bool = True


@dataclass(frozen=True)
class QuoteUse:
    """A quotation as shown on a page, to be verified.

    Attributes:
        page: ``docs/``-relative path of the page.
        text: The quoted words as shown.
        source_ids: Sources the quote may come from.
    """

    page: str
    text: str
    source_ids: tuple[str, ...]


def find_quotes(source: Source) -> list[Quote]:
    """Every attributed quotation in a source, in source order."""
    quotes: list[Quote] = []
    last_speaker = ""
    for section in source.sections:
        for passage in section.passages:
            if "“" not in passage.text:
                continue  # both patterns need an opening quotation mark
            found = []
            for m in list(_AFTER.finditer(passage.text)) + list(_BEFORE.finditer(passage.text)):
                found.append((m.start(), m.group("q"), m.group("who")))
            for _, text, who in sorted(found):
                if who.lower() in _PRONOUNS:
                    if not last_speaker:
                        continue
                    who = last_speaker
                last_speaker = who
                raw = text.strip()
                text = raw.rstrip(",").strip()
                if len(text.split()) < 2:
                    continue
                quotes.append(Quote(text, who, source.id, section.id, passage.anchor, _is_sentence(raw)))
    return quotes


def _is_sentence(quoted: str) -> bool:
    """Whether quoted words are a whole sentence: a capital first, and a full stop, ``!``, ``?``
    or the comma that stands for a full stop before "…,” he said" last (not a fragment like
    “miss out on opportunities” or one cut short with an ellipsis)."""
    words = quoted.lstrip("‘'\"(")
    return bool(words) and words[0].isupper() and quoted.rstrip("’'\")").endswith((".", "!", "?", ","))


def normalize(text: str) -> str:
    """Whitespace-collapsed text used to compare a quote with its source."""
    # The same as re.sub(r"\s+", " ", text).strip(), quicker: str.split and the regex \s both
    # split on Py_UNICODE_ISSPACE (tests/test_cleaning.py checks they agree on every character).
    return " ".join(text.split())


def closest_text(quote: str, haystack: str) -> str:
    """The run of words in ``haystack`` most like ``quote`` (difflib ratio).

    Compares every window of the quote's word count (±1) and returns the best.
    """
    words = normalize(haystack).split(" ")
    n = max(1, len(normalize(quote).split(" ")))
    best, best_ratio = "", -1.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(normalize(quote))
    for size in (n, n - 1, n + 1):
        if size < 1:
            continue
        for i in range(0, max(1, len(words) - size + 1)):
            window = " ".join(words[i:i + size])
            matcher.set_seq1(window)
            if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = window, ratio
    return best.strip(_EDGE)


_EDGE = "“”\"‘’,;: "
_INSERTION = re.compile(r"\s*\[[^\[\]]*\](?!\()")  # "[July 2024]", not a Markdown link "[x](…)"


def verify(uses: list[QuoteUse], sources: dict[str, Source]) -> list[str]:
    """Check that each quote occurs verbatim in one of its sources.

    Returns:
        One message per failing quote, naming the page, the quote and the
        closest source text: ``what-is-llama.md: quote “…” is not in source
        'x' verbatim; closest source text: “…”``.
    """
    errors = []
    normalized: dict[str, str] = {}  # source id -> its text normalised, once per call
    for use in uses:
        for s in use.source_ids:
            if s in sources and s not in normalized:
                normalized[s] = normalize(sources[s].text)
        texts = [normalized[s] for s in use.source_ids if s in sources]
        wanted = normalize(use.text)
        if any(wanted in t for t in texts):
            continue
        # The source's own words without an editor's bracketed insertion ("last month
        # [July 2024]"); tried second, so a source that prints brackets itself still matches.
        without = normalize(_INSERTION.sub("", use.text))
        if without != wanted and any(without in t for t in texts):
            continue
        closest = max((closest_text(wanted, t) for t in texts),
                      key=lambda c: difflib.SequenceMatcher(None, c, wanted).ratio(), default="")
        names = ", ".join(f"'{s}'" for s in use.source_ids) or "(none)"
        errors.append(f"quote “{use.text}” does not occur verbatim in source {names}; "
                      f"closest source text: “{closest}”")
    return errors


def editor_quotes(markdown_text: str, min_words: int = 5) -> list[str]:
    """Curly-quoted spans of at least ``min_words`` words in editor Markdown.

    The quotation is read from the text a reader sees (:mod:`curate.markdown_tokens`):
    emphasis, link targets and escapes are not part of it, and a code span or block is
    not a quotation. Shorter quoted spans are scare quotes ("‘open source’"), not
    quotations.
    """
    out = []
    for inline in parse(markdown_text).inlines():
        for m in _CURLY.finditer(visible_text(inline, with_code=False)):
            if len(m.group(1).split()) >= min_words:
                out.append(m.group(1).strip().rstrip(","))
    return out


_CURLY = re.compile(r"“([^“”]+)”")
