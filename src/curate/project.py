"""Loading and validating ``content_sources/``: the first stage of a build.

Layout (every path relative to the project root)::

    content_sources/curation.yml          site settings and pages  (schema.CurationFile)
    content_sources/glossary.yml          glossary terms           (schema.GlossaryFile)
    content_sources/pages/<id>.md         editors' intro for each page
    content_sources/articles/<name>.txt   source snapshots, byte for byte as delivered
    content_sources/articles/<name>.md    (Markdown sources may hold metadata as front matter)
    content_sources/articles/<name>.meta.yml   metadata beside a snapshot (schema.SourceMeta)

Every file is checked before any work, and every problem is reported at once
(:class:`~curate.errors.ContentError`), each with file, line and key.

Each problem is reported once, at its root: a check that depends on a value
that was refused (or on a file that could not be read) is skipped rather than
reported again as a follow-on. A broken ``glossary.yml`` does not make every
term of ``curation.yml`` unknown; a page whose id was refused does not make
every reference to it unknown; a source whose metadata is unreadable is not
loaded at all.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from . import citations, markdown_tokens
from .cache import Store, salt, worker_hooks
from .encoding import DecodeError, decode
from .errors import ContentError, Problem, did_you_mean
from .markup_check import unsafe_markup
from .model import (
    GlossaryTerm,
    PageSpec,
    Project,
    Section,
    SectionRef,
    SiteSpec,
    Source,
    SourceMeta,
)
from .pages import reserved_ids
from .readers import Reader, reader_for, source_suffixes
from .schema import CONTENT_DIR, PAGES_DIR, CurationFile, GlossaryFile, number_ranges, paragraph_anchor
from .slugs import file_slug, name_key, slugify
from .yamlio import Validated, compose, validate

ARTICLES_DIR = "content_sources/articles"
CURATION = "content_sources/curation.yml"
GLOSSARY = "content_sources/glossary.yml"
META_SUFFIX = ".meta.yml"
# Page ids that would clash with a page a builder writes (index, glossary, tags, sources), or with
# what MkDocs and Material put in site/ (404.html, search/, assets/).
RESERVED_IDS = frozenset(reserved_ids() | {"404", "search", "assets"})
# docs/sources/index.md lists the sources: no source may be called "index".
RESERVED_SOURCE_IDS = {"index"}
# A source this large is probably not one article (a whole saved site, a binary file).
MAX_SOURCE_BYTES = 2_000_000

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class _Reader:
    """File access confined to the project; every problem is collected.

    Attributes:
        failed: Ids of sources whose own error is reported: references to
            them need no second one.
        sources_known: Whether the articles folder could be listed (else
            every source id would look unknown).
    """

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.left_out: dict[str, list[tuple[str, int]]] = {}
        self.failed: set[str] = set()
        self.store: Store | None = None
        self.source_keys: dict[str, str] = {}
        self.sources_known = True
        self._folders: dict[Path, Path] = {}
        # SHA-256 of files under content_sources/ as the build's fingerprint read them (regular files
        # only): cache keys of files that are cache hits need no second read (see load_project).
        self.digests: dict[str, bytes] = {}
        self.jobs = 1

    def sub(self) -> _Reader:
        """A reader of the same project, cache and digests with nothing reported yet (for one job)."""
        one = _Reader.__new__(_Reader)
        one.__dict__.update(self.__dict__)
        one.problems, one.warnings, one.left_out, one.failed, one.source_keys = [], [], {}, set(), {}
        return one

    def report(self) -> _Reader:
        """What this reader found, without the project it reads (what a job sends back)."""
        out = _Reader.__new__(_Reader)
        out.__dict__.update(problems=self.problems, warnings=self.warnings, left_out=self.left_out,
                            failed=self.failed, source_keys=self.source_keys)
        return out

    def absorb(self, report: _Reader) -> None:
        """Take in what a job's reader found (:meth:`report`)."""
        self.problems += report.problems
        self.warnings += report.warnings
        self.left_out.update(report.left_out)
        self.failed |= report.failed
        self.source_keys.update(report.source_keys)

    def resolve(self, path: Path) -> Path:
        """``path.resolve()``, resolving each folder once: most files of a project are not links,
        and resolving thousands of paths one by one costs more than reading them."""
        if path.name not in ("", ".", ".."):
            folder = path.parent
            real = self._folders.get(folder)
            if real is None:
                real = self._folders[folder] = folder.resolve()  # raises as path.resolve() would
            try:
                if not stat.S_ISLNK(os.lstat(path).st_mode):
                    return real / path.name
            except OSError:
                pass  # missing or unreadable: resolved the slow way, which knows what to do
        return path.resolve()

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_absolute() else path.as_posix()

    def exists(self, rel: str) -> bool:
        """Whether anything is at ``rel``, a broken or looping symbolic link included."""
        path = self.root / rel
        return path.exists() or path.is_symlink()

    def inside(self, rel: str) -> Path | None:
        """Resolve ``rel`` under the project; ``None`` (and a problem) if it escapes or loops."""
        path = (self.root / rel)
        try:
            self.resolve(path).relative_to(self.root)
        except (RuntimeError, OSError):  # a symbolic link loop (RuntimeError before Python 3.13)
            loop = self._loop(path)
            name = "it" if loop == path else self.rel(loop)
            self.problems.append(Problem(rel, 0, "", f"{name} is a symbolic link that leads back to itself (a loop)",
                                         "replace the link with the file or folder it should point to, or "
                                         "remove it"))
            return None
        except ValueError:
            link = next((p for p in [path, *path.parents] if p.is_symlink()), None)
            if link is not None:
                message = (f"{'it' if link == path else link.relative_to(self.root).as_posix()} is a symbolic link "
                           f"to {os.readlink(link)}, outside the project; curate reads nothing outside it")
            else:
                message = "path leads outside the project; curate reads nothing outside it"
            self.problems.append(Problem(rel, 0, "", message,
                                         "copy the file into content_sources/ instead of linking to it"))
            return None
        return path

    def _loop(self, path: Path) -> Path:
        """The first symbolic link on the way from the project to ``path`` that cannot be resolved."""
        for part in reversed([path, *path.parents]):
            if part != self.root and self.root in part.parents and part.is_symlink():
                try:
                    part.resolve(strict=False)
                except (RuntimeError, OSError):
                    return part
        return path

    def read_bytes(self, rel: str) -> bytes | None:
        path = self.inside(rel)
        if path is None:
            return None
        try:
            return path.read_bytes()
        except OSError as exc:
            self.problems.append(Problem(rel, 0, "", f"cannot read file: {exc.strerror}"))
            return None

    def read_text(self, rel: str, declared: str = "", repair: bool = False) -> str | None:
        """Decoded text of a file, or ``None`` (and a problem); ``repair`` mojibake in articles only."""
        data = self.read_bytes(rel)
        if data is None:
            return None
        try:
            decoded = decode(data, declared, repair)
        except DecodeError as exc:
            self.problems.append(Problem(rel, exc.line, "", exc.reason, exc.hint))
            return None
        for note in decoded.notes:
            self.warnings.append(Problem(rel, note.line, "", note.message, note.hint))
        return decoded.text

    def read_source_text(self, rel: str, reader: Reader, declared: str = "") -> str | None:
        """A source snapshot decoded by its reader, or ``None`` (and a problem)."""
        data = self.read_bytes(rel)
        if data is None:
            return None
        try:
            decoded = reader.load(data, declared)
        except DecodeError as exc:
            self.problems.append(Problem(rel, exc.line, "", exc.reason, exc.hint))
            return None
        for note in decoded.notes:
            self.warnings.append(Problem(rel, note.line, "", note.message, note.hint))
        return decoded.text

    def yaml(self, rel: str, model: type[M], required: bool = True,
             context: dict[str, Any] | None = None) -> Validated[M] | None:
        """A YAML file checked against its model, or ``None`` when it is missing or cannot be read at all.

        A file that cannot be read, decoded or parsed (or holds an anchor or
        alias) gets its problem and ``None``: nothing in it can be trusted.
        Otherwise the result holds every value that passed (see
        :class:`~curate.yamlio.Validated`).
        """
        if not self.exists(rel):
            if required:
                self.problems.append(Problem(rel, 0, "", "file is missing"))
            return None
        data = self.read_bytes(rel)
        if data is None:
            return None
        if self.store is None:
            return self._yaml(rel, model, context)
        # A large curation file takes a few hundred milliseconds to check; keep the result by its bytes.
        key = _yaml_key(rel, model, context, hashlib.sha256(data).digest())
        return self.cached("yaml", key, lambda: self._yaml(rel, model, context))

    def replay(self, kind: str, key: str) -> tuple[Any] | None:
        """A cache hit as ``(value,)``, its problems and warnings reported again; ``None`` on a miss."""
        hit = self.store.get(kind, key, tuple) if self.store is not None else None
        if hit is None or len(hit) != 3:
            return None
        value, problems, warnings = hit
        self.problems += problems
        self.warnings += warnings
        return (value,)

    def cached(self, kind: str, key: str, compute: Callable[[], T], keep: Callable[[T], bool] = lambda _: True) -> T:
        """``compute()`` through the cache: on a hit, its result, with the problems and warnings it reported.

        Args:
            kind: Cache folder (``sources``, ``yaml``, ``intros``).
            key: Digest of everything ``compute`` reads (its bytes, curate's code: :func:`salt`).
            compute: Does the work, reporting into :attr:`problems` and :attr:`warnings`.
            keep: Whether a result may be kept (a source that failed to load is not).
        """
        hit = self.replay(kind, key)
        if hit is not None:
            return hit[0]
        n_problems, n_warnings = len(self.problems), len(self.warnings)
        value = compute()
        if self.store is not None and keep(value):
            self.store.put(kind, key, (value, self.problems[n_problems:], self.warnings[n_warnings:]))
        return value

    def _yaml(self, rel: str, model: type[M], context: dict[str, Any] | None) -> Validated[M] | None:
        text = self.read_text(rel)
        if text is None:
            return None
        mark = len(self.problems)
        doc = compose(text, rel, self.problems)
        if doc is None:
            if len(self.problems) == mark:
                self.problems.append(Problem(rel, 0, "", "file is empty"))
            return None
        return validate(model, doc, self.problems, context)


def _yaml_key(rel: str, model: type[BaseModel], context: dict[str, Any] | None, digest: bytes) -> str:
    """The cache key of a checked YAML file: curate's code, its path, model, context and the
    SHA-256 of its bytes."""
    # Sets in the context are written sorted: their repr's order changes from run to run.
    ctx = sorted((k, sorted(v) if isinstance(v, (set, frozenset)) else v) for k, v in (context or {}).items())
    return hashlib.sha256(f"{salt()}\0{rel}\0{model.__qualname__}\0{ctx!r}\0".encode() + digest).hexdigest()


def load_project(root: os.PathLike | str, store: Store | None = None,
                 digests: dict[str, bytes] | None = None, jobs: int = 1) -> Project:
    """Load, clean and validate everything under ``content_sources/``.

    Args:
        root: The project folder (holding ``content_sources/`` and ``docs/``).
        store: Cache of cleaned sources by the digest of their bytes (see
            :mod:`curate.cache`); none means every source is read and cleaned.
        digests: Project-relative path → SHA-256 of the bytes of each regular file
            under ``content_sources/``, as the build's fingerprint just read them
            (:func:`curate.cache.fingerprint`): a source or intro found in the cache
            under them is not read again. What is not found is read, and keyed, anew.
        jobs: Processes to clean sources in (:func:`curate.parallel.map_jobs`).

    Returns:
        The loaded project; ``project.warnings`` holds non-fatal problems.

    Raises:
        ContentError: Any file is missing, unreadable or invalid; lists every
            problem found, each once (see the module docstring).
    """
    r = _Reader(Path(root))
    r.store = store
    r.digests = dict(digests or {})
    r.jobs = jobs
    curation = r.yaml(CURATION, CurationFile, context={"reserved_ids": RESERVED_IDS})
    glossary_file = r.yaml(GLOSSARY, GlossaryFile, required=False)
    # Term names are known when the glossary is absent (there are none) or every term was read.
    names_known = (glossary_file is None and not r.exists(GLOSSARY)) or (
        glossary_file is not None and glossary_file.ok("terms")
        and all(glossary_file.ok("terms", i, "term") for i in range(len(glossary_file.value.terms))))
    sources = _load_sources(r)
    by_id = {s.id: s for s in sources}
    site = curation.value.site if curation is not None else SiteSpec(title="", description="")
    entries = _pages(r, curation, by_id) if curation is not None else []
    pages = [page for _, page in entries]
    # Page ids are known when every entry's id was read (a refused one might be the id referred to).
    ids_known = curation is not None and curation.ok("pages") and all(
        curation.ok("pages", i, "id") for i in range(len(curation.value.pages)))
    intros = _intros(r, curation, site, entries) if curation is not None else {}
    glossary = _glossary(r, glossary_file, pages) if glossary_file is not None else []
    for rel, text in intros.items() if r.sources_known else ():
        r.problems += citations.check(rel, text, by_id, r.failed)
    if curation is not None:
        _check_page_refs(r, curation, entries, [t.term for t in glossary] if names_known else None, ids_known)
    if r.problems:
        raise ContentError(r.problems)
    return Project(str(r.root), site, pages, sorted(sources, key=lambda s: s.id), glossary, intros,
                   handwritten=[], warnings=sorted(set(r.warnings)), source_keys=dict(r.source_keys))


def _intros(r: _Reader, curation: Validated[CurationFile], site: SiteSpec,
            entries: list[tuple[int, PageSpec]]) -> dict[str, str]:
    """Editor Markdown by project-relative path: the home page's intro and each page's."""
    wanted: list[str] = []
    if curation.ok("site", "intro"):
        wanted.append(site.intro_rel)
    wanted += [page.intro_rel for i, page in entries if curation.ok("pages", i, "intro")]
    pages_dir = (r.root / CONTENT_DIR / PAGES_DIR).resolve()
    titles_of: dict[str, list[str]] = {}
    for i, p in entries:
        if curation.ok("pages", i, "title"):
            titles_of.setdefault(p.intro_rel, []).append(p.title)
    intros: dict[str, str] = {}
    todo: list[tuple[str, list[str], bool]] = []  # (path, titles, home) of each intro not in the cache
    for rel in dict.fromkeys(wanted):
        path = r.inside(rel)
        if path is None:
            continue
        if r.exists(rel) and not r.resolve(path).is_relative_to(pages_dir):
            # A link inside the project, but to a source article or another file: not an intro.
            link = next(p for p in [path, *path.parents] if p.is_symlink())
            r.problems.append(Problem(rel, 0, "", f"{'it' if link == path else r.rel(link)} is a symbolic link to "
                                      f"{os.readlink(link)}, outside {CONTENT_DIR}/{PAGES_DIR}/; an intro is an "
                                      "editor's own page there", f"copy the text into {rel} instead of linking to it"))
            continue
        if not path.is_file():
            near = did_you_mean(Path(rel).name, sorted(f.name for f in path.parent.glob("*.md")))
            r.problems.append(Problem(rel, 0, "", "intro file is missing",
                                      "create it with a paragraph in your own words"
                                      + (f"; or, if the page id is misspelled in content_sources/curation.yml, "
                                         f"{near}" if near else "")))
            continue
        titles = [site.title] if rel == site.intro_rel and curation.ok("site", "title") else []
        titles += titles_of.get(rel, [])
        hit = _intro_hit(r, rel, titles, home=rel == site.intro_rel)
        if hit is not None:
            if hit[0] is not None:
                intros[rel] = hit[0]
        else:
            todo.append((rel, titles, rel == site.intro_rel))
            intros[rel] = ""  # a place in the order: filled in below, or removed
    for (rel, _, _), text in zip(todo, _in_jobs(r, _intro_cached, todo), strict=True):
        if text is not None:
            intros[rel] = text
        else:
            del intros[rel]
    return intros


def _intro_key(rel: str, titles: list[str], home: bool, digest: bytes) -> str:
    return hashlib.sha256(f"{salt()}\0{rel}\0{titles!r}\0{home}\0".encode() + digest).hexdigest()


def _intro_hit(r: _Reader, rel: str, titles: list[str], home: bool) -> tuple[str | None] | None:
    """An intro as it was last checked, from the cache (by its bytes and titles), its notes and warnings
    reported again; ``None`` on a miss."""
    known = r.digests.get(rel)
    return r.replay("intros", _intro_key(rel, titles, home, known)) if r.store is not None and known else None


def _intro_cached(r: _Reader, rel: str, titles: list[str], home: bool) -> str | None:
    """An intro's text, its decoding notes and heading warnings, checked now and put into the cache."""
    if r.store is None:
        return _intro(r, rel, titles, home)
    data = r.read_bytes(rel)  # keyed by the bytes read now, as the intro is made from them
    if data is None:
        return None
    return r.cached("intros", _intro_key(rel, titles, home, hashlib.sha256(data).digest()),
                    lambda: _intro(r, rel, titles, home))


def _in_jobs(r: _Reader, load: Callable[..., T], todo: Sequence[tuple]) -> list[T]:
    """``load(reader, *item)`` for each item, shared out over :attr:`_Reader.jobs` processes
    (:func:`curate.parallel.map_jobs`), each with a reader of its own whose problems and
    warnings are taken in here, in order."""
    from . import parallel

    def job(item: tuple) -> tuple[T, _Reader]:
        one = r.sub()
        return load(one, *item), one.report()

    done = parallel.map_jobs(job, todo, r.jobs, **worker_hooks(r.store))
    for _, report in done:
        r.absorb(report)
    return [value for value, _ in done]


# Headings curate adds to the pages an intro appears on (see curate.pages).
EXPLAINER_HEADINGS = ("From the reporting", "In their own words", "Related pages", "Pages that link here", "References")
HOME_HEADINGS = ("Pages", "Knowledge map", "Sources", "Pages that link here")


def _intro(r: _Reader, rel: str, titles: list[str], home: bool) -> str | None:
    text = r.read_text(rel)
    if text is not None:
        _intro_headings(r, rel, text, titles, home=home)
        for line, what in unsafe_markup(text):
            r.problems.append(Problem(rel, line, "", f"the intro holds {what}, which would run in a reader's browser; "
                                      "curate publishes no script, event handler or script address",
                                      "remove it; to show such markup as text, put it in a code span (`…`)"))
    return text


def _intro_headings(r: _Reader, rel: str, text: str, titles: list[str], home: bool = False) -> None:
    """Warn when an intro's headings would share an anchor (MkDocs would number one ``_1``).

    Headings and their anchors are read as MkDocs' ``toc`` reads them
    (:func:`curate.markdown_tokens.headings`): a heading with a link or code in it
    is slugged from its text, and an ``{ #id }`` of its own is never numbered.
    """
    taken = {slugify(t): f"the page title '{t}'" for t in titles}
    added = HOME_HEADINGS if home else EXPLAINER_HEADINGS
    taken.update({slugify(h): f"the heading '{h}' curate adds" for h in added})
    found = markdown_tokens.headings(text)
    for h in found:
        if h.explicit:
            taken.setdefault(h.id, f"the id of the heading on line {h.line}")
    for h in found:
        if h.explicit:
            continue
        slug = slugify(h.text)
        if slug in taken:
            r.warnings.append(Problem(rel, h.line, "", f"heading '{h.source}' gets the same anchor (#{slug}) as "
                                      f"{taken[slug]}; MkDocs would give one of them a numbered id",
                                      "reword the heading, or give it its own id: ## Heading { #my-id }"))
        else:
            taken[slug] = f"the heading on line {h.line}"


def _load_sources(r: _Reader) -> list[Source]:
    folder = r.root / ARTICLES_DIR
    if folder.is_symlink() and r.inside(ARTICLES_DIR) is None:
        r.sources_known = False
        return []
    if not folder.is_dir():
        r.problems.append(Problem(ARTICLES_DIR, 0, "", "folder is missing", "put source articles in it"))
        r.sources_known = False
        return []
    sources: list[Source] = []
    todo: list[tuple[str, str, str, Reader]] = []  # (rel, id, stem, reader) of each source not in the cache
    ids: dict[str, str] = {}
    for path in sorted(folder.iterdir(), key=lambda p: p.name):  # as Paths sort, without their slow comparison
        name = path.name
        if name.startswith(".") or name.endswith(META_SUFFIX):
            continue
        rel = f"{ARTICLES_DIR}/{name}"
        reader = reader_for(name)
        stem = name.rsplit(".", 1)[0]
        sid = file_slug(stem)
        if reader is not None and path.is_symlink() and r.inside(rel) is None:
            r.failed.add(sid)  # a loop, or a link out of the project: reported; pages naming it need no second error
            continue
        if reader is None or not path.is_file():
            what = "a folder" if path.is_dir() else "not a source article (" + ", ".join(source_suffixes()) + ")"
            r.warnings.append(Problem(rel, 0, "", f"{what}; ignored"))
            continue
        if not sid:
            r.problems.append(Problem(rel, 0, "", "the file name gives an empty id",
                                      "rename the file with Latin letters or digits, such as llama-article.txt"))
            continue
        if sid in ids:
            r.problems.append(Problem(rel, 0, "", f"gives the same source id '{sid}' as {ids[sid]}",
                                      "rename one of the two files"))
            continue
        if sid in RESERVED_SOURCE_IDS:
            r.problems.append(Problem(rel, 0, "", f"the source id '{sid}' is reserved (docs/sources/{sid}.md is "
                                      "the list of sources)", f"rename the file, such as {sid}-article{path.suffix}"))
            r.failed.add(sid)
            continue
        ids[sid] = rel
        found = _source_hit(r, rel, sid, stem, reader)
        if found is not None:
            sources.append(found)
        else:
            todo.append((rel, sid, stem, reader))
    # Reading and cleaning are most of a clean build's loading: shared out over processes.
    for (_, sid, _, _), source in zip(todo, _in_jobs(r, _source_fresh, todo), strict=True):
        if source is not None:
            sources.append(source)
        else:
            r.failed.add(sid)  # its error is reported; pages naming it need no second one
    for path in sorted(folder.glob("*" + META_SUFFIX)):
        stem = path.name[: -len(META_SUFFIX)]
        if not any(r.exists(f"{ARTICLES_DIR}/{stem}{s}") for s in source_suffixes()):
            r.problems.append(Problem(r.rel(path), 0, "", "metadata without a source file beside it",
                                      f"add {stem}.txt or rename the metadata file"))
    return sources


def _front_matter(r: _Reader, rel: str, reader: Reader, text: str) -> tuple[Validated[SourceMeta] | None, bool,
                                                                           str, int]:
    """``(metadata or None, whether it was refused as a whole, body, body_first_line)`` of a source's text.

    The reader decides what metadata the format carries (front matter in
    ``.md`` and ``.txt`` sources alike); front matter opened but never closed
    is an error.
    """
    fm = reader.split_metadata(text)
    if fm.unclosed:
        r.problems.append(Problem(rel, 1, "", "front matter opened with '---' on line 1 is never closed",
                                  "end the metadata with a line holding only '---'"))
        return None, True, "", fm.body_first_line
    if not fm.yaml:
        return None, False, fm.body, fm.body_first_line
    # Front matter starts on line 2 of the file, after its '---' line.
    doc = compose(fm.yaml, rel, r.problems, first_line=2)
    if doc is None:
        return None, True, fm.body, fm.body_first_line
    return validate(SourceMeta, doc, r.problems), False, fm.body, fm.body_first_line


# A cached source is kept in two entries under one key: its facts (id, metadata, title, section ids and
# headings: what loading, the index and the lists of pages need) and its text (the snapshot and every
# passage: what only a page drafted anew needs). A build that finds its drafts in the cache reads no text.
SOURCE_TEXT = "source-text"


def _source_key(r: _Reader, rel: str, stem: str, fresh: bool = False) -> tuple[str, bytes | None] | None:
    """Digest of curate's code and the SHA-256 of a source's snapshot and metadata bytes, and the
    metadata's SHA-256 (``None`` without a metadata file); ``None`` when a file cannot be read.

    ``fresh`` reads the files now rather than taking the fingerprint's digests (see
    :func:`load_project`): a source that is cleaned anew is keyed by the bytes it is made from.
    """
    h = hashlib.sha256(salt().encode() + b"\0" + rel.encode() + b"\0")
    digest: bytes | None = None
    for part in (rel, f"{ARTICLES_DIR}/{stem}{META_SUFFIX}"):
        digest = None if fresh else r.digests.get(part)
        if digest is None:
            path = r.root / part
            if path.is_file() and _within(r, path):
                try:
                    digest = hashlib.sha256(path.read_bytes()).digest()
                except OSError:
                    return None
        h.update(b"0" if digest is None else b"1" + digest)
    return h.hexdigest(), digest


def _within(r: _Reader, path: Path) -> bool:
    """Whether a file is no link, or a link that stays in the project (never read through one that leaves)."""
    if not path.is_symlink():
        return True
    try:
        return path.resolve().is_relative_to(r.root)
    except (RuntimeError, OSError):
        return False


def _source_hit(r: _Reader, rel: str, sid: str, stem: str, reader: Reader) -> Source | None:
    """A source whose snapshot and metadata bytes are as when it was last cleaned, from the
    source cache, with the problems and warnings it gave; ``None`` on a miss (nothing reported).

    What comes from the cache is a :class:`_CachedSource`: its text and passages are read from
    the cache only when a page drafted anew asks for them.
    """
    store = r.store
    keys = _source_key(r, rel, stem) if store is not None else None
    if store is None or keys is None:
        return None
    key, meta_digest = keys
    hit = store.get("sources", key, tuple) if store.has(SOURCE_TEXT, key) else None
    if hit is None or len(hit) != 3 or not isinstance(hit[0], tuple) or len(hit[0]) != 2:
        return None
    (facts, left_out), problems, warnings = hit
    r.problems += problems
    r.warnings += warnings
    store.keep(SOURCE_TEXT, key)
    if meta_digest is not None:
        # The checked metadata stays cached too: when only the article's text changes, its
        # metadata is not checked again (the first check of a build pays for the schema).
        store.keep("yaml", _yaml_key(f"{ARTICLES_DIR}/{stem}{META_SUFFIX}", SourceMeta, None, meta_digest))
    r.left_out[sid] = left_out
    r.source_keys[sid] = key
    return _CachedSource(facts, _TextLoader(store, key, r.root, reader, rel, sid, stem))


def _source_fresh(r: _Reader, rel: str, sid: str, stem: str, reader: Reader) -> Source | None:
    """:func:`_load_source`, and the result put into the source cache, keyed by the bytes it was made from."""
    store = r.store
    keys = _source_key(r, rel, stem, fresh=bool(r.digests)) if store is not None else None
    n_problems, n_warnings = len(r.problems), len(r.warnings)
    source = _load_source(r, reader, rel, sid, stem)
    if store is None or keys is None:  # no cache, or a file that cannot be read (the loader reports it)
        return source
    left_out = r.left_out.setdefault(sid, [])
    if source is not None:
        store.put(SOURCE_TEXT, keys[0], _source_text(source))  # first: facts never outlive their text
        store.put("sources", keys[0], ((_source_facts(source), left_out), r.problems[n_problems:],
                                       r.warnings[n_warnings:]))
        r.source_keys[sid] = keys[0]
    return source


def _source_facts(source: Source) -> tuple:
    return (source.id, source.path_rel, source.meta, source.title, [(s.id, s.heading, s.line) for s in source.sections])


def _source_text(source: Source) -> tuple:
    return (source.text, source.dropped, [s.passages for s in source.sections])


class _TextLoader:
    """Reads a cached source's text and passages from the cache; failing that (the entry was deleted
    or damaged during the build), loads and cleans the source again."""

    def __init__(self, store: Store, key: str, root: Path, reader: Reader, rel: str, sid: str, stem: str):
        self.store, self.key, self.root = store, key, root
        self.reader, self.rel, self.sid, self.stem = reader, rel, sid, stem

    def __call__(self, sections: int) -> tuple:
        hit = self.store.get(SOURCE_TEXT, self.key, tuple)
        if hit is not None and len(hit) == 3 and len(hit[2]) == sections:
            return hit
        fresh = _Reader(self.root)
        source = _load_source(fresh, self.reader, self.rel, self.sid, self.stem)
        keys = _source_key(fresh, self.rel, self.stem, fresh=True)
        if source is None or keys is None or keys[0] != self.key or len(source.sections) != sections:
            raise ContentError([Problem(self.rel, 0, "", "the file changed while curate was building",
                                        "run the build again")])
        return _source_text(source)


class _CachedSection(Section):
    """A section of a :class:`_CachedSource`: its passages are read when first asked for."""

    def __init__(self, owner: _CachedSource, section_id: str, heading: str, line: int):
        self.id, self.heading, self.line = section_id, heading, line
        self._owner = owner

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes the instance does not have: the passages, until they are read.
        if name == "passages" and "_owner" in self.__dict__:
            self._owner.read_text()
            return self.__dict__["passages"]
        raise AttributeError(name)

    def __reduce__(self) -> tuple:
        return (Section, (self.id, self.heading, self.line, self.passages))  # pickled and copied as a plain one


class _CachedSource(Source):
    """A source from the cache: its facts at once, its text and passages when first asked for.

    It behaves as the :class:`~curate.model.Source` it was cached from (every attribute is
    there when read); pickled or copied, it becomes one.
    """

    def __init__(self, facts: tuple, load_text: Callable[[int], tuple]):
        self.id, self.path_rel, self.meta, self.title, sections = facts
        self.sections = [_CachedSection(self, *s) for s in sections]
        self._load_text = load_text

    def read_text(self) -> None:
        """Read the text and passages now (once)."""
        if "text" in self.__dict__:
            return
        text, dropped, passages = self._load_text(len(self.sections))
        for section, section_passages in zip(self.sections, passages, strict=True):
            section.passages = section_passages
        self.text, self.dropped = text, dropped

    def __getattr__(self, name: str) -> Any:
        if name in ("text", "dropped") and "_load_text" in self.__dict__:
            self.read_text()
            return self.__dict__[name]
        raise AttributeError(name)

    def __reduce__(self) -> tuple:
        return (Source, (self.id, self.path_rel, self.text, self.meta, self.title,
                         [Section(s.id, s.heading, s.line, s.passages) for s in self.sections], self.dropped))


def _load_source(r: _Reader, reader: Reader, rel: str, sid: str, stem: str) -> Source | None:
    meta_rel = f"{ARTICLES_DIR}/{stem}{META_SUFFIX}"
    meta_doc: Validated[SourceMeta] | None = None
    if r.exists(meta_rel):
        meta_doc = r.yaml(meta_rel, SourceMeta)
        # Without readable metadata (or its encoding) the text cannot be decoded or checked with confidence.
        if meta_doc is None or not meta_doc.ok("encoding"):
            return None
        meta = meta_doc.value
    else:
        meta = SourceMeta()  # made only when needed: the first model made in a build pays for its schema
    text = r.read_source_text(rel, reader, meta.encoding)
    if text is None:
        return None
    size = (r.root / rel).stat().st_size
    if size > MAX_SOURCE_BYTES:
        r.warnings.append(Problem(rel, 0, "", f"source is {size / 1e6:.1f} MB (more than {MAX_SOURCE_BYTES / 1e6:.0f} "
                                  "MB): check it is one article, not a whole saved site",
                                  "split it, or keep only the article"))
    fm_doc, fm_refused, body, first = _front_matter(r, rel, reader, text)
    meta_file = meta_rel
    if meta_doc is None and (fm_doc is not None or fm_refused):
        meta_doc, meta_file = fm_doc, rel
        meta = fm_doc.value if fm_doc is not None else SourceMeta()

    def trusted(*loc: str | int) -> bool:
        """Whether a metadata value can be used: read, or left out (not refused)."""
        return not fm_refused if meta_doc is None else meta_doc.ok(*loc)

    corrections = [c for k, c in enumerate(meta.corrections) if meta_doc is None or meta_doc.clean("corrections", k)]
    default_title = stem.replace("-", " ").replace("_", " ").strip().capitalize()
    parsed = reader.parse(body, first, corrections, meta.title, default_title)
    for line, message in parsed.warnings:
        r.warnings.append(Problem(rel, line, "", message))
    r.left_out[sid] = parsed.left_out
    for k, c in enumerate(meta.corrections):
        if c in corrections and c.original not in text:
            line = meta_doc.line("corrections", k, "original") if meta_doc is not None else 0
            r.problems.append(Problem(meta_file, line, f"corrections[{k}].original",
                                      f"'{c.original}' does not occur in {rel}", "copy the text exactly as printed"))
    title = meta.title or parsed.title or default_title
    source = Source(sid, rel, parsed.plain_text or text, meta, title, parsed.sections, parsed.dropped)
    if not source.sections:
        if not text.strip():
            message = "the file is empty; it makes no page"
        elif not body.strip():
            message = "the file holds only front matter, no article text; it makes no page"
        else:
            message = "source has no text after cleaning; it makes no page"
        r.warnings.append(Problem(rel, 0, "", message, "check the file is the article you meant to add"))
    else:
        if all(not section.heading for section in source.sections):
            r.warnings.append(Problem(rel, 0, "", "source has no headings: all its text is one section, the lead",
                                      "if the article has sections, put each heading on a line of its own"))
    if source.sections and meta.published is None and trusted("published"):
        has_meta_file = meta_file == meta_rel and r.exists(meta_rel)
        r.warnings.append(Problem(meta_rel if has_meta_file else rel, 0, "published",
                                  "publication date unknown: relative dates ('last month') cannot be resolved",
                                  f"add 'published: YYYY-MM' to {meta_rel}" if has_meta_file else
                                  f"create {meta_rel} with 'title:' and 'published: YYYY-MM'"))
    return source


def _pages(r: _Reader, curation: Validated[CurationFile], sources: dict[str, Source]) -> list[tuple[int, PageSpec]]:
    """``(index in the file, page)`` of every page whose id was read, each id once; section refs resolved."""
    rel = CURATION
    entries: list[tuple[int, PageSpec]] = []
    seen: dict[str, int] = {}
    for i, page in enumerate(curation.value.pages):
        if not curation.ok("pages", i, "id"):
            continue
        page.line = curation.line("pages", i)
        if page.id in seen:
            r.problems.append(Problem(rel, curation.line("pages", i, "id"), f"pages[{i}].id",
                                      f"page id '{page.id}' is used twice (first on line {seen[page.id]})",
                                      "give each page its own id"))
            continue
        seen[page.id] = curation.line("pages", i, "id")
        refs: list[SectionRef] = []
        # (source, section) -> (paragraphs chosen, or None for all of them; line) of each entry
        chosen: dict[tuple[str, str], list[tuple[tuple[int, ...] | None, int]]] = {}
        for j, ref in enumerate(page.sections if curation.ok("pages", i, "sections") else []):
            key = f"pages[{i}].sections[{j}]"
            line = ref.line or curation.line("pages", i, "sections", j)
            source_id, section_id = ref.source, ref.section
            source = sources.get(source_id)
            if source is None:
                if source_id in r.failed or not r.sources_known:
                    continue
                r.problems.append(Problem(rel, line, key, f"no source with id '{source_id}'",
                                          did_you_mean(source_id, sorted(sources)) or
                                          "a source id is its file name without extension"))
                continue
            if not source.sections:
                r.warnings.append(Problem(rel, line, key, f"source '{source_id}' has no text, so page '{page.id}' "
                                          "gets nothing from it", f"see the warning on {source.path_rel}"))
                continue
            if not section_id:
                for s in source.sections:
                    _choose(r, page, SectionRef(source_id, s.id, line), source, key, chosen, refs)
                continue
            if source.section(section_id) is None and _paragraph_anchor(source, section_id) is not None:
                resolved = _one_paragraph(r, ref, source, line, key)
                if resolved is not None:
                    _choose(r, page, resolved, source, key, chosen, refs)
                continue
            anchor = paragraph_anchor(section_id)
            base_section = source.section(anchor[0]) if anchor is not None else None
            if source.section(section_id) is None and anchor is not None and base_section is not None:
                n = len(base_section.passages)
                r.problems.append(Problem(rel, line, key, f"section '{base_section.id}' of source '{source_id}' has "
                                          f"{n} paragraph{'s' if n != 1 else ''}; there is no paragraph {anchor[2]}",
                                          _paragraph_hint(source, base_section)))
                continue
            if source.section(section_id) is None:
                empty = next(((h, ln) for h, ln in r.left_out.get(source_id, []) if slugify(h) == section_id), None)
                if empty is not None:
                    r.problems.append(Problem(rel, line, key, f"section '{section_id}' of source '{source_id}' has "
                                              f"no text after cleaning ({source.path_rel}:{empty[1]})",
                                              "feed the page another section"))
                    continue
                ids = [s.id for s in source.sections]
                if anchor is not None:  # a paragraph's anchor whose section id is misspelt
                    ids = [p.anchor for s in source.sections for p in s.passages]
                r.problems.append(Problem(rel, line, key, f"source '{source_id}' has no section '{section_id}'",
                                          did_you_mean(section_id, ids) or
                                          "its sections are: " + ", ".join(s.id for s in source.sections)))
                continue
            resolved = _chosen_paragraphs(r, ref, source, line, key)
            if resolved is not None:
                _choose(r, page, resolved, source, key, chosen, refs)
        page.sections = refs
        entries.append((i, page))
    slugs: dict[str, str] = {}
    for i, page in entries:
        key = slugify(page.title) if curation.ok("pages", i, "title") else ""
        if key and key in slugs and slugs[key] != page.id:
            r.warnings.append(Problem(rel, page.line, "title",
                                      f"page '{page.id}' has a title that slugs like page '{slugs[key]}'s"))
        slugs.setdefault(key, page.id)
    return entries


def _choose(r: _Reader, page: PageSpec, ref: SectionRef, source: Source, key: str,
            chosen: dict[tuple[str, str], list[tuple[tuple[int, ...] | None, int]]], refs: list[SectionRef]) -> None:
    """Add ``ref`` to the page's ``refs`` unless it chooses a paragraph an earlier entry chose.

    The page would show such a paragraph twice (near-duplicates of two sources are merged by
    :mod:`curate.duplicates`; one paragraph chosen twice is an editor's slip). A whole section
    is compared as such: its paragraphs are counted only to name them in a problem, so a
    cached source's passages stay unread.
    """
    section = source.section(ref.section)
    assert section is not None  # the caller resolved it
    mine = ref.paragraphs or None
    taken = chosen.setdefault((source.id, section.id), [])
    for theirs, first in taken:
        if mine is None and theirs is None:
            again = list(range(1, len(section.passages) + 1))
        else:
            again = sorted(set(mine or theirs or ()) & set(theirs or mine or ()))
        if not again:
            continue
        many = len(again) > 1
        r.problems.append(Problem(CURATION, ref.line, key,
                                  f"paragraph{'s' if many else ''} {number_ranges(again)} of section '{section.id}' "
                                  f"of source '{source.id}' {'are' if many else 'is'} already chosen for page "
                                  f"'{page.id}' (line {first}), so the page would show {'them' if many else 'it'} "
                                  "twice",
                                  "choose each paragraph once: take it out of one of the two entries"))
        return
    taken.append((mine, ref.line))
    refs.append(ref)


def _paragraph_anchor(source: Source, anchor: str) -> tuple[Section, int] | None:
    """``(section, 1-based number)`` of the paragraph whose anchor is ``anchor`` (``what-is-llama--p2``)."""
    found = paragraph_anchor(anchor)
    section = source.section(found[0]) if found is not None else None
    if found is None or section is None or not 1 <= found[1] <= len(section.passages):
        return None
    return section, found[1]


def _paragraph_hint(source: Source, section: Section) -> str:
    n = len(section.passages)
    if n == 1:
        return (f"section '{section.id}' has 1 paragraph, number 1 (its anchor on docs/sources/{source.id}.md "
                f"is {section.passages[0].anchor})")
    return (f"section '{section.id}' has {n} paragraphs: number them 1 to {n} (their anchors on "
            f"docs/sources/{source.id}.md are {section.passages[0].anchor} … {section.passages[-1].anchor})")


def _one_paragraph(r: _Reader, ref: SectionRef, source: Source, line: int, key: str) -> SectionRef | None:
    """A ``source#section--pN`` reference: section ``section`` with paragraph N chosen."""
    found = _paragraph_anchor(source, ref.section)
    assert found is not None  # the caller found it
    section, number = found
    if ref.paragraphs or ref.skip:
        r.problems.append(Problem(CURATION, ref.numbers_line or line, key,
                                  f"'{ref.section}' names one paragraph already, so it cannot also choose "
                                  "'paragraphs' or 'skip'",
                                  f"name the section as {source.id}#{section.id} to choose its paragraphs"))
        return None
    return SectionRef(source.id, section.id, line, (number,))


def _chosen_paragraphs(r: _Reader, ref: SectionRef, source: Source, line: int, key: str) -> SectionRef | None:
    """The reference with its paragraph choice checked against the section and resolved into
    :attr:`SectionRef.paragraphs` (``skip`` turned into the paragraphs kept); ``None`` after a problem."""
    section = source.section(ref.section)
    assert section is not None  # the caller found it
    numbers = ref.paragraphs or ref.skip
    if not numbers:
        # The whole section: its paragraphs need not be counted, so a cached source's passages
        # stay unread until a page is drafted anew.
        return SectionRef(source.id, section.id, line)
    n = len(section.passages)
    beyond = [k for k in numbers if k > n]
    if beyond:
        what = "paragraph" if len(beyond) == 1 else "paragraphs"
        r.problems.append(Problem(CURATION, ref.numbers_line or line, key,
                                  f"section '{ref.section}' of source '{source.id}' has {n} paragraph"
                                  f"{'s' if n != 1 else ''}; there is no {what} {number_ranges(beyond)}",
                                  _paragraph_hint(source, section)))
        return None
    if not ref.skip:
        # Every paragraph chosen is the whole section: written the same way, it digests the same.
        kept = () if len(ref.paragraphs) == n else ref.paragraphs
        return SectionRef(source.id, section.id, line, kept)
    kept = tuple(k for k in range(1, n + 1) if k not in ref.skip)
    if not kept:
        r.problems.append(Problem(CURATION, ref.numbers_line or line, key,
                                  f"'skip' leaves out every paragraph of section '{ref.section}', so it feeds "
                                  "the page nothing",
                                  "remove the entry, or skip fewer paragraphs"))
        return None
    return SectionRef(source.id, section.id, line, kept if len(kept) < n else ())


def _glossary(r: _Reader, data: Validated[GlossaryFile], pages: list[PageSpec]) -> list[GlossaryTerm]:
    """Terms whose name was read, each once, sorted; ``page`` is the page whose key term it is.

    A term is the key term of the first page that lists it first under ``terms``
    (:attr:`PageSpec.key_term`; a second such page is refused by :func:`_check_page_refs`).
    """
    rel = GLOSSARY
    owners: dict[str, str] = {}
    for page in pages:
        if page.key_term:
            owners.setdefault(page.key_term, page.id)
    terms: list[GlossaryTerm] = []
    seen: dict[str, int] = {}
    for i, term in enumerate(data.value.terms):
        if not data.ok("terms", i, "term"):
            continue
        term.line = data.line("terms", i)
        key = term.term.casefold()
        if key in seen:
            r.problems.append(Problem(rel, data.line("terms", i, "term"), f"terms[{i}].term",
                                      f"term '{term.term}' is defined twice (first on line {seen[key]})"))
            continue
        seen[key] = data.line("terms", i, "term")
        term.page = owners.get(term.term, "")
        terms.append(term)
    # A name (term or alias, case, spaces and hyphens aside, as the linker compares them) names one
    # term: with two, a mention would link to whichever the linker tried first.
    names: dict[str, tuple[str, int]] = {}
    for i, term in enumerate(data.value.terms):
        if not data.ok("terms", i, "term"):
            continue
        aliases = term.aliases if data.ok("terms", i, "aliases") else []
        for j, name in [(-1, term.term), *enumerate(aliases)]:
            other = names.setdefault(name_key(name), (term.term, data.line("terms", i, "term")))
            if other[0].casefold() != term.term.casefold():
                loc = ("terms", i, "term") if j < 0 else ("terms", i, "aliases", j)
                r.problems.append(Problem(rel, data.line(*loc), f"terms[{i}].{'term' if j < 0 else f'aliases[{j}]'}",
                                          f"'{name}' is already a name of the term '{other[0]}' (line {other[1]}), "
                                          "so a mention of it could link to either",
                                          "give each name to one term: remove it here or there"))
    terms.sort(key=lambda t: t.term.casefold())
    return terms


def glossary_names(root: os.PathLike | str) -> list[list[str]]:
    """Each glossary term with its aliases, as ``curate build`` reads ``content_sources/glossary.yml``.

    For a reader of the glossary outside a build (the MkDocs hook's search spellings): the file
    is decoded, parsed and checked as a build does it (so ``no`` stays the text ``no``, not
    YAML 1.1's false), and never raises for bad content: a term whose name was refused is left
    out, and so are its aliases when they were refused. ``[]`` without a readable file.
    """
    r = _Reader(Path(root))
    data = r.yaml(GLOSSARY, GlossaryFile, required=False)
    if data is None:
        return []
    return [[term.term, *(term.aliases if data.ok("terms", i, "aliases") else [])]
            for i, term in enumerate(data.value.terms) if data.ok("terms", i, "term")]


def _unknown_page_hint(wanted: str, pages: list[PageSpec]) -> str:
    """``did you mean 'x'?`` for an unknown page id, naming the line of 'x' in case its id is the typo."""
    hint = did_you_mean(wanted, [p.id for p in pages])
    if not hint:
        return "page ids are listed under 'pages' in content_sources/curation.yml"
    close = next(p for p in pages if hint == f"did you mean '{p.id}'?")
    return f"{hint} (if '{wanted}' is right, correct the page id on line {close.line} of curation.yml)"


def _check_page_refs(r: _Reader, curation: Validated[CurationFile], entries: list[tuple[int, PageSpec]],
                     names: list[str] | None, ids_known: bool) -> None:
    """Related pages and glossary terms of each page; ``names`` is ``None`` when the glossary could not be read."""
    rel = CURATION
    pages = [page for _, page in entries]
    ids = [p.id for p in pages]
    key_of: dict[str, PageSpec] = {}
    for i, page in entries:
        for j, other in enumerate(page.related if ids_known and curation.ok("pages", i, "related") else []):
            line = curation.line("pages", i, "related", j)
            if other not in ids:
                r.problems.append(Problem(rel, line, f"pages[{i}].related[{j}]", f"no page with id '{other}'",
                                          _unknown_page_hint(other, pages)))
            elif other == page.id:
                r.problems.append(Problem(rel, line, f"pages[{i}].related[{j}]", "a page cannot be related to itself"))
        if names is None or not curation.ok("pages", i, "terms"):
            continue
        if page.key_term in key_of:
            first = key_of[page.key_term]
            r.problems.append(Problem(rel, curation.line("pages", i, "terms", 0), f"pages[{i}].terms[0]",
                                      f"'{page.key_term}' is already the key term of page '{first.id}' (line "
                                      f"{first.line}): a term links to the one page that is about it",
                                      "the first of a page's terms is its key term: list another term first on "
                                      "one of the two pages"))
        elif page.key_term:
            key_of[page.key_term] = page
        for j, term in enumerate(page.terms):
            if term not in names:
                r.problems.append(Problem(rel, curation.line("pages", i, "terms", j), f"pages[{i}].terms[{j}]",
                                          f"'{term}' is not a glossary term",
                                          did_you_mean(term, names) or "add it to content_sources/glossary.yml"))
