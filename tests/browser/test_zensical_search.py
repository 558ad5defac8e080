"""Issue 13: the site Zensical builds (make site-zensical) searches, and finds the explainers.

Zensical has its own search (a dialog in a shadow root, its own ranking): a reader's query must
list the explainer that answers it among the first results, with no request to another origin.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .conftest import DESKTOP, Recorder, origin_of

pytestmark = pytest.mark.browser

# query -> the explainer among the first three results
FOUND = {
    "Llama": "what-is-llama/",
    "Linux": "what-is-open-source/",
    "Cambridge Analytica": "why-meta-embraced-open-source/",
    "weaponise": "security-threat/",
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def zensical_url(built_site):
    zensical = Path(sys.executable).parent / "zensical"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([str(zensical), "build", "--clean", "-f", str(built_site.project / "mkdocs-zensical.yml")],
                          cwd=built_site.project, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    handler = functools.partial(_Quiet, directory=str(built_site.project / "site-zensical"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(5)


def _results(page, query: str) -> list[str]:
    """Type ``query`` into Zensical's search; the result pages' paths, best first, without repeats."""
    box = page.get_by_role("combobox", name="Search")
    box.fill(query)
    results = page.get_by_role("listbox", name="Search results")
    results.locator("a").first.wait_for()
    root = page.url.split("/", 3)[:3]
    out: list[str] = []
    for href in results.locator("a").evaluate_all("as => as.map(a => a.href)"):
        path = href.split("?", 1)[0].split("#", 1)[0][len("/".join(root)) + 1:]
        if path not in out:
            out.append(path)
    return out


def test_zensical_search_finds_each_explainer_among_the_first_results(browser, zensical_url):
    context = browser.new_context(viewport=DESKTOP)
    rec = Recorder()
    context.on("request", lambda r: rec.requests.append(r.url))
    page = context.new_page()
    page.on("console", lambda m: rec.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: rec.page_errors.append(str(e)))
    try:
        page.goto(zensical_url + "what-is-open-source/")
        page.locator(".md-search__button").click()
        for query, explainer in FOUND.items():
            results = _results(page, query)
            assert explainer in results[:3], (query, results)
        assert _results(page, "Llama")[0] in ("what-is-llama/", "glossary/")
    finally:
        context.close()
    assert not rec.foreign_requests(origin_of(zensical_url)), rec.foreign_requests(origin_of(zensical_url))
    assert not rec.console_errors and not rec.page_errors, rec.console_errors + rec.page_errors
