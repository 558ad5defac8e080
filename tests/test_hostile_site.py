"""Hostile values that reach HTML, checked in the built site (not only in docs/).

Found by trying to break the merged core: article metadata that broke out of a
citation's ``title`` attribute, and intros whose raw HTML reached the site.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from curate import commands
from curate.errors import ContentError
from curate.markup_check import unsafe_markup

from .conftest import mkdocs_build

META = "content_sources/articles/zuckerberg-open-source-ai-letter.meta.yml"


class _Attributes(HTMLParser):
    """Every event-handler attribute and script address in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.bad.append((tag, name, value))
            elif name in ("href", "src", "xlink:href", "action") and value.startswith(("javascript:", "data:")):
                if value != "javascript:void(0)":  # Material's own search buttons
                    self.bad.append((tag, name, value))


def _site_markup(site: Path) -> list[tuple[str, str, str, str]]:
    found = []
    for page in sorted(site.rglob("*.html")):
        parser = _Attributes()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [(page.relative_to(site).as_posix(), *bad) for bad in parser.bad]
    return found


@pytest.mark.slow
def test_metadata_never_breaks_out_of_a_citation_title(project: Path):
    meta = project / META
    text = "\n".join(line for line in meta.read_text(encoding="utf-8").split("\n") if not line.startswith("title:"))
    meta.write_text(text + 'title: "T [t](onmouseover=alert(1)//) x *em* `c` \\\\ <b>"\n'
                    + 'author: "[a](javascript:alert(2))"\npublisher: "P [p](onclick=alert(3)//) \\" q"\n',
                    encoding="utf-8")
    commands.build(project)
    proc = mkdocs_build(project)
    assert proc.returncode == 0, proc.stderr
    assert _site_markup(project / "site") == []
    page = (project / "site" / "what-is-llama" / "index.html").read_text(encoding="utf-8")
    assert 'title="T &#91;t&#93;&#40;onmouseover=alert&#40;1&#41;//&#41; x &#42;em&#42; &#96;c&#96;' in page


HOSTILE_INTRO = """Intro with a [good link](https://example.org) and <abbr title="x">AI</abbr>.

<script>alert('intro1')</script>

A [link](javascript:alert('intro3')) here.

A paragraph with attributes.
{ onclick="alert('intro5')" }

<div markdown="1" onclick="alert('intro7')">x</div>

[ref]: javascript:alert('intro8')
"""


def test_unsafe_markup_in_an_intro_is_named_by_line():
    assert unsafe_markup(HOSTILE_INTRO) == [
        (3, "raw HTML element <script>"),
        (5, "a javascript: address in a link"),
        (7, "an event-handler attribute (on…=) in an attribute list"),
        (10, "an event-handler attribute (on…=) in raw HTML"),
        (1, "a javascript: address in the link definition [ref]"),
    ]
    assert unsafe_markup("Plain *text*, a [link](what-is-llama.md), `<script>` as code, <kbd>Ctrl</kbd>.") == []


def test_an_intro_with_unsafe_markup_stops_the_build_with_file_and_line(project: Path):
    intro = project / "content_sources" / "pages" / "what-is-llama.md"
    intro.write_text(HOSTILE_INTRO, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        commands.build(project)
    where = sorted((p.file, p.line) for p in err.value.problems)
    assert where == [("content_sources/pages/what-is-llama.md", n) for n in (1, 3, 5, 7, 10)]
    assert all("would run in a reader's browser" in p.message and p.hint for p in err.value.problems)
    assert not (project / "docs" / "what-is-llama.md").exists()
