"""The knowledge map: an SVG of pages and their cross-links, drawn at build time.

No script runs in the browser: the SVG is written into the home page as
inline markup. Each node is a link with an accessible name; links point at
``.md`` files and the MkDocs hook rewrites them to page URLs, exactly as
MkDocs does for Markdown links.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

WIDTH = 720
HEIGHT = 440
RADIUS = 150
MAX_NODES = 60
MAX_LINES = 100  # more lines than this are drawn as one <path>


@dataclass(frozen=True)
class Node:
    """A page on the map: ``path`` is ``docs/``-relative, ``title`` its label."""

    path: str
    title: str


def _wrap(title: str, width: int = 18) -> list[str]:
    words, lines, line = title.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines[:3]


def render_svg(nodes: list[Node], edges: set[tuple[str, str]], link_prefix: str = "") -> str:
    """Draw the map as one line-free block of SVG markup.

    Args:
        nodes: Pages in a fixed order (their order decides their position).
        edges: ``(from_path, to_path)`` links between nodes; both directions
            of a pair draw one line.
        link_prefix: Prefix for node links, relative to the page the map is on.

    Returns:
        ``<div class="curate-map">…</div>`` with no blank lines inside, so
        Python-Markdown keeps it as one raw HTML block. Only the first
        :data:`MAX_NODES` nodes are drawn.
    """
    nodes = nodes[:MAX_NODES]
    index = {n.path: i for i, n in enumerate(nodes)}
    cx, cy = WIDTH / 2, HEIGHT / 2
    pos = []
    for i, _ in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(nodes))
        pos.append((round(cx + RADIUS * 1.6 * math.cos(angle), 1), round(cy + RADIUS * math.sin(angle), 1)))
    parts = [
        f'<div class="curate-map"><svg viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="group" '
        f'aria-labelledby="curate-map-title" xmlns="http://www.w3.org/2000/svg" '
        f'xmlns:xlink="http://www.w3.org/1999/xlink">',
        '<title id="curate-map-title">Knowledge map: the explainer pages and the links between them</title>',
    ]
    drawn = set()
    segments = []
    for a, b in sorted(edges):
        if a not in index or b not in index or a == b:
            continue
        key = tuple(sorted((a, b)))
        if key in drawn:
            continue
        drawn.add(key)
        segments.append((pos[index[a]], pos[index[b]]))
    if len(segments) <= MAX_LINES:
        for (x1, y1), (x2, y2) in segments:
            parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" class="curate-map-edge"/>')
    else:  # a dense map: one path of all its lines, about a quarter of the bytes of <line> elements
        d = "".join(f"M{x1:g} {y1:g}L{x2:g} {y2:g}" for (x1, y1), (x2, y2) in segments)
        parts.append(f'<path d="{d}" fill="none" class="curate-map-edge"/>')
    for i, node in enumerate(nodes):
        x, y = pos[i]
        label = html.escape(node.title, quote=True)
        lines = _wrap(node.title)
        # xlink:href, not href: Material's instant navigation rewrites every a[href] by assigning
        # el.href, which throws on an SVG <a> (its href is read-only); browsers follow either.
        parts.append(f'<a xlink:href="{html.escape(link_prefix + node.path, quote=True)}" aria-label="{label}" '
                     f'class="curate-map-node">')
        parts.append(f'<circle cx="{x}" cy="{y}" r="12"/>')
        for k, text in enumerate(lines):
            ty = round(y + 28 + k * 16, 1)
            parts.append(f'<text x="{x}" y="{ty}" text-anchor="middle">{html.escape(text)}</text>')
        parts.append("</a>")
    parts.append("</svg></div>")
    return "".join(parts)
