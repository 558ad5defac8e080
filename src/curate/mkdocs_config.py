"""The MkDocs configuration curate writes: ``docs/.curate-mkdocs.json``, which ``mkdocs.yml`` inherits.

Any renderer that reads ``mkdocs.yml`` (MkDocs, Zensical) reads this file through
``INHERIT``, so the site's navigation and edit links do not depend on a hook:

* ``nav``: the navigation of the manifest (generated pages, then the hand-written
  ones under "About this site"), its titles HTML-safe as the renderers put them
  into HTML as they are;
* ``extra.curate.pages``: for each hand-written page, its URL (with and without
  ``use_directory_urls``) → the file to edit, which the theme override
  ``overrides/partials/actions.html`` turns into an "edit this page" link (a
  generated page names its file in its own front matter, ``curate.edit``).

It is JSON, which YAML reads as it is (a flow mapping), so its bytes do not depend
on a YAML emitter. It is a dot-file: MkDocs and Zensical do not publish it.
curate writes it with the manifest and ``curate check`` compares it.
"""

from __future__ import annotations

import json
import posixpath

FILE = ".curate-mkdocs.json"


def _paths(nav: list) -> list[str]:
    out: list[str] = []
    for item in nav:
        values = [item] if isinstance(item, str) else list(item.values()) if isinstance(item, dict) else []
        for value in values:
            out += [value] if isinstance(value, str) else _paths(value) if isinstance(value, list) else []
    return out


def page_urls(path: str) -> list[str]:
    """A page's URLs as MkDocs makes them, with and without ``use_directory_urls``.

    ``about.md`` → ``["about/", "about.html"]``; ``guide/index.md`` → ``["guide/", "guide/index.html"]``.
    """
    folder, name = posixpath.split(path)
    stem = name.rsplit(".", 1)[0]
    prefix = f"{folder}/" if folder else ""
    if stem in ("index", "README"):
        return [prefix, f"{prefix}index.html"]
    return [f"{prefix}{stem}/", f"{prefix}{stem}.html"]


def html_text(text: str) -> str:
    """``text`` safe in HTML element text and in a double-quoted attribute (``& < > "`` as entities).

    MkDocs with Material, and Zensical, put a page's front-matter ``title`` and ``description``
    and the navigation's titles into HTML as they are (``<title>``, the header, the nav,
    ``<meta name="description" content="…">``), so curate writes them HTML-safe: they show
    exactly as written and never become markup, with no hook needed. (Defined here, not with
    the page builders, so a build with nothing to do checks this file without importing them.)
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def html_nav(nav: list) -> list:
    """``nav`` with every title HTML-safe (MkDocs and Zensical render nav titles as HTML)."""
    return [{html_text(k): html_nav(v) if isinstance(v, list) else v for k, v in item.items()}
            if isinstance(item, dict) else item for item in nav]


def config_bytes(nav: list, generated: set[str], docs_dir: str = "docs") -> bytes:
    """The file's bytes: deterministic JSON (two-space indent, LF, final newline).

    Args:
        nav: The manifest's nav.
        generated: ``docs/``-relative paths of the generated pages (the others in ``nav``
            are hand-written).
        docs_dir: The docs folder's name, as editors' paths start with it.
    """
    pages: dict[str, str] = {}
    for path in _paths(nav):
        if path not in generated:
            for url in page_urls(path):
                pages.setdefault(url, f"{docs_dir}/{path}")
    data = {"nav": html_nav(nav), "extra": {"curate": {"pages": dict(sorted(pages.items()))}}}
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
