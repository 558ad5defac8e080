"""Explainer pages: an editor's intro, then the source passages that feed the page, cited."""

from __future__ import annotations

from .. import render
from ..linking import escape
from ..model import PageSpec, Source
from ..quotes import QuoteUse, editor_quotes, find_quotes
from .base import Builder, DraftCache, LinkIndex, PageKind, Site, digest
from .common import HOME, backlinks_tail, front_matter

#: Related pages shown when the curation file lists none.
MAX_RELATED = 3


def sources_of(site: Site, spec: PageSpec) -> list[Source]:
    """The sources feeding a page, in the order the curation file first names them."""
    seen: set[str] = set()
    out = []
    for ref in spec.sections:
        if ref.source not in seen and ref.source in site.sources:
            seen.add(ref.source)
            out.append(site.sources[ref.source])
    return out


class ExplainerBuilder(Builder):
    """``docs/<page id>.md`` for each page in ``content_sources/curation.yml``.

    Reads: the page's curation entry, its intro, the sections it names, and the
    glossary (for links). Its draft is cached under :meth:`draft_key`.
    """

    kind = PageKind.EXPLAINER

    def draft_key(self, site: Site, spec: PageSpec) -> str:
        """Digest of every input of the page's draft."""
        return digest("explainer", spec, site.project.intros.get(spec.intro_rel, ""),
                      [site.source_keys[s.id] for s in sources_of(site, spec)], site.linker_key)

    def draft(self, site: Site, cache: DraftCache) -> list[render.PageDraft]:
        quotes_of: dict[str, list] = {}  # source id → its quotations, found once per build
        drafts = []
        for spec in site.project.pages:
            key = self.draft_key(site, spec)
            d = cache.get(key)
            if d is None:
                d = self._draft(site, spec, quotes_of)
                cache.put(key, d)
            drafts.append(d)
        return drafts

    def _draft(self, site: Site, spec: PageSpec, quotes_of: dict[str, list]) -> render.PageDraft:
        page_sources = sources_of(site, spec)
        inputs = ["content_sources/curation.yml", spec.intro_rel] + [s.path_rel for s in page_sources]
        fm = front_matter(spec.title, spec.description, spec.intro_rel, inputs, tags=spec.tags,
                          reviewed=render.date_iso(spec.reviewed), review_by=render.date_iso(spec.review_by),
                          search={"boost": 2})
        d = render.PageDraft(spec.docs_path, spec.title, self.kind, fm, spec.intro_rel, inputs, spec.description)
        d.head.append(render.heading(1, spec.title))
        d.head.append(f"**{escape(spec.description)}**")
        review = render.review_line(spec)
        d.head.append(render.not_searched(render.based_on_line(page_sources) + ("  \n" + review if review else "")))
        intro = site.project.intros.get(spec.intro_rel, "").strip()
        if intro:
            d.prose.append(intro)
            for q in editor_quotes(intro):
                d.quote_uses.append(QuoteUse(spec.docs_path, q, tuple(s.id for s in page_sources)))
        footnote_of: dict[str, str] = {}
        passages_md = []
        for ref in spec.sections:
            source = site.sources[ref.source]
            section = source.section(ref.section)
            if section is None:
                continue
            for passage in section.passages:
                label = f"[^{len(d.footnotes) + 1}]"
                footnote_of[passage.anchor + "@" + source.id] = label
                d.footnotes.append(f"{label}: " + render.citation(spec.docs_path, source, section, passage))
                text = render.passage_markdown(passage, source.meta, d.warnings,
                                               f"{spec.docs_path} ({passage.anchor})", site.passage_cache)
                passages_md.append(text + label)
        if passages_md:
            d.prose.append(render.heading(2, "From the reporting"))
            d.prose.extend(passages_md)
        quotes = []
        for s in page_sources:
            wanted = {r.section for r in spec.sections if r.source == s.id}
            if s.id not in quotes_of:
                quotes_of[s.id] = find_quotes(s)
            quotes += [q for q in quotes_of[s.id] if q.section_id in wanted]
        d.quotes = [(q, footnote_of.get(q.passage_anchor + "@" + q.source_id, "")) for q in quotes]
        d.quote_uses += [QuoteUse(spec.docs_path, q.text, (q.source_id,)) for q in quotes]
        d.link_prose(site.linker)
        d.verify_quotes(site.sources)
        d.front_matter_text()
        return d

    def finish(self, site: Site, index: LinkIndex, drafts: list[render.PageDraft]) -> list[render.PageDraft]:
        from .related import computed_related

        pages = site.project.pages
        explainer_paths = {p.docs_path for p in pages}
        computed = computed_related(pages, index.mentions, MAX_RELATED)
        for spec, d in zip(pages, drafts):
            d.tail = []
            if d.quotes:
                d.tail.append(render.heading(2, "In their own words", searched=False) + "\n\n" + "\n\n".join(render.quote_markdown(q, f)
                                                                         for q, f in d.quotes))
            related = spec.related or computed[spec.id]
            d.tail.append(render.heading(2, "Related pages", searched=False) + "\n\n" + render.bullet_links(
                d.path, [(site.pages[r].docs_path, site.pages[r].title, escape(site.pages[r].description))
                         for r in related]) if related else "")
            d.tail.append(backlinks_tail(d.path, index, explainer_paths | {HOME}))
        return []
