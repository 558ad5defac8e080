"""The domain model: sources, sections, passages, pages and glossary terms.

Paths follow MkDocs' ``File`` conventions: a ``*_path`` ending in ``_rel`` is
project-relative and '/'-separated; ``docs_path`` is relative to ``docs/``.
All objects are plain data; no stage does I/O through them.

What the YAML files describe (pages, the site, glossary terms, article
metadata) is defined once, as the typed models of :mod:`curate.schema`, and
re-exported here: :class:`PageSpec`, :class:`SiteSpec`, :class:`GlossaryTerm`,
:class:`SourceMeta`, :class:`Correction` and :class:`SectionRef`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .schema import Correction, GlossaryTerm, PageSpec, SectionRef, SiteSpec, SourceMeta
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

    def section(self, section_id: str) -> Section | None:
        """The section with this id, or ``None``."""
        return next((s for s in self.sections if s.id == section_id), None)


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

    def source(self, source_id: str) -> Source | None:
        """The source with this id, or ``None``."""
        return next((s for s in self.sources if s.id == source_id), None)


__all__ = ["Correction", "GlossaryTerm", "PageSpec", "PartialDate", "Passage", "PassageKind", "Project", "Section",
           "SectionRef", "SiteSpec", "Source", "SourceMeta"]
