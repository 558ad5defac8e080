"""Explainer pages: an editor's intro, then the source passages that feed the page, cited."""

from __future__ import annotations

from dataclasses import dataclass

from .. import duplicates, render
from ..citations import cited_sources
from ..linking import escape
from ..model import PageSpec, Passage, PassageKind, Section, Source
from ..quotes import Quote, QuoteUse, editor_quotes, find_quotes, normalize
from .base import Builder, DraftCache, LinkIndex, PageKind, Site, digest
from .common import HOME, backlinks_tail, front_matter

#: Related pages shown when the curation file lists none.
MAX_RELATED = 3


def sources_of(site: Site, spec: PageSpec) -> list[Source]:
    """The sources feeding a page, in page order (see :attr:`PageSpec.order`).

    By date: oldest first, undated last, sources of one date in the order the curation
    file first names them. By curation: that order.
    """
    seen: set[str] = set()
    out = []
    for ref in spec.sections:
        if ref.source not in seen and ref.source in site.sources:
            seen.add(ref.source)
            out.append(site.sources[ref.source])
    if spec.order == "date":
        out.sort(key=_date_key)  # stable: one date keeps the curation order
    return out


def _date_key(source: Source) -> tuple:
    d = source.meta.published
    return (0, d.first_day()) if d is not None else (1,)


def own_words(quotes: list[Quote], shown: list[str]) -> list[Quote]:
    """The quotations "In their own words" shows: what the page does not already show.

    Args:
        quotes: Attributed quotations of the page's sections, in page order.
        shown: Plain text the page already shows (its intro, its passages).

    Returns:
        Whole sentences (:attr:`Quote.complete`) only, each once (a quotation two sources
        report is kept under the first), and none that ``shown`` holds word for word
        (whitespace aside); ``[]`` leaves the section out.
    """
    seen = [normalize(text) for text in shown]
    out: list[Quote] = []
    said: set[str] = set()
    for q in quotes:
        words = normalize(q.text)
        if q.complete and words not in said and not any(words in text for text in seen):
            out.append(q)
        said.add(words)
    return out


@dataclass
class _Shown:
    """A passage shown on the page, and every source passage it stands for (its own first)."""

    source: Source
    section: Section
    passage: Passage
    words: list[str]
    cites: list[tuple[Source, Section, Passage]]


def chosen_anchors(source: Source, spec: PageSpec) -> set[str]:
    """Anchors of the passages of ``source`` that the page's ``sections`` choose."""
    out: set[str] = set()
    for ref in spec.sections:
        section = source.section(ref.section) if ref.source == source.id else None
        if section is not None:
            out.update(p.anchor for n, p in enumerate(section.passages, 1) if ref.chooses(n))
    return out


def shown_passages(site: Site, spec: PageSpec, page_sources: list[Source]) -> list[tuple[Source, list[_Shown]]]:
    """Each source (in page order) with the passages shown under it.

    A passage that says what a passage of an earlier source already shown says
    (:func:`curate.duplicates.same_passage`) is not shown again: the earlier one
    cites both sources. A source's sections come in the order ``sections`` names them,
    each with the paragraphs its entry chooses (:meth:`SectionRef.chooses`).
    """
    groups: list[tuple[Source, list[_Shown]]] = []
    shown: list[_Shown] = []
    for source in page_sources:
        items: list[_Shown] = []
        for ref in spec.sections:
            section = source.section(ref.section) if ref.source == source.id else None
            if section is None:
                continue
            for number, passage in enumerate(section.passages, 1):
                if not ref.chooses(number):
                    continue  # left out in curation.yml; the others keep their numbers in citations
                w = duplicates.words(passage.text)
                twin = next((x for x in shown if x.source is not source and
                             all(c[0] is not source for c in x.cites) and duplicates.same_passage(x.words, w)),
                            None)
                if twin is not None:
                    twin.cites.append((source, section, passage))
                    continue
                items.append(_Shown(source, section, passage, w, [(source, section, passage)]))
        shown += items
        groups.append((source, items))
    return groups


class ExplainerBuilder(Builder):
    """``docs/<page id>.md`` for each page in ``content_sources/curation.yml``.

    Reads: the page's curation entry, its intro, the sections it names, and the
    glossary (for links). Its draft is cached under :meth:`draft_key`.
    """

    kind = PageKind.EXPLAINER

    def draft_key(self, site: Site, spec: PageSpec) -> str:
        """Digest of every input of the page's draft.

        The spec without the lines it was written on (they only place messages), so a line
        added above a page in ``curation.yml`` remakes no draft.
        """
        intro = site.project.intros.get(spec.intro_rel, "")
        cited = [sid for sid in cited_sources(intro) if sid in site.source_keys]
        page = {k: v for k, v in vars(spec).items() if k not in ("line", "sections")}
        chosen = [(r.source, r.section, r.paragraphs) for r in spec.sections]
        return digest("explainer", page, chosen, intro, [site.source_keys[s.id] for s in sources_of(site, spec)],
                      [site.source_keys[sid] for sid in cited], site.linker_key)

    def draft(self, site: Site, cache: DraftCache) -> list[render.PageDraft]:
        quotes_of: dict[str, list] = {}  # source id → its quotations, found once per build (and process)
        work = [(self.draft_key(site, spec), spec, next((s.id for s in sources_of(site, spec)), ""))
                for spec in site.project.pages]
        return cache.draft_all(work, lambda spec: self._draft(site, spec, quotes_of))

    def _draft(self, site: Site, spec: PageSpec, quotes_of: dict[str, list]) -> render.PageDraft:
        page_sources = sources_of(site, spec)
        also_cited = [site.sources[sid] for sid in cited_sources(site.project.intros.get(spec.intro_rel, ""))
                      if sid in site.sources and site.sources[sid] not in page_sources]
        inputs = (["content_sources/curation.yml", spec.intro_rel]
                  + [s.path_rel for s in page_sources + also_cited])
        fm = front_matter(spec.title, spec.description, spec.intro_rel, inputs, tags=spec.tags,
                          reviewed=render.date_iso(spec.reviewed), review_by=render.date_iso(spec.review_by),
                          search={"boost": 2})
        d = render.PageDraft(spec.docs_path, spec.title, self.kind, fm, spec.intro_rel, inputs, spec.description)
        d.head.append(render.heading(1, spec.title))
        d.head.append(f"**{escape(spec.description)}**")
        review = render.review_line(spec)
        based_on = render.sources_line(page_sources)
        head_lines = [based_on, review]
        intro = site.project.intros.get(spec.intro_rel, "").strip()
        # Numbered in reading order, one per source: those the intro cites first, then each source
        # whose passages are shown, in page order.
        refs: dict[str, render.Reference] = {}
        if intro:
            cited = tuple(s.id for s in also_cited)
            cited_intro, intro_marks = render.cite_editor_text(intro, site.sources, refs)
            d.prose.append(cited_intro)
            for q in editor_quotes(intro):
                d.quote_uses.append(QuoteUse(spec.docs_path, q, tuple(s.id for s in page_sources) + cited))
        groups = shown_passages(site, spec, page_sources)
        for source, _ in groups:
            if source.id not in refs and any(c[0] is source for _, items in groups for x in items for c in x.cites):
                refs[source.id] = render.Reference(len(refs) + 1, source)
        mark_of: dict[str, str] = {}  # passage anchor@source id → the mark of its reference, for quotations
        if any(items for _, items in groups):
            d.prose.append(render.heading(2, "From the reporting"))
        for source, items in groups:
            if not items:
                continue  # every passage of this source is shown, citing it, under an earlier source
            # Not prose: the linker must not touch it, and a source's title is no mention of a term.
            d.prose_headings[len(d.prose)] = render.group_heading(source, page_sources)
            for x in items:
                text = render.passage_markdown(x.passage, x.source.meta, d.warnings,
                                               f"{spec.docs_path} ({x.passage.anchor})", site.passage_cache)
                cites = ""
                for s, section, passage in x.cites:
                    ref = refs[s.id]
                    cites += render.citation_mark(ref, ref.cite(section, passage))
                    mark_of.setdefault(passage.anchor + "@" + s.id, render.citation_mark(ref))
                d.prose_marks[len(d.prose)] = cites  # HTML, outside the prose the linker reads
                if x.passage.kind is PassageKind.CAPTION:
                    d.prose_captions.add(len(d.prose))
                d.prose.append(text)
        head_lines.append(render.insertion_note(d.prose))
        d.head.append(render.not_searched("  \n".join(line for line in head_lines if line)))
        quotes = []
        for s in page_sources:
            wanted = chosen_anchors(s, spec)
            if s.id not in quotes_of:
                quotes_of[s.id] = find_quotes(s)
            quotes += [q for q in quotes_of[s.id] if q.passage_anchor in wanted]
        quotes = own_words(quotes, [intro] + [x.passage.text for _, items in groups for x in items])
        d.quotes = [(q, mark_of.get(q.passage_anchor + "@" + q.source_id, "")) for q in quotes]
        d.quote_uses += [QuoteUse(spec.docs_path, q.text, (q.source_id,)) for q in quotes]
        d.link_prose(site.linker)
        if intro:
            d.prose[0] = render.put_marks(d.prose[0], intro_marks)  # after linking: marks are not prose
        references = render.references_section(spec.docs_path, list(refs.values()))
        d.references = [references] if references else []
        d.verify_quotes(site.sources)
        d.front_matter_text()
        return d

    def finish(self, site: Site, index: LinkIndex, drafts: list[render.PageDraft]) -> list[render.PageDraft]:
        from .related import computed_related

        pages = site.project.pages
        explainer_paths = {p.docs_path for p in pages}
        source_paths = {s.docs_path for s in site.project.sources}
        computed = computed_related(pages, index.mentions, MAX_RELATED)
        for spec, d in zip(pages, drafts, strict=True):
            d.tail = []
            if d.quotes:
                d.tail.append(render.heading(2, "In their own words", searched=False) + "\n\n"
                              + "\n\n".join(render.quote_markdown(q, f) for q, f in d.quotes))
            related = spec.related or computed[spec.id]
            d.tail.append(render.heading(2, "Related pages", searched=False) + "\n\n" + render.bullet_links(
                d.path, [(site.pages[r].docs_path, site.pages[r].title, escape(site.pages[r].description))
                         for r in related], preview=frozenset(explainer_paths)) if related else "")
            # Left out of "Pages that link here": the related pages (listed just above), the sources
            # (listed under References) and the home page (which links every explainer, with the
            # same sentence on each).
            left_out = {site.pages[r].docs_path for r in related} | source_paths | {HOME}
            d.tail.append(backlinks_tail(d.path, index, explainer_paths, leave_out=left_out,
                                         preview=frozenset(explainer_paths)))
        return []
