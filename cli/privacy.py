"""`cna privacy`: export or erase everything held on one person, open erasure requests, retention purge."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from cli.common import db_option, friendly, open_db, prog, run, where
from cli.privacy_find import Target, actor_of, erased_before, find_cmd, not_found, resolve


@click.group()
def privacy() -> None:
    """Data-protection requests and retention (see docs/privacy.md)."""


privacy.add_command(find_cmd)

def _subject(participant: str | None, slack_user: str | None,
             db_url: str | None = None) -> tuple[dict[str, Any], Target]:
    from storage.privacy import parse_subject

    if bool(participant) == bool(slack_user):
        raise click.UsageError("name the person with either --participant P-1A2B3C4D (a pseudonym, a participant "
                               "id, or the name given to 'cna try --participant') or --slack-user U0123ABCD")
    target = resolve(db_url, participant, slack_user)
    try:
        pseudonym, pid, uid = parse_subject(target.participant, target.slack_user)
    except ValueError as exc:
        raise click.UsageError(f"{exc}: --participant P-1A2B3C4D (or its id) or --slack-user U0123ABCD") from None
    return {"pseudonym": pseudonym, "participant_id": pid, "slack_user_id": uid}, target


def _who(kw: dict[str, Any], target: Target | None = None) -> str:
    if target is not None and target.named is not None:
        return f"{target.named.name} = {target.named.pseudonym}"
    if kw["pseudonym"]:
        return str(kw["pseudonym"])
    if kw["participant_id"] is not None:
        return f"participant #{kw['participant_id']}"
    return f"Slack user {kw['slack_user_id']}"


def _now(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise click.UsageError(f"--now {value!r} is not an ISO date or time; write e.g. 2026-01-31 or "
                               "2026-01-31T09:00:00+00:00") from None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


person_options = [
    click.option("--participant", metavar="PSEUDONYM|ID|NAME",
                 help="The participant's pseudonym (P-...), id, or the name (and 'Organisation / Name') given to "
                      "'cna try --participant'; 'cna privacy find' searches names."),
    click.option("--slack-user", metavar="UID", help="The person's Slack user id (U...)."),
]


def _person(fn: Any) -> Any:
    for opt in reversed(person_options):
        fn = opt(fn)
    return fn


@privacy.command("export")
@_person
@click.option("--out", default="-", show_default=True, metavar="FILE", help="Where to write the JSON ('-': stdout).")
@click.option("--actor", default=None, help="Who asks, for the audit log (default: $CNA_REVIEWER or your login).")
@db_option
@friendly
def export_cmd(participant: str | None, slack_user: str | None, out: str, actor: str | None,
               db_url: str | None) -> None:
    """Write everything held on one person as JSON: identity, participant, interviews with their state,
    answers with ladders and codings, schedule items, messages to them, events from them, audit entries.
    For a subject-access request (GDPR Art. 15) or data portability (Art. 20)."""
    from storage.privacy import export_person

    kw, target = _subject(participant, slack_user, db_url)
    who = _who(kw, target)

    async def go() -> dict[str, Any]:
        db = await open_db(db_url)
        try:
            return await export_person(db, actor=actor_of(actor), **kw)
        finally:
            await db.close()

    doc = run(go())
    nothing = not (doc["found"] or doc["outbox_messages"] or doc["inbox_events"])
    erased = run(erased_before(db_url, kw["pseudonym"])) if nothing else None
    if nothing and erased is None:
        raise not_found(db_url, who)
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if out == "-":
        sys.stdout.write(text)
        if erased is not None:
            click.echo(f"Nothing is held on {who}: erased on {erased:%Y-%m-%d}.", err=True)
        return
    try:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")
        os.chmod(out, 0o600)  # personal data: readable by the one who asked for it
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}; choose another --out path") from None
    n = sum(len(lad["steps"]) for iv in doc["interviews"] for lad in iv["ladders"])
    if doc["found"]:
        click.echo(f"Wrote {who}: {len(doc['interviews'])} interview(s), {n} answer(s), "
                   f"{len(doc['outbox_messages'])} message(s) to them, {len(doc['inbox_events'])} event(s) from "
                   f"them to {out}.")
    elif not nothing:
        click.echo(f"No participant for {who}; wrote {len(doc['outbox_messages'])} message(s) to them and "
                   f"{len(doc['inbox_events'])} event(s) from them to {out}.")
    else:
        click.echo(f"Nothing is held on {who}: erased on {erased:%Y-%m-%d}; wrote an empty export to {out}.")


@privacy.command("erase")
@_person
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--actor", default=None, help="Who erases, for the audit log (default: $CNA_REVIEWER or your login).")
@db_option
@friendly
def erase_cmd(participant: str | None, slack_user: str | None, yes: bool, actor: str | None,
              db_url: str | None) -> None:
    """Erase one person (GDPR Art. 17): their answers and codings, interviews, schedule items, identity and
    participant rows, and their Slack inbox and outbox rows. An audit entry without content records it.
    Answers to anonymous questions carry no link to anyone and stay. Running it twice is harmless."""
    from app.erasure import erase_and_notify  # a person who asked in Slack is told there when it is done
    from storage.privacy import Erasure

    kw, target = _subject(participant, slack_user, db_url)
    who = _who(kw, target)
    by = actor_of(actor)

    async def go(dry_run: bool) -> Erasure:
        db = await open_db(db_url)
        try:
            return await erase_and_notify(db, actor=by, dry_run=dry_run, **kw)
        finally:
            await db.close()

    preview = run(go(True))
    if preview.nothing_left:
        erased = run(erased_before(db_url, kw["pseudonym"]))
        if erased is None:
            raise not_found(db_url, who)  # a typo must not look like a completed erasure
        run(go(False))  # the repeated check goes in the audit log too
        click.echo(f"Nothing was left to erase for {who}: erased on {erased:%Y-%m-%d}. The check is recorded in "
                   "the audit log.")
        return
    if not yes:
        click.echo(f"This erases {who}{_pseud(preview, kw)}: {_counts(preview.counts)}.")
        click.confirm("It cannot be undone. Erase?", abort=True)
    elif target.named is not None:
        click.echo(f"Erasing {who}: {_counts(preview.counts)}.")
    result = run(go(False))
    click.echo(f"Erased {who}{_pseud(result, kw)}: {_counts(result.counts)}. An audit entry records it "
               "(without content).")
    for m in result.residue:
        click.echo(f"Still mentioned in {m.table}.{m.column} ({m.rows} row(s)): e.g. their name in someone "
                   "else's answer or as a coder; review these by hand.", err=True)


def _pseud(e: Any, kw: dict[str, Any]) -> str:
    return f" ({e.pseudonym})" if e.pseudonym and not kw["pseudonym"] else ""


def _counts(counts: dict[str, int]) -> str:
    labels = {"answers": "answer(s)", "codings": "coding(s)", "interviews": "interview(s)",
              "schedule_items": "schedule item(s)", "identities": "identity mapping(s)",
              "participants": "participant row(s)", "outbox": "outbox message(s)", "inbox": "inbox event(s)",
              "inbox_stubbed": "recent inbox event(s) cut to their dedupe key",
              "inbox_scrubbed": "other people's event(s) emptied of a mention", "wave_entries": "wave entry(ies)",
              "interviewer_refs": "interviewer reference(s)", "lead_refs": "round lead reference(s)"}
    return ", ".join(f"{n} {labels.get(k, k)}" for k, n in counts.items() if n) or "nothing"


@privacy.command("requests")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@db_option
@friendly
def requests_cmd(as_json: bool, db_url: str | None) -> None:
    """Erasure requests people made in Slack that no erasure has followed yet, with their deadlines."""
    from storage.privacy import OpenRequest, open_requests

    async def go() -> list[OpenRequest]:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                return await open_requests(uow.session)
        finally:
            await db.close()

    reqs = run(go())
    today = datetime.now(UTC).date().isoformat()
    if as_json:
        click.echo(json.dumps([{"pseudonym": r.pseudonym, "requested_at": r.requested_at.isoformat(),
                                "due_by": r.due_by, "overdue": r.overdue(today)} for r in reqs], indent=2))
        return
    if not reqs:
        click.echo(f"No open erasure requests in {where(db_url)}.")
        return
    for r in reqs:
        late = "  OVERDUE" if r.overdue(today) else ""
        click.echo(f"{r.pseudonym}  asked {r.requested_at:%Y-%m-%d}  erase by {r.due_by}{late}")
    click.echo(f"Erase with '{prog()} privacy erase --participant PSEUDONYM' (or /cna erase-confirm PSEUDONYM in "
               "Slack).")


@privacy.command("purge")
@click.option("--now", "now_text", default=None, metavar="ISO", help="Pretend it is this date/time (default: now).")
@click.option("--dry-run", is_flag=True, help="Show what would be purged; change nothing.")
@db_option
@friendly
def purge_cmd(now_text: str | None, dry_run: bool, db_url: str | None) -> None:
    """Apply retention: for each closed round whose retention_days have passed since it closed, remove who
    answered (mode identities) or the answers too (mode answers). `cna serve` does this in its sweep; running
    it again changes nothing."""
    from storage.privacy import RetentionReport, purge_retention

    now = _now(now_text)

    async def go() -> RetentionReport:
        db = await open_db(db_url)
        try:
            return await purge_retention(db, now, dry_run=dry_run)
        finally:
            await db.close()

    report = run(go())
    verb = "would purge" if dry_run else "purged"
    for p in report.purged:
        what = _counts(p.counts) if p.counts else "nothing left to purge"
        click.echo(f"Round {p.round_id} ({p.name}), mode {p.mode}, due {p.due_on}: {verb} {what}.")
    for rid, when in report.waiting:
        click.echo(f"Round {rid}: retention falls due on {when}.")
    if report.unset:
        ids = ", ".join(str(i) for i in report.unset)
        click.echo(f"Closed round(s) without a retention period: {ids}. Set one with 'cna privacy retention "
                   "ROUND --days N' or CNA_RETENTION_DAYS.")
    for problem in report.problems:
        click.echo(problem, err=True)
    if not (report.purged or report.waiting or report.unset or report.problems):
        click.echo(f"No closed rounds in {where(db_url)}.")
    if report.problems:
        sys.exit(1)


@privacy.command("retention")
@click.argument("round_id", type=int)
@click.option("--days", type=click.IntRange(min=0), default=None, help="Days after the round closes.")
@click.option("--mode", type=click.Choice(("identities", "answers")), default=None,
              help="identities: drop who answered, keep pseudonymous answers; answers: drop the answers too.")
@db_option
@friendly
def retention_cmd(round_id: int, days: int | None, mode: str | None, db_url: str | None) -> None:
    """Show or set a round's retention period and mode."""
    from storage import repos
    from storage.retention import RetentionConfigError, due_on, policy_of

    async def go() -> str:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                a = await repos.get_assessment(uow.session, round_id)
                if days is not None or mode is not None:
                    settings = dict(a.settings or {})
                    if days is not None:
                        settings["retention_days"] = days
                    if mode is not None:
                        settings["retention_mode"] = mode
                    a.settings = settings
                try:
                    policy = policy_of(a, os.environ)
                except RetentionConfigError as exc:
                    raise click.ClickException(str(exc)) from None
                await uow.commit()
                if policy is None:
                    return f"Round {a.id} has no retention period; set one with --days N."
                when = due_on(a, policy)
                due = f"due on {when}" if when else "counted from the day the round closes"
                return f"Round {a.id}: {policy.mode} purged {policy.days} day(s) after closing ({due})."
        finally:
            await db.close()

    click.echo(run(go()))
