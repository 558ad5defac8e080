"""Source pages: a source's cleaned text, with an anchor on every section and passage."""

from __future__ import annotations

import hashlib

from .. import render
from ..model import Source
from .base import Builder, DraftCache, LinkIndex, PageKind, Site, digest
from .common import front_matter


def meta_path(source: Source) -> str:
    """Project-relative path of a source's metadata file (``….meta.yml``)."""
    return source.path_rel.rsplit(".", 1)[0] + ".meta.yml"


def source_tags(site: Site) -> dict[str, list[str]]:
    """Source id → the tags of the pages it feeds, sorted (the tags index lists it with them)."""
    tags: dict[str, set[str]] = {}
    for spec in site.project.pages:
        for ref in spec.sections:
            tags.setdefault(ref.source, set()).update(spec.tags)
    return {sid: sorted(t, key=str.casefold) for sid, t in tags.items()}


class SourceBuilder(Builder):
    """``docs/sources/<source id>.md`` for each source with text.

    Reads: the snapshot and its metadata, and the glossary (for links). Its
    draft is cached under the source's key and the glossary's.
    """

    kind = PageKind.SOURCE
    reserved = ("sources/",)

    def draft(self, site: Site, cache: DraftCache) -> list[render.PageDraft]:
        drafts = []
        for source in site.project.sources:
            if not source.sections:
                continue
            key = digest("source", site.source_keys[source.id], site.linker_key)
            d = cache.get(key)
            if d is None:
                d = self._draft(site, source)
                cache.put(key, d)
            drafts.append(d)
        return drafts

    def _draft(self, site: Site, source: Source) -> render.PageDraft:
        digest_ = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
        meta_rel = meta_path(source)
        inputs = [source.path_rel] + ([meta_rel] if meta_rel != source.path_rel else [])
        description = f"Source article: {source.meta.topic or source.title}"
        fm = front_matter(source.title, description, meta_rel, inputs, search={"boost": 0.2})
        d = render.PageDraft(source.docs_path, source.title, self.kind, fm, meta_rel, inputs, description)
        d.head.append(render.heading(1, source.title))
        d.head.append(render.source_metadata(source, digest_))
        report = render.cleaning_report(source)
        if report:
            d.tail.append(report)
        for section in source.sections:
            if section.heading:
                d.prose.append(render.heading(2, section.heading, section.id))
            for passage in section.passages:
                text = render.passage_markdown(passage, source.meta, d.warnings, f"{source.path_rel}:{passage.line}",
                                               site.passage_cache)
                d.prose.append(f"{text}\n{{ #{passage.anchor} }}")
        d.link_prose(site.linker)
        return d

    def finish(self, site: Site, index: LinkIndex, drafts: list[render.PageDraft]) -> list[render.PageDraft]:
        tags = source_tags(site)
        by_path = {s.docs_path: s for s in site.project.sources}
        for d in drafts:
            # The tags come from the pages a source feeds, not from the source: set them here,
            # so a change of a page's tags does not make the source's draft stale.
            t = tags.get(by_path[d.path].id, [])
            fm = {k: v for k, v in d.front_matter.items() if k not in ("tags", "search", "curate")}
            if t:
                fm["tags"] = t
            fm["search"] = d.front_matter.get("search")
            fm["curate"] = d.front_matter["curate"]
            d.front_matter = fm
        return []
