"""The Markdown reader: ``.md`` sources with optional YAML front matter."""

from __future__ import annotations

from ..cleaning import parse_markdown
from ..model import Correction
from .base import FrontMatter, Reader, ReadResult, front_matter_of


class MarkdownReader(Reader):
    """``.md`` / ``.markdown``: ATX and setext headings start sections; see
    :func:`curate.cleaning.parse_markdown` for the cleaning rules."""

    format = "Markdown"
    suffixes = (".md", ".markdown")

    def split_metadata(self, text: str) -> FrontMatter:
        return front_matter_of(text)

    def parse(self, body: str, first_line: int, corrections: list[Correction], title_hint: str,
              default_title: str) -> ReadResult:
        return parse_markdown(body, first_line, corrections, title_hint, default_title)
