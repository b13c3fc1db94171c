"""`cna tui`: open the lead's review app on a database."""

from __future__ import annotations

import os
from datetime import date

import click

from cli.common import db_option, friendly, open_db, prog, run, where
from core.access import reviewer_from_env
from storage import repos


async def _check(db_url: str | None, round_id: int | None) -> None:
    """Open and upgrade the schema first, and find the round, so a bad URL, a missing database or a wrong
    --round is a clear message, not an empty or broken screen."""
    database = await open_db(db_url)
    try:
        async with database.uow() as uow:
            if round_id is not None:
                await repos.get_assessment(uow.session, round_id)
            elif await repos.current_assessment(uow.session) is None:
                raise click.ClickException(f"no rounds in {where(db_url)} yet: create one with '{prog()} assessment "
                                           f"create --name NAME', or try the review app on demo data with "
                                           f"'{prog()} demo --no-interview --db sqlite:///demo.db'")
    finally:
        await database.close()


@click.command()
@db_option
@click.option("--round", "round_id", type=int, default=None, metavar="ID",
              help="Round to open (default: the current open round). 'cna assessment list' shows the ids.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="Pretend today is this date (for the refresh countdown and the roadmap).")
@click.option("--retrain-every", type=click.IntRange(0), default=50, show_default=True, metavar="N",
              help="Retrain the coder in the background after every N new coding decisions (0: never).")
@friendly
def tui(db_url: str | None, round_id: int | None, today: object, retrain_every: int) -> None:
    """Review answers, code and theme them, compare staff with customers, prioritise (keys: ? for help).

    The reviewer's name for coding comes from CNA_REVIEWER (default 'lead'); department-restricted answers
    are shown only for departments in CNA_REVIEWER_DEPARTMENTS ('finance,hr' or '*')."""
    from tui.app import ReviewApp  # Textual loads only for this command

    run(_check(db_url, round_id))
    day = today.date() if hasattr(today, "date") else date.today()
    app = ReviewApp(db_url or os.environ.get("CNA_DATABASE_URL"), reviewer=reviewer_from_env(os.environ), today=day,
                    round_id=round_id, retrain_every=retrain_every)
    app.run()
    if app.return_code:  # Textual has printed what went wrong; the shell should know too
        raise SystemExit(app.return_code)
