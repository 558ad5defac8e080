"""What a web page says about itself: title, author, publisher, dates, address, language.

Each value is a :class:`Found`: the value and where it came from, in the
words an editor can check against the page (``JSON-LD headline``,
``Open Graph og:site_name``, ``<meta name="author">``, ``<time datetime>``,
``<title>``, ``text``). Sources are tried in the order that is most often
right on news and blog pages: schema.org JSON-LD, then Open Graph, then other
``<meta>`` tags, then the page's markup and text. Dates are decided by
htmldate (which weighs all of those and the address) and attributed to the
first source that gives the same day.

Every value is plain text: markup is removed, entities decoded, whitespace
collapsed, control characters dropped and the length capped; an address is
kept only when it is ``http(s)``.
"""

from __future__ import annotations

import html as _html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

if TYPE_CHECKING:
    from lxml import etree

_WS = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff\ufffd]")
_TAG = re.compile(r"<[^<>]*>")
_ARTICLE_TYPES = ("NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
                  "OpinionNewsArticle", "ReviewNewsArticle", "TechArticle", "ScholarlyArticle", "Report",
                  "LiveBlogPosting", "SocialMediaPosting", "BackgroundNewsArticle", "Review")
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|::|·|•|»|/)\s+")
_LANG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})*$")
_DATE_IN_URL = re.compile(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|\b)")
MAX_VALUE_CHARS = 300


@dataclass(frozen=True)
class Found:
    """One value read from a page, and where it came from.

    Attributes:
        value: Plain text (a date as ``YYYY-MM-DD``).
        origin: Where in the page it was found, such as ``JSON-LD headline``
            or ``Open Graph og:title``.
    """

    value: str
    origin: str


@dataclass
class PageMeta:
    """What a page says about itself; each field is ``None`` when the page does not say.

    Attributes:
        title: The article's title.
        author: Its author or authors (``A, B and C``).
        publisher: The publisher or site name.
        published: Publication date (``YYYY-MM-DD``).
        modified: Date of the last change, when later than ``published``.
        url: The page's canonical address.
        language: Primary language subtag (``en``).
        titles: Every text the page gives as its title (to recognise the
            title repeated as a heading in the text).
    """

    title: Found | None = None
    author: Found | None = None
    publisher: Found | None = None
    published: Found | None = None
    modified: Found | None = None
    url: Found | None = None
    language: Found | None = None
    titles: list[str] = field(default_factory=list)

    def fields(self) -> Iterator[tuple[str, Found | None]]:
        """``(name, value)`` of each field in the order the metadata file lists them."""
        for name in ("title", "author", "publisher", "published", "modified", "url", "language"):
            yield name, getattr(self, name)


def plain(value: Any, limit: int = MAX_VALUE_CHARS) -> str:
    """A metadata value as one line of plain text (markup removed, entities decoded, length capped)."""
    if not isinstance(value, str):
        return ""
    text = _html.unescape(_TAG.sub(" ", _html.unescape(value)))
    text = _WS.sub(" ", _CONTROL.sub("", text)).strip()
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    return text


def web_address(value: str, base: str = "") -> str:
    """``value`` as an absolute ``http(s)`` address (resolved against ``base``), or ``''``."""
    value = (value or "").strip()
    if not value or _CONTROL.search(value) or re.search(r"\s", value):
        return ""
    if base:
        value = urljoin(base, value)
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return value if len(value) <= 2000 else ""


def _json_ld(root: etree._Element) -> list[dict]:
    """schema.org objects from the page's JSON-LD, articles first."""
    objects: list[dict] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack and len(objects) < 200:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    articles = [o for o in objects if _types(o) & set(_ARTICLE_TYPES)]
    pages = [o for o in objects if _types(o) & {"WebPage", "ItemPage", "NewsMediaOrganization"}
             and o not in articles]
    return articles + pages


def _types(obj: dict) -> set[str]:
    t = obj.get("@type")
    return {x for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)}


def _names(value: Any) -> list[str]:
    """Names in a schema.org author/publisher value (a string, a Person or a list of them)."""
    if isinstance(value, str):
        return [plain(value)]
    if isinstance(value, dict):
        return [plain(value.get("name"))]
    if isinstance(value, list):
        return [n for v in value[:20] for n in _names(v)]
    return []


def join_names(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C`` (duplicates and addresses left out)."""
    seen: list[str] = []
    for name in names:
        name = re.sub(r"^by\s+", "", name, flags=re.IGNORECASE).strip()
        if name and not re.match(r"^https?://", name) and name.casefold() not in (s.casefold() for s in seen):
            seen.append(name)
    if len(seen) <= 1:
        return seen[0] if seen else ""
    return ", ".join(seen[:-1]) + " and " + seen[-1]


def _meta_tags(root: etree._Element) -> dict[str, list[tuple[str, str]]]:
    """``<meta>`` values by lower-case ``property``/``name``/``itemprop``/``http-equiv``: ``[(value, attr)]``."""
    tags: dict[str, list[tuple[str, str]]] = {}
    for el in root.iter("meta"):
        content = el.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (el.get(attr) or "").strip().lower()
            if key:
                tags.setdefault(key, []).append((content, attr))
    return tags


def _first_meta(tags: dict, names: tuple[str, ...], origin: str = "<meta>") -> Found | None:
    for name in names:
        for content, attr in tags.get(name, []):
            value = plain(content)
            if value:
                where = "Open Graph" if name.startswith(("og:", "article:")) else f'<meta {attr}="{name}">'
                return Found(value, f"{where} {name}" if where == "Open Graph" else where)
    return None


def _json_value(objects: list[dict], key: str) -> tuple[Any, str] | None:
    for obj in objects:
        if obj.get(key):
            return obj[key], f"JSON-LD {key}"
    return None


def _strip_site(title: str, site: str) -> str:
    """``title`` without a site name before or after a separator (``Title | Site``)."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    if site:
        kept = [p for p in parts if p.casefold() != site.casefold()]
        if kept and len(kept) < len(parts):
            return " - ".join(kept) if len(kept) > 1 else kept[0]
    # No known site name: the longest part is the headline when the others are short.
    longest = max(parts, key=len)
    if all(len(p) <= 40 for p in parts if p is not longest) and len(longest) >= 20:
        return longest
    return title


def page_metadata(root: etree._Element, url: str = "", html_text: str = "", with_dates: bool = False) -> PageMeta:
    """Read what a page says about itself.

    Args:
        root: The page parsed by lxml.
        url: The address it was fetched from (resolves a relative canonical
            link; the fallback address), or ``''`` for a saved file.
        html_text: The decoded page, for htmldate (only with ``with_dates``).
        with_dates: Decide the publication and modification dates with
            htmldate (slower; only ``curate import`` needs them).

    Returns:
        The metadata; fields the page does not give are ``None``.
    """
    meta = PageMeta()
    objects = _json_ld(root)
    text_of = _text_of
    tags = _meta_tags(root)

    # Publisher first: a title's site-name suffix is recognised by it.
    found = _json_value(objects, "publisher")
    if found and join_names(_names(found[0])):
        meta.publisher = Found(join_names(_names(found[0])), "JSON-LD publisher")
    meta.publisher = meta.publisher or _first_meta(
        tags, ("og:site_name", "application-name", "publisher", "dc.publisher", "citation_publisher",
               "twitter:site"))
    if meta.publisher and meta.publisher.value.startswith("@"):
        meta.publisher = None  # a Twitter handle, not a name
    site = meta.publisher.value if meta.publisher else ""

    titles: list[Found] = []
    found = _json_value(objects, "headline") or _json_value(objects[:1], "name")
    if found and plain(found[0]):
        titles.append(Found(plain(found[0]), found[1]))
    for name in ("og:title", "twitter:title", "dc.title", "citation_title", "parsely-title", "sailthru.title",
                 "title"):
        f = _first_meta(tags, (name,))
        if f:
            titles.append(f)
    h1 = next((el for el in root.iter("h1")), None)
    if h1 is not None and plain(text_of(h1)):
        titles.append(Found(plain(text_of(h1)),
                            "text <h1>"))
    title_el = next((el for el in root.iter("title")), None)
    if title_el is not None and plain(title_el.text or ""):
        titles.append(Found(plain(title_el.text or ""), "<title>"))
    cleaned = [Found(_strip_site(t.value, site), t.origin) for t in titles]
    meta.titles = sorted({t.value for t in titles} | {t.value for t in cleaned})
    meta.title = cleaned[0] if cleaned else None

    found = _json_value(objects, "author")
    if found and join_names(_names(found[0])):
        meta.author = Found(join_names(_names(found[0])), "JSON-LD author")
    if meta.author is None:
        for name in ("author", "article:author", "dc.creator", "citation_author", "parsely-author",
                     "sailthru.author", "byl", "twitter:creator"):
            values = [plain(c) for c, _ in tags.get(name, [])]
            joined = join_names([v for v in values if v and not v.startswith("@")])
            if joined:
                where = "Open Graph article:author" if name == "article:author" else f'<meta name="{name}">'
                meta.author = Found(joined, where)
                break
    if meta.author is None:
        names = [plain(text_of(el))
                 for el in root.iter("a", "span", "div", "p")
                 if (el.get("rel") or "").lower() == "author" or (el.get("itemprop") or "").lower() == "author"]
        joined = join_names([n for n in names if 0 < len(n) <= 80])
        if joined:
            meta.author = Found(joined, 'text (rel="author" or itemprop="author")')
    if meta.author is None:
        meta.author = _byline(root)

    canonical = next((el.get("href") for el in root.iter("link")
                      if "canonical" in (el.get("rel") or "").lower().split() and el.get("href")), None)
    address = web_address(canonical or "", url)
    if address:
        meta.url = Found(address, '<link rel="canonical">')
    else:
        f = _first_meta(tags, ("og:url",))
        address = web_address(f.value, url) if f else ""
        if address:
            meta.url = Found(address, "Open Graph og:url")
        elif web_address(url):
            meta.url = Found(url, "the address it was fetched from")

    html_el = root if root.tag == "html" else next(root.iter("html"), None)
    lang = (html_el.get("lang") or html_el.get("xml:lang") or "") if html_el is not None else ""
    candidates = [(lang, "<html lang>")]
    found = _json_value(objects, "inLanguage")
    if found and isinstance(found[0], str):
        candidates.append((found[0], "JSON-LD inLanguage"))
    for name, where in (("og:locale", "Open Graph og:locale"),
                        ("content-language", '<meta http-equiv="content-language">'),
                        ("dc.language", '<meta name="dc.language">'), ("language", '<meta name="language">')):
        for content, _ in tags.get(name, []):
            candidates.append((content, where))
    for value, where in candidates:
        m = _LANG.match((value or "").strip().split(",")[0].strip())
        if m:
            meta.language = Found(m.group(1).lower(), where)
            break

    if with_dates:
        meta.published, meta.modified = _dates(root, objects, tags, meta.url.value if meta.url else url, html_text)
    return meta


_BYLINE_CLASS = re.compile(r"\bbyline\b|\bauthor[-_]{0,2}name\b|\bbyline[-_]{1,2}\w+", re.IGNORECASE)
_BYLINE_TEXT = re.compile(r"^(?:(?:written|posted|reported|words)\s+)?by\s+(.{2,80}?)"
                          r"(?:\s+(?:on|at|in|for|\||—|–|-)\s.*)?$", re.IGNORECASE)


def _byline(root: etree._Element) -> Found | None:
    """An author named in the page's byline ("By Jane Doe", "Written by Jane Doe on 14 November 2019")."""
    for el in root.iter("div", "span", "p", "a", "address"):
        if not _BYLINE_CLASS.search(el.get("class") or ""):
            continue
        text = plain(_text_of(el))
        if not text or len(text) > 120:
            continue
        m = _BYLINE_TEXT.match(text)
        name = m.group(1).strip(" ,.") if m else text if len(text.split()) <= 4 else ""
        if name and any(c.isupper() for c in name[:1]):
            return Found(name, "text (byline)")
    return None


def _text_of(el: etree._Element) -> str:
    """The text inside an element (its tail left out)."""
    return "".join(el.itertext())


def _date_candidates(root: etree._Element, objects: list[dict], tags: dict, key: str, url: str
                     ) -> list[tuple[str, str]]:
    """``(YYYY-MM-DD, origin)`` of every date the page gives for ``key`` (``published`` or ``modified``)."""
    out: list[tuple[str, str]] = []
    json_key = "datePublished" if key == "published" else "dateModified"
    for obj in objects:
        value = obj.get(json_key)
        if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}", value.strip()):
            out.append((value.strip()[:10], f"JSON-LD {json_key}"))
    names = (("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
              "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created", "citation_publication_date",
              "citation_date", "parsely-pub-date", "sailthru.date", "article.published", "published_time")
             if key == "published" else
             ("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified", "dcterms.modified",
              "last-modified", "lastmod", "article.updated", "modified_time"))
    for name in names:
        for content, attr in tags.get(name, []):
            m = re.match(r"\s*(\d{4})[-/](\d{2})[-/](\d{2})", content)
            if m:
                where = f"Open Graph {name}" if name.startswith(("article:", "og:")) else f'<meta {attr}="{name}">'
                out.append((f"{m[1]}-{m[2]}-{m[3]}", where))
    for el in root.iter("time"):
        m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", el.get("datetime") or "")
        if m:
            prop = (el.get("itemprop") or "").lower()
            if key == "published" or prop == "datemodified":
                out.append((f"{m[1]}-{m[2]}-{m[3]}", "<time datetime>"))
    m = _DATE_IN_URL.search(urlsplit(url).path if url else "")
    if m and key == "published":
        out.append((f"{m[1]}-{m[2]}-{m[3]}", "the page's address"))
    # Any other dated <meta> or JSON-LD value, named by its key, for the date htmldate settles on.
    for name, values in sorted(tags.items()):
        for content, attr in values:
            m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", content)
            if m:
                out.append((f"{m[1]}-{m[2]}-{m[3]}", f'<meta {attr}="{name}">'))
    for obj in objects:
        for k, value in obj.items():
            if isinstance(value, str) and isinstance(k, str) and k.startswith("date"):
                m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
                if m:
                    out.append((f"{m[1]}-{m[2]}-{m[3]}", f"JSON-LD {k}"))
    return out


def _find_date(find_date: Any, page: str, url: str, original: bool, extensive: bool) -> str | None:
    try:
        value = find_date(page, url=url or None, original_date=original, extensive_search=extensive,
                          outputformat="%Y-%m-%d")
    except (ValueError, TypeError, RecursionError):
        return None
    return value if isinstance(value, str) else None


def _dates(root: etree._Element, objects: list[dict], tags: dict, url: str, html_text: str
           ) -> tuple[Found | None, Found | None]:
    """Publication and modification dates, attributed to their source.

    The publication date is htmldate's (markup first, then the text); the
    modification date is the page's structured one (JSON-LD ``dateModified``,
    ``article:modified_time``, …) when it gives one, else htmldate's, and is
    kept only when later than the publication date.
    """
    from htmldate import find_date
    from lxml import etree

    page = html_text or etree.tostring(root, encoding="unicode")
    results: list[Found | None] = []
    for key, original in (("published", True), ("modified", False)):
        candidates = _date_candidates(root, objects, tags, key, url)
        value = _find_date(find_date, page, url, original, extensive=False)
        if not original and candidates:
            # htmldate reads a page's own modification date less reliably than its structured data says it.
            value = candidates[0][0]
        origin = next((where for day, where in candidates if day == value), "text (found by htmldate)")
        if not value and original:
            # A date only in the text ("Published 19 November 2019"). htmldate's text search turns a bare
            # year (a copyright line) into 1 January: such a date is no publication date.
            value = _find_date(find_date, page, url, original, extensive=True)
            origin = next((where for day, where in candidates if day == value), "text (found by htmldate)")
            if value and value.endswith("-01-01") and origin.startswith("text"):
                value = None
        results.append(Found(value, origin) if value else None)
    published, modified = results
    if modified is not None and (published is None or modified.value <= published.value):
        modified = None
    return published, modified


__all__ = ["MAX_VALUE_CHARS", "Found", "PageMeta", "join_names", "page_metadata", "plain", "web_address"]
