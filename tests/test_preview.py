"""Issue 13: the live preview re-renders only what a save changed, and serves what a full build makes.

The preview (curate.preview) is driven here in-process, as ``mkdocs serve`` drives it: a first
full build, then one rebuild per change. After each change, its site is compared file by file
with a full ``mkdocs build`` of the same project (same ``site_url``): same pages, same
navigation, same search index (so no page is in it twice). ``tests/test_serve.py`` runs the
real server.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from curate import mkdocs_hooks, preview
from curate.commands import build as build_pages
from curate.preview import KeptStore, changed_by_people

from .conftest import copy_project

SERVE_URL = "http://127.0.0.1:8000/"


def _config(project: Path, site: Path):
    from mkdocs.config import load_config

    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
    config.site_url = SERVE_URL
    return config


def _full_build(project: Path, site: Path) -> None:
    from mkdocs.commands.build import build

    build(_config(project, site), serve_url=SERVE_URL)


def _site(site: Path) -> dict[str, bytes]:
    # sitemap.xml.gz carries the time it was written in its gzip header
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != "sitemap.xml.gz"}


class _Server:
    """What the preview needs of MkDocs' live-reload server, without a socket or a watcher."""

    def __init__(self):
        self.builder = None

    def unwatch(self, path):
        pass


class Served:
    def __init__(self, project: Path, site: Path, preview: preview.Preview):
        self.project, self.site, self.preview = project, site, preview

    def rebuild(self) -> None:
        self.preview.rebuild()

    def matches_a_full_build(self, tmp: Path) -> None:
        """The preview's site is byte for byte the site a full build makes now."""
        served = _site(self.site)
        _full_build(self.project, tmp)
        full = _site(tmp)
        assert sorted(served) == sorted(full)
        differ = [p for p in full if served[p] != full[p]]
        assert not differ, differ[:10]


@pytest.fixture
def served(tmp_path, monkeypatch):
    from mkdocs.commands.build import build

    project = copy_project(tmp_path / "project")
    monkeypatch.setitem(mkdocs_hooks._state, "command", "serve")
    monkeypatch.delitem(mkdocs_hooks._state, "store", raising=False)
    build_pages(project)  # mkdocs.yml inherits docs/.curate-mkdocs.json, which a build writes
    config = _config(project, tmp_path / "site")
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url=SERVE_URL)

    def full_build():
        build(_config(project, tmp_path / "site"), serve_url=SERVE_URL)

    server = _Server()
    preview.attach(server, config, full_build, mkdocs_hooks.run_curate)
    assert server.builder == preview._last["preview"].rebuild
    yield Served(project, tmp_path / "site", preview._last["preview"])
    gc.unfreeze()


def _written() -> list[str]:
    return sorted(preview._last["result"].written)


def test_a_saved_intro_re_renders_the_pages_curate_rewrote_and_nothing_else(served, tmp_path):
    intro = served.project / "content_sources" / "pages" / "what-is-llama.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\nA sentence added while the preview runs.\n",
                     encoding="utf-8")
    served.rebuild()
    assert served.preview.reason == ""
    assert served.preview.full_builds == 0
    assert sorted(served.preview.rendered) == _written() and "what-is-llama.md" in _written()
    assert "A sentence added while the preview runs." in (served.site / "what-is-llama" / "index.html").read_text()
    served.matches_a_full_build(tmp_path / "full")


def test_an_edited_article_re_renders_its_page_and_the_pages_it_feeds(served, tmp_path):
    article = served.project / "content_sources" / "articles" / "zuckerberg-open-source-ai-letter.txt"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Meta’s open source LLaMA 3.1", "Meta’s open-source LLaMA 3.1", 1),
                       encoding="utf-8")
    served.rebuild()
    assert served.preview.reason == ""
    assert "sources/zuckerberg-open-source-ai-letter.md" in served.preview.rendered
    assert sorted(served.preview.rendered) == _written()
    assert len(_written()) < 9  # not every page: only those made from the changed passage
    served.matches_a_full_build(tmp_path / "full")


def test_two_saves_in_a_row_keep_one_entry_per_section_in_the_search_index(served, tmp_path):
    intro = served.project / "content_sources" / "pages" / "security-threat.md"
    original = intro.read_text(encoding="utf-8")
    for n in range(2):
        # first, so the words stay in the teaser search shows (not split into its keywords)
        intro.write_text(f"Save number {n}.\n\n" + original, encoding="utf-8")
        served.rebuild()
        assert served.preview.reason == ""
    index = json.loads((served.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [d["location"] for d in index["docs"]]
    assert len(locations) == len(set(locations))
    assert "Save number 1" in json.dumps(index) and "Save number 0" not in json.dumps(index)
    served.matches_a_full_build(tmp_path / "full")


def test_a_page_people_write_is_re_rendered_alone(served, tmp_path):
    about = served.project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nOne more line by hand.\n", encoding="utf-8")
    served.rebuild()
    assert served.preview.rendered == ["about.md"] and _written() == []
    served.matches_a_full_build(tmp_path / "full")


def test_a_new_title_changes_the_navigation_and_falls_back_to_a_full_build(served, tmp_path):
    curation = served.project / "content_sources" / "curation.yml"
    curation.write_text(curation.read_text(encoding="utf-8").replace("title: What is Llama", "title: What Llama is"),
                        encoding="utf-8")
    served.rebuild()
    assert served.preview.reason == "the navigation changed" and served.preview.full_builds == 1
    assert "What Llama is" in (served.site / "security-threat" / "index.html").read_text()  # in every page's nav
    served.matches_a_full_build(tmp_path / "full")


def test_a_content_error_keeps_the_last_good_pages_and_a_fix_rebuilds(served, tmp_path, capsys):
    before = _site(served.site)
    glossary = served.project / "content_sources" / "glossary.yml"
    good = glossary.read_text(encoding="utf-8")
    glossary.write_text("terms: [\n", encoding="utf-8")
    served.rebuild()
    assert "invalid YAML" in capsys.readouterr().err
    assert _site(served.site) == before and served.preview.rendered == []
    glossary.write_text(good.replace("Founder of Facebook", "The founder of Facebook"), encoding="utf-8")
    served.rebuild()
    assert served.preview.reason == "" and "glossary.md" in served.preview.rendered
    served.matches_a_full_build(tmp_path / "full")


def test_a_changed_theme_override_falls_back_to_a_full_build(served):
    override = served.project / "overrides" / "partials" / "actions.html"
    override.write_text(override.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    served.rebuild()
    assert served.preview.reason == "mkdocs.yml or the theme override changed"


# --- what wakes the preview up -----------------------------------------------------------------

def test_curate_s_own_writes_do_not_start_a_rebuild_and_people_s_changes_do(tmp_path):
    from curate.commands import build

    project = copy_project(tmp_path / "project")
    build(project)
    docs = project / "docs"
    assert not changed_by_people(docs, str(docs / "what-is-llama.md"))       # as curate wrote it
    assert not changed_by_people(docs, str(docs / ".curate-manifest.json"))
    assert not changed_by_people(docs, str(docs / ".curate-mkdocs.json"))
    assert not changed_by_people(docs, str(docs / ".curate-tmp-abc123"))     # a write being staged
    assert changed_by_people(docs, str(docs / "about.md"))                   # a page people write
    assert changed_by_people(docs, str(docs / "assets" / "curate.css"))
    page = docs / "what-is-llama.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA hand edit.\n", encoding="utf-8")
    assert changed_by_people(docs, str(page))                                # a generated page edited by hand
    page.unlink()
    assert changed_by_people(docs, str(page))                                # … or deleted


# --- the cache the preview keeps in memory ---------------------------------------------------------

def test_kept_store_hands_out_copies_and_prunes_what_a_build_did_not_use(tmp_path):
    from curate.render import PageDraft

    store = KeptStore(tmp_path)
    draft = PageDraft("a.md", "A", None, {}, "", [], tail=["first"])  # type: ignore[arg-type]
    store.put("drafts", "k1", draft)
    store.put("drafts", "k2", draft)
    got = store.get("drafts", "k1")
    assert got is not draft and got.tail == ["first"]
    got.tail.append("changed by a build")
    assert store.get("drafts", "k1").tail == ["first"]          # the kept entry is untouched
    store.flush()
    assert KeptStore(tmp_path).has("drafts", "k1")              # and on disk, as ever
    store.prune()  # this "build" used k1 and k2
    store.get("drafts", "k1")
    store.prune()  # this one used only k1
    assert ("drafts", "k2") not in store.memory and not KeptStore(tmp_path).has("drafts", "k2")
    fresh = KeptStore(tmp_path)
    assert fresh.get("drafts", "k1").title == "A"               # read back from disk by a new process
