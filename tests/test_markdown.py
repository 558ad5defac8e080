"""Reading Markdown: curate.markdown_tokens and everything that reads Markdown through it.

Organised by what reads Markdown: the parser and its source positions, glossary linking,
links and backlinks, headings and their anchors, front matter and titles of hand-written
pages, editor quotations, and the Markdown source reader. Expected values come from
Python-Markdown and MkDocs themselves, configured from the repository's mkdocs.yml.
"""

from __future__ import annotations

import functools
import html
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from curate import markdown_tokens
from curate.build import title_of as build_title_of
from curate.cleaning import parse_markdown
from curate.linking import GlossaryLinker, TermLink, find_links, link_title
from curate.markdown_tokens import (
    PARAGRAPHS,
    STRETCHES,
    Document,
    front_matter,
    headings,
    inline_parts,
    parser,
    title_of,
)
from curate.model import GlossaryTerm
from curate.quotes import editor_quotes

from .conftest import REPO, copy_project, mkdocs_build

QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- Python-Markdown and MkDocs as mkdocs.yml configures them -------------------------------------

@functools.cache
def _mkdocs_config():
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    return load_config(str(REPO / "mkdocs.yml"))


def render(text: str) -> str:
    """HTML Python-Markdown makes of ``text`` with the extensions MkDocs loads from mkdocs.yml."""
    config = _mkdocs_config()
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs).convert(text)


def mkdocs_title(text: str, path: str) -> str:
    """The title MkDocs gives a page (``Page.title`` after rendering), as plain text."""
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    config = _mkdocs_config()
    config.plugins._current_plugin = None  # File.generated asks which plugin made the file
    file = File.generated(config, path, content=text)
    page = Page(None, file, config)
    page.read_source(config)
    page.render(config, Files([file]))
    return html.unescape(page.title)


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.links: list[dict] = []
        self._in_link: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "a":
            link = {**attributes, "text": ""}
            self.links.append(link)
            self._in_link.append(link)

    def handle_endtag(self, tag):
        if tag == "a" and self._in_link:
            self._in_link.pop()

    def handle_data(self, data):
        self.text.append(data)
        for link in self._in_link:
            link["text"] += data


VOID = frozenset({"hr", "br", "img", "input", "meta", "link"})


class _TopLevel(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.tags.append(tag)
        if tag not in VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag not in VOID:
            self.depth -= 1


def top_level(fragment: str) -> list[str]:
    """Tags of the top-level elements of an HTML fragment."""
    p = _TopLevel()
    p.feed(fragment)
    return p.tags


def parsed(fragment: str) -> _Html:
    p = _Html()
    p.feed(fragment)
    p.close()
    return p


def visible(fragment: str) -> str:
    return re.sub(r"\s+", " ", "".join(parsed(fragment).text)).strip()


def glossary_links(fragment: str) -> list[dict]:
    return [a for a in parsed(fragment).links if a.get("class") == "glossary-link"]


def linker(*terms: tuple[str, str], case_sensitive: bool = False) -> GlossaryLinker:
    return GlossaryLinker([TermLink(GlossaryTerm(term=term, definition=definition, aliases=[], page="",
                                                 case_sensitive=case_sensitive), f"t{i}.md")
                           for i, (term, definition) in enumerate(terms)])


# =================================================================================================
# 1. The parser and its source positions
# =================================================================================================

PIECES = st.sampled_from([
    "a", "Meta", "word ", " ", "  ", "\n", "\n\n", "\t", "*", "**", "_", "`", "``", "[", "]", "(", ")", "!", "<", ">",
    "\\", "\\*", "\\[", "\\\\", "&amp;", "&lt;", "&#40;", "&nosuch;", "&", "[^1]", "[^x]:", "{ #id }", "{ .c }",
    "[x](y.md)", "[x](y.md \"t\")", "<b>", "</b>", "<a href=\"x\">", "</a>", "<http://x.org>", "#", "## ", "- ",
    "1. ", "> ", "---", "===", "    ", "```", "~~~", "*[HTML]: Hyper", "[ref]: /url", "!!! note", "| a |",
    "’", "“", "”", "é", "🚨", "什么",
    # tags and references the inline shortcut reads alone (markdown_tokens._alone), and lookalikes
    '<span class="curate-insertion">', "</span>", "&#91;", "&#93;", "&#x5B;", "&#0;", "&#99999999;", "&amp",
    "<br/>", "<!-- c -->", "<!--", "-->", '<span title="a>b">', "<x y='1'>", "<a>", "</a >", "<mailto:a@b.c>",
])
TEXTS = st.lists(PIECES, max_size=24).map("".join)


def _inline_summary(doc: Document) -> list:
    out = []
    for token in doc.tokens:
        out.append((token.type, token.map))
        for child in token.children or []:
            out.append((child.type, child.content, child.meta.get("span"), child.meta.get("pieces"),
                        child.meta.get("label")))
    return out


@QUICK
@given(TEXTS)
@example("plain text and \\*escapes\\*\nover  \ntwo lines[^1] then *more*")
@example("x\\\ny")
@example('Said <span class="curate-insertion">&#91;July 2024&#93;</span>.  \nNext *line*')
@example('<span title="a>b">x</span> &#x5B;&#0;&amp')
def test_the_shortcut_for_plain_inline_text_gives_markdown_its_own_tokens(text):
    assert _inline_summary(Document(text, fast=True)) == _inline_summary(Document(text, fast=False))


@QUICK
@given(TEXTS)
@example("Before \\*NSYNC\\* and AT&amp;T\nnext  line")
@example("> quoted\n> lines\n\n- item\n  continued")
def test_every_run_of_text_maps_back_to_the_source_it_came_from(text):
    doc = Document(text)
    for inline in doc.inlines():
        for run in inline.runs:
            if run.pieces is None:
                continue
            for at, length, start, end, verbatim in run.pieces:
                if verbatim:
                    assert doc.text[start:end] == run.text[at:at + length]
                elif run.text[at:at + length] == "\n":
                    assert "\n" in doc.text[start:end]
                else:  # an escape or an entity, which markdown-it decodes to this text
                    assert render_inline(doc.text[start:end]) == run.text[at:at + length]


def render_inline(source: str) -> str:
    return "".join(c.content for c in parser().parseInline(source)[0].children or [])


@QUICK
@given(st.lists(TEXTS, max_size=6).map("\n\n".join))
@example("Para one.\n\n## From the reporting\n\nPara two[^1]\n{ #x }\n\n- list\n\nAfter.")
@example("```\nopen fence\n\nParagraph inside it")
@example("<!--\n\nhidden\n\n-->\n\nShown.")
@example("Uses [a link][ref].\n\n[ref]: /there.md")
@example("- item\n\n  continued in the item\n\nOut.")
def test_reading_paragraph_by_paragraph_equals_parsing_the_whole_text(text):
    PARAGRAPHS.clear()
    STRETCHES.clear()
    parts, abbreviations = inline_parts(text)
    whole = Document(text, any_footnote=True)
    assert abbreviations == whole.abbreviations
    assert _summary((p.offset, i) for p in parts for i in p.inlines) == _summary((0, i) for i in whole.inlines())


def _summary(inlines) -> list:
    return [(i.kind, i.containers, i.plain, i.code, i.attr_ids, i.block_id,
             [(link.href, link.start, link.end) for link in i.links],
             [(r.text, r.offset, r.escaped, None if r.pieces is None else
               [(a, n, s + offset, e + offset, v) for a, n, s, e, v in r.pieces]) for r in i.runs])
            for offset, i in inlines]


PARAGRAPH_WORDS = st.sampled_from(["Meta", "Meta’s", "open source", "open\nsource", "Llama", "AT&amp;T", "\\*",
                                   "*em*", "`code`", "[x](y.md)", "[^1]", " ", " ", "word", "“quoted Meta”", "\n",
                                   "![i](p.png)", "<b>", "Meta{", "!", "\\", "&lt;", "{ .c }", "\n{ #id }"])


@QUICK
@given(st.lists(PARAGRAPH_WORDS, min_size=1, max_size=16).map("".join))
@example("Meta and open source[^1]\n{ #lead--p1 }")
@example("MetaMeta\n{ #id }Meta`code`")  # a bug: the link made "{ #id }" the paragraph's attributes
@example("Meta\n{ #id }[^1]")  # a bug: the link moved the paragraph's "{ #id }" into its tail
def test_a_linked_paragraph_is_known_exactly_as_parsing_it_gives(text):
    glossary = linker(("Meta", "A company."), ("open source", "Code."), ("Llama", "Models."))
    PARAGRAPHS.clear()
    out = glossary.link(text, "page.md", set())
    derived = PARAGRAPHS.known(out) if out != text else None
    if derived is None:
        return
    PARAGRAPHS.clear()
    parts, _ = inline_parts(out)
    assert _summary([(0, derived)]) == _summary((p.offset, i) for p in parts for i in p.inlines)


def test_the_linked_paragraph_property_reaches_its_check_and_leaves_fragile_lists_unlinked():
    """The property above returns early when nothing is linked: here its examples do not."""
    glossary = linker(("Meta", "A company."), ("open source", "Code."), ("Llama", "Models."))
    PARAGRAPHS.clear()
    out = glossary.link("Meta and open source[^1]\n{ #lead--p1 }", "page.md", set())
    assert out != "Meta and open source[^1]\n{ #lead--p1 }" and PARAGRAPHS.known(out) is not None
    # a paragraph's own attribute list before its first element: a link would move it, so none is made
    for text in ("MetaMeta\n{ #id }Meta`code`", "Meta\n{ #id }[^1]"):
        assert glossary.link(text, "page.md", set()) == text


def test_backslash_escapes_are_the_ones_python_markdown_knows():
    config = _mkdocs_config()
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    assert markdown_tokens._ESCAPABLE == set(md.ESCAPED_CHARS)
    [inline] = Document("\\<b> \\\" \\* a\\\nb").inlines()
    assert inline.plain == '\\ \\" * a\\\nb'  # "\<" is a backslash and a tag; no backslash line break


# Python-Markdown's block rules, each a case where CommonMark reads the text otherwise.
BLOCK_CASES = [
    ("#Heading without a space", ["h1"]),
    (" # one space before", ["p"]),
    ("Text\n# a heading interrupts\nmore", ["p", "h1", "p"]),
    ("Line one\nLine two\n===", ["p"]),
    ("Line one\nLine two\n---", ["p", "hr"]),
    ("Single line\n---", ["h2"]),
    ("Text\n- not a list", ["p"]),
    ("Text\n1. not a list", ["p"]),
    ("Text\n| a | b |\n|---|---|", ["p"]),
    ("- a list\n- of two", ["ul"]),
    ("*[HTML]: Hyper Text\nThe HTML text", ["p"]),
    ("!!! note \"Title\"\n    Inside the note", ["div"]),
    ("Text\n> a quote interrupts", ["p", "blockquote"]),
]


@pytest.mark.parametrize("text, blocks", BLOCK_CASES)
def test_blocks_are_read_as_python_markdown_reads_them(text, blocks):
    rendered = render(text)
    assert top_level(rendered) == blocks, rendered
    ours = [t.tag for t in Document(text).tokens if t.level == 0 and t.nesting in (0, 1) and t.type != "inline"
            and t.type != "abbr_definition"]
    assert ours == blocks


# =================================================================================================
# 2. Glossary linking
# =================================================================================================

# Terms that start with a character Markdown gives a meaning to, each in a passage (escaped
# source text) and in an editor's intro (Markdown as an editor writes it).
MARKUP_TERMS = [
    ("*NSYNC", "A band.", "*NSYNC toured in 2001, and \\*NSYNC sold records.", "\\*NSYNC toured in 2001."),
    ("_private", "A private name.", "The _private field is read-only.", "The \\_private field is read-only."),
    ("[citation needed]", "A request for a source.", "It is said \\[citation needed\\] often.",
     "It is said \\[citation needed\\] often."),
    ("`grep`", "A search tool.", "Run \\`grep\\` on every file, then \\`grep\\` again.", "Run \\`grep\\` here."),
    ("{fmt}", "A formatting library.", "The {fmt} library formats text.", "The \\{fmt\\} library formats text."),
]


@pytest.mark.parametrize("term, definition, intro, passage", MARKUP_TERMS)
def test_a_term_starting_with_markup_links_without_garbling_its_paragraph(term, definition, intro, passage):
    glossary = linker((term, definition))
    for text in (intro, passage):
        before = render(text)
        after = render(glossary.link(text, "page.md", set()))
        assert visible(after) == visible(before), after
        [link] = glossary_links(after)
        assert (link["text"], link["href"], link["title"]) == (term, "t0.md", definition)
        assert [t for t, _ in parsed(after).elements] == ["p", "a"]


HOSTILE_DEFINITIONS = [
    "A company ('see') [click](javascript:alert(1)) now.",
    'Say "hi" (\'x\') <b>bold</b> & AT&amp;T `code` \\ [^1] [x][y]',
    "Ends with a quote'",
    "(javascript:alert(2))",
]


@pytest.mark.parametrize("definition", HOSTILE_DEFINITIONS)
def test_a_definition_is_the_tooltip_exactly_and_never_markup_or_an_address(definition):
    rendered = render(linker(("Meta", definition)).link("About Meta here. [^1]: x", "page.md", set()))
    [link] = parsed(rendered).links
    assert link["href"] == "t0.md"
    assert link["title"] == definition
    assert visible(rendered) == "About Meta here. [^1]: x"
    assert {t for t, _ in parsed(rendered).elements} == {"p", "a"}


def test_link_title_keeps_quotes_as_typed():
    assert link_title('The "open" way') == "The &quot;open&quot; way"
    rendered = render(linker(("open", 'The "open" way, so to speak.')).link("An open model.", "p.md", set()))
    assert glossary_links(rendered)[0]["title"] == 'The "open" way, so to speak.'


NOT_LINKED = {
    "an indented code block": "Text before.\n\n    Meta in code\n\nText after.",
    "a setext heading": "Meta heading\n============\n\nText after.",
    "an abbreviation definition": "*[HTML]: Meta's markup language\n\nText about HTML.",
    "a link whose text spans two lines": "See [the story about\nMeta](other.md) here.",
    "an ATX heading without a space": "#Meta\n\nText.",
    "a blockquote": "> Meta said so.",
    "a footnote definition": "Text.[^1]\n\n[^1]: Meta said so.",
    "a quotation": "He said “Meta is big” once.",
    "raw HTML": "<div>Meta</div>",
    "an inline HTML link": 'See <a href="x.md">Meta</a> here.',
    "an abbreviation": "*[Meta]: Meta Platforms\n\nMeta grew.",
    "a link with spaces Python-Markdown accepts": "See [Meta](some page.md) now.",
    "a bare URL": "See https://example.org/Meta now.",
    "an admonition title": '!!! note "Meta"\n    Body.',
}


@pytest.mark.parametrize("where", NOT_LINKED)
def test_no_term_is_linked_inside(where):
    text = NOT_LINKED[where]
    assert linker(("Meta", "A company.")).link(text, "page.md", set()) == text


def test_a_term_is_linked_in_lists_tables_emphasis_and_admonitions():
    glossary = linker(("Meta", "A company."))
    for text in ("- Meta grew.", "| a |\n|---|\n| Meta |", "It is *Meta* now.", "!!! note\n    Meta grew."):
        rendered = render(glossary.link(text, "page.md", set()))
        assert [link["text"] for link in glossary_links(rendered)] == ["Meta"], rendered


@pytest.mark.parametrize("term, text", [("snake_case", "Use snake\\_case names."), ("A*B test", "An A\\*B test ran."),
                                        ("array[0]", "Read array\\[0\\] first."), ("C#", "Write C\\# code.")])
def test_terms_holding_markdown_characters_link_in_escaped_text(term, text):
    rendered = render(linker((term, "Defined.")).link(text, "page.md", set()))
    assert [link["text"] for link in glossary_links(rendered)] == [term]
    assert visible(rendered) == visible(render(text))


@pytest.mark.parametrize("text", ["Hey!Meta grew.", "A \\Meta grew.", "Meta{x} grew.", "Meta{: .x } grew."])
def test_a_link_is_never_turned_into_an_image_an_escape_or_a_swallowed_attribute_list(text):
    out = linker(("Meta", "A company.")).link(text, "page.md", set())
    assert render(out) == render(text)


def test_a_term_split_over_two_lines_keeps_the_line_break_and_indentation():
    glossary = linker(("open source", "Code anyone may use."))
    out = glossary.link("- It is open\n  source code.", "page.md", set())
    assert out == '- It is [open\n  source](t0.md "Code anyone may use."){ .glossary-link } code.'


def test_mentions_count_the_same_places_links_go():
    glossary = linker(("Meta", "A company."), ("Llama", "Models."))
    text = "# Llama\n\nMeta grew.\n\n> Llama quoted."
    assert glossary.mentions(text) == {"Meta"}
    assert glossary.mentions_anywhere(text) == {"Meta", "Llama"}


MARKUP_GLOSSARY = [("Meta", "A company ('see') \"quoted\"."), ("open source", "Code anyone may use."),
                   ("*NSYNC", "A band."), ("{fmt}", "A library."), ("C#", "A language."), ("`grep`", "A tool.")]
PROSE = st.sampled_from(["Meta", "Meta’s", "open source", "open\nsource", "*NSYNC", "\\*NSYNC", "{fmt}", "\\{fmt\\}",
                         "C\\#", "C#", "`grep`", "\\`grep\\`", " ", " ", "word", "*em*", "_em_", "**strong**",
                         "`code`", "[x](y.md)", "[^1]", "<b>", "</b>", "!", "\\", "&amp;", "{", "}", "(", ")", "\n",
                         "\n\n", "“quoted Meta”", "\"Meta\"", "- ", "> ", "# ", "[", "]", "<", ">", "_", "*"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PROSE, min_size=1, max_size=20).map("".join))
@example("Hey!Meta and \\Meta, then Meta} and *Meta*em*")
@example("\\`code``grep`")  # a bug: the link split a run of two backticks, and a code span appeared
def test_linking_never_changes_what_python_markdown_shows_but_the_links(text):
    notes = "\n\n[^1]: A note."  # a page defines the footnotes its prose refers to
    before = render(text + notes)
    assume("klzzwxh" not in before)  # Python-Markdown garbles some runs of "*" itself (a leaked placeholder)
    after = render(linker(*MARKUP_GLOSSARY).link(text, "page.md", set()) + notes)
    assert visible(after) == visible(before)
    added = [e for e in parsed(after).elements if e not in parsed(before).elements]
    assert all(tag == "a" and attrs.get("class") == "glossary-link" for tag, attrs in added), after


@pytest.fixture(scope="module")
def hostile_glossary_site(tmp_path_factory) -> Path:
    """The real project with glossary terms that start with markup and a hostile definition."""
    root = copy_project(tmp_path_factory.mktemp("glossary") / "project")
    glossary = root / "content_sources" / "glossary.yml"
    terms = """\
  - term: '*NSYNC'
    definition: A band.
  - term: '{fmt}'
    definition: A formatting library.
  - term: '`grep`'
    definition: A search tool.
  - term: Sigma
    definition: "A letter ('see') [click](javascript:alert(1)) <b>bold</b> \\"quoted\\"."
    aliases: ["Σ <i>upper</i>", "[s](javascript:alert(3))"]
"""
    glossary.write_text(glossary.read_text(encoding="utf-8") + terms, encoding="utf-8")
    intro = root / "content_sources" / "pages" / "what-is-llama.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\n*NSYNC toured,\n{fmt} formats and \\`grep\\` searches;"
                     " Sigma is a letter.\n", encoding="utf-8")
    from curate.cli import main

    assert main(["build", "--project", str(root), "-q"]) == 0
    proc = mkdocs_build(root)
    assert proc.returncode == 0, proc.stderr
    return root


def test_built_site_shows_terms_that_start_with_markup_linked_and_whole(hostile_glossary_site):
    page = (hostile_glossary_site / "site" / "what-is-llama" / "index.html").read_text(encoding="utf-8")
    body = page.split('<article', 1)[1].split("</article>", 1)[0]
    assert "*NSYNC toured, {fmt} formats and `grep` searches; Sigma is a letter." in visible(body)
    links = {link["text"]: link for link in glossary_links(body)}
    assert (links["*NSYNC"]["href"], links["*NSYNC"]["title"]) == ("../glossary/#nsync", "A band.")
    assert links["{fmt}"]["title"] == "A formatting library."
    assert links["`grep`"]["href"] == "../glossary/#grep"


def test_built_site_has_no_javascript_address_and_shows_the_definition_as_typed(hostile_glossary_site):
    site = hostile_glossary_site / "site"
    for path in site.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert "alert(1)" not in "".join(a.get("href") or "" for a in parsed(page).links), path
        if "<article" in page:
            content = page.split("<article", 1)[1].split("</article>", 1)[0]
            assert not [a for a in parsed(content).links if (a.get("href") or "").startswith("javascript:")], path
    page = (site / "what-is-llama" / "index.html").read_text(encoding="utf-8")
    [sigma] = [a for a in glossary_links(page) if a["text"] == "Sigma"]
    assert sigma["title"] == "A letter ('see') [click](javascript:alert(1)) <b>bold</b> \"quoted\"."
    assert sigma["href"] == "../glossary/#sigma"
    assert "<b>bold</b>" not in page
    glossary = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    entry = visible(glossary.split('id="sigma"', 1)[1].split("<h2", 1)[0])
    assert "A letter ('see') [click](javascript:alert(1)) <b>bold</b> \"quoted\"." in entry
    assert "Also written: Σ <i>upper</i>, [s](javascript:alert(3))" in entry
    assert "<i>upper</i>" not in glossary and "javascript:alert" not in "".join(
        a.get("href") or "" for a in parsed(glossary).links)


# =================================================================================================
# 3. Links and backlinks
# =================================================================================================

def test_reference_links_and_links_over_two_lines_are_found_with_their_sentences():
    md = ("Intro. See [the story\nabout Llama][ref] now! Then [open source](what-is-open-source.md#history) too.\n\n"
          "[ref]: what-is-llama.md")
    found = [(link.target_page, link.fragment, link.sentence) for link in find_links("sources/a.md", md)]
    assert found == [("sources/what-is-llama.md", "", "See the story about Llama now!"),
                     ("sources/what-is-open-source.md", "history", "Then open source too.")]


def test_links_in_headings_code_footnotes_and_images_are_not_backlinks():
    md = ("# [Title](a.md)\n\n`[x](b.md)`\n\n    [y](c.md)\n\n![img](d.md)\n\nText.[^1]\n\n[^1]: [z](e.md)\n\n"
          "[Kept](f.md) and <https://example.org/g.md> and [external](https://example.org/h.md).")
    assert [link.target_page for link in find_links("p.md", md)] == ["f.md"]


def test_a_sentence_leaves_out_markup_footnotes_and_attribute_lists():
    md = 'Before. A *bold* [Llama](x.md "t"){ .glossary-link } with `code` &amp; \\*stars\\*.[^2] After.'
    [link] = find_links("p.md", md)
    assert link.sentence == "A bold Llama with code & *stars*."


# =================================================================================================
# 4. Headings and their anchors
# =================================================================================================

TRICKY_HEADINGS = [
    "Plain heading",
    "Use [Llama](what-is-llama.md) now",
    "The `open()` call",
    "Some *emphasis* and __strong__ text",
    "Emoji 🚨 alert 🔥",
    "什么是开源",
    "Что такое Llama?",
    "नमस्ते दुनिया",
    "Plain heading",
    "Plain heading",
    "Plain heading_1",
    "Own id { #my-id }",
    "Own id too {: #plain-heading .wide }",
    "Trailing hashes ##",
    "#1 reason <why>",
    "A &amp; B &lt; C",
    "Escaped \\*stars\\* and \\_under\\_",
    "Image ![alt text](p.png) gone",
    "Footnote[^1] gone",
    "HTML <b>bold</b> <!-- comment --> kept",
    "🔥🔥",
    "Setext heading",
]


def _tricky_document() -> str:
    lines = []
    for text in TRICKY_HEADINGS:
        if text == "Setext heading":
            lines.append(f"{text}\n--------------")
        else:
            lines.append(f"## {text}")
    return "\n\n".join(lines) + "\n\nA paragraph with its own id.\n{ #emoji-alert }\n\n[^1]: A note.\n"


def test_predicted_ids_are_the_ids_mkdocs_renders():
    doc = _tricky_document()
    rendered_ids = re.findall(r"<h[1-6][^>]*\bid=\"([^\"]+)\"", render(doc))
    predicted = [h.id for h in headings(doc)]
    assert predicted == rendered_ids
    # "{: #plain-heading }" and "{ #emoji-alert }" further down are taken first, as toc takes them
    assert predicted[:5] == ["plain-heading_1", "use-llama-now", "the-open-call", "some-emphasis-and-strong-text",
                             "emoji-alert_1"]
    assert predicted[8:13] == ["plain-heading_2", "plain-heading_3", "plain-heading_4", "my-id", "plain-heading"]


def test_anchors_are_every_id_mkdocs_renders_on_a_page():
    doc = _tricky_document() + "\nA [link](x.md){ #inline-id } and text.\n\n- item\n{ #item-id }\n"
    rendered = [i for i in re.findall(r"\bid=\"([^\"]+)\"", render(doc)) if not i.startswith("fn")]
    assert markdown_tokens.anchors(doc) == rendered


@pytest.mark.parametrize("heading", TRICKY_HEADINGS)
def test_each_tricky_heading_gets_the_id_mkdocs_renders(heading):
    doc = f"# Page title\n\n## {heading}\n"
    rendered_ids = re.findall(r"<h[1-6][^>]*\bid=\"([^\"]+)\"", render(doc))
    assert [h.id for h in headings(doc)] == rendered_ids


def test_an_intro_heading_with_a_link_is_compared_by_the_id_mkdocs_gives_it(tmp_path):
    from .test_bad_input import curate, page, write_project

    intro = "Intro.\n\n## [Background](what-is-llama.md)\n\nText.\n\n## Use `code` here\n\n## Use code here\n"
    root = write_project(tmp_path, {"a.txt": "T\n\nText.\n"}, [page("page-one", ["a"], "Background")],
                         intros={"page-one.md": intro})
    code, _, err = curate(root)
    assert code == 0
    assert ("content_sources/pages/page-one.md:3: heading '[Background](what-is-llama.md)' gets the same anchor "
            "(#background) as the page title 'Background'") in err
    assert ("content_sources/pages/page-one.md:9: heading 'Use code here' gets the same anchor (#use-code-here) "
            "as the heading on line 7") in err


# =================================================================================================
# 5. Front matter and titles of hand-written pages
# =================================================================================================

FRONT_MATTER_CASES = [
    "---\ntitle: About\n---\n\nBody.\n",
    "---\ntitle: About\n...\nBody.\n",
    "--- \ntitle: Spaces after the dashes\n---\t\nBody.\n",
    "---\ntitle: [broken\n---\nBody shown with its front matter.\n",
    "---\n- a list\n---\nBody.\n",
    "---\ntitle: No closing line\n",
    "---\ntitle: Closed at the very end\n---",
    "Title: MultiMarkdown style\nAuthor: Someone\n    continued\n\nBody.\n",
    "Note: this line is read as metadata by MkDocs\n\nBody.\n",
    "No front matter.\n",
    "",
]


@pytest.mark.parametrize("text", FRONT_MATTER_CASES)
def test_front_matter_is_split_as_mkdocs_splits_it(text):
    from mkdocs.utils.meta import get_data

    body, meta = get_data(text)
    fm = front_matter(text)
    assert (fm.body, fm.meta) == (body, meta)
    assert "\n".join(text.split("\n")[fm.body_line - 1:]).startswith(fm.body)


TITLE_CASES = [
    ("---\ntitle: About this site\n---\n\n# Another heading\n", "about.md"),
    ("# Hello *world* ![a picture](p.png) `code`\n\nText.\n", "hello.md"),
    ("Text first.\n\n# Not the title\n", "my-page_name.md"),
    ("*[HTML]: Hyper Text\n# Heading after an abbreviation { #own-id }\n", "FAQ-list.md"),
    ("Heading in setext\n=================\n\nText.\n", "setext.md"),
    ("## Second level first\n", "second.md"),
    ("Title: MultiMarkdown title\n\n# Heading\n", "mm.md"),
    ("---\ntitle: [broken\n---\n# Heading\n", "broken-front-matter.md"),
    ("# A &amp; B < C\n", "entities.md"),
    ("#No space heading\n", "nospace.md"),
]


@pytest.mark.parametrize("text, path", TITLE_CASES)
def test_the_title_of_a_hand_written_page_is_the_title_mkdocs_gives_it(text, path):
    assert title_of(text, path) == mkdocs_title(text, path)
    assert build_title_of is title_of  # the nav's titles are these (build imports this function)


# =================================================================================================
# 6. Editor quotations
# =================================================================================================

def test_editor_quotes_are_read_from_the_text_a_reader_sees():
    md = ("He wrote “the *open* way is the [best](x.md) one, he said” once.\n\n"
          "`“a code span is not a quotation at all”`\n\n    “nor is an indented code block here”\n\n"
          "> “A quoted block has a quotation too.”\n\nA “scare quote” is not.")
    assert editor_quotes(md) == ["the open way is the best one, he said", "A quoted block has a quotation too."]


# =================================================================================================
# 7. The Markdown source reader
# =================================================================================================

def _sections(body: str, title: str = "") -> list[tuple[str, list[str]]]:
    result = parse_markdown(body, 1, [], title, "Default")
    return [(s.heading, [p.text for p in s.passages]) for s in result.sections]


def test_the_source_reader_reads_blocks_as_mkdocs_would():
    body = ("# Title\n\nLead with a [link](javascript:alert(1)) and ![img](x.png).\n\n"
            "Setext section\n--------------\n\n- item one\n- item two\n\n#Tight heading\n\n"
            "```\n# not a heading\n<!-- not a comment -->\n```\n\n"
            "*[HTML]: Hyper Text\n\n[ref]: https://example.org\n\nLast paragraph with `<b>`.\n")
    result = parse_markdown(body, 1, [], "Title", "Default")
    assert [(s.heading, [p.text for p in s.passages]) for s in result.sections] == [
        ("", ["Lead with a link and ."]),
        ("Setext section", ["item one", "item two"]),
        ("Tight heading", ["# not a heading <!-- not a comment -->", "Last paragraph with <b>."]),
    ]
    assert [(line, reason) for line, reason, _ in result.dropped] == [
        (18, "abbreviation definition"), (20, "link reference definition")]


def test_a_comment_inside_a_code_span_is_text_and_a_real_one_is_dropped():
    body = "Code `<!--` here.\n\nShown.\n\n<!--\n\nHidden secret.\n\n-->\n\nAfter."
    result = parse_markdown(body, 1, [], "", "Default")
    texts = [p.text for s in result.sections for p in s.passages]
    assert texts == ["Code <!-- here.", "Shown.", "After."]
    assert {reason for _, reason, _ in result.dropped} == {"hidden comment"}


# --- escape() and link_title() take shortcuts for text that needs nothing: the same results -------

ESCAPE_PIECES = st.sampled_from(["a", "Meta", " ", "  ", "\n", "\r\n", "\r", "\t", "\x00", "\x85", "1.", "12)", "1",
                                 "-", "+", "=", "~", "?", ":", "#", "!", "*", "_", "`", "\\", "{", "}", "[", "]",
                                 "|", "&", "&amp;", "&#40;", "<", ">", "(", ")", '"', "'", "’", "é", "🚨", "x."])


def _escape_in_full(text: str) -> str:
    """escape() as it was: every substitution on every line."""
    from curate import linking as L

    text = L._CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        line = L._ENTITY_LIKE.sub("&amp;", line)
        line = L._MD_SPECIAL.sub(r"\\\1", line)
        line = line.replace("<", "&lt;").replace(">", "&gt;")
        line = L._LINE_START_BACKSLASH.sub(r"\\\1", line)
        line = L._LINE_START_ENTITY.sub(lambda m: f"&#{ord(m.group(1))};", line)
        line = L._ORDERED.sub(r"\1\\\2", line)
        lines.append(line)
    return "\n".join(lines)


@settings(max_examples=400, deadline=None)
@given(st.lists(ESCAPE_PIECES, max_size=20).map("".join))
@example("1. item\n- dash\n= rule\nplain line")
def test_escape_gives_what_every_substitution_gave(text):
    from curate.linking import escape

    assert escape(text) == _escape_in_full(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(ESCAPE_PIECES, max_size=20).map("".join))
@example('Say (\'hi\') & "bye" <b>`x`</b> [a]\\')
def test_link_title_gives_what_the_substitution_gave(text):
    from curate import linking as L

    squeezed = L._TITLE_SPACE.sub(" ", text).strip()
    special = re.compile("[" + re.escape("".join(L._TITLE_ENTITIES)) + "]")
    assert link_title(text) == special.sub(lambda m: L._TITLE_ENTITIES[m.group()], squeezed)


# --- glossary mentions are found in lowercased text where that is the same ----------------------

def test_ignorecase_pairs_ascii_letters_only_with_what_lowercasing_gives_them_or_with_refused_characters():
    import sys

    from curate.linking import _lowers_cleanly

    ascii_letter = re.compile("[a-z]", re.IGNORECASE)
    word, space = re.compile(r"[\w\-]"), re.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        c = chr(code)
        low = c.lower()
        if low == c and not ascii_letter.fullmatch(c):
            continue  # unchanged by lowercasing and no letter's match: nothing to compare
        letter = low if len(low) == 1 and "a" <= low <= "z" else None
        if ascii_letter.fullmatch(c):
            # matched with a letter: lowercasing gives that letter, or the text takes the slow way
            assert not _lowers_cleanly(c) or (letter is not None and re.fullmatch(letter, c, re.IGNORECASE)), c
        elif letter is not None:
            assert not _lowers_cleanly(c), c  # lowercased into a letter IGNORECASE does not match it with
        if len(low) == 1:  # the regex's word and space classes see the same in lowercased text
            assert bool(word.match(c)) == bool(word.match(low)), c
            assert bool(space.match(c)) == bool(space.match(low)), c


MENTION_PIECES = st.sampled_from(["Meta", "META", "meta", "Meta’s", "Metas", "METAES", "open source", "Open-Source",
                                  "OPEN\nSOURCE", "GPU", "gpus", "Llama", "LLAMA", "ı", "ſ", "İ", "K", "Met\u0131",
                                  "\u017fource", "é", "É", "ß", "ﬁ", " ", "-", "_", "x", "’", "'", ",", "\n", "Σ"])


@settings(max_examples=300, deadline=None)
@given(st.lists(MENTION_PIECES, min_size=1, max_size=14).map(" ".join), st.booleans())
@example("open \u017fource and Meta", False)
@example("METAS İ GPU's", True)
def test_mentions_in_lowercased_text_are_the_mentions_ignorecase_finds(text, case_sensitive):
    def both() -> tuple[GlossaryLinker, GlossaryLinker]:
        made = [linker(("Meta", "A company."), ("open source", "Code."), ("GPU", "A chip."), ("Llama", "Models."),
                       case_sensitive=case_sensitive) for _ in range(2)]
        assert made[0]._lower_regex is not None
        made[1]._lower_regex = None  # IGNORECASE on the text as written, everywhere
        return made[0], made[1]

    fast, slow = both()
    assert fast.mentions(text) == slow.mentions(text)
    assert fast.link(text, "page.md", set()) == slow.link(text, "page.md", set())
