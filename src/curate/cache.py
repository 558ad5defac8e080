"""The no-op fast path: skip a build whose inputs and outputs are as last time.

After every successful build, curate records in ``.curate-cache/build.json``
(beside ``content_sources/``; not committed, safe to delete) a fingerprint of
everything the build read — each file under ``content_sources/``, each page
people own in ``docs/``, and curate's own code — together with the build's
warnings. The next build computes the fingerprint again (reading and hashing
files costs a few milliseconds per thousand pages, against seconds for loading
and rendering them) and, when it matches and every generated page still has
the bytes the manifest records, reports "nothing to do" without loading
anything. Any difference, a missing or damaged cache, or ``--force`` makes a
full build, so the cache can never change what a build writes.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Optional

CACHE_DIR = ".curate-cache"
CACHE_FILE = "build.json"
_CODE = Path(__file__).resolve().parent


def _code_hash() -> bytes:
    h = hashlib.sha256()
    for path in sorted(_CODE.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.digest()


def fingerprint(root: Path, owned: set[str]) -> str:
    """SHA-256 over curate's code, ``content_sources/`` and hand-written ``docs/`` pages.

    Args:
        root: Project folder.
        owned: ``docs/``-relative paths of generated pages (left out).

    Returns:
        Hex digest; paths are walked in sorted order, so it is deterministic.
    """
    h = hashlib.sha256(_code_hash())
    for top, skip_owned in (("content_sources", False), ("docs", True)):
        base = root / top
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath, name)
                rel = path.relative_to(base).as_posix()
                if skip_owned and (rel in owned or name.startswith(".") or not name.endswith(".md")):
                    continue
                h.update(f"{top}/{rel}\0".encode())
                if path.is_symlink():
                    h.update(os.readlink(path).encode() + b"\0")
                    try:
                        outside = not path.resolve().is_relative_to(root.resolve())
                    except (RuntimeError, OSError):  # a symbolic link loop; the loader reports it
                        outside = True
                    if outside:
                        continue
                try:
                    h.update(hashlib.sha256(path.read_bytes()).digest())
                except OSError:
                    h.update(b"unreadable")
    return h.hexdigest()


def load(root: Path) -> Optional[dict]:
    """The recorded state, or ``None`` when there is none or it is unreadable."""
    try:
        data = json.loads((root / CACHE_DIR / CACHE_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def save(root: Path, print_: dict, warnings: list[str]) -> None:
    """Record a successful build's fingerprint and warnings (best effort)."""
    folder = root / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("*\n", encoding="utf-8")
        tmp = folder / (CACHE_FILE + ".tmp")
        tmp.write_text(json.dumps({"fingerprint": print_, "warnings": warnings}, indent=1), encoding="utf-8")
        os.replace(tmp, folder / CACHE_FILE)
    except OSError:
        pass  # a cache that cannot be written only costs time
