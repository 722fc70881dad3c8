"""The installed `zhibiao` script's entry point, kept apart from zhibiao.cli so that the script imports nothing.

multiprocessing's spawn start method re-imports the script in every process it starts (as __mp_main__): the
ingest's workers, the web app's extraction process. The script used to import zhibiao.cli at its top, so each
of them loaded Typer, every command and with them SQLAlchemy, Alembic and Rich, about 0.7 s of CPU per
worker, all unused there. Now the script imports this module only, and the command line is loaded when it runs.
"""

from __future__ import annotations


def main() -> None:
    """Run the command line (`zhibiao ...`)."""
    from zhibiao.cli import app

    app()
