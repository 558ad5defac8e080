"""PNG screenshots of the home page and one explainer, desktop and phone, light and dark, written
to test-artifacts/screenshots/ (gitignored) so a change in appearance can be looked at."""

from __future__ import annotations

import struct

import pytest

from .conftest import ARTIFACTS, DESKTOP, MOBILE

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "screenshots"
PAGES = {"home": "", "what-is-llama": "what-is-llama/"}
VIEWPORTS = {"desktop": DESKTOP, "mobile": MOBILE}


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("device", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_screenshots(open_page, base_url, name, device):
    SHOTS.mkdir(parents=True, exist_ok=True)
    viewport = VIEWPORTS[device]
    mobile = device == "mobile"
    shots = {}
    for scheme in ("light", "dark"):
        page, _ = open_page(base_url + PAGES[name], viewport=viewport, color_scheme=scheme,
                            is_mobile=mobile, has_touch=mobile)
        page.evaluate("document.fonts.ready")
        path = SHOTS / f"{name}-{device}-{scheme}.png"
        data = page.screenshot(path=str(path), full_page=True)
        width, height = _png_size(data)
        assert width == viewport["width"], (path, width)
        assert height >= viewport["height"], (path, height)
        shots[scheme] = data
    assert shots["light"] != shots["dark"], "light and dark screenshots are identical"
