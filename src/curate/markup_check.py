"""Markup an editor's Markdown may not carry into the site: scripts, event handlers, script addresses.

Intros (``content_sources/pages/*.md``) are Markdown that MkDocs renders as it is, raw
HTML included, so they are checked here instead of escaped: an editor keeps links,
emphasis and harmless HTML (``<abbr>``, ``<kbd>``), while what would run in a reader's
browser is refused with the file and line. The rules follow what HTML sanitizers such as
ammonia (nh3) remove by default: ``<script>``-like elements, ``on…`` event-handler
attributes (also in attribute lists, ``{ onclick=… }``), and ``javascript:``,
``vbscript:`` and ``data:`` addresses in links and attributes.
"""

from __future__ import annotations

import re

from .markdown_tokens import parse

_ELEMENT = re.compile(r"<\s*/?\s*(script|iframe|frame|frameset|object|embed|applet|style|base|meta|link|form|"
                      r"svg|math|template|noscript)\b", re.IGNORECASE)
_HANDLER = re.compile(r"(?:^|[\s\"'/{])on[a-z]+\s*=", re.IGNORECASE)
_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_ATTR_SCHEME = re.compile(r"""(?:href|src|action|formaction|xlink:href|srcdoc)"""
                          r"""\s*=\s*["']?\s*(javascript|vbscript|data):""", re.IGNORECASE)
_ATTR_LIST_HANDLER = re.compile(r"\{[^{}\n]*(?:^|[\s:])on[a-z]+\s*=[^{}\n]*\}", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def unsafe_markup(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """``(line, what)`` for each piece of markup in ``text`` that would run in a browser.

    Args:
        text: Markdown (front matter removed).
        first_line: Line number of the text's first line in its file.

    Returns:
        Findings in text order; empty when the Markdown is safe to publish.
    """
    doc = parse(text, first_line)
    found: list[tuple[int, str]] = []

    def check_html(html: str, line: int) -> None:
        m = _ELEMENT.search(html)
        if m:
            found.append((line, f"raw HTML element <{m.group(1).lower()}>"))
        if _HANDLER.search(html.replace("\n", " ")) and "<" in html:
            found.append((line, "an event-handler attribute (on…=) in raw HTML"))
        m = _ATTR_SCHEME.search(html)
        if m:
            found.append((line, f"a {m.group(1).lower()}: address in raw HTML"))

    for token in doc.tokens:
        line = first_line + (token.map[0] if token.map else 0)
        if token.type == "html_block":
            check_html(token.content, line)
        elif token.type == "inline":
            if _ATTR_LIST_HANDLER.search(token.content):
                found.append((line, "an event-handler attribute (on…=) in an attribute list"))
            for child in token.children or []:
                if child.type == "html_inline":
                    check_html(child.content, line)
                elif child.type in ("link_open", "image"):
                    href = str(child.attrs.get("href") or child.attrs.get("src") or "")
                    m = _SCHEME.match(_INVISIBLE.sub("", href))
                    if m:
                        found.append((line, f"a {m.group(1).lower()}: address in a link"))
    for label, ref in sorted((doc.env.get("references") or {}).items()):
        m = _SCHEME.match(_INVISIBLE.sub("", str(ref.get("href", ""))))
        if m:
            found.append((first_line, f"a {m.group(1).lower()}: address in the link definition [{label.lower()}]"))
    return found
