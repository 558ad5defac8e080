"""Issue 3.7: the live preview regenerates pages when sources change and survives content errors."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request

import pytest

from curate.cli import main

from .conftest import BIN


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float) -> float:
    """Seconds until the page at ``url`` contains ``text``; fails after ``seconds``."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if text in _get(url):
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s")


@pytest.mark.slow
def test_preview_regenerates_pages_and_keeps_running_on_content_errors(project, tmp_path):
    assert main(["build", "--project", str(project), "-q"]) == 0
    port = _free_port()
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    proc = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}", "-f",
                             str(project / "mkdocs.yml")], cwd=project, stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    url = f"http://127.0.0.1:{port}/what-is-llama/"
    try:
        _wait_for(url, "What is Llama", 60)
        intro = project / "content_sources" / "pages" / "what-is-llama.md"
        original = intro.read_text(encoding="utf-8")
        intro.write_text(original + "\nA sentence added while the preview runs.\n", encoding="utf-8")
        assert _wait_for(url, "A sentence added while the preview runs.", 10) < 10
        # the generated Markdown changed too, through the pre-build hook
        assert "A sentence added while the preview runs." in (project / "docs" / "what-is-llama.md").read_text()

        glossary = project / "content_sources" / "glossary.yml"
        good_glossary = glossary.read_text(encoding="utf-8")
        glossary.write_text("terms: [\n", encoding="utf-8")
        intro.write_text(original + "\nA second sentence that waits for the fix.\n", encoding="utf-8")
        deadline = time.monotonic() + 10
        while "invalid YAML" not in (tmp_path / "serve.log").read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the content error was not shown"
            time.sleep(0.2)
        assert proc.poll() is None
        assert "A sentence added while the preview runs." in _get(url)  # last good pages still served

        glossary.write_text(good_glossary, encoding="utf-8")
        assert _wait_for(url, "A second sentence that waits for the fix.", 10) < 10
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()
    output = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert ("content_sources/glossary.yml:1: invalid YAML" in output
            or "content_sources/glossary.yml:2: invalid YAML" in output)
    assert "The preview keeps the last good pages" in output


@pytest.mark.slow
def test_one_save_is_one_rebuild_of_the_pages_it_changed(project, tmp_path):
    """Issue 13: curate's writes into docs/ do not start a second build; the rebuild re-renders
    only the pages curate rewrote (MkDocs' log says which path it took)."""
    assert main(["build", "--project", str(project), "-q"]) == 0
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w+", encoding="utf-8") as log:
        proc = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}", "-f",
                                 str(project / "mkdocs.yml")], cwd=project, stdout=log, stderr=subprocess.STDOUT,
                                env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
        url = f"http://127.0.0.1:{port}/what-is-llama/"
        try:
            _wait_for(url, "What is Llama", 60)
            intro = project / "content_sources" / "pages" / "what-is-llama.md"
            intro.write_text(intro.read_text(encoding="utf-8") + "\nOne save, one build.\n", encoding="utf-8")
            _wait_for(url, "One save, one build.", 10)
            time.sleep(2)  # MkDocs polls every 0.5 s: a second build would have started by now
            about = project / "docs" / "about.md"
            about.write_text(about.read_text(encoding="utf-8") + "\nA hand-written line.\n", encoding="utf-8")
            _wait_for(f"http://127.0.0.1:{port}/about/", "A hand-written line.", 10)
            time.sleep(2)
        finally:
            proc.terminate()
            proc.wait(10)
    output = log_path.read_text(encoding="utf-8")
    rebuilds = re.findall(r"curate preview: (\d+) page\(s\) re-rendered", output)
    assert output.count("Detected file changes") == 2, output[-3000:]
    assert len(rebuilds) == 2 and int(rebuilds[1]) == 1, output[-3000:]
    assert 1 <= int(rebuilds[0]) < 9  # the intro's page and the pages its links give a backlink
    assert "full build" not in output and output.count("Cleaning site directory") == 1  # the first build only
