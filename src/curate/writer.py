"""Writing ``docs/`` safely: ownership, hand-edit detection and atomic commits.

Ownership. The generator owns exactly the files listed in the manifest,
``docs/.curate-manifest.json`` (MkDocs skips dot-files, so it is never
published). Each entry holds the SHA-256 of the bytes curate last wrote. A file
is *hand-edited* when its bytes no longer match that hash; curate never
overwrites or deletes such a file without ``--force``, and never touches a
file it does not own.

Atomicity. Every new file is first written to a temporary file beside its
target; only when all are staged are they moved into place with
``os.replace``. If anything fails or is interrupted (an exception, Ctrl-C)
during the moves, the files already replaced are restored from memory, so
``docs/`` is byte-identical to before. Unchanged files are not rewritten and
keep their modification time.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from . import mkdocs_config
from .errors import ContentError, Problem

MANIFEST = ".curate-manifest.json"
SAFE_PATH = re.compile(r"^(?:[a-z0-9][a-z0-9-]*/)*[a-z0-9][a-z0-9-]*\.md$")


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


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


def read_manifest(docs: Path) -> Manifest:
    """Load ``docs/.curate-manifest.json``; an empty manifest when absent.

    Raises:
        ContentError: The manifest exists but is not valid JSON of the expected shape.
    """
    path = docs / MANIFEST
    if not path.exists():
        return Manifest()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = {str(k): dict(v) for k, v in data["files"].items()}
        return Manifest(files, list(data.get("nav", [])))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ContentError([Problem(f"docs/{MANIFEST}", 0, "", f"manifest is damaged ({exc})",
                                    "restore it from version control (git checkout docs/.curate-manifest.json)")])


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
    """

    path: str
    action: str
    data: Optional[bytes] = None
    diff: str = ""
    edit: str = ""


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


def plan_writes(docs: Path, files: dict[str, bytes], edit_sources: dict[str, str], nav: list,
                force: bool = False) -> WritePlan:
    """Compare what a build would write with what ``docs/`` holds.

    Args:
        docs: The docs folder.
        files: ``docs/``-relative path → bytes the build would write.
        edit_sources: Path → content_sources file to edit instead.
        nav: Nav to record in the manifest.
        force: Overwrite hand-edited pages (after a backup).

    Returns:
        The plan; nothing is written.

    Raises:
        ContentError: A path is unsafe (outside ``docs/`` or a bad file name).
    """
    old = read_manifest(docs)
    root = docs.resolve()
    changes: list[Change] = []
    unsafe = []
    for path in sorted(files):
        target = docs / path
        if not SAFE_PATH.match(path) or not _inside(root, target):
            unsafe.append(Problem(f"docs/{path}", 0, "", "refusing to write a file outside docs/ or with an unsafe name"))
            continue
        data = files[path]
        edit = edit_sources.get(path, "")
        if target.is_symlink() or (target.exists() and not target.is_file()):
            changes.append(Change(path, "not-owned", data, edit=edit))
            continue
        if not target.exists():
            changes.append(Change(path, "create", data, edit=edit))
            continue
        current = target.read_bytes()
        entry = old.files.get(path)
        if current == data:
            changes.append(Change(path, "unchanged", edit=edit))
        elif entry is None:
            changes.append(Change(path, "not-owned", data, diff=_diff(path, current, data), edit=edit))
        elif sha256(current) != entry.get("sha256"):
            changes.append(Change(path, "force" if force else "hand-edited", data,
                                  diff=_diff(path, current, data), edit=edit))
        else:
            changes.append(Change(path, "update", data, edit=edit))
    for path in sorted(set(old.files) - set(files)):
        target = docs / path
        if not SAFE_PATH.match(path) or not _inside(root, target) or not target.is_file():
            continue
        if sha256(target.read_bytes()) == old.files[path].get("sha256"):
            changes.append(Change(path, "delete", edit=old.files[path].get("edit", "")))
        else:
            changes.append(Change(path, "keep-hand-edited", edit=old.files[path].get("edit", "")))
    if unsafe:
        raise ContentError(unsafe)
    new_files = {p: {"sha256": sha256(files[p]), "edit": edit_sources.get(p, "")} for p in sorted(files)
                 if SAFE_PATH.match(p)}
    return WritePlan(changes, Manifest(new_files, nav))


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


def apply(docs: Path, plan: WritePlan) -> list[tuple[str, str]]:
    """Carry out a write plan atomically (all files or none).

    Args:
        docs: The docs folder.
        plan: From :func:`plan_writes`; must have no conflicts.

    Returns:
        ``(path, backup_path)`` for each hand-edited page saved by ``--force``.

    Raises:
        ContentError: The plan has conflicts.
        OSError: A write failed; ``docs/`` is as it was before the call.
    """
    if plan.conflicts:
        raise ContentError([Problem(f"docs/{c.path}", 0, "", "unresolved conflict") for c in plan.conflicts])
    writes: dict[Path, bytes] = {}
    backups: list[tuple[str, str]] = []
    for c in plan.by_action("create", "update", "force"):
        writes[docs / c.path] = c.data
        if c.action == "force":
            b = backup_path(docs, c.path)
            writes[b] = (docs / c.path).read_bytes()
            backups.append((c.path, b.relative_to(docs).as_posix()))
    deletes = [docs / c.path for c in plan.by_action("delete")]
    manifest_path = docs / MANIFEST
    manifest_bytes = plan.manifest.to_bytes()
    if not manifest_path.exists() or manifest_path.read_bytes() != manifest_bytes:
        writes[manifest_path] = manifest_bytes
    # The nav and edit targets as MkDocs configuration (mkdocs.yml inherits it): see mkdocs_config.
    config_path = docs / mkdocs_config.FILE
    config_bytes = mkdocs_config.config_bytes(plan.manifest.nav, set(plan.manifest.files))
    if not config_path.exists() or config_path.read_bytes() != config_bytes:
        writes[config_path] = config_bytes
    if writes or deletes:
        commit(writes, deletes)
    return backups


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _default_mode()


def commit(writes: dict[Path, bytes], deletes: list[Path]) -> None:
    """Write and delete files so that either all changes happen or none do.

    Raises:
        BaseException: Whatever interrupted the commit, after rolling back.
    """
    staged: list[tuple[Path, str]] = []
    done: list[tuple[Path, Optional[bytes]]] = []
    try:
        for target in sorted(writes):
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".curate-tmp-", dir=target.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(writes[target])
            staged.append((target, tmp))
            os.chmod(tmp, _FILE_MODE)  # mkstemp makes 0600 files; pages are ordinary files
        for target, tmp in staged:
            before = target.read_bytes() if target.exists() else None
            os.replace(tmp, target)
            done.append((target, before))
        for target in sorted(deletes):
            before = target.read_bytes()
            target.unlink()
            done.append((target, before))
    except BaseException:
        for target, before in reversed(done):
            try:
                if before is None:
                    target.unlink()
                else:
                    target.write_bytes(before)
            except OSError:  # pragma: no cover - best effort on a failing disk
                pass
        for _, tmp in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise
