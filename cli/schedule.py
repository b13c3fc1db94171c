"""`cna schedule`: what is due and why, run due work as of an instant, run the sweeper, per-round settings."""

from __future__ import annotations

import asyncio
import json
import signal
from datetime import UTC, datetime
from typing import Any

import click
from sqlalchemy import select

from app.schedule.job import Sweeper, run_scheduler
from app.schedule.plan import MAX_ATTEMPTS, plan
from app.schedule.sweep import Outcome, sweep
from cli.common import db_option, friendly, open_db, run, where
from core.assessment import AssessmentRuleError, check_refresh_months
from core.schedule import FixedClock, ScheduleConfigError, ScheduleSettings
from storage import repos
from storage.models import ScheduleItem


@click.group()
def schedule() -> None:
    """Scheduled work: round refresh reminders, new draft rounds, interview nudges, invitation waves."""


def parse_now(value: str | None) -> datetime:
    """--now as an ISO date or date-time; without a zone it means UTC."""
    if value is None:
        return datetime.now(UTC)
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date or date-time; write e.g. 2026-07-10 or "
                                 "2026-07-10T09:30 or 2026-07-10T09:30+02:00 (no zone means UTC)",
                                 param_hint="--now") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


now_option = click.option("--now", "now_text", metavar="ISO-DATETIME", default=None,
                          help="Act as if it were this instant (default: the real time). No zone means UTC.")


def _status(it: ScheduleItem, now: datetime) -> str:
    if it.done_at is not None:
        return "done"
    if it.cancelled_at is not None:
        return "failed" if it.attempts >= MAX_ATTEMPTS and it.last_error else "cancelled"
    return "due" if it.due_at <= now else "pending"


def _ago(due: datetime, now: datetime) -> str:
    secs = (due - now).total_seconds()
    n, unit = (abs(secs) / 86400, "d") if abs(secs) >= 86400 else (abs(secs) / 3600, "h")
    return f"in {n:.0f}{unit}" if secs > 0 else f"{n:.0f}{unit} ago"


@schedule.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--all", "show_all", is_flag=True, help="Include done, cancelled and failed items.")
@click.option("--plan/--no-plan", "do_plan", default=True, show_default=True,
              help="Derive missing items first (idempotent); --no-plan only reads.")
@now_option
@db_option
@friendly
def list_(as_json: bool, show_all: bool, do_plan: bool, now_text: str | None, db_url: str | None) -> None:
    """What is due, when, and why."""
    now = parse_now(now_text)

    async def go() -> list[dict[str, Any]]:
        db = await open_db(db_url)
        try:
            if do_plan:
                report = await plan(db, now)
                for err in report.errors:
                    click.echo(f"warning: {err}", err=True)
            async with db.uow() as uow:
                q = select(ScheduleItem).order_by(ScheduleItem.due_at, ScheduleItem.id)
                if not show_all:
                    q = q.where(ScheduleItem.done_at.is_(None), ScheduleItem.cancelled_at.is_(None))
                items = (await uow.session.scalars(q)).all()
                return [{"key": it.key, "kind": it.kind, "status": _status(it, now),
                         "due_at": it.due_at.isoformat(), "done_at": it.done_at and it.done_at.isoformat(),
                         "cancelled_at": it.cancelled_at and it.cancelled_at.isoformat(),
                         "assessment_id": it.assessment_id, "interview_id": it.interview_id,
                         "note": it.note, "attempts": it.attempts, "last_error": it.last_error}
                        for it in items]
        finally:
            await db.close()

    rows = run(go())
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"nothing scheduled in {where(db_url)}" + ("" if show_all else " (--all shows done and cancelled "
                                                                    "items)"))
        return
    click.echo(f"{'due (UTC)':<16}  {'when':<9}  {'status':<9}  {'kind':<16}  {'key':<26}  why")
    for r in rows:
        due = datetime.fromisoformat(r["due_at"])
        why = r["note"] or ""
        if r["last_error"]:
            why += f" [error after {r['attempts']} attempt(s): {r['last_error']}]"
        click.echo(f"{due:%Y-%m-%d %H:%M}  {_ago(due, now):<9}  {r['status']:<9}  {r['kind']:<16}  "
                   f"{r['key']:<26}  {why}")


def _print_outcomes(outcomes: list[Outcome]) -> None:
    for o in outcomes:
        if o.status != "taken":
            click.echo(f"{o.status:<11} {o.key}: {o.detail}")


@schedule.command("run-due")
@now_option
@click.option("--force", is_flag=True,
              help="Sweep even while another process (a cna serve replica) is the sweeper. Safe: every item "
                   "is claimed once, so nothing is sent twice.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@db_option
@friendly
def run_due(now_text: str | None, force: bool, as_json: bool, db_url: str | None) -> None:
    """Run what is due as of --now (default: now), once: for operators, and to test time without waiting."""
    now = parse_now(now_text)

    async def go() -> list[Outcome] | None:
        db = await open_db(db_url)
        sweeper = Sweeper(db, FixedClock(now))
        try:
            if not await sweeper.leader.acquire() and not force:
                return None
            sweeper.last_plan = await plan(db, now)
            for err in sweeper.last_plan.errors:
                click.echo(f"warning: {err}", err=True)
            return await sweep(db, now)
        finally:
            await sweeper.close()
            await db.close()

    outcomes = run(go())
    if outcomes is None:
        click.echo("another process is the sweeper right now (a running 'cna serve' or "
                   "'cna schedule serve'); it runs due work every minute. Add --force to sweep here as "
                   "well (safe: every item is claimed once).", err=True)
        return
    if as_json:
        click.echo(json.dumps([o.__dict__ | {"due_at": o.due_at and o.due_at.isoformat()} for o in outcomes],
                              ensure_ascii=False, indent=2))
    else:
        _print_outcomes(outcomes)
        counts: dict[str, int] = {}
        for o in outcomes:
            counts[o.status] = counts.get(o.status, 0) + 1
        summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        click.echo(f"as of {now:%Y-%m-%d %H:%M} UTC: {summary or 'nothing due in ' + where(db_url)}")
    if any(o.status == "failed" for o in outcomes):
        raise SystemExit(1)


@schedule.command("serve")
@click.option("--interval", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds between sweeps.")
@db_option
def serve_(interval: float, db_url: str | None) -> None:
    """Run only the sweeper (no Slack): elect a leader among replicas and sweep every --interval seconds.
    Messages wait in the outbox until 'cna serve' sends them."""

    class _Cfg:
        schedule_interval = interval

    def on_tick(sweeper: Sweeper, outcomes: list[Outcome] | None) -> None:
        state = "leading" if sweeper.leading else "standing by"
        if state != getattr(on_tick, "last", None):
            click.echo(f"sweeper: {state}", err=True)
            on_tick.last = state  # type: ignore[attr-defined]
        _print_outcomes(outcomes or [])

    async def go() -> None:
        db = await open_db(db_url)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await run_scheduler(db, _Cfg(), stop, on_tick=on_tick)
        finally:
            await db.close()
            click.echo("sweeper: stopped", err=True)

    run(go())


@schedule.command("config")
@click.argument("assessment_id", type=int)
@click.option("--tz", default=None,
              help="IANA zone for the lead's reminders and round dates, e.g. Europe/Berlin.")
@click.option("--refresh-months", type=int, default=None, help="Months until the next round (12-24).")
@click.option("--reminder-days", default=None, metavar="N,N",
              help="Days before the next round to remind the lead, e.g. 30,7.")
@click.option("--reminder-at", default=None, metavar="HH:MM", help="Time of day for lead reminders.")
@click.option("--refresh/--no-refresh", "refresh", default=None, help="Open the next round automatically.")
@click.option("--nudge-after-days", type=int, default=None, help="Days without progress before a nudge.")
@click.option("--max-nudges", type=int, default=None, help="Nudges per interview at most (0 turns them off).")
@click.option("--hours", default=None, metavar="HH:MM-HH:MM", help="Working hours in each person's own zone.")
@click.option("--days", default=None, metavar="mon-fri", help="Working days, e.g. mon-fri or mon,tue,thu.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None,
              help="Language of the lead's messages.")
@db_option
@friendly
def config(assessment_id: int, tz: str | None, refresh_months: int | None, reminder_days: str | None,
           reminder_at: str | None, refresh: bool | None, nudge_after_days: int | None,
           max_nudges: int | None, hours: str | None, days: str | None, lang: str | None,
           db_url: str | None) -> None:
    """Show or change a round's scheduling settings (kept in the assessment's settings)."""
    if refresh_months is not None:
        try:
            check_refresh_months(refresh_months)
        except AssessmentRuleError as exc:
            raise click.BadParameter(str(exc), param_hint="--refresh-months") from None

    def changed(settings: dict[str, Any]) -> dict[str, Any]:
        s: dict[str, Any] = json.loads(json.dumps(settings))  # a deep copy, so the ORM sees a new value
        if tz is not None:
            s["tz"] = tz
        sections = {k: dict(s.get(k) or {}) for k in ("refresh", "nudges", "working_hours")}
        if reminder_days is not None:
            try:
                sections["refresh"]["reminder_days"] = [int(x) for x in reminder_days.split(",") if x.strip()]
            except ValueError:
                raise click.BadParameter(f"{reminder_days!r}: write whole days separated by commas, "
                                         "e.g. 30,7", param_hint="--reminder-days") from None
        if reminder_at is not None:
            sections["refresh"]["at"] = reminder_at
        if refresh is not None:
            sections["refresh"]["enabled"] = refresh
        if nudge_after_days is not None:
            sections["nudges"]["after_days"] = nudge_after_days
        if max_nudges is not None:
            sections["nudges"]["max"] = max_nudges
        if hours is not None:
            start, sep, end = hours.partition("-")
            if not sep:
                raise click.BadParameter(f"{hours!r}: write start-end, e.g. 09:00-17:00",
                                         param_hint="--hours")
            sections["working_hours"].update(start=start.strip(), end=end.strip())
        if days is not None:
            sections["working_hours"]["days"] = days
        s.update({k: v for k, v in sections.items() if v})
        if lang is not None:
            s["lang"] = lang
        return s

    async def go() -> tuple[dict[str, Any], int]:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                a = await repos.get_assessment(uow.session, assessment_id)
                new = changed(a.settings)
                try:
                    effective = ScheduleSettings.from_settings(new)
                except ScheduleConfigError as exc:
                    raise click.BadParameter(str(exc)) from None
                a.settings = new
                if refresh_months is not None:
                    a.refresh_months = refresh_months
                await uow.commit()
                return effective.to_settings() | {"lang": new.get("lang", "en")}, a.refresh_months
        finally:
            await db.close()

    effective, months = run(go())
    click.echo(json.dumps({"assessment": assessment_id, "refresh_months": months, **effective},
                          ensure_ascii=False, indent=2))

