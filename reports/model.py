"""Everything the report shows, gathered into one plain context for the Markdown and HTML templates.

Each figure is computed once (storage.review over core) and every place that repeats it reads the same value,
so the summary, the findings and the sections cannot disagree."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.access import Reviewer
from core.analysis import CRITERIA
from core.assessment import Member, check_goal, check_team, next_refresh
from reports import sections
from reports.data import InterviewRow, RoundAnswers, ladders, load_answers, load_interviews, resolve_round
from reports.labels import STATUS, criterion_short, fmt_date, pct, segment_label, t
from reports.memos import memo_section
from reports.sample_section import DEFAULT_MARGIN, sample_section
from reports.svg import Bar, timeline
from storage import repos
from storage.models import Assessment, TeamMember
from storage.review import (
    Codebook,
    Coverage,
    OpportunityView,
    Ranking,
    ReviewScope,
    RoundCoding,
    closed_questions,
    coverage,
    load_round_coding,
    ranking,
    round_comparison,
)


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
    agree = sections.agreement_section(rc.agreement(), cb, lang)
    ranked = await ranking(s, a.id)
    opp = opportunity_section(ranked, cb, lang)
    closed = sections.closed_section(await closed_questions(s, scope), lang)
    prev = await _previous(s, a, scope, rc, lang)
    participation = participation_section(interviews, lang)
    people = rc.people()
    cov = coverage(rc)
    return {
        "lang": lang, "t": lambda key, **kw: t(lang, key, **kw),
        "round": _framing(a, lang),
        "summary": {"completed": participation["total"]["completed"], "invited": participation["total"]["invited"],
                    "respondents": people.get("internal", 0) + people.get("customer", 0),
                    "staff": people.get("internal", 0), "customers": people.get("customer", 0),
                    "answers": len(ra.answers), "shortlist": len(opp["short"]), "refresh": fmt_date(refresh_on, lang),
                    "findings": sections.findings(gap["rows"], opp["short"], agree, sections.customer_nps(closed),
                                                  cb, lang),
                    "wishlist": opp["wishlist"]},
        "participation": participation,
        "sample": await sample_section(s, a.id, lang, _margin(a)),
        "themes": await sections.themes_by_segment(s, scope, rc, lang),
        "gap": gap, "paired": [q for q in closed if q["paired"]], "closed": closed,
        "agreement": agree, "opportunities": opp,
        "roadmap": roadmap_section(opp["short"], refresh_on, lang),
        "refresh": await _refresh(s, a, refresh_on, today, lang),
        "method": method_section(a, interviews, ra, rc, cov, team, lang),
        "previous": prev,
        "memos": await memo_section(s, a.id, cb, ranked.opportunities, ra.answers, lang),
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


def _margin(a: Assessment) -> float:
    """The representativeness margin: the round's setting sample_margin_points (default 5 points)."""
    try:
        return float((a.settings or {}).get("sample_margin_points", 5)) / 100
    except (TypeError, ValueError):
        return DEFAULT_MARGIN


def participation_section(interviews: list[InterviewRow], lang: str) -> dict[str, Any]:
    """Invited / in progress / completed / declined interviews per internal role and customer segment."""
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


def method_text(cov: Coverage, lang: str) -> str:
    """What the coding and review actually were, in counts (never a fixed claim that everything was reviewed)."""
    head = t(lang, "method_text")
    if not cov.open_answers:
        return head
    if not cov.reviewed:
        return head + " " + t(lang, "method_none", p=cov.proposals)
    return head + " " + t(lang, "method_review", r=cov.reviewed, n=cov.open_answers, people=len(cov.reviewers),
                          a=cov.accepted, rj=cov.rejected, u=cov.undecided, p=cov.proposals, add=cov.added)


def method_section(a: Assessment, interviews: list[InterviewRow], ra: RoundAnswers, rc: RoundCoding, cov: Coverage,
                   team: list[TeamMember], lang: str) -> dict[str, Any]:
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
    people, anonymous = rc.people(), rc.anonymous_answers()
    members = [Member(m.name, m.internal, m.business_unit) for m in team]
    affected = set((a.settings or {}).get("affected_units", []))
    internal = sum(m.internal for m in team)
    review = t(lang, "m.reviewed_v", r=cov.reviewed, n=cov.open_answers, people=len(cov.reviewers),
               f=cov.finished)
    proposals = t(lang, "m.auto_v", p=cov.proposals, a=cov.accepted, rj=cov.rejected, u=cov.undecided, w=cov.weak)
    return {
        "scripts": sorted(scripts.values(), key=lambda s: (s["order"], s["id"], s["lang"])),
        "opened": fmt_date(a.opened_on, lang), "closed": fmt_date(a.closed_on, lang) if a.closed_on else None,
        "first_answer": fmt_date(min(times), lang) if times else "–",
        "last_answer": fmt_date(max(times), lang) if times else "–",
        "text": method_text(cov, lang),
        "sample": [
            (t(lang, "m.participants"), f"{people.get('internal', 0)} {t(lang, 'staff')} · "
                                        f"{people.get('customer', 0)} {t(lang, 'customers')}"),
            (t(lang, "m.anonymous"), t(lang, "m.anonymous_v", n=anonymous.get("internal", 0)
                                       + anonymous.get("customer", 0))),
            (t(lang, "m.ladders"), len(ladders(answers))),
            (t(lang, "m.steps"), len(answers)),
            (t(lang, "m.probed"), f"{len(probed)} / {len(lads)} ({pct(len(probed) / len(lads)) if lads else '–'})"),
            (t(lang, "m.depth"), f"{sum(len(s) - 1 for s in probed) / len(probed):.1f}" if probed else "–"),
            (t(lang, "m.reviewed"), review),
            (t(lang, "m.auto"), proposals),
            (t(lang, "m.added"), t(lang, "m.added_v", add=cov.added, th=cov.theme_tags)),
        ] + ([(t(lang, "m.withheld"), ra.withheld)] if ra.withheld else []),
        "team": t(lang, "team_text", n=len(team), internal=internal, pct=pct(internal / len(team)))
        if team else t(lang, "no_team"),
        "team_findings": [f.message for f in check_team(members, affected)] if team else [],
    }


async def _previous(s: AsyncSession, a: Assessment, scope: ReviewScope, rc: RoundCoding,
                    lang: str) -> dict[str, Any] | None:
    changes = await round_comparison(s, scope, rc)
    prev = await s.get(Assessment, a.previous_id) if a.previous_id is not None else None
    if changes is None or prev is None:
        return None
    prc = await load_round_coding(s, ReviewScope(prev.id, scope.reviewer))
    piv = await load_interviews(s, prev.id)
    people = prc.people()
    return {"round_no": prev.round_no, "name": prev.name, "opened": fmt_date(prev.opened_on, lang),
            "completed": sum(1 for iv in piv if iv.status == "completed"), "invited": len(piv),
            "respondents": people.get("internal", 0) + people.get("customer", 0),
            "changes": sections.comparison_section(changes, rc.codebook, lang)}


# --- opportunities and roadmap --------------------------------------------------------------------------------

_WARNINGS = {"costs more than it returns": "w.costs", "needs a lot of culture change": "w.culture",
             "does not fit the strategy": "w.strategy", "lacks support from the business unit": "w.support"}


def _criteria(names: tuple[str, ...] | list[str], lang: str) -> str:
    return ", ".join(t(lang, f"c.{c}") for c in names)


def _warning(w: str, lang: str) -> str:
    if w.startswith("not scored: "):
        return t(lang, "w.unscored", what=_criteria([c.strip() for c in w.removeprefix("not scored: ").split(",")],
                                                    lang))
    return t(lang, _WARNINGS[w]) if w in _WARNINGS else w


def _basis(o: OpportunityView, lang: str) -> str:
    """Which scores put it where it is: each criterion's points, largest first, adding up to the score."""
    parts = sorted(o.contributions.items(), key=lambda kv: (-kv[1], CRITERIA.index(kv[0])))
    return " + ".join(f"{criterion_short(c, lang)} {o.scores[c]}→{v:.0f}" for c, v in parts)


def _opportunity(o: OpportunityView, cb: Codebook, lang: str) -> dict[str, Any]:
    return {"id": o.id, "title": o.title, "description": o.description, "score": o.score, "rank": o.rank,
            "score_text": "–" if o.score is None else f"{o.score:.0f}", "status": o.status,
            "scores": [o.scores.get(c) for c in CRITERIA], "phase": o.phase or "", "start": o.start_on,
            "end": o.end_on, "basis": _basis(o, lang) if o.score is not None else "",
            "dates": f"{fmt_date(o.start_on, lang)} – {fmt_date(o.end_on, lang)}" if o.start_on and o.end_on else "",
            "themes": [cb.label(c, lang) for c in o.themes], "missing": _criteria(o.missing, lang),
            "warnings": [_warning(w, lang) for w in o.warnings if not w.startswith("not scored")]}


def opportunity_section(r: Ranking, cb: Codebook, lang: str) -> dict[str, Any]:
    """The short list (storage.review.ranking: fully scored, put there by the lead, best first, within the
    limit), then opportunities held back by the limit, parked ones and unscored candidates."""
    short = [_opportunity(o, cb, lang) for o in r.short]
    for i, x in enumerate(short, 1):
        x["position"] = i
    held = [_opportunity(o, cb, lang) for o in r.over_limit]
    return {"short": short, "over_limit": held, "parked": [_opportunity(o, cb, lang) for o in r.parked],
            "candidates": [_opportunity(o, cb, lang) for o in r.candidates], "limit": r.shortlist_limit,
            "criteria": [t(lang, f"c.{c}") for c in CRITERIA],
            "weights": [(t(lang, f"c.{c}"), f"{r.weights.get(c, 0):g}") for c in CRITERIA],
            "wishlist": t(lang, "f.wishlist", n=len(short) + len(held), limit=r.shortlist_limit, held=len(held))
            if held else None}


def roadmap_section(short: list[dict[str, Any]], refresh_on: date, lang: str) -> dict[str, Any]:
    dated = [r for r in short if r["start"] and r["end"]]
    phases: dict[str, dict[str, Any]] = {}
    for r in sorted(dated, key=lambda r: (r["start"], r["end"], r["title"])):
        name = r["phase"] or t(lang, "phase")
        p = phases.setdefault(name, {"name": name, "start": r["start"], "end": r["end"], "projects": []})
        p["start"], p["end"] = min(p["start"], r["start"]), max(p["end"], r["end"])
        p["projects"].append(r)
    for p in phases.values():
        p["dates"] = f"{fmt_date(p['start'], lang)} – {fmt_date(p['end'], lang)}"
    bars = [Bar(r["title"], r["phase"] or t(lang, "phase"), min(r["start"], r["end"]), max(r["start"], r["end"]))
            for r in dated]
    chart = timeline(bars, [(refresh_on, t(lang, "today_marker"))], lang, t(lang, "roadmap"))
    return {"phases": list(phases.values()), "chart": chart,
            "unscheduled": [r for r in short if not (r["start"] and r["end"])]}
