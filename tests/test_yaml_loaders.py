"""libyaml (fast) and PyYAML (pure Python) give curate the same values and the same problems."""

from __future__ import annotations

import pytest
import yaml

from curate import yamlio
from curate.schema import CurationFile, GlossaryFile, SourceMeta

from .conftest import REPO
from .test_ownership import BROKEN_CURATION

TEXTS = [
    (CurationFile, (REPO / "content_sources" / "curation.yml").read_text(encoding="utf-8")),
    (GlossaryFile, (REPO / "content_sources" / "glossary.yml").read_text(encoding="utf-8")),
    (SourceMeta, next((REPO / "content_sources" / "articles").glob("*.meta.yml")).read_text(encoding="utf-8")),
    (CurationFile, BROKEN_CURATION),
    (SourceMeta, "title: What is Llama? #1 explainer\npublished: 2024-07-23\n"),
    (SourceMeta, "title: &anchor Llama\ntopic: *anchor\n"),
    (SourceMeta, "title: *star first\n"),
    (SourceMeta, "a: &a [x, x]\nb: &b [*a, *a]\n"),
    (SourceMeta, "title: !tag Llama\n"),
    (SourceMeta, "title: no\npublisher: 1.0\nauthor: 2024-07-23\nurl: 'https://x.example/a#b'\n"),
    (SourceMeta, "title: Security threat: a leak\n"),
    (SourceMeta, 'title: "Open" source? Llama\'s licence\n'),
    (SourceMeta, "title: x\ntitle: y\nbogus: 1\n"),
    (SourceMeta, "title: [a, b]\ncorrections: nope\n"),
    (SourceMeta, "title: x\n---\ntitle: y\n"),
]


def _validate(model, text, loader, monkeypatch):
    monkeypatch.setattr(yamlio, "_FastLoader", loader)
    problems = []
    doc = yamlio.compose(text, "f.yml", problems)
    checked = yamlio.validate(model, doc, problems) if doc is not None else None
    if checked is None:
        return None, problems
    return (checked.value, checked.lines, checked.failed), problems


@pytest.mark.parametrize("model,text", TEXTS, ids=range(len(TEXTS)))
def test_both_loaders_agree(model, text, monkeypatch):
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml here")
    assert _validate(model, text, yaml.CSafeLoader, monkeypatch) == _validate(model, text, yaml.SafeLoader,
                                                                              monkeypatch)
