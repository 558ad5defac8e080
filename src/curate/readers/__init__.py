"""Readers: one per source format, each turning a snapshot's bytes into the same structure.

The model is Pelican's ``readers.py``: a small base class, one subclass per
format, and a registry keyed by file suffix. A build asks :func:`reader_for`
for the reader of a file and calls its two stages separately:

1. :meth:`Reader.load` — *loading*: bytes to text (encoding decided, line
   endings and Unicode normalised), nothing removed;
2. :meth:`Reader.split_metadata` and :meth:`Reader.parse` — *cleaning*: the
   metadata the file carries about itself, then title, sections and passages,
   boilerplate dropped, and the plain text that quotations are checked against.

Adding a format is one module with a :class:`Reader` subclass and one line in
:data:`READERS`.
"""

from __future__ import annotations

from .base import Reader, ReadResult
from .html import HtmlReader
from .markdown import MarkdownReader
from .text import PlainTextReader

#: File suffix → reader class, in the order suffixes are tried.
READERS: dict[str, type[Reader]] = {
    ".txt": PlainTextReader,
    ".md": MarkdownReader,
    ".markdown": MarkdownReader,
    ".html": HtmlReader,
    ".htm": HtmlReader,
}


def register(reader: type[Reader]) -> None:
    """Add a reader for each of its suffixes (a later registration wins)."""
    for suffix in reader.suffixes:
        READERS[suffix] = reader


def reader_for(name: str) -> Reader | None:
    """The reader for a file name (by its suffix, case-insensitive), or ``None``."""
    lower = name.lower()
    for suffix, cls in READERS.items():
        if lower.endswith(suffix):
            return cls()
    return None


def source_suffixes() -> tuple[str, ...]:
    """Every suffix some reader reads (``.txt``, ``.md``, …)."""
    return tuple(READERS)


__all__ = ["READERS", "ReadResult", "Reader", "reader_for", "register", "source_suffixes"]
