"""Paths, front matter and list helpers that several page kinds use."""

from __future__ import annotations

from .. import render
from ..mkdocs_config import html_text
from .base import LinkIndex

HOME = "index.md"
GLOSSARY = "glossary.md"
TAGS = "tags.md"
SOURCES_INDEX = "sources/index.md"
SOURCES_BY_DATE = "sources/by-date"
GLOSSARY_DIR = "glossary"
TAGS_DIR = "tags"
# Size limits, so no page grows with the size of the site (a small site is not affected):
LIST_MAX = 60      # pages or sources listed in full on the home page and the sources index
BACKLINKS_MAX = 20  # "Pages that link here" entries shown on a page


def front_matter(title: str, description: str, edit: str, inputs: list[str], **extra: object) -> dict:
    """A generated page's front matter: title, description (both :func:`html_text`), ``extra`` keys
    that are set, then ``curate``."""
    fm: dict = {"title": html_text(title), "description": html_text(description)}
    fm.update({k: v for k, v in extra.items() if v not in (None, [], "")})
    fm["curate"] = {"generated": True, "edit": edit, "inputs": inputs}
    return fm


def first_pages(paths: list[str], limit: int, preferred: set[str]) -> tuple[list[str], int]:
    """At most ``limit`` of ``paths`` (``preferred`` ones first, else in order) and how many are left out."""
    if len(paths) <= limit:
        return paths, 0
    ranked = sorted(range(len(paths)), key=lambda i: (paths[i] not in preferred, i))[:limit]
    return [paths[i] for i in sorted(ranked)], len(paths) - limit


def backlinks_tail(path: str, index: LinkIndex, preferred: set[str], leave_out: frozenset[str] | set[str] = frozenset(),
                   preview: frozenset[str] = frozenset()) -> str:
    """"Pages that link here" with each link's sentence (prose links only), or ``''``.

    Args:
        path: ``docs/``-relative path of the page.
        index: Every page's links.
        preferred: Pages shown first when the list is cut short.
        leave_out: Pages the page already lists (its "Related pages"), not repeated here.
        preview: Pages whose links show a preview on hover (:func:`render.bullet_links`).
    """
    incoming = {src: s for src, s in index.incoming.get(path, {}).items() if src not in leave_out}
    if not incoming:
        return ""
    order = sorted(incoming, key=lambda src: (src != HOME, src))
    shown, more = first_pages(order, BACKLINKS_MAX, preferred)
    def context(src: str) -> str:
        draft = index.drafts.get(src)
        return render.sentence_markdown(incoming[src], draft.insertions if draft is not None else frozenset())

    items = [(src, index.titles.get(src, src), f"“{context(src)}”" if incoming[src] else "") for src in shown]
    return (render.heading(2, "Pages that link here", searched=False) + "\n\n"
            + render.bullet_links(path, items, preview)
            + (f"\n\n…and {more:,} more pages." if more else ""))


NAV_MAX = 50       # pages at one level of the navigation before they are split into sections


def chunks(label: str, items: list) -> list[tuple[str, list]]:
    """``items`` in runs of at most :data:`NAV_MAX`, labelled ``label (1–50)``, ``label (51–100)``…"""
    if len(items) <= NAV_MAX:
        return [(label, items)]
    return [(f"{label} ({i + 1:,}–{min(i + NAV_MAX, len(items)):,})", items[i:i + NAV_MAX])
            for i in range(0, len(items), NAV_MAX)]


def explainer_sections(project: Project) -> list[tuple[str, list[PageSpec]]]:
    """Explainer pages by ``group`` (in curation order), a long group split into runs."""
    groups: dict[str, list] = {}
    for p in project.pages:
        groups.setdefault(p.group or project.site.explainers_group, []).append(p)
    return [chunk for name, pages in groups.items() for chunk in chunks(name, pages)]


def shown_sources(project: Project) -> list[Source]:
    """Sources that make a page (those with text), sorted by id."""
    return [s for s in project.sources if s.sections]


def month_key(source: Source) -> tuple[int, int]:
    d = source.meta.published
    return (d.year, d.month) if d else (0, 0)


def sources_by_month(sources: list[Source]) -> list[tuple[tuple[int, int], str, str, list[Source]]]:
    """``((year, month), label, page path, sources)`` per month of publication, oldest first, undated last."""
    import datetime as _dt

    months: dict[tuple[int, int], list] = {}
    for s in sources:
        months.setdefault(month_key(s), []).append(s)
    out = []
    for (year, month), ss in sorted(months.items(), key=lambda kv: (kv[0] == (0, 0), kv[0])):
        if not year:
            label, slug = "date unknown", "undated"
        elif not month:
            label, slug = f"{year} (month unknown)", f"{year}"
        else:
            label, slug = _dt.date(year, month, 1).strftime("%B %Y"), f"{year}-{month:02d}"
        out.append(((year, month), label, f"{SOURCES_BY_DATE}/{slug}/index.md", ss))
    return out


def date_span(sources: list[Source]) -> str:
    """``published in August 2024`` or ``published from … to …``."""
    dated = sorted((s.meta.published for s in sources if s.meta.published), key=lambda d: d.first_day())
    if not dated:
        return "none of them dated"
    first, last = dated[0].human(), dated[-1].human()
    return f"published in {first}" if first == last else f"published from {first} to {last}"


from ..model import PageSpec, Project, Source  # noqa: E402  (types for the annotations above)
