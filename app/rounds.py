"""Rounds: the next round as a draft copied from its predecessor; launching a draft at once or in waves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.interview import InterviewState
from core.schedule import ScheduleSettings, local_instant, next_allowed, zone
from core.waves import WaveSpecError, parse_waves, per_day, wave_days, wave_of
from storage import repos
from storage.models import (
    Assessment,
    AssessmentScript,
    Identity,
    Interview,
    Participant,
    ScheduleItem,
    TeamMember,
)

DRAFT = "draft"
ACTIVE = ("invited", "in_progress", "paused")


class RoundError(ValueError):
    """A round operation that cannot be done as asked, with what to do instead."""


@dataclass
class DraftSummary:
    assessment_id: int
    round_no: int
    scripts: int
    people: int
    team: int
    skipped: dict[str, int] = field(default_factory=dict)


async def successor_of(s: AsyncSession, assessment_id: int) -> Assessment | None:
    nxt: Assessment | None = await s.scalar(select(Assessment).where(Assessment.previous_id == assessment_id)
                                            .order_by(Assessment.id))
    return nxt


async def create_draft_round(s: AsyncSession, prev: Assessment, *, opened_on: date,
                             now: datetime) -> DraftSummary:
    """Copy a round into a new draft round (not sent to anyone): the round's settings, scripts and team,
    and its participants as interviews in status "draft".

    Draft interviews, not a list in a JSON column: the lead reviews them with the same tools as any
    interview (counts per segment, remove someone by deleting a row), waves can assign `Interview.wave`, and
    launching only flips the status. They stay invisible to the bot, which only talks to invited,
    in-progress and paused interviews. People who opted out, were erased, or were only reachable in the
    terminal are not copied.
    """
    new = Assessment(name=prev.name, round_no=prev.round_no + 1, previous_id=prev.id, status=DRAFT,
                     scope=prev.scope, department=prev.department, key_questions=list(prev.key_questions),
                     goals=list(prev.goals), refresh_months=prev.refresh_months, opened_on=opened_on,
                     lead_slack_ids=list(prev.lead_slack_ids), settings=dict(prev.settings))
    s.add(new)
    await s.flush()
    script_ids = await repos.script_ids_of(s, prev.id)
    for sid in script_ids:
        s.add(AssessmentScript(assessment_id=new.id, script_id=sid))
    team = await repos.team_of(s, prev.id)
    for m in team:
        s.add(TeamMember(assessment_id=new.id, name=m.name, internal=m.internal,
                         business_unit=m.business_unit, role=m.role))
    rows = await s.execute(
        select(Interview, Participant, Identity)
        .join(Participant, Participant.id == Interview.participant_id)
        .outerjoin(Identity, Identity.participant_id == Participant.id)
        .where(Interview.assessment_id == prev.id).order_by(Interview.id))
    skipped: dict[str, int] = {}
    people: set[int] = set()
    fresh = InterviewState().to_dict()
    for iv, p, ident in rows.all():
        reason = _not_copied(iv, p, ident)
        if reason:
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        s.add(Interview(assessment_id=new.id, participant_id=p.id, script_id=iv.script_id,
                        # The predecessor's exact script for now; launch moves it to the current version.
                        script_version_id=iv.script_version_id, lang=iv.lang, segment=iv.segment,
                        mode=iv.mode, interviewer_slack_id=iv.interviewer_slack_id, status=DRAFT,
                        state=dict(fresh), invited_at=now, last_activity_at=now))
        people.add(p.id)
    await s.flush()
    return DraftSummary(new.id, new.round_no, len(script_ids), len(people), len(team), skipped)


def _not_copied(iv: Interview, p: Participant, ident: Identity | None) -> str | None:
    if ident is None:
        return "erased"
    if p.opted_out:
        return "opted out"
    if iv.mode == "slack" and not ident.slack_user_id:
        return "no Slack user"
    if iv.mode == "assisted" and not iv.interviewer_slack_id:
        return "no interviewer"
    if iv.mode not in ("slack", "assisted"):
        return f"{iv.mode} only"
    return None


# --- launch -----------------------------------------------------------------------------------------------

@dataclass
class WavePlan:
    number: int
    day: date
    interview_ids: list[int]
    due_at: datetime


@dataclass
class LaunchResult:
    assessment_id: int
    waves: list[WavePlan]
    rescripted: int = 0
    closed_previous: int | None = None
    unmatched: int = 0


async def launch_round(s: AsyncSession, assessment_id: int, *, now: datetime, waves: str | None = None,
                       gap_days: int = 7, per_day_count: int | None = None, start: date | None = None,
                       catalog: Any = None, close_previous: bool = True) -> LaunchResult:
    """Open a draft round and schedule its invitations as waves; the sweep sends each wave when due.

    `waves` ("internal,customer") puts each group in its own wave, `gap_days` apart; `per_day_count` spreads
    invitations over working days instead. With neither, everyone is invited at once.
    """
    a = await repos.get_assessment(s, assessment_id)
    if a.status != DRAFT:
        raise RoundError(f"assessment {assessment_id} is {a.status}, not a draft: only a draft round can be "
                         "launched ('cna round list' shows the drafts)")
    if waves and per_day_count:
        raise RoundError("use either --waves or --per-day, not both")
    cfg = ScheduleSettings.from_settings(a.settings)
    tz, hours = zone(cfg.tz), cfg.hours
    today = now.astimezone(tz).date()
    start = start or today
    if start < today:
        raise RoundError(f"--start {start} is in the past; give today ({today}) or a later date")
    # Claim the draft first: two launches racing must not both schedule waves.
    claimed = await s.execute(update(Assessment).where(Assessment.id == a.id, Assessment.status == DRAFT)
                              .values(status="open", opened_on=start)
                              .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise RoundError(f"assessment {assessment_id} was launched by someone else just now")
    await s.refresh(a)
    rows = (await s.execute(
        select(Interview, Participant).join(Participant, Participant.id == Interview.participant_id)
        .where(Interview.assessment_id == a.id, Interview.status == DRAFT).order_by(Interview.id))).all()
    result = LaunchResult(a.id, [])
    if catalog is not None:
        result.rescripted = await _current_scripts(s, [iv for iv, _ in rows], catalog)
    try:
        groups = _group(rows, waves, gap_days, per_day_count, start, hours, result)
    except WaveSpecError as exc:
        raise RoundError(str(exc)) from None
    for number, (day, members) in enumerate(groups, start=1):
        if not members:
            continue
        ids = []
        invite_times = []
        for iv, p in members:
            iv.wave = number
            ids.append(iv.id)
            invite_times.append(invite_time(day, now, zone(p.tz, cfg.tz), hours))
        due = min(invite_times)
        s.add(ScheduleItem(key=f"wave:{a.id}:{number}", kind="wave", assessment_id=a.id, due_at=due,
                           payload={"interview_ids": ids, "day": day.isoformat()},
                           note=f"invite wave {number} of round {a.round_no} of '{a.name[:80]}' "
                                f"({len(ids)} people) on {day}"))
        result.waves.append(WavePlan(number, day, ids, due))
    if close_previous and a.previous_id is not None:
        prev = await s.get(Assessment, a.previous_id)
        if prev is not None and prev.status == "open":
            prev.status = "closed"
            prev.closed_on = start
            result.closed_previous = prev.id
    await s.flush()
    return result


def invite_time(day: date, now: datetime, tz: Any, hours: Any) -> datetime:
    """When an invitation may reach this person: the start of their working hours on the wave's day in
    their own zone (or the next working moment, when the wave is today)."""
    return next_allowed(max(now, local_instant(day, datetime.min.time(), tz)), tz, hours)


def _group(rows: Any, waves: str | None, gap_days: int, per_day_count: int | None, start: date, hours: Any,
           result: LaunchResult) -> list[tuple[date, list[Any]]]:
    if per_day_count:
        return [(d, chunk) for d, chunk in per_day(list(rows), per_day_count, start, hours)]
    if not waves:
        return [(start, list(rows))]
    spec = parse_waves(waves)
    buckets: list[list[Any]] = [[] for _ in range(len(spec) + 1)]
    for iv, p in rows:
        tags = [p.kind, p.role or "", p.segment or "", iv.segment, iv.segment.split(":")[-1]]
        i = wave_of(tags, spec)
        buckets[len(spec) if i is None else i].append((iv, p))
    result.unmatched = len(buckets[-1])
    # People no group named go last, so nobody silently drops out of the round.
    days = wave_days(start, len(buckets), gap_days, hours)
    return list(zip(days, buckets, strict=True))


async def _current_scripts(s: AsyncSession, interviews: list[Interview], catalog: Any) -> int:
    """Move draft interviews to the current version of their script, so edits made for the new round apply."""
    changed = 0
    for iv in interviews:
        try:
            script = catalog.get(iv.script_id, iv.lang)
        except KeyError:
            continue  # the script left the catalog: keep the predecessor's frozen copy
        sv = await repos.ensure_script_version(
            s, script_id=script.id, lang=script.lang, version=script.version, title=script.title,
            audience=script.audience.label, body=script.model_dump(mode="json", by_alias=True))
        if sv.id != iv.script_version_id:
            iv.script_version_id = sv.id
            changed += 1
    return changed


async def round_rows(s: AsyncSession) -> list[dict[str, Any]]:
    """Every round with its predecessor, status and interview counts, for `cna round list`."""
    counts: dict[int, dict[str, int]] = {}
    for aid, status, n in (await s.execute(select(Interview.assessment_id, Interview.status, func.count())
                                           .group_by(Interview.assessment_id, Interview.status))).all():
        counts.setdefault(aid, {})[status] = n
    out = []
    for a in await repos.list_assessments(s):
        c = counts.get(a.id, {})
        out.append({"id": a.id, "name": a.name, "round": a.round_no, "status": a.status,
                    "previous_id": a.previous_id, "opened_on": a.opened_on.isoformat(),
                    "closed_on": a.closed_on.isoformat() if a.closed_on else None,
                    "refresh_months": a.refresh_months, "interviews": dict(sorted(c.items()))})
    return out


def waves_preview(result: LaunchResult) -> list[str]:
    return [f"wave {w.number}: {len(w.interview_ids)} invitation(s) on {w.day} "
            f"(first at {w.due_at:%Y-%m-%d %H:%M} UTC)" for w in result.waves]

