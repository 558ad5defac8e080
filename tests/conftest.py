"""Shared fixtures: copies of the real project and one built site per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from curate.commands import handwritten_pages
from curate.writer import read_manifest

# Under CI (CI=true) the property tests draw the same examples on every run, so whether a commit
# lands does not depend on chance; run locally they explore new examples and keep any failure in
# .hypothesis/ (a failure found that way becomes an @example). Loaded before the test modules make
# their own settings, which inherit it.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "content_sources" / "articles" / "zuckerberg-open-source-ai-letter.txt"
BIN = Path(sys.executable).parent


def copy_project(dest: Path, with_docs: bool = False) -> Path:
    """Copy the project's inputs (and optionally its docs/) into ``dest``.

    Without docs/, the hand-written pages of docs/ (those not in curate's manifest) are copied.

    Returns:
        ``dest``, holding content_sources/, mkdocs.yml, scripts/, overrides/ and docs/assets/.
    """
    shutil.copytree(REPO / "content_sources", dest / "content_sources")
    shutil.copytree(REPO / "scripts", dest / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "overrides", dest / "overrides")
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    if with_docs:
        shutil.copytree(REPO / "docs", dest / "docs")
    else:
        shutil.copytree(REPO / "docs" / "assets", dest / "docs" / "assets")
        for page in handwritten_pages(REPO / "docs", set(read_manifest(REPO / "docs").files)):
            (dest / "docs" / page).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / "docs" / page, dest / "docs" / page)
    return dest


def mkdocs_build(project: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict`` on a project; returns the finished process."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-f", str(project / "mkdocs.yml"),
                           "-d", str(project / "site"), *extra],
                          capture_output=True, text=True, env=env, cwd=project)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the real project's inputs, without generated pages."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The real project built once per session: ``curate build`` then ``mkdocs build --strict``."""
    from curate.cli import main

    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    assert main(["build", "--project", str(root), "-q"]) == 0
    proc = mkdocs_build(root)
    assert proc.returncode == 0, proc.stderr
    return root
