"""Golden trees: the output of whole builds, compared byte for byte with tests/golden/.

Each project (the fixture in tests/fixtures/mini/ and the seed site) is built once per module in a
temporary copy. Its generated ``docs/`` files must equal ``tests/golden/<name>/docs/`` and the
summary of its MkDocs site must equal ``tests/golden/<name>/site-summary.json``; a difference fails
with a unified diff of the first differing files. After an intended change in output,
``make golden`` rewrites the trees (see tests/golden_update.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from . import golden_update
from .golden_update import (
    GOLDEN,
    HINT,
    PROJECTS,
    SUMMARY,
    compare,
    curate_build,
    make_project,
    mkdocs_build,
    site_summary,
    snapshot,
    summary_text,
)


@pytest.fixture(scope="module", params=PROJECTS)
def curated(request, tmp_path_factory) -> tuple[str, Path, dict[str, bytes]]:
    """``(name, project root, generated docs/ files)`` of one project after ``curate build``."""
    name = request.param
    root = make_project(name, tmp_path_factory.mktemp(f"golden-{name}") / name)
    return name, root, curate_build(root)


def test_generated_docs_match_the_golden_tree(curated):
    name, _, generated = curated
    golden = GOLDEN / name / "docs"
    assert golden.is_dir(), f"no golden tree at {golden}; {HINT}"
    problem = compare(generated, snapshot(golden), f"tests/golden/{name}/docs")
    if problem:
        pytest.fail(problem, pytrace=False)


def test_built_site_matches_the_golden_summary(curated):
    name, root, _ = curated
    golden = GOLDEN / name / SUMMARY
    assert golden.is_file(), f"no site summary at {golden}; {HINT}"
    built = summary_text(site_summary(mkdocs_build(root)))
    problem = compare({SUMMARY: built.encode("utf-8")}, {SUMMARY: golden.read_bytes()}, f"tests/golden/{name}")
    if problem:
        pytest.fail(problem, pytrace=False)


def test_generated_files_are_the_manifest_and_the_pages_it_lists(curated):
    _, _, generated = curated
    manifest = json.loads(generated[".curate-manifest.json"])
    assert sorted(generated) == sorted([".curate-manifest.json", ".curate-mkdocs.json", *manifest["files"]])


def test_the_seed_golden_tree_is_the_committed_docs():
    # curate check holds docs/ to the code; this holds the golden tree to docs/, so the two cannot drift apart.
    docs = golden_update.REPO / "docs"
    manifest = json.loads((docs / ".curate-manifest.json").read_bytes())
    committed = {p: (docs / p).read_bytes()
                 for p in [".curate-manifest.json", ".curate-mkdocs.json", *manifest["files"]]}
    problem = compare(committed, snapshot(GOLDEN / "seed" / "docs"), "tests/golden/seed/docs")
    if problem:
        pytest.fail("the committed docs/ and the seed's golden tree differ; run `curate build`, then "
                    f"`make golden`\n{problem}", pytrace=False)


def test_the_mini_fixture_exercises_every_part_of_a_page():
    # A guard against accepting a regression with `make golden`: the fixture's output must keep
    # each feature it was written to show, whatever the exact bytes.
    docs = {p: data.decode("utf-8") for p, data in snapshot(GOLDEN / "mini" / "docs").items()}
    council, maintainers = docs["council-switch.md"], docs["who-maintains.md"]
    source = docs["sources/riverton-council-open-source.md"]
    # glossary links: a term by its alias to its page, and a term without a page to the glossary
    assert '[open-source](what-open-source-means.md "Software whose code' in council
    assert "[licence fees](glossary.md#licence-fee " in council
    # citations: a mark per passage, one reference per source whose lettered back-links reach each mark,
    # and each cited place linked to the passage's anchor on the source page
    assert '<a id="cite-1-d" href="#ref-1"' in council
    assert "[d](#cite-1-d)" in council and "d. [section “What changes for staff”, paragraph 2]" \
           "(sources/riverton-council-open-source.md#what-changes-for-staff--p2)" in council
    assert "{ #what-changes-for-staff--p2 }" in source
    # time anchors, from a full date (.meta.yml) and from front matter
    mark = '<span class="curate-insertion">&#91;{}&#93;</span>'
    assert f"last month {mark.format('February 2025')}" in council and f"next year {mark.format('2026')}" in council
    assert f"Last year {mark.format('2024')}" in maintainers
    assert f"this month {mark.format('February 2025')}" in maintainers
    # quotations: each is shown in its passage, so "In their own words" would repeat them
    assert "## In their own words" not in council and "## In their own words" not in maintainers
    assert council.count("we could not fix a single bug ourselves") == 1
    # backlinks: a hand-written page links the council's switch, with its sentence; the maintainers'
    # page is linked only by its source (under References) and by What open source means (under
    # Related pages), so it lists none
    assert "## Pages that link here { data-search-exclude }\n\n" \
           "- [About this site](about.md): “It points readers to the council's switch and to the glossary.”" in council
    assert "## Pages that link here" not in maintainers
    # tags, and cleaning of the caption's alt text, photo credit and the "Related Posts" tail
    assert "tags:\n- public sector\n- open source\n" in council
    assert "- Photo credit: 1 line (line 4), not shown." in source
    assert "- Boilerplate after the article: 3 lines (lines 18–22), not shown." in source
    assert "Related Posts" not in source and "Dana Whitfield/Riverton Courier" not in source.split("**Author:**")[1]


def test_a_changed_byte_fails_with_a_diff_naming_the_file_and_the_hint():
    expected = {"a.md": b"# Title\n\nSame line.\nOld line.\n", "b.md": b"kept\n"}
    actual = {"a.md": b"# Title\n\nSame line.\nOld linE.\n", "b.md": b"kept\n", "c.md": b"new\n"}
    message = compare(actual, expected, "tests/golden/x/docs")
    assert "1 file(s) differ: a.md" in message
    assert "1 file(s) were built but are not in the golden tree: c.md" in message
    assert "--- golden/a.md\n+++ built/a.md\n" in message
    assert "-Old line.\n+Old linE.\n" in message
    assert message.endswith(HINT)
    assert compare(expected, dict(expected), "tests/golden/x/docs") == ""


def test_line_ending_changes_are_shown_in_the_diff():
    message = compare({"a.md": b"x\r\ny\n"}, {"a.md": b"x\ny"}, "tests/golden/x/docs")
    assert "1 file(s) differ: a.md" in message
    assert "-x\n-y\n\\ No newline at end of file\n+x\\r\n+y\n" in message


def test_update_writes_trees_that_the_comparison_accepts(curated, tmp_path, monkeypatch):
    name, _, generated = curated
    monkeypatch.setattr(golden_update, "GOLDEN", tmp_path)
    (tmp_path / name / "docs" / "stale").mkdir(parents=True)
    (tmp_path / name / "docs" / "stale" / "old.md").write_text("a page no longer built\n", encoding="utf-8")
    said: list[str] = []
    golden_update.write_golden(name, generated, '{"pages": []}\n', said.append)
    assert compare(generated, snapshot(tmp_path / name / "docs"), "tmp") == ""
    assert (tmp_path / name / SUMMARY).read_text(encoding="utf-8") == '{"pages": []}\n'
    assert said[0].startswith(f"tests/golden/{name}/docs: {len(generated)} files, {len(generated) + 1} changed")
