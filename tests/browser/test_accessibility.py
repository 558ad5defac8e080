"""axe-core (bundled by axe-playwright-python) on every page, in the light and the dark palette:
no serious or critical violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import docs_pages, page_id

pytestmark = pytest.mark.browser

PAGES = docs_pages()
BLOCKING = {"serious", "critical"}

_axe = Axe()


def _blocking(violations: list[dict]) -> list[str]:
    """Serious and critical violations, one line per element."""
    lines = []
    for v in violations:
        if v["impact"] not in BLOCKING:
            continue
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"{v['impact']} {v['id']} at {target}: {node['html'][:160]}")
    return lines


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_no_serious_or_critical_violations(open_page, base_url, path, scheme):
    page, _ = open_page(base_url + path, color_scheme=scheme)
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    results = _axe.run(page)
    violations = results.response["violations"]
    by_impact = {}
    for v in violations:
        by_impact.setdefault(v["impact"], []).append(v["id"])
    print(f"axe {path or '/'} ({scheme}): {by_impact or 'no violations'}")
    blocking = _blocking(violations)
    assert not blocking, "\n".join(blocking)


def test_axe_finds_a_planted_violation(open_page, base_url):
    """The check is live: an unlabelled button planted in a page is reported as critical."""
    page, _ = open_page(base_url + "what-is-llama/")
    page.evaluate("document.querySelector('article').insertAdjacentHTML('beforeend', "
                  "'<button id=\"planted\"><svg width=\"10\" height=\"10\"></svg></button>')")
    unexpected = _blocking(_axe.run(page).response["violations"])
    assert any("button-name" in line and "#planted" in line for line in unexpected), unexpected
