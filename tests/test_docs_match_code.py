"""The handbook's editing guide and README describe the keys and commands the code really has."""

from __future__ import annotations

import re

from curate.cli import _parser
from curate.schema import Correction, GlossaryTerm, PageSpec, SourceMeta
from curate.yamlio import yaml_keys

from .conftest import REPO


def test_editing_guide_documents_every_content_key():
    guide = (REPO / "handbook" / "editing.md").read_text(encoding="utf-8")
    keys = {key for model in (SourceMeta, Correction, PageSpec, GlossaryTerm) for key in yaml_keys(model)}
    missing = sorted(k for k in keys if not re.search(rf"(?m)^\s*(- )?{k}:", guide))
    assert missing == []


def test_readme_gives_the_two_setup_commands_and_every_subcommand():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "```sh\nmake site\nmake test\n```" in readme
    subcommands = _parser()._subparsers._group_actions[0].choices
    for name, sub in subcommands.items():
        assert f"`curate {name}" in readme
        for action in sub._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag not in ("--help", "--project", "--debug", "--quiet"):
                    assert flag in readme, flag
