"""The build: project → every page's Markdown, resolved before anything is written.

A short orchestrator over the page builders (:mod:`curate.pages`), as in
MkDocs' ``build`` and Pelican's generators: gather everything, then resolve
links, then write::

    index (pages, terms, anchors) → each builder's drafts (linked prose, facts)
      → link index → each builder finishes its pages → quote check → plan

:func:`plan_build` is pure apart from its cache of drafts: it returns a
:class:`BuildPlan` (path → bytes); :mod:`curate.writer` decides what to write.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import ContentError, Problem
from .linking import FoundLink
from .markdown_tokens import title_of
from .model import Project
from .pages import BUILDERS, DraftCache, LinkIndex, PageKind, Site
from .pages.common import GLOSSARY, shown_sources, sources_by_month
from .pages.nav import nav as make_nav

if TYPE_CHECKING:
    from .render import PageDraft

#: The navigation section that lists the pages people write in ``docs/``, after the generated ones.
HANDWRITTEN_SECTION = "About this site"


class PageBytes(Mapping[str, bytes]):
    """``docs/``-relative path → a page's UTF-8 bytes, each page rendered when first asked for.

    A build that knows a page's bytes are unchanged (see :attr:`BuildPlan.expected`)
    never renders it; everywhere else this is the dict of every page's bytes, in
    plan order.
    """

    def __init__(self, drafts: dict[str, PageDraft]):
        self._drafts = drafts
        self._bytes: dict[str, bytes] = {}

    def __getitem__(self, path: str) -> bytes:
        data = self._bytes.get(path)
        if data is None:
            data = self._bytes[path] = self._drafts[path].text().encode("utf-8")
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self._drafts)

    def __len__(self) -> int:
        return len(self._drafts)

def final_key(draft_key: str, tail: list[str]) -> str:
    """Digest of everything a cached draft's page is made from: its draft's key (every input of
    the draft, curate's code included) and the tail the second pass gave it (the only part of a
    cached draft that pass changes: related pages, backlinks, lists of pages)."""
    h = hashlib.sha256(draft_key.encode())
    for part in tail:
        data = part.encode("utf-8")
        h.update(b"\0%d\0" % len(data) + data)
    return h.hexdigest()


@dataclass
class BuildPlan:
    """Everything a build would write.

    Attributes:
        files: ``docs/``-relative path → UTF-8 bytes, for every generated page.
        edit_sources: ``docs/``-relative path → project-relative file to edit.
        nav: MkDocs ``nav`` (list of single-key mappings): the generated pages, then
            the hand-written pages under "About this site" (see :data:`HANDWRITTEN_SECTION`).
        warnings: Messages that do not stop the build.
        mentions: page path → glossary terms mentioned on it.
        links: Every page-to-page link found in prose.
        unlinked_mentions: page path → terms mentioned but never linked there.
        kinds: page path → its page kind.
        final_keys: page path → :func:`final_key` of each page made from a cached draft.
        expected: page path → SHA-256 of the page's bytes, for pages whose final key is
            one an earlier build recorded (``pages`` of :func:`plan_build`): the writer
            compares ``docs/`` with it and renders the page only when they differ.
    """

    files: Mapping[str, bytes]
    edit_sources: dict[str, str]
    nav: list
    warnings: list[str] = field(default_factory=list)
    mentions: dict[str, set[str]] = field(default_factory=dict)
    links: list[FoundLink] = field(default_factory=list)
    unlinked_mentions: dict[str, set[str]] = field(default_factory=dict)
    kinds: dict[str, PageKind] = field(default_factory=dict)
    final_keys: dict[str, str] = field(default_factory=dict)
    expected: dict[str, str] = field(default_factory=dict)


def plan_build(project: Project, handwritten: dict[str, str] | None = None,
               link_report: bool = True, cache: DraftCache | None = None,
               source_keys: dict[str, str] | None = None,
               pages: Mapping[str, tuple[str, str]] | None = None) -> BuildPlan:
    """Render every generated page of the site in memory.

    Args:
        project: The loaded project.
        handwritten: ``docs/``-relative path → Markdown of pages people own;
            read for backlinks only.
        link_report: Work out ``unlinked_mentions`` (for ``curate check``; it
            does not change any page, and costs a second scan of every page).
        cache: Drafts of earlier builds by the digest of their inputs; a
            draft whose inputs are unchanged is taken from it, not remade.
        source_keys: Digest of each source's inputs (from the source cache).
        pages: What earlier builds wrote: page path → ``(final key, SHA-256 of its
            bytes)`` (see :attr:`BuildPlan.expected`); ``curate check`` passes none and
            renders every page.

    Returns:
        The plan.

    Raises:
        ContentError: A quotation on a page is not verbatim in its source.
    """
    handwritten = handwritten or {}
    cache = cache if cache is not None else DraftCache()
    site = Site.index(project, source_keys or project.source_keys)
    first: dict[int, list] = {}
    with cache.together():  # the drafts to make, made at once (see DraftCache.draft_all)
        for n, builder in enumerate(BUILDERS):
            first[n] = builder.draft(site, cache)
    drafted = [d for n in range(len(BUILDERS)) for d in first[n]]
    index = LinkIndex.gather(drafted, handwritten)
    made: dict[int, list] = {}
    for n, builder in enumerate(BUILDERS):
        made[n] = first[n] + builder.finish(site, index, first[n])
    all_drafts = [d for n in range(len(BUILDERS)) for d in made[n]]
    for d in all_drafts:
        site.warnings.extend(d.warnings)
    _check_quotes(site, all_drafts)
    files = PageBytes({d.path: d for d in all_drafts})
    finals = {d.path: final_key(key, d.tail) for d in all_drafts if (key := cache.key_of(d)) is not None}
    expected = {p: pages[p][1] for p, k in finals.items() if pages is not None and p in pages and pages[p][0] == k}
    edit_sources = {d.path: d.edit for d in all_drafts}
    unlinked: dict[str, set[str]] = {}
    if link_report:
        seen = {d.path: site.linker.mentions_anywhere("\n\n".join(d.prose)) for d in drafted}
        unlinked = _unlinked_mentions(project, seen, {d.path: d.linked for d in drafted})
    shown = shown_sources(project)
    by_kind = {kind: [d for d in all_drafts if d.kind is kind] for kind in PageKind}
    months = sources_by_month(shown) if len(by_kind[PageKind.SOURCES_INDEX]) > 1 else None
    letters = [(d.title.split(": ", 1)[1], d.path) for d in by_kind[PageKind.GLOSSARY] if d.path != GLOSSARY]
    tag_pages = [(d.title.split(": ", 1)[1], d.path) for d in by_kind[PageKind.TAGS][1:]]
    nav = make_nav(project, shown, months, letters, tag_pages)
    if handwritten:
        nav.append({HANDWRITTEN_SECTION: [{title_of(text, p): p} for p, text in sorted(handwritten.items())]})
    return BuildPlan(files, edit_sources, nav, site.warnings, dict(index.mentions),
                     index.links, unlinked, {d.path: d.kind for d in all_drafts}, finals, expected)


def _check_quotes(site: Site, drafts: list) -> None:
    """Every quotation shown on a page must be verbatim in one of its sources.

    Each draft checked its own quotations when it was made (see
    :meth:`curate.render.PageDraft.verify_quotes`); this collects the failures.

    Raises:
        ContentError: One problem per quotation that is not, with the closest source text.
    """
    problems = [Problem(d.edit or f"docs/{d.path}", 0, "", f"quote check failed on page docs/{d.path}: {message}",
                        "quote the source word for word, or drop the quotation marks")
                for d in drafts for message in d.quote_problems]
    if problems:
        raise ContentError(problems)


def _unlinked_mentions(project: Project, seen: dict[str, set[str]],
                       linked: dict[str, set[str]]) -> dict[str, set[str]]:
    """page path → terms a reader sees on it that are never linked there (outside their own page)."""
    pages_by_id = {p.id: p for p in project.pages}
    targets = {t.term: pages_by_id[t.page].docs_path if t.page else GLOSSARY for t in project.glossary}
    out: dict[str, set[str]] = {}
    for path, terms in seen.items():
        missing = {t for t in terms if t not in linked.get(path, set()) and targets[t] != path}
        if missing:
            out[path] = missing
    return out


def review_warnings(project: Project, today: _dt.date | None = None) -> list[str]:
    """Messages for pages whose ``review_by`` date has passed (or that have none)."""
    today = today or _dt.date.today()
    out = []
    for p in project.pages:
        if p.review_by and p.review_by.first_day() < today:
            out.append(f"content_sources/curation.yml:{p.line}: page '{p.id}' was due for review by "
                       f"{p.review_by.iso()}; review it and update 'reviewed' and 'review_by'")
    return out
