"""Loading and validating ``content_sources/``: the first stage of a build.

Layout (every path relative to the project root)::

    content_sources/curation.yml          site settings and pages  (CURATION_SCHEMA)
    content_sources/glossary.yml          glossary terms           (GLOSSARY_SCHEMA)
    content_sources/pages/<id>.md         editors' intro for each page
    content_sources/articles/<name>.txt   source snapshots, byte for byte as delivered
    content_sources/articles/<name>.md    (Markdown sources may hold metadata as front matter)
    content_sources/articles/<name>.meta.yml   metadata beside a snapshot (META_SCHEMA)

Every file is checked before any work, and every problem is reported at once
(:class:`~curate.errors.ContentError`), each with file, line and key.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Optional

from . import markdown_tokens
from .encoding import DecodeError, decode
from .errors import ContentError, Problem, did_you_mean
from .readers import Reader, reader_for, source_suffixes
from .model import (Correction, GlossaryTerm, PageSpec, Project, SectionRef, SiteSpec, Source,
                    SourceMeta)
from .slugs import FILE_SLUG, file_slug, slugify
from .yamlio import Field, Schema, compose

CONTENT_DIR = "content_sources"
ARTICLES_DIR = "content_sources/articles"
META_SUFFIX = ".meta.yml"
RESERVED_IDS = {"index", "glossary", "tags", "sources", "404", "search", "assets", "about", "editing"}
# docs/sources/index.md lists the sources: no source may be called "index".
RESERVED_SOURCE_IDS = {"index"}
# A source this large is probably not one article (a whole saved site, a binary file).
MAX_SOURCE_BYTES = 2_000_000


def _id_check(value: str) -> str:
    if ".." in value or "/" in value or "\\" in value or re.match(r"^[A-Za-z]:", value):
        return (f"'{value}' is not allowed: a page id becomes a file name in docs/, so it may not hold '..', "
                "'/', '\\', a drive letter or an absolute path")
    if not FILE_SLUG.match(value):
        suggestion = file_slug(value)
        return (f"'{value}' is not a valid id: use lower-case ASCII letters, digits and '-'"
                + (f" (for example '{suggestion}')" if suggestion else ""))
    if value in RESERVED_IDS:
        return f"'{value}' is reserved for a page curate writes itself; choose another id"
    return ""


def _path_check(value: str) -> str:
    """A path under content_sources/: relative, no '..', no drive letter, no backslash."""
    parts = value.split("/")
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value) or "\\" in value or ".." in parts:
        return (f"'{value}' is not allowed: give a path inside content_sources/, such as pages/what-is-llama.md "
                "(no '..', no absolute path, no drive letter, no '\\')")
    return ""


def _tags_check(values: list[str]) -> str:
    for tag in values:
        if "<" in tag or ">" in tag:
            return f"tag '{tag}' holds '<' or '>'; a tag is a short label, not markup"
        if not any(c.isalnum() for c in tag):
            return f"tag '{tag}' has no letter or digit; a tag needs at least one"
    return ""


def _url_check(value: str) -> str:
    if not re.match(r"^https?://[^\s]+$", value):
        return f"'{value}' is not a web address: write it as https://… (or leave 'url' out)"
    return ""


META_SCHEMA = Schema({
    "title": Field("str", doc="the article's title as printed"),
    "publisher": Field("str", doc="who published it"),
    "author": Field("str", doc="who wrote it"),
    "url": Field("str", check=_url_check, doc="where it was published"),
    "published": Field("date", doc="publication date: YYYY, YYYY-MM or YYYY-MM-DD"),
    "published_estimated": Field("bool", doc="true when the date is an estimate"),
    "published_note": Field("text", doc="why the date is what it is"),
    "topic": Field("str", doc="one line on what the article covers"),
    "attribution": Field("text", doc="rights and attribution note"),
    "language": Field("str", doc="language code, such as en"),
    "encoding": Field("str", doc="text encoding when it is not UTF-8"),
    "corrections": Field("list[map]", schema=Schema({
        "original": Field("str", required=True, doc="text as printed"),
        "corrected": Field("str", required=True, doc="text as it should read"),
        "note": Field("str", doc="why"),
    }), doc="typos fixed in the cleaned text"),
})

PAGE_SCHEMA = Schema({
    "id": Field("str", required=True, check=_id_check, doc="the page's slug, such as what-is-llama"),
    "title": Field("str", required=True, doc="the page's title"),
    "description": Field("str", required=True, doc="a one-line summary"),
    "intro": Field("str", check=_path_check,
                   doc="path of the editor's intro under content_sources/ (default pages/<id>.md)"),
    "sections": Field("list[str]", doc="source sections that feed the page, as source-id#section-id"),
    "terms": Field("list[str]", doc="glossary terms the page explains"),
    "related": Field("list[str]", doc="ids of related pages (computed when left out)"),
    "tags": Field("list[str]", check=_tags_check, doc="tags"),
    "group": Field("str", doc="navigation group"),
    "reviewed": Field("date", doc="when an editor last reviewed the page"),
    "review_by": Field("date", doc="when the page is due for review"),
})

CURATION_SCHEMA = Schema({
    "site": Field("map", required=True, schema=Schema({
        "title": Field("str", required=True, doc="the site's name"),
        "description": Field("str", required=True, doc="what the site is, one line"),
        "intro": Field("str", check=_path_check,
                       doc="path of the home page intro under content_sources/ (default pages/index.md)"),
        "explainers_group": Field("str", doc="navigation group of pages without a group"),
    }), doc="site-wide settings"),
    "pages": Field("list[map]", required=True, schema=PAGE_SCHEMA, doc="the explainer pages"),
})

GLOSSARY_SCHEMA = Schema({
    "terms": Field("list[map]", required=True, schema=Schema({
        "term": Field("str", required=True, doc="the term"),
        "definition": Field("str", required=True, doc="one or two sentences"),
        "aliases": Field("list[str]", doc="other spellings"),
        "page": Field("str", doc="id of the page that explains it"),
        "case_sensitive": Field("bool", doc="whether a mention must match case"),
    }), doc="glossary terms"),
})


class _Reader:
    """File access confined to the project; every problem is collected."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.left_out: dict[str, list[tuple[str, int]]] = {}
        self.failed: set[str] = set()

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_absolute() else path.as_posix()

    def inside(self, rel: str) -> Optional[Path]:
        """Resolve ``rel`` under the project; ``None`` (and a problem) if it escapes."""
        path = (self.root / rel)
        try:
            path.resolve().relative_to(self.root)
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

    def read_bytes(self, rel: str) -> Optional[bytes]:
        path = self.inside(rel)
        if path is None:
            return None
        try:
            return path.read_bytes()
        except OSError as exc:
            self.problems.append(Problem(rel, 0, "", f"cannot read file: {exc.strerror}"))
            return None

    def read_text(self, rel: str, declared: str = "", repair: bool = False) -> Optional[str]:
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

    def read_source_text(self, rel: str, reader: Reader, declared: str = "") -> Optional[str]:
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

    def yaml(self, rel: str, schema: Schema, required: bool = True):
        text = self.read_text(rel) if (self.root / rel).exists() or required else None
        if text is None:
            if required and not (self.root / rel).exists():
                self.problems.append(Problem(rel, 0, "", "file is missing"))
            return None
        node = compose(text, rel, self.problems)
        if node is None:
            if not any(p.file == rel for p in self.problems):
                self.problems.append(Problem(rel, 0, "", "file is empty"))
            return None
        return schema.validate(node, rel, "", self.problems)


def load_project(root: os.PathLike | str) -> Project:
    """Load, clean and validate everything under ``content_sources/``.

    Args:
        root: The project folder (holding ``content_sources/`` and ``docs/``).

    Returns:
        The loaded project; ``project.warnings`` holds non-fatal problems.

    Raises:
        ContentError: Any file is missing, unreadable or invalid; lists every
            problem found.
    """
    r = _Reader(Path(root))
    curation = r.yaml("content_sources/curation.yml", CURATION_SCHEMA)
    glossary_data = r.yaml("content_sources/glossary.yml", GLOSSARY_SCHEMA, required=False)
    sources = _load_sources(r)
    by_id = {s.id: s for s in sources}
    glossary: list[GlossaryTerm] = []
    pages: list[PageSpec] = []
    intros: dict[str, str] = {}
    site = SiteSpec("", "", "content_sources/pages/index.md")
    if curation is not None:
        s = curation.get("site", {})
        site = SiteSpec(s.get("title", ""), s.get("description", ""),
                        _content_path(s.get("intro", "pages/index.md")),
                        s.get("explainers_group", "Explainers"))
        pages = _pages(r, curation, by_id)
        for rel in [site.intro_rel] + [p.intro_rel for p in pages]:
            if rel in intros:
                continue
            if r.inside(rel) is None:
                continue
            if not (r.root / rel).is_file():
                near = did_you_mean(Path(rel).name, sorted(f.name for f in (r.root / rel).parent.glob("*.md")))
                r.problems.append(Problem(rel, 0, "", "intro file is missing",
                                          "create it with a paragraph in your own words"
                                          + (f"; or, if the page id is misspelled in content_sources/curation.yml, "
                                             f"{near}" if near else "")))
                continue
            text = r.read_text(rel)
            if text is not None:
                intros[rel] = text
                titles = [site.title] if rel == site.intro_rel else []
                titles += [p.title for p in pages if p.intro_rel == rel]
                _intro_headings(r, rel, text, titles, home=rel == site.intro_rel)
    if glossary_data is not None:
        # Without a readable curation file every page id would look unknown; its own error says enough.
        glossary = _glossary(r, glossary_data, pages, check_pages=curation is not None)
    glossary_broken = glossary_data is None and (r.root / "content_sources/glossary.yml").exists()
    if curation is not None:
        # With a broken glossary every term would look unknown; its own error says enough.
        _check_page_refs(r, curation, pages, glossary, check_terms=not glossary_broken)
    if r.problems:
        raise ContentError(r.problems)
    return Project(str(r.root), site, pages, sorted(sources, key=lambda s: s.id), glossary, intros,
                   handwritten=[], warnings=sorted(set(r.warnings)))


# Headings curate adds to the pages an intro appears on (see build.py).
EXPLAINER_HEADINGS = ("From the reporting", "In their own words", "Related pages", "Pages that link here")
HOME_HEADINGS = ("Pages", "Knowledge map", "Sources", "Pages that link here")


def _intro_headings(r: _Reader, rel: str, text: str, titles: list[str], home: bool = False) -> None:
    """Warn when an intro's headings would share an anchor (MkDocs would number one ``_1``).

    Headings and their anchors are read as MkDocs' ``toc`` reads them
    (:func:`curate.markdown_tokens.headings`): a heading with a link or code in it
    is slugged from its text, and an ``{ #id }`` of its own is never numbered.
    """
    taken = {slugify(t): f"the page title '{t}'" for t in titles}
    taken.update({slugify(h): f"the heading '{h}' curate adds" for h in (HOME_HEADINGS if home else EXPLAINER_HEADINGS)})
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


def _content_path(rel: str) -> str:
    return f"{CONTENT_DIR}/{rel.lstrip('/')}"


def _load_sources(r: _Reader) -> list[Source]:
    folder = r.root / ARTICLES_DIR
    if not folder.is_dir():
        r.problems.append(Problem(ARTICLES_DIR, 0, "", "folder is missing", "put source articles in it"))
        return []
    sources: list[Source] = []
    ids: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith(".") or name.endswith(META_SUFFIX):
            continue
        rel = f"{ARTICLES_DIR}/{name}"
        reader = reader_for(name)
        if reader is None or not path.is_file():
            what = "a folder" if path.is_dir() else "not a source article (" + ", ".join(source_suffixes()) + ")"
            r.warnings.append(Problem(rel, 0, "", f"{what}; ignored"))
            continue
        stem = name.rsplit(".", 1)[0]
        sid = file_slug(stem)
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
            continue
        ids[sid] = rel
        source = _load_source(r, reader, rel, sid, stem)
        if source is not None:
            sources.append(source)
        else:
            r.failed.add(sid)  # its error is reported; pages naming it need no second one
    for path in sorted(folder.glob("*" + META_SUFFIX)):
        stem = path.name[: -len(META_SUFFIX)]
        if not any((folder / (stem + s)).is_file() for s in source_suffixes()):
            r.problems.append(Problem(r.rel(path), 0, "", "metadata without a source file beside it",
                                      f"add {stem}.txt or rename the metadata file"))
    return sources


def _meta(r: _Reader, data, rel: str) -> SourceMeta:
    return SourceMeta(
        title=data.get("title", ""), publisher=data.get("publisher", ""), author=data.get("author", ""),
        url=data.get("url", ""), published=data.get("published"),
        published_estimated=data.get("published_estimated", False),
        published_note=str(data.get("published_note", "")).strip(), topic=data.get("topic", ""),
        attribution=str(data.get("attribution", "")).strip(),
        corrections=[Correction(c["original"], c["corrected"], c.get("note", ""))
                     for c in data.get("corrections", []) if "original" in c and "corrected" in c],
        encoding=data.get("encoding", ""),
    )


def _front_matter(r: _Reader, rel: str, reader: Reader, text: str):
    """``(metadata mapping or None, body, body_first_line)`` of a source's text.

    The reader decides what metadata the format carries (front matter in
    ``.md`` and ``.txt`` sources alike); front matter opened but never closed
    is an error.
    """
    fm = reader.split_metadata(text)
    if fm.unclosed:
        r.problems.append(Problem(rel, 1, "", "front matter opened with '---' on line 1 is never closed",
                                  "end the metadata with a line holding only '---'"))
        return None, "", fm.body_first_line
    if not fm.yaml:
        return None, fm.body, fm.body_first_line
    # Front matter starts on line 2 of the file: one blank line first keeps every line number right.
    node = compose("\n" + fm.yaml, rel, r.problems)
    fm_data = META_SCHEMA.validate(node, rel, "", r.problems) if node is not None else None
    return fm_data, fm.body, fm.body_first_line


def _load_source(r: _Reader, reader: Reader, rel: str, sid: str, stem: str) -> Optional[Source]:
    meta_rel = f"{ARTICLES_DIR}/{stem}{META_SUFFIX}"
    meta = SourceMeta()
    meta_data = None
    if (r.root / meta_rel).exists():
        meta_data = r.yaml(meta_rel, META_SCHEMA)
        if meta_data is not None:
            meta = _meta(r, meta_data, meta_rel)
    text = r.read_source_text(rel, reader, meta.encoding)
    if text is None:
        return None
    size = (r.root / rel).stat().st_size
    if size > MAX_SOURCE_BYTES:
        r.warnings.append(Problem(rel, 0, "", f"source is {size / 1e6:.1f} MB (more than {MAX_SOURCE_BYTES / 1e6:.0f} "
                                  "MB): check it is one article, not a whole saved site",
                                  "split it, or keep only the article"))
    fm_data, body, first = _front_matter(r, rel, reader, text)
    if fm_data is not None and meta_data is None:
        meta = _meta(r, fm_data, rel)
    default_title = stem.replace("-", " ").replace("_", " ").strip().capitalize()
    parsed = reader.parse(body, first, meta.corrections, meta.title, default_title)
    for line, message in parsed.warnings:
        r.warnings.append(Problem(rel, line, "", message))
    r.left_out[sid] = parsed.left_out
    for c in meta.corrections:
        if c.original not in text:
            r.problems.append(Problem(meta_rel, 0, "corrections", f"'{c.original}' does not occur in {rel}",
                                      "copy the text exactly as printed"))
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
    if source.sections and meta.published is None:
        r.warnings.append(Problem(meta_rel if meta_data is not None else rel, 0, "published",
                                  "publication date unknown: relative dates ('last month') cannot be resolved",
                                  f"add 'published: YYYY-MM' to {meta_rel}" if meta_data is not None else
                                  f"create {meta_rel} with 'title:' and 'published: YYYY-MM'"))
    return source


def _pages(r: _Reader, curation, sources: dict[str, Source]) -> list[PageSpec]:
    rel = "content_sources/curation.yml"
    pages: list[PageSpec] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(curation.get("pages", [])):
        if "id" not in entry:
            continue
        pid = entry["id"]
        if pid in seen:
            r.problems.append(Problem(rel, entry.line_of("id"), f"pages[{i}].id",
                                      f"page id '{pid}' is used twice (first on line {seen[pid]})",
                                      "give each page its own id"))
            continue
        seen[pid] = entry.line_of("id")
        refs = []
        for j, ref in enumerate(entry.get("sections", [])):
            key = f"pages[{i}].sections[{j}]"
            line = entry.line_of("sections")
            source_id, _, section_id = ref.partition("#")
            source = sources.get(source_id)
            if source is None:
                if source_id in r.failed or (not sources and r.problems):
                    continue
                r.problems.append(Problem(rel, line, key, f"no source with id '{source_id}'",
                                          did_you_mean(source_id, sorted(sources)) or
                                          "a source id is its file name without extension"))
                continue
            if not source.sections:
                r.warnings.append(Problem(rel, line, key, f"source '{source_id}' has no text, so page '{pid}' "
                                          "gets nothing from it", f"see the warning on {source.path_rel}"))
                continue
            if not section_id:
                refs.extend(SectionRef(source_id, s.id, line) for s in source.sections)
                continue
            if source.section(section_id) is None:
                empty = next(((h, ln) for h, ln in r.left_out.get(source_id, []) if slugify(h) == section_id), None)
                if empty is not None:
                    r.problems.append(Problem(rel, line, key, f"section '{section_id}' of source '{source_id}' has "
                                              f"no text after cleaning ({source.path_rel}:{empty[1]})",
                                              "feed the page another section"))
                    continue
                r.problems.append(Problem(rel, line, key, f"source '{source_id}' has no section '{section_id}'",
                                          did_you_mean(section_id, [s.id for s in source.sections]) or
                                          "its sections are: " + ", ".join(s.id for s in source.sections)))
                continue
            refs.append(SectionRef(source_id, section_id, line))
        pages.append(PageSpec(
            id=pid, title=entry.get("title", pid), description=entry.get("description", ""),
            intro_rel=_content_path(entry.get("intro", f"pages/{pid}.md")), sections=refs,
            terms=entry.get("terms", []), related=entry.get("related", []), tags=entry.get("tags", []),
            group=entry.get("group", ""), reviewed=entry.get("reviewed"), review_by=entry.get("review_by"),
            line=entry.line,
        ))
    slugs: dict[str, str] = {}
    for page in pages:
        key = slugify(page.title)
        if key and key in slugs and slugs[key] != page.id:
            r.warnings.append(Problem(rel, page.line, "title",
                                      f"page '{page.id}' has a title that slugs like page '{slugs[key]}'s"))
        slugs.setdefault(key, page.id)
    return pages


def _glossary(r: _Reader, data, pages: list[PageSpec], check_pages: bool = True) -> list[GlossaryTerm]:
    rel = "content_sources/glossary.yml"
    ids = [p.id for p in pages]
    terms: list[GlossaryTerm] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(data.get("terms", [])):
        if "term" not in entry or "definition" not in entry:
            continue
        term = entry["term"]
        key = term.casefold()
        if key in seen:
            r.problems.append(Problem(rel, entry.line_of("term"), f"terms[{i}].term",
                                      f"term '{term}' is defined twice (first on line {seen[key]})"))
            continue
        seen[key] = entry.line_of("term")
        page = entry.get("page", "")
        if page and page not in ids and check_pages:
            r.problems.append(Problem(rel, entry.line_of("page"), f"terms[{i}].page", f"no page with id '{page}'",
                                      _unknown_page_hint(page, pages)))
            page = ""
        terms.append(GlossaryTerm(
            term=term, definition=entry["definition"], aliases=entry.get("aliases", []), page=page,
            case_sensitive=entry.get("case_sensitive", any(c.isupper() for c in term)),
            line=entry.line,
        ))
    terms.sort(key=lambda t: t.term.casefold())
    return terms


def _unknown_page_hint(wanted: str, pages: list[PageSpec]) -> str:
    """``did you mean 'x'?`` for an unknown page id, naming the line of 'x' in case its id is the typo."""
    hint = did_you_mean(wanted, [p.id for p in pages])
    if not hint:
        return "page ids are listed under 'pages' in content_sources/curation.yml"
    close = next(p for p in pages if hint == f"did you mean '{p.id}'?")
    return f"{hint} (if '{wanted}' is right, correct the page id on line {close.line} of curation.yml)"


def _check_page_refs(r: _Reader, curation, pages: list[PageSpec], glossary: list[GlossaryTerm],
                     check_terms: bool = True) -> None:
    rel = "content_sources/curation.yml"
    ids = [p.id for p in pages]
    names = [t.term for t in glossary]
    entries = {e.get("id"): e for e in curation.get("pages", [])}
    for i, page in enumerate(pages):
        entry = entries.get(page.id)
        line = entry.line_of("related") if entry is not None else page.line
        for j, other in enumerate(page.related):
            if other not in ids:
                r.problems.append(Problem(rel, line, f"pages[{i}].related[{j}]", f"no page with id '{other}'",
                                          _unknown_page_hint(other, pages)))
            elif other == page.id:
                r.problems.append(Problem(rel, line, f"pages[{i}].related[{j}]", "a page cannot be related to itself"))
        tline = entry.line_of("terms") if entry is not None else page.line
        for j, term in enumerate(page.terms if check_terms else []):
            if term not in names:
                r.problems.append(Problem(rel, tline, f"pages[{i}].terms[{j}]", f"'{term}' is not a glossary term",
                                          did_you_mean(term, names) or "add it to content_sources/glossary.yml"))
