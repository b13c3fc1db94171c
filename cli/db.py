"""`cna db`: create, upgrade and inspect the schema."""

from __future__ import annotations

import click

from cli.common import db_option, open_db, run, where
from storage.db import current_revision


@click.group()
def db() -> None:
    """Database schema commands."""


@db.command()
@db_option
def upgrade(db_url: str | None) -> None:
    """Create the schema or upgrade it to the latest version."""

    async def go() -> str | None:
        database = await open_db(db_url, create=True)
        rev = await current_revision(database.engine)
        await database.close()
        return rev

    rev = run(go())
    click.echo(f"database {where(db_url)} is at revision {rev}")
