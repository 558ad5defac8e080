"""The live preview under ``mkdocs serve``: one build per save, re-rendering only what changed.

``mkdocs serve`` rebuilds the whole site on every change it sees, and ``curate
build`` (run by the pre-build hook) writing into ``docs/`` is itself a change: at
1,000 articles a save cost two full builds of about 40 s each. Here, once the
first full build is done:

* the server stops watching ``docs/`` as a whole and watches it through a filter
  that ignores what curate writes (the generated pages while they hold the bytes
  the manifest records, the manifest, curate's other dot-files), so curate's own
  writes never start a second build; a page people write, an asset, or a
  generated page edited by hand still does;
* each rebuild runs ``curate build`` (which writes only the pages whose Markdown
  changed), finds the files in ``docs/`` whose modification time changed since
  the last build, and re-renders just those pages with MkDocs' own steps (the
  ``page`` events, the theme's template, the hooks), keeping the navigation, the
  theme environment and every other page of the last build;
* the search index is put together again from each page's entries, the
  re-rendered pages' replacing their old ones, in the order a full build writes
  them, so it never holds a page twice;
* ``curate build`` keeps its cache entries (cleaned sources, drafts) in memory
  between builds (:class:`KeptStore`), as well as in ``.curate-cache/``.

Files are still found changed by MkDocs' polling observer (every half second),
which works on container and network folders where native notifications do not
arrive; native ones (inotify) also report every file a build reads, which would
start the next build.

Whatever this path does not cover falls back to MkDocs' own full build: a change
to ``mkdocs.yml`` or the theme override, a page added or removed, a change to the
navigation (a title, a section), or a page whose tags listing or tags changed.
``make site`` and CI run the full strict build; this module only serves previews.
"""

from __future__ import annotations

import copy
import dataclasses
import gc
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cache import Store

log = logging.getLogger("mkdocs.hooks.curate")

# What the last build (full or preview) left behind, filled in by the hooks' events.
_last: dict[str, Any] = {"entries": {}, "files": None, "nav": None, "env": None, "config": None, "result": None}


def note_files(files, config) -> None:
    """The build's files and configuration (hook ``on_files``)."""
    _last["files"] = files
    _last["config"] = config


def note_nav(nav) -> None:
    """The build's navigation (hook ``on_nav``)."""
    _last["nav"] = nav


def note_env(env) -> None:
    """The theme's Jinja environment (hook ``on_env``)."""
    _last["env"] = env


def note_entries(url: str, entries: list[dict]) -> None:
    """A page's search entries as the index will hold them (hook ``on_page_context``)."""
    _last["entries"][url] = [dict(e) for e in entries]


def note_build(result) -> None:
    """What the last ``curate build`` did."""
    _last["result"] = result


def _fresh(value: Any) -> Any:
    """A copy of a cache entry that a build may change without changing the entry.

    Builders complete a cached draft by setting its lists anew (``tail``), never the
    entry's own; copying each list, set and dict field keeps that true even for one
    that appends.
    """
    if isinstance(value, tuple):
        return tuple(_fresh(v) for v in value)
    if isinstance(value, dict):  # a cached draft's fields (curate.pages.base.DraftCache), among others
        return {k: copy.copy(v) if isinstance(v, (list, set, dict)) else v for k, v in value.items()}
    if isinstance(value, (list, set)):
        return copy.copy(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = copy.copy(value)
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if isinstance(v, (list, set, dict)):
                object.__setattr__(out, f.name, copy.copy(v))
        return out
    return value


class KeptStore(Store):
    """A :class:`curate.cache.Store` that also keeps its entries in memory between builds.

    The preview's process lives across many builds; unpickling a thousand sources and two
    thousand drafts was a third of an incremental build at 1,000 articles. Entries are
    written to disk as ever (a later ``curate build`` finds them), and handed out as
    :func:`_fresh` copies.
    """

    def __init__(self, root: Path, enabled: bool = True):
        super().__init__(root, enabled)
        self.memory: dict[tuple[str, str], Any] = {}

    def get(self, kind: str, key: str, expect: type | tuple[type, ...] | None = None) -> Any | None:
        """The entry (a copy), from memory or else from disk (see :meth:`Store.get`)."""
        if not self.enabled:
            return None
        value = self.memory.get((kind, key))
        if value is None:
            value = super().get(kind, key, expect)
            if value is None:
                return None
            self.memory[(kind, key)] = value
        else:
            self.used.setdefault(kind, set()).add(key)
        return _fresh(value)

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store an entry on disk and in memory."""
        super().put(kind, key, value)
        if self.enabled:
            self.memory[(kind, key)] = value

    def prune(self) -> None:
        """Drop the entries this build did not use, on disk and in memory; start counting anew."""
        super().prune()
        self.memory = {k: v for k, v in self.memory.items() if k[1] in self.used.get(k[0], set())}
        self.used = {}


def scan(folder: Path) -> dict[str, int]:
    """Every file under ``folder``: '/'-separated relative path → modification time (ns)."""
    out: dict[str, int] = {}
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            else:
                try:
                    out[Path(entry.path).relative_to(folder).as_posix()] = entry.stat().st_mtime_ns
                except OSError:
                    continue
    return out


def _theme_inputs(config) -> dict[str, int]:
    """``mkdocs.yml`` and the theme override's files, with their modification times."""
    out = {}
    paths = [Path(config.config_file_path)]
    custom = config.theme.custom_dir if hasattr(config.theme, "custom_dir") else None
    if custom:
        paths += [p for p in Path(custom).rglob("*") if p.is_file()]
    for p in paths:
        try:
            out[str(p)] = p.stat().st_mtime_ns
        except OSError:
            out[str(p)] = -1
    return out


class Preview:
    """The preview's rebuild (the server's builder once the first full build is done).

    Args:
        full_build: MkDocs' own builder (reloads ``mkdocs.yml``, builds everything).
        run_curate: Runs ``curate build`` for a configuration; ``False`` on a content error.
        nav_for: The MkDocs nav the pre-build hook would set now.
    """

    def __init__(self, full_build: Callable[[], None], run_curate: Callable[[Any], bool],
                 nav_for: Callable[[Any], list | None]):
        self.full_build = full_build
        self.run_curate = run_curate
        self.nav_for = nav_for
        self.docs: dict[str, int] = {}
        self.theme: dict[str, int] = {}
        self.rendered: list[str] = []   # pages the last rebuild re-rendered (for tests and the log)
        self.reason = ""                # why the last rebuild was a full build, if it was
        self.full_builds = 0

    def remember(self) -> None:
        """Take the current state of ``docs/`` and the theme as the last build's."""
        config = _last["config"]
        self.docs = scan(Path(config.docs_dir))
        self.theme = _theme_inputs(config)
        # What the full build left in memory stays until the next full build: out of the
        # garbage collector's way (gc.freeze, Python 3.7+).
        gc.collect()
        gc.freeze()

    def rebuild(self) -> None:
        """Rebuild after a change: the pages that changed, or everything when that is not enough."""
        start = time.monotonic()
        config = _last["config"]
        # The garbage collector would walk the whole site kept in memory again and again (a
        # third of a rebuild at 1,000 articles); a rebuild makes little garbage, freed after it.
        gc.disable()
        try:
            reason = self._rebuild(config)
        finally:
            gc.enable()
        self.reason = reason
        if reason:
            log.info(f"curate preview: full build ({reason})")
            self.full_builds += 1
            gc.unfreeze()
            self.full_build()
            self.remember()
            return
        log.info(f"curate preview: {len(self.rendered)} page(s) re-rendered in {time.monotonic() - start:.2f} s")

    def _rebuild(self, config) -> str:
        """Re-render what changed; returns why a full build is needed instead, or ``''``."""
        self.rendered = []
        if _theme_inputs(config) != self.theme:
            return "mkdocs.yml or the theme override changed"
        if not self.run_curate(config):
            return ""  # a content error: the last good pages stay
        nav = self.nav_for(config)
        if nav is not None and nav != config.nav:
            return "the navigation changed"
        docs = scan(Path(config.docs_dir))
        files = _last["files"]
        changed = sorted(p for p, mtime in docs.items() if self.docs.get(p) != mtime and not _hidden(p))
        for path in sorted(set(self.docs) ^ set(docs)):
            if not _hidden(path):
                return f"docs/{path} was added or removed"
        pages = []
        for path in changed:
            f = files.get_file_from_path(path)
            if f is None:
                continue  # not part of the site (MkDocs' exclude_docs)
            if f.is_documentation_page():
                pages.append(f.page)
            else:
                f.copy_file()  # an asset (a stylesheet, an image)
        reason = self._render(config, files, pages)
        if reason:
            return reason
        self.docs = docs
        return ""

    def _render(self, config, files, pages: list) -> str:
        from mkdocs.commands.build import get_context
        from mkdocs.utils import write_file

        from .mkdocs_hooks import search_plugin

        if not pages:
            return ""
        nav, env = _last["nav"], _last["env"]
        tags = _tags_plugin(config)
        search = search_plugin(config)
        if search is not None:
            search.search_index.entries = []
        before = {p.url: _page_tags(tags, p) for p in pages}
        for page in pages:
            page = config.plugins.on_pre_page(page, config=config, files=files)
            page.read_source(config)
            if "<!-- material/tags" in (page.markdown or ""):
                return f"docs/{page.file.src_uri} holds a tags listing"
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            if _page_tags(tags, page) != before[page.url]:
                return f"the tags of docs/{page.file.src_uri} changed"
            page.render(config, files)
            page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
        doc_files = files.documentation_pages()
        for page in pages:
            page.active = True
            try:
                context = get_context(nav, doc_files, config, page)
                template = env.get_template(page.meta.get("template", "main.html"))
                context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
                output = template.render(context)
                output = config.plugins.on_post_page(output, page=page, config=config)
                write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)
            finally:
                page.active = False
            self.rendered.append(page.file.src_uri)
        if search is not None:
            search.search_index.entries = [e for f in doc_files for e in _last["entries"].get(f.page.url, [])]
            search.on_post_build(config=config)
        return ""


def _hidden(path: str) -> bool:
    return any(part.startswith(".") for part in path.split("/"))


def _tags_plugin(config):
    for plugin in config.plugins.values():
        if hasattr(plugin, "mappings") and hasattr(plugin, "listings"):
            return plugin
    return None


def _page_tags(plugin, page) -> tuple:
    if plugin is None:
        return ()
    mapping = plugin.mappings.get(page)
    return tuple(str(t) for t in mapping.tags) if mapping is not None else ()


def attach(server, config, builder, run_curate: Callable[[Any], bool]):
    """Set up the preview on MkDocs' live-reload server (hook ``on_serve``).

    Returns:
        ``server``, now rebuilding through :class:`Preview`.
    """
    from .mkdocs_hooks import html_nav
    from .writer import read_manifest

    def nav_for(cfg) -> list | None:
        nav = read_manifest(Path(cfg.docs_dir)).nav
        return html_nav(nav) if nav else None

    preview = Preview(builder, run_curate, nav_for)
    preview.remember()
    server.builder = preview.rebuild
    _watch_docs_filtered(server, Path(config.docs_dir))
    _last["preview"] = preview
    return server


def changed_by_people(docs: Path, path: str) -> bool:
    """Whether a change to ``path`` in ``docs/`` is one a person made (so the preview rebuilds).

    ``curate build``'s own writes are not: its dot-files (the manifest,
    ``.curate-mkdocs.json``, files being written, hand-edit backups) and the generated
    pages while they hold the bytes the manifest records. A page people write, an asset,
    and a generated page edited or deleted by hand are.
    """
    from .writer import MANIFEST, read_manifest, sha256

    try:
        rel = Path(path).resolve().relative_to(docs.resolve()).as_posix()
    except ValueError:
        return True
    if _hidden(rel):
        return False
    try:
        entry = read_manifest(docs).files.get(rel) if (docs / MANIFEST).exists() else None
    except Exception:  # noqa: BLE001 - a damaged manifest: the rebuild reports it
        return True
    if entry is None:
        return True
    try:
        return sha256((docs / rel).read_bytes()) != entry.get("sha256")
    except OSError:
        return True


def _watch_docs_filtered(server, docs: Path) -> None:
    """Watch ``docs/`` for changes people make, not the ones ``curate build`` makes.

    MkDocs' server has no public way to ask for a rebuild, so this sets the flag its own
    watcher sets (``_want_rebuild`` under ``_rebuild_cond``, MkDocs 1.6); without them the
    server keeps watching ``docs/`` itself (a save then costs a second, empty, rebuild).
    """
    import watchdog.events

    if not (hasattr(server, "_rebuild_cond") and hasattr(server, "_want_rebuild")):
        log.debug("curate preview: MkDocs' server has no rebuild flag; docs/ stays watched as a whole")
        return

    def callback(event) -> None:
        if event.is_directory:
            return
        paths = [event.src_path] + ([event.dest_path] if getattr(event, "dest_path", "") else [])
        if any(changed_by_people(docs, p) for p in paths):
            with server._rebuild_cond:
                server._want_rebuild = True
                server._rebuild_cond.notify_all()

    server.unwatch(str(docs))
    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = callback  # type: ignore[method-assign]
    server.observer.schedule(handler, str(docs), recursive=True)
