"""`cna round`: list rounds with their predecessors, review a draft round, open the next one, launch it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import click
from sqlalchemy import delete, func, or_, select

from app.rounds import RoundError, create_draft_round, launch_round, round_rows, successor_of, waves_preview
from cli.common import db_option, friendly, open_db, run, where
from core.schedule import ScheduleConfigError
from core.script import CUSTOMER_SEGMENTS, INTERNAL_ROLES
from core.waves import WaveSpecError, parse_waves
from storage import repos
from storage.models import Identity, Interview, Participant, ScheduleItem


@click.group("round")
def round_() -> None:
    """CNA rounds: each links to the one before; the next one starts as a draft to review and launch."""


@round_.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@db_option
def list_(as_json: bool, db_url: str | None) -> None:
    """Every round, its predecessor and its interviews by status."""

    async def go() -> list[dict[str, Any]]:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                return await round_rows(uow.session)
        finally:
            await db.close()

    rows = run(go())
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"no rounds yet in {where(db_url)}; create one with: cna assessment create --name NAME")
        return
    click.echo(f"{'id':>3}  {'round':>5}  {'after':>5}  {'status':<7}  {'opened':<10}  interviews  name")
    for r in rows:
        counts = ", ".join(f"{n} {s}" for s, n in r["interviews"].items()) or "-"
        after = r["previous_id"] if r["previous_id"] is not None else "-"
        click.echo(f"{r['id']:>3}  {r['round']:>5}  {after:>5}  {r['status']:<7}  {r['opened_on']:<10}  "
                   f"{counts}  {r['name']}")


@round_.command("show")
@click.argument("assessment_id", type=int)
@db_option
@friendly
def show(assessment_id: int, db_url: str | None) -> None:
    """A round's scripts, team, participants by segment and status, and its scheduled waves."""

    async def go() -> list[str]:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                s = uow.session
                a = await repos.get_assessment(s, assessment_id)
                lines = [f"assessment {a.id} '{a.name}': round {a.round_no}, {a.status}, opened {a.opened_on}"
                         + (f", follows assessment {a.previous_id}" if a.previous_id else "")]
                lines.append("scripts: " + (", ".join(await repos.script_ids_of(s, a.id)) or "-"))
                team = await repos.team_of(s, a.id)
                lines.append("team: " + (", ".join(f"{m.name} ({'internal' if m.internal else 'external'}"
                                                   f"{', ' + m.business_unit if m.business_unit else ''})"
                                                   for m in team) or "-"))
                rows = (await s.execute(select(Interview.segment, Interview.status, Interview.wave,
                                               func.count())
                                        .where(Interview.assessment_id == a.id)
                                        .group_by(Interview.segment, Interview.status, Interview.wave)
                                        .order_by(Interview.segment))).all()
                lines.append("participants:" if rows else "participants: none")
                lines += [f"  {seg:<22} {status:<12} {'wave ' + str(w) if w else '':<8} {n}"
                          for seg, status, w, n in rows]
                waves = (await s.scalars(select(ScheduleItem).where(ScheduleItem.assessment_id == a.id,
                                                                    ScheduleItem.kind == "wave")
                                         .order_by(ScheduleItem.due_at))).all()
                lines += [f"  {w.key}: due {w.due_at:%Y-%m-%d %H:%M} UTC, "
                          f"{'done' if w.done_at else 'cancelled' if w.cancelled_at else 'pending'}"
                          for w in waves]
                if a.status == "draft":
                    lines.append(f"launch it with: cna round launch {a.id} "
                                 "[--waves internal,customer | --per-day N] [--start YYYY-MM-DD]")
                return lines
        finally:
            await db.close()

    for line in run(go()):
        click.echo(line)


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD", param_hint=option) from None


def _check_groups(waves: list[frozenset[str]]) -> None:
    """Each --waves group must name a kind, role or segment (or kind:role, kind:segment): an unknown word would
    match nobody and quietly put everyone in the last wave."""
    known = {"internal", "customer", *INTERNAL_ROLES, *CUSTOMER_SEGMENTS}
    words = {t for w in waves for token in w for t in token.split(":")}
    unknown = sorted(words - known)
    if unknown:
        raise WaveSpecError(f"unknown group(s) {', '.join(unknown)}; use internal, customer, a role "
                            f"({', '.join(INTERNAL_ROLES)}) or a segment ({', '.join(CUSTOMER_SEGMENTS)}), e.g. "
                            "internal,customer or internal:sales+internal:service,customer")


@round_.command("launch")
@click.argument("assessment_id", type=int)
@click.option("--waves", default=None, metavar="GROUPS",
              help="Invite in waves, in this order: e.g. 'internal,customer', or "
                   "'internal:sales+internal:service,internal,customer'. Groups match kind, role or segment; "
                   "anyone unmatched goes in a last wave.")
@click.option("--gap-days", type=click.IntRange(min=1), default=7, show_default=True, help="Days between waves.")
@click.option("--per-day", "per_day_count", type=click.IntRange(min=1), default=None,
              help="Instead of waves: N invitations per working day.")
@click.option("--start", default=None, metavar="YYYY-MM-DD", help="First day of invitations (default today).")
@click.option("--close-previous/--keep-previous-open", default=True, show_default=True,
              help="Close the round this one follows.")
@db_option
@friendly
def launch(assessment_id: int, waves: str | None, gap_days: int, per_day_count: int | None, start: str | None,
           close_previous: bool, db_url: str | None) -> None:
    """Open a draft round and schedule its invitations; the sweeper sends each wave when it falls due, in
    every participant's own working hours."""
    start_on = _date(start, "--start")
    if waves and per_day_count:
        raise click.UsageError("use either --waves or --per-day, not both")
    if waves:
        try:
            _check_groups(parse_waves(waves))  # before the database and the script catalog are touched
        except WaveSpecError as exc:
            raise click.BadParameter(str(exc), param_hint="--waves") from None

    async def go() -> list[str]:
        from app.catalog import load_catalog

        catalog = load_catalog()
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                try:
                    res = await launch_round(uow.session, assessment_id, now=datetime.now(UTC), waves=waves,
                                             gap_days=gap_days, per_day_count=per_day_count, start=start_on,
                                             catalog=catalog, close_previous=close_previous)
                except (RoundError, ScheduleConfigError) as exc:
                    raise click.UsageError(str(exc)) from None
                await uow.commit()
        finally:
            await db.close()
        total = sum(len(w.interview_ids) for w in res.waves)
        out = [f"round {assessment_id} is open: {total} invitation(s) in {len(res.waves)} wave(s)"]
        out += ["  " + line for line in waves_preview(res)]
        if res.unmatched:
            out.append(f"  {res.unmatched} participant(s) matched no --waves group: "
                       "they are in the last wave")
        if res.rescripted:
            out.append(f"  {res.rescripted} interview(s) moved to the current version of their script")
        if res.closed_previous:
            out.append(f"  closed the previous round (assessment {res.closed_previous})")
        out.append("invitations go out from the running 'cna serve' (or run 'cna schedule run-due' now)")
        return out

    for line in run(go()):
        click.echo(line)


@round_.command("next")
@click.argument("assessment_id", type=int)
@db_option
@friendly
def next_(assessment_id: int, db_url: str | None) -> None:
    """Open the next round as a draft now, ahead of its refresh date (nobody is invited)."""

    async def go() -> str:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                s = uow.session
                a = await repos.get_assessment(s, assessment_id)
                nxt = await successor_of(s, a.id)
                if nxt is not None:
                    raise click.UsageError(f"round {a.round_no} already has a next round: "
                                           f"assessment {nxt.id} ({nxt.status})")
                if a.status == "draft":
                    raise click.UsageError(f"assessment {a.id} is itself a draft: launch it first")
                now = datetime.now(UTC)
                summary = await create_draft_round(s, a, opened_on=now.date(), now=now)
                await uow.commit()
                return (f"draft round {summary.round_no} is assessment {summary.assessment_id}: "
                        f"{summary.scripts} scripts, {summary.people} participants, "
                        f"{summary.team} team members; "
                        f"review with 'cna round show {summary.assessment_id}', then "
                        f"'cna round launch {summary.assessment_id}'")
        finally:
            await db.close()

    click.echo(run(go()))


@round_.command("drop")
@click.argument("assessment_id", type=int)
@click.option("--slack-user", "slack_users", multiple=True, metavar="U...", help="Slack user id (repeatable).")
@click.option("--pseudonym", "pseudonyms", multiple=True, metavar="P-...", help="Participant pseudonym (repeatable).")
@db_option
@friendly
def drop(assessment_id: int, slack_users: tuple[str, ...], pseudonyms: tuple[str, ...], db_url: str | None) -> None:
    """Take people off a draft round's list before launch (their earlier rounds are untouched)."""
    if not slack_users and not pseudonyms:
        raise click.UsageError("name who to drop: --slack-user U... or --pseudonym P-...")

    async def go() -> int:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                s = uow.session
                a = await repos.get_assessment(s, assessment_id)
                if a.status != "draft":
                    raise click.UsageError(f"assessment {a.id} is {a.status}: only a draft round's list can be "
                                           "changed this way")
                found = (await s.execute(
                    select(Participant.id, Participant.pseudonym, Identity.slack_user_id)
                    .outerjoin(Identity, Identity.participant_id == Participant.id)
                    .join(Interview, Interview.participant_id == Participant.id)
                    .where(Interview.assessment_id == a.id, Interview.status == "draft",
                           or_(func.upper(Participant.pseudonym).in_([p.upper() for p in pseudonyms]),
                               Identity.slack_user_id.in_(slack_users))))).all()
                known = {str(r.pseudonym).upper() for r in found} | {str(r.slack_user_id) for r in found}
                missing = [x for x in (*pseudonyms, *slack_users) if x.upper() not in known and x not in known]
                if missing:
                    # All or nothing: a typo in one id must not leave the list half-trimmed.
                    raise click.ClickException(
                        f"not on the draft list of round {a.id} in {where(db_url)}: {', '.join(missing)}; nothing "
                        f"was dropped. 'cna round show {a.id}' shows the list; 'cna privacy find NAME' finds a "
                        "pseudonym")
                result = await s.execute(delete(Interview).where(
                    Interview.assessment_id == a.id, Interview.status == "draft",
                    Interview.participant_id.in_({r.id for r in found})))
                await uow.commit()
                return int(result.rowcount or 0)  # type: ignore[attr-defined]
        finally:
            await db.close()

    n = run(go())
    click.echo(f"dropped {n} draft interview(s) from round {assessment_id}")
