"""Pages fed by several sources, their grouped references, and the sources index.

The fixture project tests/fixtures/two-sources/ holds two news reports of one night (The Kesworth
Gazette, 14 January 2025, by Priya Raman; Coastal Radio News, 16 January 2025, no author), which
print one fact in near-identical words, and an undated history note with no publisher or author.
Its pages: ``kesworth-barrier`` (both reports, named newest first, ordered by date),
``after-the-storm`` (``order: curation``, the newer report first) and ``before-the-barrier`` (the
undated note named first, shown last).
"""

from __future__ import annotations

import difflib
import html
import itertools
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from curate import commands
from curate.duplicates import NEAR_DUPLICATE, same_passage, similarity, words
from curate.project import load_project
from curate.render import letter

from .conftest import REPO, mkdocs_build
from .golden_update import copy_fixture

GAZETTE = "Kesworth's tidal barrier closes for the first time"
RADIO = "Barrier gates hold back Kesworth surge"
SHARED_GAZETTE = ("The barrier's twelve steel gates, each weighing 90 tonnes, can be raised from the harbour bed in "
                  "under 40 minutes when a storm surge is forecast.")
SHARED_RADIO = SHARED_GAZETTE.replace("under 40", "less than 40")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The fixture built with curate and then ``mkdocs build --strict``."""
    root = copy_fixture("two-sources", tmp_path_factory.mktemp("multi") / "two-sources")
    commands.build(root)
    proc = mkdocs_build(root)
    assert proc.returncode == 0, proc.stderr
    return root


def _doc(root: Path, path: str) -> str:
    return (root / "docs" / path).read_text(encoding="utf-8")


def _html(root: Path, path: str) -> str:
    return (root / "site" / path / "index.html").read_text(encoding="utf-8")


def _article(page_html: str) -> str:
    return page_html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def _references(page_md: str) -> list[str]:
    """Each entry of the page's reference list, with its attribute list line."""
    refs = re.split(r"\n## References(?: \{[^}\n]*\})?\n\n", page_md, maxsplit=1)[1]
    return re.findall(r"(?m)^\d+\. .*\n    \{ #ref-\d+ \}$", refs)


# --- several sources on one page ---------------------------------------------------------------

def test_the_based_on_line_names_each_source_with_its_own_date(built):
    page = _doc(built, "kesworth-barrier.md")
    assert ("*Based on reporting from The Kesworth Gazette (14 January 2025) and Coastal Radio News "
            "(16 January 2025).*") in page
    # an undated source without a publisher is named by its title, and no date is made up for it
    assert ("*Based on reporting from The Kesworth Gazette (14 January 2025) and “A harbour that floods”.*"
            in _doc(built, "before-the-barrier.md"))


def test_each_sources_passages_sit_under_its_own_dated_heading_oldest_first(built):
    page = _doc(built, "kesworth-barrier.md")
    reporting = page.split("## From the reporting\n\n", 1)[1].split("\n## ", 1)[0]
    headings = re.findall(r"(?m)^### .*$", reporting)
    # curation.yml names the Coastal Radio report first; ordered by date, the older Gazette comes first
    assert headings == ["### From *The Kesworth Gazette*, 14 January 2025 { #from-kesworth-gazette-barrier }",
                        "### From *Coastal Radio News*, 16 January 2025 { #from-coastal-radio-barrier }"]
    gazette, radio = reporting.split("### From *Coastal Radio News*")
    assert "Water reached the top step of the harbour wall" in gazette
    assert "The barrier cost £38 million." in radio and "Water reached" not in radio


def test_order_curation_keeps_the_order_sections_names_the_sources(built):
    page = _doc(built, "after-the-storm.md")
    assert re.findall(r"(?m)^### From \*([^*]+)\*", page) == ["Coastal Radio News", "The Kesworth Gazette"]
    assert "*Based on reporting from Coastal Radio News (16 January 2025) and The Kesworth Gazette" in page
    refs = _references(page)
    assert [RADIO in refs[0], GAZETTE in refs[1]] == [True, True]


def test_an_undated_source_comes_last_under_a_heading_without_a_date(built):
    page = _doc(built, "before-the-barrier.md")
    assert re.findall(r"(?m)^### .*$", page) == [
        "### From *The Kesworth Gazette*, 14 January 2025 { #from-kesworth-gazette-barrier }",
        "### From “A harbour that floods” { #from-harbour-history }"]


def test_the_shared_fact_is_shown_once_citing_both_sources(built):
    page = _doc(built, "kesworth-barrier.md")
    assert page.count("twelve steel gates") == 1
    [paragraph] = [p for p in page.split("\n\n") if "twelve steel gates" in p]
    assert paragraph.startswith(SHARED_GAZETTE)  # the older source's words, under its heading
    marks = re.findall(r'<a id="(cite-\d-[a-z])" href="#(ref-\d)" title="([^"]+)" aria-label="Reference \d">',
                       paragraph)
    assert [(m[0], m[1]) for m in marks] == [("cite-1-c", "ref-1"), ("cite-2-a", "ref-2")]
    assert marks[0][2].endswith("section “How the barrier works”, paragraph 1")
    assert marks[1][2] == f"{RADIO}, Coastal Radio News, 16 January 2025: opening, paragraph 2"
    # the Coastal Radio entry's back-link "a" returns to that paragraph, and it names the place cited
    refs = _references(page)
    assert "[a](#cite-2-a)" in refs[1]
    assert "a. [opening, paragraph 2](sources/coastal-radio-barrier.md#lead--p2)" in refs[1]


def test_references_are_one_entry_per_source_with_a_lettered_back_link_per_citing_paragraph(built):
    page = _doc(built, "kesworth-barrier.md")
    refs = _references(page)
    assert len(refs) == 2
    gazette, radio = refs
    assert gazette.startswith("1. &#94; [a](#cite-1-a){ aria-label=\"Back to the text, citation 1a\" } "
                              "[b](#cite-1-b)")
    assert (f"[{GAZETTE}](sources/kesworth-gazette-barrier.md), The Kesworth Gazette, Priya Raman, "
            "14 January 2025. Cited: a. [opening, paragraph 1]") in gazette.replace("\\'", "'")
    # no author for Coastal Radio: left out, not "not recorded"
    assert f"[{RADIO}](sources/coastal-radio-barrier.md), Coastal Radio News, 16 January 2025. Cited: " in radio
    for n, entry in enumerate(refs, 1):
        backs = re.findall(rf"\[([a-z]+)\]\(#cite-{n}-([a-z]+)\)", entry)
        assert backs and all(a == b for a, b in backs)
        assert [a for a, _ in backs] == [letter(i) for i in range(len(backs))]
        # every back-link has its citation mark in the text, and every mark its back-link
        marks = re.findall(rf'<a id="cite-{n}-([a-z]+)" href="#ref-{n}"', page)
        assert marks == [a for a, _ in backs]
        assert entry.count(entry.split("](sources/", 1)[0].split("[")[-1]) == 1  # the title once


def test_a_reference_cited_once_has_a_single_caret_back_link(built):
    [radio, _] = _references(_doc(built, "after-the-storm.md"))
    assert radio.startswith('1. [&#94;](#cite-1-a){ aria-label="Back to the text, citation 1" } ')
    assert "Cited: [section “What happens next”, paragraph 1]" in radio


def test_back_letters_go_on_past_z():
    assert [letter(i) for i in (0, 1, 25, 26, 27, 51, 52)] == ["a", "b", "z", "aa", "ab", "az", "ba"]


def test_built_page_links_marks_and_references_both_ways_with_tooltips(built):
    page = _html(built, "kesworth-barrier")
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    article = _article(page)
    for fragment in set(re.findall(r'href="#([^"]+)"', article)):
        assert fragment in ids, fragment
    marks = re.findall(r'<sup class="citation"><a id="(cite-[^"]+)" href="#(ref-\d)" title="([^"]+)" '
                       r'aria-label="(Reference \d)">\[\d\]</a></sup>', article)
    assert len(marks) == 8  # four Gazette paragraphs, three Coastal Radio ones, and the shared one twice
    assert {m[3] for m in marks} == {"Reference 1", "Reference 2"}
    assert all("paragraph" in m[2] for m in marks)  # the tooltip Material's content.tooltips shows
    entry = re.search(r'<li id="ref-2">(.*?)</li>', article, re.DOTALL).group(1)
    assert '<a aria-label="Back to the text, citation 2a" href="#cite-2-a">a</a>' in entry
    assert '<a href="../sources/coastal-radio-barrier/">Barrier gates hold back Kesworth surge</a>' in entry
    assert '<a href="../sources/coastal-radio-barrier/#lead--p2">opening, paragraph 2</a>' in entry
    target = _html(built, "sources/coastal-radio-barrier")
    assert 'id="lead--p2"' in target


def test_no_not_recorded_text_anywhere_in_the_built_site(built):
    pages = sorted((built / "site").rglob("*.html"))
    assert len(pages) >= 10
    for path in pages:
        text = _text(path.read_text(encoding="utf-8")).lower()
        assert "not recorded" not in text, path
    for path in sorted((built / "docs").rglob("*.md")):
        assert "not recorded" not in path.read_text(encoding="utf-8").lower(), path


# --- the sources index and the source pages ------------------------------------------------------

def test_sources_index_lists_sources_oldest_first_with_publisher_author_and_date(built):
    index = _doc(built, "sources/index.md")
    entries = re.findall(r"(?m)^- \[.*$", index)
    assert entries == [
        f"- [{GAZETTE}](kesworth-gazette-barrier.md): The Kesworth Gazette, Priya Raman, 14 January 2025",
        f"- [{RADIO}](coastal-radio-barrier.md): Coastal Radio News, 16 January 2025",
        "- [A harbour that floods](harbour-history.md)",
    ]
    assert "in order of publication, oldest first" in index


def test_each_source_page_lists_the_explainers_it_feeds(built):
    radio = _doc(built, "sources/coastal-radio-barrier.md")
    after = re.split(r"## Explainers built on this article(?: \{[^}\n]*\})?\n\n", radio, maxsplit=1)[1]
    listed = after.split("\n\n", 1)[0]
    assert listed.splitlines() == [
        "- [Kesworth's tidal barrier](../kesworth-barrier.md): What the barrier is, how it works, and what it cost.",
        ("- [After the first storm](../after-the-storm.md): What people said after the barrier's first closure, "
         "and what comes next."),
    ]
    history = _doc(built, "sources/harbour-history.md")
    assert "- [Before the barrier](../before-the-barrier.md)" in history
    assert "after-the-storm" not in history
    built_html = _article(_html(built, "sources/coastal-radio-barrier"))
    assert '<a href="../../after-the-storm/">After the first storm</a>' in built_html


def test_a_source_page_leaves_out_unknown_fields_and_folds_the_editors_details(built):
    radio = _doc(built, "sources/coastal-radio-barrier.md")
    assert "**Publisher:** Coastal Radio News" in radio and "**Author:**" not in radio
    history = _doc(built, "sources/harbour-history.md")
    assert "**Publisher:**" not in history and "**Published:**" not in history
    assert '??? info "For editors"\n\n    - **Snapshot:** `content_sources/articles/coastal-radio-barrier.txt`' in radio
    page = _article(_html(built, "sources/coastal-radio-barrier"))
    assert re.search(r"<details class=\"info\">\s*<summary>For editors</summary>", page)
    assert "SHA-256" in page.split("<details", 1)[1]


# --- incremental builds ------------------------------------------------------------------------

def test_editing_one_sources_publisher_rewrites_the_pages_it_feeds_and_their_references(tmp_path):
    root = copy_fixture("two-sources", tmp_path / "p")
    commands.build(root)
    meta = root / "content_sources" / "articles" / "coastal-radio-barrier.meta.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("publisher: Coastal Radio News",
                                                             "publisher: Coastal Radio"), encoding="utf-8")
    result = commands.build(root)
    assert sorted(result.written) == ["after-the-storm.md", "kesworth-barrier.md", "sources/coastal-radio-barrier.md",
                                      "sources/index.md"]
    page = _doc(root, "kesworth-barrier.md")
    assert "and Coastal Radio (16 January 2025).*" in page and "Coastal Radio News" not in page


def test_renaming_an_explainer_rewrites_the_source_pages_that_list_it(tmp_path):
    root = copy_fixture("two-sources", tmp_path / "p")
    commands.build(root)
    curation = root / "content_sources" / "curation.yml"
    curation.write_text(curation.read_text(encoding="utf-8").replace("title: Before the barrier",
                                                                      "title: The quay before the barrier"),
                        encoding="utf-8")
    result = commands.build(root)
    assert "sources/harbour-history.md" in result.written and "sources/kesworth-gazette-barrier.md" in result.written
    assert "sources/coastal-radio-barrier.md" not in result.written
    assert "- [The quay before the barrier](../before-the-barrier.md)" in _doc(root, "sources/harbour-history.md")


def test_switching_a_page_to_curation_order_rewrites_it(tmp_path):
    root = copy_fixture("two-sources", tmp_path / "p")
    commands.build(root)
    curation = root / "content_sources" / "curation.yml"
    text = curation.read_text(encoding="utf-8")
    curation.write_text(text.replace("    # Named newest first", "    order: curation\n    # Named newest first"),
                        encoding="utf-8")
    result = commands.build(root)
    assert result.written == ["kesworth-barrier.md"]
    page = _doc(root, "kesworth-barrier.md")
    assert re.findall(r"(?m)^### From \*([^*]+)\*", page) == ["Coastal Radio News", "The Kesworth Gazette"]
    # the shared fact is now shown in the Coastal Radio words, citing Coastal Radio first
    assert SHARED_RADIO in page and SHARED_GAZETTE not in page


# --- the curation file's order key ---------------------------------------------------------------

def test_an_unknown_order_is_refused_with_file_line_and_the_choices(tmp_path, capsys):
    root = copy_fixture("two-sources", tmp_path / "p")
    curation = root / "content_sources" / "curation.yml"
    text = curation.read_text(encoding="utf-8").replace("    order: curation", "    order: newest")
    curation.write_text(text, encoding="utf-8")
    from curate.cli import main

    assert main(["build", "--project", str(root)]) != 0
    err = capsys.readouterr().err
    line = text.splitlines().index("    order: newest") + 1
    assert f"content_sources/curation.yml:{line}" in err
    assert "'newest' is not an order of sources" in err and "'date'" in err and "'curation'" in err
    assert "Traceback" not in err
    assert not (root / "docs" / "kesworth-barrier.md").exists()


# --- near-duplicate passages ---------------------------------------------------------------------

def _share(a: list[str], b: list[str]) -> float:
    """The exact share :func:`similarity` estimates: words of the longer matched in order by the other."""
    blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return round(sum(x.size for x in blocks) / max(len(a), len(b)), 3)


def _ratio(a: str, b: str) -> float:
    return _share(words(a), words(b)) if a and b else 0.0


@pytest.mark.parametrize("a,b", [
    (SHARED_GAZETTE, SHARED_RADIO),
    # punctuation, typography, case and number formatting are not differences
    ("The pilot saved £40,000 in licence fees — the council’s own figure.",
     "The pilot saved £40000 in licence fees - the council's own figure."),
    (("Riverton District Council will replace the office software on all 340 of its desktop computers with "
      "open-source alternatives by the end of next year."),
     ("Riverton District Council will replace the office software on all 340 desktop computers with open-source "
      "alternatives by the end of 2026.")),
])
def test_near_duplicates_are_the_same_passage(a, b):
    assert same_passage(words(a), words(b)), _ratio(a, b)


@pytest.mark.parametrize("a,b", [
    # the same quotation, framed by different words: each report says something the other does not
    ("“We built it for the storm we have not had yet,” harbour master Tom Ellery said at the quay on Monday morning.",
     ("Harbour master Tom Ellery told Coastal Radio the delay had been worth it. “We built it for the storm we have "
      "not had yet,” he said.")),
    # the same story and names, other facts
    ("Kesworth's new flood barrier held back a storm surge on Sunday night, two years later than planned.",
     "The tidal barrier across the mouth of Kesworth harbour was closed for the first time on Sunday night."),
    # a paragraph and the same paragraph with a sentence added says more
    (SHARED_GAZETTE, SHARED_GAZETTE + " The gates were built in Rotterdam and towed here last spring."),
    ("", SHARED_GAZETTE),
])
def test_different_passages_are_not(a, b):
    assert not same_passage(words(a), words(b)), _ratio(a, b)


def test_the_threshold_separates_the_fixtures_and_the_seeds_passages_with_a_margin(tmp_path):
    # The figures the module docstring gives: every pair of passages of the two projects is scored.
    root = copy_fixture("two-sources", tmp_path / "p")
    scores = {}
    for name, project_root in (("fixture", root), ("seed", REPO)):
        project = load_project(project_root)
        passages = [(p.anchor, words(p.text)) for s in project.sources for sec in s.sections for p in sec.passages]
        scores[name] = sorted((_share(a, b), x, y) for (x, a), (y, b) in itertools.combinations(passages, 2))
    assert scores["fixture"][-1] == (0.926, "lead--p2", "how-the-barrier-works--p1")
    assert scores["fixture"][-2] == (0.462, "cost-and-delays--p2", "what-residents-said--p1")  # the shared quote
    assert scores["seed"][-1][0] == 0.17
    assert scores["fixture"][-2][0] < NEAR_DUPLICATE - 0.3 and scores["fixture"][-1][0] > NEAR_DUPLICATE + 0.1
    # similarity() is the exact share at and above the threshold, and never less than it below
    a, b = words(SHARED_GAZETTE), words(SHARED_RADIO)
    assert similarity(a, b) == pytest.approx(0.926, abs=0.001)
    pairs = [(words(SHARED_GAZETTE), words("Water reached the top step of the harbour wall."))]
    for a, b in pairs:
        assert similarity(a, b) >= _share(a, b)


def test_passages_of_one_source_are_never_merged(tmp_path):
    root = copy_fixture("two-sources", tmp_path / "p")
    article = root / "content_sources" / "articles" / "harbour-history.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n" + SHARED_GAZETTE + "\n\n" + SHARED_RADIO + "\n",
                       encoding="utf-8")
    commands.build(root)
    page = _doc(root, "before-the-barrier.md")
    assert page.count("twelve steel gates") == 2  # both from the history note: shown as it prints them
    shutil.rmtree(root)


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [v for k, v in attrs if k == "id" and v]


def test_every_id_on_a_multi_source_page_is_unique(built):
    parser = _Ids()
    parser.feed(_html(built, "kesworth-barrier"))
    dupes = sorted({i for i in parser.ids if parser.ids.count(i) > 1})
    assert dupes == []
