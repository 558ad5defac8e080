"""Incremental builds: cached sources and drafts give exactly what a clean build gives.

Each generated page is remade only when an input it was made from changed
(see curate.pages and curate.cache); these tests compare cached builds with
builds from an empty cache, byte for byte, and pin what each edit rewrites.
"""

from __future__ import annotations

import json
import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest

from curate import cache, commands
from curate.build import plan_build
from curate.pages import DraftCache
from curate.project import load_project

from .conftest import copy_project
from .test_scale import _bench


def _entries(root: Path, kind: str) -> dict[str, bytes]:
    """The cache's signed entries of a kind, key → bytes, read as another program would."""
    with sqlite3.connect(root / cache.CACHE_DIR / cache.DB_FILE) as db:
        return dict(db.execute("SELECT key, value FROM entries WHERE kind = ? ORDER BY key", (kind,)))


def _set_entry(root: Path, kind: str, key: str, data: bytes) -> None:
    """Replace an entry's bytes behind curate's back."""
    with sqlite3.connect(root / cache.CACHE_DIR / cache.DB_FILE) as db:
        db.execute("UPDATE entries SET value = ? WHERE kind = ? AND key = ?", (data, kind, key))


def _delete_kind(root: Path, kind: str) -> None:
    """Delete every entry of a kind behind curate's back (another process, or a person)."""
    with sqlite3.connect(root / cache.CACHE_DIR / cache.DB_FILE) as db:
        db.execute("DELETE FROM entries WHERE kind = ?", (kind,))


def _docs(root: Path) -> dict[str, bytes]:
    docs = root / "docs"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    root = tmp_path / "synthetic"
    _bench().generate(root, 12)
    commands.build(root)
    return root


def _clean_build_of(root: Path, tmp: Path) -> dict[str, bytes]:
    """docs/ as a build with no cache (and no earlier docs/) writes it for the same inputs."""
    other = tmp / "clean"
    shutil.copytree(root, other, ignore=shutil.ignore_patterns(".curate-cache"))
    for path in (other / "docs").rglob("*.md"):
        path.unlink()
    (other / "docs" / ".curate-manifest.json").unlink()
    commands.build(other)
    return _docs(other)


def test_one_article_changed_rewrites_only_its_dependents(synthetic: Path, tmp_path: Path):
    _bench().edit_article(synthetic, "article-00005", 1)
    result = commands.build(synthetic)
    # The article's own page, and the one explainer fed by the edited paragraph's section (each
    # explainer takes two sections of its article and one of the next: here, the last one).
    assert result.written == ["sources/article-00005.md", "topic-00004.md"]
    assert _docs(synthetic) == _clean_build_of(synthetic, tmp_path)


def test_one_intro_changed_rewrites_only_its_page(synthetic: Path, tmp_path: Path):
    intro = synthetic / "content_sources" / "pages" / "topic-00003.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\nOne more sentence by the editor.\n", encoding="utf-8")
    result = commands.build(synthetic)
    assert result.written == ["topic-00003.md"]
    assert _docs(synthetic) == _clean_build_of(synthetic, tmp_path)


def test_a_glossary_change_remakes_every_draft(synthetic: Path, tmp_path: Path):
    glossary = synthetic / "content_sources" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "freely available", "openly available", 1), encoding="utf-8")
    store = cache.Store(synthetic)
    drafts = DraftCache(store)
    plan_build(load_project(synthetic, store), cache=drafts)
    assert drafts.hits == 0 and drafts.misses == 12 + 12 + 1  # explainers, sources, home
    commands.build(synthetic)
    assert _docs(synthetic) == _clean_build_of(synthetic, tmp_path)


def test_unchanged_drafts_come_from_the_cache(synthetic: Path):
    store = cache.Store(synthetic)
    drafts = DraftCache(store)
    plan_build(load_project(synthetic, store), cache=drafts)
    assert (drafts.hits, drafts.misses) == (25, 0)


def test_a_line_added_to_curation_yml_remakes_no_draft(synthetic: Path, tmp_path: Path):
    """A page's draft depends on what curation.yml says, not on the lines it says it on."""
    curation = synthetic / "content_sources" / "curation.yml"
    curation.write_text("# A comment an editor added at the top.\n" + curation.read_text(encoding="utf-8"),
                        encoding="utf-8")
    store = cache.Store(synthetic)
    drafts = DraftCache(store)
    plan_build(load_project(synthetic, store), cache=drafts)
    assert (drafts.hits, drafts.misses) == (25, 0)
    assert commands.build(synthetic).written == []
    assert _docs(synthetic) == _clean_build_of(synthetic, tmp_path)


def test_damaged_cache_entries_are_misses_not_errors(synthetic: Path, tmp_path: Path):
    for kind in ("sources", "drafts"):
        for key in list(_entries(synthetic, kind))[:5]:
            _set_entry(synthetic, kind, key, b"not a pickle")
    _bench().edit_article(synthetic, "article-00001", 1)
    commands.build(synthetic)
    assert _docs(synthetic) == _clean_build_of(synthetic, tmp_path)


def test_the_cache_keeps_one_build_worth_of_entries(synthetic: Path):
    before = len(_entries(synthetic, "sources"))
    for run in range(3):
        _bench().edit_article(synthetic, "article-00002", run)
        commands.build(synthetic)
    assert len(_entries(synthetic, "sources")) == before == 12
    assert len(_entries(synthetic, "drafts")) == len(_entries(synthetic, "draft-body")) == 12 + 12 + 1


def test_the_salt_covers_code_and_shaping_library_versions(monkeypatch, tmp_path: Path):
    before = cache.salt()
    # Another PyYAML first on the path, as an upgrade in place or a second environment would put it.
    (tmp_path / "PyYAML-99.0.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    cache._code_hash.cache_clear()
    try:
        assert cache.library_versions(("PyYAML",)) == {"PyYAML": "99.0"}
        assert cache.salt() != before
    finally:
        monkeypatch.undo()
        cache._code_hash.cache_clear()
    assert cache.salt() == before


def test_library_versions_are_those_importlib_metadata_gives():
    from importlib import metadata

    found = cache.library_versions(cache.SHAPING_LIBRARIES + ("no-such-distribution",))
    for name in cache.SHAPING_LIBRARIES:
        try:
            assert found[name] == metadata.version(name), name
        except metadata.PackageNotFoundError:
            assert found[name] == "-"
    assert found["no-such-distribution"] == "-"


def test_cached_sources_keep_their_warnings(project: Path):
    meta = project / "content_sources" / "articles" / "zuckerberg-open-source-ai-letter.meta.yml"
    meta.write_text("title: Mark Zuckerberg is now Supporting open-source AI tech\n", encoding="utf-8")
    first = load_project(project, cache.Store(project)).warnings
    assert [p.key for p in first] == ["published"]
    assert load_project(project, cache.Store(project)).warnings == first  # from the cache this time


def test_build_and_check_agree_on_a_folder_named_like_a_source(project: Path):
    commands.build(project)
    (project / "content_sources" / "articles" / "x.txt").mkdir()
    (project / "content_sources" / "articles" / "x.txt" / "inner.txt").write_text("Hello\n", encoding="utf-8")
    result = commands.build(project)
    assert any("x.txt: a folder; ignored" in w for w in result.warnings)
    check = commands.check(project)
    assert not check.errors


def test_build_and_check_agree_after_a_hand_edited_page_is_dropped(tmp_path: Path):
    root = copy_project(tmp_path / "p")
    commands.build(root)
    page = root / "docs" / "security-threat.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAn editor's note, linking [Llama](what-is-llama.md).\n",
                    encoding="utf-8")
    curation = root / "content_sources" / "curation.yml"
    text = curation.read_text(encoding="utf-8")
    start = text.index("  - id: security-threat")
    end = text.find("\n  - id:", start + 1)
    text = text[:start] + (text[end + 1:] if end != -1 else "")
    curation.write_text(text.replace("security-threat", "what-is-llama").replace(
        "related: [what-is-open-source, what-is-llama]", "related: [what-is-open-source]"), encoding="utf-8")
    first = commands.build(root)
    assert first.kept == ["security-threat.md"]
    manifest = json.loads((root / "docs" / ".curate-manifest.json").read_text(encoding="utf-8"))
    assert "security-threat.md" not in manifest["files"]
    assert {"Security threat": "security-threat.md"} in manifest["nav"][-1]["About this site"]  # now hand-written
    # The kept page is the editor's now; the first build already planned with it as such,
    # so the next build has nothing to do and check agrees.
    assert commands.build(root).written == []
    assert not commands.check(root).errors


def test_a_pickled_draft_round_trips(synthetic: Path):
    key, entry = next(iter(_entries(synthetic, "drafts").items()))
    facts = pickle.loads(entry[32:])  # after the 32-byte signature
    body = pickle.loads(_entries(synthetic, "draft-body")[key][32:])
    assert facts["path"].endswith(".md") and body["prose"] and "prose" not in facts


def test_a_cached_draft_reads_its_body_only_when_rendered(synthetic: Path):
    from curate.render import PageDraft

    store = cache.Store(synthetic)
    drafts = DraftCache(store)
    fresh = plan_build(load_project(synthetic, None), cache=DraftCache())
    plan = plan_build(load_project(synthetic, store), cache=drafts, link_report=False)
    assert drafts.hits == 25
    page = "topic-00003.md"
    draft = next(d for d in plan.files._drafts.values() if d.path == page)  # type: ignore[attr-defined]
    assert "prose" not in vars(draft)
    assert plan.files[page] == fresh.files[page]  # rendered now, its body read from the cache
    copied = pickle.loads(pickle.dumps(draft))
    assert type(copied) is PageDraft and copied.text() == draft.text()


def test_a_draft_body_gone_during_a_build_stops_it_with_a_cure(synthetic: Path):
    store = cache.Store(synthetic)
    plan = plan_build(load_project(synthetic, store), cache=DraftCache(store), link_report=False)
    _delete_kind(synthetic, "draft-body")
    with pytest.raises(commands.ContentError, match="run the build again"):
        plan.files["topic-00003.md"]
    # The next build drafts the page again.
    _bench().edit_article(synthetic, "article-00001", 1)
    commands.build(synthetic)
    assert not commands.check(synthetic).errors


class _Planted:
    """A pickle that would run code when loaded: what a foreign .curate-cache could hold."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_an_entry_not_signed_here_is_never_unpickled(synthetic: Path, tmp_path: Path):
    marker = tmp_path / "ran"
    for kind in ("sources", "drafts", "yaml", "intros"):
        for key in _entries(synthetic, kind):
            _set_entry(synthetic, kind, key, b"\0" * 32 + pickle.dumps(_Planted(marker)))
    (synthetic / ".curate-cache" / "build.json").unlink()
    _bench().edit_article(synthetic, "article-00003", 1)
    commands.build(synthetic)
    assert not marker.exists()
    assert _docs(synthetic) == _clean_build_of(synthetic, tmp_path)
    assert not commands.check(synthetic).errors


def test_a_body_or_text_entry_not_signed_here_is_never_unpickled(synthetic: Path, tmp_path: Path):
    """The parts read on demand behind signed entries: a draft's body, a source's text."""
    marker = tmp_path / "ran"
    for kind in ("draft-body", "source-text"):
        entries = _entries(synthetic, kind)
        assert entries, kind
        for key in entries:
            _set_entry(synthetic, kind, key, b"\0" * 32 + pickle.dumps(_Planted(marker)))
    (synthetic / ".curate-cache" / "build.json").unlink()  # every page rendered: every body read
    _bench().edit_article(synthetic, "article-00003", 1)  # a draft made anew reads another source's text
    with pytest.raises(commands.ContentError, match="could not be read back"):
        commands.build(synthetic)  # a body that fails its signature stops the build, as a deleted one does
    assert not marker.exists()
    commands.build(synthetic)  # the bad entries were dropped: the next build recovers
    assert not marker.exists()
    assert _docs(synthetic) == _clean_build_of(synthetic, tmp_path)


def test_swapped_entries_are_misses(synthetic: Path, tmp_path: Path):
    for kind in ("intros", "sources", "drafts"):
        (a, data_a), (b, data_b) = list(_entries(synthetic, kind).items())[:2]
        _set_entry(synthetic, kind, a, data_b)
        _set_entry(synthetic, kind, b, data_a)
    _bench().edit_article(synthetic, "article-00007", 1)
    commands.build(synthetic)
    assert _docs(synthetic) == _clean_build_of(synthetic, tmp_path)


# --- pages whose final inputs are unchanged are not rendered again ---------------------------------

def test_a_build_records_each_cached_pages_final_key_and_hash(synthetic: Path):
    state = cache.load(synthetic)
    pages = cache.pages(state)
    manifest = json.loads((synthetic / "docs" / ".curate-manifest.json").read_text(encoding="utf-8"))
    # Every explainer, every source page and the home page come from cached drafts.
    assert len(pages) == 12 + 12 + 1
    assert {p: sha for p, (_, sha) in pages.items()} == {p: manifest["files"][p]["sha256"] for p in pages}


def test_unchanged_pages_are_compared_by_hash_not_rendered(synthetic: Path, monkeypatch):
    from curate.render import PageDraft

    _bench().edit_article(synthetic, "article-00005", 2)
    rendered: list[str] = []
    real = PageDraft.text
    monkeypatch.setattr(PageDraft, "text", lambda self: rendered.append(self.path) or real(self))
    result = commands.build(synthetic)
    assert result.written == ["sources/article-00005.md", "topic-00004.md"]
    # The pages made from the article (topic-00005 shows its other sections, so it is drafted
    # again, and comes out unchanged), and the pages made afresh by every build (glossary, tags
    # and sources lists): never another explainer or source page.
    made_from_it = {"sources/article-00005.md", "topic-00004.md", "topic-00005.md"}
    assert made_from_it <= set(rendered)
    assert not [p for p in rendered if p.startswith(("topic-", "sources/article-")) and p not in made_from_it]


def test_a_hand_edit_is_found_on_a_page_that_is_not_rendered_again(synthetic: Path):
    page = synthetic / "docs" / "topic-00002.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAn editor's line.\n", encoding="utf-8")
    _bench().edit_article(synthetic, "article-00009", 1)  # not a no-op: the build plans its writes
    with pytest.raises(commands.ContentError) as err:
        commands.build(synthetic)
    assert "docs/topic-00002.md" in str(err.value) and "edited by hand" in str(err.value)
    assert "An editor's line." in str(err.value)  # the diff against the page curate would write


def test_a_wrong_recorded_hash_only_costs_a_render(synthetic: Path, tmp_path: Path):
    state = json.loads((synthetic / ".curate-cache" / "build.json").read_text(encoding="utf-8"))
    for entry in state["pages"].values():
        entry[1] = "0" * 64
    (synthetic / ".curate-cache" / "build.json").write_text(json.dumps(state), encoding="utf-8")
    _bench().edit_article(synthetic, "article-00006", 1)
    assert commands.build(synthetic).written == ["sources/article-00006.md", "topic-00005.md"]
    assert _docs(synthetic) == _clean_build_of(synthetic, tmp_path)
    assert not commands.check(synthetic).errors


# --- cached sources: facts at once, text when a page is drafted anew ------------------------------

def test_a_cached_source_reads_its_text_only_when_asked(synthetic: Path):
    store = cache.Store(synthetic)
    project = load_project(synthetic, store)
    source = project.sources[0]
    assert "text" not in vars(source) and "passages" not in vars(source.sections[0])
    assert source.sections[0].passages  # read now, from the cache
    fresh = load_project(synthetic, None).sources[0]
    assert (source.text, source.dropped, [s.passages for s in source.sections]) == (
        fresh.text, fresh.dropped, [s.passages for s in fresh.sections])
    # Pickled (as a draft or the preview's copy would be), it is the plain source it stands for.
    assert pickle.loads(pickle.dumps(project.sources[1])) == load_project(synthetic, None).sources[1]


def test_a_cached_sources_text_deleted_during_a_build_is_read_again(synthetic: Path):
    store = cache.Store(synthetic)
    project = load_project(synthetic, store)
    _delete_kind(synthetic, "source-text")
    fresh = load_project(synthetic, None).sources[2]
    assert project.sources[2].text == fresh.text and project.sources[2].sections[0].passages == \
        fresh.sections[0].passages


def test_a_source_whose_text_entry_is_gone_is_loaded_again(synthetic: Path, tmp_path: Path):
    _delete_kind(synthetic, "source-text")
    _bench().edit_article(synthetic, "article-00004", 1)
    assert commands.build(synthetic).written == ["sources/article-00004.md", "topic-00003.md"]
    assert _docs(synthetic) == _clean_build_of(synthetic, tmp_path)


def test_a_linked_source_is_cleaned_again_when_its_target_changes(synthetic: Path, tmp_path: Path):
    articles = synthetic / "content_sources" / "articles"
    target = synthetic / "content_sources" / "kept" / "article-00008.txt"
    target.parent.mkdir()
    (articles / "article-00008.txt").rename(target)
    (articles / "article-00008.txt").symlink_to(Path("..") / "kept" / "article-00008.txt")
    commands.build(synthetic)
    target.write_text(target.read_text(encoding="utf-8").replace(".", ", changed.", 1), encoding="utf-8")
    assert "sources/article-00008.md" in commands.build(synthetic).written
    assert not commands.check(synthetic).errors


def test_the_fingerprints_digests_key_what_the_loader_would_read(synthetic: Path):
    digests: dict[str, bytes] = {}
    cache.fingerprint(synthetic, set(), digests)
    assert "content_sources/articles/article-00000.txt" in digests
    assert "content_sources/pages/topic-00000.md" in digests
    store = cache.Store(synthetic)
    with_digests = load_project(synthetic, store, digests)
    assert with_digests.source_keys == load_project(synthetic, cache.Store(synthetic)).source_keys
    assert with_digests.intros == load_project(synthetic, None).intros


def test_a_damaged_cache_database_is_replaced_not_an_error(synthetic: Path, tmp_path: Path):
    db = synthetic / cache.CACHE_DIR / cache.DB_FILE
    db.write_bytes(b"not a database at all" * 100)
    (synthetic / cache.CACHE_DIR / cache.CACHE_FILE).unlink()  # no no-op shortcut: the build reads the cache
    _bench().edit_article(synthetic, "article-00002", 1)
    commands.build(synthetic)
    assert _docs(synthetic) == _clean_build_of(synthetic, tmp_path)
    assert len(_entries(synthetic, "drafts")) == 12 + 12 + 1  # a new database, filled by that build
