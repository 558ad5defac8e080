"""Large sites (issue 7): every page stays reachable, no page grows with the site, and the fast
paths give the answers of the simple ones. No timings here: `make bench` measures those."""

from __future__ import annotations

import importlib.util
import posixpath
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curate import build as B
from curate.knowledge_map import MAX_NODES, NEIGHBOURS, Node, connections, render_map
from curate.linking import GlossaryLinker, _alias_pattern, _trie_pattern
from curate.model import PageSpec, Project, SiteSpec
from curate.pages import common as C
from curate.pages import explainer as E
from curate.pages import glossary as G
from curate.pages import nav as N
from curate.pages.related import computed_related
from curate.project import load_project

from .conftest import REPO


def _bench():
    spec = importlib.util.spec_from_file_location("bench", REPO / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A synthetic site of 425 articles (bench.py's generator): past every size limit."""
    root = tmp_path_factory.mktemp("large") / "project"
    _bench().generate(root, 425)
    project = load_project(root)
    return project, B.plan_build(project)


def _nav_paths(nav) -> list[str]:
    out = []
    for entry in nav:
        values = [entry] if isinstance(entry, str) else list(entry.values())
        for value in values:
            out += [value] if isinstance(value, str) else _nav_paths(value)
    return out


def _nav_levels(nav):
    yield nav
    for entry in nav:
        for value in ([] if isinstance(entry, str) else entry.values()):
            if isinstance(value, list):
                yield from _nav_levels(value)


@pytest.mark.slow
def test_every_generated_page_is_in_the_nav_exactly_once_or_on_its_month_page(large):
    """A large site's nav leads to each month's page of sources, not to every source (issue 13)."""
    project, plan = large
    paths = _nav_paths(plan.nav)
    assert sorted(paths) == sorted(set(paths))
    sources = {s.docs_path for s in project.sources}
    assert set(paths) == set(plan.files) - sources
    months = [p for p in paths if p.startswith(f"{C.SOURCES_BY_DATE}/")]
    listed = [posixpath.normpath(posixpath.join(posixpath.dirname(p), link))
              for p in months for link in re.findall(r"\]\(([^)]+\.md)\)", plan.files[p].decode())]
    assert sorted(listed) == sorted(sources)


@pytest.mark.slow
def test_large_site_pages_are_split(large):
    project, plan = large
    assert any(p.startswith(f"{C.SOURCES_BY_DATE}/") for p in plan.files)
    assert any(p.startswith(f"{C.TAGS_DIR}/") for p in plan.files)
    assert any(p.startswith(f"{C.GLOSSARY_DIR}/") for p in plan.files)
    home = plan.files[C.HOME].decode()
    knowledge_map = re.search(r'<div class="curate-map" markdown>.*?\n</div>', home, re.DOTALL).group()
    assert knowledge_map.count("](topic-") == MAX_NODES  # the map draws its first pages only
    rest = home.replace(knowledge_map, "")
    assert rest.count("](topic-") <= C.LIST_MAX + 1 and "](sources/article-" not in home


@pytest.mark.slow
def test_lists_on_pages_are_capped(large):
    _, plan = large
    for path, data in plan.files.items():
        text = data.decode()
        if "## Pages that link here" in text:
            block = text.split("## Pages that link here", 1)[1].split("\n## ", 1)[0]
            assert block.count("\n- [") <= C.BACKLINKS_MAX, path
        mentions = re.findall(r"^<li markdown data-search-exclude>Mentioned on: .*$", text, re.MULTILINE)
        if path.startswith(f"{C.GLOSSARY_DIR}/"):
            assert mentions, path  # every topical term is mentioned somewhere
        for line in mentions:
            assert line.count("](") <= G.MENTIONS_MAX, path


@pytest.mark.slow
def test_every_relative_link_resolves(large):
    _, plan = large
    for path, data in plan.files.items():
        for target in re.findall(r"\]\(([^)\s#]+\.md)(?:#[^)\s]*)?(?:\s+\"[^\"]*\")?\)", data.decode()):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            assert resolved in plan.files, (path, target)


def _old_related(spec, pages, mentions):
    mine = set(spec.terms) | mentions.get(spec.docs_path, set())
    scored = []
    for order, other in enumerate(pages):
        if other.id == spec.id:
            continue
        theirs = set(other.terms) | mentions.get(other.docs_path, set())
        score = len(mine & theirs) + 2 * len(set(spec.tags) & set(other.tags))
        if score:
            scored.append((-score, order, other.id))
    return [pid for _, _, pid in sorted(scored)[:E.MAX_RELATED]]


@pytest.mark.slow
def test_related_pages_score_as_comparing_every_pair(large):
    project, plan = large
    fast = computed_related(project.pages, plan.mentions, E.MAX_RELATED)
    for spec in project.pages:
        assert fast[spec.id] == _old_related(spec, project.pages, plan.mentions), spec.id


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["a", "ab", "b", "a b", "a-b", "ab c", "A", "B b", "é", "É b"]),
                min_size=1, max_size=8, unique=True),
       st.text(alphabet="abcAB éÉ-'s.", max_size=60))
def test_trie_regex_matches_like_the_alternation(aliases, text):
    aliases = sorted(aliases, key=lambda a: (-len(a), a))
    suffix, flags = GlossaryLinker._SUFFIX, re.IGNORECASE
    flat = re.compile(r"(?<![\w\-])(" + "|".join(_alias_pattern(a) for a in aliases) + ")" + suffix + r"(?![\w\-])",
                      flags)
    trie = re.compile(r"(?<![\w\-])(" + _trie_pattern(aliases) + ")" + suffix + r"(?![\w\-])", flags)
    assert [(m.span(), m.group(1)) for m in trie.finditer(text)] == \
           [(m.span(), m.group(1)) for m in flat.finditer(text)]


def test_nav_of_thousands_of_pages_keeps_every_level_short():
    pages = [PageSpec(id=f"p-{i}", title=f"Page {i}", description="", group=f"Group {i // 25}") for i in range(5000)]
    nav = N.nav(Project("", SiteSpec(title="Site", description=""), pages, [], [], {}), [])
    for level in _nav_levels(nav):
        sections = [e for e in level if isinstance(e, dict) and isinstance(next(iter(e.values())), list)]
        assert len(sections) <= N.SECTIONS_MAX and len(level) <= C.NAV_MAX + 1
    assert sorted(_nav_paths(nav)) == sorted([C.HOME, C.GLOSSARY, C.TAGS, C.SOURCES_INDEX]
                                             + [p.docs_path for p in pages])


def test_a_dense_knowledge_map_draws_each_pages_strongest_arcs_only():
    # 20 pages, each pair sharing a term: 190 pairs, of which each page keeps its NEIGHBOURS nearest
    # (a 21st page without "model" keeps it from being a term every page has, which would not count)
    nodes = [Node(f"p{i}.md", f"Page {i}", frozenset({"model", f"t{i // 2}"})) for i in range(20)]
    nodes.append(Node("p20.md", "Page 20", frozenset({"other"})))
    drawn = connections(nodes)
    assert all(sum(1 for c in drawn if i in (c.a, c.b)) >= NEIGHBOURS for i in range(20))
    assert len(drawn) <= NEIGHBOURS * 20 < 190
    assert [(c.a, c.b, c.weight) for c in drawn if c.a == 0] == [(0, 1, 2), (0, 2, 1), (0, 3, 1)]
    svg = render_map(nodes, lambda p: p)
    assert svg.count('class="curate-map-edge"') == len(drawn) and 'stroke-width: 6px' in svg
