"""MkDocs hooks: regenerate pages before every build, a small search index, light pages, a fast preview.

``mkdocs.yml`` loads these through the thin ``scripts/mkdocs_hooks.py``. What a
reader sees does not depend on them: the navigation and edit links come from
files any renderer that reads ``mkdocs.yml`` understands (``docs/.curate-mkdocs.json``,
``overrides/``), and the knowledge map's links are Markdown links. The hooks do
what only MkDocs needs (events: https://www.mkdocs.org/dev-guide/plugins/#events):

* ``on_startup``: remembers whether this is ``mkdocs serve``.
* ``on_pre_build``: runs ``curate build`` (so the pages are current), reads the
  glossary's spellings for the search index, then sets ``nav`` from the manifest
  (as ``docs/.curate-mkdocs.json`` holds it, which ``mkdocs.yml`` read before the
  build may have changed). Under ``serve`` a
  content error is printed and the server keeps the last good pages; under
  ``build`` it stops the build.
* ``on_page_content``: leaves the footnotes (citations) out of the search index.
* ``on_page_context``: shapes the page's search entries after Material's search
  plugin made them (:func:`curate.mkdocs_output.shape_entries`).
* ``on_post_page``: gives Material's search dialog and page-loading bar the
  accessible names axe-core asks for (rules ``aria-dialog-name`` and
  ``aria-progressbar-name``; Material 9.7's templates leave them unnamed, Zensical's
  name them), then collapses the page's whitespace
  (:func:`curate.mkdocs_output.collapse_whitespace`).
* ``on_serve`` and the ``on_files``/``on_nav``/``on_env`` events: the live
  preview of :mod:`curate.preview`, which re-renders only the pages a save
  changed.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from . import mkdocs_config, mkdocs_output, preview
from .commands import build
from .errors import ContentError
from .project import glossary_names
from .render import NOT_SEARCHED
from .writer import read_manifest

log = logging.getLogger("mkdocs.hooks.curate")
_state: dict = {"command": "build", "separator": ("", None)}


def on_startup(command: str, dirty: bool) -> None:
    """Remember the MkDocs command (``build``, ``serve`` or ``gh-deploy``)."""
    _state["command"] = command


def run_curate(config) -> bool:
    """Run ``curate build`` for ``config``'s project; log what it did.

    Returns:
        Whether it succeeded (under ``serve`` a content error is printed and ``False``
        returned: the preview keeps the last good pages).

    Raises:
        PluginError: A content error, except under ``serve``.
    """
    root = Path(config.config_file_path).parent
    if _state["command"] == "serve" and "store" not in _state:
        _state["store"] = preview.KeptStore(root)
    try:
        result = build(root, store=_state.get("store"))
    except ContentError as exc:
        message = "curate build failed; pages were not changed:\n" + "\n".join(p.format() for p in exc.problems)
        if _state["command"] == "serve":
            # Printed, not logged: MkDocs' strict mode would abort the rebuild on a logged
            # error and the server would hang until it is fixed. The last good pages stay.
            print(f"ERROR   -  {message}\n           The preview keeps the last good pages; "
                  "save a fix and it rebuilds.", file=sys.stderr, flush=True)
            return False
        raise PluginError(message) from None
    changed = len(result.written) + len(result.deleted)
    log.info(f"curate: {changed} page(s) written, {len(result.unchanged)} unchanged")
    for w in result.warnings:
        log.info(f"curate warning: {w}")
    preview.note_build(result)
    return True


def on_pre_build(config) -> None:
    """Run ``curate build``, set the nav and read the glossary's spellings (see module docstring)."""
    run_curate(config)
    nav = read_manifest(Path(config.docs_dir)).nav
    if nav:
        config.nav = html_nav(nav)
    _state["spellings"] = mkdocs_output.spelling_patterns(glossary_spellings(Path(config.config_file_path).parent))


def glossary_spellings(root: Path) -> list[list[str]]:
    """Each glossary term with its aliases, from ``content_sources/glossary.yml`` (``[]`` without one).

    Read as ``curate build`` reads it (:func:`curate.project.glossary_names`), not as PyYAML
    would (``no`` would be false): under ``serve`` this runs after a failed build too, so the
    file may be broken, and what passed is used.
    """
    return glossary_names(root)


def html_nav(nav: list) -> list:
    """The MkDocs nav of a manifest's nav (titles HTML-safe): see :func:`curate.mkdocs_config.html_nav`."""
    return mkdocs_config.html_nav(nav)


_FOOTNOTES = '<div class="footnote">'


def on_page_content(html: str, page, config, files) -> str:
    """Leave the footnotes out of search: they cite sources, and every citation repeats a title."""
    return html.replace(_FOOTNOTES, f'<div class="footnote" {NOT_SEARCHED}>', 1)


def search_plugin(config):
    """Material's search plugin of ``config``, or ``None`` when search is off."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None and isinstance(getattr(index, "entries", None), list):
            return plugin
    return None


def _separator(plugin) -> re.Pattern:
    text = plugin.config.separator or r"[\s\-]+"
    if _state["separator"][0] != text:
        _state["separator"] = (text, re.compile(text))
    return _state["separator"][1]


_BARE_EXCLUDE = re.compile(rf"\s{NOT_SEARCHED}(?:=\"[^\"]*\")?(?=[\s>/])")


@event_priority(-50)  # after Material's search plugin has indexed the page
def on_page_context(context, page, config, nav):
    """Shape the entries Material's search plugin made of this page (see :mod:`curate.mkdocs_output`)."""
    # Material's plugin removes data-search-* attributes that carry a value; attr_list writes a
    # bare one ({ data-search-exclude }), removed here.
    page.content = _BARE_EXCLUDE.sub("", page.content)
    plugin = search_plugin(config)
    if plugin is None:
        return context
    entries = plugin.search_index.entries
    start = len(entries)
    while start > 0 and entries[start - 1]["location"].split("#", 1)[0] == page.url:
        start -= 1
    if start < len(entries):
        h1 = next((item.id for item in page.toc if item.level == 1), None) if page.toc else None
        entries[start:] = mkdocs_output.shape_entries(entries[start:], page.url, h1, _separator(plugin),
                                                      _state.get("spellings"))
    preview.note_entries(page.url, entries[start:])
    return context


_A11Y_NAMES = (
    ('<div class="md-search" data-md-component="search" role="dialog">',
     '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'),
    ('<div class="md-progress" data-md-component="progress" role="progressbar">',
     '<div class="md-progress" data-md-component="progress" role="progressbar" aria-label="Loading page">'),
)


def on_post_page(output: str, page, config) -> str:
    """Name Material's search dialog and progress bar; collapse the page's whitespace."""
    for before, after in _A11Y_NAMES:
        output = output.replace(before, after, 1)
    return mkdocs_output.collapse_whitespace(output)


def on_post_template(output_content: str, template_name: str, config) -> str:
    """The same for theme-only pages such as ``404.html``."""
    if not template_name.endswith(".html"):
        return output_content
    return on_post_page(output_content, None, config)


# --- the live preview (curate.preview) ---------------------------------------------------------

def on_files(files, config):
    """Remember the build's files (for the preview)."""
    preview.note_files(files, config)
    return files


def on_nav(nav, config, files):
    """Remember the build's navigation (for the preview)."""
    preview.note_nav(nav)
    return nav


def on_env(env, config, files):
    """Remember the theme's environment (for the preview)."""
    preview.note_env(env)
    return env


def on_serve(server, config, builder):
    """Under ``mkdocs serve``: one build per save, re-rendering only what changed."""
    return preview.attach(server, config, builder, run_curate)
