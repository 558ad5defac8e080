"""Issue 12, points 4 and 5: paragraphs chosen in curation.yml, and citations in editor text.

Point 4: ``curation.yml`` chooses a section's paragraphs (``source#section--p2``, or a
mapping with ``paragraphs:`` or ``skip:``), checked like every other reference, and the
page shows those paragraphs with their numbers in the source. Point 5: an intro cites with
``[@source#section]`` or ``[@source#section--p2]`` (src/curate/citations.py); its marks join
the page's reference list, every citation and the words it quotes are checked at load,
and ``curate check`` reports the share of editor sentences that cite.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from curate import citations, commands
from curate.cli import main
from curate.errors import ContentError, Problem
from curate.project import load_project

from .conftest import mkdocs_build
from .test_hostile_site import _site_markup

CURATION = "content_sources/curation.yml"
INTRO = "content_sources/pages/what-is-llama.md"

SOURCE = """\
Llama explained

Lead text about the models.

Licence

First, the licence is long.

Second, it says “anyone may build on it” in plain words.

Third, big companies need permission.

Fourth, here are some key things you might want to know.

History

Meta first released Llama in 2023.
"""

CURATION_TEXT = """\
site:
  title: Test site
  description: A test.
pages:
  - id: what-is-llama
    title: What is Llama
    description: The model family.
    sections:
{sections}
  - id: history
    title: History
    description: Where it came from.
    sections: [llama#history]
"""
WHOLE = "      - llama#licence"


def make(root: Path, sections: str = WHOLE, intro: str = "An intro in the editor's words.\n",
         other: dict[str, str] | None = None) -> Path:
    """A small project: one source (a lead, a four-paragraph section and a short one), two pages."""
    cs = root / "content_sources"
    (cs / "pages").mkdir(parents=True)
    (cs / "articles").mkdir()
    (cs / "curation.yml").write_text(CURATION_TEXT.format(sections=sections), encoding="utf-8")
    (cs / "articles" / "llama.txt").write_text(SOURCE, encoding="utf-8")
    (cs / "articles" / "llama.meta.yml").write_text("title: Llama explained\npublished: 2024-08\n", encoding="utf-8")
    for name in ("index", "history"):
        (cs / "pages" / f"{name}.md").write_text("An intro in the editor's words.\n", encoding="utf-8")
    (cs / "pages" / "what-is-llama.md").write_text(intro, encoding="utf-8")
    for name, text in (other or {}).items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def problems(root: Path) -> list[Problem]:
    with pytest.raises(ContentError) as exc:
        load_project(root)
    return exc.value.problems


def page(root: Path, path: str = "what-is-llama.md") -> str:
    return (root / "docs" / path).read_text(encoding="utf-8")


def cited_places(text: str) -> list[str]:
    """The "Cited:" places of a page's reference list, as ``place -> anchor``."""
    return [f"{m[0]} -> {m[1]}" for m in re.findall(r"\[((?:section|opening)[^\]]*)\]\(sources/llama\.md#([^)]+)\)",
                                                    text)]


def shown_anchors(text: str) -> list[str]:
    """Places named by the citation marks after the passages "From the reporting" shows."""
    body = text.split("\n## From the reporting", 1)[1].split("\n## ", 1)[0]
    return re.findall(r'title="Llama explained, August 2024: ([^"]+)"', body)


# --- point 4: paragraphs chosen in curation.yml ------------------------------------------------------

@pytest.mark.parametrize("sections, places", [
    (WHOLE, ["section “Licence”, paragraph 1", "section “Licence”, paragraph 2", "section “Licence”, paragraph 3",
             "section “Licence”, paragraph 4"]),
    ("      - llama#licence--p3", ["section “Licence”, paragraph 3"]),
    ("      - section: llama#licence\n        paragraphs: 2-3",
     ["section “Licence”, paragraph 2", "section “Licence”, paragraph 3"]),
    ("      - section: llama#licence\n        paragraphs: [1, 3]",
     ["section “Licence”, paragraph 1", "section “Licence”, paragraph 3"]),
    ("      - section: llama#licence\n        paragraphs: \"1, 3-4\"",
     ["section “Licence”, paragraph 1", "section “Licence”, paragraph 3", "section “Licence”, paragraph 4"]),
    ("      - section: llama#licence\n        skip: [4]",
     ["section “Licence”, paragraph 1", "section “Licence”, paragraph 2", "section “Licence”, paragraph 3"]),
    ("      - section: llama#licence\n        skip: 1-2\n      - llama#lead",
     ["section “Licence”, paragraph 3", "section “Licence”, paragraph 4", "opening, paragraph 1"]),
])
def test_a_page_shows_the_chosen_paragraphs_with_their_numbers_in_the_source(tmp_path, sections, places):
    root = make(tmp_path, sections)
    commands.build(root)
    text = page(root)
    assert shown_anchors(text) == places
    assert [p.split(" -> ")[0] for p in cited_places(text)] == places
    if "skip: [4]" in sections:
        assert "key things you might want to know" not in text  # the filler is left out
        assert "key things you might want to know" in page(root, "sources/llama.md")  # still on the source's page


def test_one_choice_written_two_ways_is_one_reference(tmp_path):
    """``skip`` is resolved into the paragraphs kept, so the page's inputs digest the same."""
    a = load_project(make(tmp_path / "a", "      - section: llama#licence\n        skip: [2, 4]"))
    b = load_project(make(tmp_path / "b", "      - section: llama#licence\n        paragraphs: [1, 3]"))
    c = load_project(make(tmp_path / "c", "      - section: llama#licence\n        paragraphs: 1-4"))
    assert a.pages[0].sections == b.pages[0].sections
    assert [(r.paragraphs, r.skip) for r in a.pages[0].sections] == [((1, 3), ())]
    assert [(r.paragraphs, r.skip) for r in c.pages[0].sections] == [((), ())]  # every paragraph: the section


def test_changing_the_choice_rebuilds_the_page_and_changing_it_back_gives_the_same_bytes(tmp_path):
    root = make(tmp_path)
    commands.build(root)
    before = page(root).encode()
    curation = root / CURATION
    whole = curation.read_text(encoding="utf-8")
    curation.write_text(whole.replace(WHOLE, "      - section: llama#licence\n        skip: [4]"), encoding="utf-8")
    result = commands.build(root)
    assert result.written == ["what-is-llama.md"]
    assert "key things you might want to know" not in page(root)
    curation.write_text(whole, encoding="utf-8")
    result = commands.build(root)
    assert result.written == ["what-is-llama.md"]
    assert page(root).encode() == before


@pytest.mark.parametrize("sections, line, message, hint", [
    ("      - llama#licence--p9", 9,
     "section 'licence' of source 'llama' has 4 paragraphs; there is no paragraph 9",
     "section 'licence' has 4 paragraphs: number them 1 to 4 (their anchors on docs/sources/llama.md are "
     "licence--p1 … licence--p4)"),
    ("      - section: llama#licence\n        paragraphs: 3-5", 10,
     "section 'licence' of source 'llama' has 4 paragraphs; there is no paragraph 5",
     "section 'licence' has 4 paragraphs: number them 1 to 4 (their anchors on docs/sources/llama.md are "
     "licence--p1 … licence--p4)"),
    ("      - section: llama#licence\n        skip: [1-4]", 10,
     "'skip' leaves out every paragraph of section 'licence', so it feeds the page nothing",
     "remove the entry, or skip fewer paragraphs"),
    ("      - section: llama#licence\n        paragraphs: 3-1", 9,
     "'3-1' in 'paragraphs' is a range that runs backwards", "write it as 1-3"),
    ("      - section: llama#licence\n        paragraphs: two", 9,
     "'two' in 'paragraphs' is not a paragraph number or range",
     "write paragraph numbers as 2, as a range 1-3, or as a list such as [1, 3] or [1-2, 4]"),
    ("      - section: llama#licence\n        paragraphs: 0", 9,
     "'0' in 'paragraphs': paragraphs are numbered from 1",
     "write paragraph numbers as 2, as a range 1-3, or as a list such as [1, 3] or [1-2, 4]"),
    ("      - section: llama#licence\n        paragrafs: 2", 9,
     "unknown key 'paragrafs' in a section entry", "did you mean 'paragraphs'?"),
    ("      - section: llama#licence\n        paragraphs: 2\n        skip: 3", 9,
     "a section entry gives both 'paragraphs' and 'skip'",
     "give one: 'paragraphs' to choose paragraphs, or 'skip' to leave some out"),
    ("      - paragraphs: 2", 9, "a section entry written as a mapping needs 'section:'",
     "write it as: - section: source-id#section-id, then paragraphs: 1-3 or skip: [4]"),
    ("      - section: llama\n        skip: [1]", 9,
     "'llama' names a whole source; paragraphs are chosen within one section",
     "write section: llama#<section id> (the ids are on docs/sources/llama.md)"),
    ("      - section: llama#licence--p2\n        skip: [1]", 10,
     "'licence--p2' names one paragraph already, so it cannot also choose 'paragraphs' or 'skip'",
     "name the section as llama#licence to choose its paragraphs"),
    ("      - llama#license--p2", 9, "source 'llama' has no section 'license--p2'", "did you mean 'licence--p2'?"),
    ("      - lama#licence--p2", 9, "no source with id 'lama'", "did you mean 'llama'?"),
])
def test_a_bad_paragraph_choice_is_named_with_line_cause_and_hint(tmp_path, sections, line, message, hint):
    found = problems(make(tmp_path, sections))
    assert [(p.file, p.line, p.message, p.hint) for p in found] == [(CURATION, line, message, hint)]
    assert found[0].key == "pages[0].sections[0]"


def test_a_bad_choice_is_an_error_message_not_a_traceback(tmp_path):
    root = make(tmp_path, "      - section: llama#licence\n        paragraphs: 7")
    out, err = io.StringIO(), io.StringIO()
    assert main(["build", "--project", str(root)], stdout=out, stderr=err) != 0
    assert "Traceback" not in err.getvalue()
    assert "content_sources/curation.yml:10" in err.getvalue()
    assert "there is no paragraph 7" in err.getvalue()
    assert not (root / "docs" / "what-is-llama.md").exists()


# --- point 5: citations in editor text ------------------------------------------------------------

def test_citations_are_read_from_the_text_a_reader_sees():
    text = ("Claim one [@a#x]. Claim `[@code#span]` two.\n\n"
            "```\n[@fenced#block]\n```\n\n"
            "    [@indented#code]\n\n"
            "Escaped \\[@not#cited] and [linked [@b#y]](https://example.org) and [@c#z--p2; @d#w].\n\n"
            "# A heading \\[@e#h]\n")
    reading = citations.read(text)
    assert [(c.key, c.source, c.section, c.line) for c in reading.citations] == [
        ("a#x", "a", "x", 1), ("c#z--p2", "c", "z--p2", 9), ("d#w", "d", "w", 9)]
    assert reading.text[reading.citations[0].start:reading.citations[0].end] == "[@a#x]"
    assert reading.malformed == []


def test_editor_sentences_and_the_ones_that_cite():
    text = ("Llama is a model [@a#x]. It is free.[@a#y] Is it open?\n\n"
            "> A quotation [@a#q] is not the editor's sentence.\n\n"
            "- A list item counts.\n")
    sentences = citations.read(text).sentences
    assert [(s.text, [c.key for c in s.citations]) for s in sentences] == [
        ("Llama is a model.", ["a#x"]), ("It is free.", ["a#y"]), ("Is it open?", []),
        ("A list item counts.", [])]
    assert citations.coverage(text) == (2, 4)
    assert citations.coverage("") == (0, 0)


def test_malformed_citations_are_named(tmp_path):
    found = problems(make(tmp_path, intro="Text [@ llama#lead] and [@llama#lead; nope].\n"))
    hint = "write [@source-id#section-id] or [@source-id#section-id--p2]; several as [@a#x; @b#y]"
    assert [(p.file, p.line, p.message, p.hint) for p in found] == [
        (INTRO, 1, "'[@ llama#lead]' is not a citation", hint),
        (INTRO, 1, "'[@llama#lead; nope]' is not a citation", hint)]


def test_an_editor_citation_joins_the_reference_list_with_its_own_letter(tmp_path):
    intro = ("Llama's licence is long [@llama#licence--p1]. It says \"anyone may build on it\""
             " [@llama#licence--p2].\n\nSome history [@llama#history].\n")
    root = make(tmp_path, "      - section: llama#licence\n        paragraphs: [3]", intro=intro)
    commands.build(root)
    text = page(root)
    assert ('Llama\'s licence is long<sup class="citation"><a id="cite-1-a" href="#ref-1" '
            'title="Llama explained, August 2024: section “Licence”, paragraph 1" '
            'aria-label="Reference 1">[1]</a></sup>. It says') in text
    assert "[@" not in text
    # One entry for the source: the intro's three citations, then the passage shown (paragraph 3).
    assert cited_places(text) == ["section “Licence”, paragraph 1 -> licence--p1",
                                  "section “Licence”, paragraph 2 -> licence--p2",
                                  "section “History” -> history",
                                  "section “Licence”, paragraph 3 -> licence--p3"]
    assert text.count("{ #ref-") == 1
    assert "&#94; [a](#cite-1-a)" in text and "[d](#cite-1-d)" in text


def test_a_source_cited_only_by_the_editor_is_a_reference_and_an_input(tmp_path):
    other = "Other article\n\nIt says something else entirely.\n"
    root = make(tmp_path, intro="See also this [@other#lead--p1].\n",
                other={"content_sources/articles/other.txt": other})
    commands.build(root)
    text = page(root)
    assert "content_sources/articles/other.txt" in text.split("---", 2)[1]
    assert re.search(r'1\. \[&#94;\]\(#cite-1-a\).*\[Other article\]\(sources/other\.md\)', text)
    assert re.search(r"2\. .*\[Llama explained\]\(sources/llama\.md\)", text)
    # The page depends on that source: a change of its metadata rebuilds it.
    (root / "content_sources/articles/other.meta.yml").write_text("title: Renamed\npublished: 2024-01\n",
                                                                  encoding="utf-8")
    assert "what-is-llama.md" in commands.build(root).written
    assert "[Renamed](sources/other.md)" in page(root)


def test_the_home_page_intro_can_cite_and_gets_a_reference_list(tmp_path):
    root = make(tmp_path)
    (root / "content_sources/pages/index.md").write_text("Llama came out in 2023 [@llama#history--p1].\n",
                                                         encoding="utf-8")
    commands.build(root)
    text = page(root, "index.md")
    assert 'came out in 2023<sup class="citation"><a id="cite-1-a" href="#ref-1"' in text
    assert "[section “History”, paragraph 1](sources/llama.md#history--p1)" in text


@pytest.mark.parametrize("intro, line, message, hint", [
    ("One.\n\nTwo [@lama#licence].\n", 3, "citation [@lama#licence]: no source with id 'lama'",
     "did you mean 'llama'?"),
    ("Two [@llama#licenc].\n", 1, "citation [@llama#licenc]: source 'llama' has no section 'licenc'",
     "did you mean 'licence'?"),
    ("Two [@llama#nothing-like-it].\n", 1,
     "citation [@llama#nothing-like-it]: source 'llama' has no section 'nothing-like-it'",
     "its sections are: lead, licence, history"),
    ("Two [@llama#licence--p5].\n", 1,
     "citation [@llama#licence--p5]: section 'licence' of source 'llama' has 4 paragraphs; there is no paragraph 5",
     "cite one of licence--p1 … licence--p4"),
    ("Two [@llama].\n", 1, "citation [@llama]: [@llama] names a source but no section",
     "cite a section or a paragraph, such as [@llama#lead]"),
    ('One.\nIt says "anyone may use it" [@llama#licence--p2].\n', 2,
     "the sentence quotes “anyone may use it”, which is not in what it cites (llama#licence--p2) word for word",
     "closest text there: “anyone may build”; quote it exactly, or take the quotation marks away"),
])
def test_a_bad_citation_is_named_with_file_line_cause_and_hint(tmp_path, intro, line, message, hint):
    found = problems(make(tmp_path, intro=intro))
    assert [(p.file, p.line, p.message, p.hint) for p in found] == [(INTRO, line, message, hint)]


@pytest.mark.parametrize("quoted", ['"anyone may build on it"', "“anyone may build  on\nit”",
                                    "“anyone may build on it” in plain words"])
def test_quoted_words_match_whatever_quotation_marks_and_spaces(tmp_path, quoted):
    root = make(tmp_path, intro=f"The licence says {quoted} [@llama#licence].\n")
    assert load_project(root).pages[0].id == "what-is-llama"


def test_a_quotation_in_a_sentence_that_does_not_cite_is_not_held_to_a_paragraph(tmp_path):
    root = make(tmp_path, intro='Editors say "open" loosely. It is long [@llama#licence--p1].\n')
    assert load_project(root).pages[0].id == "what-is-llama"


def test_a_citation_in_code_is_left_as_it_is(tmp_path):
    root = make(tmp_path, intro="Write `[@llama#nowhere]` to cite.\n\n```\n[@nope#x]\n```\n")
    commands.build(root)
    assert "`[@llama#nowhere]`" in page(root) and "[@nope#x]" in page(root)


def test_check_reports_the_share_of_editor_sentences_that_cite(tmp_path):
    intro = "Llama is a model [@llama#lead]. Its licence is long [@llama#licence--p1]. It is popular.\n"
    root = make(tmp_path, intro=intro)
    commands.build(root)
    result = commands.check(root)
    assert result.errors == []
    assert result.citations == ["index: 0 of 1 editor sentence cites a source (0%)",
                                "what-is-llama: 2 of 3 editor sentences cite a source (67%)",
                                "history: 0 of 1 editor sentence cites a source (0%)"]
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", "--project", str(root)], stdout=out, stderr=err) == 0
    assert "editor citations (for information; not counted as warnings):\n" \
           "  index: 0 of 1 editor sentence cites a source (0%)\n" in out.getvalue()
    assert "  what-is-llama: 2 of 3 editor sentences cite a source (67%)\n" in out.getvalue()


@pytest.mark.parametrize("citation, message", [
    ('[@llama#lead" onmouseover="alert(1)]', '\'[@llama#lead" onmouseover="alert(1)]\' is not a citation'),
    ("[@llama#<img src=x onerror=alert(1)>]", "the intro holds an event-handler attribute"),
    ("[@javascript:alert(1)#x]", "citation [@javascript:alert(1)#x]: no source with id 'javascript:alert(1)'"),
    ("[@llama#lead--p1](javascript:alert(1))", "the intro holds a javascript: address in a link"),
])
def test_a_hostile_citation_is_an_error_never_markup(tmp_path, citation, message):
    root = make(tmp_path, intro=f"Text {citation} here.\n")
    with pytest.raises(ContentError) as exc:
        commands.build(root)
    assert [(p.file, p.line) for p in exc.value.problems] == [(INTRO, 1)]
    assert exc.value.problems[0].message.startswith(message), exc.value.problems[0].message
    assert not (root / "docs" / "what-is-llama.md").exists()


@pytest.mark.slow
def test_hostile_source_metadata_behind_an_editor_citation_stays_text_in_the_site(project: Path):
    meta = project / "content_sources/articles/zuckerberg-open-source-ai-letter.meta.yml"
    text = "\n".join(line for line in meta.read_text(encoding="utf-8").split("\n") if not line.startswith("title:"))
    meta.write_text(text + '\ntitle: "T [t](onmouseover=alert(1)//) x *em* <b onclick=alert(2)>"\n'
                    + 'author: "[a](javascript:alert(3))"\n', encoding="utf-8")
    intro = project / INTRO
    intro.write_text(intro.read_text(encoding="utf-8")
                     + "\nIt handles text only [@zuckerberg-open-source-ai-letter#what-is-llama--p2].\n",
                     encoding="utf-8")
    commands.build(project)
    proc = mkdocs_build(project)
    assert proc.returncode == 0, proc.stderr
    assert _site_markup(project / "site") == []
    html = (project / "site" / "what-is-llama" / "index.html").read_text(encoding="utf-8")
    # the intro's last citation: its letter follows those of the intro's own citations
    title = ('title="T &#91;t&#93;&#40;onmouseover=alert&#40;1&#41;//&#41; x &#42;em&#42; &lt;b onclick=alert&#40;2'
             '&#41;&gt;, &#91;a&#93;&#40;javascript:alert&#40;3&#41;&#41;, August 2024 &#40;estimated&#41;: section '
             '“What is Llama?”, paragraph 2"')
    assert re.search(r'It handles text only<sup class="citation"><a id="cite-1-[a-z]" href="#ref-1" '
                     + re.escape(title), html)


def test_the_editing_guide_examples_build(project: Path):
    """The paragraph choices and the citations handbook/editing.md shows are valid on the real project."""
    guide = (Path(__file__).resolve().parents[1] / "handbook" / "editing.md").read_text(encoding="utf-8")
    intro = guide.split("```markdown\n", 1)[1].split("```", 1)[0]
    sections = guide.split("### Choose paragraphs", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    curation = project / CURATION
    text = curation.read_text(encoding="utf-8")
    chosen = ("    sections:\n      - zuckerberg-open-source-ai-letter#what-is-llama\n"
              "      - zuckerberg-open-source-ai-letter#lead--p1\n")
    assert chosen in text
    curation.write_text(text.replace(chosen, sections, 1), encoding="utf-8")
    (project / INTRO).write_text(intro, encoding="utf-8")
    commands.build(project)
    built = page(project)
    assert built.count('<sup class="citation">') > 4 and "[@" not in built
    assert "Here are some key things" not in built  # lead paragraph 3, skipped
    assert commands.check(project).citations[3] == "what-is-llama: 3 of 3 editor sentences cite a source (100%)"


def test_a_backlink_quotes_the_editor_sentence_without_its_citation_marks(tmp_path):
    root = make(tmp_path)
    (root / "content_sources/pages/history.md").write_text(
        "Read [about Llama](what-is-llama.md) first.[@llama#lead] Then the rest.\n", encoding="utf-8")
    commands.build(root)
    assert "- [History](history.md){ data-preview }: “Read about Llama first.”" in page(root)
    assert 'first.<sup class="citation"><a id="cite-1-a" href="#ref-1"' in page(root, "history.md")


def test_a_citation_in_a_heading_is_an_error_not_text(tmp_path):
    found = problems(make(tmp_path, intro="Text.\n\n## Licence [@llama#licence]\n\nMore.\n"))
    assert [(p.file, p.line, p.message, p.hint) for p in found] == [
        (INTRO, 3, "'[@llama#licence]' is in a heading, where a citation is not read",
         "cite in the paragraph under the heading")]


@pytest.mark.parametrize("written, shown", [
    ("Llama is free to adapt\n[@llama#lead].\n", "Llama is free to adapt<sup"),          # soft break: joined
    ("- Llama is free to adapt\n  [@llama#lead].\n", "- Llama is free to adapt<sup"),  # in a list item
    ("> Llama is free to adapt\n> [@llama#lead].\n", "> Llama is free to adapt\n><sup"),  # the quote marker stays
    ("Llama is free to adapt\\\n[@llama#lead].\n", "Llama is free to adapt\\\n<sup"),   # a hard break stays
    ("Llama is free.\n\n[@llama#lead] Then more.\n", "Llama is free.\n\n<sup"),       # a paragraph's start
])
def test_a_citation_mark_joins_the_word_before_it_across_a_soft_line_break(tmp_path, written, shown):
    root = make(tmp_path, intro=written)
    commands.build(root)
    assert shown in page(root)


# --- hostile values (each found by the hostile-input pass) ---------------------------------------

LONG = "1" * 5000  # more digits than int() converts (Python refuses above 4300)


@pytest.mark.parametrize("sections, line, message", [
    # Counted out, this range held the machine's memory for a minute until the kernel killed curate.
    ("      - section: llama#licence\n        paragraphs: 1-99999999999", 9,
     "'1-99999999999' in 'paragraphs' goes beyond paragraph 9999, more paragraphs than any section holds"),
    (f"      - section: llama#licence\n        paragraphs: [{LONG}]", 9,
     f"'{LONG[:20]}…' in 'paragraphs' goes beyond paragraph 9999, more paragraphs than any section holds"),
    # str.isdigit() takes these, int() refuses '²'; paragraph numbers are ASCII digits as the anchors are.
    ("      - section: llama#licence\n        paragraphs: '٢'", 9,
     "'٢' in 'paragraphs' is not a paragraph number or range"),
    ("      - llama#licence--p²", 9, "source 'llama' has no section 'licence--p²'"),
    (f"      - llama#licence--p{LONG}", 9,
     f"section 'licence' of source 'llama' has 4 paragraphs; there is no paragraph {LONG[:20]}…"),
])
def test_a_hostile_paragraph_number_is_an_error_not_a_hang_or_a_crash(tmp_path, sections, line, message):
    found = problems(make(tmp_path, sections))
    assert [(p.file, p.line, p.message) for p in found] == [(CURATION, line, message)]
    assert found[0].hint


@pytest.mark.parametrize("anchor, message", [
    ("licence--p²", "source 'llama' has no section 'licence--p²'"),
    (f"licence--p{LONG}", f"section 'licence' of source 'llama' has 4 paragraphs; there is no paragraph {LONG[:20]}…"),
    ("licence--p00", "section 'licence' of source 'llama' has 4 paragraphs; there is no paragraph 00"),
])
def test_a_citation_with_a_hostile_paragraph_number_is_an_error_not_a_crash(tmp_path, anchor, message):
    found = problems(make(tmp_path, intro=f"Text [@llama#{anchor}].\n"))
    assert [(p.file, p.line, p.message) for p in found] == [(INTRO, 1, f"citation [@llama#{anchor}]: {message}")]


@pytest.mark.parametrize("sections, line, message", [
    ("      - section: llama#licence\n        paragraphs: 1-2\n      - section: llama#licence\n        paragraphs: 2-3",
     11, "paragraph 2 of section 'licence' of source 'llama' is already chosen for page 'what-is-llama' "
         "(line 9), so the page would show it twice"),
    ("      - llama#licence\n      - llama#licence--p4", 10,
     "paragraph 4 of section 'licence' of source 'llama' is already chosen for page 'what-is-llama' "
     "(line 9), so the page would show it twice"),
    ("      - llama\n      - llama#licence", 10,
     "paragraphs 1-4 of section 'licence' of source 'llama' are already chosen for page 'what-is-llama' "
     "(line 9), so the page would show them twice"),
])
def test_a_paragraph_chosen_twice_for_a_page_is_an_error_not_shown_twice(tmp_path, sections, line, message):
    found = problems(make(tmp_path, sections))
    assert [(p.file, p.line, p.message, p.hint) for p in found] == [
        (CURATION, line, message, "choose each paragraph once: take it out of one of the two entries")]


def test_many_citations_each_get_their_mark_and_line(tmp_path):
    # 2,000 citations, one a line: each mark in its place (marks were put by one replace each,
    # and lines counted from the start for each: 10,000 took 10 s; now one pass each).
    lines = [f"Line {n} [@llama#licence--p{1 + n % 4}]." for n in range(2000)] + ["Last [@llama#nowhere]."]
    found = problems(make(tmp_path / "bad", intro="\n".join(lines) + "\n"))
    assert [(p.line, p.message) for p in found] == [
        (2001, "citation [@llama#nowhere]: source 'llama' has no section 'nowhere'")]
    root = make(tmp_path / "good", intro="\n\n".join(lines[:-1]) + "\n")
    commands.build(root)
    text = page(root)
    assert len(re.findall(r'<sup class="citation">', text)) >= 2000
    assert "curate-cite" not in text and "[@" not in text
    assert text.index("Line 10<sup") < text.index("Line 11<sup") < text.index("Line 100<sup")


def test_put_marks_puts_each_mark_at_its_own_placeholder_once():
    from curate.render import put_marks

    text = "".join(f"w{n}<!--curate-cite-{n}-->" for n in range(12)) + " <!--curate-cite-1-->"
    assert put_marks(text, [f"[{n}]" for n in range(12)]) == "".join(f"w{n}[{n}]" for n in range(12)) + \
        " <!--curate-cite-1-->"
    assert put_marks("a<!--curate-cite-99999999999999-->", ["[0]"]) == "a<!--curate-cite-99999999999999-->"


@pytest.mark.parametrize("intro, line, message", [
    ("See [the licence [@llama#licence--p1]](https://example.com/).\n", 1,
     "'[@llama#licence--p1]' is in a link's text, where a citation is not read"),
    ("One.\n\n<div markdown>\nIn a block [@llama#licence--p1].\n</div>\n", 4,
     "'[@llama#licence--p1]' is in an HTML block, where a citation is not read"),
    ("<div>\n<p>Raw\n[@llama#lead; @llama#licence]</p>\n</div>\n", 3,
     "'[@llama#lead; @llama#licence]' is in an HTML block, where a citation is not read"),
])
def test_a_citation_where_it_would_show_as_typed_is_an_error(tmp_path, intro, line, message):
    # These reached the built site as "[@llama#licence--p1]", the citation's syntax as text.
    found = problems(make(tmp_path, intro=intro))
    assert [(p.file, p.line, p.message) for p in found] == [(INTRO, line, message)]
    assert found[0].hint


def test_citation_syntax_meant_as_text_in_links_and_html_is_left_alone(tmp_path):
    intro = ("See [how to write \\[@llama#x\\]](https://example.com/) and [`[@llama#y]`](https://example.com/).\n\n"
             "<!-- [@llama#nowhere] a note to editors -->\n\n<pre>[@llama#z]</pre>\n")
    root = make(tmp_path, intro=intro)
    commands.build(root)
    assert "<pre>[@llama#z]</pre>" in page(root)


@pytest.mark.parametrize("char", ["\u200b", "\u202e", "\u2066", "\u00ad"])
def test_an_invisible_character_in_a_citation_or_reference_is_named(tmp_path, char):
    # Was "no section 'licen​ce'", with "did you mean 'licence'?": an id that looks the same.
    found = problems(make(tmp_path / "cite", intro=f"Text [@llama#licen{char}ce].\n"))
    assert [(p.line, p.message, p.hint) for p in found] == [
        (1, f"citation [@llama#licen{char}ce] holds an invisible character (U+{ord(char):04X}) after "
            "'@llama#licen'", "retype the citation")]
    found = problems(make(tmp_path / "ref", f"      - llama#licen{char}ce"))
    assert [(p.line, p.key) for p in found] == [(9, "pages[0].sections[0]")]
    assert f"(U+{ord(char):04X})" in found[0].message


def test_a_citation_of_a_source_without_text_says_so_whatever_section_it_names(tmp_path):
    root = make(tmp_path, intro="Text [@empty#lead] and [@empty].\n")
    (root / "content_sources" / "articles" / "empty.txt").write_text("Title only\n", encoding="utf-8")
    found = [(p.message, p.hint) for p in problems(root) if p.file == INTRO]
    # [@empty#lead] was "no section 'lead'" with the hint "its sections are: " and nothing after it.
    assert found == [("citation [@empty#lead]: source 'empty' has no text to cite", "cite another source"),
                     ("citation [@empty]: source 'empty' has no text to cite", "cite another source")]


def test_a_comment_after_a_chosen_paragraph_gets_a_hint_for_a_list_item(tmp_path):
    found = problems(make(tmp_path, sections="      - llama#licence--p2  # the second"))
    assert [(p.message, p.hint) for p in found] == [(
        "the text after ' #' is read as a YAML comment, so the value would be 'llama#licence--p2'",
        'put the whole value in quotes: - "llama#licence--p2  # the second"; or, if it is a comment, put it on '
        "a line of its own")]
