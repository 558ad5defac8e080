"""The models of curate's YAML files: each key is declared once, here.

One model per kind of file, and each model is also the domain object the rest
of curate uses (``curate.model`` re-exports them):

=========================================  =======================================
file                                       model
=========================================  =======================================
``content_sources/curation.yml``           :class:`CurationFile` (:class:`SiteSpec`,
                                           :class:`PageSpec`)
``content_sources/glossary.yml``           :class:`GlossaryFile` (:class:`GlossaryTerm`)
``content_sources/articles/<name>.meta.yml``  :class:`SourceMeta` (:class:`Correction`)
front matter of ``.md`` and ``.txt`` sources  :class:`SourceMeta`
=========================================  =======================================

A field's type says how its YAML value is read and which values it refuses
(see :mod:`curate.yamlio` for :data:`~curate.yamlio.Line` and the other YAML
value types); its docstring says what the key means, and its first sentence is
the hint when the key is missing. Fields marked
:data:`~curate.yamlio.DERIVED` are worked out by curate, never read from YAML.
Checks that need other files (does page ``x`` exist?) are in
:mod:`curate.project`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    Field,
    PlainValidator,
    ValidationInfo,
    model_validator,
)

from .encoding import UnknownEncoding, codec_for
from .errors import did_you_mean
from .slugs import FILE_SLUG, file_slug
from .yamlio import (
    DERIVED,
    Invalid,
    Line,
    ListOf,
    OptionalDate,
    Scalar,
    Text,
    TextList,
    TextListOf,
    YamlBool,
    YamlModel,
    kind_of,
    text_of,
)

CONTENT_DIR = "content_sources"
#: Where intros live, relative to :data:`CONTENT_DIR`.
PAGES_DIR = "pages"


# --- value rules -------------------------------------------------------------------------------

def _page_id(value: str, info: ValidationInfo) -> str:
    """A page id becomes a file name in docs/: a lower-case ASCII slug, not one curate writes itself."""
    if ".." in value or "/" in value or "\\" in value or re.match(r"^[A-Za-z]:", value):
        raise Invalid(f"'{value}' is not allowed: a page id becomes a file name in docs/, so it may not hold '..', "
                      "'/', '\\', a drive letter or an absolute path")
    if not FILE_SLUG.match(value):
        suggestion = file_slug(value)
        raise Invalid(f"'{value}' is not a valid id: use lower-case ASCII letters, digits and '-'"
                      + (f" (for example '{suggestion}')" if suggestion else ""))
    if value in ((info.context or {}).get("reserved_ids") or ()):
        raise Invalid(f"'{value}' is reserved for a page curate writes itself; choose another id")
    return value


def _intro_path(value: str) -> str:
    """An intro is an editor's Markdown file under content_sources/pages/, never a source or a file outside."""
    parts = value.split("/")
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value) or "\\" in value or ".." in parts:
        raise Invalid(f"'{value}' is not allowed: give a path inside content_sources/, such as pages/what-is-llama.md "
                      "(no '..', no absolute path, no drive letter, no '\\')")
    if len(parts) < 2 or parts[0] != PAGES_DIR or "" in parts or not value.endswith(".md"):
        raise Invalid(f"'{value}' is not an intro: an intro is a Markdown file in content_sources/{PAGES_DIR}/, "
                      "never a source article or another file",
                      f"put the intro in content_sources/{PAGES_DIR}/ and name it here as {PAGES_DIR}/<name>.md")
    return value


# Characters no address may hold as they are: they would end the Markdown link or HTML attribute
# it is written into (whitespace, quotes, '<', '>', '`') or are read as '/' by browsers ('\').
_URL_BAD = re.compile(r"[\s\"'<>`\\]")


def _url(value: str) -> str:
    """An http(s) address with a host, holding nothing that could end a link or attribute."""
    bad = _URL_BAD.search(value)
    if bad:
        what = "a space" if bad.group().isspace() else f"'{bad.group()}'"
        raise Invalid(f"'{value}' is not a web address: it holds {what}, which no address holds as it is",
                      "write the address as the browser shows it, such as https://example.com/story "
                      "(a space is written %20), or leave 'url' out")
    try:
        parts = urlsplit(value)
        ok = parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and (parts.port or 0) >= 0
    except ValueError:  # an unclosed '[' of an IPv6 host, a port that is not a number
        ok = False
    if not ok:
        raise Invalid(f"'{value}' is not a web address: write it as https://… (or leave 'url' out)")
    return value


def _tag(value: str) -> str:
    if "<" in value or ">" in value:
        raise Invalid(f"tag '{value}' holds '<' or '>'; a tag is a short label, not markup")
    if not any(c.isalnum() for c in value):
        raise Invalid(f"tag '{value}' has no letter or digit; a tag needs at least one")
    return value


#: Values of a page's ``order`` key: how the passages of several sources are ordered.
SOURCE_ORDERS = ("date", "curation")


def _term_name(value: str) -> str:
    """A glossary term or alias is found in prose as words: it needs a letter or digit."""
    if not any(c.isalnum() for c in value):
        raise Invalid(f"'{value}' has no letter or digit, so it would match that punctuation wherever it is "
                      "written",
                      "give the term's names as words, such as C++ or LLaMA 3.1")
    return value


def _source_order(value: str) -> str:
    if value not in SOURCE_ORDERS:
        raise Invalid(f"'{value}' is not an order of sources: use 'date' (oldest source first, undated last) "
                      "or 'curation' (the order 'sections' names them)")
    return value


def _encoding(value: str) -> str:
    try:
        codec_for(value)
    except UnknownEncoding as exc:
        raise Invalid(exc.message, exc.hint) from None
    return value


@dataclass
class SectionRef:
    """A ``source-id#section-id`` reference in the curation file, with the paragraphs it chooses.

    Written in ``sections:`` as one of (see ``handbook/editing.md``)::

        - source-id                              # every section of the source
        - source-id#section-id                   # a whole section
        - source-id#section-id--p2               # one paragraph (its anchor on the source's page)
        - section: source-id#section-id
          paragraphs: 1-3                        # or [1, 3], or "1-2, 4"
        - section: source-id#section-id
          skip: [4]                              # every paragraph but these

    Attributes:
        source: Id of the source (its file name without extension).
        section: Id of the section; ``''`` (no ``#``) stands for every
            section of the source until the loader expands it.
        line: Line of the reference in the curation file.
        paragraphs: 1-based numbers of the section's paragraphs chosen, ascending;
            ``()`` for every paragraph. The loader resolves ``skip`` and the
            ``--pN`` form into this, so one choice always reads the same.
        skip: 1-based numbers of paragraphs left out, as written (``()`` once resolved).
        numbers_line: Line of ``paragraphs:`` or ``skip:`` (0 when not written).
    """

    source: str
    section: str
    line: int = 0
    paragraphs: tuple[int, ...] = ()
    skip: tuple[int, ...] = ()
    numbers_line: int = 0

    def __str__(self) -> str:
        ref = f"{self.source}#{self.section}"
        if self.paragraphs:
            ref += f" (paragraphs {number_ranges(self.paragraphs)})"
        if self.skip:
            ref += f" (without paragraphs {number_ranges(self.skip)})"
        return ref

    def chooses(self, number: int) -> bool:
        """Whether the 1-based paragraph ``number`` of the section is chosen."""
        return (not self.paragraphs or number in self.paragraphs) and number not in self.skip


def number_ranges(numbers: tuple[int, ...] | list[int]) -> str:
    """``1-3, 5`` for ``(1, 2, 3, 5)``: ascending numbers written as ranges."""
    out: list[str] = []
    for n in sorted(set(numbers)):
        if out and int(out[-1].rsplit("-", 1)[-1]) == n - 1:
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


#: Keys of a section entry written as a mapping.
SECTION_KEYS = ("section", "paragraphs", "skip")
_NUMBERS_HINT = "write paragraph numbers as 2, as a range 1-3, or as a list such as [1, 3] or [1-2, 4]"

#: The highest paragraph number read. No section holds more paragraphs, and a number or range
#: beyond it (``1-99999999999``) is refused before it is counted out or converted.
MAX_PARAGRAPH = 9999
# ASCII digits only, as in the anchors: str.isdigit() and \d also take '٢' and '²' (int() refuses '²').
_DIGITS = "[0-9]+"


def written_number(digits: str) -> str:
    """A paragraph number as a message shows it: as written, cut to 20 characters."""
    return digits if len(digits) <= 20 else digits[:20] + "…"


def paragraph_anchor(anchor: str) -> tuple[str, int, str] | None:
    """``(section id, number, number as written)`` of a paragraph anchor such as ``what-is-llama--p2``.

    The number after the last ``--p`` is ASCII digits; one above :data:`MAX_PARAGRAPH` reads as
    ``MAX_PARAGRAPH + 1``, a paragraph no section has, without converting a thousand digits.

    Returns:
        ``None`` when ``anchor`` does not end in ``--p`` and digits.
    """
    base, sep, digits = anchor.rpartition("--p")
    if not sep or not re.fullmatch(_DIGITS, digits):
        return None
    return base, _number(digits), written_number(digits)


def _number(digits: str) -> int:
    """ASCII ``digits`` as a number, at most ``MAX_PARAGRAPH + 1`` (never a thousand digits converted)."""
    value = digits.lstrip("0") or "0"
    return int(value) if len(value) <= len(str(MAX_PARAGRAPH)) else MAX_PARAGRAPH + 1


def _paragraph_numbers(value: Any, key: str) -> tuple[tuple[int, ...], int]:
    """``(numbers ascending, line)`` of ``paragraphs:`` or ``skip:``: ``2``, ``1-3``, ``"1-2, 4"``, ``[1, 3]``."""
    items = value if isinstance(value, list) else [value]
    if not items or value is None:
        raise Invalid(f"'{key}' is empty", _NUMBERS_HINT)
    numbers: set[int] = set()
    line = 0
    for item in items:
        if isinstance(item, Scalar):
            line = line or item.line
        if not isinstance(item, str):
            raise Invalid(f"'{key}' holds {kind_of(item)}, not a paragraph number", _NUMBERS_HINT)
        for part in text_of(item, key).split(","):
            m = re.fullmatch(rf"\s*({_DIGITS})\s*(?:(?:-|–|\.\.)\s*({_DIGITS})\s*)?", part)
            if m is None:
                raise Invalid(f"'{written_number(part.strip())}' in '{key}' is not a paragraph number or range",
                              _NUMBERS_HINT)
            values = [_number(g) for g in m.groups() if g]
            if max(values) > MAX_PARAGRAPH:
                raise Invalid(f"'{written_number(part.strip())}' in '{key}' goes beyond paragraph {MAX_PARAGRAPH}, "
                              "more paragraphs than any section holds",
                              "number paragraphs as the section's page shows them: paragraph 2 of a section is "
                              "its anchor <section id>--p2 on docs/sources/<source id>.md")
            first, last = values[0], values[-1]
            if first < 1:
                raise Invalid(f"'{part.strip()}' in '{key}': paragraphs are numbered from 1", _NUMBERS_HINT)
            if last < first:
                raise Invalid(f"'{part.strip()}' in '{key}' is a range that runs backwards",
                              f"write it as {last}-{first}")
            numbers.update(range(first, last + 1))
    return tuple(sorted(numbers)), line


def _section_mapping(value: dict) -> SectionRef:
    """A section entry written as a mapping: ``section:`` with ``paragraphs:`` or ``skip:``."""
    unknown = [k for k in value if k not in SECTION_KEYS]
    if unknown:
        raise Invalid(f"unknown key '{unknown[0]}' in a section entry",
                      did_you_mean(str(unknown[0]), list(SECTION_KEYS)) or "allowed keys: " + ", ".join(SECTION_KEYS))
    if "section" not in value:
        raise Invalid("a section entry written as a mapping needs 'section:'",
                      "write it as: - section: source-id#section-id, then paragraphs: 1-3 or skip: [4]")
    if "paragraphs" in value and "skip" in value:
        raise Invalid("a section entry gives both 'paragraphs' and 'skip'",
                      "give one: 'paragraphs' to choose paragraphs, or 'skip' to leave some out")
    ref = _section_ref(value["section"])
    if not ref.section and ("paragraphs" in value or "skip" in value):
        raise Invalid(f"'{ref.source}' names a whole source; paragraphs are chosen within one section",
                      f"write section: {ref.source}#<section id> (the ids are on docs/sources/{ref.source}.md)")
    for key in ("paragraphs", "skip"):
        if key in value:
            numbers, line = _paragraph_numbers(value[key], key)
            return SectionRef(ref.source, ref.section, ref.line, numbers if key == "paragraphs" else (),
                              numbers if key == "skip" else (), line)
    return ref


def _section_ref(value: Any) -> SectionRef:
    if isinstance(value, SectionRef):
        return value
    if isinstance(value, dict):
        return _section_mapping(value)
    text = text_of(value, "-")  # an item of the page's sections list
    if isinstance(value, Scalar) and not text.strip():
        raise Invalid("must not be empty", "name a section as source-id#section-id, or a whole source as source-id")
    invisible = next((i for i, c in enumerate(text) if unicodedata.category(c) == "Cf"), None)
    if invisible is not None:
        # Ids are slugs, which never hold one; the message would name an id that looks right.
        raise Invalid(f"'{text.strip()}' holds an invisible character (U+{ord(text[invisible]):04X}) after "
                      f"'{text[:invisible].strip()}'", "retype the reference")
    source, _, section = text.strip().partition("#")
    return SectionRef(source, section, value.line if isinstance(value, Scalar) else 0)


PageId = Annotated[Line, AfterValidator(_page_id)]
IntroPath = Annotated[Line, AfterValidator(_intro_path)]
Url = Annotated[Line, AfterValidator(_url)]
EncodingName = Annotated[Line, AfterValidator(_encoding)]
SourceOrder = Annotated[Line, AfterValidator(_source_order)]
Tags = TextListOf[Annotated[Line, AfterValidator(_tag)]]
TermName = Annotated[Line, AfterValidator(_term_name)]
SectionRefs = TextListOf[Annotated[SectionRef, PlainValidator(_section_ref)]]


# --- article metadata: <name>.meta.yml and front matter ------------------------------------------

class Correction(YamlModel):
    """An editor's correction of the source text (a typo), shown on the sources page."""

    original: Line
    """Text as printed. It must occur in the source exactly."""
    corrected: Line
    """Text as it should read."""
    note: Line = ""
    """Why the text was corrected."""


class Provenance(YamlModel):
    """Where in a web page ``curate import`` found each value: JSON-LD, Open Graph, ``<meta>``, ``<time>``, text."""

    title: Line = ""
    """Where the page gave its title."""
    author: Line = ""
    """Where the page gave its author(s)."""
    publisher: Line = ""
    """Where the page gave its publisher or site name."""
    published: Line = ""
    """Where the page gave its publication date."""
    modified: Line = ""
    """Where the page gave its modification date."""
    url: Line = ""
    """Where the page gave its canonical address."""
    language: Line = ""
    """Where the page gave its language."""


class SourceMeta(YamlModel):
    """Metadata of one source article: its ``<name>.meta.yml``, or its front matter."""

    title: Line = ""
    """The article's title as printed. Left out, the title comes from the text or the file name."""
    publisher: Line = ""
    """Who published it; ``''`` when unknown."""
    author: Line = ""
    """Who wrote it; ``''`` when unknown."""
    url: Url = ""
    """Where it was published: an http(s) address with a host; ``''`` when unknown."""
    published: OptionalDate = None
    """Publication date: YYYY, YYYY-MM or YYYY-MM-DD; ``None`` when unknown."""
    published_estimated: YamlBool = False
    """True when the date is an estimate."""
    published_note: Text = ""
    """Why the date is what it is."""
    topic: Line = ""
    """One line on what the article covers."""
    attribution: Text = ""
    """Rights and attribution note shown with the article."""
    corrections: ListOf[Correction] = Field(default_factory=list)
    """Typos fixed in the cleaned text."""
    encoding: EncodingName = ""
    """Text encoding of the file when it is not UTF-8 (``windows-1252``); ``''`` to detect it."""
    language: Line = ""
    """Language code, such as en."""
    # Written by curate import (src/curate/importer.py) from what a web page says about itself.
    modified: OptionalDate = None
    """Date of the article's last change, when the page gives one."""
    retrieved: OptionalDate = None
    """When the page was imported."""
    extractor: Line = ""
    """What read the page (trafilatura and htmldate, with their versions)."""
    provenance: Provenance | None = None
    """Where in the page curate import found each value."""

    def date_phrase(self, estimated: str = " (estimated)") -> str:
        """``5 August 2024``, ``August 2024`` + ``estimated``, or ``''`` when the date is unknown."""
        if self.published is None:
            return ""
        return self.published.human() + (estimated if self.published_estimated else "")

    def date_text(self) -> str:
        """``August 2024 (estimated)``, ``5 August 2024`` or ``date unknown``."""
        return self.date_phrase() or "date unknown"


# --- content_sources/curation.yml ----------------------------------------------------------------

class PageSpec(YamlModel):
    """One explainer page, as an entry under ``pages:`` in the curation file describes it."""

    id: PageId
    """The page's slug, such as what-is-llama. The page is written to ``docs/<id>.md``."""
    title: Line
    """The page's title, exactly as written."""
    description: Line
    """A one-line summary. It is also the page's meta description."""
    intro_rel: Annotated[str, DERIVED] = ""
    """Project-relative path of the editor's intro (from ``intro``, default ``content_sources/pages/<id>.md``)."""
    sections: SectionRefs = Field(default_factory=list)
    """Source sections that feed the page, as source-id#section-id (a bare source-id is every section).

    A section's paragraphs can be chosen: ``source-id#section-id--p2`` (one paragraph, by its
    anchor on the source's page), or a mapping ``section: source-id#section-id`` with
    ``paragraphs: 1-3`` (or ``[1, 3]``) or ``skip: [4]``. See :class:`SectionRef`.
    """
    terms: TextList = Field(default_factory=list)
    """Glossary terms the page covers; the first is its key term.

    The key term is the one term the page is about: every first mention of it on
    another page links here, and its glossary entry says "Explained on" this page.
    The other terms link to their glossary entries, as every term no page lists first
    does; all of them count towards related pages and the knowledge map. A term is
    the key term of one page at most.
    """
    related: TextList = Field(default_factory=list)
    """Ids of related pages. Left out, they are computed from shared terms and tags."""
    tags: Tags = Field(default_factory=list)
    """Tags shown on the page and in the tags index."""
    group: Line = ""
    """Navigation group. Left out, the site's ``explainers_group``."""
    reviewed: OptionalDate = None
    """When an editor last reviewed the page."""
    review_by: OptionalDate = None
    """When the page is due for review."""
    line: Annotated[int, DERIVED] = 0
    """Line of the page's entry in the curation file."""
    intro: IntroPath | None = None
    """Path of the editor's intro under content_sources/. The default is pages/<id>.md."""
    order: SourceOrder = "date"
    """How the page orders its sources' passages: date (oldest source first, undated last) or curation.

    Each source's passages are shown under their own dated heading. With ``date`` (the
    default) the sources come by publication date, oldest first, sources without a date
    last and sources of one date in the order ``sections`` first names them; with
    ``curation`` they come in that order. The "Based on reporting from" line and the
    references follow the same order.
    """

    def model_post_init(self, context: Any) -> None:
        if not self.intro_rel:
            self.intro_rel = f"{CONTENT_DIR}/{self.intro or f'{PAGES_DIR}/{self.id}.md'}"

    @property
    def docs_path(self) -> str:
        """Path of the page relative to ``docs/``."""
        return f"{self.id}.md"

    @property
    def key_term(self) -> str:
        """The term the page is about: the first of ``terms``, or ``''`` when it lists none."""
        return self.terms[0] if self.terms else ""


class SiteSpec(YamlModel):
    """Site-wide settings: ``site:`` in the curation file."""

    title: Line
    """The site's name."""
    description: Line
    """What the site is, one line."""
    intro_rel: Annotated[str, DERIVED] = ""
    """Project-relative path of the home page intro (from ``intro``, default ``content_sources/pages/index.md``)."""
    explainers_group: Line = "Explainers"
    """Navigation group of pages without a group."""
    intro: IntroPath | None = None
    """Path of the home page intro under content_sources/. The default is pages/index.md."""

    def model_post_init(self, context: Any) -> None:
        if not self.intro_rel:
            self.intro_rel = f"{CONTENT_DIR}/{self.intro or f'{PAGES_DIR}/index.md'}"


class CurationFile(YamlModel):
    """``content_sources/curation.yml``: the site and its pages."""

    site: SiteSpec
    """Site-wide settings."""
    pages: ListOf[PageSpec]
    """The explainer pages, in navigation order."""


# --- content_sources/glossary.yml ----------------------------------------------------------------

class GlossaryTerm(YamlModel):
    """A glossary term: an entry under ``terms:`` in the glossary file."""

    term: TermName
    """The term as it should be shown (``open source``)."""
    definition: Line
    """One or two sentences. They are shown on hover."""
    aliases: TextListOf[TermName] = Field(default_factory=list)
    """Other spellings that count as a mention (``LLaMA``); each names this term only."""
    page: Annotated[str, DERIVED] = ""
    """Id of the page whose key term this is (see :attr:`PageSpec.terms`); ``''`` for none."""
    case_sensitive: YamlBool = False
    """Whether a mention must match case. Left out, true when the term has a capital letter (``Meta``)."""
    anchor: Annotated[str, DERIVED] = ""
    """Element id on the glossary page."""
    line: Annotated[int, DERIVED] = 0
    """Line of the term's entry in the glossary file."""

    retired_keys: ClassVar[dict[str, str]] = {
        "page": "remove it: a term links to the page that lists it first under 'terms' in "
                "content_sources/curation.yml (that page's key term), and otherwise to its glossary entry",
    }

    @model_validator(mode="before")
    @classmethod
    def _case_from_term(cls, data: Any) -> Any:
        """A term with a capital letter is matched with its case unless the file says otherwise."""
        if isinstance(data, dict) and "case_sensitive" not in data and isinstance(data.get("term"), str):
            data = {**data, "case_sensitive": any(c.isupper() for c in data["term"])}
        return data


class GlossaryFile(YamlModel):
    """``content_sources/glossary.yml``: the glossary terms."""

    terms: ListOf[GlossaryTerm]
    """Glossary terms."""


__all__ = ["CONTENT_DIR", "PAGES_DIR", "SOURCE_ORDERS", "Correction", "CurationFile", "GlossaryFile", "GlossaryTerm",
           "MAX_PARAGRAPH", "PageSpec", "SECTION_KEYS", "SectionRef", "SiteSpec", "SourceMeta", "number_ranges",
           "paragraph_anchor", "written_number"]
