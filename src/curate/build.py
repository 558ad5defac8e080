"""The build: project → every page's Markdown, resolved before anything is written.

Stages (as in MkDocs' ``build`` and Pelican's generators: gather everything,
then resolve links, then write)::

    load_project → index pages and terms → draft pages → glossary links
      → links and backlinks → related pages, knowledge map → quote check → plan

:func:`plan_build` is pure: it returns a :class:`BuildPlan` (path → bytes);
:mod:`curate.writer` decides what to write.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from typing import Optional

from . import render
from .errors import ContentError, Problem
from .knowledge_map import Node, render_svg
from .linking import FoundLink, GlossaryLinker, TermLink, escape, find_links, relative_link
from .markdown_tokens import title_of
from .model import PageSpec, Project, Source
from .quotes import QuoteUse, editor_quotes, find_quotes, normalize, verify
from .slugs import file_slug, short_hash, unique_anchors

HOME = "index.md"
GLOSSARY = "glossary.md"
TAGS = "tags.md"
SOURCES_INDEX = "sources/index.md"
SOURCES_BY_DATE = "sources/by-date"
GLOSSARY_DIR = "glossary"
TAGS_DIR = "tags"
MAX_RELATED = 3
# Size limits, so no page grows with the size of the site (a small site is not affected):
LIST_MAX = 60      # pages or sources listed in full on the home page and the sources index
NAV_MAX = 50       # pages at one level of the navigation before they are split into sections
SECTIONS_MAX = 12  # sections side by side in the navigation before they are put in sections
BACKLINKS_MAX = 20  # "Pages that link here" entries shown on a page
MENTIONS_MAX = 10   # "Mentioned on" entries shown for a glossary term
GLOSSARY_MAX = 60   # glossary terms on one page; more are split into a page per initial letter
TAGGED_MAX = 60     # tagged pages listed on the tags page; more get a page per tag


@dataclass
class BuildPlan:
    """Everything a build would write.

    Attributes:
        files: ``docs/``-relative path → UTF-8 bytes, for every generated page.
        edit_sources: ``docs/``-relative path → project-relative file to edit.
        nav: MkDocs ``nav`` (list of single-key mappings), generated pages only;
            hand-written pages are added by the hook.
        warnings: Messages that do not stop the build.
        mentions: page path → glossary terms mentioned on it.
        links: Every page-to-page link found in prose.
        unlinked_mentions: page path → terms mentioned but never linked there.
    """

    files: dict[str, bytes]
    edit_sources: dict[str, str]
    nav: list
    warnings: list[str] = field(default_factory=list)
    mentions: dict[str, set[str]] = field(default_factory=dict)
    links: list[FoundLink] = field(default_factory=list)
    unlinked_mentions: dict[str, set[str]] = field(default_factory=dict)


def _sources_of(sources: dict[str, Source], spec: PageSpec) -> list[Source]:
    seen, out = set(), []
    for ref in spec.sections:
        if ref.source not in seen:
            seen.add(ref.source)
            out.append(sources.get(ref.source))
    return out


def _fm(title: str, description: str, edit: str, inputs: list[str], **extra) -> dict:
    fm = {"title": title, "description": description}
    fm.update({k: v for k, v in extra.items() if v not in (None, [], "")})
    fm["curate"] = {"generated": True, "edit": edit, "inputs": inputs}
    return fm


def plan_build(project: Project, handwritten: Optional[dict[str, str]] = None,
               link_report: bool = True) -> BuildPlan:
    """Render every generated page of the site in memory.

    Args:
        project: The loaded project.
        handwritten: ``docs/``-relative path → Markdown of pages people own;
            read for backlinks only.
        link_report: Work out ``unlinked_mentions`` (for ``curate check``; it
            does not change any page, and costs a second scan of every page).

    Returns:
        The plan.

    Raises:
        ContentError: A quotation on a page is not verbatim in its source.
    """
    handwritten = handwritten or {}
    warnings: list[str] = [p.format() for p in project.warnings]
    sources = {s.id: s for s in project.sources}
    pages_by_id = {p.id: p for p in project.pages}

    # --- index: term targets --------------------------------------------------------------
    term_links = []
    term_anchors = unique_anchors([(t.term, t.definition) for t in project.glossary])
    owners: dict[str, list[str]] = {}
    for spec in project.pages:
        for name in spec.terms:
            owners.setdefault(name, []).append(spec.id)
    term_page = _glossary_pages(project.glossary)
    for term, anchor in zip(project.glossary, term_anchors):
        term.anchor = anchor
        owner = owners.get(term.term, [""])[0]
        if not term.page and owner:
            term.page = owner  # a page's key term links to that page even without 'page:' in the glossary
        elif owner and term.page not in owners[term.term]:
            warnings.append(f"content_sources/glossary.yml:{term.line}: term '{term.term}' is explained on page "
                            f"'{term.page}' but listed under 'terms' of page '{owner}' in curation.yml")
        if term.page:
            term_links.append(TermLink(term, pages_by_id[term.page].docs_path))
        else:
            term_links.append(TermLink(term, term_page[term.term], anchor))
    linker = GlossaryLinker(term_links)

    drafts: list[render.PageDraft] = []
    quote_uses: list[QuoteUse] = []
    page_quotes: dict[str, list] = {}
    quotes_of: dict[str, list] = {}  # source id → its quotations, found once per build
    passage_cache: dict = {}  # each passage's Markdown, worked out once per build

    # --- explainers -------------------------------------------------------------------------
    for spec in project.pages:
        page_sources = [s for s in _sources_of(sources, spec) if s is not None]
        inputs = ["content_sources/curation.yml", spec.intro_rel] + [s.path_rel for s in page_sources]
        fm = _fm(spec.title, spec.description, spec.intro_rel, inputs, tags=spec.tags,
                 reviewed=render.date_iso(spec.reviewed), review_by=render.date_iso(spec.review_by),
                 search={"boost": 2})
        d = render.PageDraft(spec.docs_path, spec.title, "explainer", fm, spec.intro_rel, inputs, spec.description)
        d.head.append(render.heading(1, spec.title))
        d.head.append(f"**{escape(spec.description)}**")
        d.head.append(render.based_on_line(page_sources) + ("  \n" + render.review_line(spec)
                                                            if render.review_line(spec) else ""))
        intro = project.intros.get(spec.intro_rel, "").strip()
        if intro:
            d.prose.append(intro)
            for q in editor_quotes(intro):
                quote_uses.append(QuoteUse(spec.docs_path, q, tuple(s.id for s in page_sources)))
        footnote_of: dict[str, str] = {}
        passages_md = []
        for ref in spec.sections:
            source = sources[ref.source]
            section = source.section(ref.section)
            for passage in section.passages:
                label = f"[^{len(d.footnotes) + 1}]"
                footnote_of[passage.anchor + "@" + source.id] = label
                d.footnotes.append(f"{label}: " + render.citation(spec.docs_path, source, section, passage))
                text = render.passage_markdown(passage, source.meta, warnings, f"{spec.docs_path} ({passage.anchor})",
                                               passage_cache)
                passages_md.append(text + label)
        if passages_md:
            d.prose.append(render.heading(2, "From the reporting"))
            d.prose.extend(passages_md)
        quotes = []
        for s in page_sources:
            wanted = {r.section for r in spec.sections if r.source == s.id}
            if s.id not in quotes_of:
                quotes_of[s.id] = find_quotes(s)
            quotes += [q for q in quotes_of[s.id] if q.section_id in wanted]
        page_quotes[spec.docs_path] = [(q, footnote_of.get(q.passage_anchor + "@" + q.source_id, "")) for q in quotes]
        for q in quotes:
            quote_uses.append(QuoteUse(spec.docs_path, q.text, (q.source_id,)))
        drafts.append(d)

    # --- sources ----------------------------------------------------------------------------
    source_tags: dict[str, set[str]] = {}
    for spec in project.pages:
        for ref in spec.sections:
            source_tags.setdefault(ref.source, set()).update(spec.tags)
    for source in project.sources:
        if not source.sections:
            continue
        digest = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
        inputs = [source.path_rel]
        meta_rel = source.path_rel.rsplit(".", 1)[0] + ".meta.yml"
        if meta_rel not in inputs:
            inputs.append(meta_rel)
        description = f"Source article: {source.meta.topic or source.title}"
        # A source carries the tags of the pages it feeds, so the tags index lists it with them.
        tags = sorted(source_tags.get(source.id, set()), key=str.casefold)
        fm = _fm(source.title, description, meta_rel, inputs, tags=tags, search={"boost": 0.2})
        d = render.PageDraft(source.docs_path, source.title, "source", fm, meta_rel, inputs, description)
        d.head.append(render.heading(1, source.title))
        d.head.append(render.source_metadata(source, digest))
        report = render.cleaning_report(source)
        if report:
            d.tail.append(report)
        for section in source.sections:
            if section.heading:
                d.prose.append(render.heading(2, section.heading, section.id))
            for passage in section.passages:
                text = render.passage_markdown(passage, source.meta, warnings, f"{source.path_rel}:{passage.line}",
                                               passage_cache)
                d.prose.append(f"{text}\n{{ #{passage.anchor} }}")
        drafts.append(d)

    # --- glossary ---------------------------------------------------------------------------
    g_inputs = ["content_sources/glossary.yml"]
    gd = render.PageDraft(GLOSSARY, "Glossary", "glossary",
                          _fm("Glossary", "Every term used on this site, what it means and where it is explained.",
                              "content_sources/glossary.yml", g_inputs),
                          "content_sources/glossary.yml", g_inputs)
    gd.head.append(render.heading(1, "Glossary"))
    gd.head.append("Every term used on this site, what it means, and the pages that explain and mention it.")

    # --- glossary links and mentions (needs every explainer and source draft) ---------------
    mentions: dict[str, set[str]] = {}
    linked: dict[str, set[str]] = {}
    for d in drafts:
        done = linked[d.path] = set()
        mentions[d.path] = linker.mentions("\n\n".join(d.prose))
        d.prose = [linker.link(part, d.path, done) for part in d.prose]

    titles = {d.path: d.title for d in drafts}
    explainer_set = {p.docs_path for p in project.pages}
    pages_mentioning: dict[str, list[str]] = {}
    for p, ts in mentions.items():
        if p.endswith(".md"):
            for t in ts:
                pages_mentioning.setdefault(t, []).append(p)
    letter_drafts: dict[str, render.PageDraft] = {}
    for term in project.glossary:
        where = term_page[term.term]
        if where == GLOSSARY:
            page_draft = gd
        elif where not in letter_drafts:
            letter = _initial(term.term)
            page_draft = letter_drafts[where] = render.PageDraft(
                where, f"Glossary: {letter}", "glossary",
                _fm(f"Glossary: {letter}", f"Glossary terms under {letter}.", "content_sources/glossary.yml", g_inputs),
                "content_sources/glossary.yml", g_inputs)
            page_draft.head.append(render.heading(1, f"Glossary: {letter}"))
        else:
            page_draft = letter_drafts[where]
        mentioned_on = sorted(pages_mentioning.get(term.term, []))
        block = [render.heading(2, term.term, term.anchor), "", escape(term.definition)]
        facts = []
        if term.aliases:
            facts.append("- Also written: " + ", ".join(escape(a) for a in term.aliases))
        if term.page:
            p = pages_by_id[term.page]
            facts.append(f"- Explained on: [{escape(p.title)}]({relative_link(where, p.docs_path)})")
        if mentioned_on:
            shown, more = _first_pages(mentioned_on, MENTIONS_MAX, explainer_set)
            facts.append("- Mentioned on: " + ", ".join(f"[{escape(titles[m])}]({relative_link(where, m)})"
                                                         for m in shown)
                         + (f" and {more:,} more pages" if more else ""))
        if facts:
            block += [""] + facts
        page_draft.tail.append("\n".join(block))
    if letter_drafts:  # a large glossary: the glossary page lists every term, by initial letter
        by_letter: dict[str, list[str]] = {}
        for term in project.glossary:
            by_letter.setdefault(_initial(term.term), []).append(
                f"[{escape(term.term)}]({relative_link(GLOSSARY, term_page[term.term], term.anchor)})")
        gd.tail.append(f"{len(project.glossary):,} terms, one page per initial letter:\n\n" + "\n".join(
            f"- **{escape(letter)}:** " + ", ".join(links) for letter, links in by_letter.items()))

    # --- home -------------------------------------------------------------------------------
    h_inputs = ["content_sources/curation.yml", project.site.intro_rel]
    hd = render.PageDraft(HOME, project.site.title, "home",
                          _fm(project.site.title, project.site.description, project.site.intro_rel, h_inputs,
                              search={"boost": 1}),
                          project.site.intro_rel, h_inputs, project.site.description)
    hd.head.append(render.heading(1, project.site.title))
    hd.head.append(f"**{escape(project.site.description)}**")
    hd.head.append(render.based_on_line(project.sources))
    home_intro = project.intros.get(project.site.intro_rel, "").strip()
    if home_intro:
        done = linked[HOME] = set()
        mentions[HOME] = linker.mentions(home_intro)
        hd.prose.append(linker.link(home_intro, HOME, done))

    # --- links and backlinks ----------------------------------------------------------------
    links: list[FoundLink] = []
    for d in drafts + [hd]:
        links += find_links(d.path, "\n\n".join(d.prose))
    for path, text in sorted(handwritten.items()):
        links += find_links(path, text)
    titles = {d.path: d.title for d in drafts + [hd, gd]}
    titles.update({p: title_of(text, p) for p, text in handwritten.items()})

    # --- related pages ----------------------------------------------------------------------
    explainer_paths = {p.docs_path for p in project.pages}
    computed = _computed_related(project.pages, mentions)
    for spec, d in zip(project.pages, drafts):
        related = spec.related or computed[spec.id]
        d.tail.append("## Related pages\n\n" + render.bullet_links(
            d.path, [(pages_by_id[r].docs_path, pages_by_id[r].title, escape(pages_by_id[r].description))
                     for r in related]) if related else "")
        qs = page_quotes.get(d.path, [])
        if qs:
            d.tail.insert(0, "## In their own words\n\n" + "\n\n".join(render.quote_markdown(q, f) for q, f in qs))

    # --- knowledge map and home lists -------------------------------------------------------
    edges = {(l.source_page, l.target_page) for l in links if l.source_page in explainer_paths
             and l.target_page in explainer_paths}
    if project.pages and len(project.pages) <= LIST_MAX:
        hd.tail.append("## Pages\n\n" + render.bullet_links(
            HOME, [(p.docs_path, p.title, escape(p.description)) for p in project.pages]))
    elif project.pages:  # a large site: one line per navigation section instead of every page
        sections = _explainer_sections(project)
        hd.tail.append(f"## Pages\n\n{len(project.pages):,} pages in {len(sections):,} sections of the navigation; "
                       "each line leads to the first page of a section.\n\n" + render.bullet_links(
                           HOME, [(ps[0].docs_path, label, f"{len(ps):,} pages") for label, ps in sections]))
    if project.pages:
        hd.tail.append("## Knowledge map\n\nEach circle is a page; a line joins two pages when one links to "
                       "the other.\n\n" + render_svg([Node(p.docs_path, p.title) for p in project.pages], edges))
    shown_sources = [s for s in project.sources if s.sections]
    if shown_sources and len(shown_sources) <= LIST_MAX:
        hd.tail.append("## Sources\n\n" + render.bullet_links(
            HOME, [(s.docs_path, s.title, s.meta.date_text()) for s in shown_sources]))
    elif shown_sources:
        hd.tail.append(f"## Sources\n\n{len(shown_sources):,} articles, {_date_span(shown_sources)}, listed by "
                       f"month of publication on the [Sources]({SOURCES_INDEX}) page.")

    # --- backlinks (prose links only; lists of related pages are not counted) ---------------
    incoming_by_target: dict[str, dict[str, str]] = {}
    for l in links:
        incoming_by_target.setdefault(l.target_page, {}).setdefault(l.source_page, l.sentence)
    for d in drafts + [hd]:
        if d.kind not in ("explainer", "home"):
            continue
        incoming = incoming_by_target.get(d.path, {})
        if incoming:
            order = sorted(incoming, key=lambda src: (src != HOME, src))
            shown, more = _first_pages(order, BACKLINKS_MAX, explainer_paths | {HOME})
            items = [(src, titles.get(src, src), f"“{escape(incoming[src])}”" if incoming[src] else "")
                     for src in shown]
            d.tail.append("## Pages that link here\n\n" + render.bullet_links(d.path, items)
                          + (f"\n\n…and {more:,} more pages." if more else ""))

    # --- sources index, tags ----------------------------------------------------------------
    si_inputs = [s.path_rel for s in shown_sources] if len(shown_sources) <= LIST_MAX else []
    sd = render.PageDraft(SOURCES_INDEX, "Sources", "sources",
                          _fm("Sources", "The articles this site is built from, with their metadata.",
                              "content_sources/articles/", si_inputs or ["content_sources/articles/"],
                              search={"boost": 0.5}),
                          "content_sources/articles/", si_inputs or ["content_sources/articles/"])
    sd.head.append(render.heading(1, "Sources"))
    sd.head.append("The articles this site is built from. Each is kept exactly as delivered; its page shows "
                   "the cleaned text, with an anchor on every section and paragraph for citations.")
    month_drafts: list[render.PageDraft] = []
    if shown_sources and len(shown_sources) <= LIST_MAX:
        sd.tail.append(render.bullet_links(
            SOURCES_INDEX, [(s.docs_path, s.title, s.meta.date_text()) for s in shown_sources]))
    elif shown_sources:  # a large site: one page per month of publication, and a calendar of them here
        months = _sources_by_month(shown_sources)
        for _, label, path, ss in months:
            m_inputs = [s.path_rel for s in ss]
            md = render.PageDraft(path, f"Sources: {label}", "sources",
                                  _fm(f"Sources: {label}", f"The articles published in {label}.",
                                      "content_sources/articles/", m_inputs, search={"boost": 0.5}),
                                  "content_sources/articles/", m_inputs)
            md.head.append(render.heading(1, f"Sources: {label}"))
            md.tail.append(render.bullet_links(path, [(s.docs_path, s.title, s.meta.date_text()) for s in ss]))
            month_drafts.append(md)
        years: dict[str, list[str]] = {}
        for (year, month), label, path, ss in months:
            name = _dt.date(2000, month, 1).strftime("%B") if month else label
            years.setdefault(str(year) if year else "Date unknown", []).append(
                f"[{escape(name)}]({relative_link(SOURCES_INDEX, path)}) ({len(ss):,})")
        sd.tail.append(f"{len(shown_sources):,} articles, {_date_span(shown_sources)}, by month of publication:\n\n"
                       + "\n".join(f"- **{year}:** " + ", ".join(links) for year, links in years.items()))
    td = render.PageDraft(TAGS, "Tags", "tags",
                          _fm("Tags", "Pages of this site by tag.", "content_sources/curation.yml",
                              ["content_sources/curation.yml"]),
                          "content_sources/curation.yml", ["content_sources/curation.yml"])
    td.head.append(render.heading(1, "Tags"))
    tag_drafts: list[render.PageDraft] = []
    tagged: dict[str, int] = {}
    for tags in [spec.tags for spec in project.pages] + [list(source_tags.get(s.id, ())) for s in shown_sources]:
        for tag in set(tags):
            tagged[tag] = tagged.get(tag, 0) + 1
    if sum(tagged.values()) <= TAGGED_MAX:
        td.head.append("<!-- material/tags -->")
    else:  # a large site: one listing per tag, and the tags with their counts here
        tag_paths = _tag_pages(sorted(tagged, key=lambda t: (t.casefold(), t)))
        for tag, path in tag_paths.items():
            t_inputs = ["content_sources/curation.yml"]
            tdd = render.PageDraft(path, f"Tag: {tag}", "tags",
                                   _fm(f"Tag: {tag}", f"Pages of this site tagged “{tag}”.",
                                       "content_sources/curation.yml", t_inputs),
                                   "content_sources/curation.yml", t_inputs)
            tdd.head.append(render.heading(1, f"Tag: {tag}"))
            tdd.head.append("<!-- material/tags { include: [" + json.dumps(tag) + "], toc: false } -->")
            tag_drafts.append(tdd)
        td.tail.append(f"{len(tagged):,} tags, each with a page listing the pages that carry it:\n\n"
                       + render.bullet_links(TAGS, [(path, tag, f"{tagged[tag]:,} pages")
                                                    for tag, path in tag_paths.items()]))

    # --- quote check ------------------------------------------------------------------------
    problems = []
    edits = {d.path: d.edit for d in drafts}
    normalized: dict[str, str] = {}
    for use in quote_uses:
        wanted = normalize(use.text)
        texts = []
        for sid in use.source_ids:
            if sid in sources:
                if sid not in normalized:
                    normalized[sid] = normalize(sources[sid].text)
                texts.append(normalized[sid])
        if any(wanted in t for t in texts):
            continue  # verbatim: what verify() would accept, without normalising the source again
        for message in verify([use], sources):
            problems.append(Problem(edits.get(use.page, f"docs/{use.page}"), 0, "",
                                    f"quote check failed on page docs/{use.page}: {message}",
                                    "quote the source word for word, or drop the quotation marks"))
    if problems:
        raise ContentError(problems)

    all_drafts = ([hd] + drafts + [gd] + list(letter_drafts.values()) + [sd] + month_drafts + [td]
                  + tag_drafts)
    files = {d.path: d.text().encode("utf-8") for d in all_drafts}
    edit_sources = {d.path: d.edit for d in all_drafts}
    unlinked: dict[str, set[str]] = {}
    if link_report:
        seen = {d.path: linker.mentions_anywhere("\n\n".join(d.prose)) for d in drafts + [hd]}
        unlinked = _unlinked_mentions(project, seen, linked)
    nav = _nav(project, shown_sources, _sources_by_month(shown_sources) if month_drafts else None,
               [(d.title.split(": ", 1)[1], d.path) for d in letter_drafts.values()],
               [(d.title.split(": ", 1)[1], d.path) for d in tag_drafts])
    return BuildPlan(files, edit_sources, nav, warnings, mentions, links, unlinked)


def _computed_related(pages: list[PageSpec], mentions: dict[str, set[str]]) -> dict[str, list[str]]:
    """Page id → up to three pages sharing glossary terms (1 point each) and tags (2 points each).

    Highest score first, then curation order; pages scoring 0 are left out. Scores are
    counted for all pages at once with one bit per page (bit i = ``pages[i]``): each
    term and tag has a mask of the pages carrying it, and a page's scores are the sum of
    its terms' masks plus twice its tags' masks, kept as binary digit planes
    (``planes[k]`` holds bit k of every page's score). This replaces comparing every
    pair of pages, which grew with the square of the number of pages.
    """
    term_masks: dict[str, int] = {}
    tag_masks: dict[str, int] = {}
    own_terms, own_tags = [], []
    for i, page in enumerate(pages):
        bit = 1 << i
        terms = set(page.terms) | mentions.get(page.docs_path, set())
        for t in terms:
            term_masks[t] = term_masks.get(t, 0) | bit
        for t in set(page.tags):
            tag_masks[t] = tag_masks.get(t, 0) | bit
        own_terms.append(terms)
        own_tags.append(set(page.tags))

    def add(planes: list[int], mask: int, k: int) -> None:  # planes += mask << k, bitwise ripple carry
        carry = mask
        while carry:
            while k >= len(planes):  # a page with tags but no terms starts at plane 1
                planes.append(0)
            planes[k], carry = planes[k] ^ carry, planes[k] & carry
            k += 1

    out: dict[str, list[str]] = {}
    for i, page in enumerate(pages):
        planes: list[int] = []
        for t in own_terms[i]:
            add(planes, term_masks[t], 0)
        for t in own_tags[i]:
            add(planes, tag_masks[t], 1)
        remaining = 0
        for plane in planes:
            remaining |= plane
        remaining &= ~(1 << i)
        chosen: list[str] = []
        while remaining and len(chosen) < MAX_RELATED:
            best = remaining
            for plane in reversed(planes):  # narrow to the pages with the highest score left
                if best & plane:
                    best &= plane
            while best and len(chosen) < MAX_RELATED:  # lowest index (curation order) first
                low = best & -best
                chosen.append(pages[low.bit_length() - 1].id)
                best ^= low
                remaining ^= low
        out[page.id] = chosen
    return out


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


def _first_pages(paths: list[str], limit: int, preferred: set[str]) -> tuple[list[str], int]:
    """At most ``limit`` of ``paths`` (``preferred`` ones first, else in order) and how many are left out."""
    if len(paths) <= limit:
        return paths, 0
    ranked = sorted(range(len(paths)), key=lambda i: (paths[i] not in preferred, i))[:limit]
    return [paths[i] for i in sorted(ranked)], len(paths) - limit


def _chunks(label: str, items: list) -> list[tuple[str, list]]:
    """``items`` in runs of at most :data:`NAV_MAX`, labelled ``label (1–50)``, ``label (51–100)``…"""
    if len(items) <= NAV_MAX:
        return [(label, items)]
    return [(f"{label} ({i + 1:,}–{min(i + NAV_MAX, len(items)):,})", items[i:i + NAV_MAX])
            for i in range(0, len(items), NAV_MAX)]


def _explainer_sections(project: Project) -> list[tuple[str, list[PageSpec]]]:
    """Explainer pages by ``group`` (in curation order), a long group split into runs."""
    groups: dict[str, list[PageSpec]] = {}
    for p in project.pages:
        groups.setdefault(p.group or project.site.explainers_group, []).append(p)
    return [chunk for name, pages in groups.items() for chunk in _chunks(name, pages)]


def _initial(term: str) -> str:
    """The glossary letter of a term: ``A``…``Z``, ``0–9`` or ``Other``."""
    first = unicodedata.normalize("NFKD", term.strip()[:1]).encode("ascii", "ignore").decode("ascii").upper()
    return first if first.isalpha() else "0–9" if first.isdigit() else "Other"


def _glossary_pages(terms) -> dict[str, str]:
    """Term → the page it is defined on: the glossary, or (more than GLOSSARY_MAX terms) its letter's page."""
    if len(terms) <= GLOSSARY_MAX:
        return {t.term: GLOSSARY for t in terms}
    slugs = {"0–9": "0-9", "Other": "other"}
    return {t.term: f"{GLOSSARY_DIR}/{slugs.get(_initial(t.term), _initial(t.term).lower())}.md" for t in terms}


def _tag_pages(tags: list[str]) -> dict[str, str]:
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


def _month_key(source: Source) -> tuple[int, int]:
    d = source.meta.published
    return (d.year, d.month) if d else (0, 0)


def _sources_by_month(sources: list[Source]) -> list[tuple[tuple[int, int], str, str, list[Source]]]:
    """``((year, month), label, page path, sources)`` per month of publication, oldest first, undated last."""
    months: dict[tuple[int, int], list[Source]] = {}
    for s in sources:
        months.setdefault(_month_key(s), []).append(s)
    out = []
    for (year, month), ss in sorted(months.items(), key=lambda kv: (kv[0] == (0, 0), kv[0])):
        if not year:
            label, slug = "date unknown", "undated"
        elif not month:
            label, slug = f"{year} (month unknown)", f"{year}"
        else:
            label, slug = _dt.date(year, month, 1).strftime("%B %Y"), f"{year}-{month:02d}"
        out.append(((year, month), label, f"{SOURCES_BY_DATE}/{slug}/index.md", ss))
    return out


def _date_span(sources: list[Source]) -> str:
    dated = sorted((s.meta.published for s in sources if s.meta.published), key=lambda d: d.first_day())
    if not dated:
        return "none of them dated"
    first, last = dated[0].human(), dated[-1].human()
    return f"published in {first}" if first == last else f"published from {first} to {last}"


def _nav(project: Project, shown_sources: list[Source], months: Optional[list] = None,
         letters: Optional[list[tuple[str, str]]] = None, tags: Optional[list[tuple[str, str]]] = None) -> list:
    """The MkDocs nav of the generated pages.

    A small site gets one navigation section per ``group`` and every source under Reference.
    A large one keeps every level short, so each page carries only its own part of the nav
    (``navigation.prune``): groups become sections inside one "Explainers" section, a group
    longer than :data:`NAV_MAX` is split into runs, and sources are listed by year and month
    of publication, each month led by its page of sources.
    """
    nav: list = [{"Home": HOME}]
    sections = _explainer_sections(project)
    entries = [{label: [{p.title: p.docs_path} for p in pages]} for label, pages in sections]
    if len(project.pages) <= NAV_MAX and len(sections) <= SECTIONS_MAX:
        nav.extend(entries)
    else:
        nav.append({project.site.explainers_group: _nested(entries)})
    if not months:
        sources = [{"Sources": SOURCES_INDEX}] + [{s.title: s.docs_path} for s in shown_sources]
    else:
        years: dict[str, list] = {}
        for (year, _), label, path, ss in months:
            entries = [{s.title: s.docs_path} for s in ss]
            runs = _chunks(label, entries)
            body = [path] + (entries if len(runs) == 1 else [{lab: items} for lab, items in runs])
            years.setdefault(str(year) if year else "Date unknown", []).append({label: body})
        sources = [{"Sources": SOURCES_INDEX}] + (
            [{y: _nested(ms)} for y, ms in years.items()] if len(months) > SECTIONS_MAX and len(years) > 1
            else [m for ms in years.values() for m in ms])
    glossary = ([{"Glossary": [GLOSSARY] + _nested([{k: v} for k, v in letters], NAV_MAX)}] if letters
                else [{"Glossary": GLOSSARY}])
    tag_nav = [{"Tags": [TAGS] + _nested([{k: v} for k, v in tags], NAV_MAX)}] if tags else [{"Tags": TAGS}]
    nav.append({"Reference": glossary + tag_nav + [{"Sources": sources}]})
    return nav


def _nested(entries: list[dict], limit: int = SECTIONS_MAX) -> list[dict]:
    """Nav entries, put in sections of at most ``limit``, named after their first and last.

    Material renders every section beside the reader's own (pruned to a link) and loops over
    each one's entries, so a page's share of the nav, and the time to render it, grows with
    the number of sections side by side; nesting keeps both small.
    """
    while len(entries) > limit:
        runs = -(-len(entries) // limit)
        size = -(-len(entries) // runs)
        entries = [{f"{next(iter(run[0]))} – {next(iter(run[-1]))}": run}
                   for run in (entries[i:i + size] for i in range(0, len(entries), size))]
    return entries


def review_warnings(project: Project, today: Optional[_dt.date] = None) -> list[str]:
    """Messages for pages whose ``review_by`` date has passed (or that have none)."""
    today = today or _dt.date.today()
    out = []
    for p in project.pages:
        if p.review_by and p.review_by.first_day() < today:
            out.append(f"content_sources/curation.yml:{p.line}: page '{p.id}' was due for review by "
                       f"{p.review_by.iso()}; review it and update 'reviewed' and 'review_by'")
    return out
