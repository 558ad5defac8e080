"""The operations behind ``curate build`` and ``curate check``, with file I/O.

These are the only functions that read ``docs/`` or call the writer; the CLI
and the MkDocs hook call them and only format their results.
"""

from __future__ import annotations

import datetime as _dt
import gc
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache, mkdocs_config, parallel, writer
from .errors import ContentError, Problem
from .writer import MANIFEST, WritePlan, apply, plan_writes, read_manifest

if TYPE_CHECKING:
    from .build import BuildPlan
    from .model import Project

# Loading, schema and rendering (pydantic, the Markdown parser, the readers) are imported when a build
# has work to do: a build with nothing to do answers from the fingerprint without them.


@dataclass
class BuildResult:
    """What a build did (or, for a check, would do).

    Attributes:
        written: ``docs/``-relative paths created or updated.
        unchanged: Paths whose content was already current.
        deleted: Generated pages removed because the curation file dropped them.
        kept: Dropped pages kept because they were edited by hand.
        backups: ``(path, backup)`` pairs saved by ``--force``.
        warnings: Messages that did not stop the build.
        notes: Things the build did that are not warnings, one line each: an
            interrupted build's commit completed or undone, leftover
            temporary files removed, CRLF line endings put back to LF.
        plan: The build plan (``None`` when nothing changed since the last build).
        writes: The write plan (``None`` likewise).
        project: The loaded project (``None`` likewise).
    """

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    backups: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    plan: BuildPlan | None = None
    project: Project | None = None
    writes: WritePlan | None = None


def handwritten_pages(docs: Path, owned: set[str]) -> dict[str, str]:
    """Markdown pages in ``docs/`` that people own: path → text (sorted walk).

    Without a manifest (lost or deleted), pages carrying curate's ``generated:
    true`` mark are taken for curate's, not for pages people wrote.
    """
    out: dict[str, str] = {}
    if not docs.is_dir():
        return out
    lost = not (docs / MANIFEST).exists()
    base = os.fspath(docs)
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        folder = os.path.relpath(dirpath, base).replace(os.sep, "/")
        prefix = "" if folder == "." else folder + "/"
        for name in sorted(filenames):
            if not name.endswith(".md") or name.startswith("."):
                continue
            rel = prefix + name  # strings, not Paths: docs/ holds thousands of generated pages
            if rel in owned:
                continue
            try:
                text = Path(dirpath, name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if not (lost and writer.looks_generated(text.encode("utf-8"))):
                out[rel] = text
    return out


def conflict_problems(writes: WritePlan) -> list[Problem]:
    """One problem per hand-edited or foreign file, with its diff and where to edit."""
    problems = []
    for c in writes.conflicts:
        if c.action == "hand-edited":
            when = ("while this build was running (an editor saved it?)" if c.note == "during-build"
                    else "since curate wrote it")
            message = (f"generated page was edited by hand {when}; the build stops so the edit "
                       "is not lost\n" + _indent(c.diff))
            hint = (f"move the change into {c.edit}, then run 'curate build' again; or run "
                    "'curate build --force' to overwrite it (the edited file is kept as a backup)")
        else:
            message = ("a file curate did not write is in the way; curate never overwrites files it does not own"
                       + (" (it appeared while this build was running)" if c.note == "during-build" else ""))
            hint = "rename or move that file, or give the page another id in content_sources/curation.yml"
        problems.append(Problem(f"docs/{c.path}", 0, "", message, hint))
    return problems


def _indent(text: str) -> str:
    return "\n".join(("    " + line).rstrip() for line in text.splitlines())


def prepare(root: Path, force: bool = False, link_report: bool = False,
            store: cache.Store | None = None, pages: dict[str, tuple[str, str]] | None = None,
            digests: dict[str, bytes] | None = None, jobs: int | None = None) -> BuildResult:
    """Load, validate, render and plan the writes; nothing is written.

    Args:
        root: Project folder.
        force: Plan to overwrite hand-edited pages.
        link_report: Also work out the link-health report (``curate check``).
        store: Cache of cleaned sources and page drafts (see :mod:`curate.cache`).
        pages: What earlier builds wrote, by final key (:func:`cache.pages`): a page
            made from the same inputs is compared with ``docs/`` by its hash, not
            rendered again. ``curate check`` passes none.
        digests: SHA-256 of the files under ``content_sources/`` as the build's
            fingerprint read them (see :func:`curate.project.load_project`).
        jobs: Processes to clean sources and draft pages in (:func:`curate.parallel.jobs`:
            ``$CURATE_JOBS``, else one per processor, when not given).

    Raises:
        ContentError: Content is invalid or the quote check fails.
        UsageError: ``$CURATE_JOBS`` is not a whole number of at least 1.
    """
    n_jobs = parallel.jobs(jobs)
    try:
        with _no_cyclic_gc():
            return _prepare(root, force, link_report, store, pages, digests, n_jobs)
    finally:
        if store is None:  # a store of its own (curate check): nothing of it is left to write later
            parallel.wait_workers()


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause Python's cycle collector while a build loads and renders, then let it run again.

    Loading thousands of cached drafts and sources makes objects that all live to the end of the
    build; the collector would walk the growing heap again and again for nothing (a fifth of an
    incremental build at 1,000 articles). Reference counting still frees everything that is not
    in a cycle; what is, the collector frees once it runs again (the live preview's server keeps
    running between builds).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _prepare(root: Path, force: bool, link_report: bool, store: cache.Store | None,
             pages: dict[str, tuple[str, str]] | None, digests: dict[str, bytes] | None, jobs: int) -> BuildResult:
    docs = root / "docs"
    own_store = store is None
    store = store if store is not None else cache.Store(root)
    from .build import plan_build
    from .pages import DraftCache
    from .project import load_project

    project = load_project(root, store, digests, jobs=jobs)
    manifest = read_manifest(docs)
    drafts = DraftCache(store, jobs=jobs)
    plan = plan_build(project, handwritten_pages(docs, set(manifest.files)), link_report=link_report, cache=drafts,
                      pages=pages)
    writes = plan_writes(docs, plan.files, plan.edit_sources, plan.nav, force=force, expected=plan.expected)
    kept = {c.path for c in writes.by_action("keep-hand-edited")}
    if kept:
        # A dropped page that was edited by hand is kept and becomes the editor's: plan again with
        # it among the hand-written pages (its links count as backlinks), as the next build will.
        plan = plan_build(project, handwritten_pages(docs, set(manifest.files) - kept), link_report=link_report,
                          cache=drafts, pages=pages)
        writes = plan_writes(docs, plan.files, plan.edit_sources, plan.nav, force=force, expected=plan.expected)
    if own_store:
        store.flush()  # the entries this run made, for the next; a build writes them once docs/ is written
    result = BuildResult(plan=plan, writes=writes, warnings=list(plan.warnings), project=project)
    result.written = [c.path for c in writes.by_action("create", "update", "force")]
    result.unchanged = [c.path for c in writes.by_action("unchanged")]
    result.deleted = [c.path for c in writes.by_action("delete")]
    result.kept = [c.path for c in writes.by_action("keep-hand-edited")]
    for path in result.kept:
        result.warnings.append(f"docs/{path}: page was dropped from the curation file but edited by hand; "
                               "it is kept and is now yours (no longer managed by curate)")
    return result


def build(root: os.PathLike | str, force: bool = False, strict: bool = False,
          store: cache.Store | None = None, jobs: int | None = None) -> BuildResult:
    """Run a build: write every generated page that changed.

    Holds ``.curate-cache/build.lock`` throughout, and first completes or
    undoes a commit an interrupted build left behind (see :mod:`curate.writer`).

    Args:
        root: Project folder.
        force: Overwrite hand-edited generated pages, saving a backup first.
        strict: Treat warnings as errors (nothing is written).
        store: The cache of cleaned sources and drafts (``.curate-cache/``); the live
            preview passes one that also keeps its entries in memory between builds.
        jobs: Processes to clean sources and draft pages in (see :func:`prepare`).

    Raises:
        ContentError: Invalid content, a failed quote check, hand-edited pages
            (without ``force``, including pages saved while the build ran),
            files curate does not own in the way, a damaged or missing
            manifest, another build holding the lock, a file that cannot be
            written, or any warning under ``strict``. Notes on what recovery
            did are attached with ``add_note``.
        KeyboardInterrupt: Ctrl-C (SIGTERM under the CLI); ``docs/`` is as
            before, or fully updated when the signal came during the commit.
    """
    root = Path(root)
    docs = root / "docs"
    with writer.lock(root):
        notes = writer.recover(docs).notes
        try:
            result = _build_locked(root, docs, force, strict, store, jobs)
        except ContentError as exc:
            for note in notes:
                exc.add_note(note)
            raise
        finally:
            parallel.wait_workers()  # the workers' own cache entries are written when a build returns
        result.notes[:0] = notes
        return result


def _build_locked(root: Path, docs: Path, force: bool, strict: bool, store: cache.Store | None,
                  jobs: int | None) -> BuildResult:
    manifest = read_manifest(docs)
    digests: dict[str, bytes] = {}
    print_ = cache.fingerprint(root, set(manifest.files), digests)
    state = cache.load(root)
    result = None if force else _unchanged_since_last_build(docs, manifest, print_, state)
    if result is None:
        store = store if store is not None else cache.Store(root)  # a no-op needs no store (nor its key)
        result = prepare(root, force, store=store, pages=None if force else cache.pages(state), digests=digests,
                         jobs=jobs)
        assert result.writes is not None  # prepare always plans the writes
        problems = conflict_problems(result.writes)
        if problems:
            raise ContentError(problems)
    if strict and result.warnings:
        raise ContentError([Problem("", 0, "", _strict(w)) for w in result.warnings])
    if result.writes is not None:
        assert store is not None  # writes are planned only by prepare, which had the store
        # The cache entries this build made are written while docs/ is: both mostly wait on the disk.
        flusher = threading.Thread(target=store.flush, name="curate-cache-writer")
        flusher.start()
        try:
            result.backups = apply(docs, result.writes)
        except writer.EditedDuringBuild as exc:
            raise ContentError(conflict_problems(WritePlan(exc.changes, result.writes.manifest))) from None
        finally:
            flusher.join()
        crlf = [c.path for c in result.writes.changes if c.note == "crlf"]
        if crlf:
            listed = ", ".join(f"docs/{p}" for p in crlf[:3]) + (", …" if len(crlf) > 3 else "")
            result.notes.append(f"{len(crlf)} generated page{'s' if len(crlf) != 1 else ''} had CRLF line endings "
                                f"(git's core.autocrlf?) and {'were' if len(crlf) != 1 else 'was'} otherwise as "
                                f"curate wrote {'them' if len(crlf) != 1 else 'it'}; rewrote with LF: {listed} "
                                "(add 'docs/** -text' to .gitattributes to keep git from converting them)")
        manifest_bytes = (docs / MANIFEST).read_bytes()
        owned = set(result.writes.manifest.files)
        # The inputs are the same files as before the build unless the set of generated pages changed
        # (a page people own is then hashed, or no longer hashed): only then read them again.
        inputs = print_ if owned == set(manifest.files) else cache.fingerprint(root, owned)
        written = result.writes.manifest.files
        pages = ({p: (k, written[p]["sha256"]) for p, k in result.plan.final_keys.items() if p in written}
                 if result.plan is not None else cache.pages(state))
        cache.save(root, {"inputs": inputs, "manifest": writer.sha256(manifest_bytes)}, result.warnings, pages)
        store.prune()  # keep one build's worth of cleaned sources and drafts
    return result


def _unchanged_since_last_build(docs: Path, manifest, print_: str, state: dict | None) -> BuildResult | None:
    """A "nothing to do" result when inputs and generated pages are as last built, else ``None``.

    See :mod:`curate.cache`.
    """
    if not state or not manifest.files or state.get("fingerprint") != {
            "inputs": print_, "manifest": writer.sha256((docs / MANIFEST).read_bytes())}:
        return None
    if not _config_current(docs, manifest):
        return None
    for path, entry in manifest.files.items():
        try:
            if writer.sha256((docs / path).read_bytes()) != entry.get("sha256"):
                return None
        except OSError:
            return None
    return BuildResult(unchanged=sorted(manifest.files), warnings=list(state.get("warnings", [])))


def _config_current(docs: Path, manifest) -> bool:
    """Whether ``docs/.curate-mkdocs.json`` holds what the manifest gives (see :mod:`curate.mkdocs_config`)."""
    try:
        current = (docs / mkdocs_config.FILE).read_bytes()
    except OSError:
        return False
    return current == mkdocs_config.config_bytes(manifest.nav, set(manifest.files))


def _strict(warning: str) -> str:
    """A warning's text with "(an error under --strict)" after its first line."""
    first, sep, rest = warning.partition("\n")
    return f"{first} (an error under --strict){sep}{rest}"


@dataclass
class CheckResult:
    """What ``curate check`` found.

    Attributes:
        errors: Problems that make the check fail.
        warnings: Problems that fail it only under ``--strict``.
        report: Link-health lines (informational).
        citations: Per page with an intro, the share of its editor sentences that cite a
            source (informational; see :func:`citation_report`).
    """

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    report: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)

    def failed(self, strict: bool) -> bool:
        """Whether the check fails."""
        return bool(self.errors or (strict and self.warnings))


def check(root: os.PathLike | str, today: _dt.date | None = None, jobs: int | None = None) -> CheckResult:
    """Compare ``docs/`` with what a build would write; write nothing.

    Reports stale, missing or extra generated pages, hand edits, invalid
    content (as errors); warnings of the build and pages past their
    ``review_by`` date (as warnings); and a link-health report.
    """
    root = Path(root)
    out = CheckResult()
    if writer.pending(root / "docs"):
        out.errors.append(f"docs/{writer.STAGING}/: a build was interrupted while writing docs/; run 'curate build' "
                          "to complete or undo its changes")
        return out
    try:
        result = prepare(root, link_report=True, jobs=jobs)
    except ContentError as exc:
        out.errors += [p.format() for p in exc.problems]
        return out
    writes = result.writes
    # prepare() always fills in writes, plan and project; the fields are optional only for other callers.
    assert writes is not None and result.plan is not None and result.project is not None
    for c in writes.changes:
        if c.action == "create":
            out.errors.append(f"docs/{c.path}: missing; a build would create it")
        elif c.action == "update" and c.note == "crlf":
            out.errors.append(f"docs/{c.path}: has CRLF line endings (git's core.autocrlf?); a build would rewrite "
                              "it with LF")
        elif c.action == "update":
            out.errors.append(f"docs/{c.path}: out of date; a build would rewrite it")
        elif c.action == "delete":
            out.errors.append(f"docs/{c.path}: no longer in the curation file; a build would delete it")
    out.errors += [p.format() for p in conflict_problems(writes)]
    manifest_path = root / "docs" / MANIFEST
    if not out.errors and (not manifest_path.exists() or manifest_path.read_bytes() != writes.manifest.to_bytes()):
        out.errors.append(f"docs/{MANIFEST}: out of date; a build would rewrite it")
    if not out.errors and not _config_current(root / "docs", writes.manifest):
        out.errors.append(f"docs/{mkdocs_config.FILE}: out of date; a build would rewrite it")
    out.warnings += result.warnings
    project = result.project  # loaded once, by prepare
    from .build import review_warnings

    out.warnings += review_warnings(project, today)
    out.report = link_health(project, result.plan)
    out.citations = citation_report(project)
    return out


def citation_report(project: Project) -> list[str]:
    """``what-is-llama: 2 of 3 editor sentences cite a source (67%)`` per page, home page first.

    Sentences are those of the intro's prose paragraphs (:func:`curate.citations.coverage`);
    a page whose intro has none is left out.
    """
    from .citations import coverage

    lines = []
    pages = [("index", project.site.intro_rel)] + [(p.id, p.intro_rel) for p in project.pages]
    for page_id, rel in pages:
        citing, total = coverage(project.intros.get(rel, ""))
        if total:
            lines.append(f"{page_id}: {citing} of {total} editor sentence{'s' if total != 1 else ''} "
                         f"cite{'s' if total == 1 else ''} a source ({round(100 * citing / total)}%)")
    return lines


def link_health(project, plan: BuildPlan) -> list[str]:
    """Orphan pages, terms without an explaining page, and mentioned-but-unlinked terms."""
    lines = []
    targets = {link.target_page for link in plan.links if link.source_page != link.target_page}
    for p in project.pages:
        if p.docs_path not in targets:
            lines.append(f"orphan page: docs/{p.docs_path} ('{p.title}') is linked from no other page's text")
    # A term no page has as its key term links to its glossary entry: the rule, not a fault, so
    # one line names them all (an editor may want a page about one of them).
    glossary_only = [t.term for t in project.glossary if not t.page]
    if glossary_only:
        lines.append(f"{len(glossary_only)} term{'s' if len(glossary_only) != 1 else ''} link to the glossary, "
                     "no page having them as its key term: " + ", ".join(f"'{t}'" for t in glossary_only))
    for path, terms in sorted(plan.unlinked_mentions.items()):
        lines.append(f"mentioned but not linked on docs/{path}: " + ", ".join(sorted(terms)))
    return lines
