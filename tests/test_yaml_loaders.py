"""libyaml (fast) and PyYAML (pure Python) give curate the same values and the same problems."""

from __future__ import annotations

import pytest
import yaml

from curate import yamlio
from curate.project import CURATION_SCHEMA, GLOSSARY_SCHEMA, META_SCHEMA

from .conftest import REPO
from .test_ownership import BROKEN_CURATION

TEXTS = [
    (CURATION_SCHEMA, (REPO / "content_sources" / "curation.yml").read_text(encoding="utf-8")),
    (GLOSSARY_SCHEMA, (REPO / "content_sources" / "glossary.yml").read_text(encoding="utf-8")),
    (META_SCHEMA, next((REPO / "content_sources" / "articles").glob("*.meta.yml")).read_text(encoding="utf-8")),
    (CURATION_SCHEMA, BROKEN_CURATION),
    (META_SCHEMA, "title: What is Llama? #1 explainer\npublished: 2024-07-23\n"),
    (META_SCHEMA, "title: &anchor Llama\ntopic: *anchor\n"),
    (META_SCHEMA, "title: !tag Llama\n"),
    (META_SCHEMA, "title: no\npublisher: 1.0\nauthor: 2024-07-23\nurl: 'https://x.example/a#b'\n"),
    (META_SCHEMA, "title: Security threat: a leak\n"),
    (META_SCHEMA, 'title: "Open" source? Llama\'s licence\n'),
    (META_SCHEMA, "title: x\ntitle: y\nbogus: 1\n"),
    (META_SCHEMA, "title: [a, b]\ncorrections: nope\n"),
]


def _validate(schema, text, loader, monkeypatch):
    monkeypatch.setattr(yamlio, "_FastLoader", loader)
    problems = []
    node = yamlio.compose(text, "f.yml", problems)
    value = schema.validate(node, "f.yml", "", problems) if node is not None else None
    return value, (value.lines if value is not None else None), problems


@pytest.mark.parametrize("schema,text", TEXTS, ids=range(len(TEXTS)))
def test_both_loaders_agree(schema, text, monkeypatch):
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml here")
    assert _validate(schema, text, yaml.CSafeLoader, monkeypatch) == _validate(schema, text, yaml.SafeLoader,
                                                                               monkeypatch)
