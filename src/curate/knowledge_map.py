"""The knowledge map: a drawing of pages and their cross-links, made at build time.

No script runs in the browser. The map is a block of Markdown (``md_in_html``):
an SVG that draws the lines and circles, hidden from assistive technology, and
over it a list of ordinary Markdown links, one per page, each placed under its
circle with an inline ``left``/``top`` in percent of the drawing. Because the
links are Markdown links to ``.md`` files, every renderer (MkDocs, Zensical)
turns them into page URLs as it does any link, with or without directory URLs,
and a screen reader meets a list of links with the pages' titles.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .linking import escape

WIDTH = 720
HEIGHT = 440
RADIUS = 150
MAX_NODES = 60
MAX_LINES = 100  # more lines than this are drawn as one <path>
NODE_RADIUS = 12


@dataclass(frozen=True)
class Node:
    """A page on the map: ``path`` is ``docs/``-relative, ``title`` its label."""

    path: str
    title: str


def positions(count: int) -> list[tuple[float, float]]:
    """Where ``count`` nodes go on the drawing (an ellipse, the first at the top), in drawing units."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    out = []
    for i in range(count):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, count)
        out.append((round(cx + RADIUS * 1.6 * math.cos(angle), 1), round(cy + RADIUS * math.sin(angle), 1)))
    return out


def render_map(nodes: list[Node], edges: set[tuple[str, str]], link: Callable[[str], str]) -> str:
    """The whole map as a Markdown block: the drawing and a list of links placed on it.

    Args:
        nodes: Pages in a fixed order (their order decides their position); only the
            first :data:`MAX_NODES` are drawn.
        edges: ``(from_path, to_path)`` links between nodes (see :func:`render_svg`).
        link: A node's Markdown link target from the page the map is on.

    Returns:
        ``<div class="curate-map" markdown>…</div>``: each link is
        ``[title](target){ .curate-map-node style="left: x%; top: y%" }``, its box
        starting at the top of its circle (``padding-top`` in ``curate.css`` is the
        circle's height, as a share of the drawing's width).
    """
    nodes = nodes[:MAX_NODES]
    items = []
    for node, (x, y) in zip(nodes, positions(len(nodes)), strict=True):
        left = f"{x / WIDTH * 100:.2f}".rstrip("0").rstrip(".")
        top = f"{(y - NODE_RADIUS) / HEIGHT * 100:.2f}".rstrip("0").rstrip(".")
        items.append(f'- [{escape(node.title)}]({link(node.path)}){{ .curate-map-node style="left: {left}%; '
                     f'top: {top}%" }}')
    return ('<div class="curate-map" markdown>\n<div class="curate-map-canvas" markdown>\n'
            f'<div class="curate-map-drawing">{render_svg(nodes, edges)}</div>\n\n'
            + "\n".join(items) + "\n\n</div>\n</div>")


def render_svg(nodes: list[Node], edges: set[tuple[str, str]]) -> str:
    """Draw the map's lines and circles as one line-free block of SVG markup, hidden from assistive technology.

    Args:
        nodes: Pages in a fixed order (their order decides their position).
        edges: ``(from_path, to_path)`` links between nodes; both directions
            of a pair draw one line.

    Returns:
        ``<svg …>…</svg>``; the pages' names and links are :func:`render_map`'s list.
        Only the first :data:`MAX_NODES` nodes are drawn.
    """
    nodes = nodes[:MAX_NODES]
    index = {n.path: i for i, n in enumerate(nodes)}
    pos = positions(len(nodes))
    svg = (f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" aria-hidden="true" focusable="false" '
           'xmlns="http://www.w3.org/2000/svg">')
    parts = [svg]
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
    for x, y in pos:
        parts.append(f'<circle cx="{x}" cy="{y}" r="{NODE_RADIUS}" class="curate-map-dot"/>')
    parts.append("</svg>")
    return "".join(parts)
