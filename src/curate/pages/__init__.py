"""Page kinds: one builder module per kind, and the registry the build runs them from.

Adding a page kind is one module with a :class:`~curate.pages.base.Builder`
subclass and one line in :data:`BUILDERS`. The order of :data:`BUILDERS` is the
order drafts are made and pages listed; every builder's first pass runs before
any builder's second pass.
"""

from __future__ import annotations

from .base import Builder, DraftCache, LinkIndex, PageKind, Site
from .explainer import ExplainerBuilder
from .glossary import GlossaryBuilder
from .home import HomeBuilder
from .source import SourceBuilder
from .sources_index import SourcesIndexBuilder
from .tags import TagsBuilder

#: Every page kind's builder, in the order their pages are written to the plan.
BUILDERS: tuple[Builder, ...] = (
    HomeBuilder(),
    ExplainerBuilder(),
    GlossaryBuilder(),
    SourcesIndexBuilder(),
    SourceBuilder(),
    TagsBuilder(),
)


def reserved_paths() -> frozenset[str]:
    """``docs/``-relative paths and folders (ending in ``/``) the builders write themselves."""
    return frozenset(p for b in BUILDERS for p in b.reserved)


def reserved_ids() -> frozenset[str]:
    """Page ids an explainer may not take: the first path segment of every reserved path."""
    return frozenset(p.split("/", 1)[0].removesuffix(".md") for p in reserved_paths())


__all__ = ["BUILDERS", "Builder", "DraftCache", "LinkIndex", "PageKind", "Site", "reserved_ids", "reserved_paths"]
