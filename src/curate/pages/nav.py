"""The MkDocs nav of the generated pages."""

from __future__ import annotations

from ..model import Project, Source
from .common import GLOSSARY, HOME, NAV_MAX, SOURCES_INDEX, TAGS, explainer_sections

SECTIONS_MAX = 12  # sections side by side in the navigation before they are put in sections


def nav(project: Project, shown_sources: list[Source], months: list | None = None,
        letters: list[tuple[str, str]] | None = None, tags: list[tuple[str, str]] | None = None) -> list:
    """The MkDocs nav of the generated pages.

    A small site gets one navigation section per ``group`` and every source under Reference.
    A large one keeps every level short, so each page carries only its own part of the nav
    (``navigation.prune``): groups become sections inside one "Explainers" section, a group
    longer than :data:`NAV_MAX` is split into runs, and sources are reached by year and month
    of publication through each month's page of sources. The sources themselves are not
    listed a second time in the nav (every page would carry its month's list; ``mkdocs.yml``
    names them in ``not_in_nav``).
    """
    nav: list = [{"Home": HOME}]
    sections = explainer_sections(project)
    entries = [{label: [{p.title: p.docs_path} for p in pages]} for label, pages in sections]
    if len(project.pages) <= NAV_MAX and len(sections) <= SECTIONS_MAX:
        nav.extend(entries)
    else:
        nav.append({project.site.explainers_group: nested(entries)})
    sources: list
    if not months:
        sources = [{"Sources": SOURCES_INDEX}] + [{s.title: s.docs_path} for s in shown_sources]
    else:
        years: dict[str, list] = {}
        for (year, _), label, path, _sources in months:
            years.setdefault(str(year) if year else "Date unknown", []).append({label: path})
        sources = [{"Sources": SOURCES_INDEX}] + (
            [{y: nested(ms)} for y, ms in years.items()] if len(months) > SECTIONS_MAX and len(years) > 1
            else [m for ms in years.values() for m in ms])
    glossary = ([{"Glossary": [GLOSSARY] + nested([{k: v} for k, v in letters], NAV_MAX)}] if letters
                else [{"Glossary": GLOSSARY}])
    tag_nav = [{"Tags": [TAGS] + nested([{k: v} for k, v in tags], NAV_MAX)}] if tags else [{"Tags": TAGS}]
    nav.append({"Reference": glossary + tag_nav + [{"Sources": sources}]})
    return nav


def nested(entries: list[dict], limit: int = SECTIONS_MAX) -> list[dict]:
    """Nav entries, put in sections of at most ``limit``, named after their first and last.

    Material renders every section beside the reader's own (pruned to a link) and loops over
    each one's entries, so a page's share of the nav, and the time to render it, grows with
    the number of sections side by side; nesting keeps both small.
    """
    while len(entries) > limit:
        runs = -(-len(entries) // limit)
        size = -(-len(entries) // runs)
        entries = [{f"{next(iter(run[0]))} – {next(iter(run[-1]))}": run}
                   for run in (entries[i:i + size] for i in range(0, len(entries), size))]
    return entries
