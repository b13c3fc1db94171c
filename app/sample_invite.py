"""From sample to interviews: Slack invitations for sampled customers with a Slack user id, a call list for the
rest (the interviewer-assisted mode), and linking interviews run by other paths back to the sample."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import outbox
from app.schedule import messages as msg
from core.interview import InterviewState
from core.sampling import SamplingError
from storage import customers as repo
from storage import repos
from storage.customers_models import CustomerContact, SampleMember
from storage.models import Assessment, Identity, Interview

LANG_ATTRIBUTES = ("lang", "language", "语言")


def script_for(segment: str) -> str:
    return f"customer-{segment}"


def lang_of(attributes: dict[str, Any], default: str) -> str:
    for name in LANG_ATTRIBUTES:
        v = str(attributes.get(name, "")).strip().casefold()
        if v in ("zh", "zh-cn", "chinese", "中文", "汉语"):
            return "zh"
        if v in ("en", "english", "英文", "英语"):
            return "en"
    return default


async def link_interviews(s: AsyncSession, assessment_id: int) -> int:
    """Members without an interview who have one in the round anyway: invited in Slack by their user id, or
    interviewed with `cna try --participant "Organisation / Contact"` (the call list's command)."""
    sample = await repo.sample_of(s, assessment_id)
    if sample is None:
        return 0
    # One query for the round's customer interviews, then lookups: a sample can have thousands of members.
    by_slack: dict[str, Interview] = {}
    by_name: dict[tuple[str | None, str | None], Interview] = {}
    for iv, ident in (await s.execute(
            select(Interview, Identity).join(Identity, Identity.participant_id == Interview.participant_id)
            .where(Interview.assessment_id == assessment_id, Interview.script_id.like("customer-%"))
            .order_by(Interview.id.desc()))).all():
        if ident.slack_user_id:
            by_slack[ident.slack_user_id] = iv
        else:
            by_name[(ident.organisation, ident.display_name)] = iv
    if not by_slack and not by_name:
        return 0
    n = 0
    for m, _c, k, iv in await repo.members_of(s, sample.id):
        if iv is not None or k is None or m.outcome:
            continue
        if k.slack_user_id:
            found = by_slack.get(k.slack_user_id)
        else:
            org, _, contact = participant_name(k).partition("/")
            found = by_name.get((org.strip(), contact.strip()))
        if found is not None:
            m.interview_id, m.participant_id = found.id, found.participant_id
            n += 1
    await s.flush()
    return n


@dataclass
class Invitations:
    slack: int = 0  # interviews created and invited (or drafted, in a draft round) over Slack
    already: int = 0  # members who already have an interview
    call_list: int = 0  # members without a Slack user id: for the assisted mode
    lost: int = 0  # declined or erased


async def invite_sample(s: AsyncSession, assessment_id: int, catalog: Any, *, now: datetime,
                        lang: str = "en") -> Invitations:
    """Give each drawn customer with a Slack user id (a member of the workspace or a Slack Connect contact) an
    interview with their segment's customer script and queue the same invitation `/cna invite` sends. In a draft
    round the interviews are drafts, invited when the round is launched."""
    a: Assessment = await repos.get_assessment(s, assessment_id)
    sample = await repo.sample_of(s, a.id)
    if sample is None:
        raise SamplingError(f"round {a.id} has no sample; draw one with 'cna sample draw --round {a.id}'")
    if a.status == "closed":
        raise SamplingError(f"round {a.id} is closed: nobody can be invited to it")
    await link_interviews(s, a.id)
    out = Invitations()
    versions: dict[tuple[str, str], int] = {}  # (script, lang) -> stored version: digesting a script is not free
    for m, c, k, iv in await repo.members_of(s, sample.id):
        status = repo.member_status(m, c, iv)
        if status in ("erased", "declined"):
            out.lost += 1
            continue
        if iv is not None:
            out.already += 1
            continue
        if k is None or not k.slack_user_id:
            out.call_list += 1
            continue
        script = catalog.get(script_for(c.segment), lang_of(c.attributes or {}, lang))
        p = await repos.participant_for_slack_user(s, k.slack_user_id, kind="customer", segment=c.segment,
                                                   lang=script.lang, display_name=k.contact_name)
        ident = await repos.identity_of(s, p.id)
        if ident is not None and ident.organisation is None:
            ident.organisation = k.organisation
        existing = await repos.find_interview(s, a.id, p.id, script.id)
        if existing is None:
            if (script.id, script.lang) not in versions:
                sv = await repos.ensure_script_version(
                    s, script_id=script.id, lang=script.lang, version=script.version, title=script.title,
                    audience=script.audience.label, body=script.model_dump(mode="json", by_alias=True))
                versions[(script.id, script.lang)] = sv.id
            existing = Interview(assessment_id=a.id, participant_id=p.id, script_id=script.id,
                                 script_version_id=versions[(script.id, script.lang)], lang=script.lang,
                                 segment=script.audience.label,
                                 mode="slack", status="draft" if a.status == "draft" else "invited",
                                 state=InterviewState().to_dict(), invited_at=now, last_activity_at=now)
            s.add(existing)
            await s.flush()
            if existing.status == "invited":
                await outbox.post(s, f"invite:{existing.id}", k.slack_user_id, msg.invitation(existing.id, script),
                                  user=k.slack_user_id)
        m.participant_id, m.interview_id = p.id, existing.id
        out.slack += 1
    await s.flush()
    return out


CALL_COLUMNS = ("stratum", "segment", "key", "organisation", "contact", "email", "slack_channel", "status",
                "command")


async def call_list(s: AsyncSession, assessment_id: int, *, prog: str = "cna", lang: str = "en",
                    db_url: str | None = None) -> list[dict[str, str]]:
    """Drawn customers who cannot get a Slack DM and have not been interviewed: whom to call, and the command
    that runs the assisted interview pre-filled for them."""
    sample = await repo.sample_of(s, assessment_id)
    if sample is None:
        raise SamplingError(f"round {assessment_id} has no sample; draw one with 'cna sample draw'")
    await link_interviews(s, assessment_id)
    out = []
    for m, c, k, iv in await repo.members_of(s, sample.id):
        status = repo.member_status(m, c, iv)
        if k is None or status in ("erased", "declined", "completed") or (k.slack_user_id and iv is not None):
            continue
        if k.slack_user_id:
            continue  # reached by DM ('cna sample invite')
        out.append({"stratum": m.stratum, "segment": c.segment, "key": k.key, "organisation": k.organisation or "",
                    "contact": k.contact_name or "", "email": k.email or "",
                    "slack_channel": k.slack_channel_id or "", "status": status,
                    "command": try_command(k, c.segment, assessment_id, lang_of(c.attributes or {}, lang), prog,
                                           db_url)})
    return out


def participant_name(k: CustomerContact) -> str:
    """'Organisation / Contact', as `cna try --participant` reads it for the assisted mode."""
    org = k.organisation or k.contact_name or k.key
    return f"{org} / {k.contact_name or org}"


def try_command(k: CustomerContact, segment: str, assessment_id: int, lang: str, prog: str,
                db_url: str | None) -> str:
    parts = [prog, "try", "--script", script_for(segment), "--participant", participant_name(k),
             "--assessment", str(assessment_id)]
    if lang != "en":
        parts += ["--lang", lang]
    if db_url:
        parts += ["--db", db_url]
    return " ".join(parts[:1] + [shlex.quote(p) for p in parts[1:]])


async def member_by_key(s: AsyncSession, assessment_id: int, key: str) -> tuple[SampleMember, CustomerContact, str]:
    """A sampled customer by CRM key, for `cna try --customer KEY`."""
    sample = await repo.sample_of(s, assessment_id)
    if sample is None:
        raise SamplingError(f"round {assessment_id} has no sample")
    for m, c, k, _iv in await repo.members_of(s, sample.id):
        if k is not None and repo.key_digest(k.key) == repo.key_digest(key):
            return m, k, c.segment
    raise SamplingError(f"customer {key!r} is not in round {assessment_id}'s sample; 'cna sample calls' lists "
                        "whom to call")
