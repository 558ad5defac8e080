"""Build caches: the no-op fast path, and cleaned sources and page drafts by the digest of their inputs.

**Incremental builds.** :class:`Store` keeps, under ``.curate-cache/`` (not
committed, safe to delete), each cleaned source by the digest of the bytes it
was read from, and each page draft by the digest of everything it was made
from (its curation entry, its intro, its sources' digests, the glossary): see
:mod:`curate.pages`. Every digest starts with :func:`salt`, which covers
curate's own code and the versions of the libraries that shape the bytes it
writes, so an upgrade never reuses a stale entry. Entries are pickles written
by this program only; an unreadable entry is a miss, never an error. Entries a
successful build did not use are removed, so the cache holds one build's worth.

**The no-op fast path.**

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

import functools
import hashlib
import hmac
import json
import os
import pickle
import re
import sqlite3
import stat
import sys
from pathlib import Path
from typing import Any

CACHE_DIR = ".curate-cache"
CACHE_FILE = "build.json"
DB_FILE = "entries.sqlite"
#: Kinds of entry a build reads nearly all of, each small (a page's facts, a source's, a checked
#: YAML file, an intro): read in one query (Store._on_disk). Texts and bodies are read one by one.
READ_WHOLE = frozenset({"drafts", "sources", "yaml", "intros"})
_CODE = Path(__file__).resolve().parent
# Libraries whose output ends up in the bytes curate writes (decoding, cleaning, parsing,
# YAML emitting, extraction): a new release of any of them invalidates every cache entry.
SHAPING_LIBRARIES = ("PyYAML", "ftfy", "nh3", "Markdown", "markdown-it-py", "mdit-py-plugins", "pydantic",
                     "trafilatura", "htmldate", "lxml", "charset-normalizer")


@functools.lru_cache(maxsize=1)
def _code_hash() -> bytes:
    h = hashlib.sha256()
    for path in sorted(_CODE.rglob("*.py")):
        h.update(path.relative_to(_CODE).as_posix().encode() + b"\0" + path.read_bytes())
    versions = library_versions(SHAPING_LIBRARIES)
    for name in SHAPING_LIBRARIES:
        h.update(f"{name}=={versions[name]}\0".encode())
    return h.digest()


def _normalized(name: str) -> str:
    """A distribution's name as PEP 503 compares them (``markdown_it_py`` is ``markdown-it-py``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def library_versions(names: tuple[str, ...]) -> dict[str, str]:
    """The installed version of each distribution in ``names`` (``-`` when it is not installed).

    Read from the names of the ``<name>-<version>.dist-info`` folders on ``sys.path``, the
    first one found winning, as :func:`importlib.metadata.version` finds them (the name and
    version of such a folder are the wheel's, by the packaging specification); a distribution
    installed otherwise (an egg) is asked of :mod:`importlib.metadata`. Importing that
    module costs more than a build with nothing to do takes otherwise.
    """
    wanted = {_normalized(n): n for n in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for item in sorted(listing):
            if not item.endswith(".dist-info"):
                continue
            dist, _, version = item[: -len(".dist-info")].partition("-")
            name = wanted.get(_normalized(dist))
            if name is not None and version and name not in found:
                found[name] = version
    missing = [n for n in names if n not in found]
    if missing:
        from importlib import metadata

        for name in missing:
            try:
                found[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                found[name] = "-"
    return found


def salt() -> str:
    """Hex digest of curate's code (every module) and the shaping libraries' versions."""
    return _code_hash().hex()


def _signing_key() -> bytes | None:
    """This user's secret for signing cache entries, made on first use; ``None`` when it cannot be kept.

    It lives outside the project (``$XDG_CACHE_HOME/curate/cache-key``, else
    ``~/.cache/curate/cache-key``, readable by the user only), so a ``.curate-cache/``
    that arrives with the project (committed by mistake, or by someone else) holds no
    entry this machine will load: unpickling such a file could run any code.
    """
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "curate"
    path = base / "cache-key"
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    try:
        base.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(32))
        return path.read_bytes()
    except FileExistsError:  # another build made it first
        try:
            return path.read_bytes()
        except OSError:
            return None
    except OSError:
        return None


class Store:
    """Signed, pickled cache entries by kind and key, in one SQLite database (``.curate-cache/entries.sqlite``).

    Each entry is an HMAC-SHA256 of its kind, key and pickled bytes (with this user's
    :func:`_signing_key`) followed by the pickle; an entry whose signature does not
    match (written elsewhere, swapped with another, damaged) is never unpickled and
    counts as a miss. Without a signing key the store is off: every build does all its
    work, and its output is the same.

    One database rather than a file per entry: a clean build at 1,000 articles makes
    about 8,000 entries, and creating that many files took longer than everything else
    it writes. Entries are written in batches (:meth:`flush`), one transaction each;
    a build that stops before a batch is written only loses that batch. SQLite keeps
    the database whole through a killed process (its rollback journal); a database
    that cannot be opened or read is replaced by an empty one, which costs one
    build's time, not its output. Each process (:mod:`curate.parallel` forks the
    build) opens its own connection, as SQLite requires.

    Args:
        root: Project folder.
        enabled: ``False`` makes every ``get`` a miss and ``put`` a no-op.
    """

    #: Entries held back before a batch is written (bytes of signed pickles).
    batch_bytes = 32 * 1024 * 1024

    def __init__(self, root: Path, enabled: bool = True):
        self.root = Path(root) / CACHE_DIR
        self.key = _signing_key() if enabled else None
        self.enabled = enabled and self.key is not None
        self.used: dict[str, set[str]] = {}
        self._pending: dict[tuple[str, str], bytes] = {}
        self._pending_bytes = 0
        self._pending_pid = os.getpid()
        self._known: dict[str, dict[str, bytes | None]] = {}  # see _on_disk
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._inherited: list[sqlite3.Connection] = []

    def _mac(self, kind: str, key: str, payload: bytes) -> bytes:
        assert self.key is not None
        return hmac.new(self.key, f"{kind}\0{key}\0".encode() + payload, hashlib.sha256).digest()

    def _connection(self) -> sqlite3.Connection | None:
        """This process's connection, opened (and the database made) on first use; ``None`` if it cannot be."""
        if self._db is not None and self._pid == os.getpid():
            return self._db
        if self._db is not None:
            # Made before a fork: never used nor closed here (closing it could undo the parent's
            # locks and journal); it goes when the worker exits.
            self._inherited.append(self._db)
            self._db = None
        for attempt in range(2):
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                gitignore = self.root / ".gitignore"
                if not gitignore.exists():
                    gitignore.write_text("*\n", encoding="utf-8")
                # Not shared between threads at once: a build writes its entries from one thread while
                # it commits docs/ (curate.commands), and uses the connection again only after that.
                db = sqlite3.connect(self.root / DB_FILE, timeout=60, isolation_level=None, check_same_thread=False)
                # A cache: after a power loss, an entry may be lost or the file damaged (then it is
                # replaced); waiting for the disk on every batch would cost more than it saves.
                db.execute("PRAGMA synchronous = OFF")
                db.execute("CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key TEXT NOT NULL, "
                           "value BLOB NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID")
                self._db, self._pid = db, os.getpid()
                return db
            except (sqlite3.Error, OSError):
                if attempt == 0:
                    self._discard()
        self.enabled = False  # cannot be kept here (a read-only folder): every build does all its work
        return None

    def _discard(self) -> None:
        """Remove a database that cannot be used, so the next connection starts an empty one."""
        self._known.clear()
        if self._db is not None and self._pid == os.getpid():
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.unlink(self.root / (DB_FILE + suffix))
            except OSError:
                pass

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        """Rows of a query; none when the database fails (it is replaced: see the class docstring)."""
        db = self._connection()
        if db is None:
            return []
        try:
            return db.execute(sql, args).fetchall()
        except sqlite3.Error:
            self._discard()
            return []

    def _on_disk(self, kind: str) -> dict[str, bytes | None]:
        """Key → entry (``None``: not read yet) of every entry of a kind on disk, read in one query.

        A build looks up thousands of entries; one query per lookup cost a fifth of a build
        after a one-article edit. The small kinds (:data:`READ_WHOLE`) are read whole, the others
        only by key. Forgotten whenever this store changes the database (and after each build).
        """
        known = self._known.get(kind)
        if known is None:
            if kind in READ_WHOLE:
                rows = self._query("SELECT key, value FROM entries WHERE kind = ?", (kind,))
                known = {key: bytes(value) for key, value in rows}
            else:
                known = dict.fromkeys(row[0] for row in self._query("SELECT key FROM entries WHERE kind = ?",
                                                                    (kind,)))
            self._known[kind] = known
        return known

    def _raw(self, kind: str, key: str) -> bytes | None:
        data = self._pending.get((kind, key))
        if data is not None:
            return data
        if kind in READ_WHOLE:
            return self._on_disk(kind).get(key)
        rows = self._query("SELECT value FROM entries WHERE kind = ? AND key = ?", (kind, key))
        return bytes(rows[0][0]) if rows else None

    def get(self, kind: str, key: str, expect: type | tuple[type, ...] | None = None) -> Any | None:
        """The entry, or ``None`` when there is none, it cannot be read, or it is not ``expect``."""
        if not self.enabled:
            return None
        data = self._raw(kind, key)
        if data is None or len(data) < 32:
            return None
        mac, payload = data[:32], data[32:]
        if not hmac.compare_digest(mac, self._mac(kind, key, payload)):
            return None
        try:
            value = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - an entry from an older curate (a renamed class) is only a miss
            return None
        if expect is not None and not isinstance(value, expect):
            return None
        self.used.setdefault(kind, set()).add(key)
        return value

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry is there (it may still fail its signature check when read)."""
        if not self.enabled:
            return False
        if (kind, key) in self._pending:
            return True
        return key in self._on_disk(kind)

    def drop(self, kind: str, key: str) -> None:
        """Remove an entry (best effort)."""
        if self.enabled:
            self._pending.pop((kind, key), None)
            self._known.clear()
            self._query("DELETE FROM entries WHERE kind = ? AND key = ?", (kind, key))

    def clear(self, kind: str) -> None:
        """Remove every entry of a kind (best effort)."""
        if self.enabled:
            for k in [k for k in self._pending if k[0] == kind]:
                del self._pending[k]
            self._known.clear()
            self._query("DELETE FROM entries WHERE kind = ?", (kind,))

    def keep(self, kind: str, key: str) -> None:
        """Count an entry as used by this build without reading it (:meth:`prune` keeps it)."""
        self.used.setdefault(kind, set()).add(key)

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store an entry (best effort: a cache that cannot be written only costs time).

        It is written with the next batch (:meth:`flush`); until then :meth:`get` finds it here.
        """
        if not self.enabled:
            return
        self.used.setdefault(kind, set()).add(key)
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return
        data = self._mac(kind, key, payload) + payload
        self._own_pending()
        self._pending_bytes += len(data) - len(self._pending.get((kind, key), b""))
        self._pending[(kind, key)] = data
        if self._pending_bytes > self.batch_bytes:
            self.flush()

    def _own_pending(self) -> None:
        """Forget entries pending in the process this one was forked from: they are that one's to write."""
        if self._pending_pid != os.getpid():
            self._pending, self._pending_bytes, self._pending_pid = {}, 0, os.getpid()

    def flush(self) -> None:
        """Write the entries put since the last batch, in one transaction (best effort)."""
        self._own_pending()
        if not self._pending:
            return
        rows = [(kind, key, data) for (kind, key), data in self._pending.items()]
        self._pending.clear()
        self._pending_bytes = 0
        self._known.clear()
        db = self._connection() if self.enabled else None
        if db is None:
            return
        try:
            with db:  # one transaction: BEGIN … COMMIT, or ROLLBACK on an error
                db.execute("BEGIN")
                db.executemany("INSERT OR REPLACE INTO entries (kind, key, value) VALUES (?, ?, ?)", rows)
        except sqlite3.Error:
            self._discard()

    def used_keys(self) -> dict[str, set[str]]:
        """The entries used or made so far, by kind: what a worker process sends back
        (:mod:`curate.parallel`), before it writes those it made (:meth:`flush`)."""
        return self.used

    def merge_used(self, used: dict[str, set[str]]) -> None:
        """Count entries another process used or wrote as used by this build."""
        for kind, keys in used.items():
            self.used.setdefault(kind, set()).update(keys)

    def keys(self, kind: str) -> list[str]:
        """The keys of the entries of a kind on disk and pending, sorted."""
        if not self.enabled:
            return []  # and no database made for nothing
        on_disk = {row[0] for row in self._query("SELECT key FROM entries WHERE kind = ?", (kind,))}
        return sorted(on_disk | {k for c, k in self._pending if c == kind})

    def prune(self) -> None:
        """Write what is pending, then remove the entries of each kind used so far that this build did not use."""
        self.flush()
        self._known.clear()  # the next build (of the live preview's lasting store) reads afresh
        if not self.enabled or not self.used:
            return
        stale = [(kind, key) for kind, keep in self.used.items() for key in self.keys(kind) if key not in keep]
        db = self._connection()
        if db is None or not stale:
            return
        try:
            with db:
                db.execute("BEGIN")
                db.executemany("DELETE FROM entries WHERE kind = ? AND key = ?", stale)
        except sqlite3.Error:
            self._discard()



def worker_hooks(store: Store | None) -> dict[str, Any]:
    """The ``gather``, ``merge`` and ``after`` of :func:`curate.parallel.map_jobs` for work that uses
    ``store``: a worker sends back the entries it used and made, and writes those it made once its
    results are sent. None without a store."""
    if store is None:
        return {}
    return {"gather": store.used_keys, "merge": store.merge_used, "after": store.flush}


def fingerprint(root: Path, owned: set[str], digests: dict[str, bytes] | None = None) -> str:
    """SHA-256 over curate's code, ``content_sources/`` and hand-written ``docs/`` pages.

    Args:
        root: Project folder.
        owned: ``docs/``-relative paths of generated pages (left out).
        digests: Filled with project-relative path → SHA-256 of the bytes of each regular
            file (not a link) under ``content_sources/``, for the loader
            (:func:`curate.project.load_project`).

    Returns:
        Hex digest; paths are walked in sorted order, so it is deterministic.
    """
    h = hashlib.sha256(_code_hash())
    for top, skip_owned in (("content_sources", False), ("docs", True)):
        base = os.fspath(root / top)
        # Strings, not Paths, and one lstat per file: this runs on every build, over thousands of files.
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            folder = os.path.relpath(dirpath, base).replace(os.sep, "/")
            prefix = "" if folder == "." else folder + "/"
            for name in sorted(filenames):
                rel = prefix + name
                if skip_owned and (rel in owned or name.startswith(".") or not name.endswith(".md")):
                    continue
                h.update(f"{top}/{rel}\0".encode())
                path = os.path.join(dirpath, name)
                try:
                    link = stat.S_ISLNK(os.lstat(path).st_mode)
                except OSError:
                    link = False
                if link:
                    h.update(os.readlink(path).encode() + b"\0")
                    try:
                        outside = not Path(path).resolve().is_relative_to(root.resolve())
                    except (RuntimeError, OSError):  # a symbolic link loop; the loader reports it
                        outside = True
                    if outside:
                        continue
                try:
                    with open(path, "rb") as f:
                        digest = hashlib.sha256(f.read()).digest()
                except OSError:
                    h.update(b"unreadable")
                    continue
                h.update(digest)
                if digests is not None and not link and not skip_owned:
                    digests[f"{top}/{rel}"] = digest
    return h.hexdigest()


def load(root: Path) -> dict | None:
    """The recorded state, or ``None`` when there is none or it is unreadable."""
    try:
        data = json.loads((root / CACHE_DIR / CACHE_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def save(root: Path, print_: dict, warnings: list[str], pages: dict[str, tuple[str, str]] | None = None) -> None:
    """Record a successful build's fingerprint, warnings and pages (best effort).

    Args:
        root: Project folder.
        print_: The fingerprint (:func:`fingerprint` of the inputs, hash of the manifest).
        warnings: The build's warnings, which a build with nothing to do repeats.
        pages: Page path → ``(final key, SHA-256 of the bytes written)`` of each page
            made from a cached draft (:attr:`curate.build.BuildPlan.final_keys`).
    """
    folder = root / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("*\n", encoding="utf-8")
        tmp = folder / (CACHE_FILE + ".tmp")
        data = {"fingerprint": print_, "warnings": warnings,
                "pages": {p: list(v) for p, v in sorted((pages or {}).items())}}
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(tmp, folder / CACHE_FILE)
    except OSError:
        pass  # a cache that cannot be written only costs time


def pages(state: dict | None) -> dict[str, tuple[str, str]]:
    """The pages of the recorded state (see :func:`save`): path → ``(final key, SHA-256)``.

    A page's final key is a digest of everything it is made from, curate's code included, so
    a recorded hash is that of the bytes the same key gives today. Anything malformed is left out.
    """
    recorded = state.get("pages") if isinstance(state, dict) else None
    if not isinstance(recorded, dict):
        return {}
    return {p: (v[0], v[1]) for p, v in recorded.items()
            if isinstance(p, str) and isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v)}
