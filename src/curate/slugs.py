"""Slugs for anchors and file names.

Anchor ids come from :func:`slugify`, which ``mkdocs.yml`` also names as the
``toc`` extension's slugify function, so every fragment curate writes equals
the id MkDocs renders. It keeps letters of every script (``什么是开源``), so
no heading falls back to a positional id such as ``_1``.
File names are stricter: ASCII ``^[a-z0-9][a-z0-9-]*$`` (:data:`FILE_SLUG`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from pymdownx.slugs import slugify as _pymdownx_slugify

FILE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_slug = _pymdownx_slugify(case="lower")


def slugify(text: str, sep: str = "-") -> str:
    """Anchor id for heading text; the ``toc`` slugify used by ``mkdocs.yml``.

    Based on ``pymdownx.slugs.slugify(case="lower")`` (Unicode letters kept,
    punctuation and emoji dropped), with runs of separators collapsed and
    trimmed, so ``"Security threat 🚨"`` gives ``security-threat``.

    Args:
        text: Heading text (may hold inline HTML; tags are dropped).
        sep: Separator; MkDocs passes ``'-'``.

    Returns:
        The id, possibly ``''`` when the text has no letters or digits.
    """
    slug = _slug(text, sep)
    slug = re.sub(re.escape(sep) + "{2,}", sep, slug).strip(sep)
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


def unique_anchors(items: list[tuple[str, str]], reserved: set[str] = frozenset()) -> list[str]:
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
    for (heading, body), s in zip(items, slugs):
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
