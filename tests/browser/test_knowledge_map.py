"""The knowledge map on the home page, in a browser: it fits a 390 px phone, its rows are links
named by the explainers' titles, and its arcs meet their rows (issue 12, point 8)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
EXPLAINERS = ["What is open source", "Why Meta embraced open source", "What is Llama", "Security threat"]


@pytest.mark.parametrize("viewport,scheme", [(PHONE, "light"), (PHONE, "dark"), (DESKTOP, "light")],
                         ids=["390px-light", "390px-dark", "1280px-light"])
def test_knowledge_map_fits_the_screen_and_its_arcs_meet_their_rows(open_page, base_url, viewport, scheme):
    phone = viewport is PHONE
    page, rec = open_page(base_url, viewport=viewport, color_scheme=scheme, is_mobile=phone, has_touch=phone)
    knowledge_map = page.locator(".curate-map")
    knowledge_map.scroll_into_view_if_needed()
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths == [viewport["width"], viewport["width"]], f"page is {widths[0]}px wide on {widths[1]}px"
    box = knowledge_map.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
    assert page.evaluate("e => e.scrollWidth <= e.clientWidth", knowledge_map.element_handle())  # nothing cut off

    # every row is a link named by its page's title, whole inside the screen
    for title in EXPLAINERS:
        link = knowledge_map.get_by_role("link", name=title, exact=True)
        expect(link).to_be_visible()
        lb = link.bounding_box()
        assert lb["x"] >= 0 and lb["x"] + lb["width"] <= viewport["width"], (title, lb)

    # the drawing spans the list, so row i's centre is where the arcs of row i end
    svg = knowledge_map.locator("svg").bounding_box()
    rows = [li.bounding_box() for li in knowledge_map.locator("li").all()]
    assert len(rows) == len(EXPLAINERS)
    assert abs(svg["y"] - rows[0]["y"]) < 1 and abs(svg["height"] - sum(r["height"] for r in rows)) < 1
    for i, row in enumerate(rows):
        assert abs((row["y"] + row["height"] / 2) - (svg["y"] + (i + 0.5) * svg["height"] / len(rows))) < 1
    assert svg["x"] + svg["width"] <= rows[0]["x"] + 1  # beside the titles, never over them

    # the heaviest arc is drawn thicker than the lightest, as it is on the page
    strokes = page.evaluate("[...document.querySelectorAll('.curate-map-edge')]"
                            ".map(p => parseFloat(getComputedStyle(p).strokeWidth))")
    # four arcs ("open source", on every page, is not counted), one width for each weight
    assert sorted(strokes) == [1.5, 3, 4.5, 6], strokes
    assert not rec.console_errors and not rec.page_errors, rec.console_errors + rec.page_errors


def test_knowledge_map_row_opens_its_page(open_page, base_url):
    page, rec = open_page(base_url, viewport=PHONE, is_mobile=True, has_touch=True)
    page.locator(".curate-map").get_by_role("link", name="What is Llama", exact=True).click()
    page.wait_for_url(base_url + "what-is-llama/")
    expect(page.locator("article h1")).to_have_text(re.compile(r"^What is Llama"))
    assert not rec.console_errors and not rec.page_errors, rec.console_errors + rec.page_errors
