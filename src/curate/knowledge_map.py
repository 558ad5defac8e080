"""The knowledge map: the explainers and how much they share, drawn at build time.

The map is an arc diagram: one row per explainer, in navigation order, and an arc
between two rows when the pages share glossary terms or tags, thicker the more they
share (:func:`connections`). A map that would join every page to every other with the
same weight says nothing, and is left out (:func:`informative`).

No script runs in the browser. The map is a block of Markdown (``md_in_html``): a
list of ordinary Markdown links, one per page, and beside it an SVG that draws the
arcs, hidden from assistive technology. Because the links are Markdown links to
``.md`` files, every renderer (MkDocs, Zensical) turns them into page URLs as it does
any link, and a screen reader meets a list of links named by the pages' titles. The
rows have a fixed height in ``curate.css`` and the drawing stretches to the list's
height (``preserveAspectRatio="none"``, strokes that do not scale), so the arcs meet
their rows at any width: the map is as wide as its longest title and no wider, and
fits a phone's screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .linking import escape

MAX_NODES = 24      # rows drawn; a larger site's map shows its first pages
NEIGHBOURS = 3      # arcs kept per page, its strongest: a map has at most NEIGHBOURS * MAX_NODES arcs
ROW = 10            # height of a row, in drawing units; the drawing is 100 units wide
STROKES = (1.5, 3, 4.5, 6)  # stroke widths in CSS pixels: the thinnest, the one for a single weight, …, the thickest


@dataclass(frozen=True)
class Node:
    """A page on the map.

    Attributes:
        path: ``docs/``-relative path.
        title: Its label.
        terms: Glossary terms it lists or mentions.
        tags: Its tags.
    """

    path: str
    title: str
    terms: frozenset[str] = field(default_factory=frozenset)
    tags: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Connection:
    """Two pages and what they share.

    Attributes:
        a: Index of the earlier page in the map's order.
        b: Index of the later page.
        terms: Shared glossary terms, sorted.
        tags: Shared tags, sorted.
    """

    a: int
    b: int
    terms: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def weight(self) -> int:
        """How much the pages share: one for each shared term and each shared tag."""
        return len(self.terms) + len(self.tags)


def connections(nodes: list[Node], neighbours: int = NEIGHBOURS) -> list[Connection]:
    """The connections the map draws: each page's ``neighbours`` strongest, sorted by ``(a, b)``.

    A pair is kept when it is among the strongest of either page (heavier first, then
    the nearer page in map order); pairs sharing nothing are never kept. A term or tag
    that every page has (of three or more) joins every pair alike and tells nothing, so it
    is not counted.
    """
    everywhere_terms: frozenset[str] = frozenset()
    everywhere_tags: frozenset[str] = frozenset()
    if len(nodes) >= 3:
        everywhere_terms = frozenset.intersection(*(n.terms for n in nodes))
        everywhere_tags = frozenset.intersection(*(n.tags for n in nodes))
    pairs: dict[tuple[int, int], Connection] = {}
    per_node: list[list[Connection]] = [[] for _ in nodes]
    for i, x in enumerate(nodes):
        for j in range(i + 1, len(nodes)):
            y = nodes[j]
            c = Connection(i, j, tuple(sorted((x.terms & y.terms) - everywhere_terms)),
                           tuple(sorted((x.tags & y.tags) - everywhere_tags)))
            if c.weight:
                per_node[i].append(c)
                per_node[j].append(c)
    for i, cs in enumerate(per_node):
        for c in sorted(cs, key=lambda c: (-c.weight, abs(c.b - c.a), c.a + c.b - i))[:neighbours]:
            pairs[(c.a, c.b)] = c
    return [pairs[k] for k in sorted(pairs)]


def informative(nodes: list[Node], drawn: list[Connection]) -> bool:
    """Whether the map says something: some arc, and not every pair joined with one weight."""
    if not drawn:
        return False
    n = len(nodes)
    complete = len(drawn) == n * (n - 1) // 2
    return not (complete and len({c.weight for c in drawn}) == 1)


def render_map(nodes: list[Node], link: Callable[[str], str]) -> str:
    """The whole map as a Markdown block, or ``''`` when it would say nothing (:func:`informative`).

    Args:
        nodes: Pages in a fixed order (their order is the rows'); only the first
            :data:`MAX_NODES` are drawn.
        link: A node's Markdown link target from the page the map is on.

    Returns:
        ``<div class="curate-map" markdown>…</div>``: the drawing (:func:`render_svg`),
        then one ``[title](target){ .curate-map-node }`` list item per page.
    """
    nodes = nodes[:MAX_NODES]
    drawn = connections(nodes)
    if not informative(nodes, drawn):
        return ""
    items = [f"- [{escape(node.title)}]({link(node.path)}){{ .curate-map-node }}" for node in nodes]
    return ('<div class="curate-map" markdown>\n'
            f'<div class="curate-map-drawing">{render_svg(nodes, drawn)}</div>\n\n'
            + "\n".join(items) + "\n\n</div>")


def stroke(weight: int, weights: list[int]) -> float:
    """Stroke width of an arc, in CSS pixels: the distinct weights drawn, lightest to heaviest,
    spread evenly from the first of :data:`STROKES` to the last, so a heavier arc is always
    thicker (one weight alone is drawn at the second width)."""
    distinct = sorted(set(weights))
    if len(distinct) == 1:
        return STROKES[1]
    rank = distinct.index(weight)
    return round(STROKES[0] + (STROKES[-1] - STROKES[0]) * rank / (len(distinct) - 1), 2)


def render_svg(nodes: list[Node], drawn: list[Connection]) -> str:
    """Draw the arcs as one line-free block of SVG markup, hidden from assistive technology.

    Row ``i``'s centre is at ``y = (i + 0.5) * ROW``; an arc leaves the right edge (next
    to its rows' labels) and bulges left in proportion to the rows it spans. Each arc
    holds a ``<title>`` (a tooltip) naming what the two pages share.

    Args:
        nodes: The map's pages, in row order.
        drawn: The connections to draw (:func:`connections`).

    Returns:
        ``<svg …>…</svg>``; the pages' names and links are :func:`render_map`'s list.
    """
    height = len(nodes) * ROW
    span = max(1, len(nodes) - 1)
    weights = [c.weight for c in drawn]
    parts = [f'<svg viewBox="0 0 100 {height}" preserveAspectRatio="none" aria-hidden="true" focusable="false" '
             'xmlns="http://www.w3.org/2000/svg">']
    for c in drawn:
        y1, y2 = (c.a + 0.5) * ROW, (c.b + 0.5) * ROW
        # The apex of this cubic is 3/4 of the way to its control points: at x = 100 - 92 * share of rows spanned.
        control = round(100 - 92 * (c.b - c.a) / span / 0.75, 2)
        shared = "; ".join(part for part in (("terms: " + ", ".join(c.terms)) if c.terms else "",
                                              ("tags: " + ", ".join(c.tags)) if c.tags else "") if part)
        title = escape_xml(f"{nodes[c.a].title} and {nodes[c.b].title} share {c.weight}: {shared}")
        parts.append(f'<path d="M100 {y1:g}C{control:g} {y1:g} {control:g} {y2:g} 100 {y2:g}" class="curate-map-edge" '
                     f'style="stroke-width: {stroke(c.weight, weights):g}px"><title>{title}</title></path>')
    parts.append("</svg>")
    return "".join(parts)


def escape_xml(text: str) -> str:
    """Text for an SVG element's content: ``&``, ``<`` and ``>`` as references, on one line."""
    return " ".join(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").split())
