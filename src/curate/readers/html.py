"""The HTML reader: web pages kept exactly as they were received (``.html``, ``.htm``).

Loading (:func:`decode_html`) follows the order browsers use (the WHATWG
encoding sniffing algorithm, simplified): a byte-order mark, then the charset
the page arrived with (``encoding:`` in its metadata, which ``curate import``
writes from the HTTP ``Content-Type`` header), then the page's own
``<meta charset>`` or ``http-equiv`` declaration, then detection: valid UTF-8
is UTF-8; otherwise charset-normalizer's guess when it names a non-Latin
script (Cyrillic, Greek, Chinese, Japanese, …), else Windows-1252, the
browsers' default for undeclared Western pages. A declaration the bytes
contradict is overruled with a note. A file that is really a PDF, an image or
an archive is refused with a clear error.

Cleaning (:func:`parse_html`) extracts the article with trafilatura
(favouring precision, comments excluded, headings kept), keeps the article's
own headings as sections (a heading that repeats the title is left out), and
then drops, block by block, the boilerplate trafilatura lets through, each
recorded with its reason (see :data:`DROP_REASONS`). The classes of
boilerplate are generic, never rules for one site:

* a related-content heading ("Related Posts", "More on this story", "Top
  stories", "You may also like", …) and the teaser run after it: links,
  headlines and excerpts, up to the next paragraph of real prose;
* inline teaser lines ("READ MORE: …", "Related: …", "SEE ALSO: …");
* lists of links to other stories (two or more blocks that are nothing but a
  short link), and after the article's last paragraph any such block, and
  cut-off teaser excerpts ("The building took three years to…");
* newsletter, app, social and share prompts; comment-section headings;
* bylines, datelines, reading times, tag lines and copyright lines;
* image captions and photo credits (trafilatura already drops images and
  their alt text; :func:`parse_html` reports the ones it finds in the
  article).

Passages are plain text, never markup: a ``<script>`` written as text in an
article stays text, and rendering escapes it. A page built to be slow (more
than :data:`MAX_ELEMENTS` elements, an element with more than
:data:`MAX_ATTRIBUTES` attributes) is not extracted, with a warning.
"""

from __future__ import annotations

import bisect
import codecs
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ..cleaning import PHOTO_CREDIT, ParsedText, _Builder, _same, is_boilerplate_heading
from ..encoding import _BOMS, Decoded, DecodeError, Note, line_at
from ..model import Correction
from .base import Reader
from .html_meta import page_metadata

if TYPE_CHECKING:
    from lxml import etree

# trafilatura, charset-normalizer and lxml are imported where they are used: a build whose sources are all
# text or Markdown never loads them (trafilatura alone takes a quarter of a second to import).

# trafilatura and htmldate log every page they discard at WARNING; curate reports its own errors.
for _name in ("trafilatura", "htmldate", "charset_normalizer"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

#: Options passed to trafilatura: favour precision, leave reader comments out, keep headings
#: (``include_formatting``), links (to measure how much of a block is links) and tables.
EXTRACT_OPTIONS = {"include_comments": False, "favor_precision": True, "include_formatting": True,
                   "include_links": True, "include_tables": True, "include_images": False, "deduplicate": False}

#: Why a block was dropped, as :attr:`ParsedText.dropped` reports it.
DROP_REASONS = {
    "related": "related links",
    "teasers": "links to other stories",
    "prompt": "newsletter, app or share prompt",
    "comments": "comments heading",
    "byline": "byline, dateline or credit line",
    "separator": "separator line",
    "copyright": "copyright line",
    "alt": "image alt text",
    "caption": "image caption",
    "credit": "photo credit",
}

HINT_BINARY = ("save the web page itself (in a browser: Save Page As…, 'Web Page, HTML only'), or import its "
               "address with curate import URL")

# File signatures of formats that are not HTML, checked before any decoding.
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word, OpenDocument or EPUB file)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg audio or video file"),
    (b"\x1aE\xdf\xa3", "a WebM or Matroska video"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
)

# WHATWG: these labels mean Windows-1252 in a browser; GB2312 pages are decoded as GBK.
_AS_CP1252 = {"latin-1", "iso8859-1", "ascii", "iso8859-15", "cp1252"}
_ALIASES = {"gb2312": "gbk", "x-sjis": "shift_jis", "x-gbk": "gbk"}
# Codecs charset-normalizer may name that are right even when the bytes would also pass as
# Windows-1252: non-Latin single-byte scripts and every multi-byte encoding.
_TRUSTED_GUESSES = {
    "cp1251", "koi8_r", "koi8_u", "iso8859_5", "cp866", "mac_cyrillic", "cp1253", "iso8859_7", "cp1255",
    "iso8859_8", "cp1256", "iso8859_6", "cp874", "tis_620", "shift_jis", "cp932", "euc_jp", "iso2022_jp",
    "gb2312", "gbk", "gb18030", "big5", "big5hkscs", "cp950", "euc_kr", "cp949", "johab", "hz",
}
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
_META_CHARSET = re.compile(
    rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9_.:()-]+)", re.IGNORECASE)
_XML_DECL = re.compile(rb"^<\?xml[^>]*\bencoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)[\"']")
# The WHATWG prescan looks at the first 1024 bytes; pages often declare later, after long comments.
_PRESCAN_BYTES = 4096


def sniff_binary(data: bytes) -> str:
    """What the bytes are when they are a known non-HTML format (``'a PDF document'``), else ``''``."""
    head = data[:64].lstrip(b" \t\r\n")
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return what
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        return "a WebP image"
    if data[4:8] == b"ftyp":
        return "an MP4 or QuickTime video (or a HEIC image)"
    return ""


def declared_charset(data: bytes) -> str:
    """The charset a page declares in its first bytes (``<meta charset>``, ``http-equiv``, ``<?xml``), or ``''``."""
    head = data[:_PRESCAN_BYTES]
    m = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "replace") if m else ""


def _codec(label: str) -> str:
    """Python codec name for a charset label, as a browser reads it; ``''`` when unknown."""
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return ""
    return "cp1252" if name in _AS_CP1252 else name


def decode_html(data: bytes, declared: str = "", transport: str = "") -> Decoded:
    """Decode a web page's bytes.

    Args:
        data: The page exactly as received.
        declared: ``encoding:`` from the page's metadata: it wins over
            everything but a byte-order mark, and bytes it cannot decode are
            an error (the editor, or ``curate import``, named it).
        transport: The charset of the HTTP ``Content-Type`` header it came
            with; bytes it cannot decode get a note and detection instead.

    Returns:
        NFC text with LF line endings; ``encoding`` is the codec used.

    Raises:
        curate.encoding.DecodeError: The file is not HTML (a PDF, an image,
            an archive), holds NUL bytes, ``declared`` is unknown or wrong,
            or the encoding cannot be decided.
    """
    what = sniff_binary(data)
    if what:
        raise DecodeError(0, f"the file is {what}, not an HTML page", 1, HINT_BINARY)
    notes: list[Note] = []
    text, codec = "", ""
    bom = next(((b, name) for b, name in _BOMS if data.startswith(b)), None)
    if bom is not None:
        codec = bom[1]
        try:
            text = data[len(bom[0]):].decode(codec)
        except UnicodeDecodeError as exc:
            offset = len(bom[0]) + exc.start
            raise DecodeError(offset, f"not valid {codec.upper()} at byte offset {offset} ({exc.reason}), though "
                                      f"the page starts with a {codec.upper()} byte-order mark",
                              line_at(data, offset, codec), "get the page again from where it came from") from None
    elif declared:
        codec = _codec(declared)
        if not codec:
            raise DecodeError(0, f"unknown encoding '{declared}' named in the metadata", 0,
                              "use a name such as utf-8, windows-1252 or shift_jis")
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise DecodeError(exc.start, f"not valid {declared} at byte offset {exc.start} "
                                         f"(byte 0x{data[exc.start]:02X}: {exc.reason})", line_at(data, exc.start),
                              "check the 'encoding:' named in the metadata, or remove it to detect the "
                              "encoding") from None
    else:
        for label, where in ((transport, "the HTTP header"), (declared_charset(data), "the page")):
            if not label:
                continue
            codec = _codec(label)
            if codec.startswith(("utf-16", "utf-32")):
                # A page whose declaration can be read as ASCII is not UTF-16 (WHATWG: read as UTF-8).
                codec = "utf-8"
            if not codec:
                notes.append(Note(0, f"{where} names an unknown encoding '{label}'; the encoding was detected",
                                  "nothing to do if the text reads right"))
                continue
            if codec != "utf-8" and not data.isascii() and _is_utf8(data):
                # A legacy declaration on UTF-8 bytes would turn every "’" into "â€™".
                notes.append(Note(0, f"{where} declares {label}, but the bytes are UTF-8; read as UTF-8",
                                  "nothing to do if the text reads right"))
                text, codec = data.decode("utf-8"), "utf-8"
                break
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                notes.append(Note(line_at(data, exc.start), f"{where} declares {label}, but byte "
                                  f"0x{data[exc.start]:02X} at byte offset {exc.start} is not valid {label}; "
                                  "the encoding was detected instead", "check the text reads right"))
                codec = ""
                continue
            break
        if not codec:
            text, codec = _detect(data, notes)
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        offset = data.find(b"\x00")
        raise DecodeError(max(offset, 0), f"NUL byte at byte offset {max(offset, 0)}: the file is not a text "
                                          "web page (binary or truncated)", line_at(data, max(offset, 0)),
                          HINT_BINARY)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return Decoded(text, codec, tuple(notes))


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(data: bytes, notes: list[Note]) -> tuple[str, str]:
    """Text and codec of bytes that declare nothing (or something wrong)."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    loose = data.decode("utf-8", "surrogateescape")
    invalid = sum(1 for c in loose if "\udc80" <= c <= "\udcff")
    valid_multibyte = sum(1 for c in loose if c > "\x7f" and not "\udc80" <= c <= "\udcff")
    if valid_multibyte > 4 * invalid:
        notes.append(Note(line_at(data, first_bad), f"{invalid} byte{'s' if invalid != 1 else ''} that are not valid "
                          f"UTF-8 (the first at byte offset {first_bad}) in a UTF-8 page; "
                          f"{'they are' if invalid != 1 else 'it is'} left out", "check the text reads right"))
        return data.decode("utf-8", "replace").replace("\ufffd", ""), "utf-8"
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    guess = codecs.lookup(best.encoding).name.replace("-", "_") if best is not None else ""
    cp1252_possible = not any(b in _CP1252_UNDEFINED for b in data)
    if guess in _TRUSTED_GUESSES or (guess and not cp1252_possible):
        codec = codecs.lookup(guess).name
        notes.append(Note(0, f"the page declares no encoding and is not UTF-8; detected as {codec}",
                          "check the text reads right; if it does not, name the encoding with 'encoding:' in the "
                          "metadata"))
        return data.decode(codec, "replace"), codec
    if cp1252_possible:
        notes.append(Note(line_at(data, first_bad), f"not valid UTF-8 (byte 0x{data[first_bad]:02X} at byte offset "
                          f"{first_bad}) and no encoding declared; read as Windows-1252",
                          "nothing to do if the text reads right; otherwise name the encoding with 'encoding:' in "
                          "the metadata"))
        return data.decode("cp1252"), "cp1252"
    raise DecodeError(first_bad, f"not valid UTF-8 at byte offset {first_bad} and no encoding declared or "
                                 "detected: the encoding cannot be decided", line_at(data, first_bad),
                      "name the page's encoding with 'encoding:' in its metadata")


# --- cleaning -----------------------------------------------------------------------------------------

_WS = re.compile(r"\s+")
_ELLIPSIS = ("…", "...", "[…]", "[...]", "(…)")

# "Read also" and "related articles" in other languages (German, French, Italian, Spanish, Portuguese,
# Dutch, Russian, Japanese, Korean, Chinese).
_RELATED_ELSEWHERE = (r"lesen sie auch|mehr zum thema|das könnte sie auch interessieren|(?:à )?lire aussi|"
                      r"sur le même sujet|leggi anche|potrebbe interessarti|lea también|ver también|leia também|"
                      r"veja também|lees ook|читайте также|по теме|"
                      r"関連記事|関連ニュース|관련\s?기사|相关阅读|延伸阅读|相關新聞")
# Headings (and first lines) that start a block of links to other stories, beyond
# cleaning.BOILERPLATE_HEADINGS. Matched on the whole line, case-insensitively.
RELATED_HEADING = re.compile(
    r"^(?:related(?: (?:posts?|articles?|stories|story|news|content|coverage|reading|links|videos?|topics|items|"
    r"guides?|reviews?|podcasts?|galleries|searches))?|"
    r"more (?:on|about) (?:this|the) (?:story|topic|subject|issue)|more (?:stories|news|videos?|articles) .{1,40}|"
    r"more (?:from|in|on) .{1,40}|more to (?:read|explore)|more like this|"
    r"(?:you|we think you) (?:may|might|will|would|could) (?:also )?(?:like|enjoy|be interested in|want to read)|"
    r"recommended(?: for you| stories| reading| articles| videos)?|further reading|(?:top|trending|featured|latest) "
    r"(?:stories|news|posts|articles|videos)|"
    r"most (?:popular|read|viewed|shared|emailed|watched|commented)(?: .{1,40})?|"
    r"popular (?:on|in|at) .{1,40}|(?:also|read|see|watch) (?:also|more|next|this)|read these next|up next|"
    r"what to read next|editor'?s'? (?:picks|choice)|don'?t miss(?: this)?|explore further|keep reading|"
    r"other (?:stories|articles|news)|recent (?:posts|articles|stories)|trending(?: now)?|in case you missed it|"
    r"more headlines|in other news|around the web|from (?:our|the) (?:partners|network)|elsewhere on .{1,40}|"
    r"sponsored(?: content| stories| links)?|promoted(?: stories| content| links)?|(?:more|latest) .{1,30} news|"
    r"(?:more|also)\s*:|" + _RELATED_ELSEWHERE + r")\s*[:.…]*$",
    re.IGNORECASE,
)
# "READ MORE: headline", "Related: headline", "[Related: …]", "SEE ALSO - headline".
INLINE_RELATED = re.compile(
    r"^also on [\w.-]+\.\w+\s+\S|"
    r"^\[?\(?\s*(?:read more|more|related|related(?: \w+){1,2}|see also|" + _RELATED_ELSEWHERE + "|"
    r"also read|read also|read next|also see|see more|also|watch|watch more|recommended|must read|further reading|"
    r"more on this|more from .{1,30}|related video|video|listen|pictured|more reading|"
    r"in pictures|top stories|don'?t miss|trending)(?:\s*[:|»›>–—]|\s+-)\s*\S",
    re.IGNORECASE,
)
_PROMPTS = re.compile(
    r"^(?:(?:click|tap) here\b.{0,60}\b(?:app|newsletter|subscribe|sign up|alerts)\b|(?:subscribe|sign up|signup|"
    r"register|join)\b.{0,80}\b(?:newsletters?|inbox|updates|alerts|channel|podcast|youtube)\b|"
    r"get (?:the|our) .{0,60}(?:newsletter|app)\b|"
    r"(?:download|install) (?:the|our) .{0,40}app\b|"
    r"(?:follow|like|find|join) (?:us|\S+(?: \S+){0,3}) on (?:twitter|x|facebook|instagram|linkedin|youtube|tiktok|"
    r"telegram|whatsapp|flipboard|google news|threads|bluesky|mastodon)|"
    r"share (?:this (?:article|story|post|page)|on (?:facebook|twitter|x|linkedin|whatsapp|email)|via)\b|"
    r"(?:like|enjoyed|love) this (?:story|article|post)\?|"
    r"thanks? (?:you )?for (?:signing up|subscribing|reading)|keep an eye on your inbox|"
    r"(?:there was|an) error (?:has occurred|processing your)|please try again later|"
    r"(?:print|email|share|save|comment)(?: this)?(?: article| story| page)?$|"
    r"order reprints|reprints?(?: & permissions)?$|"
    r"visit .{0,60} (?:homepage|home page|website) for more|follow .{0,60}\bcoverage\b|"
    r"(?:get|receive) .{0,60} (?:delivered|sent|straight|right) (?:to|in|into) your inbox)"
    r"|^(?:newsletters?|click to tweet|sign up(?: for free)?|sign in|log in|register|subscribe(?: now| today)?|"
    r"advertisement|print|email)[!.:]?$",
    re.IGNORECASE,
)
_NEWSLETTER_HEADING = re.compile(r"^(?=(?:\S+\s+){0,9}\S+$).*(?:\bnewsletters?\b|^subscribe\b|^sign up\b)",
                                 re.IGNORECASE)
# The line under a newsletter's name: "Get the day's big stories delivered every morning".
_TAGLINE = re.compile(r"^(?:get|receive|stay|join|sign|subscribe|be the first|never miss)\b|\b(?:your inbox|"
                      r"every (?:morning|day|week|weekday)|daily|weekly)\b", re.IGNORECASE)
_COMMENTS = re.compile(
    r"^(?:\d+\s+)?(?:comments?|reader comments|tell us what you think|leave a (?:comment|reply)|post a comment|"
    r"join the (?:conversation|discussion)|have your say|what do you think|discussion|add your comment|"
    r"show comments|view comments)\b[\s.!?…]*(?:\w+\s*[.!?…]*)?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:(?:written |reported |posted |published |photos? |story |words )?by\s+\S|"
    r"(?:published|updated|posted|last (?:updated|modified)|modified|first published|"
    r"originally published|released|created)\b.{0,60}\d|"
    r"(?:reading time|read time|temps de lecture|tiempo de lectura|tempo de leitura|lesezeit|lettura)\b|"
    r"\d+\s*(?:-\s*)?(?:min(?:ute)?s?|minuto?s?)(?: read| de lectura| de leitura| lesezeit)?\s*$|"
    r"(?:filed under|tags?|tagged(?: with)?|categor(?:y|ies)|topics?)\s*:|tags$|"
    r"\S+(?: \S+){0,4} contributed (?:reporting|to this report)|additional reporting by|"
    r"(?:source|sources|via)\s*:\s*\S|write to \S+(?: \S+){0,4} at \S+@|"
    r"(?:contact|email) (?:the )?(?:author|reporter|writer)\b|\(?(?:additional )?(?:reporting|writing|editing) by\b|"
    r"contributing\s*:|citation\s*:|reach the (?:reporter|writer|author)s?\b)",
    re.IGNORECASE,
)
# Credit and contact lines that may come anywhere in a line: "X and Y contributed to this report.",
# "Email Tariq Malik at … or follow him @…", "Have a tip? … may be reached at …".
_CREDIT = re.compile(
    r"\bcontributed (?:reporting|to this (?:report|story|article))|\b(?:may|can) be reached (?:at|by|on)\b|"
    r"\bfollow (?:him|her|them|me) (?:on|at|@)|^email \S+(?: \S+){0,3} at \S+@",
    re.IGNORECASE,
)
_DATELINE_ONLY = re.compile(
    r"^[\W\d]*(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*\.?,?\s+)?(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*\w{0,4}\s*)?"
    r"(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.? \d{1,2},? \d{4}|"
    r"\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{4})[\s,|–—-]*"
    r"(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*\w{0,4})?[\W]*$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\)\s*\d{4})|\ball rights reserved\b|^[^.]{0,60}©\s*\d{4}",
                        re.IGNORECASE)
_PHOTO_CREDIT_LINE = re.compile(
    r"^(?:\(?\s*(?:photo|photograph|image|picture|illustration|credit)s?(?: credit)?\s*(?:by|:|©)\s*"
    r"[^.!?]{1,80}\)?|(?:getty images|reuters|ap photo|afp|shutterstock|istock)(?:/[^.!?]{1,40})?)$",
    re.IGNORECASE,
)
_PHOTO_COPYRIGHT = re.compile(r"\b(?:photos?|images?|pictures?|foto)s?\s*(?:©|\(c\)|copyright)", re.IGNORECASE)

_REFERENCE = re.compile(r"^\[\d+\]|\bdoi\b|\b(?:19|20)\d{2}\s*[;:(]|\bpp?\.\s*\d", re.IGNORECASE)
# A share button glued to the end of a pull quote ("… the path forward.Click To Tweet").
_SHARE_SUFFIX = re.compile(r"\s*(?:click to tweet|tweet this|share this quote)\s*$", re.IGNORECASE)
# A block read as prose: this many words, mostly not links, not cut off with an ellipsis.
_PROSE_WORDS = 25
# A line this short may be a prompt, byline or teaser; longer lines are left alone.
_SHORT_WORDS = 25
_TEASER_MAX_WORDS = 30


@dataclass
class _Line:
    """One line of a block (blocks break lines at ``<br>``): its text and how much of it is link text."""

    text: str = ""
    linked: int = 0

    @property
    def clean(self) -> str:
        return _WS.sub(" ", self.text).strip()


@dataclass
class _Block:
    """A block of trafilatura's output: a heading, paragraph, list item, quotation or table row."""

    kind: str
    lines: list[_Line] = field(default_factory=list)

    # Computed once: blocks are complete before any rule reads them.
    @cached_property
    def text(self) -> str:
        return " ".join(t for t in (line.clean for line in self.lines) if t)

    @cached_property
    def link_density(self) -> float:
        total = sum(len(line.clean) for line in self.lines)
        return min(1.0, sum(line.linked for line in self.lines) / total) if total else 0.0


# A character of a script written without spaces between words (Chinese, Japanese) counts as a word.
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W\u3040-\u30ff\u3400-\u4dbf"
                   r"\u4e00-\u9fff\uf900-\ufaff]+")


def word_count(text: str) -> int:
    """Words in ``text``: runs of letters and digits, each Chinese or Japanese character one word."""
    return len(_WORD.findall(text))


def _words(text: str) -> int:
    return len(text.split())


def _collect(el: etree._Element, lines: list[_Line], in_ref: bool = False) -> None:
    """Append the text under ``el`` to ``lines`` (a new line at each ``<lb/>``), counting link text."""
    stack: list[tuple[etree._Element, bool, bool]] = [(el, in_ref, False)]
    while stack:
        node, ref, tail_only = stack.pop()
        if tail_only:
            if node.tail:
                lines[-1].text += node.tail
                if ref:
                    lines[-1].linked += len(_WS.sub(" ", node.tail).strip())
            continue
        if node.tag == "lb":
            lines.append(_Line())
        else:
            inner = ref or node.tag == "ref"
            if node.text:
                lines[-1].text += node.text
                if inner:
                    lines[-1].linked += len(_WS.sub(" ", node.text).strip())
            # Children in order, each followed by its tail (which belongs to this node's link state).
            for child in reversed(node):
                stack.append((child, inner, True))
                stack.append((child, inner, False))


def _text_block(kind: str, el: etree._Element, skip: Iterable[str] = ()) -> _Block:
    """A block of the text under ``el``; children tagged ``skip`` (a nested list) are left out."""
    block = _Block(kind, [_Line()])
    if el.text:
        block.lines[-1].text += el.text
    for child in el:
        if child.tag in skip:
            block.lines[-1].text += " "
        else:
            _collect(child, block.lines)
        if child.tail:
            block.lines[-1].text += child.tail
    return block


def _blocks(body: etree._Element) -> list[_Block]:
    """trafilatura's output tree as a flat list of blocks, in reading order."""
    out: list[_Block] = []
    stack: list[etree._Element] = list(reversed(body))
    if body.text and body.text.strip():
        out.append(_Block("paragraph", [_Line(body.text)]))
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag == "head":
            out.append(_text_block("heading", el))
        elif tag == "list":
            stack.extend(reversed(list(el)))
        elif tag == "item":
            out.append(_text_block("item", el, skip=("list",)))
            nested = [child for child in el if child.tag == "list"]
            stack.extend(reversed(nested))
        elif tag == "quote" and any(child.tag in ("p", "list", "quote", "head") for child in el):
            stack.extend(reversed(list(el)))
        elif tag == "table":
            for row in el.iter("row"):
                cells = []
                linked = 0
                for cell in row.iter("cell"):
                    b = _text_block("cell", cell)
                    if b.text:
                        cells.append(b.text)
                        linked += sum(line.linked for line in b.lines)
                if cells:
                    out.append(_Block("row", [_Line(" | ".join(cells), linked)]))
        elif tag in ("div", "body", "section", "article", "main"):
            stack.extend(reversed(list(el)))
        else:  # p, quote, code, hi, ref and anything else: one block
            out.append(_text_block("quote" if tag == "quote" else "paragraph", el))
        if tag not in ("p", "head", "item", "quote", "code") and el.tail and el.tail.strip() and el.getparent() is body:
            out.append(_Block("paragraph", [_Line(el.tail)]))
    return [b for b in out if b.text]


class _LineFinder:
    """Finds the line of the page on which a piece of extracted text starts.

    trafilatura's output does not keep source lines, so the text is looked up in the page's own text
    (whitespace removed on both sides, so inline markup and line breaks do not matter), moving forward
    through the page as the article does.
    """

    _SKIP = frozenset({"script", "style", "template", "noscript", "head", "title", "svg", "math", "iframe",
                       "object"})

    def __init__(self, root: etree._Element | None):
        self.chunks: list[str] = []
        self.starts: list[int] = []
        self.lines: list[int] = []
        self.captions: list[tuple[int, int, str, str]] = []  # (offset, line, reason, text)
        self.pos = 0
        self.last_line = 1
        size = 0
        if root is None:
            self.text = ""
            return
        from lxml import etree

        skipping = 0
        in_caption = 0
        caption: list[str] = []
        for event, el in etree.iterwalk(root, events=("start", "end")):
            tag = el.tag if isinstance(el.tag, str) else ""
            line = el.sourceline or (self.lines[-1] if self.lines else 1)
            if event == "start":
                if tag in self._SKIP:
                    skipping += 1
                if skipping:
                    continue
                if tag == "figcaption":
                    in_caption += 1
                elif tag == "img" and (el.get("alt") or "").strip():
                    self.captions.append((size, line, "alt", _WS.sub(" ", el.get("alt")).strip()))
                if el.text:
                    size = self._add(el.text, line, size)
                    if in_caption:
                        caption.append(el.text)
            else:
                if tag in self._SKIP:
                    skipping -= 1
                elif tag == "figcaption" and in_caption:
                    in_caption -= 1
                    if not in_caption:
                        text = _WS.sub(" ", "".join(caption)).strip()
                        if text:
                            self.captions.append((size, line, "caption", text))
                        caption = []
                if skipping:
                    continue
                if el.tail:
                    size = self._add(el.tail, line, size)
                    if in_caption:
                        caption.append(el.tail)
        self.text = "".join(self.chunks)

    def _add(self, text: str, line: int, size: int) -> int:
        squeezed = _WS.sub("", text)
        if not squeezed:
            return size
        self.chunks.append(squeezed)
        self.starts.append(size)
        # A chunk's line is where its element starts, plus the newlines before its first visible character.
        lead = len(text) - len(text.lstrip())
        self.lines.append(line + text.count("\n", 0, lead))
        return size + len(squeezed)

    def line_at(self, offset: int) -> int:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.lines[i] if i >= 0 else 1

    def find(self, text: str) -> tuple[int, int]:
        """``(line, offset)`` of ``text`` at or after the last find; the last line when it is not found."""
        squeezed = _WS.sub("", text)
        for size in (60, 20):
            key = squeezed[:size]
            if not key:
                break
            at = self.text.find(key, self.pos)
            if at < 0:
                at = self.text.find(key)
            if at >= 0:
                self.pos = at + len(key)
                self.last_line = self.line_at(at)
                return self.last_line, at
        return self.last_line, -1


def _parse(html: str) -> etree._Element | None:
    """The page as an lxml tree (``None`` when nothing can be parsed)."""
    from lxml import etree

    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8", huge_tree=False)
    try:
        return etree.fromstring(html.encode("utf-8", "replace"), parser)
    except (etree.ParserError, ValueError):
        return None


def _same_title(text: str, titles: Iterable[str]) -> bool:
    return any(_same(text, t) for t in titles if t)


def _teaser_line(line: _Line) -> bool:
    text = line.clean
    words = _words(text)
    if not text:
        return True
    density = line.linked / len(text)
    return density >= 0.5 or text.endswith(_ELLIPSIS) or words <= _TEASER_MAX_WORDS and not _prose_end(text)


def _prose_end(text: str) -> bool:
    return text.rstrip("\"'”’)»").endswith((".", "!", "?", ":", ";"))


def _in_run(block: _Block, run: str) -> bool:
    """Whether a block continues the teaser run after a related heading (``run`` ``'related'``) or the
    prompt after a newsletter heading (``'prompt'``): links, cut-off excerpts and fragments such as
    "[VIDEO]" continue it; a heading that is not a link, and any real text, end it."""
    text = block.text
    if block.link_density >= 0.5 or text.endswith(_ELLIPSIS):
        return True
    if block.kind == "heading":
        return run == "prompt" and bool(_NEWSLETTER_HEADING.search(text) or _PROMPTS.search(text)
                                         or _TAGLINE.search(text))
    if run == "prompt":
        return _words(text) <= _SHORT_WORDS and not _is_prose(block)
    return _words(text) <= 3


def _is_prose(block: _Block) -> bool:
    """A block of real prose: mostly not links, not a cut-off teaser excerpt, and either long or
    made of whole sentences (teaser headlines do not end with a full stop)."""
    text = block.text
    words = _words(text)
    return (block.kind in ("paragraph", "quote", "item") and block.link_density < 0.5
            and not text.endswith(_ELLIPSIS) and (words >= _PROSE_WORDS or words >= 6 and _prose_end(text)))


def _is_link_only(block: _Block) -> bool:
    """A block that is nothing but a short link: a headline pointing to another story.

    A reference in a bibliography (``[1] …``, a DOI, a year followed by a
    volume) is a link too, but belongs to the article.
    """
    text = block.text
    return (block.kind in ("paragraph", "item", "heading") and block.link_density >= 0.8
            and _words(text) <= _TEASER_MAX_WORDS and not text.endswith(".") and not _REFERENCE.search(text))


def _line_reason(text: str, linked: int) -> str:
    """Why one line (or one-line block) is boilerplate, as a :data:`DROP_REASONS` key, or ``''``."""
    words = _words(text)
    if words > _SHORT_WORDS * 2:
        return ""
    if not any(c.isalnum() for c in text):
        return "separator"
    density = linked / len(text) if text else 0.0
    short = words <= _SHORT_WORDS
    if short and INLINE_RELATED.match(text) and (density >= 0.3 or not _prose_end(text) or words <= 15):
        return "related"
    if short and (_PROMPTS.search(text) and (words <= 20 or density >= 0.3)):
        return "prompt"
    if short and _COMMENTS.match(text):
        return "comments"
    if words <= 15 and (_BYLINE.match(text) or _DATELINE_ONLY.match(text)) or words <= 40 and _CREDIT.search(text):
        return "byline"
    if words <= 20 and _COPYRIGHT.search(text):
        return "copyright"
    if words <= 15 and (_PHOTO_CREDIT_LINE.match(text) or _PHOTO_COPYRIGHT.search(text)):
        return "credit"
    if words <= 40 and PHOTO_CREDIT.search(text):
        return "caption"
    return ""


def _related_heading(text: str) -> bool:
    core = text.strip().strip("*_#·•|[](){}").strip()
    return bool(RELATED_HEADING.match(core)) or is_boilerplate_heading(core)


def parse_html(html: str, corrections: Sequence[Correction] = (), title_hint: str = "", default_title: str = "",
               titles: Iterable[str] = ()) -> ParsedText:
    """Extract an article from a page and clean it into title, sections and passages.

    Args:
        html: The decoded page.
        corrections: Typo fixes to apply to passages.
        title_hint: Title from the metadata; wins over the page's own.
        default_title: Title when neither the metadata nor the page gives one.
        titles: More texts that are the title (Open Graph, JSON-LD, ``<h1>``);
            the page's own are found too.

    Returns:
        The structure found; ``plain_text`` is the kept article text
        (title, headings and passages, uncorrected), which quotations are
        verified against. No article text gives no sections. Never raises on
        any text.
    """
    problem = page_shape_problem(html)
    root = _parse(html) if not problem else None
    if root is not None:
        problem = page_shape_problem(html, root)
    meta = page_metadata(root) if root is not None and not problem else None
    page_titles = [title_hint, *titles, *(meta.titles if meta else [])]
    title = title_hint or (meta.title.value if meta and meta.title else "")
    b = _Builder(list(corrections), 0, html_markup=False)
    plain: list[str] = [title] if title else []
    body, failure = _extract(html) if not problem else (None, "")
    if body is None:
        result = b.finish(title, title or default_title)
        result.plain_text = "\n\n".join(plain)
        if problem or failure:
            result.warnings.append((0, problem or failure))
        return result
    finder = _LineFinder(root)
    blocks = _blocks(body)
    teasers = _teaser_runs(blocks)
    first_offset = last_offset = -1
    seen_text = False
    run = ""  # "related" while inside the teaser run after a related heading, "prompt" after a prompt heading
    for index, block in enumerate(blocks):
        text = block.text
        line, offset = finder.find(text)
        if first_offset < 0 <= offset:
            first_offset = offset  # the article starts here (at its title, when trafilatura keeps it)
        if not seen_text and block.kind in ("heading", "paragraph") and _same_title(text, page_titles):
            continue  # the title, shown as the page's title
        if run:
            if _in_run(block, run):
                b.drop(line, DROP_REASONS[run], text)
                continue
            run = ""
        if index in teasers:
            b.drop(line, DROP_REASONS["teasers"], text)
            continue
        if block.kind == "heading":
            if _related_heading(text):
                b.drop(line, DROP_REASONS["related"], text)
                run = "related"
                continue
            if _NEWSLETTER_HEADING.search(text) or _PROMPTS.search(text):
                b.drop(line, DROP_REASONS["prompt"], text)
                run = "prompt"
                continue
            reason = _line_reason(text, block.lines[0].linked if block.lines else 0)
            if reason in ("related", "comments", "byline", "copyright"):
                b.drop(line, DROP_REASONS[reason], text)
                continue
            b.heading(text, line)
            plain.append(text)
            continue
        if len(block.lines) == 1 and _related_heading(text):
            b.drop(line, DROP_REASONS["related"], text)
            run = "related"
            continue
        kept: list[str] = []
        line_run = False
        for ln in block.lines:
            t = ln.clean
            if not t:
                continue
            suffix = _SHARE_SUFFIX.search(t)
            if suffix and suffix.start() > 0:
                b.drop(line, DROP_REASONS["prompt"], t[suffix.start():].strip())
                t = t[:suffix.start()]
            if line_run:
                if _teaser_line(ln):
                    b.drop(line, DROP_REASONS["related"], t)
                    continue
                line_run = False
            if len(block.lines) > 1 and _related_heading(t):
                b.drop(line, DROP_REASONS["related"], t)
                line_run = True
                continue
            reason = _line_reason(t, ln.linked)
            if reason:
                b.drop(line, DROP_REASONS[reason], t)
                continue
            kept.append(t)
        if kept:
            passage = " ".join(kept)
            b.passage(passage, line)
            plain.append(passage)
            seen_text = True
            if offset >= 0:
                last_offset = offset
    kept_text = _WS.sub("", " ".join(plain))
    for offset, line, kind, text in finder.captions:
        # Reported only when inside the article and not kept (some pages repeat a caption as text).
        if 0 <= first_offset <= offset <= last_offset and _WS.sub("", text) not in kept_text:
            b.drop(line, DROP_REASONS[kind], text)
    result = b.finish(title, title or default_title)
    result.plain_text = "\n\n".join(plain)
    return result


def _teaser_runs(blocks: list[_Block]) -> set[int]:
    """Indexes of blocks in lists of links to other stories.

    Two or more blocks in a row that are nothing but a short link; after the
    article's last block of prose, any such block, and cut-off excerpts when
    there are two or more.
    """
    marked: set[int] = set()
    run: list[int] = []
    for i, block in enumerate(blocks + [_Block("end", [_Line("end")])]):
        if block.kind != "end" and _is_link_only(block):
            run.append(i)
            continue
        if len(run) >= 2:
            marked.update(run)
        run = []
    last_prose = max((i for i, block in enumerate(blocks) if _is_prose(block)), default=-1)
    tail = range(last_prose + 1, len(blocks))
    marked.update(i for i in tail if _is_link_only(blocks[i]))
    # Cut-off excerpts of teasers whose links trafilatura dropped; one alone may be the end of a
    # paywalled article, so only a list of them counts.
    excerpts = [i for i in tail if blocks[i].kind != "heading" and blocks[i].text.endswith(_ELLIPSIS)
                and _words(blocks[i].text) <= _TEASER_MAX_WORDS]
    if len(excerpts) >= 2:
        marked.update(excerpts)
    return marked


def _extract(html: str) -> tuple[etree._Element | None, str]:
    """trafilatura's article tree for a page (``None`` when it finds no article text), and why it failed."""
    import trafilatura
    from lxml import etree

    try:
        doc = trafilatura.bare_extraction(html, **EXTRACT_OPTIONS)  # type: ignore[arg-type]
        if doc is None:
            # Precision mode can reject a short article outright; the balanced mode may still find it.
            options = dict(EXTRACT_OPTIONS, favor_precision=False)
            doc = trafilatura.bare_extraction(html, **options)  # type: ignore[arg-type]
    except (ValueError, TypeError, etree.LxmlError, RecursionError):  # a page lxml cannot parse
        return None, ""
    except Exception as exc:  # noqa: BLE001 - a failure of the extractor on one page must not stop a build
        return None, (f"the article extractor failed on this page ({type(exc).__name__}: {exc}); no text was "
                      "extracted")
    return (getattr(doc, "body", None) if doc is not None else None), ""


#: More elements than this is no article page (a whole site, a generated file): not extracted.
MAX_ELEMENTS = 100_000
#: More attributes on one element than this is not markup anyone wrote (libxml2 takes quadratic time on them).
MAX_ATTRIBUTES = 1_000
_LONG_TAG = re.compile(r"<[A-Za-z][^<>]{4000,}>")  # 1,000 attributes take at least 4,000 characters


def page_shape_problem(html: str, root: etree._Element | None = None) -> str:
    """Why a page is too odd to extract from (``''`` when it is not).

    Checked before parsing: an element with more than :data:`MAX_ATTRIBUTES`
    attributes; with the parsed ``root``: more than :data:`MAX_ELEMENTS`
    elements. Both bound the time an extraction takes.
    """
    if root is None:
        for m in _LONG_TAG.finditer(html):
            if m.group().count("=") > MAX_ATTRIBUTES:
                line = html.count("\n", 0, m.start()) + 1
                return (f"the element on line {line} has more than {MAX_ATTRIBUTES:,} attributes: this is not an "
                        "article page; nothing was extracted")
        return ""
    count = sum(1 for _ in root.iter())
    if count > MAX_ELEMENTS:
        return (f"the page has {count:,} elements (more than {MAX_ELEMENTS:,}): it is not one article; nothing was "
                "extracted")
    return ""


class HtmlReader(Reader):
    """``.html`` / ``.htm``: a web page saved exactly as received.

    Loading: :func:`decode_html`. Cleaning: :func:`parse_html`; the page's
    metadata (title, author, dates) is read by ``curate import`` into the
    ``.meta.yml`` beside it, so :meth:`split_metadata` finds none.
    """

    format = "HTML"
    suffixes = (".html", ".htm")

    def load(self, data: bytes, declared: str = "") -> Decoded:
        return decode_html(data, declared)

    def parse(self, body: str, first_line: int, corrections: list[Correction], title_hint: str,
              default_title: str) -> ParsedText:
        return parse_html(body, corrections, title_hint, default_title)


__all__ = [
    "DROP_REASONS",
    "EXTRACT_OPTIONS",
    "HtmlReader",
    "declared_charset",
    "decode_html",
    "parse_html",
    "sniff_binary",
    "word_count",
]
