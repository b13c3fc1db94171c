"""`cna serve`: run the Slack bot (Socket Mode by default, `--http` for the Events API behind a proxy)."""

from __future__ import annotations

import asyncio
import logging
import sys

import click

from app.settings import MANIFEST_HINT, SettingsError, load_settings
from storage.db import DatabaseURLError


def _fail(lines: list[str], code: int = 2) -> None:
    click.echo("cna serve cannot start:", err=True)
    for line in lines:
        click.echo(f"  - {line}", err=True)
    sys.exit(code)


@click.command()
@click.option("--http", "http", is_flag=True,
              help="Serve the Events API over HTTP at /slack/events instead of Socket Mode.")
@click.option("--port", type=int, default=3000, show_default=True, envvar="PORT", help="HTTP port (with --http).")
@click.option("--host", default="0.0.0.0", show_default=True, help="HTTP address to bind (with --http).")
def serve(http: bool, port: int, host: str) -> None:
    """Run the Slack bot. Reads SLACK_* and CNA_* variables from the environment or ./.env (docs/slack.md)."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        _fail([*exc.problems, MANIFEST_HINT])
        return
    problems = settings.problems(http=http)
    if problems:
        _fail([*problems, MANIFEST_HINT])
    # Our own INFO logs carry ids and counts only (never answer text or tokens), so operators see them.
    logging.getLogger("cna").setLevel(logging.INFO)
    logging.getLogger("app.schedule").setLevel(logging.INFO)  # the sweeper's "leading" / "standing by"
    from bot.serve import StartupError
    from bot.serve import serve as run_serve

    try:
        asyncio.run(run_serve(settings, http=http, host=host, port=port))
    except StartupError as exc:
        _fail(str(exc).splitlines(), exc.code)
    except DatabaseURLError as exc:
        _fail([f"CNA_DATABASE_URL: {exc}"])
    except KeyboardInterrupt:
        pass
