"""The reader's site, read in Chromium as a reader reads it (the reader-site issue, point by point).

Each test opens the built seed site at desktop (1280 px) and phone (390 px) width, in the light and
the dark scheme where the look is what is tested. Hover previews are tested with the site served at
its own ``site_url`` origin (requests answered from the built files, nothing leaves the machine):
Material matches a link against the sitemap by protocol and host but not port, so on
``127.0.0.1:<port>`` it never offers a preview, while the published site does.
"""

from __future__ import annotations

import json
import mimetypes
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, MOBILE, ROOT, docs_pages, page_id

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": DESKTOP, "phone": MOBILE}
SCHEMES = ("light", "dark")
EXPLAINERS = ["what-is-open-source/", "why-meta-embraced-open-source/", "what-is-llama/", "security-threat/"]
READER_NAV = {"Home", "What is open source", "Why Meta embraced open source", "What is Llama", "Security threat",
              "Glossary", "Tags", "Sources", "Mark Zuckerberg is now Supporting open-source AI tech",
              "About this site"}
TOOL_WORDS = re.compile(r"bad input|editing guide|benchmark|\bscale\b|handbook|curate build", re.IGNORECASE)


def _open(open_page, url: str, device: str = "desktop", scheme: str = "light"):
    mobile = device == "phone"
    return open_page(url, viewport=VIEWPORTS[device], color_scheme=scheme, is_mobile=mobile, has_touch=mobile)


# --- 1. reader pages only -------------------------------------------------------------------------

def test_navigation_holds_only_the_readers_pages(open_page, base_url):
    page, _ = _open(open_page, base_url)
    names = page.locator("nav.md-nav--primary .md-nav__link").evaluate_all(
        "links => links.filter(a => !a.closest('.md-nav--secondary'))"  # the page's own contents
        ".map(a => a.textContent.replace(/\\s+/g, ' ').trim())")
    names = {n for n in names if n}
    assert READER_NAV - {"Mark Zuckerberg is now Supporting open-source AI tech"} <= names, names  # all there
    assert names - {"Explainers", "Reference", "About this site", "Open-source AI, explained"} <= READER_NAV, names
    assert not [n for n in names if TOOL_WORDS.search(n)], names


def test_search_index_holds_no_tool_documentation(open_page, base_url):
    page, _ = _open(open_page, base_url)
    index = json.loads(page.request.get(base_url + "search/search_index.json").text())
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert set(EXPLAINERS) | {"glossary/", "about/"} <= locations, sorted(locations)
    assert locations <= {""} | set(EXPLAINERS) | {"glossary/", "about/", "tags/", "sources/"}, sorted(locations)
    titles = [doc["title"] for doc in index["docs"]]
    assert not [t for t in titles if TOOL_WORDS.search(t)], titles


# --- 2. references as a reference work does them -------------------------------------------------

@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_references_are_one_entry_per_source_with_lettered_back_links(open_page, base_url, device):
    page, rec = _open(open_page, base_url + "why-meta-embraced-open-source/", device)
    entries = page.locator("ol > li[id^='ref-']")
    expect(entries).to_have_count(1)  # one source feeds the page: one numbered entry
    marks = page.locator("sup.citation a[id^='cite-1-']")
    count = marks.count()
    assert count >= 5, count
    letters = entries.first.locator("a[href*='#cite-1-']").evaluate_all("links => links.map(a => a.textContent)")
    assert letters == [chr(ord("a") + i) for i in range(count)], letters
    text = entries.first.inner_text()
    assert "not recorded" not in text and "SHA-256" not in text and "snapshot" not in text.lower(), text
    # the third letter returns to the third citation mark
    entries.first.locator("a[href$='#cite-1-c']").first.click()
    page.wait_for_url(re.compile(r"#cite-1-c$"))
    expect(page.locator("[id='cite-1-c']")).to_be_in_viewport()
    assert not rec.page_errors, rec.page_errors


def test_source_page_keeps_its_plumbing_in_a_folded_block_for_editors(open_page, base_url):
    page, _ = _open(open_page, base_url + "sources/zuckerberg-open-source-ai-letter/")
    details = page.locator("article details", has_text="For editors")
    expect(details).to_have_count(1)
    assert details.get_attribute("open") is None  # folded
    visible = page.locator("article").inner_text()
    for plumbing in ("SHA-256", "content_sources/articles/", "Section ids"):
        assert plumbing not in visible, plumbing  # inner_text leaves out the folded block's body
    details.locator("summary").click()
    assert "SHA-256" in page.locator("article").inner_text()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_following_a_citation_highlights_the_paragraph_and_its_section(open_page, base_url, device, scheme):
    """From each explainer, its last cited place (nearest the end of the source, the hardest for the
    table of contents) opens the source at its paragraph, tinted, with the table of contents (desktop)
    naming the section the paragraph is in (the opening has no heading of its own)."""
    page, rec = _open(open_page, base_url, device, scheme)
    for explainer in EXPLAINERS:
        page.goto(base_url + explainer)
        places = page.locator("li[id^='ref-'] a[href*='sources/'][href*='--p']")
        hrefs = places.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert hrefs, explainer
        # the last cited place: the one nearest the end of the source, where the page cannot scroll
        # it to the top without room below it
        target = hrefs[-1].split("#", 1)[1]
        places.nth(len(hrefs) - 1).click()
        page.wait_for_url(re.compile("#" + re.escape(target) + "$"))
        para = page.locator(f"[id='{target}']")
        expect(para).to_be_in_viewport()
        tint = para.evaluate("p => getComputedStyle(p).backgroundColor")
        assert tint not in ("rgba(0, 0, 0, 0)", "transparent"), (target, tint)
        neighbour = page.locator(f"article p[id]:not([id='{target}'])").first
        assert neighbour.evaluate("p => getComputedStyle(p).backgroundColor") != tint
        section = target.rsplit("--p", 1)[0]
        if device == "desktop" and section != "lead":
            heading = page.locator(f"article h2[id='{section}']").inner_text().replace("¶", "").strip()
            active = page.locator(".md-nav--secondary a.md-nav__link--active").first
            expect(active).to_have_text(heading)
    assert not rec.page_errors, rec.page_errors


# --- 3. editorial insertions ---------------------------------------------------------------------

@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_insertions_are_bracketed_styled_and_explained(open_page, base_url, device, scheme):
    page, _ = _open(open_page, base_url + "why-meta-embraced-open-source/", device, scheme)
    spans = page.locator("article .curate-insertion")
    assert spans.count() >= 2
    for text in spans.all_inner_texts():
        assert re.fullmatch(r"\[[^\[\]]+\]", text), text
    first = spans.first
    span_bg = first.evaluate("s => getComputedStyle(s).backgroundColor")
    para_bg = first.evaluate("s => getComputedStyle(s.closest('p')).backgroundColor")
    assert span_bg != para_bg, (span_bg, para_bg)
    expect(page.locator("article")).to_contain_text("Words in [square brackets] are the editor's")


# --- 6. no repetition ----------------------------------------------------------------------------

@pytest.mark.parametrize("path", EXPLAINERS)
def test_backlinks_leave_out_related_pages(open_page, base_url, path):
    page, _ = _open(open_page, base_url + path)

    def listed(heading: str) -> set[str]:
        items = page.locator(f"xpath=//h2[starts-with(normalize-space(.), '{heading}')]"
                             "/following-sibling::ul[1]/li/a[1]")
        return set(items.evaluate_all("links => links.map(a => a.getAttribute('href'))"))

    related, backlinks = listed("Related pages"), listed("Pages that link here")
    assert related, path
    assert backlinks or path == "security-threat/", path  # the rule is exercised: no other page links it
    assert not related & backlinks, (related, backlinks)


# --- 8 and 9. the map, phone widths, previews, footer, title -------------------------------------

@pytest.mark.parametrize("path", docs_pages(), ids=page_id)
def test_nothing_is_wider_than_a_phone(open_page, base_url, path):
    """At 390 px no element of the content reaches past the screen's edge (the page's own scroll
    width can hide an element cut off inside a clipped box, so each element is measured)."""
    page, _ = _open(open_page, base_url + path, "phone")
    overflowing = page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        return [...document.querySelectorAll('article *')]
            .filter(e => e.getClientRects().length && !e.closest('details:not([open])'))
            .filter(e => {
                const r = e.getBoundingClientRect();
                return r.width && (r.right > width + 1 || r.left < -1);
            })
            .filter(e => !e.closest('pre, .md-typeset__scrollwrap'))
            .map(e => e.tagName + '.' + e.getAttribute('class') + ' ' + (e.textContent || '').slice(0, 40));
    }""")
    assert not overflowing, overflowing[:5]


def test_every_knowledge_map_node_is_a_named_link(open_page, base_url):
    page, _ = _open(open_page, base_url, "phone")
    nodes = page.locator(".curate-map a")
    expect(nodes).to_have_count(len(EXPLAINERS))
    for i in range(nodes.count()):
        node = nodes.nth(i)
        assert node.inner_text().strip(), i
        assert node.get_attribute("href"), i
        expect(node).to_be_visible()


def test_footer_offers_previous_and_next(open_page, base_url):
    page, _ = _open(open_page, base_url + "why-meta-embraced-open-source/")
    expect(page.locator("a.md-footer__link--prev")).to_contain_text("What is open source")
    expect(page.locator("a.md-footer__link--next")).to_contain_text("What is Llama")


def test_home_page_title_is_not_doubled(open_page, base_url):
    page, _ = _open(open_page, base_url)
    assert page.title() == "Open-source AI, explained"
    page.goto(base_url + "what-is-llama/")
    assert page.title() == "What is Llama - Open-source AI, explained"


@pytest.fixture
def at_site_url(browser, built_site):
    """A page whose requests to the site's own ``site_url`` are answered from the built files."""
    site_url = re.search(r"(?m)^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert site_url, "mkdocs.yml has no site_url"
    origin = site_url.group(1).rstrip("/") + "/"
    site: Path = built_site.site

    def answer(route):
        path = urlsplit(route.request.url).path.lstrip("/")
        file = site / path
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file():
            return route.fulfill(status=404, body="")
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return route.fulfill(status=200, body=file.read_bytes(), content_type=kind)

    context = browser.new_context(viewport=DESKTOP)
    context.route(origin + "**", answer)
    context.route(re.compile(r"^(?!" + re.escape(origin) + r")(https?:)"), lambda route: route.abort())
    yield context.new_page(), origin
    context.close()


@pytest.mark.parametrize("section", ["Related pages", "Pages that link here"])
def test_links_between_explainers_preview_on_hover(at_site_url, section):
    page, origin = at_site_url
    page.goto(origin + "what-is-llama/")
    link = page.locator(f"xpath=//h2[starts-with(normalize-space(.), '{section}')]"
                        "/following-sibling::ul[1]/li/a[@data-preview]").first
    target_title = link.inner_text().strip()
    link.hover()
    preview = page.locator(".md-tooltip2--active")
    expect(preview).to_be_visible(timeout=5000)
    expect(preview.locator("h3").first).to_contain_text(target_title)
