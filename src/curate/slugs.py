"""Slugs for anchors and file names.

Anchor ids come from :func:`slugify`, which ``mkdocs.yml`` also names as the
``toc`` extension's slugify function, so every fragment curate writes equals
the id MkDocs renders. It keeps letters of every script (``什么是开源``), so
no heading falls back to a positional id such as ``_1``.
File names are stricter: ASCII ``^[a-z0-9][a-z0-9-]*$`` (:data:`FILE_SLUG`).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Set as AbstractSet

FILE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TAGS = re.compile(r"</?[^>]*>")


@functools.lru_cache(maxsize=1 << 14)  # the same headings and titles are slugged again and again
def slugify(text: str, sep: str = "-") -> str:
    """Anchor id for heading text; the ``toc`` slugify used by ``mkdocs.yml``.

    Like ``pymdownx.slugs.slugify(case="lower")``: inline HTML tags are
    dropped, the text is NFC-normalised and lower-cased, letters and digits of
    every script are kept, spaces and hyphens become ``sep`` and every other
    character (punctuation, symbols, emoji) is dropped. Unlike it, combining
    marks are kept too (``नमस्ते`` stays whole instead of losing its vowel
    signs), runs of separators are collapsed, and separators and underscores
    are trimmed from both ends (so no id can clash with Material's ``__…``
    element ids). Text with no letter or digit at all (``🚨``, ``~``) gets
    ``section-`` plus a short hash of the text: derived from the text, never
    a positional ``_1``.

    Args:
        text: Heading text (may hold inline HTML; tags are dropped).
        sep: Separator; MkDocs passes ``'-'``.

    Returns:
        The id; never empty. ``"Security threat 🚨"`` gives ``security-threat``.
    """
    clean = unicodedata.normalize("NFC", _TAGS.sub("", text)).lower()
    out = []
    for ch in clean:
        if ch.isspace() or ch == "-":
            out.append(sep)
        elif ch == "_" or unicodedata.category(ch)[0] in "LNM":
            out.append(ch)
    slug = "".join(out)
    if sep:
        slug = re.sub(re.escape(sep) + "{2,}", sep, slug)
    slug = slug.strip(sep + "_")
    if not slug or not any(unicodedata.category(c)[0] in "LN" for c in slug):
        slug = "section" + sep + short_hash(text)
    return slug


def file_slug(text: str) -> str:
    """ASCII file-name slug: ``What is ‘open source’?`` → ``what-is-open-source``.

    Non-Latin letters are dropped (after NFKD folding of accents); may
    return ``''``.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def short_hash(text: str, length: int = 6) -> str:
    """First ``length`` hex digits of the SHA-256 of ``text`` (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def unique_anchors(items: list[tuple[str, str]], reserved: AbstractSet[str] = frozenset()) -> list[str]:
    """Give each heading an id derived from its text, unique on the page.

    Ids never depend on position: a heading whose slug is shared with another
    heading (or is empty, or reserved) gets its slug plus a short hash of the
    heading text and the section body, so reordering sections changes no id.

    Args:
        items: ``(heading_text, body_text)`` per heading, in page order.
        reserved: Ids already used on the page.

    Returns:
        One id per item, in the same order.
    """
    slugs = [slugify(heading) for heading, _ in items]
    counts: dict[str, int] = {}
    for s in slugs:
        counts[s] = counts.get(s, 0) + 1
    out = []
    used = set(reserved)
    for (heading, body), s in zip(items, slugs, strict=True):
        anchor = s
        if not s or counts[s] > 1 or s in used:
            base = s or "section"
            anchor = f"{base}-{short_hash(heading + chr(0) + body)}"
            n = 6
            while anchor in used:
                n += 2
                anchor = f"{base}-{short_hash(heading + chr(0) + body, n)}"
        used.add(anchor)
        out.append(anchor)
    return out


def name_key(name: str) -> str:
    """A glossary name as the linker compares mentions with it: case folded, runs of spaces and
    hyphens as one space (``Open-Source`` and ``open source`` are one name)."""
    return re.sub(r"[\s\-]+", " ", name.strip()).casefold()
