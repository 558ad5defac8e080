"""The home page: the site's intro, its pages, a knowledge map and its sources."""

from __future__ import annotations

from .. import render
from ..citations import cited_sources
from ..knowledge_map import Node, render_map
from ..linking import escape, relative_link
from .base import Builder, DraftCache, LinkIndex, PageKind, Site, digest
from .common import (
    HOME,
    LIST_MAX,
    SOURCES_INDEX,
    backlinks_tail,
    date_span,
    explainer_sections,
    front_matter,
    shown_sources,
)


class HomeBuilder(Builder):
    """``docs/index.md``.

    Reads: the site settings and intro, every page's title, description, terms
    and tags, the glossary terms each explainer mentions, and every source's title and date.
    """

    kind = PageKind.HOME
    reserved = (HOME,)

    def draft(self, site: Site, cache: DraftCache) -> list[render.PageDraft]:
        project = site.project
        intro = project.intros.get(project.site.intro_rel, "")
        key = digest("home", project.site, intro,
                     [(s.meta.published, s.meta.published_estimated) for s in project.sources], site.linker_key,
                     [site.source_keys[sid] for sid in cited_sources(intro) if sid in site.source_keys])
        hd = cache.get(key)
        if hd is None:
            hd = self._draft(site)
            cache.put(key, hd)
        return [hd]

    def _draft(self, site: Site) -> render.PageDraft:
        project = site.project
        inputs = ["content_sources/curation.yml", project.site.intro_rel]
        fm = front_matter(project.site.title, project.site.description, project.site.intro_rel, inputs,
                          search={"boost": 1})
        # Material titles a page "<front matter title> - <site name>", but the home page without
        # one just "<site name>": the browser tab would otherwise read the site's name twice.
        # The page keeps its title as its heading.
        del fm["title"]
        hd = render.PageDraft(HOME, project.site.title, self.kind, fm, project.site.intro_rel, inputs,
                              project.site.description)
        hd.head.append(render.heading(1, project.site.title))
        hd.head.append(f"**{escape(project.site.description)}**")
        hd.head.append(render.not_searched(render.based_on_line(project.sources)))
        intro = project.intros.get(project.site.intro_rel, "").strip()
        if intro:
            refs: dict[str, render.Reference] = {}
            cited_intro, marks = render.cite_editor_text(intro, site.sources, refs)
            hd.prose.append(cited_intro)
            hd.link_prose(site.linker)
            hd.prose[0] = render.put_marks(hd.prose[0], marks)  # after linking: marks are not prose
            references = render.references_section(HOME, list(refs.values()))
            hd.references = [references] if references else []
        return hd

    def finish(self, site: Site, index: LinkIndex, drafts: list[render.PageDraft]) -> list[render.PageDraft]:
        project = site.project
        explainer_paths = {p.docs_path for p in project.pages}
        for hd in drafts:
            hd.tail = []
            if project.pages and len(project.pages) <= LIST_MAX:
                hd.tail.append(render.heading(2, "Pages", searched=False) + "\n\n" + render.bullet_links(
                    HOME, [(p.docs_path, p.title, escape(p.description)) for p in project.pages]))
            elif project.pages:  # a large site: one line per navigation section instead of every page
                sections = explainer_sections(project)
                hd.tail.append(render.heading(2, "Pages", searched=False)
                               + f"\n\n{len(project.pages):,} pages in {len(sections):,} sections of the "
                               "navigation; each line leads to the first page of a section.\n\n" + render.bullet_links(
                                   HOME, [(ps[0].docs_path, label, f"{len(ps):,} pages") for label, ps in sections]))
            nodes = [Node(p.docs_path, p.title, frozenset(p.terms) | frozenset(index.mentions.get(p.docs_path, ())),
                          frozenset(p.tags)) for p in project.pages]
            knowledge_map = render_map(nodes, lambda path: relative_link(HOME, path))
            if knowledge_map:  # left out when it would join every page to every other alike
                hd.tail.append(render.heading(2, "Knowledge map", searched=False) + "\n\nEach row is an explainer; "
                               "an arc joins two that share glossary terms or tags (those every explainer has "
                               "aside), and the more they share, the thicker the arc.\n\n" + knowledge_map)
            shown = shown_sources(project)
            if shown and len(shown) <= LIST_MAX:
                hd.tail.append(render.heading(2, "Sources", searched=False) + "\n\n" + render.bullet_links(
                    HOME, [(s.docs_path, s.title, s.meta.date_text()) for s in shown]))
            elif shown:
                hd.tail.append(render.heading(2, "Sources", searched=False)
                               + f"\n\n{len(shown):,} articles, {date_span(shown)}, listed by "
                               f"month of publication on the [Sources]({SOURCES_INDEX}) page.")
            hd.tail.append(backlinks_tail(HOME, index, explainer_paths | {HOME}))
        return []
