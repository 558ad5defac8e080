"""MkDocs hook file named in mkdocs.yml; the hooks live in curate.mkdocs_hooks."""

from curate.mkdocs_hooks import (  # noqa: F401
    on_env,
    on_files,
    on_nav,
    on_page_content,
    on_page_context,
    on_post_page,
    on_post_template,
    on_pre_build,
    on_serve,
    on_startup,
)
