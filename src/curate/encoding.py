"""Decoding source bytes into text: the only place curate guesses an encoding.

Rules, in order (the same order browsers and Python-Markdown's ``convertFile``
apply for a declared encoding, then the WHATWG sniffing of a byte-order mark):

1. A ``encoding:`` key in the source's metadata wins.
2. A byte-order mark decides: UTF-8 (dropped), UTF-16 LE/BE.
3. A NUL byte in text that is not UTF-16 is an error: the file is binary or
   truncated.
4. Valid UTF-8 is UTF-8.
5. Otherwise Windows-1252 (a superset of the printable Latin-1 range, and what
   "Latin-1" files from Windows really are), unless the file holds one of the
   five bytes Windows-1252 leaves undefined, in which case the encoding cannot
   be decided and the error names the byte offset.

The result always has LF line endings and is NFC-normalised.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


class DecodeError(ValueError):
    """The bytes cannot be decoded with confidence.

    Attributes:
        offset: 0-based byte offset of the first offending byte.
        reason: What is wrong, one sentence.
    """

    def __init__(self, offset: int, reason: str):
        self.offset = offset
        self.reason = reason
        super().__init__(f"byte offset {offset}: {reason}")


@dataclass(frozen=True)
class Decoded:
    """Decoded text and how it was decoded.

    Attributes:
        text: NFC text with LF line endings and no byte-order mark.
        encoding: Codec name used (``utf-8``, ``cp1252``, ``utf-16``).
        notes: Things worth a warning (``decoded as Windows-1252``).
    """

    text: str
    encoding: str
    notes: tuple[str, ...] = ()


def normalize_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, declared: str = "") -> Decoded:
    """Decode source bytes following the module rules.

    Args:
        data: The file's bytes, exactly as stored.
        declared: Encoding named in the metadata, or ``''``.

    Returns:
        The decoded text.

    Raises:
        DecodeError: NUL byte, invalid bytes for the declared encoding, or
            bytes that are neither UTF-8 nor Windows-1252.
    """
    notes: list[str] = []
    is_utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or "16" in declared or "32" in declared
    if not is_utf16 and b"\x00" in data:
        raise DecodeError(data.index(b"\x00"), "NUL byte: the file looks binary or truncated")
    if declared:
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            raise DecodeError(0, f"unknown encoding '{declared}' in metadata") from None
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise DecodeError(exc.start, f"not valid {declared}: {exc.reason}") from None
        text = text.lstrip("\ufeff")
    elif data.startswith(codecs.BOM_UTF8):
        text, codec = _utf8(data[3:], offset=3), "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError(exc.start, f"not valid UTF-16: {exc.reason}") from None
    else:
        try:
            text, codec = _utf8(data, offset=0), "utf-8"
        except DecodeError as utf8_error:
            bad = next((i for i, b in enumerate(data) if b in _CP1252_UNDEFINED), None)
            if bad is not None:
                raise DecodeError(utf8_error.offset,
                                  f"not valid UTF-8, and byte 0x{data[bad]:02X} at offset {bad} rules out "
                                  "Windows-1252; the encoding cannot be decided") from None
            text, codec = data.decode("cp1252"), "cp1252"
            notes.append(f"not valid UTF-8 (byte offset {utf8_error.offset}); decoded as Windows-1252")
    if "\x00" in text:
        raise DecodeError(2 + 2 * text.index("\x00"), "NUL character: the file looks binary or truncated")
    text = unicodedata.normalize("NFC", normalize_newlines(text))
    return Decoded(text, codec, tuple(notes))


def _utf8(data: bytes, offset: int) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(offset + exc.start, f"not valid UTF-8 ({exc.reason})") from None
