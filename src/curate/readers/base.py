"""The reader interface every source format implements."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from ..cleaning import ParsedText as ReadResult
from ..cleaning import split_front_matter
from ..encoding import Decoded, decode
from ..model import Correction

# A first line of front matter: "key:" (a "---" rule followed by prose is not front matter).
_YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*:(\s|$)")


@dataclass(frozen=True)
class FrontMatter:
    """Metadata a snapshot carries inside itself.

    Attributes:
        yaml: YAML text of ``---`` front matter (``''`` when there is none).
        body: The rest of the text, which :meth:`Reader.parse` cleans.
        body_first_line: 1-based line of ``body``'s first line in the file.
        unclosed: Front matter was opened on line 1 but never closed.
    """

    yaml: str
    body: str
    body_first_line: int
    unclosed: bool = False


class Reader(ABC):
    """Base class of the readers: loading, then cleaning.

    Subclasses set :attr:`format` and :attr:`suffixes` and implement
    :meth:`parse`; formats that carry metadata override :meth:`split_metadata`,
    and formats that declare their own encoding (HTML) override :meth:`load`.
    No method does I/O: the project loader reads the bytes.
    """

    #: Short name of the format, shown in messages (``plain text``).
    format: ClassVar[str] = ""
    #: File suffixes this reader takes, lower case with the dot.
    suffixes: ClassVar[tuple[str, ...]] = ()

    def load(self, data: bytes, declared: str = "") -> Decoded:
        """Bytes to text, by :func:`curate.encoding.decode` (mojibake repaired).

        Raises:
            curate.encoding.DecodeError: The encoding cannot be decided, or
                ``declared`` names no known encoding.
        """
        return decode(data, declared, repair=True)

    def split_metadata(self, text: str) -> FrontMatter:
        """The metadata the text carries about itself, and the body; none by default."""
        return FrontMatter("", text, 1)

    @abstractmethod
    def parse(self, body: str, first_line: int, corrections: list[Correction], title_hint: str,
              default_title: str) -> ReadResult:
        """Clean a body into title, sections and passages; never raises on any text.

        Args:
            body: Text after :meth:`split_metadata` (LF line endings).
            first_line: 1-based line of ``body``'s first line in the file.
            corrections: Typo fixes from the metadata, applied to passages.
            title_hint: Title from the metadata, or ``''``.
            default_title: Title the page gets when nothing else gives one.
        """


def front_matter_of(text: str) -> FrontMatter:
    """Split ``---`` YAML front matter off the top of a text (Jekyll's and MkDocs' convention)."""
    fm, body, first = split_front_matter(text)
    if not fm and text.startswith("---\n"):
        second = text.split("\n", 2)[1] if "\n" in text[4:] else text[4:]
        if _YAML_KEY.match(second):
            return FrontMatter("", "", first, unclosed=True)
    return FrontMatter(fm if fm.strip() else "", body, first)


__all__ = ["FrontMatter", "ReadResult", "Reader", "front_matter_of"]
