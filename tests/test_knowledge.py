"""Issue 4: glossary links, backlinks, provenance, time anchoring, verified quotes, tags, map."""

from __future__ import annotations

import html as html_module
import json
import re

import pytest

from curate.build import plan_build
from curate.cli import main
from curate.errors import ContentError
from curate.knowledge_map import Node, connections, informative, render_map
from curate.linking import GlossaryLinker, TermLink, escape, find_links
from curate.model import GlossaryTerm
from curate.project import load_project
from curate.quotes import Quote, find_quotes
from curate.timeanchor import anchor_times, resolve
from curate.yamlio import PartialDate

APPLE_QUOTE = ("One of my formative experiences has been building our services constrained by what Apple "
               "will let us build on their platforms")


@pytest.fixture
def docs(project):
    assert main(["build", "--project", str(project), "-q"]) == 0
    return project / "docs"


def _read(docs, name):
    return (docs / name).read_text(encoding="utf-8")


# --- time anchoring -------------------------------------------------------------------------------

def test_last_month_in_the_opening_resolves_to_july_2024(docs):
    page = _read(docs, "why-meta-embraced-open-source.md")
    assert "endorsed the use of [open-source](what-is-open-source.md" in page
    llama = _read(docs, "what-is-llama.md")  # the opening's first paragraph feeds What is Llama
    assert "model last month <span class=\"curate-insertion\">&#91;July 2024&#93;</span>.<sup class=\"citation\"><a id=\"cite-1-g\" href=\"#ref-1\"" in llama
    assert "has recently <span class=\"curate-insertion\">&#91;before August 2024&#93;</span> released an open letter" in page
    assert "That concern has now <span class=\"curate-insertion\">&#91;as of August 2024&#93;</span> spread" in page
    assert "(July 2024)" not in page and "(before August 2024)" not in page


@pytest.mark.parametrize("expression,date,expected", [
    ("last month", PartialDate(2024, 8), "July 2024"),
    ("last month", PartialDate(2024, 1), "December 2023"),
    ("next year", PartialDate(2024, 8), "2025"),
    ("this year", PartialDate(2024), "2024"),
    ("last week", PartialDate(2024, 8, 15), "week of 5 August 2024"),
    ("last week", PartialDate(2024, 8), "around August 2024"),
    ("recently", PartialDate(2024, 8), "before August 2024"),
    ("now", PartialDate(2024, 8, 2), "as of 2 August 2024"),
    ("last month", PartialDate(2024), "date unknown"),
    ("last month", None, "date unknown"),
])
def test_relative_expressions_resolve_against_the_publication_date(expression, date, expected):
    assert resolve(expression, date) == expected


def test_quoted_relative_expressions_are_left_verbatim():
    text, found = anchor_times("He said “we launched last month” and now it ships.", PartialDate(2024, 8))
    assert text == "He said “we launched last month” and now [as of August 2024] it ships."
    assert found == [("now", "as of August 2024")]


def test_unknown_date_is_flagged_with_a_warning(project):
    meta = project / "content_sources" / "articles" / "zuckerberg-open-source-ai-letter.meta.yml"
    meta.write_text(re.sub(r"(?m)^published(_estimated)?:.*\n", "", meta.read_text(encoding="utf-8")),
                    encoding="utf-8")
    plan = plan_build(load_project(project))
    assert "model last month <span class=\"curate-insertion\">&#91;date unknown&#93;</span>." in plan.files["what-is-llama.md"].decode()
    assert any("publication date unknown" in w for w in plan.warnings)
    assert any("'last month' cannot be dated" in w for w in plan.warnings)


# --- quotes ---------------------------------------------------------------------------------------

def test_apple_quote_is_found_verbatim_and_attributed_to_zuckerberg(project):
    source = load_project(project).sources[0]
    quotes = find_quotes(source)
    assert Quote(APPLE_QUOTE, "Zuckerberg", source.id, "why-is-meta-ai-open-source",
                 "why-is-meta-ai-open-source--p3") in quotes
    assert [q.speaker for q in quotes] == ["Zuckerberg", "Zuckerberg", "Zuckerberg"]  # "he wrote" resolved
    assert quotes[2].text == "miss out on opportunities"
    assert [q.complete for q in quotes] == [True, True, False]  # the last is a fragment
    assert APPLE_QUOTE in source.text


def test_a_quote_shown_in_its_passage_is_not_repeated_in_their_own_words(docs):
    page = _read(docs, "why-meta-embraced-open-source.md")
    assert page.count(APPLE_QUOTE) == 1
    assert "## In their own words" not in page
    # a fragment ("miss out on opportunities") is no quotation to show on its own
    assert "## In their own words" not in _read(docs, "security-threat.md")


def test_quote_altered_by_one_word_fails_the_check_with_closest_source_text(project):
    intro = project / "content_sources" / "pages" / "why-meta-embraced-open-source.md"
    altered = APPLE_QUOTE.replace("formative", "defining")
    intro.write_text(intro.read_text(encoding="utf-8") + f"\nAs he put it: “{altered}.”\n", encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        plan_build(load_project(project))
    [problem] = exc.value.problems
    assert problem.file == "content_sources/pages/why-meta-embraced-open-source.md"
    assert problem.message == (
        f"quote check failed on page docs/why-meta-embraced-open-source.md: quote “{altered}.” does not occur "
        "verbatim in source 'zuckerberg-open-source-ai-letter'; closest source text: "
        "“One of my formative experiences has been building our services constrained by what Apple will let us "
        "build on their platforms”")


def test_quote_check_failure_stops_the_build_without_writing(project, capsys):
    assert main(["build", "--project", str(project), "-q"]) == 0
    before = {p: p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()}
    intro = project / "content_sources" / "pages" / "security-threat.md"
    added = "\nMeta says rivals will “miss out on all the opportunities”.\n"
    intro.write_text(intro.read_text(encoding="utf-8") + added, encoding="utf-8")
    assert main(["build", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "quote check failed on page docs/security-threat.md" in err
    assert "closest source text: “will “miss out on opportunities”" in err
    assert {p: p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()} == before


# --- glossary links -------------------------------------------------------------------------------

def test_exactly_one_glossary_link_to_open_source_on_llama_at_first_mention(docs):
    page = _read(docs, "what-is-llama.md")
    links = re.findall(r"\[([^\]]+)\]\(what-is-open-source\.md \"[^\"]*\"\)\{ \.glossary-link \}", page)
    assert links == ["open source"]
    body = page.split("# What is Llama", 1)[1]
    body = re.sub(r"(?m)^\*Based on reporting from .*$", "", body)  # names the source by its title, not prose
    body = re.sub(r'<sup class="citation">.*?</sup>', "", body)  # a citation's title names the source too
    visible = re.sub(r"\]\([^)]*\)(\{[^}]*\})?", "]", body)  # drop link targets, keep link text
    first_mention = re.search(r"(?i)open[\s-]source", visible)
    assert visible[first_mention.start() - 1:first_mention.end() + 1] == "[open source]"
    # the link sits in the editor's intro, whose own file is untouched
    assert "Meta calls this [open source](what-is-open-source.md" in page
    intro = (docs.parent / "content_sources" / "pages" / "what-is-llama.md").read_text(encoding="utf-8")
    assert "Meta calls this open source." in intro and "](" not in intro


def test_no_self_links_and_no_links_in_headings_quotes_or_code():
    terms = [TermLink(GlossaryTerm(term="Meta", definition="The company.", aliases=["Meta Platforms"], page="meta",
                                   case_sensitive=True), "meta.md"),
             TermLink(GlossaryTerm(term="open source", definition="Code anyone may use.", aliases=["open-source"]),
                      "open.md"),
             TermLink(GlossaryTerm(term="Llama", definition="Models.", aliases=["LLaMA"], case_sensitive=True),
                      "glossary.md", "llama")]
    linker = GlossaryLinker(terms)
    md = ("# Meta and open source\n\n“Meta is open source,” he said. `Meta` code, [Meta](x.md) link.\n\n"
          "> Meta quote\n\nThe meta data. Meta’s models are open-source; LLaMA is one. Meta again.")
    out = linker.link(md, "page.md", set())
    assert out == ("# Meta and open source\n\n“Meta is open source,” he said. `Meta` code, [Meta](x.md) link.\n\n"
                   "> Meta quote\n\nThe meta data. [Meta’s](meta.md \"The company.\"){ .glossary-link } models are "
                   "[open-source](open.md \"Code anyone may use.\"){ .glossary-link }; "
                   "[LLaMA](glossary.md#llama \"Models.\"){ .glossary-link } is one. Meta again.")
    assert "](meta.md" not in linker.link("Meta here.", "meta.md", set())
    # a quotation an editor's line wrap splits is still a quotation (a bug: its second line was linked)
    for quoted in ("He wrote “Meta is\nopen source” there.", 'He wrote "Meta is\nopen source" there.'):
        assert "](" not in linker.link(quoted, "page.md", set()), quoted


def test_possessives_with_either_apostrophe_and_plurals_link():
    linker = GlossaryLinker([TermLink(GlossaryTerm(term="model", definition="An AI model."), "m.md")])
    assert "[models](m.md" in linker.link("Open models.", "x.md", set())
    linker = GlossaryLinker([TermLink(GlossaryTerm(term="Meta", definition="Co.", case_sensitive=True), "m.md")])
    assert "[Meta's](m.md" in linker.link("Meta's plan.", "x.md", set())
    assert "[Meta’s](m.md" in linker.link("Meta’s plan.", "x.md", set())


def test_glossary_page_lists_terms_definitions_and_pages(docs):
    page = _read(docs, "glossary.md")
    assert "## open source { #open-source }" in page
    assert "Software whose code is freely available for anyone to use, study, change and share." in page
    # written as an HTML list holding Markdown, so search can skip these two items (issue 13)
    assert "<li markdown data-search-exclude>Explained on: [What is open source](what-is-open-source.md)</li>" in page
    mentioned = re.search(r"## open source \{ #open-source \}.*?<li markdown data-search-exclude>Mentioned on: "
                          r"([^\n]+)</li>", page, re.S).group(1)
    assert "[What is Llama](what-is-llama.md)" in mentioned
    assert "[Security threat](security-threat.md)" in mentioned


def test_glossary_tooltip_text_is_in_the_built_html(built):
    html = (built / "site" / "what-is-llama" / "index.html").read_text(encoding="utf-8")
    assert ('<a class="glossary-link" href="../what-is-open-source/" title="Software whose code is freely '
            'available for anyone to use, study, change and share.">open source</a>') in html


# --- backlinks and provenance --------------------------------------------------------------------

def test_backlinks_of_open_source_give_each_page_with_its_sentence_but_not_the_related_ones(docs):
    page = _read(docs, "what-is-open-source.md")
    backlinks = page.split("## Pages that link here", 1)[1].split("## References")[0]
    assert ("- [Security threat](security-threat.md){ data-preview }: "
            "“That is the case critics make against Meta's approach: it lets “bad actors” turn powerful technology "
            "to their own ends, and in Washington opponents of open source warn that rival states such as China "
            "could do the same.”"
            ) in backlinks
    assert "- [What is Llama](what-is-llama.md)" not in backlinks  # listed under "Related pages"
    assert "- [What is Llama](what-is-llama.md){ data-preview }" in page.split("## Related pages", 1)[1]


def test_find_links_returns_the_sentence_of_each_link():
    md = "First one. Then [Llama](what-is-llama.md \"x\"){ .glossary-link } grew fast! Last."
    [link] = find_links("sources/a.md", md.replace("what-is-llama.md", "../what-is-llama.md"))
    assert (link.source_page, link.target_page, link.sentence) == ("sources/a.md", "what-is-llama.md",
                                                                    "Then Llama grew fast!")


def test_every_page_says_how_old_its_reporting_is(docs):
    assert "*Based on reporting from August 2024 (estimated).*" in _read(docs, "index.md")
    for name in ("what-is-open-source.md", "why-meta-embraced-open-source.md", "what-is-llama.md",
                 "security-threat.md"):
        # the source has no publisher: named by its title; its date is an estimate
        assert ("*Based on reporting from “Mark Zuckerberg is now Supporting open-source AI tech” "
                "(August 2024, estimated).*") in _read(docs, name), name


def test_every_passage_carries_a_citation(docs):
    page = _read(docs, "why-meta-embraced-open-source.md")
    reporting = page.split("## From the reporting", 1)[1].split("## Related pages")[0]
    heading, *paragraphs = [p for p in reporting.strip().split("\n\n")]
    assert heading == ("### From “Mark Zuckerberg is now Supporting open-source AI tech”, August 2024 (estimated) "
                       "{ #from-zuckerberg-open-source-ai-letter }")
    # of the opening only its second paragraph is chosen: not the caption, not the article's filler
    assert len(paragraphs) == 6 and not [p for p in paragraphs if "key things you might want" in p]
    assert not [p for p in paragraphs if p.startswith("Meta AI is powered by")]
    # the intro's six citations come first (a-f), then the passages'
    for letter, p in zip("ghijkl", paragraphs, strict=True):
        assert re.search(rf'<sup class="citation"><a id="cite-1-{letter}" href="#ref-1" title="[^"]+" '
                         r'aria-label="Reference 1">\[1\]</a></sup>$', p), p
    # one reference, lettered back-links to the intro's six citations and the six paragraphs
    [entry] = re.findall(r"(?m)^1\. .*$", page.split("## References", 1)[1])
    assert entry.startswith("1. &#94; [a](#cite-1-a)") and "[l](#cite-1-l)" in entry and "(#cite-1-m)" not in entry
    assert entry.count("Mark Zuckerberg is now Supporting open-source AI tech") == 1


def test_citation_tooltip_is_in_the_built_html(built):
    html = (built / "site" / "what-is-llama" / "index.html").read_text(encoding="utf-8")
    mark = re.search(r'<sup class="citation"><a id="cite-1-a" href="#ref-1" title="([^"]*)" '
                     r'aria-label="Reference 1">\[1\]</a></sup>', html)
    # The title's parentheses are character references (Python-Markdown reads no link in them);
    # the browser shows the text as written.
    assert html_module.unescape(mark.group(1)) == ("Mark Zuckerberg is now Supporting open-source AI tech, "
                                                   "August 2024 (estimated): section “What is Llama?”, paragraph 1")  # the intro's first citation
    entry = re.search(r'<li id="ref-1">(.*?)</li>', html, re.DOTALL).group(1)
    assert '<a aria-label="Back to the text, citation 1a" href="#cite-1-a">a</a>' in entry
    assert ('<a href="../sources/zuckerberg-open-source-ai-letter/">Mark Zuckerberg is now Supporting open-source AI '
            'tech</a>, August 2024 (estimated). Cited: a, e. <a href="../sources/zuckerberg-open-source-ai-letter/'
            '#what-is-llama--p1">section “What is Llama?”, paragraph 1</a>; b, d, f. <a href="../sources/'
            'zuckerberg-open-source-ai-letter/#what-is-llama--p2">section “What is Llama?”, paragraph 2</a>; '
            'c, g. <a href="../sources/zuckerberg-open-source-ai-letter/#lead--p1">opening, paragraph 1</a>.') in entry
    assert "not recorded" not in html


# --- tags, related pages, knowledge map, link health, review dates ----------------------------

def test_tags_on_pages_and_in_the_tags_index(built):
    tags = (built / "site" / "tags" / "index.html").read_text(encoding="utf-8")
    for tag in ("open source", "Meta", "security", "models"):
        assert f">{tag}<" in tags or f'"{tag}"' in tags or f"{tag}</" in tags, tag
    assert 'href="../what-is-llama/"' in tags
    page = (built / "site" / "security-threat" / "index.html").read_text(encoding="utf-8")
    assert "md-tag" in page and "security" in page


def test_related_pages_are_computed_when_the_curation_file_lists_none(project):
    curation = project / "content_sources" / "curation.yml"
    curation.write_text(re.sub(r"(?m)^    related: .*\n", "", curation.read_text(encoding="utf-8")),
                        encoding="utf-8")
    plan = plan_build(load_project(project))
    page = plan.files["what-is-llama.md"].decode()
    related = page.split("## Related pages { data-search-exclude }\n\n", 1)[1].split("\n\n")[0]
    assert related.splitlines()[0].startswith("- [Why Meta embraced open source](why-meta-embraced-open-source.md)")
    assert len(related.splitlines()) == 3


def test_knowledge_map_on_home_page_links_every_explainer_with_a_name(built):
    html = (built / "site" / "index.html").read_text(encoding="utf-8")
    block = html.split('<div class="curate-map">', 1)[1].split("</ul>")[0]
    svg = block.split("</svg>")[0]
    # The links are Markdown links, so MkDocs resolved them to page URLs like any other link.
    nodes = re.findall(r'<a class="curate-map-node" href="([^"]+)">([^<]+)</a>', block)
    assert nodes == [("what-is-open-source/", "What is open source"),
                     ("why-meta-embraced-open-source/", "Why Meta embraced open source"),
                     ("what-is-llama/", "What is Llama"), ("security-threat/", "Security threat")]
    assert 'aria-hidden="true"' in svg and "<script" not in block  # the drawing; the names are the links
    # Arcs weighted by shared terms and tags, leaving out "open source", which every page has:
    # "Why Meta…" and "What is Llama" share the most (four terms and the tag Meta); "What is open
    # source" shares only "licence", with What is Llama, and nothing with the other two.
    arcs = re.findall(r'style="stroke-width: ([\d.]+)px"><title>([^<]+)</title>', svg)
    widths = {title.split(" share ")[0]: float(width) for width, title in arcs}
    assert widths == {"What is open source and What is Llama": 1.5, "What is Llama and Security threat": 3,
                      "Why Meta embraced open source and Security threat": 4.5,
                      "Why Meta embraced open source and What is Llama": 6}  # thicker for every step of weight
    assert ("Why Meta embraced open source and What is Llama share 5: terms: Llama, Meta, OpenAI, "
            "generative AI; tags: Meta") in [html_module.unescape(t) for _, t in arcs]


def _map_nodes(terms: list[set[str]], tags: list[set[str]] | None = None) -> list[Node]:
    tags = tags or [set() for _ in terms]
    return [Node(f"p{i}.md", f"Page {i}", frozenset(t), frozenset(g)) for i, (t, g) in enumerate(zip(terms, tags, strict=True))]


def test_knowledge_map_weights_connections_by_shared_terms_and_tags():
    nodes = _map_nodes([{"Llama", "Meta"}, {"Meta"}, {"Linux"}], [{"models"}, {"models"}, set()])
    assert [(c.a, c.b, c.terms, c.tags, c.weight) for c in connections(nodes)] == [
        (0, 1, ("Meta",), ("models",), 2)]  # page 2 shares nothing: no arc
    assert informative(nodes, connections(nodes))


def test_knowledge_map_is_left_out_when_it_would_be_a_complete_graph_of_one_weight():
    alike = _map_nodes([{"open source", "Meta"}, {"open source", "Meta"}])
    assert len(connections(alike)) == 1 and not informative(alike, connections(alike))
    assert render_map(alike, lambda p: p) == ""
    pairs = _map_nodes([{"a", "b"}, {"b", "c"}, {"c", "a"}])  # each pair shares one term
    assert len(connections(pairs)) == 3 and not informative(pairs, connections(pairs))
    # terms every page has join every pair alike: not counted, so no arc at all
    assert connections(_map_nodes([{"open source", "Meta"}] * 4)) == []
    assert render_map(_map_nodes([{"open source", "Meta"}] * 4), lambda p: p) == ""
    assert render_map(_map_nodes([{"a"}, {"b"}]), lambda p: p) == ""  # nothing shared
    # one weight but not every pair joined: the map shows which pages belong together
    apart = _map_nodes([{"a"}, {"a"}, {"b"}, {"b"}])
    assert "curate-map-node" in render_map(apart, lambda p: p)


def test_knowledge_map_leaves_out_the_home_page_section_when_it_says_nothing(project):
    curation = project / "content_sources" / "curation.yml"
    text = curation.read_text(encoding="utf-8")
    curation.write_text(text[: text.index("  - id: why-meta-embraced-open-source")], encoding="utf-8")
    curation.write_text(re.sub(r"related: \[.*\]", "related: []", curation.read_text(encoding="utf-8")),
                        encoding="utf-8")
    home = plan_build(load_project(project)).files["index.md"].decode()
    assert "Knowledge map" not in home and "curate-map" not in home  # one page: nothing to join


def test_knowledge_map_titles_are_escaped_in_the_drawing():
    nodes = _map_nodes([{"a"}, {"a", "b"}, {"b"}])
    nodes[0] = Node("p0.md", "<b>Bold</b> & [x](javascript:alert(1))", frozenset({"a"}))
    block = render_map(nodes, lambda p: p)
    svg = block.split("</svg>")[0]
    assert "<b>" not in svg and "&lt;b&gt;Bold&lt;/b&gt; &amp; [x](javascript:alert(1)) and Page 1 share 1" in svg
    assert f"- [{escape(nodes[0].title)}](p0.md){{ .curate-map-node }}" in block  # Markdown shows it as typed


def test_check_reports_link_health(project, capsys):
    assert main(["build", "--project", str(project), "-q"]) == 0
    assert main(["check", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "link to the glossary" in x)
    assert line.strip().startswith("10 terms link to the glossary, no page having them as its key term: 'Apache'")
    assert "'OpenAI'" in line and "'Meta AI'" in line and "'Llama'" not in line  # Llama is a page's key term


def test_review_by_passed_warns_and_fails_with_strict(project, capsys):
    assert main(["build", "--project", str(project), "-q"]) == 0
    assert main(["check", "--project", str(project), "--today", "2027-06-01"]) == 0
    err = capsys.readouterr().err
    assert err.count("was due for review by 2027-05-31") == 4
    assert ("warning: content_sources/curation.yml:10: page 'what-is-open-source' was due for review by 2027-05-31; "
            "review it and update 'reviewed' and 'review_by'") in err
    assert main(["check", "--project", str(project), "--today", "2027-06-01", "--strict"]) == 1
    assert main(["check", "--project", str(project), "--today", "2027-05-31", "--strict"]) == 0


def test_check_reports_terms_mentioned_but_never_linked(project, capsys):
    intro = project / "content_sources" / "pages" / "what-is-llama.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\n## Unlike Linux\n\nA model is not a kernel.\n",
                     encoding="utf-8")
    assert main(["build", "--project", str(project), "-q"]) == 0
    assert main(["check", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "  mentioned but not linked on docs/what-is-llama.md: Linux\n" in out
    assert "orphan page" not in out


def _glossary_links(markdown: str) -> dict[str, str]:
    """Link text → target of every glossary link in a page's Markdown."""
    return dict(re.findall(r'\[([^\]]+)\]\(([^ )]+) "[^"]*"\)\{ \.glossary-link \}', markdown))


def test_a_term_links_to_the_page_about_it_and_otherwise_to_its_glossary_entry_on_every_page(docs):
    """One rule on every page: a page's key term (first under 'terms') links to the page, other terms to the glossary."""
    source = _glossary_links(_read(docs, "sources/zuckerberg-open-source-ai-letter.md"))
    # key terms of the four explainers
    assert source["weaponise"] == "../security-threat.md"
    assert source["open-source"] == "../what-is-open-source.md"
    assert source["LLaMA 3.1"] == "../what-is-llama.md"
    assert source["Meta Platforms"] == "../why-meta-embraced-open-source.md"
    # listed under 'terms' of a page but not first, or listed by none: the glossary entry
    assert source["Linux"] == "../glossary.md#linux"
    assert source["Apache web server"] == "../glossary.md#apache"
    assert source["Mark Zuckerberg"] == "../glossary.md#mark-zuckerberg"
    assert source["Cambridge Analytica"] == "../glossary.md#cambridge-analytica"
    assert source["generative AI"] == "../glossary.md#generative-ai"
    # the page that lists Linux among its terms links it like every other page does
    assert _glossary_links(_read(docs, "what-is-open-source.md"))["Linux"] == "glossary.md#linux"
    assert _glossary_links(_read(docs, "why-meta-embraced-open-source.md"))["Apple"] == "glossary.md#apple"
    llama = _glossary_links(_read(docs, "what-is-llama.md"))
    assert (llama["licence"], llama["Meta"]) == ("glossary.md#licence", "why-meta-embraced-open-source.md")
    assert "Llama" not in llama and "LLaMA" not in llama  # never a self-link


def test_meta_ai_is_its_own_term_not_another_name_for_meta(docs):
    source = _glossary_links(_read(docs, "sources/zuckerberg-open-source-ai-letter.md"))
    assert source["Meta AI"] == "../glossary.md#meta-ai"
    glossary = _read(docs, "glossary.md")
    meta = glossary.split("## Meta { #meta }", 1)[1].split("\n## ", 1)[0]
    assert "Also written: Meta Platforms</li>" in meta and "Meta AI" not in meta
    assert "Meta's AI assistant" in glossary.split("## Meta AI { #meta-ai }", 1)[1].split("\n## ", 1)[0]


def test_glossary_entries_say_also_written_for_variants(docs):
    glossary = _read(docs, "glossary.md")
    for anchor, line in (("licence", "<li markdown>Also written: license</li>"),
                         ("weaponise", "<li markdown>Also written: weaponised, weaponize, weaponized</li>"),
                         ("open-source", "<li markdown>Also written: open-source</li>"),
                         ("llama", "<li markdown>Also written: LLaMA, Llama 3.1, LLaMA 3.1</li>")):
        entry = glossary.split(f"{{ #{anchor} }}", 1)[1].split("\n## ", 1)[0]
        assert line in entry, anchor  # searched: no data-search-exclude on the item


def test_search_finds_spelling_variants_in_the_glossary_entry(built):
    """site/search/search_index.json: the entries of 'licence' and 'weaponise' hold 'license' and 'weaponize'."""
    index = json.loads((built / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = {doc["location"]: doc["text"] for doc in index["docs"]}
    assert "license" in entries["glossary/#licence"]
    assert "weaponize" in entries["glossary/#weaponise"]
    # only the glossary entry: the other pages write the British spellings
    assert [loc for loc, text in entries.items() if re.search(r"\blicense\b", text)] == ["glossary/#licence"]


def test_a_glossary_page_key_is_refused_with_a_hint(project):
    glossary = project / "content_sources" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "    aliases: [Zuckerberg]\n", "    aliases: [Zuckerberg]\n    page: why-meta-embraced-open-source\n"),
        encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_project(project)
    [problem] = exc.value.problems
    assert (problem.file, problem.key, problem.message) == (
        "content_sources/glossary.yml", "terms[4].page", "'page' is no longer a key here")
    assert problem.line == glossary.read_text(encoding="utf-8").splitlines().index(
        "    page: why-meta-embraced-open-source") + 1
    assert "lists it first under 'terms' in content_sources/curation.yml" in problem.hint


def test_a_term_is_the_key_term_of_one_page_at_most(project):
    curation = project / "content_sources" / "curation.yml"
    curation.write_text(curation.read_text(encoding="utf-8").replace("terms: [weaponise]", "terms: [Meta, weaponise]"),
                        encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_project(project)
    [problem] = exc.value.problems
    assert (problem.file, problem.line, problem.key) == ("content_sources/curation.yml", 50, "pages[3].terms[0]")
    assert problem.message == ("'Meta' is already the key term of page 'why-meta-embraced-open-source' (line 21): "
                               "a term links to the one page that is about it")


def test_a_term_listed_later_under_terms_links_to_the_glossary(project):
    curation = project / "content_sources" / "curation.yml"
    curation.write_text(curation.read_text(encoding="utf-8").replace("terms: [weaponise]", "terms: [Linux, weaponise]"),
                        encoding="utf-8")
    plan = plan_build(load_project(project))
    source = _glossary_links(plan.files["sources/zuckerberg-open-source-ai-letter.md"].decode())
    assert (source["Linux"], source["weaponise"]) == ("../security-threat.md", "../glossary.md#weaponise")
    assert plan.warnings == []


# --- hostile glossary names -----------------------------------------------------------------------

def _add_terms(project, text: str) -> list:
    glossary = project / "content_sources" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + text, encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_project(project)
    return [(p.key, p.message) for p in exc.value.problems]


@pytest.mark.parametrize("name", [".", ".*", "(|)", "—", "“”"])
def test_a_glossary_name_without_a_letter_or_digit_is_refused(project, name):
    # An alias "." linked a full stop on every page to the glossary ("[.](glossary.md#dot ...)").
    found = _add_terms(project, f'\n  - term: dot\n    definition: A dot.\n    aliases: ["{name}"]\n')
    assert found == [("terms[14].aliases[0]", f"'{name}' has no letter or digit, so it would match that "
                                               "punctuation wherever it is written")]


def test_a_name_given_to_two_terms_is_refused(project):
    # "C++" as Rust's alias and as a term: a mention linked to whichever the linker tried first.
    found = _add_terms(project, "\n  - term: C++\n    definition: A language.\n"
                                "  - term: Rust\n    definition: Another.\n    aliases: [c++, mark-zuckerberg]\n"
                                "  - term: Open Source\n    definition: Twice.\n")
    assert found == [
        ("terms[15].aliases[0]", "'c++' is already a name of the term 'C++' (line 58), so a mention of it could "
                                 "link to either"),
        ("terms[15].aliases[1]", "'mark-zuckerberg' is already a name of the term 'Mark Zuckerberg' (line 22), so "
                                 "a mention of it could link to either"),
        ("terms[16].term", "term 'Open Source' is defined twice (first on line 7)"),
    ]


def test_regular_expression_characters_in_a_term_are_matched_as_written(project):
    glossary = project / "content_sources" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8")
                        + "\n  - term: C++\n    definition: A language.\n    aliases: [(a|b)]\n", encoding="utf-8")
    linker = GlossaryLinker([TermLink(t, "glossary.md#" + t.anchor) for t in load_project(project).glossary
                             if t.term == "C++"])
    out = linker.link("Code in C++ and in (a|b) but not in C or a.\n", "p.md", set())
    assert out.count("](glossary.md#") == 1 and "[C++](glossary.md#" in out
    # the alias first, so it is the mention tried: "(a|b)" as written, not "a" or "b" as a pattern
    out = linker.link("Only (a|b) here, and a b.\n", "p.md", set())
    assert out.count("](glossary.md#") == 1 and "[(a\\|b)](glossary.md#" in out, out  # "|" escaped for tables


def test_glossary_lists_mentions_in_navigation_order_without_the_explaining_page(docs):
    glossary = _read(docs, "glossary.md")
    llama = glossary.split("{ #llama }", 1)[1].split("\n## ", 1)[0]
    assert "Explained on: [What is Llama](what-is-llama.md)" in llama
    mentioned = re.search(r"Mentioned on: (.*)</li>", llama).group(1)
    titles = re.findall(r"\[([^\]]+)\]\(", mentioned)
    # explainers as the navigation orders them, the source article last, What is Llama not again
    assert titles == ["Why Meta embraced open source", "Security threat",
                      "Mark Zuckerberg is now Supporting open-source AI tech"]
