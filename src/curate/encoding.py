"""Decoding source bytes into text: the only place curate guesses an encoding.

Rules, in order (the same order browsers and Python-Markdown's ``convertFile``
apply for a declared encoding, then the WHATWG sniffing of a byte-order mark):

1. An ``encoding:`` key in the source's metadata wins (``latin-1`` means
   Windows-1252, as it does in browsers).
2. A byte-order mark decides: UTF-8 (dropped), UTF-16 or UTF-32, LE or BE.
3. A NUL byte in text that is not UTF-16 is an error: the file is binary,
   truncated, or UTF-16 without a byte-order mark.
4. Valid UTF-8 is UTF-8.
5. Bytes that are mostly valid UTF-8 with a few invalid ones are a damaged
   UTF-8 file: an error names the first bad byte's offset and line (reading
   them as Windows-1252 would turn every ``’`` into ``â€™``).
6. Otherwise Windows-1252 (a superset of the printable Latin-1 range, and what
   "Latin-1" files from Windows really are), with a note, unless the file
   holds one of the five bytes Windows-1252 leaves undefined, in which case
   the encoding cannot be decided and the error names the byte offset.

Then mojibake — UTF-8 text that was once decoded as Windows-1252 and saved
again, so ``’`` reads ``â€™`` — is repaired line by line with ftfy, and each
repaired line gets a note; a U+FFFD replacement character (text already lost
by an earlier conversion) gets a note too (the cleaner removes it).

The result always has LF line endings and is NFC-normalised.
"""

from __future__ import annotations

import codecs
import difflib
import functools
import importlib
import itertools
import re
import types
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ftfy import TextFixerConfig

# ftfy is imported when text is decoded, not with this module: a build whose sources all come
# from the cache decodes nothing.

_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@functools.lru_cache(maxsize=1)
def _mojibake() -> TextFixerConfig:
    """Only the repairs of text that went through a wrong encoding: no quote
    uncurling, no HTML unescaping, no width or ligature changes."""
    from ftfy import TextFixerConfig

    return TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_encoding=True, restore_byte_a0=True,
        replace_lossy_sequences=False, decode_inconsistent_utf8=True, fix_c1_controls=True,
        fix_latin_ligatures=False, fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
        fix_surrogates=False, remove_control_chars=False, normalization=None, explain=False,
    )


def is_bad(line: str) -> bool:
    """Whether ftfy takes ``line`` for mojibake (:func:`ftfy.badness.is_bad`)."""
    if line.isascii() or _cannot_be_mojibake(line):
        return False
    from ftfy.badness import is_bad as ftfy_is_bad

    return bool(ftfy_is_bad(line))


def _cannot_be_mojibake(text: str) -> bool:
    """Whether ftfy's ``is_bad`` is certainly false for ``text`` (and so ``fix_text`` leaves it alone).

    Most articles are ASCII with a few isolated typographic characters (``“``, ``’``, ``—``),
    and ftfy's test, one regular expression run over each line, costs more than the rest of
    decoding. See :func:`_mojibake_precheck` for why the cheaper test proves the same.
    """
    precheck = _mojibake_precheck()
    return precheck is not None and precheck.search(text) is None


@functools.lru_cache(maxsize=1)
def _mojibake_precheck() -> re.Pattern[str] | None:
    r"""A pattern that finds something in every text ftfy's ``is_bad`` takes for mojibake.

    ``is_bad`` is a search for ``ftfy.badness.BADNESS_RE``, an alternation of character
    sequences. Reading that pattern here (not copying it) keeps this right for any ftfy
    release: each alternative must hold a *fixed* position, one character from a class of
    non-ASCII characters only (``[Œœ][^A-Za-z]``, ``Ã[\xa0¡]``). An alternative with two
    such positions side by side only matches two adjacent non-ASCII characters; any other
    alternative only matches text holding one of its fixed characters. So a text with no
    two adjacent non-ASCII characters and none of those characters ("trigger" characters:
    C1 controls, ``Ã``, ``Â``, ``Œ``, ``œ`` in ftfy 6.3) cannot be bad. Zero-width
    assertions (``^``) are skipped, which only allows more matches; repeats, groups and
    classes such as ``\s`` or ``.`` never count as fixed.

    With ``is_bad`` false, ``fix_text`` under :func:`_mojibake`'s settings returns its input:
    ftfy's ``fix_encoding`` returns text that is not bad unchanged, and the one other fix
    enabled, ``fix_c1_controls``, only changes C1 control characters, which are always
    trigger characters here.

    Returns:
        The pattern, or ``None`` when ftfy's pattern has a shape this reading does not
        know (then every non-ASCII line goes to ftfy).
    """
    from ftfy.badness import BADNESS_RE

    try:
        parser = importlib.import_module("re._parser")  # CPython's own regex parser (3.11+)
        consts = importlib.import_module("re._constants")
        if BADNESS_RE.flags & (re.IGNORECASE | re.LOCALE):
            return None
        tree = parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
        if len(tree.data) == 1 and tree.data[0][0] is consts.BRANCH:
            alternatives = [list(alt.data) for alt in tree.data[0][1][1]]
        else:
            alternatives = [list(tree.data)]
        triggers: set[str] = {chr(c) for c in range(0x80, 0xA0)}
        for items in alternatives:
            fixed = [_non_ascii_only(op, av, consts) for op, av in items if op is not consts.AT]
            if any(a is not None and b is not None for a, b in itertools.pairwise(fixed)):
                continue  # needs two adjacent non-ASCII characters
            known = [chars for chars in fixed if chars is not None]
            if not known:
                return None  # an alternative this reading cannot bound
            triggers |= min(known, key=len)
    except Exception:  # noqa: BLE001 - any surprise in a private module means: no fast path
        return None
    return re.compile(r"[^\x00-\x7f]{2}|[" + "".join(re.escape(c) for c in sorted(triggers)) + "]")


def _non_ascii_only(op: object, av: Any, consts: types.ModuleType) -> frozenset[str] | None:
    """The characters one parsed regex item matches when it is one character of a set of
    non-ASCII characters only, else ``None``."""
    if op is consts.LITERAL:
        chars = {chr(av)}  # a LITERAL's argument is a code point
    elif op is consts.IN:
        chars = set()
        for member, arg in av:  # an IN's argument is its members
            if member is consts.LITERAL:
                chars.add(chr(arg))
            elif member is consts.RANGE:
                chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
            else:  # NEGATE, CATEGORY (\s, \w): not a known finite set
                return None
    else:
        return None
    return frozenset(chars) if chars and all(c > "\x7f" for c in chars) else None
HINT = "save the file as UTF-8, or name its encoding with 'encoding:' in its metadata"


class DecodeError(ValueError):
    """The bytes cannot be decoded with confidence.

    Attributes:
        offset: 0-based byte offset of the first offending byte.
        reason: What is wrong, one sentence (naming the byte offset).
        line: 1-based line of that byte.
        hint: What to do about it.
    """

    def __init__(self, offset: int, reason: str, line: int = 0, hint: str = HINT):
        self.offset = offset
        self.reason = reason
        self.line = line
        self.hint = hint
        super().__init__(reason)


@dataclass(frozen=True)
class Note:
    """Something worth a warning about how a file was decoded.

    Attributes:
        line: 1-based line it concerns, or 0 for the whole file.
        message: What happened.
        hint: What to do about it.
    """

    line: int
    message: str
    hint: str = ""


@dataclass(frozen=True)
class Decoded:
    """Decoded text and how it was decoded.

    Attributes:
        text: NFC text with LF line endings and no byte-order mark.
        encoding: Codec name used (``utf-8``, ``cp1252``, ``utf-16-le``).
        notes: Things worth a warning (``read as Windows-1252``, a repaired
            mojibake line).
    """

    text: str
    encoding: str
    notes: tuple[Note, ...] = ()


def normalize_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def line_at(data: bytes, offset: int, codec: str = "utf-8") -> int:
    """1-based line of the byte at ``offset`` (LF, CRLF or lone CR line ends)."""
    if "16" in codec or "32" in codec:
        prefix = data[:offset].decode(codec, "replace")
        return normalize_newlines(prefix).count("\n") + 1
    head = data[:offset]
    return head.count(b"\n") + 1 if b"\n" in data else head.count(b"\r") + 1


def decode(data: bytes, declared: str = "", repair: bool = True) -> Decoded:
    """Decode source bytes following the module rules.

    Args:
        data: The file's bytes, exactly as stored.
        declared: Encoding named in the metadata, or ``''``.
        repair: Repair mojibake (for articles, which arrive from elsewhere);
            without it a line that looks like mojibake only gets a note (for
            files editors write, whose every character is meant).

    Returns:
        The decoded text.

    Raises:
        DecodeError: NUL byte, invalid bytes for the declared encoding, a
            damaged UTF-8 file, or bytes that are neither UTF-8 nor
            Windows-1252; the error names the byte offset and line.
    """
    notes: list[Note] = []
    bom_codec = next((name for bom, name in _BOMS if data.startswith(bom)), "")
    if declared:
        text, codec = _declared(data, declared)
    elif bom_codec:
        codec = bom_codec
        body = data[len(next(bom for bom, name in _BOMS if name == bom_codec)):]
        try:
            text = body.decode(codec)
        except UnicodeDecodeError as exc:
            offset = len(data) - len(body) + exc.start
            raise DecodeError(offset, f"not valid {codec.upper()} at byte offset {offset} ({exc.reason}), "
                                      f"though the file starts with a {codec.upper()} byte-order mark",
                              line_at(data, offset, codec)) from None
    else:
        _check_nul(data)
        try:
            text, codec = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            if exc.reason == "unexpected end of data" and exc.end == len(data) and (
                    len(data) - exc.start >= 2 or not data[:exc.start].isascii()):
                # UTF-8 cut short; one stray byte after plain ASCII is more likely Windows-1252 ("café").
                raise DecodeError(exc.start, f"the file ends in the middle of a UTF-8 character (byte offset "
                                             f"{exc.start}): it looks truncated", line_at(data, exc.start),
                                  "get the whole file again from where it came from") from None
            text, codec = _not_utf8(data, exc.start), "cp1252"
            notes.append(Note(line_at(data, exc.start),
                              f"not valid UTF-8 (byte 0x{data[exc.start]:02X} at byte offset {exc.start}); "
                              "read as Windows-1252",
                              "save the file as UTF-8, or add 'encoding: windows-1252' to its metadata"))
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        index = text.index("\x00")
        bom = next((len(b) for b, name in _BOMS if name == bom_codec), 0) if not declared else 0
        offset = bom + len(text[:index].encode(codec, "replace"))
        raise DecodeError(offset, f"NUL character at byte offset {offset}: the file looks binary or truncated",
                          normalize_newlines(text[:index]).count("\n") + 1)
    text = normalize_newlines(text)
    if repair:
        text, repaired = repair_mojibake(text)
        notes += repaired
    else:
        notes += [Note(n, "this line looks like mojibake (text that went through a wrong encoding), such as "
                          "'â€™' for '’'", "retype the garbled characters")
                  for n, line in enumerate(text.split("\n"), 1) if not line.isascii() and is_bad(line)]
    for n, line in enumerate(text.split("\n"), 1):
        if "\ufffd" in line:
            notes.append(Note(n, "U+FFFD replacement character: some text was already lost when the file was "
                                 "converted before it arrived; the character is left out",
                              "check the original for the missing character"))
    text = unicodedata.normalize("NFC", text)
    return Decoded(text, codec, tuple(notes))


def repair_mojibake(text: str) -> tuple[str, list[Note]]:
    """Repair mojibake (``â€™`` for ``’``) line by line with ftfy.

    Returns:
        The repaired text and one note per repaired line, quoting the first
        repair (``'â€™' read as '’'``).
    """
    from ftfy import fix_text

    notes = []
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if line.isascii() or _cannot_be_mojibake(line):
            continue  # fix_text would return the line and is_bad be false (see _mojibake_precheck)
        fixed = fix_text(line, _mojibake())
        if fixed != line:
            lines[n] = fixed
            _, i1, i2, j1, j2 = next(op for op in difflib.SequenceMatcher(None, line, fixed, autojunk=False)
                                     .get_opcodes() if op[0] != "equal")
            start = max(line.rfind(" ", 0, i1) + 1, i1 - 20)
            bad, good = _word(line, start, i2), _word(fixed, start, j2)
            notes.append(Note(n + 1, f"mojibake repaired: '{bad}' read as '{good}' (text that "
                                     "went through a wrong encoding before it arrived)",
                              "nothing to do if the repaired text is right; otherwise name the file's encoding "
                              "with 'encoding:' in its metadata"))
        if is_bad(fixed):
            notes.append(Note(n + 1, "this line looks like mojibake (text that went through a wrong encoding) "
                                     "that cannot be repaired", "check the line against the original"))
    return "\n".join(lines), notes


def _word(text: str, start: int, end: int) -> str:
    """``text[start:end]`` extended to the end of its word (at most 20 more characters)."""
    stop = text.find(" ", end)
    stop = len(text) if stop < 0 else stop
    return text[start:min(stop, end + 20)]


#: Names offered when an ``encoding:`` names no text encoding Python knows.
COMMON_ENCODINGS = ("utf-8", "utf-16", "windows-1252", "latin-1", "iso-8859-15", "mac-roman", "shift_jis",
                    "euc-jp", "gb18030", "big5", "euc-kr", "koi8-r", "windows-1251")


class UnknownEncoding(ValueError):
    """An ``encoding:`` name that is no text encoding.

    Attributes:
        message: What is wrong, one sentence.
        hint: Common names, and the closest one when there is one.
    """

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message = message
        self.hint = hint


def codec_for(name: str) -> str:
    """The Python codec of an encoding name (``latin-1`` → ``iso8859-1``, ``UTF8`` → ``utf-8``).

    Names are those of Python's ``codecs`` registry; codecs that are not text
    encodings (``rot13``, ``base64``, ``zlib``) are refused.

    Raises:
        UnknownEncoding: The name is no text encoding.
    """
    close = difflib.get_close_matches(name.strip().lower(), COMMON_ENCODINGS, n=1)
    names = ", ".join(COMMON_ENCODINGS)
    hint = f"did you mean '{close[0]}'? (common names: {names})" if close else f"use a common name: {names}"
    try:
        codec = codecs.lookup(name).name
    except (LookupError, ValueError):  # ValueError: a name holding a NUL
        raise UnknownEncoding(f"unknown encoding '{name}'", hint) from None
    try:
        b"\0\0\0\0".decode(codec)  # (Python skips the codec for empty bytes)
    except UnicodeDecodeError:
        pass  # a text encoding, just not of these bytes
    except (LookupError, UnicodeError):  # rot13, base64, zlib: codecs between bytes; 'undefined'
        raise UnknownEncoding(f"'{name}' is not a text encoding", hint) from None
    return codec


def _declared(data: bytes, declared: str) -> tuple[str, str]:
    try:
        codec = codec_for(declared)
    except UnknownEncoding as exc:
        raise DecodeError(0, f"{exc.message} named in the metadata", 0, exc.hint) from None
    candidates = [codec]
    if codec in ("latin-1", "iso8859-1"):
        candidates = ["cp1252", "latin-1"]  # as browsers read "latin-1"
    for i, name in enumerate(candidates):
        try:
            return data.decode(name), name
        except UnicodeDecodeError as exc:
            if i + 1 < len(candidates):
                continue
            raise DecodeError(exc.start, f"not valid {declared} at byte offset {exc.start} "
                                         f"(byte 0x{data[exc.start]:02X}: {exc.reason})",
                              line_at(data, exc.start, name),
                              "check the 'encoding:' named in the metadata, or save the file as UTF-8") from None
        except UnicodeError as exc:  # a codec that fails without an offset
            raise DecodeError(0, f"cannot decode the file as {declared} ({exc})", 0,
                              "check the 'encoding:' named in the metadata, or save the file as UTF-8") from None
    raise AssertionError("unreachable")


def _check_nul(data: bytes) -> None:
    if b"\x00" not in data:
        return
    offset = data.index(b"\x00")
    sample = data[:400]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) >= len(sample) // 4 and min(even, odd) <= len(sample) // 40:
        order = "big-endian" if even > odd else "little-endian"
        raise DecodeError(offset, f"NUL byte at byte offset {offset}: the file looks like UTF-16 ({order}) "
                                  "without a byte-order mark", line_at(data, offset),
                          f"save the file as UTF-8, or add 'encoding: utf-16-{'be' if even > odd else 'le'}' "
                          "to its metadata")
    raise DecodeError(offset, f"NUL byte at byte offset {offset}: the file looks binary or truncated",
                      line_at(data, offset), "check that this is the text file you meant to add; save it as UTF-8")


def _not_utf8(data: bytes, first_bad: int) -> str:
    """Text of bytes that are not UTF-8: Windows-1252, or a DecodeError."""
    loose = data.decode("utf-8", "surrogateescape")
    invalid = sum(1 for c in loose if "\udc80" <= c <= "\udcff")
    valid_multibyte = sum(1 for c in loose if c > "\x7f" and not "\udc80" <= c <= "\udcff")
    if valid_multibyte > invalid:
        raise DecodeError(first_bad, f"not valid UTF-8 at byte offset {first_bad} (byte 0x{data[first_bad]:02X}), "
                                     "though the rest of the file is UTF-8: the file is damaged",
                          line_at(data, first_bad),
                          "save the file again as UTF-8 from the original, or name its encoding with "
                          "'encoding:' in its metadata")
    bad = next((i for i, b in enumerate(data) if b in _CP1252_UNDEFINED), None)
    if bad is not None:
        raise DecodeError(first_bad, f"not valid UTF-8 at byte offset {first_bad} (byte 0x{data[first_bad]:02X}), "
                                     f"and byte 0x{data[bad]:02X} at byte offset {bad} rules out Windows-1252: "
                                     "the encoding cannot be decided", line_at(data, first_bad))
    return data.decode("cp1252")
