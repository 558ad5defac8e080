"""Issue 3: editors own their words; builds are safe, deterministic and checkable."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from curate import writer
from curate.cli import main
from curate.commands import build

LLAMA_LINE = "Llama is the family of"


def _snapshot(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


@pytest.fixture
def docs(project):
    assert main(["build", "--project", str(project), "-q"]) == 0
    return project / "docs"


def _hand_edit(docs: Path, name: str = "what-is-llama.md") -> bytes:
    path = docs / name
    edited = path.read_bytes().replace(LLAMA_LINE.encode(), b"Llama is the big family of")
    assert edited != path.read_bytes()
    path.write_bytes(edited)
    return edited


# --- 1. one owner per file -----------------------------------------------------------------------

def test_manifest_records_every_generated_page_with_its_hash(docs):
    manifest = json.loads((docs / ".curate-manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == ["glossary.md", "index.md", "security-threat.md", "sources/index.md",
                                         "sources/zuckerberg-open-source-ai-letter.md", "tags.md",
                                         "what-is-llama.md", "what-is-open-source.md",
                                         "why-meta-embraced-open-source.md"]
    for path, entry in manifest["files"].items():
        assert entry["sha256"] == writer.sha256((docs / path).read_bytes())
    assert manifest["files"]["what-is-llama.md"]["edit"] == "content_sources/pages/what-is-llama.md"


def test_handwritten_pages_are_never_touched(docs):
    about = docs / "notes.md"
    about.write_text("# Notes\n\nOur own page about [Llama](what-is-llama.md).\n", encoding="utf-8")
    stat = about.stat()
    assert main(["build", "--project", str(docs.parent), "-q"]) == 0
    assert about.read_text(encoding="utf-8") == "# Notes\n\nOur own page about [Llama](what-is-llama.md).\n"
    assert about.stat().st_mtime_ns == stat.st_mtime_ns
    assert "notes.md" not in json.loads((docs / ".curate-manifest.json").read_text())["files"]
    # ... but its links count as backlinks
    assert "- [Notes](notes.md): “Our own page about Llama.”" in (docs / "what-is-llama.md").read_text()


def test_a_file_curate_does_not_own_is_never_overwritten(project, capsys):
    foreign = project / "docs" / "what-is-llama.md"
    foreign.write_text("# Mine\n", encoding="utf-8")
    assert main(["build", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert ("docs/what-is-llama.md: a file curate did not write is in the way; curate never overwrites files it "
            "does not own\n    hint: rename or move that file, or give the page another id in "
            "content_sources/curation.yml") in err
    assert foreign.read_text(encoding="utf-8") == "# Mine\n"
    assert not (project / "docs" / "index.md").exists()  # nothing written at all


# --- 2. hand edits are caught, not lost -----------------------------------------------------------

def test_hand_edit_stops_the_build_with_the_diff_and_where_to_edit(docs, capsys):
    before = _snapshot(docs)
    _hand_edit(docs)
    edited = _snapshot(docs)
    assert main(["build", "--project", str(docs.parent)]) == 1
    err = capsys.readouterr().err
    expected = (
        "curate build: 1 error; docs/ was not changed\n"
        "docs/what-is-llama.md: generated page was edited by hand since curate wrote it; the build stops so the "
        "edit is not lost\n"
        "    --- docs/what-is-llama.md (as curate would write it)\n"
        "    +++ docs/what-is-llama.md (on disk, edited by hand)\n"
        "    @@ -30,3 +30,3 @@\n"
        "\n"
        "    -Llama is the family of [large language models](glossary.md#large-language-model"
    )
    assert err.startswith(expected), err[:600]
    assert "    +Llama is the big family of [large language models](glossary.md" in err
    assert err.endswith(
        "    hint: move the change into content_sources/pages/what-is-llama.md, then run 'curate build' again; or "
        "run 'curate build --force' to overwrite it (the edited file is kept as a backup)\n")
    assert _snapshot(docs) == edited != before


def test_force_overwrites_after_saving_a_backup_with_the_edited_bytes(docs, capsys):
    original = (docs / "what-is-llama.md").read_bytes()
    edited = _hand_edit(docs)
    assert main(["build", "--project", str(docs.parent), "--force"]) == 0
    out = capsys.readouterr().out
    assert ("  backup    docs/what-is-llama.md was edited by hand; the edited version is saved as "
            "docs/.what-is-llama.md.hand-edited") in out
    assert (docs / ".what-is-llama.md.hand-edited").read_bytes() == edited
    assert (docs / "what-is-llama.md").read_bytes() == original
    # a second forced overwrite keeps the first backup
    _hand_edit(docs)
    assert main(["build", "--project", str(docs.parent), "--force", "-q"]) == 0
    assert (docs / ".what-is-llama.md.hand-edited").read_bytes() == edited
    assert (docs / ".what-is-llama.md.hand-edited-2").exists()


def _drop_security_page(project: Path) -> None:
    curation = project / "content_sources" / "curation.yml"
    text = curation.read_text(encoding="utf-8")
    text = text[: text.index("  - id: security-threat")]
    text = text.replace(", security-threat]", "]")
    curation.write_text(text, encoding="utf-8")


def test_dropped_page_is_deleted_when_untouched(docs, capsys):
    _drop_security_page(docs.parent)
    assert main(["build", "--project", str(docs.parent)]) == 0
    assert "  deleted   docs/security-threat.md" in capsys.readouterr().out
    assert not (docs / "security-threat.md").exists()
    assert "security-threat.md" not in json.loads((docs / ".curate-manifest.json").read_text())["files"]


def test_dropped_page_is_kept_and_reported_when_hand_edited(docs, capsys):
    path = docs / "security-threat.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nAn editor's note.\n", encoding="utf-8")
    edited = path.read_bytes()
    _drop_security_page(docs.parent)
    assert main(["build", "--project", str(docs.parent)]) == 0
    err = capsys.readouterr().err
    assert ("warning: docs/security-threat.md: page was dropped from the curation file but edited by hand; it is "
            "kept and is now yours (no longer managed by curate)") in err
    assert path.read_bytes() == edited
    assert "security-threat.md" not in json.loads((docs / ".curate-manifest.json").read_text())["files"]


# --- 3. every generated page says where to edit it ------------------------------------------------

def test_every_generated_page_names_the_file_to_edit(docs):
    manifest = json.loads((docs / ".curate-manifest.json").read_text(encoding="utf-8"))
    for path, entry in manifest["files"].items():
        text = (docs / path).read_text(encoding="utf-8")
        assert f"  edit: {entry['edit']}\n" in text
        assert f"Do not edit this file: edit {entry['edit']} and run `curate build`" in text
    assert manifest["files"]["glossary.md"]["edit"] == "content_sources/glossary.yml"


def test_edit_action_points_at_the_content_sources_file(built):
    html = (built / "site" / "what-is-llama" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="https://[^"]+/edit/main/content_sources/pages/what-is-llama\.md" title="[^"]*" '
                     r'class="md-content__button md-icon" rel="edit">', html)
    glossary = (built / "site" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "/edit/main/content_sources/glossary.yml" in glossary


# --- 4. curate check ----------------------------------------------------------------------------

def test_check_fails_on_stale_docs_and_passes_after_build(docs, capsys):
    intro = docs.parent / "content_sources" / "pages" / "what-is-llama.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    before = _snapshot(docs)
    assert main(["check", "--project", str(docs.parent)]) == 1
    captured = capsys.readouterr()
    assert "error: docs/what-is-llama.md: out of date; a build would rewrite it" in captured.err
    assert "curate check failed: 1 error, 0 warnings" in captured.err
    assert _snapshot(docs) == before  # check writes nothing
    assert main(["build", "--project", str(docs.parent), "-q"]) == 0
    assert main(["check", "--project", str(docs.parent)]) == 0
    assert "curate check passed: 0 errors, 0 warnings" in capsys.readouterr().out


def test_check_fails_on_hand_edits_and_missing_pages(docs, capsys):
    _hand_edit(docs)
    (docs / "tags.md").unlink()
    assert main(["check", "--project", str(docs.parent)]) == 1
    err = capsys.readouterr().err
    assert "error: docs/tags.md: missing; a build would create it" in err
    assert "error: docs/what-is-llama.md: generated page was edited by hand since curate wrote it" in err


def test_check_fails_on_invalid_content(docs, capsys):
    (docs.parent / "content_sources" / "glossary.yml").write_text("terms:\n  - term: x\n", encoding="utf-8")
    assert main(["check", "--project", str(docs.parent)]) == 1
    assert ("error: content_sources/glossary.yml:2: terms[0].definition: required key is missing"
            in capsys.readouterr().err)


# --- 5. validation --------------------------------------------------------------------------------

BROKEN_CURATION = """\
site:
  title: Test site
  description: A test.
pages:
  - id: what-is-llama
    title: What is Llama
    sections: [zuckerberg-open-source-ai-letter#what-is-lama]
    related: [what-is-open-sorce]
    tags: models
    titel: typo
  - id: what-is-open-source
    title: What is open source
    description: Open.
    terms: [open sorce]
    reviewed: yesterday
"""


def test_validation_reports_every_problem_at_once_with_file_line_and_key(project, capsys):
    (project / "content_sources" / "curation.yml").write_text(BROKEN_CURATION, encoding="utf-8")
    before = _snapshot(project / "docs")
    assert main(["build", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "curate build: 7 errors; docs/ was not changed\n"
        "content_sources/curation.yml:5: pages[0].description: required key is missing\n"
        "    hint: add 'description: …' (a one-line summary)\n"
        "content_sources/curation.yml:7: pages[0].sections[0]: source 'zuckerberg-open-source-ai-letter' has no "
        "section 'what-is-lama'\n"
        "    hint: did you mean 'what-is-llama'?\n"
        "content_sources/curation.yml:8: pages[0].related[0]: no page with id 'what-is-open-sorce'\n"
        "    hint: did you mean 'what-is-open-source'? (if 'what-is-open-sorce' is right, correct the page id on "
        "line 11 of curation.yml)\n"
        "content_sources/curation.yml:9: pages[0].tags: expected a list, found the value 'models'\n"
        "    hint: write it as a list: [models]\n"
        "content_sources/curation.yml:10: pages[0].titel: unknown key\n"
        "    hint: did you mean 'title'?\n"
        "content_sources/curation.yml:14: pages[1].terms[0]: 'open sorce' is not a glossary term\n"
        "    hint: did you mean 'open source'?\n"
        "content_sources/curation.yml:15: pages[1].reviewed: 'yesterday' is not a date of the form YYYY, YYYY-MM or "
        "YYYY-MM-DD\n"
        "    hint: write the date as 2024-08 or 2024-08-15\n"
    ), err
    assert err.count("\n    hint: ") == 7
    assert _snapshot(project / "docs") == before


def test_yaml_syntax_error_names_file_and_line(project, capsys):
    (project / "content_sources" / "glossary.yml").write_text("terms:\n  - term: a: b\n", encoding="utf-8")
    assert main(["build", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "content_sources/glossary.yml:2: invalid YAML: mapping values are not allowed here" in err
    assert "Traceback" not in err


def test_exit_codes_and_debug_traceback(project, capsys):
    assert main(["build", "--project", str(project / "nowhere")]) == 2
    assert "no content_sources/ folder in" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2
    (project / "content_sources" / "curation.yml").write_text("site: [\n", encoding="utf-8")
    assert main(["build", "--project", str(project)]) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert main(["build", "--project", str(project), "--debug"]) == 1
    assert "Traceback (most recent call last)" in capsys.readouterr().err


# --- 6. safe writes ---------------------------------------------------------------------------------

def test_exception_in_the_middle_of_writing_leaves_docs_byte_identical(docs, monkeypatch):
    for name in ("what-is-llama.md", "security-threat.md", "what-is-open-source.md"):
        path = docs.parent / "content_sources" / "pages" / name
        path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    before = _snapshot(docs)
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise KeyboardInterrupt("Ctrl-C in the middle of writing")
        return real_replace(src, dst)

    monkeypatch.setattr(writer.os, "replace", failing_replace)
    with pytest.raises(KeyboardInterrupt):
        build(docs.parent)
    assert len(calls) == 3
    assert _snapshot(docs) == before
    assert not [p for p in docs.rglob(".curate-tmp-*")]
    monkeypatch.setattr(writer.os, "replace", real_replace)
    build(docs.parent)
    assert _snapshot(docs) != before


def test_unchanged_pages_are_not_rewritten(docs):
    stamps = {p: p.stat().st_mtime_ns for p in docs.rglob("*.md")}
    old = 1_000_000_000
    for p in stamps:
        os.utime(p, ns=(old, old))
    intro = docs.parent / "content_sources" / "pages" / "security-threat.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace("means harm", "means ill"), encoding="utf-8")
    result = build(docs.parent)
    assert result.written == ["security-threat.md"]
    for p in docs.rglob("*.md"):
        rel = p.relative_to(docs).as_posix()
        assert (p.stat().st_mtime_ns == old) == (rel != "security-threat.md"), rel


def test_output_is_lf_utf8_and_sorted(docs):
    for p in docs.rglob("*.md"):
        data = p.read_bytes()
        assert b"\r" not in data and data.endswith(b"\n")
        data.decode("utf-8")
    manifest = (docs / ".curate-manifest.json").read_text(encoding="utf-8")
    keys = list(json.loads(manifest)["files"])
    assert keys == sorted(keys)


# --- the no-op fast path (curate.cache) ---------------------------------------------------------

def test_unchanged_inputs_skip_the_build_but_any_change_is_seen(project):
    first = build(project)
    assert first.plan is not None and len(first.written) == 9
    again = build(project)
    assert again.plan is None and again.written == [] and len(again.unchanged) == 9  # nothing loaded
    docs = project / "docs"
    # a hand edit is still caught
    edited = _hand_edit(docs)
    with pytest.raises(Exception) as exc:
        build(project)
    assert "edited by hand" in str(exc.value)
    assert main(["build", "--project", str(project), "--force", "-q"]) == 0
    assert (docs / ".what-is-llama.md.hand-edited").read_bytes() == edited
    # a new hand-written page (it may link to explainers) and a changed source are both seen
    (docs / "notes.md").write_text("# Notes\n\nSee [Llama](what-is-llama.md).\n", encoding="utf-8")
    assert build(project).written == ["what-is-llama.md"]
    intro = project / "content_sources" / "pages" / "security-threat.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert build(project).written == ["security-threat.md"]
    # a deleted generated page is rebuilt, and --force always makes a full build
    (docs / "tags.md").unlink()
    assert build(project).written == ["tags.md"]
    assert build(project, force=True).plan is not None


def test_the_cache_never_changes_what_a_build_writes(tmp_path):
    from .conftest import copy_project

    cached = copy_project(tmp_path / "cached")
    fresh = copy_project(tmp_path / "fresh")
    build(cached)
    for root in (cached, fresh):
        intro = root / "content_sources" / "pages" / "what-is-llama.md"
        intro.write_text(intro.read_text(encoding="utf-8") + "\nSame change.\n", encoding="utf-8")
        build(root)
        build(root)
    assert _snapshot(cached / "docs") == _snapshot(fresh / "docs")


@pytest.mark.parametrize("title", ["Security threat: what a leaked Llama means", "\"Open\" source? Llama's licence",
                                   "What is Llama? #1 explainer", "2024-07-23", "no", "1.0", "- leading dash",
                                   "* star", "什么是开源", "Emoji 🚨 at the end 🚨", "back\\slash", "tab\there",
                                   "'single' and \"double\"", "€ sign and café", "x" * 300])
def test_libyaml_and_pyyaml_write_the_same_front_matter(title):
    """Output is byte-identical whether or not PyYAML was built with libyaml."""
    import yaml

    from curate import yamlio

    data = {"title": title, "tags": [title, "b"], "curate": {"edit": "content_sources/x.md"}}
    slow = yaml.dump(data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=10_000,
                     default_flow_style=False)
    assert yamlio.dump_front_matter(data) == f"---\n{slow}---\n"
    assert yaml.safe_load(slow)["title"] == title


def test_a_misspelled_page_id_is_named_with_its_line(project, capsys):
    curation = project / "content_sources" / "curation.yml"
    misspelled = curation.read_text(encoding="utf-8").replace("  - id: what-is-llama\n", "  - id: what-is-lama\n")
    curation.write_text(misspelled, encoding="utf-8")
    assert main(["build", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert ("content_sources/curation.yml:16: pages[0].related[0]: no page with id 'what-is-llama'\n"
            "    hint: did you mean 'what-is-lama'? (if 'what-is-llama' is right, correct the page id on line 33 of "
            "curation.yml)") in err
    assert ("content_sources/pages/what-is-lama.md: intro file is missing\n    hint: create it with a paragraph in "
            "your own words; or, if the page id is misspelled in content_sources/curation.yml, did you mean "
            "'what-is-llama.md'?") in err


def test_a_broken_curation_file_gives_one_error_not_a_cascade(project, capsys):
    curation = project / "content_sources" / "curation.yml"
    curation.write_text(curation.read_text(encoding="utf-8").replace("related: [what-is-open-source, what-is-llama]",
                                                                     "related: [what-is-open-source, what-is-llama"),
                        encoding="utf-8")
    assert main(["build", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("curate build: 1 error; docs/ was not changed\ncontent_sources/curation.yml:")
