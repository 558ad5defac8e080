"""curate: turns source articles into a cross-linked, searchable explainer site.

The public entry points are :func:`curate.commands.build`,
:func:`curate.commands.check` and the ``curate`` command line
(:func:`curate.cli.main`).
"""

__version__ = "0.1.0"
