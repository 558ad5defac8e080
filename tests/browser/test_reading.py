"""Reading the site in Chromium: every page loads cleanly, links land, tooltips show, palettes
switch and stay switched, and the site is usable on a phone-sized screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, MOBILE, docs_pages, origin_of, page_id, wait_for_search

pytestmark = pytest.mark.browser

PAGES = docs_pages()



def test_every_built_page_is_tested(built_site):
    """The page list the tests are parametrised with (from docs/) is exactly the built site."""
    assert sorted(built_site.pages()) == sorted(PAGES)


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_page_loads_without_errors_or_other_origins(open_page, base_url, path):
    page, rec = open_page(base_url + path)
    wait_for_search(page)  # the search index is fetched and the worker set up after load
    assert page.locator("h1").first.is_visible()
    foreign = rec.foreign_requests(origin_of(base_url))
    assert not foreign, f"requests to other origins: {foreign}"
    assert any(u.endswith("search/search_index.json") for u in rec.requests), rec.requests
    assert not rec.console_errors, rec.console_errors
    assert not rec.page_errors, rec.page_errors


def test_glossary_cross_link_lands_on_its_heading(open_page, base_url):
    page, rec = open_page(base_url + "what-is-llama/")
    link = page.locator("article a.glossary-link[href*='glossary/#openai']").first
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(re.compile(r"/glossary/#openai$"))
    heading = page.locator("#openai")
    expect(heading).to_be_in_viewport()
    assert heading.evaluate("e => e.tagName") == "H2"
    assert heading.inner_text().strip().startswith("OpenAI")
    assert page.title().startswith("Glossary")
    assert not rec.console_errors and not rec.page_errors, rec.console_errors + rec.page_errors


def test_term_link_opens_the_explaining_page(open_page, base_url):
    page, rec = open_page(base_url + "what-is-llama/")
    page.locator("article a.glossary-link", has_text=re.compile(r"^open source$")).first.click()
    page.wait_for_url(re.compile(r"/what-is-open-source/$"))
    expect(page.locator("article h1")).to_have_text(re.compile(r"^What is open source"))
    assert not rec.console_errors and not rec.page_errors, rec.console_errors + rec.page_errors


def test_citation_lands_on_the_quoted_paragraph(open_page, base_url):
    """A quoted passage's cited place opens the source page at the very paragraph the explainer quotes."""
    page, rec = open_page(base_url + "what-is-llama/")
    # the first passage under "From the reporting" (the intro's citations are the editor's words)
    quoting = page.locator("xpath=//h2[@id='from-the-reporting']/following::p[sup[@class='citation']]").first
    mark_id = quoting.locator("sup.citation a").last.get_attribute("id")
    letter = mark_id.rsplit("-", 1)[1]
    quoted_text = re.sub(r"\s+", " ", quoting.inner_text()).strip()
    # the reference's cited places, each after the letters that cite it ("b, d. <a>place</a>")
    entry = page.locator("[id='ref-1']").inner_html()
    by_letter = {x: href for xs, href in re.findall(r'((?:[a-z], )*[a-z])\. <a href="([^"]+)"', entry)
                 for x in xs.split(", ")}
    href = by_letter[letter]
    citation = page.locator(f"[id='ref-1'] a[href='{href}']")
    fragment = href.split("#", 1)[1]
    citation.click()
    page.wait_for_url(re.compile(r"/sources/[^/]+/#" + re.escape(fragment) + "$"))
    target = page.locator(f"[id='{fragment}']")
    expect(target).to_be_in_viewport()
    target_text = re.sub(r"\s+", " ", target.inner_text()).strip()
    # The explainer's paragraph is the source's, word for word, plus the citation mark.
    assert quoted_text[:80] in target_text, (quoted_text[:80], target_text[:200])
    assert not rec.console_errors and not rec.page_errors, rec.console_errors + rec.page_errors


def test_citation_mark_and_back_link_go_both_ways(open_page, base_url):
    """A citation mark jumps to its reference; the reference's letter jumps back to the mark."""
    page, rec = open_page(base_url + "what-is-llama/")
    mark = page.locator("sup.citation a[id='cite-1-b']")
    expect(mark).to_have_attribute("aria-label", "Reference 1")
    mark.click()
    page.wait_for_url(re.compile(r"#ref-1$"))
    expect(page.locator("[id='ref-1']")).to_be_in_viewport()
    page.locator("[id='ref-1'] a[href$='#cite-1-b']").click()  # instant navigation makes hrefs absolute
    page.wait_for_url(re.compile(r"#cite-1-b$"))
    expect(mark).to_be_in_viewport()
    assert not rec.console_errors and not rec.page_errors, rec.console_errors + rec.page_errors


def test_glossary_tooltip_shows_the_definition_on_hover(open_page, base_url):
    page, _ = open_page(base_url + "what-is-llama/")
    link = page.locator("article a.glossary-link").first
    definition = link.get_attribute("title")  # Material moves it into the tooltip on hover
    assert definition and len(definition) > 20
    tooltip = page.locator(".md-tooltip2--active")
    expect(tooltip).to_have_count(0)
    link.hover()
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(definition)
    assert link.get_attribute("aria-describedby") == tooltip.get_attribute("id")


def test_citation_tooltip_names_the_source_and_place_on_hover(open_page, base_url):
    page, _ = open_page(base_url + "what-is-llama/")
    mark = page.locator("article sup.citation a").first
    tip = mark.get_attribute("title")  # Material moves it into the tooltip on hover
    assert tip.startswith("Mark Zuckerberg is now Supporting open-source AI tech, August 2024 (estimated): ")
    assert "paragraph 1" in tip  # the intro's first citation: section "What is Llama?", paragraph 1
    tooltip = page.locator(".md-tooltip2--active")
    expect(tooltip).to_have_count(0)
    mark.hover()
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(tip)


def _scheme(page) -> str:
    return page.locator("body").get_attribute("data-md-color-scheme")


def _background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_palette_toggle_switches_and_persists(open_page, base_url):
    page, rec = open_page(base_url + "what-is-llama/", color_scheme="light")
    assert _scheme(page) == "default"
    light_bg = _background(page)
    page.locator("label.md-header__button[for^='__palette_']:visible").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert _background(page) != light_bg
    # Next page through instant navigation, then a full reload of another page.
    page.locator("nav.md-nav--primary a.md-nav__link", has_text="Security threat").first.click()
    page.wait_for_url(re.compile(r"/security-threat/$"))
    assert _scheme(page) == "slate"
    page.goto(base_url + "glossary/")
    assert _scheme(page) == "slate"
    # And back to light, which persists too.
    page.locator("label.md-header__button[for^='__palette_']:visible").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    page.goto(base_url)
    assert _scheme(page) == "default"
    assert _background(page) == light_bg
    assert not rec.console_errors, rec.console_errors


def test_dark_system_preference_starts_dark(open_page, base_url):
    page, _ = open_page(base_url, color_scheme="dark")
    assert _scheme(page) == "slate"


def test_navigation_drawer_opens_on_a_phone(open_page, base_url):
    page, rec = open_page(base_url + "what-is-llama/", viewport=MOBILE, is_mobile=True, has_touch=True)
    drawer = page.locator("nav.md-nav--primary").first
    expect(drawer).not_to_be_in_viewport()
    page.locator("label.md-header__button[for='__drawer']").click()
    expect(drawer).to_be_in_viewport()
    link = drawer.locator("a.md-nav__link", has_text="Why Meta embraced open source").first
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(re.compile(r"/why-meta-embraced-open-source/$"))
    expect(page.locator("article h1")).to_have_text(re.compile(r"^Why Meta embraced open source"))
    expect(drawer).not_to_be_in_viewport()
    assert not rec.console_errors, rec.console_errors


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_no_horizontal_scrolling_on_a_phone(open_page, base_url, path):
    page, _ = open_page(base_url + path, viewport=MOBILE, is_mobile=True, has_touch=True)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[1] == MOBILE["width"]
    assert widths[0] <= widths[1], f"page is {widths[0]}px wide on a {widths[1]}px screen"


def test_desktop_viewport_is_used(open_page, base_url):
    """The default context really is desktop-sized (the phone tests above rely on the contrast)."""
    page, _ = open_page(base_url)
    assert page.evaluate("document.documentElement.clientWidth") == DESKTOP["width"]
