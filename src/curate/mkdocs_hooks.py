"""MkDocs hooks: regenerate pages before every build, set the nav and edit links.

``mkdocs.yml`` loads these through the thin ``scripts/mkdocs_hooks.py``. Events
(see https://www.mkdocs.org/dev-guide/plugins/#events):

* ``on_startup``: remembers whether this is ``mkdocs serve``.
* ``on_pre_build``: runs ``curate build`` (so ``mkdocs serve`` with
  ``watch: [content_sources]`` regenerates pages when a source changes), then
  sets ``nav`` from the manifest plus every hand-written page. Under ``serve``
  a content error is logged and the server keeps the last good pages; under
  ``build`` it stops the build.
* ``on_page_markdown``: points "edit this page" at the file an editor should
  change (``curate.edit`` in the front matter; the page itself when
  hand-written), under ``extra.curate.edit_base_url``; and HTML-escapes a
  generated page's ``title`` and ``description``, which MkDocs and Material
  put into the nav, ``<title>``, the header and a ``<meta>`` attribute as
  HTML, so they show exactly as written and never become markup (nav section
  names are escaped for the same reason).
* ``on_page_content``: resolves ``.md`` links inside raw HTML (the knowledge
  map) exactly as MkDocs resolves Markdown links.
* ``on_post_page``: gives Material's search dialog and page-loading bar the
  accessible names axe-core asks for (rules ``aria-dialog-name`` and
  ``aria-progressbar-name``); Material 9.7's templates leave them unnamed.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

from .build import title_of
from .commands import build, handwritten_pages
from .errors import ContentError
from .writer import read_manifest

log = logging.getLogger("mkdocs.hooks.curate")
_state = {"command": "build"}


def on_startup(command: str, dirty: bool) -> None:
    """Remember the MkDocs command (``build``, ``serve`` or ``gh-deploy``)."""
    _state["command"] = command


def on_pre_build(config) -> None:
    """Run ``curate build`` and set the nav (see module docstring)."""
    root = Path(config.config_file_path).parent
    docs = Path(config.docs_dir)
    try:
        result = build(root)
        changed = len(result.written) + len(result.deleted)
        log.info(f"curate: {changed} page(s) written, {len(result.unchanged)} unchanged")
        for w in result.warnings:
            log.info(f"curate warning: {w}")
    except ContentError as exc:
        message = "curate build failed; pages were not changed:\n" + "\n".join(p.format() for p in exc.problems)
        if _state["command"] == "serve":
            # Printed, not logged: MkDocs' strict mode would abort the rebuild on a logged
            # error and the server would hang until it is fixed. The last good pages stay.
            print(f"ERROR   -  {message}\n           The preview keeps the last good pages; "
                  "save a fix and it rebuilds.", file=sys.stderr, flush=True)
        else:
            raise PluginError(message) from None
    manifest = read_manifest(docs)
    nav = list(manifest.nav)
    hand = handwritten_pages(docs, set(manifest.files))
    if hand and nav:
        nav.append({"About this site": [{title_of(text, p): p} for p, text in sorted(hand.items())]})
    if nav:
        config.nav = _html_nav(nav)


def _html_nav(nav: list) -> list:
    """The nav with every title HTML-escaped (MkDocs renders nav titles as HTML)."""
    return [{html.escape(k, quote=False): _html_nav(v) if isinstance(v, list) else v for k, v in item.items()}
            if isinstance(item, dict) else item for item in nav]


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Set ``page.edit_url``; make a generated page's title and description HTML-safe."""
    generated = page.meta.get("curate")
    if isinstance(generated, dict) and generated.get("generated"):
        for key, quote in (("title", False), ("description", True)):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = html.escape(page.meta[key], quote=quote)
    base = (config.extra.get("curate") or {}).get("edit_base_url", "")
    if base:
        curate_meta = page.meta.get("curate") or {}
        target = curate_meta.get("edit") if isinstance(curate_meta, dict) else None
        page.edit_url = base + (target or f"{Path(config.docs_dir).name}/{page.file.src_uri}")
    return markdown


_RAW_LINK = re.compile(r'(<a\b[^>]*\bhref=")([^":#?]+\.md)(#[^"]*)?(")')


def on_page_content(html: str, page, config, files) -> str:
    """Rewrite ``href="x.md"`` in raw HTML blocks to the page's URL."""
    if 'class="curate-map"' not in html:
        return html

    def repl(m: re.Match) -> str:
        src = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), m.group(2)))
        target = files.get_file_from_path(src)
        if target is None:
            log.warning(f"{page.file.src_uri}: knowledge map links to '{m.group(2)}', which is not a page")
            return m.group()
        return m.group(1) + target.url_relative_to(page.file) + (m.group(3) or "") + m.group(4)

    return _RAW_LINK.sub(repl, html)


# Material's markup → the same with an accessible name (WAI-ARIA 1.2: dialogs and progress
# bars need one). Patched in the output rather than by forking Material's templates.
_A11Y_NAMES = (
    ('<div class="md-search" data-md-component="search" role="dialog">',
     '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'),
    ('<div class="md-progress" data-md-component="progress" role="progressbar">',
     '<div class="md-progress" data-md-component="progress" role="progressbar" aria-label="Loading page">'),
)


def on_post_page(output: str, page, config) -> str:
    """Name Material's search dialog and progress bar for assistive technology."""
    for before, after in _A11Y_NAMES:
        output = output.replace(before, after, 1)
    return output


def on_post_template(output_content: str, template_name: str, config) -> str:
    """The same names on theme-only pages such as ``404.html``."""
    return on_post_page(output_content, None, config)
