"""Golden trees: what ``curate build`` and MkDocs make of two projects, kept under tests/golden/.

Two projects are built, each in a temporary copy:

* ``mini``: the fixture project in ``tests/fixtures/mini/`` (two short sources, three pages, a
  glossary with aliases, and one hand-written page), with this repository's ``mkdocs.yml``,
  ``scripts/`` and ``docs/assets/``;
* ``seed``: the real project, copied as :func:`tests.conftest.copy_project` copies it.

For each, ``tests/golden/<name>/docs/`` holds the exact bytes of every file the build wrote into
``docs/`` (the generated pages and ``.curate-manifest.json``; not the hand-written pages or assets
copied in), and ``tests/golden/<name>/site-summary.json`` summarises the site that
``mkdocs build --strict`` makes of it: the nav of the home page, then every HTML page with its
``<title>``, meta description, edit link, ``h1``-``h3`` headings (id and text) and the internal
links of its article. The summary leaves out Material's own markup and asset names, so a theme
update does not disturb it; tests/test_golden.py compares both with a fresh build.

Run ``make golden`` (``python -m tests.golden_update [mini|seed ...]``) to accept a change in
output: it rebuilds the projects and rewrites their golden trees; review the result with
``git diff tests/golden``.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # `python tests/golden_update.py` as well as `python -m tests.golden_update`
    sys.path.insert(0, str(REPO))

from curate.cli import main as curate_cli  # noqa: E402 -- imported after sys.path is set above
from tests.conftest import BIN, copy_project  # noqa: E402 -- likewise, needs REPO on sys.path

GOLDEN = REPO / "tests" / "golden"
FIXTURES = REPO / "tests" / "fixtures"
PROJECTS = ("mini", "seed")
SUMMARY = "site-summary.json"
HINT = "run `make golden` to accept the new output (then review it with `git diff tests/golden`)"
# How much of a failure message is diffs: the first few differing files, each cut to a readable length.
DIFF_FILES = 3
DIFF_LINES = 60


def copy_fixture(name: str, dest: Path) -> Path:
    """Copy the fixture project ``tests/fixtures/<name>/`` into ``dest``, ready to build.

    The fixture holds ``content_sources/`` and any hand-written ``docs/`` pages; the rest comes
    from this repository as :func:`tests.conftest.copy_project` takes it.

    Returns:
        ``dest``.
    """
    fixture = FIXTURES / name
    shutil.copytree(fixture / "content_sources", dest / "content_sources")
    shutil.copytree(REPO / "scripts", dest / "scripts", ignore=shutil.ignore_patterns("__pycache__", "bench*"))
    shutil.copytree(REPO / "overrides", dest / "overrides")
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "docs" / "assets", dest / "docs" / "assets")
    if (fixture / "docs").is_dir():
        shutil.copytree(fixture / "docs", dest / "docs", dirs_exist_ok=True)
    return dest


def make_project(name: str, dest: Path) -> Path:
    """A fresh copy of project ``name`` (one of :data:`PROJECTS`) in ``dest``, not yet built."""
    if name == "seed":
        return copy_project(dest)
    return copy_fixture(name, dest)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``: '/'-separated relative path → bytes, in sorted order."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def curate_build(root: Path) -> dict[str, bytes]:
    """Run ``curate build`` on ``root`` and return what it wrote into ``docs/``.

    Returns:
        ``docs/``-relative path → bytes of every file that is new or changed after the build.

    Raises:
        RuntimeError: The build failed or removed a file it was given; the message holds its output.
    """
    before = snapshot(root / "docs")
    out, err = io.StringIO(), io.StringIO()
    code = curate_cli(["build", "--project", str(root), "-q"], stdout=out, stderr=err)
    if code != 0:
        raise RuntimeError(f"curate build failed (exit {code}) in {root}:\n{out.getvalue()}{err.getvalue()}")
    after = snapshot(root / "docs")
    removed = sorted(set(before) - set(after))
    if removed:
        raise RuntimeError(f"curate build removed files it was given: {', '.join(removed)}")
    return {p: data for p, data in after.items() if before.get(p) != data}


def mkdocs_build(root: Path) -> Path:
    """``mkdocs build --strict`` of ``root`` into ``root/site``, with the default edit address.

    Returns:
        The site folder.

    Raises:
        RuntimeError: MkDocs failed or warned; the message holds its output.
    """
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("CURATE_EDIT_BASE_URL", None)  # the edit links in the summary use mkdocs.yml's default
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "--quiet", "-f", str(root / "mkdocs.yml"),
                           "-d", str(root / "site")], check=False, capture_output=True, text=True, env=env, cwd=root)
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build --strict failed in {root}:\n{proc.stdout}{proc.stderr}")
    return root / "site"


class _PageReader(HTMLParser):
    """Collects the parts of one Material page that the summary keeps (see :func:`page_summary`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.description = ""
        self.edit = ""
        self.headings: list[str] = []
        self.links: set[str] = set()
        self.nav: list[str] = []
        self._in_title = False
        self._heading: list | None = None  # [tag, id, text parts] of the open heading
        self._in_headerlink = False
        self._article = 0
        self._navs: list[str] = []  # class attribute of each open <nav>
        self._nav_link: list | None = None  # [href, text parts] of the open primary-nav link

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if tag == "title" and not self.title:  # the page's <title>, not the knowledge map's SVG <title>
            self._in_title = True
        elif tag == "meta" and a.get("name") == "description":
            self.description = a.get("content", "")
        elif tag in ("h1", "h2", "h3"):
            self._heading = [tag, a.get("id", ""), []]
        elif tag == "article":
            self._article += 1
        elif tag == "nav":
            self._navs.append(a.get("class", ""))
        elif tag == "a":
            href = a.get("href", a.get("xlink:href", ""))
            if "headerlink" in classes:  # a heading's permalink: the heading's id is in the summary already
                self._in_headerlink = True
            elif a.get("rel") == "edit":
                self.edit = href
            elif self._article and _internal(href):
                self.links.add(href)
            if ("md-nav__link" in classes and self._navs and "md-nav--primary" in self._navs[0].split()
                    and not any("md-nav--secondary" in n.split() for n in self._navs)):
                self._nav_link = [href, []]

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in ("h1", "h2", "h3") and self._heading and self._heading[0] == tag:
            level, hid, parts = self._heading
            self.headings.append(f"{level} #{hid} {_squeeze(''.join(parts))}")
            self._heading = None
        elif tag == "article":
            self._article -= 1
        elif tag == "nav" and self._navs:
            self._navs.pop()
        elif tag == "a":
            self._in_headerlink = False
            if self._nav_link is not None:
                self.nav.append(f"{_squeeze(''.join(self._nav_link[1]))} -> {self._nav_link[0]}")
                self._nav_link = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._heading is not None and not self._in_headerlink:
            self._heading[2].append(data)
        if self._nav_link is not None:
            self._nav_link[1].append(data)


def _internal(href: str) -> bool:
    """Whether a link stays on the site (no scheme such as https: or javascript:, no //host)."""
    parts = urlsplit(href)
    return bool(href) and not parts.scheme and not parts.netloc


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def page_summary(path: str, html_text: str) -> dict:
    """What the summary keeps of one built page.

    Args:
        path: Site-relative path of the page (``what-is-llama/index.html``).
        html_text: The page's HTML.

    Returns:
        ``{"path", "title", "description", "edit", "headings", "links"}``: headings as
        ``"h2 #id Text"`` in page order; links are the sorted internal ``href`` values (and SVG
        ``xlink:href``) inside ``<article>``, distinct, heading permalinks left out.
    """
    reader = _PageReader()
    reader.feed(html_text)
    reader.close()
    return {"path": path, "title": _squeeze(reader.title), "description": reader.description,
            "edit": reader.edit, "headings": reader.headings, "links": sorted(reader.links)}


def site_summary(site: Path) -> dict:
    """Summary of a built site: ``{"nav": [...], "pages": [...]}`` (see :func:`page_summary`).

    ``nav`` is the primary navigation of the home page, as ``"Label -> href"`` in order.
    """
    pages = sorted(site.rglob("*.html"), key=lambda p: p.relative_to(site).as_posix())
    home = _PageReader()
    home.feed((site / "index.html").read_text(encoding="utf-8"))
    return {"nav": home.nav,
            "pages": [page_summary(p.relative_to(site).as_posix(), p.read_text(encoding="utf-8")) for p in pages]}


def summary_text(summary: dict) -> str:
    """The summary as the committed file holds it: indented JSON, UTF-8 as is, newline at the end."""
    return json.dumps(summary, indent=1, ensure_ascii=False) + "\n"


def build(name: str, workdir: Path) -> tuple[dict[str, bytes], str]:
    """Build project ``name`` in ``workdir``: its generated ``docs/`` files and its site summary.

    Args:
        name: One of :data:`PROJECTS`.
        workdir: An empty folder to build in.

    Returns:
        ``(docs/-relative path → bytes, summary JSON text)``.

    Raises:
        RuntimeError: curate or MkDocs failed.
    """
    root = make_project(name, workdir / name)
    generated = curate_build(root)
    return generated, summary_text(site_summary(mkdocs_build(root)))


def _lines(data: bytes) -> list[str]:
    """Lines for a diff, each ending in a newline; a carriage return and undecodable bytes are shown
    escaped (``\\r``, ``\\xff``), so a change of line endings or encoding is visible."""
    text = data.decode("utf-8", "backslashreplace").replace("\r", "\\r")
    lines = [line + "\n" for line in text.split("\n")]
    if text.endswith("\n") or not text:
        lines.pop()
    else:
        lines[-1] += "\\ No newline at end of file\n"  # as git shows it, under the line
    return lines


def _diff(path: str, expected: bytes, actual: bytes) -> str:
    lines = list(difflib.unified_diff(_lines(expected), _lines(actual), f"golden/{path}", f"built/{path}", n=2))
    if not lines:  # only when the escapes themselves collide (a literal "\\r" against a carriage return)
        return f"--- golden/{path}\n+++ built/{path}\n(the files differ in bytes the diff cannot show)\n"
    return "".join(lines[:DIFF_LINES]) + (f"… {len(lines) - DIFF_LINES} more diff lines\n"
                                          if len(lines) > DIFF_LINES else "")


def compare(actual: dict[str, bytes], expected: dict[str, bytes], label: str) -> str:
    """Compare two trees file by file.

    Args:
        actual: Path → bytes, as built now.
        expected: Path → bytes, as committed.
        label: What the trees are, for the message (``tests/golden/mini/docs``).

    Returns:
        ``''`` when they are equal; otherwise a message listing files missing, unexpected and
        different, with a unified diff of the first :data:`DIFF_FILES` differing files, and
        :data:`HINT`.
    """
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    changed = sorted(p for p in set(actual) & set(expected) if actual[p] != expected[p])
    if not (missing or extra or changed):
        return ""
    out = [f"the build differs from {label}:"]
    if changed:
        out.append(f"  {len(changed)} file(s) differ: {', '.join(changed)}")
    if missing:
        out.append(f"  {len(missing)} file(s) in the golden tree were not built: {', '.join(missing)}")
    if extra:
        out.append(f"  {len(extra)} file(s) were built but are not in the golden tree: {', '.join(extra)}")
    out.append("")
    for path in changed[:DIFF_FILES]:
        out.append(_diff(path, expected[path], actual[path]))
    if len(changed) > DIFF_FILES:
        out.append(f"(diffs of {len(changed) - DIFF_FILES} more file(s) left out)\n")
    out.append(HINT)
    return "\n".join(out)


def write_golden(name: str, generated: dict[str, bytes], summary: str | None,
                 say: Callable[[str], None] = print) -> None:
    """Replace ``tests/golden/<name>/`` with a build's output and say what changed."""
    target = GOLDEN / name
    docs = target / "docs"
    old = snapshot(docs)
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    for path, data in generated.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_bytes(data)
    changed = sorted(p for p in set(old) | set(generated) if old.get(p) != generated.get(p))
    say(f"tests/golden/{name}/docs: {len(generated)} files, {len(changed)} changed"
        + (f" ({', '.join(changed)})" if changed else ""))
    if summary is not None:
        summary_file = target / SUMMARY
        before = summary_file.read_text(encoding="utf-8") if summary_file.exists() else None
        summary_file.write_text(summary, encoding="utf-8", newline="\n")
        say(f"tests/golden/{name}/{SUMMARY}: {'unchanged' if before == summary else 'rewritten'}")


def main(argv: list[str] | None = None) -> int:
    """Rebuild the named projects (default: all) and rewrite their golden trees; returns an exit code."""
    names = list(argv if argv is not None else sys.argv[1:]) or list(PROJECTS)
    unknown = [n for n in names if n not in PROJECTS]
    if unknown:
        print(f"golden_update: unknown project {', '.join(unknown)}; choose from {', '.join(PROJECTS)}",
              file=sys.stderr)
        return 2
    for name in names:
        with tempfile.TemporaryDirectory(prefix=f"golden-{name}-") as tmp:
            try:
                generated, summary = build(name, Path(tmp))
            except RuntimeError as exc:
                print(f"golden_update: {name}: {exc}", file=sys.stderr)
                return 1
            write_golden(name, generated, summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
