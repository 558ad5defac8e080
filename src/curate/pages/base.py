"""What every page builder shares: page kinds, the site index and the builder interface.

A build runs every builder in two passes (MkDocs and Pelican likewise gather
everything before they resolve links):

1. :meth:`Builder.draft` — the pages whose prose is known from the builder's own
   inputs (explainers, sources, the home page's intro), with glossary links
   inserted and the facts other pages need (mentions, links, quotations)
   recorded on each :class:`~curate.render.PageDraft`. These drafts are what an
   incremental build caches: :meth:`Builder.draft_key` names every input a
   draft is made from.
2. :meth:`Builder.finish` — with every draft's facts in a :class:`LinkIndex`,
   the parts that depend on other pages (related pages, backlinks, the
   glossary's "mentioned on", lists of pages and sources) and the pages that
   are nothing but such lists.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, TypeVar

from ..linking import FoundLink, GlossaryLinker, TermLink
from ..model import PageSpec, Project, Source
from ..render import PageDraft
from ..slugs import unique_anchors

if TYPE_CHECKING:
    from ..cache import Store

T = TypeVar("T")


class PageKind(enum.Enum):
    """The kinds of page curate writes; each has one builder module."""

    HOME = "home"
    EXPLAINER = "explainer"
    SOURCE = "source"
    GLOSSARY = "glossary"
    TAGS = "tags"
    SOURCES_INDEX = "sources"


def digest(*parts: object) -> str:
    """SHA-256 hex of ``parts`` as canonical JSON (sorted keys; sets as sorted lists)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False, default=_jsonable)
                          .encode("utf-8")).hexdigest()


def _jsonable(value: object) -> object:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if hasattr(value, "iso"):
        return value.iso()  # PartialDate
    if hasattr(value, "__dict__"):
        return vars(value)  # dataclasses and pydantic models alike: their fields
    return repr(value)


@dataclass
class Site:
    """The index every builder reads: pages, sources and glossary terms with their targets.

    Attributes:
        project: The loaded project.
        sources: Source id → source.
        pages: Page id → explainer spec.
        linker: Glossary linker for the whole site.
        term_page: Term → page it is defined on (the glossary, or a letter page).
        source_keys: Source id → digest of everything the source was made from.
        linker_key: Digest of every term's text, definition, aliases and target.
        warnings: Messages that do not stop the build (builders append).
        passage_cache: Each passage's Markdown, worked out once per build.
    """

    project: Project
    sources: dict[str, Source]
    pages: dict[str, PageSpec]
    linker: GlossaryLinker
    term_page: dict[str, str]
    source_keys: dict[str, str]
    linker_key: str
    warnings: list[str] = field(default_factory=list)
    passage_cache: dict = field(default_factory=dict)

    @classmethod
    def index(cls, project: Project, source_keys: dict[str, str] | None = None) -> Site:
        """Index a project: term anchors and targets, and the glossary linker.

        Args:
            project: The loaded project (its glossary terms get ``anchor`` set).
            source_keys: Digest per source id (from the source cache); worked
                out from each source's text and metadata when not given.
        """
        from .glossary import glossary_pages

        warnings: list[str] = [p.format() for p in project.warnings]
        pages_by_id = {p.id: p for p in project.pages}
        term_links = []
        term_anchors = unique_anchors([(t.term, t.definition) for t in project.glossary])
        term_page = glossary_pages(project.glossary)
        for term, anchor in zip(project.glossary, term_anchors, strict=True):
            term.anchor = anchor
            # The one rule of where a term links: the page that is about it (the page whose key
            # term it is, set when the project was loaded), otherwise its glossary entry.
            if term.page in pages_by_id:
                term_links.append(TermLink(term, pages_by_id[term.page].docs_path))
            else:
                term_links.append(TermLink(term, term_page[term.term], anchor))
        linker_key = digest([(t.term.term, t.term.definition, t.term.aliases, t.term.case_sensitive, t.target,
                              t.fragment) for t in term_links])
        sources = {s.id: s for s in project.sources}
        keys = dict(source_keys or {})
        for s in project.sources:
            if s.id not in keys:
                keys[s.id] = digest(s.path_rel, s.text, s.meta)
        return cls(project, sources, pages_by_id, GlossaryLinker(term_links), term_page, keys, linker_key,
                   warnings)


@dataclass
class LinkIndex:
    """Facts gathered from every draft, for the second pass.

    Attributes:
        drafts: Every draft of the first pass, by path.
        mentions: Page path → glossary terms mentioned in its prose.
        links: Every page-to-page link found in prose (hand-written pages included).
        titles: Page path → title (generated and hand-written pages).
        incoming: Target path → {linking page → sentence}: per linking page, the sentence of
            its first link in prose (``''`` when every link sits in a caption).
    """

    drafts: dict[str, PageDraft]
    mentions: dict[str, set[str]]
    links: list[FoundLink]
    titles: dict[str, str]
    incoming: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def gather(cls, drafts: list[PageDraft], handwritten: dict[str, str]) -> LinkIndex:
        from ..linking import find_links
        from ..markdown_tokens import title_of

        links: list[FoundLink] = []
        for d in drafts:
            links += d.found_links
        for path, text in sorted(handwritten.items()):
            links += find_links(path, text)
        titles = {d.path: d.title for d in drafts}
        titles.update({p: title_of(text, p) for p, text in handwritten.items()})
        incoming: dict[str, dict[str, str]] = {}
        for link in links:
            by_page = incoming.setdefault(link.target_page, {})
            if not by_page.get(link.source_page):  # the first link that sits in a sentence of prose
                by_page[link.source_page] = link.sentence
        return cls({d.path: d for d in drafts}, {d.path: d.mentions for d in drafts}, links, titles, incoming)


class Builder:
    """One page kind: what it reads, and how it makes its pages.

    Subclasses set :attr:`kind` and :attr:`reserved`, and override
    :meth:`draft` and/or :meth:`finish`.
    """

    #: The page kind this builder makes.
    kind: ClassVar[PageKind]
    #: ``docs/``-relative paths and folders (ending in ``/``) the builder writes,
    #: which no page id or source id may take.
    reserved: ClassVar[tuple[str, ...]] = ()

    def draft(self, site: Site, cache: DraftCache) -> list[PageDraft]:
        """First pass: drafts with linked prose and their facts (none by default)."""
        return []

    def finish(self, site: Site, index: LinkIndex, drafts: list[PageDraft]) -> list[PageDraft]:
        """Second pass: complete this builder's drafts in place; return any pages made only now."""
        return []


#: The parts of a draft only its page's text needs (and ``curate check``'s link report): cached
#: apart from the rest (``draft-body``), and read only when the page is rendered. A build whose
#: pages are mostly unchanged reads the facts the second pass needs (titles, mentions, links,
#: quotations) and renders only what changed (see :attr:`curate.build.BuildPlan.expected`).
DRAFT_BODY_FIELDS = ("front_matter", "head", "prose", "references", "prose_headings", "prose_marks",
                     "prose_captions", "_front_matter_text")
DRAFT_BODY = "draft-body"


def _plain_draft(fields: dict) -> PageDraft:
    """A :class:`~curate.render.PageDraft` with these fields (how a :class:`_CachedDraft` pickles)."""
    draft = PageDraft.__new__(PageDraft)
    draft.__dict__.update(fields)
    return draft


class _BodyLoader:
    """Reads a cached draft's body; one that cannot be read (the cache was deleted or changed
    while the build ran) is an error that names the cure. Every cached draft is dropped then, not
    only this one: whatever changed this entry may have changed others, and the next build must
    recover in one run, not one run per damaged entry."""

    def __init__(self, store: Store, key: str):
        self.store, self.key = store, key

    def __call__(self) -> dict:
        body = self.store.get(DRAFT_BODY, self.key, dict)
        if body is None or set(body) != set(DRAFT_BODY_FIELDS):
            from ..cache import CACHE_DIR
            from ..errors import ContentError, Problem

            self.store.clear("drafts")
            raise ContentError([Problem(f"{CACHE_DIR}/{DRAFT_BODY}/", 0, "", "a cached page draft could not be "
                                        "read back during the build (the cache was deleted or changed meanwhile?)",
                                        "run the build again")])
        return body


class _CachedDraft(PageDraft):
    """A draft from the cache: its facts at once, its body (:data:`DRAFT_BODY_FIELDS`) when first
    asked for. Pickled or copied, it becomes the plain draft it stands for."""

    def __init__(self, facts: dict, load_body: _BodyLoader):
        self.__dict__.update(facts)
        self.__dict__["_load_body"] = load_body

    def _read_body(self) -> None:
        if "_load_body" in self.__dict__ and "prose" not in self.__dict__:
            self.__dict__.update(self.__dict__["_load_body"]())

    def __getattr__(self, name: str) -> object:
        # Only called for attributes the instance lacks: the body's, until it is read.
        if name in DRAFT_BODY_FIELDS and "_load_body" in self.__dict__:
            self._read_body()
            return self.__dict__[name]
        raise AttributeError(name)

    def front_matter_text(self) -> str:
        self._read_body()  # the body holds the YAML made with the draft (a class default would hide it)
        return super().front_matter_text()

    def __reduce__(self) -> tuple:
        self._read_body()
        return (_plain_draft, ({k: v for k, v in self.__dict__.items() if k != "_load_body"},))


class DraftCache:
    """Drafts of earlier builds by the digest of their inputs.

    Backed by a :class:`curate.cache.Store` (``.curate-cache/drafts/`` and
    ``draft-body/``: see :data:`DRAFT_BODY_FIELDS`) when given one, else by a dict
    that lives for one build. ``get`` returns a draft made from exactly the inputs
    ``key`` names, or ``None``; keys start with :func:`curate.cache.salt`, so new
    code never reuses an old draft.
    """

    def __init__(self, store: Store | None = None, jobs: int = 1):
        from ..cache import salt

        self.store = store
        self.jobs = jobs
        self._waiting: list[list[tuple]] | None = None
        self.memory: dict[str, PageDraft] = {}
        self.salt = salt()
        self.hits = 0
        self.misses = 0
        self._keys: dict[int, tuple[PageDraft, str]] = {}

    def get(self, key: str) -> PageDraft | None:
        key = digest(self.salt, key)
        draft = self.memory.get(key)
        if draft is None and self.store is not None and self.store.has(DRAFT_BODY, key):
            facts = self.store.get("drafts", key, dict)
            if facts is not None and not set(facts) & set(DRAFT_BODY_FIELDS) and "path" in facts:
                draft = _CachedDraft(facts, _BodyLoader(self.store, key))
                self.store.keep(DRAFT_BODY, key)
        if draft is None:
            self.misses += 1
        else:
            self.hits += 1
            self._keys[id(draft)] = (draft, key)
        return draft

    def put(self, key: str, draft: PageDraft) -> None:
        key = digest(self.salt, key)
        self.memory[key] = draft
        self._keys[id(draft)] = (draft, key)
        if self.store is not None:
            fields = {f.name: getattr(draft, f.name) for f in dataclasses.fields(draft)}
            # The body first: facts on disk always have their body (get() also asks has()).
            self.store.put(DRAFT_BODY, key, {f: fields[f] for f in DRAFT_BODY_FIELDS})
            self.store.put("drafts", key, {f: v for f, v in fields.items() if f not in DRAFT_BODY_FIELDS})

    def adopt(self, key: str, draft: PageDraft) -> None:
        """Take in a draft another process made and :meth:`put` (that process writes its entries)."""
        key = digest(self.salt, key)
        self.memory[key] = draft
        self._keys[id(draft)] = (draft, key)
        if self.store is not None:
            self.store.keep(DRAFT_BODY, key)
            self.store.keep("drafts", key)

    def draft_all(self, work: Sequence[tuple[str, T, str]], make: Callable[[T], PageDraft]) -> list[PageDraft]:
        """The draft for each ``(key, item, group)``: from the cache, else ``make(item)``, put into the cache.

        The drafts to make are shared out over :attr:`jobs` processes
        (:func:`curate.parallel.map_jobs`); ``make`` must depend on nothing but the
        item and the site index, which every process holds. Within :meth:`together`,
        they are made when it ends, with every other builder's, ordered by ``group``
        (the source a draft reads first): drafts that read the same source are then
        made in one process, which reads each of its paragraphs once. The list
        returned is filled in then.
        """
        drafts: list[PageDraft] = [self.get(key) for key, _, _ in work]  # type: ignore[misc]  # None until made
        batch = [(group, i, item, key, make, drafts) for i, (key, item, group) in enumerate(work) if drafts[i] is None]
        if self._waiting is not None:
            self._waiting.append(batch)
        else:
            self._make([batch])
        return drafts

    @contextmanager
    def together(self) -> Iterator[None]:
        """Make the drafts every :meth:`draft_all` inside asks for at once, when the block ends."""
        self._waiting = []
        try:
            yield
            batches = self._waiting
        finally:
            self._waiting = None
        self._make(batches)

    def _make(self, batches: list[list[tuple]]) -> None:
        from .. import parallel
        from ..cache import worker_hooks

        # Stable: within a group, builders in registry order and pages in their own order.
        todo = sorted((entry for batch in batches for entry in batch), key=lambda e: e[0])

        def job(entry: tuple) -> PageDraft:
            _, _, item, key, make, _ = entry
            made = make(item)
            self.put(key, made)
            return made

        made = parallel.map_jobs(job, todo, self.jobs, **worker_hooks(self.store))
        for (_, i, _, key, _, drafts), d in zip(todo, made, strict=True):
            self.adopt(key, d)
            drafts[i] = d

    def key_of(self, draft: PageDraft) -> str | None:
        """The key this draft was taken from or put into the cache under (salted), or ``None``."""
        entry = self._keys.get(id(draft))
        return entry[1] if entry is not None and entry[0] is draft else None
