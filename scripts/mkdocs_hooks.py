"""MkDocs hook file named in mkdocs.yml; the hooks live in curate.mkdocs_hooks."""

from curate.mkdocs_hooks import on_page_content, on_page_markdown, on_pre_build, on_startup  # noqa: F401
