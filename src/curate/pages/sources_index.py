"""The sources index: every source with its date, and monthly lists for a large site."""

from __future__ import annotations

import datetime as _dt

from .. import render
from ..linking import escape, relative_link
from ..model import Source
from .base import Builder, LinkIndex, PageKind, Site
from .common import LIST_MAX, SOURCES_INDEX, date_span, front_matter, shown_sources, sources_by_month

_EDIT = "content_sources/articles/"


def by_date(source: Source) -> tuple:
    """Sort key: oldest publication date first, undated last, then by id."""
    d = source.meta.published
    return (0, d.first_day(), source.id) if d is not None else (1, source.id)


def entry(source: Source) -> tuple[str, str, str]:
    """``(path, title, text)`` of a source's line: ``Publisher, Author, 5 August 2024``, each when known."""
    return source.docs_path, source.title, escape(", ".join(render.credit(source)))


class SourcesIndexBuilder(Builder):
    """``docs/sources/index.md`` (and ``docs/sources/by-date/<month>/index.md`` for a large site).

    Reads: every source's title, publisher, author and publication date. Sources are
    listed by publication date, oldest first, undated last (ties by id), on the index
    and on each month's page.
    """

    kind = PageKind.SOURCES_INDEX
    reserved = (SOURCES_INDEX, "sources/by-date/")

    def finish(self, site: Site, index: LinkIndex, drafts: list[render.PageDraft]) -> list[render.PageDraft]:
        shown = sorted(shown_sources(site.project), key=by_date)
        inputs = ([s.path_rel for s in shown] if len(shown) <= LIST_MAX else []) or [_EDIT]
        # Lists of sources are not indexed for search: each source is found by its own page.
        sd = render.PageDraft(SOURCES_INDEX, "Sources", self.kind,
                              front_matter("Sources", "The articles this site is built from, with their metadata.",
                                           _EDIT, inputs, search={"exclude": True}),
                              _EDIT, inputs)
        sd.head.append(render.heading(1, "Sources"))
        sd.head.append("The articles this site is built from, in order of publication, oldest first. Each is kept "
                       "exactly as delivered; its page shows the cleaned text, with an anchor on every section and "
                       "paragraph for citations, and the explainers built on it.")
        month_drafts: list[render.PageDraft] = []
        if shown and len(shown) <= LIST_MAX:
            sd.tail.append(render.bullet_links(SOURCES_INDEX, [entry(s) for s in shown]))
        elif shown:  # a large site: one page per month of publication, and a calendar of them here
            months = sources_by_month(shown)
            for _, label, path, ss in months:
                m_inputs = [s.path_rel for s in ss]
                md = render.PageDraft(path, f"Sources: {label}", self.kind,
                                      front_matter(f"Sources: {label}", f"The articles published in {label}.",
                                                   _EDIT, m_inputs, search={"exclude": True}),
                                      _EDIT, m_inputs)
                md.head.append(render.heading(1, f"Sources: {label}"))
                md.tail.append(render.bullet_links(path, [entry(s) for s in ss]))
                month_drafts.append(md)
            years: dict[str, list[str]] = {}
            for (year, month), label, path, ss in months:
                name = _dt.date(2000, month, 1).strftime("%B") if month else label
                years.setdefault(str(year) if year else "Date unknown", []).append(
                    f"[{escape(name)}]({relative_link(SOURCES_INDEX, path)}) ({len(ss):,})")
            sd.tail.append(f"{len(shown):,} articles, {date_span(shown)}, by month of publication:\n\n"
                           + "\n".join(f"- **{year}:** " + ", ".join(links) for year, links in years.items()))
        return [sd, *month_drafts]
