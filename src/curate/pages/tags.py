"""The tags page: pages by tag (Material's tags plugin lists them), one page per tag on a large site."""

from __future__ import annotations

import json

from .. import render
from ..slugs import file_slug, short_hash
from .base import Builder, LinkIndex, PageKind, Site
from .common import TAGS, TAGS_DIR, front_matter, shown_sources
from .source import source_tags

TAGGED_MAX = 60     # tagged pages listed on the tags page; more get a page per tag
_EDIT = "content_sources/curation.yml"
# Pages listed by tag are found by their own tags (Material's search indexes a page's tags), so
# the lists of them are not indexed a second time.
_NOT_SEARCHED = {"exclude": True}


def tag_pages(tags: list[str]) -> dict[str, str]:
    """Tag → its page ``tags/<slug>.md`` (a hash keeps two tags that slug alike apart)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for tag in tags:
        slug = file_slug(tag)
        if not slug or slug == "index" or slug in used:
            slug = f"{slug or 'tag'}-{short_hash(tag)}"
        used.add(slug)
        out[tag] = f"{TAGS_DIR}/{slug}.md"
    return out


class TagsBuilder(Builder):
    """``docs/tags.md`` (and ``docs/tags/<tag>.md`` when many pages are tagged).

    Reads: every page's tags, and the tags each source inherits from the pages it feeds.
    """

    kind = PageKind.TAGS
    reserved = (TAGS, TAGS_DIR + "/")

    def finish(self, site: Site, index: LinkIndex, drafts: list[render.PageDraft]) -> list[render.PageDraft]:
        project = site.project
        inputs = [_EDIT]
        td = render.PageDraft(TAGS, "Tags", self.kind,
                              front_matter("Tags", "Pages of this site by tag.", _EDIT, inputs, search=_NOT_SEARCHED),
                              _EDIT, inputs)
        td.head.append(render.heading(1, "Tags"))
        td.head.append("Each tag lists the explainers that carry it and the articles they are built from.")
        tag_drafts: list[render.PageDraft] = []
        tagged: dict[str, int] = {}
        inherited = source_tags(site)
        for tags in [spec.tags for spec in project.pages] + [inherited.get(s.id, []) for s in shown_sources(project)]:
            for tag in set(tags):
                tagged[tag] = tagged.get(tag, 0) + 1
        if sum(tagged.values()) <= TAGGED_MAX:
            td.head.append("<!-- material/tags -->")
        else:  # a large site: one listing per tag, and the tags with their counts here
            paths = tag_pages(sorted(tagged, key=lambda t: (t.casefold(), t)))
            for tag, path in paths.items():
                tdd = render.PageDraft(path, f"Tag: {tag}", self.kind,
                                       front_matter(f"Tag: {tag}", f"Pages of this site tagged “{tag}”.", _EDIT,
                                                    inputs, search=_NOT_SEARCHED), _EDIT, inputs)
                tdd.head.append(render.heading(1, f"Tag: {tag}"))
                tdd.head.append("<!-- material/tags { include: [" + json.dumps(tag) + "], toc: false } -->")
                tag_drafts.append(tdd)
            td.tail.append(f"{len(tagged):,} tags, each with a page listing the pages that carry it:\n\n"
                           + render.bullet_links(TAGS, [(path, tag, f"{tagged[tag]:,} pages")
                                                        for tag, path in paths.items()]))
        return [td, *tag_drafts]
