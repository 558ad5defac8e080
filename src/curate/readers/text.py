"""The plain-text reader: articles as they arrive when copied from a web page."""

from __future__ import annotations

from ..cleaning import parse_plain_text
from ..model import Correction
from .base import FrontMatter, Reader, ReadResult, front_matter_of


class PlainTextReader(Reader):
    """``.txt``: title on the first line, headings as bare lines, blank lines between paragraphs.

    Front matter is read here too (some editors add it); see
    :func:`curate.cleaning.parse_plain_text` for the cleaning rules.
    """

    format = "plain text"
    suffixes = (".txt",)

    def split_metadata(self, text: str) -> FrontMatter:
        return front_matter_of(text)

    def parse(self, body: str, first_line: int, corrections: list[Correction], title_hint: str,
              default_title: str) -> ReadResult:
        return parse_plain_text(body, corrections, title_hint, first_line, default_title)
