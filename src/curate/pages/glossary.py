"""The glossary: every term, its definition, where it is explained and where it is mentioned."""

from __future__ import annotations

import unicodedata

from .. import render
from ..linking import escape, relative_link
from ..model import GlossaryTerm
from .base import Builder, LinkIndex, PageKind, Site
from .common import GLOSSARY, GLOSSARY_DIR, first_pages, front_matter

GLOSSARY_MAX = 60   # glossary terms on one page; more are split into a page per initial letter
MENTIONS_MAX = 10   # "Mentioned on" entries shown for a glossary term
_EDIT = "content_sources/glossary.yml"
# A term's definition is a search result, but after the explainers: a query leads to the page
# that explains it (explainers have search boost 2), then to the glossary.
_SEARCH = {"boost": 0.5}


def initial(term: str) -> str:
    """The glossary letter of a term: ``A``…``Z``, ``0–9`` or ``Other``."""
    first = unicodedata.normalize("NFKD", term.strip()[:1]).encode("ascii", "ignore").decode("ascii").upper()
    return first if first.isalpha() else "0–9" if first.isdigit() else "Other"


def glossary_pages(terms: list[GlossaryTerm]) -> dict[str, str]:
    """Term → the page it is defined on: the glossary, or (more than GLOSSARY_MAX terms) its letter's page."""
    if len(terms) <= GLOSSARY_MAX:
        return {t.term: GLOSSARY for t in terms}
    slugs = {"0–9": "0-9", "Other": "other"}
    return {t.term: f"{GLOSSARY_DIR}/{slugs.get(initial(t.term), initial(t.term).lower())}.md" for t in terms}


def fact_list(facts: list[tuple[str, bool]]) -> list[str]:
    """A term's facts as a list; a fact search should skip is marked (see :data:`render.NOT_SEARCHED`).

    The pages a term is explained and mentioned on are indexed themselves, so their titles are
    not indexed again under every term. attr_list cannot mark one item of a Markdown list, so
    such a list is written as HTML whose items hold Markdown (``md_in_html``): the page shows
    the same ``<ul>``.
    """
    if all(searched for _, searched in facts):
        return [f"- {text}" for text, _ in facts]
    return (["<ul markdown>"]
            + [f"<li markdown{'' if searched else ' ' + render.NOT_SEARCHED}>{text}</li>" for text, searched in facts]
            + ["</ul>"])


class GlossaryBuilder(Builder):
    """``docs/glossary.md`` (and ``docs/glossary/<letter>.md`` for a large glossary).

    Reads: ``glossary.yml``, the titles of explaining pages, and which pages
    mention each term (from every draft).
    """

    kind = PageKind.GLOSSARY
    reserved = (GLOSSARY, GLOSSARY_DIR + "/")

    def finish(self, site: Site, index: LinkIndex, drafts: list[render.PageDraft]) -> list[render.PageDraft]:
        project = site.project
        inputs = [_EDIT]
        gd = render.PageDraft(GLOSSARY, "Glossary", self.kind,
                              front_matter("Glossary", "Every term used on this site, what it means and where it "
                                           "is explained.", _EDIT, inputs, search=_SEARCH), _EDIT, inputs)
        gd.head.append(render.heading(1, "Glossary"))
        gd.head.append("Every term used on this site, what it means, and the pages that explain and mention it.")
        explainer_set = {p.docs_path for p in project.pages}
        explainer_order = {p.docs_path: i for i, p in enumerate(project.pages)}
        pages_mentioning: dict[str, list[str]] = {}
        for path, d in index.drafts.items():
            if d.kind is PageKind.HOME:
                continue  # the home page's intro is not a page a reader looks a term up on
            for t in d.mentions:
                pages_mentioning.setdefault(t, []).append(path)
        letter_drafts: dict[str, render.PageDraft] = {}
        for term in project.glossary:
            where = site.term_page[term.term]
            if where == GLOSSARY:
                page_draft = gd
            elif where not in letter_drafts:
                letter = initial(term.term)
                page_draft = letter_drafts[where] = render.PageDraft(
                    where, f"Glossary: {letter}", self.kind,
                    front_matter(f"Glossary: {letter}", f"Glossary terms under {letter}.", _EDIT, inputs,
                                 search=_SEARCH),
                    _EDIT, inputs)
                page_draft.head.append(render.heading(1, f"Glossary: {letter}"))
            else:
                page_draft = letter_drafts[where]
            # Explainers in the navigation's order, then other pages (sources); not the page that
            # explains the term, named just above.
            explained_on = site.pages[term.page].docs_path if term.page else ""
            mentioned_on = sorted((m for m in pages_mentioning.get(term.term, []) if m != explained_on),
                                  key=lambda m: (m not in explainer_order, explainer_order.get(m, 0), m))
            block = [render.heading(2, term.term, term.anchor), "", escape(term.definition)]
            facts: list[tuple[str, bool]] = []  # (Markdown, searched)
            if term.aliases:
                facts.append(("Also written: " + ", ".join(escape(a) for a in term.aliases), True))
            if term.page:
                p = site.pages[term.page]
                facts.append((f"Explained on: [{escape(p.title)}]({relative_link(where, p.docs_path)})", False))
            if mentioned_on:
                shown, more = first_pages(mentioned_on, MENTIONS_MAX, explainer_set)
                facts.append(("Mentioned on: " + ", ".join(f"[{escape(index.titles[m])}]({relative_link(where, m)})"
                                                           for m in shown)
                              + (f" and {more:,} more pages" if more else ""), False))
            if facts:
                block += [""] + fact_list(facts)
            page_draft.tail.append("\n".join(block))
        if letter_drafts:  # a large glossary: the glossary page lists every term, by initial letter
            by_letter: dict[str, list[str]] = {}
            for term in project.glossary:
                by_letter.setdefault(initial(term.term), []).append(
                    f"[{escape(term.term)}]({relative_link(GLOSSARY, site.term_page[term.term], term.anchor)})")
            gd.tail.append(f"{len(project.glossary):,} terms, one page per initial letter:\n\n" + "\n".join(
                f"- **{escape(letter)}:** " + ", ".join(links) for letter, links in by_letter.items()))
        return [gd, *letter_drafts.values()]
