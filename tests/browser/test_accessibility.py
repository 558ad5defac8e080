"""axe-core (bundled by axe-playwright-python) on every page, in the light and the dark palette:
no serious or critical violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import docs_pages, page_id

pytestmark = pytest.mark.browser

PAGES = docs_pages()
BLOCKING = {"serious", "critical"}

# Violations in Material for MkDocs' own templates, which this project can only fix by
# overriding them (theme.custom_dir in mkdocs.yml; see the closing report of issue 5):
#   aria-dialog-name       <div class="md-search" role="dialog"> has no accessible name
#   aria-progressbar-name  <div class="md-progress" role="progressbar"> (navigation.instant.progress)
# They are matched by rule *and* element, reported as an expected failure while present, and
# any other serious or critical violation fails the test.
KNOWN_THEME: set = set()  # Material's unnamed search dialog and progress bar are named by the MkDocs hook

_axe = Axe()


def _blocking(violations: list[dict]) -> tuple[list[str], list[str]]:
    """Split serious/critical violations into (unexpected, known theme issues), one line each."""
    unexpected, known = [], []
    for v in violations:
        if v["impact"] not in BLOCKING:
            continue
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            line = f"{v['impact']} {v['id']} at {target}: {node['html'][:160]}"
            (known if (v["id"], target) in KNOWN_THEME else unexpected).append(line)
    return unexpected, known


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
    unexpected, known = _blocking(violations)
    assert not unexpected, "\n".join(unexpected)
    if known:
        pytest.xfail("Material theme: " + "; ".join(sorted({k.split(' at ')[0] for k in known})))


def test_axe_finds_a_planted_violation(open_page, base_url):
    """The check is live: an unlabelled button planted in a page is reported as critical."""
    page, _ = open_page(base_url + "what-is-llama/")
    page.evaluate("document.querySelector('article').insertAdjacentHTML('beforeend', "
                  "'<button id=\"planted\"><svg width=\"10\" height=\"10\"></svg></button>')")
    unexpected, _ = _blocking(_axe.run(page).response["violations"])
    assert any("button-name" in line and "#planted" in line for line in unexpected), unexpected
