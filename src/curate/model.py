"""The domain model: sources, sections, passages, pages and glossary terms.

Paths follow MkDocs' ``File`` conventions: a ``*_path`` ending in ``_rel`` is
project-relative and '/'-separated; ``docs_path`` is relative to ``docs/``.
All objects are plain data; no stage does I/O through them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional

from .yamlio import PartialDate


class PassageKind(enum.Enum):
    """What a passage is in its source."""

    PARAGRAPH = "paragraph"
    CAPTION = "caption"


@dataclass
class Passage:
    """One paragraph of cleaned source text.

    Attributes:
        text: Plain text (not Markdown): whitespace collapsed, markup removed,
            corrections applied.
        line: 1-based line in the source file where the paragraph starts.
        anchor: Element id on the source's page (``what-is-llama--p2``).
        kind: Paragraph or image caption.
    """

    text: str
    line: int
    anchor: str = ""
    kind: PassageKind = PassageKind.PARAGRAPH


@dataclass
class Section:
    """A run of passages under one heading of a source.

    Attributes:
        id: Anchor id derived from the heading text (``what-is-open-source``);
            ``lead`` for the passages before the first heading.
        heading: Heading text as printed in the source; ``''`` for the lead.
        line: 1-based line of the heading (or of the first lead passage).
        passages: The section's passages in source order.
    """

    id: str
    heading: str
    line: int
    passages: list[Passage] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How citations name the section: its heading, or "Lead"."""
        return self.heading or "Lead"


@dataclass
class Correction:
    """An editor's correction of the source text (a typo), shown on the sources page."""

    original: str
    corrected: str
    note: str = ""


@dataclass
class SourceMeta:
    """Metadata of one source article (from its ``.meta.yml`` or front matter).

    Attributes:
        title: Title as printed.
        publisher: Publisher, or ``''`` when unknown.
        author: Author, or ``''`` when unknown.
        url: Where the article was published, or ``''``.
        published: Publication date, or ``None`` when unknown.
        published_estimated: Whether ``published`` is an estimate.
        published_note: Why the date is what it is.
        topic: One line on what the article covers.
        attribution: Rights and attribution note shown with the article.
        corrections: Typos fixed in the cleaned text.
        encoding: Declared text encoding, or ``''`` to detect.
    """

    title: str = ""
    publisher: str = ""
    author: str = ""
    url: str = ""
    published: Optional[PartialDate] = None
    published_estimated: bool = False
    published_note: str = ""
    topic: str = ""
    attribution: str = ""
    corrections: list[Correction] = field(default_factory=list)
    encoding: str = ""

    def date_text(self) -> str:
        """``August 2024 (estimated)``, ``5 August 2024`` or ``date unknown``."""
        if self.published is None:
            return "date unknown"
        return self.published.human() + (" (estimated)" if self.published_estimated else "")


@dataclass
class Source:
    """One source article, loaded and cleaned.

    Attributes:
        id: Slug of the file name (``llama-3-1-open-letter``); unique.
        path_rel: Project-relative path of the snapshot.
        text: The whole decoded snapshot (NFC, LF), used to verify quotes.
        meta: Its metadata.
        title: Title found in the text (or from metadata / file name).
        sections: Lead first, then each heading's section in order.
        dropped: ``(line, reason, text)`` of each line the cleaner removed.
    """

    id: str
    path_rel: str
    text: str
    meta: SourceMeta
    title: str
    sections: list[Section] = field(default_factory=list)
    dropped: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def docs_path(self) -> str:
        """Path of the source's page, relative to ``docs/``."""
        return f"sources/{self.id}.md"

    def section(self, section_id: str) -> Optional[Section]:
        """The section with this id, or ``None``."""
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass
class GlossaryTerm:
    """A glossary term.

    Attributes:
        term: The term as it should be shown (``open source``).
        definition: One or two sentences; shown on hover.
        aliases: Other spellings that count as a mention (``LLaMA``).
        page: Id of the page that explains it, or ``''``.
        case_sensitive: Whether a mention must match case; defaults to true
            when the term has a capital letter (``Meta``), so "meta" is not it.
        anchor: Element id on the glossary page.
        line: Line in ``glossary.yml``.
    """

    term: str
    definition: str
    aliases: list[str] = field(default_factory=list)
    page: str = ""
    case_sensitive: bool = False
    anchor: str = ""
    line: int = 0


@dataclass
class SectionRef:
    """A ``source-id#section-id`` reference in the curation file."""

    source: str
    section: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.source}#{self.section}"


@dataclass
class PageSpec:
    """One explainer page as the curation file describes it.

    Attributes:
        id: Slug; the page is written to ``docs/<id>.md``.
        title: Page title, exactly as written.
        description: One-line summary (also the meta description).
        intro_rel: Project-relative path of the editor's intro Markdown.
        sections: Source sections that feed the page, in order.
        terms: Key terms the page explains (glossary terms).
        related: Ids of related pages; empty means "compute".
        tags: Tags shown on the page and in the tags index.
        group: Navigation group.
        reviewed: When an editor last reviewed the page.
        review_by: When the page is due for review.
        line: Line of the page's entry in the curation file.
    """

    id: str
    title: str
    description: str
    intro_rel: str
    sections: list[SectionRef] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    group: str = ""
    reviewed: Optional[PartialDate] = None
    review_by: Optional[PartialDate] = None
    line: int = 0

    @property
    def docs_path(self) -> str:
        """Path of the page relative to ``docs/``."""
        return f"{self.id}.md"


@dataclass
class SiteSpec:
    """Site-wide settings of the curation file."""

    title: str
    description: str
    intro_rel: str
    explainers_group: str = "Explainers"


@dataclass
class Project:
    """Everything loaded from ``content_sources/``.

    Attributes:
        root: Absolute path of the project (the folder holding ``mkdocs.yml``).
        site: Site-wide settings.
        pages: Explainer pages in curation order.
        sources: Sources sorted by id.
        glossary: Glossary terms sorted by term.
        intros: Editor Markdown by project-relative path.
        handwritten: ``docs/``-relative paths of Markdown pages people own.
        warnings: Problems that do not stop the build.
        source_keys: Source id → digest of the bytes it was read from (set
            when sources come through the cache; see :mod:`curate.cache`).
    """

    root: str
    site: SiteSpec
    pages: list[PageSpec]
    sources: list[Source]
    glossary: list[GlossaryTerm]
    intros: dict[str, str]
    handwritten: list[str] = field(default_factory=list)
    warnings: list = field(default_factory=list)
    source_keys: dict[str, str] = field(default_factory=dict)

    def source(self, source_id: str) -> Optional[Source]:
        """The source with this id, or ``None``."""
        return next((s for s in self.sources if s.id == source_id), None)
