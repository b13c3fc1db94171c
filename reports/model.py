"""Everything the report shows, gathered into one plain context for the Markdown and HTML templates."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.access import Reviewer
from core.assessment import Member, check_goal, check_team, next_refresh
from reports import sections
from reports.data import AnswerRow, InterviewRow, RoundAnswers, ladders, load_answers, load_interviews, resolve_round
from reports.labels import STATUS, fmt_date, pct, segment_label, t
from storage import repos
from storage.models import Assessment, TeamMember
from storage.review import ReviewScope, RoundCoding, load_round_coding, ranking, round_comparison


async def build_report(s: AsyncSession, round_id: int | None, lang: str, reviewer: Reviewer,
                       today: date | None = None) -> dict[str, Any]:
    """Load a round and compute every section; `today` only decides whether the refresh is overdue."""
    a = await resolve_round(s, round_id)
    scope = ReviewScope(a.id, reviewer)
    rc = await load_round_coding(s, scope)
    cb = rc.codebook
    ra = await load_answers(s, [a.id], reviewer)
    interviews = await load_interviews(s, a.id)
    team = await repos.team_of(s, a.id)
    refresh_on = next_refresh(a.opened_on, a.refresh_months)
    today = today or datetime.now(UTC).date()

    gap = sections.gap_section(rc, lang)
    agree = sections.agreement_section(rc, lang)
    opp = sections.opportunity_section(await ranking(s, a.id), cb, lang)
    prev = await _previous(s, a, scope, rc, lang)
    participation = participation_section(interviews, lang)
    return {
        "lang": lang, "t": lambda key, **kw: t(lang, key, **kw),
        "round": _framing(a, lang),
        "summary": {"completed": participation["total"]["completed"], "invited": participation["total"]["invited"],
                    "respondents": len({x.participant_id for x in ra.answers if x.participant_id is not None}),
                    "answers": len(ra.answers),
                    "shortlist": len(opp["short"]), "refresh": fmt_date(refresh_on, lang),
                    "findings": sections.findings(gap["rows"], opp["short"], agree, cb, lang),
                    "wishlist": opp["wishlist"]},
        "participation": participation,
        "themes": await sections.themes_by_segment(s, scope, rc, lang),
        "gap": gap, "agreement": agree, "opportunities": opp,
        "roadmap": sections.roadmap_section(opp["short"], refresh_on, lang),
        "refresh": await _refresh(s, a, refresh_on, today, lang),
        "method": method_section(a, interviews, ra, team, lang),
        "previous": prev,
    }


async def _refresh(s: AsyncSession, a: Assessment, due: date, today: date, lang: str) -> dict[str, Any]:
    """When the next round is due; a round that already has a successor is not overdue."""
    nxt = await s.scalar(select(Assessment).where(Assessment.previous_id == a.id).order_by(Assessment.id))
    text = t(lang, "refresh_text", date=fmt_date(due, lang), months=a.refresh_months)
    if nxt is not None:
        text += " " + t(lang, "refresh_done", n=nxt.round_no, date=fmt_date(nxt.opened_on, lang))
    return {"date": fmt_date(due, lang), "months": a.refresh_months, "overdue": nxt is None and due < today,
            "text": text}


def _framing(a: Assessment, lang: str) -> dict[str, Any]:
    goals = []
    for g in a.goals or []:
        problems = []
        for f in check_goal(str(g)):
            problems.append(t(lang, "smart.no_number") if "no number" in f.message else t(lang, "smart.no_date"))
        goals.append({"text": str(g), "problems": problems})
    scope = t(lang, f"scope.{a.scope}") + (f" · {a.department}" if a.department else "")
    return {"id": a.id, "name": a.name, "round_no": a.round_no, "status": a.status, "scope": scope,
            "opened": fmt_date(a.opened_on, lang), "closed": fmt_date(a.closed_on, lang) if a.closed_on else None,
            "key_questions": [str(q) for q in a.key_questions or []], "goals": goals}


def participation_section(interviews: list[InterviewRow], lang: str) -> dict[str, Any]:
    """Invited / in progress / completed / declined per internal role and customer segment, with totals."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for iv in interviews:
        counts[iv.segment][STATUS.get(iv.status, "invited")] += 1
        counts[iv.segment]["total"] += 1

    def row(name: str, c: Counter[str]) -> dict[str, Any]:
        return {"label": name, "invited": c["total"], "in_progress": c["in_progress"], "completed": c["completed"],
                "declined": c["declined"], "completion": pct(c["completed"] / c["total"]) if c["total"] else "–"}

    rows, groups = [], {"internal": Counter[str](), "customer": Counter[str]()}
    for seg in sorted(counts, key=sections.segment_order):
        rows.append(row(segment_label(seg, lang), counts[seg]))
        groups.setdefault(seg.split(":", 1)[0], Counter()).update(counts[seg])
    total: Counter[str] = Counter()
    for c in groups.values():
        total.update(c)
    return {"rows": rows, "staff": row(t(lang, "staff"), groups["internal"]),
            "customers": row(t(lang, "customers"), groups["customer"]), "total": row(t(lang, "total"), total)}


def method_section(a: Assessment, interviews: list[InterviewRow], ra: RoundAnswers, team: list[TeamMember],
                   lang: str) -> dict[str, Any]:
    scripts: dict[tuple[str, int, str], dict[str, Any]] = {}
    for iv in interviews:
        k = (iv.script_id, iv.script_version, iv.lang)
        s = scripts.setdefault(k, {"id": iv.script_id, "version": iv.script_version, "lang": iv.lang,
                                   "title": iv.script_title, "audience": segment_label(iv.segment, lang),
                                   "interviews": 0, "completed": 0, "order": sections.segment_order(iv.segment)})
        s["interviews"] += 1
        s["completed"] += iv.status == "completed"
    answers = ra.answers
    lads = ladders([x for x in answers if x.is_open])
    probed = [steps for steps in lads.values() if len(steps) > 1]
    times = [x.created_at for x in answers if x.created_at is not None]
    people = _respondents(answers)
    members = [Member(m.name, m.internal, m.business_unit) for m in team]
    affected = set((a.settings or {}).get("affected_units", []))
    internal = sum(m.internal for m in team)
    return {
        "scripts": sorted(scripts.values(), key=lambda s: (s["order"], s["id"], s["lang"])),
        "opened": fmt_date(a.opened_on, lang), "closed": fmt_date(a.closed_on, lang) if a.closed_on else None,
        "first_answer": fmt_date(min(times), lang) if times else "–",
        "last_answer": fmt_date(max(times), lang) if times else "–",
        "sample": [
            (t(lang, "m.participants"), f"{people['internal']} {t(lang, 'staff')} · "
                                        f"{people['customer']} {t(lang, 'customers')}"),
            (t(lang, "m.ladders"), len(ladders(answers))),
            (t(lang, "m.steps"), len(answers)),
            (t(lang, "m.probed"), f"{len(probed)} / {len(lads)} ({pct(len(probed) / len(lads)) if lads else '–'})"),
            (t(lang, "m.depth"), f"{sum(len(s) - 1 for s in probed) / len(probed):.1f}" if probed else "–"),
            (t(lang, "m.auto"), sum(1 for x in answers for c in x.codings if c.source == "auto")),
            (t(lang, "m.reviewed"), sum(1 for x in answers if x.reviewed)),
            (t(lang, "m.anonymous"), sum(1 for x in answers if x.anonymous)),
        ] + ([(t(lang, "m.withheld"), ra.withheld)] if ra.withheld else []),
        "team": t(lang, "team_text", n=len(team), internal=internal, pct=pct(internal / len(team)))
        if team else t(lang, "no_team"),
        "team_findings": [f.message for f in check_team(members, affected)] if team else [],
    }


def _respondents(answers: list[AnswerRow]) -> dict[str, int]:
    who: dict[str, set[str]] = {"internal": set(), "customer": set()}
    for x in answers:
        if x.participant_id is not None:
            who.setdefault(x.segment.split(":", 1)[0], set()).add(x.respondent)
    return {k: len(v) for k, v in who.items()}


async def _previous(s: AsyncSession, a: Assessment, scope: ReviewScope, rc: RoundCoding,
                    lang: str) -> dict[str, Any] | None:
    changes = await round_comparison(s, scope, rc)
    prev = await s.get(Assessment, a.previous_id) if a.previous_id is not None else None
    if changes is None or prev is None:
        return None
    prc = await load_round_coding(s, ReviewScope(prev.id, scope.reviewer))
    piv = await load_interviews(s, prev.id)
    return {"round_no": prev.round_no, "name": prev.name, "opened": fmt_date(prev.opened_on, lang),
            "completed": sum(1 for iv in piv if iv.status == "completed"), "invited": len(piv),
            "respondents": len({x.respondent for x in prc.answers.values() if not x.respondent.startswith("l")}),
            "changes": sections.comparison_section(changes, rc.codebook, lang)}
