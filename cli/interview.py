"""`cna try` and `cna demo`: run an interview in the terminal with the real engine and storage."""

from __future__ import annotations

import getpass
from datetime import date

import click

from app.catalog import load_catalog
from app.interviews import InterviewService
from cli.common import db_option, friendly, open_db, run
from cli.terminal import TerminalInterview
from storage import repos
from storage.uow import Database

TRY_ROUND = "Terminal try-out"


def register(cli: click.Group) -> None:
    cli.add_command(try_)
    cli.add_command(demo)


async def _round(db: Database, assessment_id: int | None) -> int:
    async with db.uow() as uow:
        if assessment_id is not None:
            return (await repos.get_assessment(uow.session, assessment_id)).id
        a = await repos.current_assessment(uow.session)
        if a is None:
            a = await repos.create_assessment(uow.session, name=TRY_ROUND, opened_on=date.today())
            await uow.commit()
        return a.id


async def run_terminal(db_url: str | None, script_id: str, lang: str, participant: str | None,
                       assessment_id: int | None) -> str:
    catalog = load_catalog()
    script = catalog.get(script_id, lang)
    db = await open_db(db_url)
    try:
        service = InterviewService(db, catalog)
        await service.sync_codebook()
        aid = await _round(db, assessment_id)
        assisted = participant is not None and "/" in participant
        name = participant or getpass.getuser()
        aud = script.audience
        async with db.uow() as uow:
            p = await repos.participant_for_name(uow.session, name, kind=aud.kind, role=aud.role,
                                                 segment=aud.segment, lang=lang)
            await uow.commit()
        iv, created = await service.open_interview(assessment_id=aid, participant_id=p.id, script_id=script.id,
                                                   lang=lang, mode="assisted" if assisted else "terminal")
        if iv.status in ("completed", "declined"):
            click.echo(f"{name} already {iv.status} '{script.title}' in this round (interview {iv.id}); "
                       "use --participant with another name to run it again.")
            return iv.status
        if created:
            click.echo(f"\n{script.title}  ({script.minutes} min)\n")
            click.echo(script.intro.strip())
            click.echo()
            click.echo(script.consent.strip())
            click.echo("\n" + ("Type 'help' at any time for skip/back/pause." if lang == "en"
                               else "随时输入“帮助”查看跳过/返回/暂停等用法。"))
        else:
            click.echo(f"Resuming interview {iv.id} for {name}.")
        status = await TerminalInterview(service, iv.id, lang, assisted=assisted).run()
        if status == "completed":
            click.echo("\n" + script.outro.strip())
        elif status == "paused":
            click.echo(f"\nSaved. Run the same command again to resume (interview {iv.id}).")
        return status
    finally:
        await db.close()


@click.command("try")
@click.option("--script", "script_id", required=True, help="Script id (see 'cna scripts list').")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("--participant", default=None,
              help="Who answers (default: your login). 'Company / Contact' runs the interviewer-assisted "
                   "mode for a customer who is not in Slack.")
@click.option("--assessment", "assessment_id", type=int, default=None, help="Round id (default: the current one).")
@db_option
@friendly
def try_(script_id: str, lang: str, participant: str | None, assessment_id: int | None, db_url: str | None) -> None:
    """Run an interview in the terminal; answers can also be piped, one per line."""
    run(run_terminal(db_url, script_id, lang, participant, assessment_id))


@click.command()
@click.option("--script", "script_id", default="customer-current", show_default=True)
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("--no-interview", is_flag=True, help="Only seed the demo data.")
@db_option
@friendly
def demo(script_id: str, lang: str, no_interview: bool, db_url: str | None) -> None:
    """Seed a demo assessment (when the database is empty), then start 'cna try'."""
    from cli.demo import seed_demo

    async def go() -> str:
        db = await open_db(db_url)
        try:
            return await seed_demo(db, load_catalog())
        finally:
            await db.close()

    click.echo(run(go()))
    if not no_interview:
        run(run_terminal(db_url, script_id, lang, None, None))
