"""Source pages: a source's cleaned text, with an anchor on every section and passage."""

from __future__ import annotations

import hashlib

from .. import render
from ..model import PassageKind, Source
from .base import Builder, DraftCache, PageKind, Site, digest
from .common import front_matter


def meta_path(source: Source) -> str:
    """Project-relative path of a source's metadata file (``….meta.yml``)."""
    return source.path_rel.rsplit(".", 1)[0] + ".meta.yml"


def fed_by(site: Site) -> dict[str, list[tuple[str, str, str]]]:
    """Source id → ``(path, title, description)`` of each explainer it feeds, in curation order."""
    fed: dict[str, list[tuple[str, str, str]]] = {}
    for spec in site.project.pages:
        for sid in dict.fromkeys(ref.source for ref in spec.sections):
            fed.setdefault(sid, []).append((spec.docs_path, spec.title, spec.description))
    return fed


def source_tags(site: Site) -> dict[str, list[str]]:
    """Source id → the tags of the pages it feeds, sorted (the tags index lists it with them)."""
    tags: dict[str, set[str]] = {}
    for spec in site.project.pages:
        for ref in spec.sections:
            tags.setdefault(ref.source, set()).update(spec.tags)
    return {sid: sorted(t, key=str.casefold) for sid, t in tags.items()}


class SourceBuilder(Builder):
    """``docs/sources/<source id>.md`` for each source with text.

    Reads: the snapshot and its metadata, the glossary (for links), and the
    explainers the source feeds (listed with their titles and descriptions). Its
    draft is cached under the source's key, the glossary's and those pages'.
    """

    kind = PageKind.SOURCE
    reserved = ("sources/",)

    def draft(self, site: Site, cache: DraftCache) -> list[render.PageDraft]:
        tags = source_tags(site)
        fed = fed_by(site)
        work = []
        for source in site.project.sources:
            if not source.sections:
                continue
            page_tags = tags.get(source.id, [])
            pages = fed.get(source.id, [])
            work.append((digest("source", site.source_keys[source.id], site.linker_key, page_tags, pages),
                         (source, page_tags, pages), source.id))
        return cache.draft_all(work, lambda item: self._draft(site, *item))

    def _draft(self, site: Site, source: Source, tags: list[str], pages: list[tuple[str, str, str]]
               ) -> render.PageDraft:
        digest_ = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
        meta_rel = meta_path(source)
        inputs = [source.path_rel] + ([meta_rel] if meta_rel != source.path_rel else [])
        description = f"Source article: {source.meta.topic or source.title}"
        # A source carries the tags of the pages it feeds, so the tags index lists it with them.
        # Search leaves source pages out: every passage a page shows is indexed on that page
        # (an explainer), and a source is reached from the citations and the Sources pages.
        fm = front_matter(source.title, description, meta_rel, inputs, tags=tags, search={"exclude": True})
        d = render.PageDraft(source.docs_path, source.title, self.kind, fm, meta_rel, inputs, description)
        d.head.append(render.heading(1, source.title))
        d.head.append(render.source_metadata(source))
        d.tail.append(render.fed_pages(source.docs_path, pages))
        d.tail.append(render.editors_block(source, digest_))
        for section in source.sections:
            if section.heading:
                d.prose.append(render.heading(2, section.heading, section.id))
            for passage in section.passages:
                text = render.passage_markdown(passage, source.meta, d.warnings, f"{source.path_rel}:{passage.line}",
                                               site.passage_cache)
                if passage.kind is PassageKind.CAPTION:
                    d.prose_captions.add(len(d.prose))
                # The anchor goes after the linked prose, as an explainer's citation marks do: the
                # paragraph the linker reads is then the very text an explainer quoting it shows, and
                # its parse is reused (curate.markdown_tokens.PARAGRAPHS).
                d.prose_marks[len(d.prose)] = f"\n{{ #{passage.anchor} }}"
                d.prose.append(text)
        note = render.insertion_note(d.prose)
        if note:
            d.head.append(note)
        d.link_prose(site.linker)
        d.front_matter_text()
        return d
