"""The built site/ on its own (no browser): links and fragments resolve, the sitemap lists every
page, the 404 page exists, every page has its own meta description, and each page's HTML size is
reported (printed under ``pytest -s`` and written to test-artifacts/page-sizes.txt)."""

from __future__ import annotations

import html
import json
import posixpath
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from .conftest import ARTIFACTS

# A page's HTML beyond this is a regression worth a look (the largest is about 35 KB today).
PAGE_BUDGET_BYTES = 150_000
LINK_ATTRS = {"href", "src", "xlink:href"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.descriptions: list[str] = []
        self.canonical: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if a.get(key):
                self.ids.add(a[key])
        if tag == "meta" and a.get("name") == "description":
            self.descriptions.append(a.get("content") or "")
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
        for key in LINK_ATTRS:
            if a.get(key) is not None:
                self.links.append((tag, a[key]))


def _parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def site(built_site):
    pages = {rel: path for rel, path in built_site.pages().items()}
    parsed = {rel: _parse(path) for rel, path in pages.items()}
    config = yaml.load((built_site.project / "mkdocs.yml").read_text(), Loader=_yaml_loader())
    return built_site, pages, parsed, config["site_url"].rstrip("/") + "/"


def _yaml_loader():
    from mkdocs.utils.yaml import get_yaml_loader

    return get_yaml_loader()


def _target_file(site_dir: Path, path: str) -> Path | None:
    """The file a site-relative URL path is served from, or None."""
    candidate = site_dir / unquote(path)
    if path == "" or path.endswith("/"):
        candidate = candidate / "index.html"
    if candidate.is_file():
        return candidate
    if (candidate / "index.html").is_file():
        return candidate / "index.html"
    return None


def test_every_internal_link_and_fragment_resolves(site):
    built, pages, parsed, site_url = site
    ids_cache: dict[Path, set[str]] = {}
    broken, checked = [], 0
    for rel, page in parsed.items():
        page_dir = posixpath.dirname(rel) if not rel.endswith("/") else rel.rstrip("/")
        for tag, url in page.links:
            if url.startswith(site_url):
                url = "/" + url[len(site_url):]
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("javascript:", "mailto:", "data:")):
                continue  # another origin (the edit links), or not a link at all
            if parts.path.startswith("/"):
                target_path = parts.path.lstrip("/")
            elif parts.path:
                target_path = posixpath.normpath(posixpath.join(page_dir, parts.path))
                target_path = "" if target_path == "." else target_path
                if parts.path.endswith("/") and not target_path.endswith("/") and target_path:
                    target_path += "/"
            else:
                target_path = rel  # a bare #fragment on this page
            target = _target_file(built.site, target_path)
            checked += 1
            if target is None:
                broken.append(f"{rel or '/'}: <{tag}> {url} -> no file {target_path}")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids_cache:
                    ids_cache[target] = _parse(target).ids
                if unquote(parts.fragment) not in ids_cache[target]:
                    broken.append(f"{rel or '/'}: {url} -> no id {parts.fragment!r} "
                                  f"in {target.relative_to(built.site)}")
    assert checked > 100, f"only {checked} links checked"
    assert not broken, "\n".join(broken)


def test_fragment_check_is_live(site):
    """The id index the fragment check relies on holds the real ids (and not made-up ones)."""
    _, _, parsed, _ = site
    glossary = parsed["glossary/"]
    assert "openai" in glossary.ids
    assert "no-such-term" not in glossary.ids


def test_sitemap_lists_every_page(site):
    built, pages, _, site_url = site
    tree = ET.parse(built.site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in tree.getroot().findall("s:url/s:loc", ns)]
    assert all(loc.startswith(site_url) for loc in locs), locs
    listed = {loc[len(site_url):] for loc in locs}
    expected = {rel for rel in pages if rel != "404.html"}
    assert listed == expected
    for rel in listed:
        assert _target_file(built.site, rel) is not None, rel


def test_404_page_exists(site):
    built, pages, parsed, _ = site
    assert "404.html" in pages
    text = pages["404.html"].read_text(encoding="utf-8")
    assert "404" in text and "Not found" in text


def _front_matter(md: Path) -> dict:
    text = md.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    return yaml.safe_load(text.split("\n---", 1)[0][3:]) or {}


def _source_md(docs: Path, rel: str) -> Path:
    if rel == "":
        return docs / "index.md"
    stem = rel.rstrip("/")
    return docs / f"{stem}.md" if (docs / f"{stem}.md").exists() else docs / stem / "index.md"


def test_every_page_has_its_own_meta_description(site):
    built, pages, parsed, _ = site
    curation = yaml.safe_load((built.project / "content_sources" / "curation.yml").read_text(encoding="utf-8"))
    # curate writes a generated page's title and description HTML-safe (& < > " as entities)
    generated = json.loads((built.docs / ".curate-manifest.json").read_text(encoding="utf-8"))["files"]
    from_curation = {p["id"]: p["description"] for p in curation.get("pages", [])}
    from_curation[""] = curation["site"]["description"]
    problems = []
    for rel, page in parsed.items():
        if rel == "404.html":
            continue
        if len(page.descriptions) != 1:
            problems.append(f"{rel or '/'}: {len(page.descriptions)} meta descriptions")
            continue
        described = page.descriptions[0]
        md = _source_md(built.docs, rel)
        own = _front_matter(md).get("description")
        own = html.unescape(own) if own and md.relative_to(built.docs).as_posix() in generated else own
        if not own:
            problems.append(f"{rel or '/'}: {md.relative_to(built.project)} has no description")
        elif described != own:
            problems.append(f"{rel or '/'}: meta {described!r} != front matter {own!r}")
        page_id = rel.rstrip("/")
        if page_id in from_curation and described != from_curation[page_id]:
            problems.append(f"{rel or '/'}: meta {described!r} != curation.yml {from_curation[page_id]!r}")
    curated = [rel for rel in parsed if rel.rstrip("/") in from_curation]
    assert len(curated) == len(from_curation), (curated, sorted(from_curation))
    assert not problems, "\n".join(problems)


def test_page_sizes(site):
    built, pages, _, _ = site
    sizes = {rel or "/": path.stat().st_size for rel, path in pages.items()}
    width = max(len(rel) for rel in sizes)
    lines = [f"{rel:<{width}}  {size:>8,} bytes" for rel, size in sorted(sizes.items(), key=lambda kv: -kv[1])]
    report = "HTML size of each page, largest first\n" + "\n".join(lines) + "\n"
    print("\n" + report)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "page-sizes.txt").write_text(report, encoding="utf-8")
    over = {rel: size for rel, size in sizes.items() if size > PAGE_BUDGET_BYTES}
    assert not over, f"pages over {PAGE_BUDGET_BYTES:,} bytes: {over}"
