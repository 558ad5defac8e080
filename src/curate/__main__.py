"""``python -m curate``: the same as the ``curate`` command."""

from .cli import run

if __name__ == "__main__":
    run()
