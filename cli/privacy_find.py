"""`cna privacy find`, and turning what a lead typed (a pseudonym, an id or a name) into one person."""

from __future__ import annotations

import getpass
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import click
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from cli.common import db_option, friendly, open_db, prog, run, where
from storage.models import AuditEntry, Identity, Interview, Participant

PSEUDONYM = re.compile(r"P-[0-9A-F]{8}", re.IGNORECASE)
ERASE = "erase"  # storage.privacy_erase's audit action


def actor_of(actor: str | None) -> str:
    """Who is acting, for the audit log: --actor, else CNA_REVIEWER, else the operating-system user."""
    if actor:
        return actor
    env = os.environ.get("CNA_REVIEWER", "").strip()
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "cli"


@dataclass
class Match:
    """One person as the lead knows them: pseudonym, the name and organisation typed in, interviews."""

    pseudonym: str
    participant_id: int
    display_name: str | None
    organisation: str | None
    slack_user_id: str | None
    interviews: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        who = self.display_name or "-"
        return f"{who} ({self.organisation})" if self.organisation else who

    def line(self) -> str:
        counts = ", ".join(f"{n} {status}" for status, n in sorted(self.interviews.items())) or "no interviews"
        slack = f"  Slack {self.slack_user_id}" if self.slack_user_id else ""
        return f"{self.pseudonym}  {self.name}{slack}  ({counts})"

    def as_json(self) -> dict[str, Any]:
        return {"pseudonym": self.pseudonym, "participant_id": self.participant_id,
                "display_name": self.display_name, "organisation": self.organisation,
                "slack_user_id": self.slack_user_id, "interviews": self.interviews}


async def _matches(s: AsyncSession, condition: Any) -> list[Match]:
    rows = (await s.execute(select(Participant, Identity).join(Identity, Identity.participant_id == Participant.id)
                            .where(condition).order_by(Participant.id))).all()
    out = []
    for p, ident in rows:
        counts = (await s.execute(select(Interview.status, func.count()).where(Interview.participant_id == p.id)
                                  .group_by(Interview.status))).all()
        out.append(Match(p.pseudonym, p.id, ident.display_name, ident.organisation, ident.slack_user_id,
                         {str(st): int(n) for st, n in counts}))
    return out


async def search(s: AsyncSession, text: str) -> list[Match]:
    """Everyone whose name, organisation, pseudonym or Slack id contains `text` (case-insensitive)."""
    needle = text.strip().lower()
    cols = (Identity.display_name, Identity.organisation, Participant.pseudonym, Identity.slack_user_id)
    return await _matches(s, or_(*(func.lower(c).contains(needle, autoescape=True) for c in cols)))


async def by_name(s: AsyncSession, typed: str) -> list[Match]:
    """The people a name fits exactly, as `cna try --participant` takes it: 'Name' or 'Organisation / Name'."""
    org, _, contact = typed.partition("/")
    name = (contact or org).strip().lower()
    condition = func.lower(Identity.display_name) == name
    if contact:
        condition = condition & (func.lower(Identity.organisation) == org.strip().lower())
    return await _matches(s, condition)


async def erased_on(s: AsyncSession, pseudonym: str) -> datetime | None:
    """When a pseudonym's data was erased (an erasure that removed something), or None if never."""
    entries = (await s.scalars(select(AuditEntry).where(AuditEntry.action == ERASE,
                                                        func.upper(AuditEntry.subject) == pseudonym.upper())
                               .order_by(AuditEntry.at))).all()
    for e in entries:
        if not (e.detail or {}).get("nothing_left"):
            return e.at
    return None


@dataclass
class Target:
    """Whom a privacy command acts on: `participant` is what storage.privacy.parse_subject takes."""

    participant: str | None
    slack_user: str | None
    named: Match | None = None  # found by the name the lead typed

    @property
    def is_pseudonym(self) -> bool:
        return bool(self.participant and PSEUDONYM.fullmatch(self.participant.strip()))


def resolve(db_url: str | None, participant: str | None, slack_user: str | None) -> Target:
    """A pseudonym, a participant id or a Slack id pass through; anything else is a name, which must fit exactly
    one person (else a one-line error listing who it could be, and how to find the right one)."""
    value = (participant or "").strip()
    if not value or slack_user or value.isdigit() or PSEUDONYM.fullmatch(value):
        return Target(participant, slack_user)

    async def go() -> tuple[list[Match], list[Match]]:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                exact = await by_name(uow.session, value)
                return exact, ([] if exact else await search(uow.session, (value.partition("/")[2] or value)))
        finally:
            await db.close()

    exact, near = run(go())
    if len(exact) == 1:
        return Target(exact[0].pseudonym, None, exact[0])
    if exact:
        people = "; ".join(m.line() for m in exact)
        raise click.ClickException(f"{len(exact)} people are called {value!r} in {where(db_url)}: {people}. "
                                   "Give the pseudonym with --participant P-....")
    hint = f" Did you mean: {'; '.join(m.line() for m in near[:5])}?" if near else ""
    raise click.ClickException(f"no participant called {value!r} and no such pseudonym in {where(db_url)}.{hint} "
                               f"Search with '{prog()} privacy find NAME'.")


async def erased_before(db_url: str | None, pseudonym: str | None) -> datetime | None:
    if not pseudonym:
        return None
    db = await open_db(db_url)
    try:
        async with db.uow() as uow:
            return await erased_on(uow.session, pseudonym)
    finally:
        await db.close()


def not_found(db_url: str | None, who: str) -> click.ClickException:
    return click.ClickException(f"nothing is held on {who} in {where(db_url)}: no such participant. Check the "
                                f"pseudonym, or find it by name with '{prog()} privacy find NAME' (the name given "
                                "to 'cna try --participant' or in Slack).")


@click.command("find")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--actor", default=None, help="Who searches, for the audit log (default: $CNA_REVIEWER or your login).")
@db_option
@friendly
def find_cmd(text: str, as_json: bool, actor: str | None, db_url: str | None) -> None:
    """Find people by name, organisation, pseudonym or Slack id (part of it is enough), to get the pseudonym
    that 'privacy export' and 'privacy erase' take. The search is audited (without what was searched for)."""
    async def go() -> list[Match]:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                found = await search(uow.session, text)
                # Names are personal data: who looked is recorded, but not the name, so erasure leaves no trace.
                uow.session.add(AuditEntry(actor=actor_of(actor)[:100], action="privacy.find", subject=None,
                                           detail={"matches": len(found)}))
                await uow.commit()
                return found
        finally:
            await db.close()

    found = run(go())
    if as_json:
        click.echo(json.dumps([m.as_json() for m in found], ensure_ascii=False, indent=2))
    for m in found if not as_json else ():
        click.echo(m.line())
    if not found:
        click.echo(f"No one matches {text!r} in {where(db_url)}.", err=True)
        raise SystemExit(1)
