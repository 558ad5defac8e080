"""Issue 10, point 4 (one schema per file) and the validation of points 7 and 8.

Organised by file kind: every YAML file (anchors and aliases), ``curation.yml``,
``glossary.yml``, article metadata (``.meta.yml`` and front matter), files
reached through symbolic links, and the models themselves. Each test loads a
small project with :func:`curate.project.load_project` and compares the exact
list of problems: a root cause is reported once, with no follow-on errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from curate import model, schema
from curate.errors import ContentError, Problem
from curate.project import load_project
from curate.yamlio import compose, validate, yaml_keys

CURATION = "content_sources/curation.yml"
GLOSSARY = "content_sources/glossary.yml"
META = "content_sources/articles/llama.meta.yml"
SOURCE = "content_sources/articles/llama.txt"

BASE_CURATION = """\
site:
  title: Test site
  description: A test.
pages:
  - id: what-is-llama
    title: What is Llama
    description: The model family.
    sections: [llama]
    terms: [Llama]
    related: [open-source]
  - id: open-source
    title: Open source
    description: Code anyone may read.
    sections: [llama#licence]
    terms: [open source]
    related: [what-is-llama]
"""
BASE_GLOSSARY = """\
terms:
  - term: Llama
    definition: Meta's model family.
  - term: open source
    definition: Code anyone may read.
"""
BASE_META = "title: Llama\npublished: 2024-08\n"
BASE_SOURCE = "Llama\n\nLead text about the models.\n\nLicence\n\nLicence text about the models.\n"
ANCHORS_HINT = "write the value out in full wherever it is needed; curate never expands '*' aliases"


def make(root: Path, curation: str = BASE_CURATION, glossary: str | None = BASE_GLOSSARY, meta: str | None = BASE_META,
         articles: dict[str, str] | None = None) -> Path:
    """A small valid project (two pages, one source, two terms), with any file replaced."""
    cs = root / "content_sources"
    (cs / "pages").mkdir(parents=True)
    (cs / "articles").mkdir()
    (cs / "curation.yml").write_text(curation, encoding="utf-8")
    if glossary is not None:
        (cs / "glossary.yml").write_text(glossary, encoding="utf-8")
    for name in ("index", "what-is-llama", "open-source"):
        (cs / "pages" / f"{name}.md").write_text("An intro in the editor's words.\n", encoding="utf-8")
    (cs / "articles" / "llama.txt").write_text(BASE_SOURCE, encoding="utf-8")
    if meta is not None:
        (cs / "articles" / "llama.meta.yml").write_text(meta, encoding="utf-8")
    for name, text in (articles or {}).items():
        (cs / "articles" / name).write_text(text, encoding="utf-8")
    return root


def problems(root: Path) -> list[Problem]:
    """Every problem ``load_project`` reports, in its order."""
    with pytest.raises(ContentError) as exc:
        load_project(root)
    return exc.value.problems


def test_the_base_project_loads(tmp_path):
    project = load_project(make(tmp_path))
    assert [p.id for p in project.pages] == ["what-is-llama", "open-source"]
    assert [(str(s), s.line) for s in project.pages[1].sections] == [("llama#licence", 14)]
    assert [(t.term, t.page, t.case_sensitive, t.line) for t in project.glossary] == [
        ("Llama", "what-is-llama", True, 2), ("open source", "open-source", False, 4)]
    assert project.sources[0].meta.published.iso() == "2024-08"


# =============================================================================================
# every YAML file: anchors and aliases are refused, never expanded
# =============================================================================================

# 405 bytes; expanded, the last line would hold 9^9 (387 million) strings.
BILLION_LAUGHS = "".join(
    f"lol{n}: &{chr(96 + n)} [" + ",".join([f"*{chr(95 + n)}"] * 9 if n > 1 else ['"lol"'] * 9) + "]\n"
    for n in range(1, 10)) + "terms: [" + ",".join(["*i"] * 9) + "]\n"


def test_billion_laughs_is_refused_at_its_first_anchor_without_being_expanded():
    assert len(BILLION_LAUGHS.encode()) < 500 and BILLION_LAUGHS.count("*") == 81
    found: list[Problem] = []
    assert compose(BILLION_LAUGHS, "g.yml", found) is None
    assert found == [Problem("g.yml", 1, "lol1", "'&a' makes the value an anchor in YAML: anchors and aliases are "
                             "not allowed", ANCHORS_HINT)]


@pytest.mark.parametrize("rel", [CURATION, GLOSSARY, META])
def test_billion_laughs_in_any_yaml_file_is_one_problem(tmp_path, rel):
    root = make(tmp_path)
    (root / rel).write_text(BILLION_LAUGHS, encoding="utf-8")
    assert problems(root) == [Problem(rel, 1, "lol1", "'&a' makes the value an anchor in YAML: anchors and aliases "
                                      "are not allowed", ANCHORS_HINT)]


def test_an_anchored_page_and_its_alias_are_refused_not_copied(tmp_path):
    curation = BASE_CURATION.replace("  - id: open-source\n", "  - &page\n    id: open-source\n") + "  - *page\n"
    assert problems(make(tmp_path, curation)) == [
        Problem(CURATION, 11, "pages[1]", "'&page' makes the value an anchor in YAML: anchors and aliases are not "
                "allowed", ANCHORS_HINT)]


def test_an_anchor_in_front_matter_is_named_with_its_line_in_the_article(tmp_path):
    root = make(tmp_path, meta=None, articles={"llama.txt": "---\npublished: 2024-08\ntitle: &t Llama\n---\n"
                                                            + BASE_SOURCE})
    assert problems(root) == [
        Problem(SOURCE, 3, "title", "'&t' makes the value an anchor in YAML, so it would read 'Llama'",
                'put the whole value in quotes: title: "&t Llama" (YAML anchors and aliases are not allowed)')]


def test_an_alias_is_refused_with_the_quoted_value_as_hint(tmp_path):
    root = make(tmp_path, meta="published: 2024-08\ntopic: *the best model\n")
    assert problems(root) == [
        Problem(META, 2, "topic", "'*the' makes the value an alias in YAML (a copy of a value marked '&'); aliases "
                "are not allowed", 'put the whole value in quotes: topic: "*the best model"')]


# =============================================================================================
# content_sources/curation.yml
# =============================================================================================

def test_a_refused_page_id_is_the_only_error_not_every_reference_to_it(tmp_path):
    curation = BASE_CURATION.replace("  - id: what-is-llama", "  - id: What-Is-Llama")
    assert problems(make(tmp_path, curation)) == [
        Problem(CURATION, 5, "pages[0].id", "'What-Is-Llama' is not a valid id: use lower-case ASCII letters, digits "
                "and '-' (for example 'what-is-llama')")]


def test_pages_that_are_not_a_list_are_the_only_error(tmp_path):
    curation = BASE_CURATION[:BASE_CURATION.index("pages:")] + "pages: none yet\n"
    assert problems(make(tmp_path, curation)) == [
        Problem(CURATION, 4, "pages", "expected a list, found the value 'none yet'")]


def test_a_misspelt_required_key_is_one_problem(tmp_path):
    curation = BASE_CURATION.replace("    title: What is Llama", "    titel: What is Llama")
    assert problems(make(tmp_path, curation)) == [
        Problem(CURATION, 6, "pages[0].titel", "unknown key", "did you mean 'title'?")]


def test_a_refused_intro_is_not_also_a_missing_default_intro(tmp_path):
    root = make(tmp_path, BASE_CURATION.replace("    related: [open-source]\n",
                                                "    related: [open-source]\n    intro: ../../etc/passwd\n"))
    (root / "content_sources" / "pages" / "what-is-llama.md").unlink()
    assert problems(root) == [
        Problem(CURATION, 11, "pages[0].intro", "'../../etc/passwd' is not allowed: give a path inside "
                "content_sources/, such as pages/what-is-llama.md (no '..', no absolute path, no drive letter, "
                "no '\\')")]


INTRO_HINT = "put the intro in content_sources/pages/ and name it here as pages/<name>.md"


@pytest.mark.parametrize("intro", ["articles/llama.txt", "articles/notes.md", "curation.yml", "pages/notes.txt",
                                   "pages", "pages//x.md"])
def test_an_intro_can_only_be_a_markdown_file_under_pages(tmp_path, intro):
    curation = BASE_CURATION.replace("  description: A test.\n", f"  description: A test.\n  intro: {intro}\n")
    root = make(tmp_path, curation, articles={"notes.md": "<script>alert(1)</script>\n"})
    assert problems(root) == [
        Problem(CURATION, 4, "site.intro", f"'{intro}' is not an intro: an intro is a Markdown file in "
                "content_sources/pages/, never a source article or another file", INTRO_HINT)]


def test_an_intro_linked_to_an_article_is_refused(tmp_path):
    root = make(tmp_path, articles={"notes.md": "<script>alert(1)</script>\n"})
    intro = root / "content_sources" / "pages" / "what-is-llama.md"
    intro.unlink()
    intro.symlink_to("../articles/notes.md")
    assert problems(root) == [
        Problem("content_sources/pages/what-is-llama.md", 0, "", "it is a symbolic link to ../articles/notes.md, "
                "outside content_sources/pages/; an intro is an editor's own page there",
                "copy the text into content_sources/pages/what-is-llama.md instead of linking to it")]


def test_every_problem_at_once_with_the_line_of_each_list_item(tmp_path):
    curation = BASE_CURATION.replace("    related: [open-source]\n", "    related:\n      - open-sorce\n"
                                     "      - what-is-llama\n    tags: [ok, '<b>']\n")
    curation += "  - id: third\n    title: [Third]\n    description: A third page.\n    reviewed: 2024-13\n"
    (make(tmp_path, curation) / "content_sources" / "pages" / "third.md").write_text("Intro.\n", encoding="utf-8")
    assert problems(tmp_path) == [
        Problem(CURATION, 11, "pages[0].related[0]", "no page with id 'open-sorce'", "did you mean 'open-source'? "
                "(if 'open-sorce' is right, correct the page id on line 14 of curation.yml)"),
        Problem(CURATION, 12, "pages[0].related[1]", "a page cannot be related to itself"),
        Problem(CURATION, 13, "pages[0].tags[1]", "tag '<b>' holds '<' or '>'; a tag is a short label, not markup"),
        Problem(CURATION, 21, "pages[2].title", "expected text, found a list",
                "quote the value if it is meant to be text"),
        Problem(CURATION, 23, "pages[2].reviewed", "'2024-13' is not a real date (month must be in 1..12)",
                "write the date as 2024-08 or 2024-08-15"),
    ]


def test_a_page_key_curate_works_out_itself_is_not_a_yaml_key(tmp_path):
    """A guard on the models: a derived field (``intro_rel``, ``line``) never becomes a key."""
    curation = BASE_CURATION.replace("    related: [open-source]\n",
                                     "    related: [open-source]\n    intro_rel: x.md\n")
    assert problems(make(tmp_path, curation)) == [
        Problem(CURATION, 11, "pages[0].intro_rel", "unknown key", "did you mean 'intro'?")]


# =============================================================================================
# content_sources/glossary.yml
# =============================================================================================

def test_a_broken_glossary_is_reported_once_not_after_every_term_of_the_pages(project):
    """The real project: a misspelt top-level key used to give eleven "not a glossary term" errors first."""
    glossary = project / GLOSSARY
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("\nterms:\n", "\ntrems:\n"), encoding="utf-8")
    assert problems(project) == [Problem(GLOSSARY, 6, "trems", "unknown key", "did you mean 'terms'?")]


def test_a_refused_term_does_not_make_the_pages_naming_it_wrong(tmp_path):
    root = make(tmp_path, glossary=BASE_GLOSSARY.replace("  - term: Llama", "  - term: [Llama]"))
    assert problems(root) == [
        Problem(GLOSSARY, 2, "terms[0].term", "expected text, found a list",
                "quote the value if it is meant to be text")]


def test_a_glossary_with_a_syntax_error_is_one_problem_even_with_a_broken_curation(tmp_path):
    root = make(tmp_path, BASE_CURATION.replace("  - id: open-source", "  - id: Open Source"),
                glossary=BASE_GLOSSARY.replace("  - term: Llama", "  - term: Llama: the model"))
    assert problems(root) == [
        Problem(CURATION, 11, "pages[1].id", "'Open Source' is not a valid id: use lower-case ASCII letters, digits "
                "and '-' (for example 'open-source')"),
        Problem(GLOSSARY, 2, "", "invalid YAML: mapping values are not allowed here (in the value of 'term')",
                "put the value in quotes: text holding ': ' must be quoted"),
    ]


# =============================================================================================
# article metadata: <name>.meta.yml and front matter
# =============================================================================================

COMMON = ("utf-8, utf-16, windows-1252, latin-1, iso-8859-15, mac-roman, shift_jis, euc-jp, gb18030, big5, euc-kr, "
          "koi8-r, windows-1251")


@pytest.mark.parametrize("name,message,hint", [
    ("klingon", "unknown encoding 'klingon'", f"use a common name: {COMMON}"),
    ("utf8x", "unknown encoding 'utf8x'", f"did you mean 'utf-8'? (common names: {COMMON})"),
    ("rot13", "'rot13' is not a text encoding", f"use a common name: {COMMON}"),
    ("base64", "'base64' is not a text encoding", f"use a common name: {COMMON}"),
])
def test_an_unknown_encoding_is_named_with_file_line_and_key(tmp_path, name, message, hint):
    assert problems(make(tmp_path, meta=f"{BASE_META}encoding: {name}\n")) == [Problem(META, 3, "encoding", message,
                                                                                      hint)]


HOSTILE_URLS = {
    '"><script>alert(1)</script>': "it holds '\"'",
    'https://example.com/"><script>alert(1)</script>': "it holds '\"'",
    "https://example.com/<b>": "it holds '<'",
    "https://example.com/it's": "it holds '''",
    "https://example.com/a`b": "it holds '`'",
    "https://example.com\\@evil.example": "it holds '\\'",
    "https:///no-host": "",
    "javascript:alert(1)//https://": "",
    "ftp://example.com/file": "",
}


@pytest.mark.parametrize("url", sorted(HOSTILE_URLS))
def test_a_url_must_be_a_plain_http_address(tmp_path, url):
    holds = HOSTILE_URLS[url]
    quoted = "'" + url.replace("'", "''") + "'"
    found = problems(make(tmp_path, meta=f"{BASE_META}url: {quoted}\n"))
    if holds:
        assert found == [Problem(META, 3, "url", f"'{url}' is not a web address: {holds}, which no address holds as it "
                                 "is", "write the address as the browser shows it, such as https://example.com/story "
                                 "(a space is written %20), or leave 'url' out")]
    else:
        assert found == [Problem(META, 3, "url", f"'{url}' is not a web address: write it as https://… (or leave "
                                 "'url' out)")]


def test_plain_addresses_are_kept(tmp_path):
    urls = ["https://example.com/a?b=c&d=e#f", "http://127.0.0.1:8000/x", "HTTPS://EXAMPLE.COM/%20"]
    for i, url in enumerate(urls):
        root = make(tmp_path / str(i), meta=f"{BASE_META}url: {url}\n")
        assert load_project(root).sources[0].meta.url == url


def test_a_source_whose_metadata_cannot_be_read_makes_no_follow_on_error(tmp_path):
    """Nothing in unparsable metadata is used: not its encoding, title or date (a guard; one error before too)."""
    root = make(tmp_path, meta="title: Llama\nencoding: utf-8\n  published: 2024-08\n")
    assert problems(root) == [
        Problem(META, 3, "", "invalid YAML: mapping values are not allowed here (in the value of 'published')",
                "put the value in quotes: text holding ': ' must be quoted")]


def test_corrections_name_the_line_and_key_of_a_text_that_does_not_occur(tmp_path):
    meta = BASE_META + "corrections:\n  - original: Lead txt\n    corrected: Lead text\n  - original: x\n"
    assert problems(make(tmp_path, meta=meta)) == [
        Problem(META, 4, "corrections[0].original", f"'Lead txt' does not occur in {SOURCE}",
                "copy the text exactly as printed"),
        Problem(META, 6, "corrections[1].corrected", "required key is missing", "add 'corrected: …' (text as it "
                "should read)"),
    ]


# =============================================================================================
# files reached through symbolic links
# =============================================================================================

LOOP_HINT = "replace the link with the file or folder it should point to, or remove it"


def test_a_looping_source_is_one_error_not_a_missing_source(tmp_path):
    root = make(tmp_path, BASE_CURATION.replace("sections: [llama]", "sections: [llama, loop]"))
    (root / "content_sources" / "articles" / "loop.txt").symlink_to("loop.txt")
    assert problems(root) == [Problem("content_sources/articles/loop.txt", 0, "",
                                      "it is a symbolic link that leads back to itself (a loop)", LOOP_HINT)]


@pytest.mark.parametrize("rel", ["content_sources/pages/what-is-llama.md", CURATION, GLOSSARY, META,
                                 "content_sources/articles"])
def test_a_symbolic_link_loop_is_named(tmp_path, rel):
    root = make(tmp_path)
    path = root / rel
    if path.is_dir():
        for child in path.iterdir():
            child.unlink()
        path.rmdir()
    else:
        path.unlink()
    path.symlink_to(path.name)
    assert problems(root) == [Problem(rel, 0, "", "it is a symbolic link that leads back to itself (a loop)",
                                      LOOP_HINT)]


def test_the_metadata_of_a_looping_source_is_not_called_an_orphan(tmp_path):
    root = make(tmp_path, articles={"loop.meta.yml": BASE_META})
    (root / "content_sources" / "articles" / "loop.txt").symlink_to("loop.txt")
    assert problems(root) == [Problem("content_sources/articles/loop.txt", 0, "",
                                      "it is a symbolic link that leads back to itself (a loop)", LOOP_HINT)]


def test_a_loop_in_a_folder_on_the_way_is_named(tmp_path):
    root = make(tmp_path, BASE_CURATION.replace("  description: A test.\n",
                                                "  description: A test.\n  intro: pages/a/index.md\n"))
    pages = root / "content_sources" / "pages"
    (pages / "a").symlink_to("b")
    (pages / "b").symlink_to("a")
    assert problems(root) == [Problem("content_sources/pages/a/index.md", 0, "", "content_sources/pages/a is a "
                                      "symbolic link that leads back to itself (a loop)", LOOP_HINT)]


# =============================================================================================
# the models
# =============================================================================================

def test_the_typed_models_are_the_domain_objects():
    assert (model.PageSpec, model.SiteSpec, model.GlossaryTerm, model.SourceMeta, model.Correction) == (
        schema.PageSpec, schema.SiteSpec, schema.GlossaryTerm, schema.SourceMeta, schema.Correction)


def test_each_file_kind_has_one_model_whose_fields_are_its_keys():
    assert sorted(yaml_keys(schema.CurationFile)) == ["pages", "site"]
    assert sorted(yaml_keys(schema.SiteSpec)) == ["description", "explainers_group", "intro", "title"]
    assert sorted(yaml_keys(schema.PageSpec)) == ["description", "group", "id", "intro", "order", "related",
                                                  "review_by", "reviewed", "sections", "tags", "terms", "title"]
    assert sorted(yaml_keys(schema.GlossaryFile)) == ["terms"]
    assert sorted(yaml_keys(schema.GlossaryTerm)) == ["aliases", "case_sensitive", "definition", "term"]
    assert sorted(yaml_keys(schema.SourceMeta)) == ["attribution", "author", "corrections", "encoding", "extractor",
                                                    "language", "modified", "provenance", "published",
                                                    "published_estimated", "published_note", "publisher",
                                                    "retrieved", "title", "topic", "url"]
    assert sorted(yaml_keys(schema.Correction)) == ["corrected", "note", "original"]
    for kind in (schema.CurationFile, schema.SiteSpec, schema.PageSpec, schema.GlossaryFile, schema.GlossaryTerm,
                 schema.SourceMeta, schema.Correction):
        assert [k for k, f in yaml_keys(kind).items() if not f.description] == [], kind


def test_models_are_strict_when_built_in_code():
    with pytest.raises(ValidationError):
        schema.PageSpec(id="x", title=1, description="A page.")
    with pytest.raises(ValidationError):
        schema.SourceMeta(published_estimated="yes")
    page = schema.PageSpec(id="x", title="X", description="A page.")
    assert (page.intro_rel, page.docs_path) == ("content_sources/pages/x.md", "x.md")


def test_a_value_is_read_as_written_and_validated_once():
    found: list[Problem] = []
    doc = compose("title: 2024-07-23\npublisher: no\nauthor: 1.0\npublished_estimated: true\npublished: 2024\n",
                  "m.yml", found)
    meta = validate(schema.SourceMeta, doc, found).value
    assert found == []
    assert (meta.title, meta.publisher, meta.author, meta.published_estimated, meta.published.human()) == (
        "2024-07-23", "no", "1.0", True, "2024")
    assert all(type(v) is str for v in (meta.title, meta.publisher, meta.author))


YAMLISH = st.lists(st.sampled_from(list("ab:-[]{}&*!#'\"\n \t|>?,%@`~01.") + [
    "id", "pages", "site", "title", "terms", "term", "sections", "- ", "  ", "null", "true", "corrections"]),
    max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAMLISH)
def test_any_text_gives_a_model_or_problems_never_an_exception(text):
    for kind in (schema.CurationFile, schema.GlossaryFile, schema.SourceMeta):
        found: list[Problem] = []
        doc = compose(text, "f.yml", found)
        if doc is None:
            continue
        checked = validate(kind, doc, found, {"reserved_ids": {"index"}})
        assert isinstance(checked.value, kind)
        assert not checked.failed or found  # nothing is refused silently
        assert all(p.file == "f.yml" and p.message for p in found)


# --- curation.yml: paragraphs chosen in 'sections' (issue 12, point 4; more in tests/test_citations.py) -----

@pytest.mark.parametrize("entry, paragraphs, skip", [
    ("llama#licence", (), ()),
    ("{section: 'llama#licence', paragraphs: 1-3}", (1, 2, 3), ()),
    ("{section: 'llama#licence', paragraphs: [3, 1]}", (1, 3), ()),
    ("{section: 'llama#licence', paragraphs: '1-2, 4'}", (1, 2, 4), ()),
    ("{section: 'llama#licence', skip: [2]}", (), (2,)),
    ("{section: 'llama#licence'}", (), ()),
])
def test_a_section_entry_reads_its_paragraph_choice(entry, paragraphs, skip):
    problems: list[Problem] = []
    doc = compose(BASE_CURATION.replace("sections: [llama#licence]", f"sections: [{entry}]"), CURATION, problems)
    assert doc is not None
    result = validate(schema.CurationFile, doc, problems)
    assert problems == []
    ref = result.value.pages[1].sections[0]
    assert (ref.source, ref.section, ref.paragraphs, ref.skip, ref.line) == ("llama", "licence", paragraphs, skip, 14)


def test_a_paragraph_number_beyond_the_section_is_named_with_its_count(tmp_path):
    root = make(tmp_path, BASE_CURATION.replace("sections: [llama#licence]", "sections: [llama#licence--p2]"))
    assert problems(root) == [Problem(CURATION, 14, "pages[1].sections[0]",
                                      "section 'licence' of source 'llama' has 1 paragraph; there is no paragraph 2",
                                      "section 'licence' has 1 paragraph, number 1 (its anchor on "
                                      "docs/sources/llama.md is licence--p1)")]


@pytest.mark.parametrize("char", ["\u202a", "\u202e", "\u2066", "\u2069"])
def test_a_bidirectional_control_in_a_title_is_refused(tmp_path, char):
    # U+202E in a page title reversed the text after it in the nav and the knowledge map's tooltip.
    root = make(tmp_path, BASE_CURATION.replace("title: What is Llama", f"title: What is {char}Llama"))
    [problem] = problems(root)
    assert problem.message == (f"holds an invisible bidirectional control (U+{ord(char):04X}), which reorders "
                               "the text after it")
    assert (problem.key, problem.hint) == ("pages[0].title", "retype the value")


def test_right_to_left_marks_and_text_are_kept_in_a_title(tmp_path):
    root = make(tmp_path, BASE_CURATION.replace("title: What is Llama", "title: ما هو \u200fLlama"))
    assert load_project(root).pages[0].title == "ما هو \u200fLlama"


@pytest.mark.parametrize("value", ['"\\udcff"', '"What \\ud83d"', '{"\\udc80": x}'])
def test_a_surrogate_escape_is_one_problem_not_an_internal_error(value):
    # "\udcff" in a double-quoted value was a UnicodeEncodeError (curate: internal error) in every YAML file.
    problems: list[Problem] = []
    assert compose(f"title: {value}\n", CURATION, problems) is None
    assert [p.line for p in problems] == [1]
    assert problems[0].message.startswith("invalid YAML: the escape \\ud")
    assert problems[0].message.endswith(" is half of a UTF-16 surrogate pair, not a character")
    assert problems[0].hint == "write the character itself, or its full escape such as \\U0001F600"
