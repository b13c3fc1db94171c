"""`cna slack`: look into the inbox and outbox, re-run dead events, and resend after a person's decision."""

from __future__ import annotations

import click
from sqlalchemy import func, select, update

from cli.common import db_option, open_db, run, where
from storage.models import InboxEvent, OutboxMessage, Workspace


@click.group()
def slack() -> None:
    """Slack delivery: inbox (what Slack sent), outbox (what the bot sends), dead letters, unclear sends."""


@slack.command()
@db_option
def status(db_url: str | None) -> None:
    """Counts per state, and whether sending is halted."""

    async def go() -> list[str]:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                s = uow.session
                inbox = (await s.execute(select(InboxEvent.status, func.count()).group_by(InboxEvent.status))).all()
                out = (await s.execute(select(OutboxMessage.status, func.count())
                                       .group_by(OutboxMessage.status))).all()
                halted = (await s.execute(select(Workspace.team_id, Workspace.halted_reason)
                                          .where(Workspace.halted_reason.is_not(None)))).all()
        finally:
            await db.close()
        lines = ["inbox:  " + (", ".join(f"{n} {st}" for st, n in sorted(inbox)) or "empty"),
                 "outbox: " + (", ".join(f"{n} {st}" for st, n in sorted(out)) or "empty")]
        lines += [f"sending HALTED in {team}: {why} (fix SLACK_BOT_TOKEN, restart cna serve)" for team, why in halted]
        return lines

    for line in run(go()):
        click.echo(line)


@slack.command()
@click.option("--dead", is_flag=True, help="Only events that failed every attempt.")
@click.option("--limit", type=int, default=50, show_default=True)
@db_option
def inbox(dead: bool, limit: int, db_url: str | None) -> None:
    """Recent inbound events (ids, kinds and errors only: no message text)."""

    async def go() -> list[InboxEvent]:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                q = select(InboxEvent).order_by(InboxEvent.id.desc()).limit(limit)
                if dead:
                    q = q.where(InboxEvent.status == "dead")
                return list((await uow.session.scalars(q)).all())
        finally:
            await db.close()

    rows = run(go())
    if not rows:
        click.echo(f"No {'dead ' if dead else ''}inbound events in {where(db_url)}.")
    for row in rows:
        click.echo(f"{row.id:>7}  {row.status:<8} {row.kind:<16} {row.slack_user_id or '-':<12} "
                   f"attempts={row.attempts} {row.last_error or ''}")


@slack.command()
@click.option("--status", "states", multiple=True, help="skipped, failed, ambiguous, pending, ... (repeatable)")
@click.option("--limit", type=int, default=50, show_default=True)
@db_option
def outbox(states: tuple[str, ...], limit: int, db_url: str | None) -> None:
    """Recent outgoing calls (keys, methods, states and errors only)."""

    async def go() -> list[OutboxMessage]:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                q = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
                if states:
                    q = q.where(OutboxMessage.status.in_(states))
                return list((await uow.session.scalars(q)).all())
        finally:
            await db.close()

    messages = run(go())
    if not messages:
        which = f" with status {', '.join(states)}" if states else ""
        click.echo(f"No outgoing messages{which} in {where(db_url)}.")
    for m in messages:
        click.echo(f"{m.id:>7}  {m.status:<9} {m.method:<18} {m.channel or '-':<12} {m.key[:60]:<60} "
                   f"{m.last_error or ''}")


@slack.command()
@click.argument("inbox_ids", type=int, nargs=-1, required=True)
@db_option
def retry(inbox_ids: tuple[int, ...], db_url: str | None) -> None:
    """Run dead inbound events again (after fixing what made them fail); a running `cna serve` picks them up."""

    async def go() -> tuple[int, list[str]]:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                s = uow.session
                found = dict((await s.execute(select(InboxEvent.id, InboxEvent.status)
                                              .where(InboxEvent.id.in_(inbox_ids)))).all())
                res = await s.execute(update(InboxEvent).where(
                    InboxEvent.id.in_(inbox_ids), InboxEvent.status == "dead")
                    .values(status="pending", attempts=0, processed_at=None, last_error=None))
                await uow.commit()
                return int(res.rowcount or 0), _skipped(inbox_ids, found, ("dead",))  # type: ignore[attr-defined]
        finally:
            await db.close()

    n, skipped = run(go())
    click.echo(f"{n} event(s) queued again")
    _fail_on(skipped, "inbox", db_url, "'cna slack inbox --dead' lists the dead ones")


@slack.command()
@click.argument("outbox_ids", type=int, nargs=-1, required=True)
@click.option("--yes", is_flag=True, help="Confirm: you checked that the person did not get the message.")
@db_option
def resend(outbox_ids: tuple[int, ...], yes: bool, db_url: str | None) -> None:
    """Send ambiguous or failed messages again. Only after checking they did not arrive: this can DM twice."""
    if not yes:
        raise click.UsageError("an ambiguous message may have arrived; check first, then pass --yes")

    async def go() -> tuple[int, list[str]]:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                s = uow.session
                found = dict((await s.execute(select(OutboxMessage.id, OutboxMessage.status)
                                              .where(OutboxMessage.id.in_(outbox_ids)))).all())
                res = await s.execute(update(OutboxMessage).where(
                    OutboxMessage.id.in_(outbox_ids), OutboxMessage.status.in_(("ambiguous", "failed")))
                    .values(status="pending", attempts=0, last_error=None))
                await uow.commit()
                return int(res.rowcount or 0), _skipped(outbox_ids, found, ("ambiguous", "failed"))  # type: ignore[attr-defined]
        finally:
            await db.close()

    n, skipped = run(go())
    click.echo(f"{n} message(s) queued again")
    _fail_on(skipped, "outbox", db_url, "'cna slack outbox --status ambiguous --status failed' lists them")


def _skipped(ids: tuple[int, ...], found: dict[int, str], states: tuple[str, ...]) -> list[str]:
    """Why each id that was not queued again was left alone."""
    out = []
    for i in dict.fromkeys(ids):
        if i not in found:
            out.append(f"{i} (no such row)")
        elif found[i] not in states:
            out.append(f"{i} (it is {found[i]}, not {' or '.join(states)})")
    return out


def _fail_on(skipped: list[str], table: str, db_url: str | None, hint: str) -> None:
    if skipped:
        click.echo(f"Not queued in the {table} of {where(db_url)}: {', '.join(skipped)}. {hint}.", err=True)
        raise SystemExit(1)
