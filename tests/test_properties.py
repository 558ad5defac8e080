"""Issue 6, class 8: properties that hold for any input (Hypothesis).

For arbitrary Unicode article text with arbitrary headings, ``curate build``
never raises an unexpected exception, writes valid UTF-8 Markdown, every link
it writes resolves, and building twice gives byte-identical output. The
smaller properties underneath (escaping, slugs, decoding, YAML titles) are
checked on their own, where Hypothesis can try many more inputs quickly.
"""

from __future__ import annotations

import html
import json
import re
import tempfile
import unicodedata
from pathlib import Path

import markdown
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from curate import commands
from curate.encoding import DecodeError, decode
from curate.errors import ContentError
from curate.linking import escape
from curate.slugs import file_slug, slugify, unique_anchors

from .test_bad_input import FILE_NAME, REPO, generated, markdown_links, mkdocs, page, q, write_project

FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
QUICK = settings(FAST, max_examples=300)  # for checks that take well under a millisecond

# Text that tends to break generators: Markdown and HTML syntax, entities, quotes, dashes,
# emoji, several scripts, combining marks, invisible and control characters, odd spaces.
NASTY = st.sampled_from([
    "#", "##", "*", "_", "`", "```", "~~~", "[", "]", "(", ")", "{", "}", "<", ">", "|", "\\", "!", "?", "=",
    "---", "***", "1.", "- ", "+ ", "> ", "!!! note", "??? tip", "[^1]", "{ #id }", "{: .x }", "*[HTML]:",
    "<script>alert(1)</script>", "<b>", "</b>", "<!--", "-->", "<img src=x onerror=alert(1)>", "&amp;",
    "&#x41;", "&", "javascript:alert(1)", "{{ x }}", "{% y %}", "’", "“", "”", "–", "—", "🚨", "🔥", "👩‍💻",
    "什么是开源", "Что", "ما هو", "नमस्ते", "é", "e\u0301", "\u200b", "\ufeff", "\u00a0", "\u2028", "\t",
    "\x07", "\ufffd", "Related Posts", "Llama", "open source", " ", " ", ".", ",", ":",
])
WORDS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
FRAGMENT = st.one_of(NASTY, WORDS)
LINE = st.lists(FRAGMENT, min_size=1, max_size=8).map("".join)


def _markdown() -> markdown.Markdown:
    """Python-Markdown configured like mkdocs.yml."""
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !ENV, !!python/name: …
    conf = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    exts, configs = [], {}
    for item in conf["markdown_extensions"]:
        if isinstance(item, dict):
            (name, cfg), = item.items()
            exts.append(name)
            configs[name] = {k: v for k, v in (cfg or {}).items() if v is not None}
        else:
            exts.append(item)
    configs.setdefault("toc", {})["slugify"] = slugify
    return markdown.Markdown(extensions=exts, extension_configs=configs)


MD = _markdown()


def _render(text: str) -> str:
    MD.reset()
    return MD.convert(text)


# --- escaping: any text renders as exactly itself ------------------------------------------------

@QUICK
@given(st.lists(FRAGMENT, max_size=20).map("".join))
@example("!!! note")
@example("a\n===")
@example("| a | b |\n|---|---|")
@example("trailing backslash \\")
def test_escaped_text_renders_as_the_literal_text_and_nothing_else(text):
    rendered = _render(escape(text))
    assert set(re.findall(r"</?([a-z0-9]+)", rendered)) <= {"p"}, rendered
    visible = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", rendered))).strip()
    printable = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", text)  # escape() drops control characters
    assert visible == re.sub(r"\s+", " ", printable).strip()


# --- slugs ---------------------------------------------------------------------------------------

@QUICK
@given(LINE)
def test_slugs_are_never_empty_positional_or_spaced_and_always_the_same(text):
    slug = slugify(text)
    assert slug and slug == slugify(text)
    assert not re.search(r"\s", slug) and not slug.startswith(("-", "_")) and not slug.endswith(("-", "_"))
    assert not re.fullmatch(r"_\d+", slug)
    name = file_slug(text)
    assert name == "" or FILE_NAME.match(name + ".md")


@FAST
@given(st.lists(st.tuples(LINE, LINE), min_size=1, max_size=6))
def test_section_ids_are_unique_and_do_not_depend_on_order(items):
    forward = unique_anchors(items, reserved={"lead"})
    backward = unique_anchors(list(reversed(items)), reserved={"lead"})
    assert len(set(forward)) == len(forward) and "lead" not in forward
    assert (dict(zip(map(tuple, items), forward, strict=True))
            == dict(zip(map(tuple, reversed(items)), backward, strict=True)))


# --- decoding ------------------------------------------------------------------------------------

@QUICK
@given(st.one_of(st.binary(max_size=200), LINE.map(lambda s: s.encode("utf-8")),
                 LINE.map(lambda s: s.encode("utf-16")), LINE.map(lambda s: s.encode("cp1252", "ignore"))))
def test_decoding_gives_clean_text_or_an_error_naming_a_byte_offset_and_line(data):
    try:
        decoded = decode(data)
    except DecodeError as exc:
        assert 0 <= exc.offset <= len(data)
        assert exc.line >= 1 or "encoding" in exc.reason
        assert f"byte offset {exc.offset}" in exc.reason
        return
    assert "\r" not in decoded.text and "\x00" not in decoded.text and not decoded.text.startswith("\ufeff")
    assert decoded.text == unicodedata.normalize("NFC", decoded.text)
    assert all(note.line >= 0 and note.message for note in decoded.notes)


# --- YAML: any one-line title reaches the front matter exactly --------------------------------

@FAST
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
                                      blacklist_characters="\ufffd\x85"), min_size=1, max_size=30))
@example("2024-07-23")
@example("no")
@example("1.0")
@example("What is Llama? #1 explainer")
@example("\uf900")  # a CJK compatibility ideograph: NFC gives its canonical equivalent
def test_any_title_reaches_front_matter_and_nav_exactly(title):
    assume(title.strip())
    with tempfile.TemporaryDirectory() as tmp:
        root = write_project(Path(tmp), {}, [page("page-one", [], title)])
        commands.build(root)
        text = (root / "docs" / "page-one.md").read_text(encoding="utf-8")
        fm = yaml.safe_load(text[4:text.index("\n---\n", 4)])
        written = unicodedata.normalize("NFC", title.strip())  # the same text, in Unicode's canonical form
        assert html.unescape(fm["title"]) == written and "<" not in fm["title"]  # written HTML-safe
        manifest = json.loads((root / "docs" / ".curate-manifest.json").read_text(encoding="utf-8"))
        assert {written: "page-one.md"} in manifest["nav"][1]["Explainers"]


# --- the whole build: any article text with any headings -------------------------------------

SECTION = st.tuples(LINE, st.lists(LINE, max_size=3))
ARTICLE = st.tuples(st.sampled_from(["txt", "md"]), st.one_of(st.none(), LINE), st.lists(SECTION, max_size=5),
                    st.booleans())


def _article_text(fmt: str, title, sections, bom: bool) -> bytes:
    if fmt == "md":
        head = f"---\ntitle: {q(title)}\n---\n" if title is not None else ""
        body = "".join(f"## {h}\n\n" + "".join(f"{p}\n\n" for p in ps) for h, ps in sections)
    else:
        head = f"{title}\n\n" if title is not None else ""
        body = "".join(f"{h}\n\n" + "".join(f"{p}\n\n" for p in ps) for h, ps in sections)
    return (b"\xef\xbb\xbf" if bom else b"") + (head + body).encode("utf-8")


def _explicit_ids(markdown_text: str) -> set[str]:
    found = set(re.findall(r"\{ #([^\s}]+) \}", markdown_text))
    found.update(re.findall(r'<[a-z]+ id="([^"]+)"', markdown_text))  # curate's citation marks
    for heading in re.findall(r"^#{1,6} (.*)$", markdown_text, re.MULTILINE):
        found.add(slugify(html.unescape(re.sub(r"\\(.)", r"\1", heading))))
    return found


def _check_build(root: Path) -> dict[str, bytes]:
    files = generated(root)
    for path, data in files.items():
        text = data.decode("utf-8")  # valid UTF-8
        assert "\r" not in text and "\ufffd" not in text and "\ufeff" not in text
        assert all(FILE_NAME.match(part) for part in path.split("/") if part != "sources"), path
    for page_path, target, fragment in markdown_links(root):
        assert target in files or (root / "docs" / target).is_file(), (page_path, target)
        if fragment:
            assert fragment in _explicit_ids(files[target].decode("utf-8")), (page_path, target, fragment)
    return files


@FAST
@given(ARTICLE, ARTICLE)
def test_any_article_builds_without_surprises_links_resolve_and_rebuilds_identically(first, second):
    with tempfile.TemporaryDirectory() as tmp:
        articles = {f"first.{first[0]}": _article_text(*first), f"second.{second[0]}": _article_text(*second)}
        roots = [write_project(Path(tmp) / name, articles, [page("page-one", ["first"]), page("page-two", ["second"])])
                 for name in ("a", "b")]
        try:
            commands.build(roots[0])
        except ContentError as exc:  # a clear error is allowed; it names a file and changes nothing
            assert all(p.file for p in exc.problems), exc
            assert not (roots[0] / "docs" / "index.md").exists()
            return
        files = _check_build(roots[0])
        again = commands.build(roots[0])
        assert again.written == [] and generated(roots[0]) == files  # a second build changes nothing
        commands.build(roots[1])
        assert generated(roots[1]) == files  # and a fresh build is byte-identical


def test_a_nasty_article_builds_with_mkdocs_strict_and_every_link_resolves(tmp_path):
    fragments = list(NASTY.wrapped_strategy.elements) if hasattr(NASTY, "wrapped_strategy") else list(NASTY.elements)
    sections = [(f"{frag} heading {i}", [f"{frag} text {i} {frag}.", f"More {frag}"]) for i, frag in
                enumerate(fragments)]
    articles = {"nasty.txt": _article_text("txt", "Nasty article", sections, True),
                "nasty-md.md": _article_text("md", "Nasty Markdown", sections, False)}
    root = write_project(tmp_path, articles, [page("page-one", ["nasty"]), page("page-two", ["nasty-md"])])
    commands.build(root)
    _check_build(root)
    mkdocs(root)
    from .test_bad_input import assert_links_resolve, assert_no_duplicate_or_positional_ids
    assert_links_resolve(root)
    assert_no_duplicate_or_positional_ids(root)
