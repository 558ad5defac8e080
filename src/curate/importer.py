"""``curate import``: a web page, saved or published, into ``content_sources/articles/``.

For each page (a file, or an ``http(s)`` address fetched by
:mod:`curate.fetch`), the import:

1. reads the bytes exactly as received and refuses what is not an HTML page
   (a PDF, an image, more than :data:`MAX_PAGE_BYTES`);
2. decodes and cleans them with the HTML reader, as a build will
   (:class:`curate.readers.html.HtmlReader`), and refuses a page with no
   article text;
3. reads what the page says about itself (:func:`~curate.readers.html_meta.page_metadata`:
   title, author, publisher, dates by htmldate, canonical address, language),
   each value with where it came from;
4. unless ``dry_run``, writes ``<id>.html`` (the bytes as received, never
   edited afterwards) and ``<id>.meta.yml`` (the metadata, the editor's from
   then on) beside each other, both or neither.

The id defaults to a slug of the title; an id a source already has is
refused with a hint. Nothing is written on any error.
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from . import __version__
from .encoding import DecodeError, Note
from .errors import EXIT_USAGE, CurateError, TargetError
from .fetch import Fetched, fetch, is_web_address
from .project import ARTICLES_DIR, META_SUFFIX, RESERVED_IDS, RESERVED_SOURCE_IDS
from .readers import reader_for
from .readers.base import ReadResult
from .readers.html import (
    DROP_REASONS,
    _codec,
    _parse,
    declared_charset,
    decode_html,
    parse_html,
    sniff_binary,
    word_count,
)
from .readers.html_meta import Found, PageMeta, page_metadata, plain, web_address
from .slugs import FILE_SLUG, file_slug

#: Largest page imported, in bytes (a fetched page is held to the same limit).
MAX_PAGE_BYTES = 10 * 1024 * 1024
#: Fewer words than this is no article: a redirect notice, a consent wall, a page of links.
MIN_ARTICLE_WORDS = 20
#: Longest id made from a title; a longer slug is cut at a hyphen.
MAX_ID_CHARS = 60


class ImportFailed(TargetError):
    """A page cannot be imported (exit code 1); the message says why, with a hint."""


class IdTaken(ImportFailed):
    """The id is already a source's (exit code 2: choose another with ``--id``)."""

    exit_code = EXIT_USAGE


@dataclass
class ImportResult:
    """One page read for import.

    Attributes:
        target: The path or address as given.
        id: The source id (file name without suffix).
        title: The title the source gets.
        meta: What the page says about itself, with provenance.
        parsed: The cleaned article: sections, passages, what was dropped.
        data: The page's bytes exactly as received.
        encoding: The charset recorded as ``encoding:`` (the HTTP header's,
            when it decides the decoding), or ``''``.
        notes: Warnings worth showing (decoding, cleaning).
        written: Project-relative paths written (empty for a dry run).
        retrieved: The date of the import.
    """

    target: str
    id: str
    title: str
    meta: PageMeta
    parsed: ReadResult
    data: bytes
    encoding: str = ""
    notes: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    retrieved: _dt.date = field(default_factory=_dt.date.today)

    @property
    def html_rel(self) -> str:
        return f"{ARTICLES_DIR}/{self.id}.html"

    @property
    def meta_rel(self) -> str:
        return f"{ARTICLES_DIR}/{self.id}{META_SUFFIX}"

    def word_count(self) -> int:
        return sum(word_count(p.text) for s in self.parsed.sections for p in s.passages)


def extractor_versions() -> str:
    """``trafilatura 2.3.1, htmldate 1.11.0 (curate 0.1.0)``: what read the page."""
    parts = []
    for package in ("trafilatura", "htmldate"):
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:  # pragma: no cover - both are dependencies
            parts.append(package)
    return ", ".join(parts) + f" (curate {__version__})"


def _read_target(target: str, fetcher: Callable[[str], Fetched]) -> tuple[bytes, str, str]:
    """``(bytes, address fetched or '', HTTP charset or '')`` of a path or address."""
    if is_web_address(target):
        fetched = fetcher(target)
        return fetched.data, fetched.final_url, fetched.charset
    path = Path(target)
    if not path.exists():
        raise ImportFailed(target, "no such file", "give the path of a saved web page, or an https:// address")
    if not path.is_file():
        raise ImportFailed(target, "not a file", "give the path of a saved web page (.html)")
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        raise ImportFailed(target, f"the file is {size / 1e6:.1f} MB, more than the {MAX_PAGE_BYTES / 1e6:.0f} MB "
                                   "curate imports", "save the article's page alone ('Web Page, HTML only')")
    try:
        return path.read_bytes(), "", ""
    except OSError as exc:
        raise ImportFailed(target, f"cannot read the file: {exc.strerror}") from None


def read_page(target: str, fetcher: Callable[[str], Fetched] = fetch, today: _dt.date | None = None
              ) -> ImportResult:
    """Read and clean one page for import, writing nothing.

    Args:
        target: A file path or an ``http(s)`` address.
        fetcher: Fetches an address (tests pass one bound to a loopback server).
        today: The import date (default: today).

    Returns:
        The page read; its ``id`` is the slug of its title.

    Raises:
        ImportFailed: The page is not HTML, too large, cannot be decoded, or
            holds no article text.
        curate.fetch.FetchError: The address cannot be fetched.
    """
    data, url, transport = _read_target(target, fetcher)
    if len(data) > MAX_PAGE_BYTES:
        raise ImportFailed(target, f"the page is {len(data) / 1e6:.1f} MB, more than the "
                                   f"{MAX_PAGE_BYTES / 1e6:.0f} MB curate imports")
    if not data.strip():
        raise ImportFailed(target, "the file is empty" if not url else "the server sent an empty page",
                           "check this is the article's web page")
    what = sniff_binary(data)
    if what:
        raise ImportFailed(target, f"this is {what}, not an HTML page",
                           "import the article's web page (its address, or the page saved as 'Web Page, HTML only')")
    notes: list[str] = []
    try:
        decoded = decode_html(data, transport=transport)
    except DecodeError as exc:
        raise ImportFailed(target, exc.reason, exc.hint) from None
    encoding = ""
    own = _codec(declared_charset(data))
    if transport and decoded.encoding == _codec(transport) and own != decoded.encoding:
        # The header decided what the page itself does not say: record it, so a build decodes the same way.
        encoding = decoded.encoding
    notes += [_note(n) for n in decoded.notes]
    root = _parse(decoded.text)
    if root is None:
        raise ImportFailed(target, "the file holds no HTML that can be read", "check this is a saved web page")
    meta = page_metadata(root, url=url, html_text=decoded.text, with_dates=True)
    fallback = _title_from(target, url)
    title = meta.title.value if meta.title else fallback
    if meta.title is None:
        meta.title = Found(title, "the address" if url else "the file name")
    parsed = parse_html(decoded.text, [], title, title)
    words = sum(word_count(p.text) for s in parsed.sections for p in s.passages)
    if words == 0 and parsed.warnings and parsed.warnings[0][0] == 0:
        raise ImportFailed(target, parsed.warnings[0][1], "check this is the article's own page")
    if words < MIN_ARTICLE_WORDS:
        hint = "check this is the article's own page (not a front page, a login wall or a consent page)"
        refresh = _meta_refresh(root)
        if refresh:
            hint = f"the page only redirects (meta refresh) to {refresh}: import that address instead"
        found = f" (only {words} word{'s' if words != 1 else ''})" if words else ""
        raise ImportFailed(target, f"no article text found in the page{found}", hint)
    notes += [f"line {line}: {message}" for line, message in parsed.warnings]
    slug = _slug(title) or _slug(fallback) or "article"
    return ImportResult(target, slug, title, meta, parsed, data, encoding, notes, retrieved=today or _dt.date.today())


def _note(note: Note) -> str:
    text = (f"line {note.line}: " if note.line else "") + note.message
    return text + (f" (hint: {note.hint})" if note.hint else "")


def _meta_refresh(root) -> str:
    for el in root.iter("meta"):
        if (el.get("http-equiv") or "").strip().lower() == "refresh":
            content = el.get("content") or ""
            _, _, target = content.partition("=")
            return web_address(target.strip().strip("'\"")) or plain(target)[:200] or "another page"
    return ""


def _title_from(target: str, url: str) -> str:
    """A title from the file name or the address's last path segment (``my-page.html`` → ``My page``)."""
    name = Path(unquote(urlsplit(url).path)).name if url else Path(target).name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    text = stem.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else (urlsplit(url).hostname or "Article")


def _slug(text: str) -> str:
    slug = file_slug(text)
    if len(slug) > MAX_ID_CHARS:
        slug = slug[:MAX_ID_CHARS + 1].rsplit("-", 1)[0] or slug[:MAX_ID_CHARS]
    return slug.strip("-")


def existing_source(folder: Path, source_id: str) -> Path | None:
    """The file that already gives ``source_id`` in ``folder`` (a source or its metadata), or ``None``."""
    if not folder.is_dir():
        return None
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith("."):
            continue
        if name == f"{source_id}{META_SUFFIX}":
            return path
        if reader_for(name) is not None and not name.endswith(META_SUFFIX) and \
                file_slug(name.rsplit(".", 1)[0]) == source_id:
            return path
    return None


def check_id(source_id: str) -> None:
    """Refuse an id that cannot name a source.

    Raises:
        ImportFailed: Not lower-case ASCII letters, digits and ``-``, or reserved.
    """
    if not FILE_SLUG.match(source_id):
        raise IdTaken(f"--id {source_id}", "an id is lower-case ASCII letters, digits and '-'",
                      f"for example --id {file_slug(source_id) or 'my-article'}")
    if source_id in RESERVED_SOURCE_IDS or source_id in RESERVED_IDS:
        raise IdTaken(f"--id {source_id}", f"the id '{source_id}' is reserved for a page curate writes itself",
                      f"choose another, such as --id {source_id}-article")


def import_page(root: Path, target: str, source_id: str = "", dry_run: bool = False,
                fetcher: Callable[[str], Fetched] = fetch, today: _dt.date | None = None) -> ImportResult:
    """Import one page into a project.

    Args:
        root: The project folder (holding ``content_sources/``).
        target: A file path or an ``http(s)`` address.
        source_id: The id to give it (default: a slug of its title).
        dry_run: Read and clean the page, write nothing.
        fetcher: Fetches an address.
        today: The import date (default: today).

    Returns:
        The import; ``written`` lists the two files written.

    Raises:
        ImportFailed: The page cannot be imported, or the id is taken or
            invalid (:class:`IdTaken`); nothing is written.
        curate.fetch.FetchError: The address cannot be fetched.
    """
    if source_id:
        check_id(source_id)
    result = read_page(target, fetcher, today)
    if source_id:
        result.id = source_id
    folder = Path(root) / ARTICLES_DIR
    taken = existing_source(folder, result.id)
    if taken is not None:
        raise IdTaken(target, f"a source with the id '{result.id}' exists ({ARTICLES_DIR}/{taken.name})",
                      f"if this is another article, give it another id: curate import --id {result.id}-2 {target}")
    if dry_run:
        return result
    if not (Path(root) / "content_sources").is_dir():
        raise ImportFailed(target, f"no content_sources/ folder in {Path(root).resolve()}",
                           "run curate import in the project folder or pass --project DIR")
    folder.mkdir(parents=True, exist_ok=True)
    _write_pair(folder, {f"{result.id}.html": result.data,
                         f"{result.id}{META_SUFFIX}": meta_yaml(result).encode("utf-8")})
    result.written = [result.html_rel, result.meta_rel]
    return result


def _write_pair(folder: Path, files: dict[str, bytes]) -> None:
    """Write every file or none: each goes to a temporary file first, then all are moved into place."""
    temps: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            temps.append((name, Path(tmp_name)))
        done: list[Path] = []
        try:
            for name, tmp_path in temps:
                os.replace(tmp_path, folder / name)
                done.append(folder / name)
        except OSError:
            for path in done:
                path.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ImportFailed(str(folder), f"cannot write the imported page: {exc.strerror}") from None
    finally:
        for _, leftover in temps:
            leftover.unlink(missing_ok=True)


def _scalar(value: str) -> str:
    """``value`` as one YAML scalar (quoted when YAML would read it as something else)."""
    text = yaml.safe_dump(value, allow_unicode=True, width=10_000, default_flow_style=True).strip()
    return text[:-4].rstrip() if text.endswith("\n...") else text.removesuffix("...").rstrip()


def meta_yaml(result: ImportResult) -> str:
    """The ``.meta.yml`` of an import: each value, then where each came from under ``provenance``."""
    source = f"from {result.meta.url.value}" if result.meta.url and is_web_address(result.target) \
        else f"from {result.target}" if is_web_address(result.target) else f"from the file {Path(result.target).name}"
    lines = [
        f"# Metadata of {result.id}.html, written by curate import on {result.retrieved.isoformat()} {source}.",
        "# The page beside this file is kept exactly as it was received: never edit it. This file is yours:",
        "# check each value against the page, correct what is wrong and add what is missing. 'provenance'",
        "# says where in the page each value was found.",
    ]
    provenance: list[tuple[str, str]] = []
    for name, found in result.meta.fields():
        if found is None:
            continue
        value = found.value
        if name == "title":
            value = result.title
        lines.append(f"{name}: {value if name in ('published', 'modified') else _scalar(value)}")
        provenance.append((name, found.origin))
    if result.encoding:
        lines.append("# The encoding the server named in its Content-Type header; "
                     "the page itself names none or another.")
        lines.append(f"encoding: {_scalar(result.encoding)}")
    lines.append(f"retrieved: {result.retrieved.isoformat()}")
    lines.append(f"extractor: {_scalar(extractor_versions())}")
    if provenance:
        lines.append("provenance:")
        lines += [f"  {name}: {_scalar(origin)}" for name, origin in provenance]
    return "\n".join(lines) + "\n"


def dry_run_json(result: ImportResult) -> dict:
    """What a build would keep, as ``curate import --dry-run --format json`` prints it."""
    def value(found):
        return found.value if found is not None else None

    return {
        "title": result.title,
        "published": value(result.meta.published),
        "author": value(result.meta.author),
        "publisher": value(result.meta.publisher),
        "url": value(result.meta.url),
        "language": value(result.meta.language),
        "sections": [{"heading": s.heading, "id": s.id, "paragraphs": [p.text for p in s.passages]}
                     for s in result.parsed.sections],
        "dropped": [{"line": line, "reason": reason, "text": text} for line, reason, text in result.parsed.dropped],
    }


def summary(result: ImportResult, dry_run: bool = False) -> list[str]:
    """What the import found, as lines of text for the terminal."""
    out = [f"{'would import' if dry_run else 'imported'} “{result.title}” ({result.target})"]
    for name, found in result.meta.fields():
        if name == "title":
            continue
        out.append(f"  {name:<10} {found.value}  ({found.origin})" if found is not None
                   else f"  {name:<10} not found in the page")
    sections = result.parsed.sections
    names = ", ".join(s.label for s in sections)
    out.append(f"  {'text':<10} {result.word_count():,} words in {len(sections)} "
               f"section{'s' if len(sections) != 1 else ''}: {names}")
    counts: dict[str, int] = {}
    for _, reason, _ in result.parsed.dropped:
        counts[reason] = counts.get(reason, 0) + 1
    order = {label: i for i, label in enumerate(DROP_REASONS.values())}
    dropped = ", ".join(f"{n} × {reason}" for reason, n in sorted(counts.items(), key=lambda kv: order.get(kv[0], 99)))
    out.append(f"  {'dropped':<10} {dropped or 'nothing'}")
    if dry_run:
        out.append(f"  {'id':<10} {result.id} (dry run: nothing written)")
    else:
        out.append(f"  {'wrote':<10} {result.html_rel} (the page as received, {len(result.data):,} bytes)")
        out.append(f"  {'wrote':<10} {result.meta_rel} (check it: it is yours now)")
    return out


__all__ = [
    "MAX_PAGE_BYTES",
    "IdTaken",
    "ImportFailed",
    "ImportResult",
    "check_id",
    "dry_run_json",
    "existing_source",
    "extractor_versions",
    "import_page",
    "meta_yaml",
    "read_page",
    "summary",
]


def run(args, root: Path, out, err, say) -> int:
    """``curate import`` for the CLI: import each target, print what was found, return the exit code.

    Every page is tried; a failed one is reported (file or address, reason,
    hint) and the others are still imported. Exit code 0 when all were
    imported, otherwise the worst failure's (1, or 2 for an id conflict).
    """
    import json

    from .errors import EXIT_OK, UsageError

    if args.source_id and len(args.targets) > 1:
        raise UsageError("--id names one page; import several pages without it (each gets a slug of its title)")
    code = EXIT_OK
    objects = []
    imported: list[ImportResult] = []
    for target in args.targets:
        try:
            result = import_page(root, target, args.source_id, dry_run=args.dry_run)
        except CurateError as exc:
            say(err, f"curate import: {exc}", "red")
            code = max(code, exc.exit_code)
            continue
        imported.append(result)
        for note in result.notes:
            say(err, f"warning: {target}: {note}", "yellow")
        if args.format == "json":
            objects.append(dry_run_json(result))
        elif not args.quiet:
            for line in summary(result, args.dry_run):
                say(out, line)
    if args.format == "json" and objects:
        print(json.dumps(objects[0] if len(args.targets) == 1 else objects, ensure_ascii=False, indent=2), file=out)
    if not args.dry_run and imported and not args.quiet and args.format == "text":
        example = imported[-1]
        section = next((s.id for s in example.parsed.sections if s.heading), "lead")
        say(out, f"next: feed sections to pages in content_sources/curation.yml (such as {example.id}#{section}), "
                 "then run curate build", "green")
    return code
