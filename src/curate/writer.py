"""Writing ``docs/`` safely: ownership, hand-edit detection and crash-safe commits.

Ownership. The generator owns exactly the files listed in the manifest,
``docs/.curate-manifest.json`` (MkDocs skips dot-files, so it is never
published). Each entry holds the SHA-256 of the bytes curate last wrote. A file
is *hand-edited* when its bytes no longer match that hash; curate never
overwrites or deletes such a file without ``--force``, and never touches a
file it does not own. A page whose only difference is CRLF line endings (git's
``core.autocrlf``) is not an edit: it is rewritten with LF and noted.

Commits. A build changes ``docs/`` in two phases, the way a database applies a
write-ahead log:

1. *Stage*: every new file is written into ``docs/.curate-commit/`` (a
   dot-folder, so MkDocs never publishes it), each file that will be replaced
   or deleted gets a hard link (or copy) there as well, and all are put on the
   disk (an fsync each, or for many files one ``syncfs`` of the file system).
   Nothing in ``docs/`` has changed yet; an interruption here only leaves the
   staging folder, which the next build removes.
2. *Commit*: a journal (``journal.json``: every rename and delete with the
   hashes before and after) is written atomically; then the files are moved
   into place, each after checking that the file it replaces still has the
   bytes the plan saw (an editor's save during the build stops the build and
   is kept); the manifest is replaced last; then the journal is removed.

SIGINT and SIGTERM are held back from the start of staging to the end of the
commit: during staging one stops it and the staged files are removed; during
the commit it is acted on once the commit is complete.

A build that finds a journal (after SIGKILL or a power loss) completes the
commit when every staged file is intact (*roll forward*) and otherwise puts
back the files it had replaced (*roll back*); both are idempotent, so an
interrupted recovery is simply run again. Either way ``docs/`` ends as it was
before the interrupted build or as that build would have left it, never in
between. Unchanged files are never rewritten and keep their modification
time; rolled-back files get their original inode (and mtime) back.

Concurrency. ``.curate-cache/build.lock`` (``flock``) lets one build at a time
write ``docs/``; the kernel releases it when its holder dies, so a killed build
never leaves a stale lock.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import errno
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import mkdocs_config
from .cache import CACHE_DIR
from .errors import ContentError, Problem

if sys.platform != "win32":
    import fcntl

MANIFEST = ".curate-manifest.json"
LOCK = f"{CACHE_DIR}/build.lock"  # project-relative; outside docs/, which mkdocs serve watches
STAGING = ".curate-commit"
JOURNAL = "journal.json"
LEGACY_TMP_PREFIX = ".curate-tmp-"  # temp files of curate before the staged commit; swept by recover()
SAFE_PATH = re.compile(r"^(?:[a-z0-9][a-z0-9-]*/)*[a-z0-9][a-z0-9-]*\.md$")
_GENERATED_MARK = b"\ncurate:\n  generated: true\n"
_RECOVER_HINT = ("restore it with 'git checkout -- docs/.curate-manifest.json', or delete it and run "
                 "'curate build --force' (generated pages that differ are saved as backups first)")

#: Commits completed by this process; the CLI compares it before and after a build to tell
#: whether an interrupted build had already updated ``docs/``.
commits_completed = 0


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


# --- the manifest -----------------------------------------------------------------------------------

@dataclass
class Manifest:
    """What the generator wrote last time.

    Attributes:
        files: ``docs/``-relative path → ``{"sha256": …, "edit": …}``.
        nav: The MkDocs nav of the generated pages.
    """

    files: dict[str, dict] = field(default_factory=dict)
    nav: list = field(default_factory=list)

    def to_bytes(self) -> bytes:
        """Deterministic JSON (sorted keys, two-space indent, LF, final newline)."""
        data = {"generator": "curate", "version": 1, "files": self.files, "nav": self.nav}
        return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _damaged(cause: str, line: int = 0, hint: str = _RECOVER_HINT) -> ContentError:
    return ContentError([Problem(f"docs/{MANIFEST}", line, "", cause, hint)])


def read_manifest(docs: Path) -> Manifest:
    """Load ``docs/.curate-manifest.json``; an empty manifest when absent.

    Raises:
        ContentError: The manifest is a folder, unreadable, not UTF-8 JSON, or
            not of the shape ``{"files": {path: {"sha256": hex, …}}, "nav": [...]}``;
            the message names the cause and the command that recovers.
    """
    path = docs / MANIFEST
    if not path.exists() and not path.is_symlink():
        return Manifest()
    if path.is_dir():
        raise _damaged("is a folder, but curate keeps its list of generated pages in a file of this name",
                       hint="move that folder out of docs/, then run 'curate build --force' to recreate the "
                            "manifest (generated pages that differ are saved as backups first)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _damaged(f"cannot be read ({exc.strerror or exc})",
                       hint="make it readable (chmod u+rw docs/.curate-manifest.json), then run 'curate build' "
                            "again") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _damaged(f"manifest is damaged: not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise _damaged(f"manifest is damaged: not JSON ({exc.msg}, column {exc.colno})", exc.lineno) from None
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise _damaged("manifest is damaged: expected a JSON object with a 'files' object")
    for key, entry in data["files"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            raise _damaged(f"manifest is damaged: files['{key}'] has no 'sha256' string")
    if not isinstance(data.get("nav", []), list):
        raise _damaged("manifest is damaged: 'nav' is not a list")
    return Manifest({str(k): dict(v) for k, v in data["files"].items()}, list(data.get("nav", [])))


# --- planning ----------------------------------------------------------------------------------------

@dataclass
class Change:
    """One file's fate in a build.

    Attributes:
        path: ``docs/``-relative path.
        action: ``create``, ``update``, ``unchanged``, ``delete``, ``hand-edited``,
            ``not-owned``, ``keep-hand-edited`` (dropped page that was edited)
            or ``force`` (hand-edited, overwritten after a backup).
        data: New bytes for create/update/force.
        diff: Unified diff of the current file against the new content, for
            hand-edited files.
        edit: The content_sources file the change belongs in.
        seen: SHA-256 of the file's bytes when the plan was made (``None``
            when it did not exist); the commit replaces or deletes the file
            only while it still has these bytes.
        note: ``crlf`` when the only difference from what curate wrote is
            CRLF line endings; ``during-build`` for an edit made while the
            build was running.
    """

    path: str
    action: str
    data: bytes | None = None
    diff: str = ""
    edit: str = ""
    seen: str | None = None
    note: str = ""


@dataclass
class WritePlan:
    """Every change a build would make to ``docs/``, before any is made."""

    changes: list[Change]
    manifest: Manifest

    def by_action(self, *actions: str) -> list[Change]:
        """Changes with one of the given actions, in path order."""
        return [c for c in self.changes if c.action in actions]

    @property
    def conflicts(self) -> list[Change]:
        """Changes that stop a build: hand edits and files curate does not own."""
        return self.by_action("hand-edited", "not-owned")


def _diff(path: str, old: bytes, new: bytes) -> str:
    a = old.decode("utf-8", "replace").splitlines(keepends=True)
    b = new.decode("utf-8", "replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(b, a, f"docs/{path} (as curate would write it)",
                                        f"docs/{path} (on disk, edited by hand)", n=1))


def _lf(data: bytes) -> bytes | None:
    """``data`` with CRLF turned into LF, or ``None`` when it has no CRLF."""
    return data.replace(b"\r\n", b"\n") if b"\r\n" in data else None


def looks_generated(data: bytes) -> bool:
    """Whether a page's front matter carries curate's ``generated: true`` mark."""
    data = _lf(data) or data
    end = data.find(b"\n---\n", 3)
    return data.startswith(b"---\n") and end > 0 and _GENERATED_MARK in data[3:end + 1]


def plan_writes(docs: Path, files: Mapping[str, bytes], edit_sources: dict[str, str], nav: list,
                force: bool = False, expected: Mapping[str, str] | None = None) -> WritePlan:
    """Compare what a build would write with what ``docs/`` holds.

    Args:
        docs: The docs folder.
        files: ``docs/``-relative path → bytes the build would write (read only
            for pages it must: see ``expected``).
        edit_sources: Path → content_sources file to edit instead.
        nav: Nav to record in the manifest.
        force: Overwrite hand-edited pages (after a backup); without a
            manifest, also pages that carry curate's ``generated: true`` mark.
        expected: Path → SHA-256 of the bytes ``files`` holds for it, where known
            without making them (:attr:`curate.build.BuildPlan.expected`): a page on
            disk with that hash is unchanged, and its bytes are never asked for.

    Returns:
        The plan; nothing is written.

    Raises:
        ContentError: A path is unsafe (outside ``docs/`` or a bad file name),
            a page cannot be read, the manifest is damaged, or it is missing
            while generated pages differ from what the build would write.
    """
    manifest_path = docs / MANIFEST
    manifest_missing = not manifest_path.exists() and not manifest_path.is_symlink()
    old = read_manifest(docs)
    root = docs.resolve()
    changes: list[Change] = []
    problems: list[Problem] = []
    orphans: list[str] = []
    inside = _InsideCache(root)
    expected = expected or {}
    hashes: dict[str, str] = {}
    made: set[str] = set()  # pages whose bytes were asked for: their own hash, not the expected one

    def new_bytes(path: str) -> bytes:
        made.add(path)
        return files[path]

    def new_sha(path: str) -> str:
        if path not in hashes:
            hashes[path] = expected[path] if path in expected and path not in made else sha256(files[path])
        return hashes[path]

    for path in sorted(files):
        target = docs / path
        if not SAFE_PATH.match(path) or not inside(target):
            problems.append(Problem(f"docs/{path}", 0, "",
                                    "refusing to write a file outside docs/ or with an unsafe name"))
            continue
        edit = edit_sources.get(path, "")
        kind = _file_kind(target)
        if kind == "other":  # a symbolic link (even a broken one), a folder, a device…
            changes.append(Change(path, "not-owned", new_bytes(path), edit=edit))
            continue
        if kind == "missing":
            changes.append(Change(path, "create", new_bytes(path), edit=edit))
            continue
        try:
            current = target.read_bytes()
        except OSError as exc:
            problems.append(Problem(f"docs/{path}", 0, "", f"cannot be read ({exc.strerror or exc})",
                                    "make it readable (chmod u+rw), then run 'curate build' again"))
            continue
        seen = sha256(current) if path in expected else None
        if seen is not None and seen == expected[path]:  # the bytes it would write, without making them
            changes.append(Change(path, "unchanged", edit=edit, seen=seen))
            continue
        data = new_bytes(path)
        if current == data:  # most pages in most builds: the new bytes' hash is the file's
            changes.append(Change(path, "unchanged", edit=edit, seen=new_sha(path)))
            continue
        seen = seen or sha256(current)
        entry = old.files.get(path)
        lf = _lf(current)
        if lf is not None and (lf == data or (entry is not None and sha256(lf) == entry.get("sha256"))):
            changes.append(Change(path, "update", data, edit=edit, seen=seen, note="crlf"))
        elif entry is None:
            if manifest_missing and looks_generated(current):
                orphans.append(path)
                if force:
                    changes.append(Change(path, "force", data, diff=_diff(path, current, data), edit=edit, seen=seen))
                    continue
            changes.append(Change(path, "not-owned", data, diff=_diff(path, current, data), edit=edit, seen=seen))
        elif seen != entry.get("sha256"):
            changes.append(Change(path, "force" if force else "hand-edited", data,
                                  diff=_diff(path, current, data), edit=edit, seen=seen))
        else:
            changes.append(Change(path, "update", data, edit=edit, seen=seen))
    for path in sorted(set(old.files) - set(files)):
        target = docs / path
        if not SAFE_PATH.match(path) or not inside(target) or not target.is_file():
            continue
        current = target.read_bytes()
        recorded = old.files[path].get("sha256")
        edit = old.files[path].get("edit", "")
        if sha256(current) == recorded or sha256(_lf(current) or current) == recorded:
            changes.append(Change(path, "delete", edit=edit, seen=sha256(current)))
        else:
            changes.append(Change(path, "keep-hand-edited", edit=edit, seen=sha256(current)))
    if orphans and not force:
        listed = ", ".join(f"docs/{p}" for p in orphans[:3]) + (", …" if len(orphans) > 3 else "")
        problems.append(Problem(
            f"docs/{MANIFEST}", 0, "",
            f"missing, but docs/ holds {len(orphans)} page{'s' if len(orphans) != 1 else ''} curate generated "
            f"that differ from what it would write now ({listed}); without the manifest curate cannot tell "
            "whether they were edited by hand",
            "restore it with 'git checkout -- docs/.curate-manifest.json' and run 'curate build' again; or run "
            "'curate build --force' to rewrite those pages (each is saved as a backup first)"))
        changes = [c for c in changes if c.path not in orphans]
    if problems:
        raise ContentError(problems)
    new_files = {p: {"sha256": new_sha(p), "edit": edit_sources.get(p, "")} for p in sorted(files)
                 if SAFE_PATH.match(p)}
    return WritePlan(changes, Manifest(new_files, nav))


def _file_kind(target: Path) -> str:
    """``file`` (a regular file, not a link), ``missing`` or ``other``, from one ``lstat``.

    A link to a file is ``other``, as are folders; a link that leads nowhere is ``other`` too (it
    is there, and not curate's). The errors :meth:`pathlib.Path.exists` takes for "not there"
    (a parent that is a file, a loop) give ``missing``, as they did when this asked it.
    """
    try:
        mode = os.lstat(target).st_mode
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return "missing"
        raise
    return "file" if stat.S_ISREG(mode) else "other"


class _InsideCache:
    """:func:`_inside` for many pages of few folders: each folder is resolved once per plan."""

    def __init__(self, root: Path):
        self.root = root
        self.folders: dict[Path, bool] = {}

    def __call__(self, target: Path) -> bool:
        folder = target.parent
        if folder not in self.folders:
            self.folders[folder] = _inside(self.root, target)
        return self.folders[folder]


def _inside(root: Path, target: Path) -> bool:
    try:
        target.parent.resolve().relative_to(root)
        return True
    except ValueError:
        return False


def backup_path(docs: Path, path: str) -> Path:
    """Where ``--force`` saves a hand-edited page: a dot-file beside it.

    ``docs/what-is-llama.md`` → ``docs/.what-is-llama.md.hand-edited`` (then
    ``.hand-edited-2``, …); dot-files are not published by MkDocs.
    """
    target = docs / path
    candidate = target.with_name(f".{target.name}.hand-edited")
    n = 2
    while candidate.exists():
        candidate = target.with_name(f".{target.name}.hand-edited-{n}")
        n += 1
    return candidate


# --- applying a plan ------------------------------------------------------------------------------------

class EditedDuringBuild(Exception):
    """Files changed on disk between planning and replacing them; nothing was committed.

    Attributes:
        changes: One ``hand-edited`` (or ``not-owned``, for a file that
            appeared where a page was to be created) change per file, with
            ``note="during-build"`` and the diff against what curate would write.
    """

    def __init__(self, changes: list[Change]):
        self.changes = changes
        super().__init__(", ".join(f"docs/{c.path}" for c in changes))


@dataclass
class Op:
    """One file replacement, creation or deletion of a commit.

    Attributes:
        path: ``docs/``-relative path.
        old: SHA-256 the file must have before (``None``: it must not exist).
        new: SHA-256 it has after (``None``: it is deleted).
        data: The new bytes (staging only; not in the journal).
        edit: The content_sources file to edit instead (for messages).
    """

    path: str
    old: str | None
    new: str | None
    data: bytes | None = None
    edit: str = ""


def apply(docs: Path, plan: WritePlan) -> list[tuple[str, str]]:
    """Carry out a write plan atomically (all files or none).

    Args:
        docs: The docs folder.
        plan: From :func:`plan_writes`; must have no conflicts.

    Returns:
        ``(path, backup_path)`` for each hand-edited page saved by ``--force``.

    Raises:
        ContentError: The plan has conflicts, or a file could not be written
            (the problem names it and the cause); ``docs/`` is as before.
        EditedDuringBuild: A file changed after it was planned; ``docs/`` is
            as before, with that change kept.
        KeyboardInterrupt: Ctrl-C (or SIGTERM under the CLI) while staging
            (``docs/`` as before) or, held back, during the commit (``docs/``
            fully updated).
    """
    if plan.conflicts:
        raise ContentError([Problem(f"docs/{c.path}", 0, "", "unresolved conflict") for c in plan.conflicts])
    ops: list[Op] = []
    backups: list[tuple[str, str]] = []
    for c in plan.by_action("create", "update", "force"):
        assert c.data is not None  # planned writes always carry their bytes
        ops.append(Op(c.path, c.seen, sha256(c.data), c.data, c.edit))
        if c.action == "force":
            b = backup_path(docs, c.path)
            edited = (docs / c.path).read_bytes()
            rel = b.relative_to(docs).as_posix()
            ops.append(Op(rel, None, sha256(edited), edited))
            backups.append((c.path, rel))
    ops += [Op(c.path, c.seen, None, edit=c.edit) for c in plan.by_action("delete")]
    ops.sort(key=lambda op: op.path)
    manifest_bytes = plan.manifest.to_bytes()
    # The nav and edit targets as MkDocs configuration (mkdocs.yml inherits it; see mkdocs_config),
    # committed with the pages, before the manifest, which stays the last file written.
    config_path = docs / mkdocs_config.FILE
    config_bytes = mkdocs_config.config_bytes(plan.manifest.nav, set(plan.manifest.files))
    config_current = config_path.read_bytes() if config_path.is_file() else None
    if config_current != config_bytes:
        ops.append(Op(mkdocs_config.FILE, None if config_current is None else sha256(config_current),
                      sha256(config_bytes), config_bytes))
    manifest_path = docs / MANIFEST
    current = manifest_path.read_bytes() if manifest_path.is_file() else None
    if current != manifest_bytes:
        ops.append(Op(MANIFEST, None if current is None else sha256(current), sha256(manifest_bytes),
                      manifest_bytes))
    if ops:
        commit(docs, ops)
    return backups


def commit(docs: Path, ops: list[Op]) -> None:
    """Stage, journal and apply ``ops`` in order (see the module docstring).

    Args:
        docs: The docs folder.
        ops: Changes to make; the manifest, if among them, must be last.

    Raises:
        ContentError: A file could not be staged or moved into place.
        EditedDuringBuild: A file no longer has the bytes its ``old`` hash says.
    """
    global commits_completed
    staging = docs / STAGING
    if staging.exists():
        recover(docs)
    with deferred_signals() as held:
        journal = _stage(docs, staging, ops, held)
        try:
            _write_journal(staging, journal)
        except OSError as exc:
            _remove_staging(docs)
            raise _cannot_write(STAGING, exc) from None
        try:
            _forward(docs, journal, recovering=False)
        except BaseException as exc:
            _undo(docs, journal)
            if isinstance(exc, OSError):
                raise _cannot_write(_docs_relative(docs, exc), exc) from None
            raise
        _remove_staging(docs)
        commits_completed += 1


def _undo(docs: Path, journal: dict[str, Any]) -> None:
    """Roll back a commit that failed in this process, then remove the staging folder."""
    journal["state"] = "rollback"
    try:
        _write_journal(docs / STAGING, journal)
    except OSError:
        pass  # without the mark, recovery completes or undoes it: either leaves docs/ whole
    lost = _backward(docs, journal)
    if lost:  # leave the journal: the next build finishes the job
        raise ContentError([Problem(f"docs/{p}", 0, "", "could not be put back after a failed write",
                                    "run 'curate build' again to complete or undo the interrupted commit")
                            for p in lost])
    _remove_staging(docs)


def _docs_relative(docs: Path, exc: OSError) -> str:
    """The ``docs/``-relative path an OSError is about (the destination of a rename), or ``''``."""
    for name in (exc.filename2, exc.filename):
        if name:
            try:
                rel = Path(name).resolve().relative_to(docs.resolve()).as_posix()
            except ValueError:
                continue
            return "" if rel == "." else rel
    return ""


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _default_mode()


def _cannot_write(path: str, exc: OSError, outcome: str = "docs/ was left as it was") -> ContentError:
    cause = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        hint = "free some disk space, then run 'curate build' again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = ("make docs/ and the folders in it writable (chmod -R u+w docs), then run 'curate build' again")
    else:
        hint = "fix the cause, then run 'curate build' again"
    return ContentError([Problem(f"docs/{path}" if path else "docs/", 0, "",
                                 f"cannot write here ({cause}); {outcome}", hint)])


def _stage(docs: Path, staging: Path, ops: list[Op], held: list[int]) -> dict[str, Any]:
    """Phase 1: write new bytes and links to the files to replace into ``staging``; returns the journal.

    Signals are held back (``held``) so that the clean-up after an interruption cannot itself be
    interrupted; a held signal stops the staging between two files.
    """
    try:
        docs.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
    except OSError as exc:
        raise _cannot_write("", exc) from None
    entries: list[dict[str, Any]] = []
    dirs: list[str] = []
    to_sync: list[Path] = []
    exists: dict[Path, bool] = {}  # folder under docs/ → whether it is there (asked once per folder)
    writable: dict[Path, bool] = {}
    new_files: list[tuple[Path, bytes]] = []
    try:
        edited: list[Change] = []
        for i, op in enumerate(ops):
            if held:
                raise KeyboardInterrupt  # replaced by the held signal's own handling on leaving deferred_signals
            target = docs / op.path
            parent = target.parent.relative_to(docs)
            missing = []
            for p in [*reversed(parent.parents), parent]:
                if p.parts:
                    if p not in exists:
                        exists[p] = (docs / p).exists()
                    if not exists[p]:
                        missing.append(p)
            dirs += [p.as_posix() for p in missing if p.as_posix() not in dirs]
            if not missing:
                if parent not in writable:
                    writable[parent] = os.access(target.parent, os.W_OK)
                if not writable[parent]:
                    raise _cannot_write(target.parent.relative_to(docs).as_posix(),
                                        PermissionError(errno.EACCES, os.strerror(errno.EACCES)))
            entry: dict[str, Any] = {"path": op.path, "old": op.old, "new": op.new, "staged": None, "aside": None,
                                     "edit": op.edit}
            if op.old is not None:
                entry["aside"] = f"old-{i:05d}"
                try:
                    _link_or_copy(target, staging / entry["aside"], to_sync)
                except FileNotFoundError:  # removed since it was planned
                    edited.append(_edited(docs, op))
                else:
                    if _hash(staging / entry["aside"]) != op.old:
                        edited.append(_edited(docs, op))
            elif target.exists() or target.is_symlink():
                edited.append(_edited(docs, op))
            if op.data is not None:
                entry["staged"] = f"new-{i:05d}"
                new_files.append((staging / entry["staged"], op.data))
            entries.append(entry)
        if edited:
            raise EditedDuringBuild(edited)
        if len(new_files) + len(to_sync) >= SYNCFS_MIN_FILES and _syncfs is not None:
            # Many files: written, then put on the disk with one syncfs of the file system (Linux),
            # which waits for every write as an fsync of each would (syncfs(2)); 2,000 pages took
            # 0.3-0.8 s to fsync one by one, even from 8 threads. Where it fails, fsync each.
            _write_new(new_files, [], sync=False)
            if not _syncfs(staging):
                _write_new([], [path for path, _ in new_files] + to_sync)
        else:
            # Written and fsynced by 8 threads, each a share of the files: the file system batches
            # the fsyncs into few journal commits (2,000 files: 0.13 s against 1.2 s one by one on
            # ext4). Every thread has finished when this returns: none writes into a removed folder.
            with ThreadPoolExecutor(max_workers=8) as pool:
                list(pool.map(_write_new, [new_files[k::8] for k in range(8)], [to_sync[k::8] for k in range(8)]))
        if held:
            raise KeyboardInterrupt
        _fsync_dir(staging)
    except BaseException as exc:
        _remove_staging(docs)
        if isinstance(exc, OSError):
            raise _cannot_write(_docs_relative(docs, exc), exc) from None
        raise
    return {"curate-commit": 1, "state": "commit", "dirs": dirs, "ops": entries}


def _link_or_copy(src: Path, dst: Path, to_sync: list[Path]) -> None:
    """Keep the file being replaced: a hard link (same inode and mtime), or a copy where links fail."""
    try:
        os.link(src, dst)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.EOPNOTSUPP):
            raise
        shutil.copy2(src, dst)
        to_sync.append(dst)


def _write_new(files: list[tuple[Path, bytes]], existing: list[Path], sync: bool = True) -> None:
    """Create each ``(path, data)`` (none may exist yet) and fsync it and each of ``existing``;
    all on the disk when this returns (unless ``sync`` is false: the caller syncs)."""
    for path, data in files:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _FILE_MODE)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
    for path in existing:
        _fsync_file(path)


#: From this many files to put on the disk, one syncfs (where there is one) instead of an fsync each.
SYNCFS_MIN_FILES = 64


def _load_syncfs() -> Callable[[Path], bool] | None:
    """Linux's ``syncfs(2)`` through the C library, or ``None`` where there is none.

    Python's ``os`` has ``sync()`` but not ``syncfs()``; ``sync()`` would wait for every file
    system, and it does not wait for the writes on every system (POSIX lets it return early).
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.syncfs
    except (OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int]
    call.restype = ctypes.c_int

    def syncfs(folder: Path) -> bool:
        """Whether every write to the file system holding ``folder`` is on the disk."""
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            return False
        try:
            return call(fd) == 0
        finally:
            os.close(fd)

    return syncfs


_syncfs = _load_syncfs()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _edited(docs: Path, op: Op) -> Change:
    target = docs / op.path
    try:
        current = target.read_bytes()
    except OSError:
        current = b""
    if op.path == MANIFEST:
        raise ContentError([Problem(f"docs/{MANIFEST}", 0, "", "changed while this build was running; the build "
                                    "stops and leaves docs/ as it was", "run 'curate build' again")])
    action = "not-owned" if op.old is None else "hand-edited"
    return Change(op.path, action, op.data, diff=_diff(op.path, current, op.data or b""), edit=op.edit,
                  note="during-build")


def _hash(path: Path) -> str | None:
    """SHA-256 of a file, ``None`` when absent, ``"?"`` (never a hash) when not a readable file."""
    try:
        return sha256(path.read_bytes())
    except FileNotFoundError:
        return None if not path.is_symlink() else "?"
    except OSError:
        return "?"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot fsync a folder; the rename is still atomic
        pass
    finally:
        os.close(fd)


def _journal_bytes(journal: dict[str, Any]) -> bytes:
    body = json.dumps(journal, sort_keys=True, ensure_ascii=False)
    return (json.dumps({"sha256": sha256(body.encode("utf-8")), "journal": journal}, sort_keys=True,
                       ensure_ascii=False) + "\n").encode("utf-8")


def _write_journal(staging: Path, journal: dict[str, Any]) -> None:
    tmp = staging / (JOURNAL + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, _journal_bytes(journal))
        os.fsync(fd)
    finally:
        os.close(fd)
    # os.rename replaces atomically on POSIX, like os.replace; os.replace is kept for the moves of
    # pages into place, so tests can interrupt exactly those (test_ownership.py).
    os.rename(tmp, staging / JOURNAL)
    _fsync_dir(staging)


def _read_journal(staging: Path) -> dict[str, Any] | None:
    """The journal, or ``None`` when absent or incomplete (the commit never started)."""
    try:
        outer = json.loads((staging / JOURNAL).read_bytes().decode("utf-8"))
        journal = outer["journal"]
        body = json.dumps(journal, sort_keys=True, ensure_ascii=False).encode("utf-8")
        if sha256(body) != outer["sha256"] or journal.get("curate-commit") != 1:
            return None
        return journal
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _forward(docs: Path, journal: dict[str, Any], recovering: bool) -> list[str]:
    """Phase 2: move every staged file into place (idempotent). Returns the paths skipped as edited.

    Raises:
        EditedDuringBuild: (not ``recovering``) a file no longer has its planned bytes.
        OSError: A move failed.
    """
    staging = docs / STAGING
    skipped = []
    for d in journal["dirs"]:
        (docs / d).mkdir(exist_ok=True)
    touched = {docs}
    for entry in journal["ops"]:
        target = docs / entry["path"]
        current = _hash(target)
        if current == entry["new"]:
            continue
        if current != entry["old"]:
            if recovering:  # changed after the crash: keep it; the manifest makes the next build report it
                skipped.append(entry["path"])
                continue
            op = Op(entry["path"], entry["old"], entry["new"], _staged_bytes(staging, entry), entry["edit"])
            raise EditedDuringBuild([_edited(docs, op)])
        if entry["new"] is None:
            target.unlink()
        elif entry["old"] is None:
            # A link never replaces a file that appeared since the check above (an editor's new file).
            try:
                os.link(staging / entry["staged"], target)
            except FileExistsError:
                if recovering:
                    skipped.append(entry["path"])
                    continue
                op = Op(entry["path"], None, entry["new"], _staged_bytes(staging, entry), entry["edit"])
                raise EditedDuringBuild([_edited(docs, op)]) from None
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                    raise
                os.replace(staging / entry["staged"], target)
        else:
            os.replace(staging / entry["staged"], target)
        touched.add(target.parent)
    for d in sorted(touched):
        _fsync_dir(d)
    return skipped


def _staged_bytes(staging: Path, entry: dict[str, Any]) -> bytes | None:
    try:
        return (staging / entry["staged"]).read_bytes() if entry["staged"] else None
    except OSError:
        return None


def _backward(docs: Path, journal: dict[str, Any]) -> list[str]:
    """Undo every applied change (idempotent). Returns the paths that could not be put back."""
    staging = docs / STAGING
    lost = []
    for entry in reversed(journal["ops"]):
        target = docs / entry["path"]
        if _hash(target) != entry["new"]:
            continue  # not applied, or changed by someone since: leave it
        try:
            if entry["old"] is None:
                target.unlink()
            elif entry["aside"] and (staging / entry["aside"]).exists():
                os.rename(staging / entry["aside"], target)  # see _write_journal
            else:
                lost.append(entry["path"])
        except OSError:
            lost.append(entry["path"])
    for d in reversed(journal["dirs"]):
        try:
            (docs / d).rmdir()
        except OSError:
            pass
    return lost


def _remove_staging(docs: Path) -> None:
    """Remove the staging folder, journal first (its absence is what marks the commit finished)."""
    staging = docs / STAGING
    try:
        (staging / JOURNAL).unlink()
        _fsync_dir(staging)
    except OSError:  # none (the commit never started), or no folder at all
        pass
    shutil.rmtree(staging, ignore_errors=True)
    _fsync_dir(docs)


# --- recovery --------------------------------------------------------------------------------------

@dataclass
class Recovery:
    """What :func:`recover` found and did.

    Attributes:
        action: ``none``, ``discarded`` (files staged, nothing committed:
            removed), ``forward`` (an interrupted commit completed),
            ``back`` (an interrupted commit undone) or ``swept`` (only old
            ``.curate-tmp-*`` files removed).
        notes: One line per thing done, for the user.
        files: How many files the completed or undone commit touched.
    """

    action: str = "none"
    notes: list[str] = field(default_factory=list)
    files: int = 0


def pending(docs: Path) -> bool:
    """Whether an interrupted build left a staging folder in ``docs/``."""
    return (docs / STAGING).exists()


def recover(docs: Path) -> Recovery:
    """Finish or undo an interrupted commit and remove leftover temporary files.

    Call it holding :func:`lock`. A complete journal whose staged files are all
    intact is rolled forward; otherwise the changes already made are rolled
    back. Without a journal the commit never started, and the staged files are
    simply removed.

    Returns:
        What was done (``action="none"`` and no notes when nothing was left over).

    Raises:
        ContentError: A file could not be put back (named, with the cause).
    """
    out = Recovery()
    swept = _sweep_legacy(docs)
    if swept:
        out.action = "swept"
        out.notes.append(f"removed {len(swept)} temporary file{'s' if len(swept) != 1 else ''} left by an "
                         f"interrupted build ({', '.join('docs/' + p for p in swept[:3])}"
                         f"{', …' if len(swept) > 3 else ''})")
    staging = docs / STAGING
    if not staging.exists():
        return out
    with deferred_signals():
        journal = _read_journal(staging)
        if journal is None:
            _remove_staging(docs)
            out.action = "discarded"
            out.notes.append("an interrupted build had only staged its files (docs/ was not changed); "
                             "removed them")
            return out
        n = len(journal["ops"])
        if journal["state"] == "commit" and _can_forward(docs, journal):
            try:
                skipped = _forward(docs, journal, recovering=True)
            except OSError as exc:
                raise _cannot_write(_docs_relative(docs, exc), exc, _STILL_PENDING) from None
            out.action, out.files = "forward", n
            out.notes.append(f"completed the commit of an interrupted build ({n} file{'s' if n != 1 else ''}); "
                             "docs/ is now as that build would have left it")
            for path in skipped:
                out.notes.append(f"docs/{path} was changed after the build was interrupted; it is kept as it is "
                                 "(the build reports it as edited by hand)")
        else:
            journal["state"] = "rollback"
            try:
                _write_journal(staging, journal)
                lost = _backward(docs, journal)
            except OSError as exc:
                raise _cannot_write(_docs_relative(docs, exc), exc, _STILL_PENDING) from None
            if lost:
                raise ContentError([Problem(f"docs/{p}", 0, "", "an interrupted build replaced this file and its "
                                            "earlier version cannot be put back",
                                            "restore it from version control (git checkout -- docs/), then run "
                                            "'curate build' again") for p in lost])
            out.action, out.files = "back", n
            out.notes.append(f"undid the commit of an interrupted build ({n} file{'s' if n != 1 else ''}); "
                             "docs/ is as it was before that build")
        _remove_staging(docs)
    return out


_STILL_PENDING = "an interrupted build's commit is still recorded in docs/.curate-commit/ and is finished next time"


def _can_forward(docs: Path, journal: dict[str, Any]) -> bool:
    """Whether every change not yet made has its staged bytes intact."""
    staging = docs / STAGING
    for entry in journal["ops"]:
        if entry["new"] is None or _hash(docs / entry["path"]) == entry["new"]:
            continue
        if not entry["staged"] or _hash(staging / entry["staged"]) != entry["new"]:
            return False
    return True


def _sweep_legacy(docs: Path) -> list[str]:
    """Remove ``.curate-tmp-*`` files (left by curate before staged commits); sorted relative paths."""
    removed = []
    for dirpath, dirnames, filenames in os.walk(docs):
        dirnames[:] = sorted(d for d in dirnames if d != STAGING)
        for name in sorted(filenames):
            if name.startswith(LEGACY_TMP_PREFIX):
                path = Path(dirpath, name)
                try:
                    path.unlink()
                    removed.append(path.relative_to(docs).as_posix())
                except OSError:
                    pass
    return removed


# --- signals ---------------------------------------------------------------------------------------

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def deferred_signals() -> Iterator[list[int]]:
    """Hold back SIGINT and SIGTERM for the duration; act on the first one afterwards.

    Only in the main thread (where Python runs signal handlers); a signal
    that is being ignored stays ignored. The held-back signal then goes to the
    handler that was installed before: the CLI's raises KeyboardInterrupt,
    Python's default handler for SIGINT too, and a default SIGTERM ends the
    process as it would have.

    Yields:
        The signals held so far; long work inside may look at it to stop early.
    """
    held: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield held
        return

    def hold(signum: int, frame: Any) -> None:
        held.append(signum)

    previous: dict[int, Any] = {}
    for s in _SIGNALS:
        if signal.getsignal(s) != signal.SIG_IGN:
            previous[s] = signal.signal(s, hold)
    try:
        yield held
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        if held:
            _redeliver(held[0], previous[held[0]])


def _redeliver(signum: int, handler: Any) -> None:
    if callable(handler):
        handler(signum, None)
    elif handler == signal.SIG_IGN:
        return
    elif signum == signal.SIGINT:
        raise KeyboardInterrupt
    else:
        os.kill(os.getpid(), signum)  # the default action (SIGTERM ends the process), now that docs/ is whole


# --- the lock --------------------------------------------------------------------------------------

@contextmanager
def lock(root: Path, command: str = "curate build") -> Iterator[None]:
    """Hold ``.curate-cache/build.lock`` so that one build at a time writes the project's ``docs/``.

    The lock is an ``flock`` on the file, which the kernel drops when the
    holder exits or is killed, so a lock file left by a killed build is free.
    The file holds the holder's pid, command and start time for the message,
    and is removed on release. It lives beside the cache, not in ``docs/``:
    ``mkdocs serve`` rebuilds on any change under ``docs/``, and a lock file
    coming and going there on every build would make it rebuild forever.
    Where the folder cannot be written, no lock is taken.

    Args:
        root: Project folder.
        command: What the holder is doing, for the message another build shows.

    Raises:
        ContentError: Another process holds the lock (named by pid).
    """
    path = root / LOCK
    created = False
    with deferred_signals():  # taken and released whole: Ctrl-C never leaves a lock file behind
        if not path.parent.exists():
            try:
                path.parent.mkdir()
                created = True
            except OSError:
                pass
        fd = _acquire(path, command) if path.parent.is_dir() else None
    try:
        yield
    finally:
        with deferred_signals():
            if fd is not None:
                try:
                    path.unlink()
                except OSError:
                    pass
                _HELD_LOCKS.discard(fd)
                os.close(fd)
            if created:
                try:
                    path.parent.rmdir()  # only when still empty (a failed first build leaves nothing behind)
                except OSError:
                    pass


def _acquire(path: Path, command: str) -> int | None:
    """Lock ``path`` and write our pid into it; ``None`` where it cannot be created (read-only docs/)."""
    if sys.platform == "win32":
        return None  # no flock there; builds are not locked against each other
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except IsADirectoryError:
            raise ContentError([Problem(LOCK, 0, "", "is a folder, but curate uses a file of this name to let one "
                                        "build at a time write docs/",
                                        f"remove that folder (rm -r {LOCK}), then run 'curate build' again")]) from None
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                return None
            raise
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise ContentError([Problem(
                LOCK, 0, "",
                f"another curate build is writing docs/ ({holder}); two builds at once would mix their pages",
                "wait for it to finish (or stop it), then run 'curate build' again")]) from None
        # The holder before us removes the file when it finishes: make sure we locked the file
        # that is still there, not one that was just removed.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    started = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
    os.ftruncate(fd, 0)
    os.write(fd, f"pid {os.getpid()}\nstarted {started}\ncommand {command}\n".encode())
    _HELD_LOCKS.add(fd)
    return fd


# Lock files this process holds open. A process forked from a build (:mod:`curate.parallel`)
# closes its copies at once: an flock lasts while any copy of its file is open, and a worker
# left running by a killed build must not keep the next build out.
_HELD_LOCKS: set[int] = set()


def _close_held_locks() -> None:
    for fd in _HELD_LOCKS:
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD_LOCKS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_held_locks)


def _holder(fd: int) -> str:
    """``pid 123, 'curate build', started …`` from a lock file's text."""
    try:
        text = os.pread(fd, 4096, 0).decode("utf-8", "replace")
    except OSError:
        text = ""
    info = dict(line.split(" ", 1) for line in text.splitlines() if " " in line)
    parts = [f"pid {info['pid']}" if "pid" in info else "pid unknown"]
    if "command" in info:
        parts.append(f"'{info['command']}'")
    if "started" in info:
        parts.append(f"started {info['started']}")
    return ", ".join(parts)
