"""Fixtures for the reader-side tests: the site built once, served on 127.0.0.1, one Chromium.

The site is built once per session from a copy of the project (without .venv, site/ and .git):
``curate build --project TMP`` then ``mkdocs build --strict``, exactly as ``make test-build`` does.
It is served by Python's http.server on a free port of 127.0.0.1, and every browser test drives
Debian's Chromium (/usr/bin/chromium) through Playwright: no browser is downloaded.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}  # the phone width the reader-site issue names

# Counts the messages to Material's search worker that have not been answered yet, so a test
# knows when the results on screen answer the last thing typed (see wait_for_search).
SEARCH_WORKER_PROBE = """
(() => {
  const Native = window.Worker;
  if (!Native) return;
  window.__curatePending = 0;
  window.__curateAnswered = 0;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => {
        window.__curatePending -= 1;
        window.__curateAnswered += 1;
      });
    }
    postMessage(...args) {
      window.__curatePending += 1;
      return super.postMessage(...args);
    }
  };
})();
"""

_IGNORED = shutil.ignore_patterns(".venv", "site", "site-offline", ".git", "test-artifacts", "__pycache__",
                                  ".pytest_cache", ".hypothesis", "*.egg-info", "bench-work")


def _run(cmd: list[str], cwd: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}"


@dataclass
class BuiltSite:
    """The temporary project copy and what was built from it."""

    project: Path
    site: Path
    _offline: Path | None = field(default=None, repr=False)

    @property
    def docs(self) -> Path:
        return self.project / "docs"

    def pages(self) -> dict[str, Path]:
        """Every page of the site: its URL path (``""``, ``"glossary/"``, ``"404.html"``) -> file."""
        found = {}
        for html in sorted(self.site.rglob("*.html")):
            rel = html.relative_to(self.site).as_posix()
            if rel == "index.html":
                found[""] = html
            elif rel.endswith("/index.html"):
                found[rel[: -len("index.html")]] = html
            else:
                found[rel] = html
        return found

    def offline(self) -> Path:
        """site-offline/ built from mkdocs-offline.yml (once, on first use)."""
        if self._offline is None:
            out = self.project / "site-offline"
            _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(self.project / "mkdocs-offline.yml"),
                  "-d", str(out)], self.project)
            self._offline = out
        return self._offline


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    """The project copied to a temporary folder and built once: curate build, mkdocs build --strict."""
    project = tmp_path_factory.mktemp("browser") / "project"
    shutil.copytree(ROOT, project, ignore=_IGNORED, symlinks=True)
    _run([sys.executable, "-m", "curate", "build", "--project", str(project)], project)
    site = project / "site"
    _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
         project)
    return BuiltSite(project=project, site=site)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def base_url(built_site: BuiltSite):
    """The built site served over http on 127.0.0.1 (a free port), for the whole session."""
    handler = functools.partial(_QuietHandler, directory=str(built_site.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session."""
    if not CHROMIUM.exists():
        pytest.fail(f"The browser tests need Chromium at {CHROMIUM}: run `make browser-deps` "
                    "(as root it installs Debian's chromium package), or `sudo apt-get install chromium`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Recorder:
    """What one browser context did: console errors, page errors and every request URL."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def foreign_requests(self, origin: str) -> list[str]:
        """Requests to any origin other than ``origin`` (scheme://host:port)."""
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if f"{parts.scheme}://{parts.netloc}" != origin:
                out.append(url)
        return out


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def open_page(browser):
    """Open a page in a fresh context; returns ``(page, recorder)``.

    Keyword arguments go to ``browser.new_context`` (viewport, color_scheme, …). Every request of
    the context (pages and workers) is recorded, as are console errors and uncaught exceptions.
    """
    contexts = []

    def _open(url: str | None = None, **context_args):
        context_args.setdefault("viewport", DESKTOP)
        context = browser.new_context(**context_args)
        contexts.append(context)
        rec = Recorder()
        context.on("request", lambda r: rec.requests.append(r.url))
        context.add_init_script(SEARCH_WORKER_PROBE)
        page = context.new_page()
        page.on("console", lambda m: rec.console_errors.append(f"{m.text} ({m.location.get('url')})")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: rec.page_errors.append(str(e)))
        if url is not None:
            page.goto(url)
        return page, rec

    yield _open
    for context in contexts:
        context.close()


def wait_for_search(page) -> None:
    """Wait until Material's search worker is set up and has answered every message sent so far.

    Material throttles its messages to the worker (one in flight; the latest query is sent
    when the answer comes), so when nothing is pending the results on screen answer the last
    query typed.
    """
    page.wait_for_function("window.__curateAnswered > 0 && window.__curatePending === 0")


def search(page, query: str) -> list[str]:
    """Type ``query`` into Material's search box; return the result pages' paths, best first.

    Each result item is one page (Material groups matching sections under their page); its
    first link is the page itself. Paths are relative to the site root, without ``?h=…``.
    """
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press("End")  # Material reads the query on keyup: this sends the cleared box
    wait_for_search(page)
    box.press_sequentially(query)
    wait_for_search(page)
    hrefs = page.locator(".md-search-result__item > a.md-search-result__link:first-child").evaluate_all(
        "links => links.map(a => a.href)")
    root = page.evaluate("new URL(JSON.parse(document.getElementById('__config').textContent).base + '/', "
                         "location).href")
    out = []
    for href in hrefs:
        path = href.split("?", 1)[0].split("#", 1)[0]
        out.append(path[len(root):] if root and path.startswith(root) else path)
    return out


def docs_pages() -> list[str]:
    """URL paths of the site's pages, from the committed docs/ (for parametrising at collection).

    ``test_every_built_page_is_tested`` checks this list against the pages actually built.
    """
    docs = ROOT / "docs"
    out = []
    for md in sorted(docs.rglob("*.md")):
        rel = md.relative_to(docs)
        if any(part.startswith(".") for part in rel.parts):
            continue
        stem = rel.as_posix()[: -len(".md")]
        if stem == "index":
            out.append("")
        elif stem.endswith("/index"):
            out.append(stem[: -len("index")])
        else:
            out.append(stem + "/")
    return out + ["404.html"]


def page_id(path: str) -> str:
    """A readable pytest id for a page path."""
    return path.rstrip("/") or "home"
