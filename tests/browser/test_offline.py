"""The offline copy (mkdocs-offline.yml, what `make site-offline` builds) opened through file://."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def offline(built_site):
    return built_site.offline()


def test_offline_search_finds_llama(open_page, offline):
    index = offline / "index.html"
    page, rec = open_page(index.as_uri())
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("Llama")
    box.press("End")  # one keyup: Material reads the whole query once
    first = page.locator(".md-search-result__item > a.md-search-result__link:first-child").first
    expect(first).to_have_attribute("href", re.compile(r"what-is-llama\.html(\?|$)"))
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"\d+ matching documents?"))
    first.click()
    page.wait_for_url(re.compile(r"what-is-llama\.html"))
    expect(page.locator("article h1")).to_have_text(re.compile(r"^What is Llama"))
    assert all(u.startswith("file://") for u in rec.requests), [u for u in rec.requests if not u.startswith("file:")]
    assert not rec.console_errors and not rec.page_errors, rec.console_errors + rec.page_errors


def test_offline_search_uses_the_same_settings(built_site, offline):
    online = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    script = (offline / "search" / "search_index.js").read_text(encoding="utf-8")
    inline = json.loads(script[script.index("{"): script.rindex("}") + 1])
    assert inline["config"] == online["config"]


def test_offline_knowledge_map_links_open_pages(open_page, offline):
    """The map's links are Markdown links, which MkDocs resolves to .html files here."""
    html = (offline / "index.html").read_text(encoding="utf-8")
    targets = re.findall(r'<a class="curate-map-node" href="([^"]+)"', html)
    assert len(targets) >= 4, targets
    for target in targets:
        assert target.endswith(".html") and (offline / target).is_file(), target
    page, rec = open_page((offline / "index.html").as_uri())
    page.locator(".curate-map-node", has_text="What is Llama").click()
    page.wait_for_url(re.compile(r"/what-is-llama\.html$"))
    expect(page.locator("article h1")).to_have_text(re.compile(r"^What is Llama"))
    assert not rec.console_errors and not rec.page_errors, rec.console_errors + rec.page_errors
