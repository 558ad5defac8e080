"""PNG screenshots of every page of the built seed site, desktop (1280 px) and phone (390 px), light
and dark, written to test-artifacts/screenshots/ (gitignored; the README names the folder) so a change
in appearance can be looked at page by page."""

from __future__ import annotations

import struct

import pytest

from .conftest import ARTIFACTS, DESKTOP, MOBILE

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "screenshots"
VIEWPORTS = {"desktop": DESKTOP, "mobile": MOBILE}


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def _pages(site) -> dict[str, str]:
    """Every page of the built site: a file name for its shots -> its path under the site root."""
    pages = {}
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if rel == ".":
            pages["home"] = ""
        elif not rel.startswith(("assets", "search")):
            pages[rel.replace("/", "-")] = rel + "/"
    return pages


def test_every_page_is_listed(built_site):
    pages = _pages(built_site.site)
    assert {"home", "what-is-llama", "glossary", "tags", "about", "sources",
            "sources-zuckerberg-open-source-ai-letter"} <= set(pages), sorted(pages)


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_screenshots(open_page, base_url, built_site, device):
    SHOTS.mkdir(parents=True, exist_ok=True)
    viewport = VIEWPORTS[device]
    mobile = device == "mobile"
    by_scheme: dict[str, dict[str, bytes]] = {}
    for scheme in ("light", "dark"):
        page, _ = open_page(base_url, viewport=viewport, color_scheme=scheme, is_mobile=mobile, has_touch=mobile)
        shots = {}
        for name, path in _pages(built_site.site).items():
            page.goto(base_url + path)
            page.evaluate("document.fonts.ready")
            shot = SHOTS / f"{name}-{device}-{scheme}.png"
            data = page.screenshot(path=str(shot), full_page=True)
            width, height = _png_size(data)
            assert width == viewport["width"], (shot, width)
            assert height >= viewport["height"], (shot, height)
            shots[name] = data
        assert len(set(shots.values())) == len(shots), "two pages gave the same screenshot"
        by_scheme[scheme] = shots
    same = [name for name in by_scheme["light"] if by_scheme["light"][name] == by_scheme["dark"][name]]
    assert not same, f"light and dark screenshots are identical: {same}"
