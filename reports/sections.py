"""The report's analytical sections: themes with quotes, gap, agreement, opportunities, roadmap, comparison."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.analysis import CRITERIA, GapRow, RoundChange
from reports.labels import fmt_date, kappa_band, pct, segment_label, t
from reports.svg import Bar, gap_chart, timeline
from storage.review import Codebook, Ranking, ReviewScope, RoundCoding, get_ladder, quotes

TOP_THEMES = 3
MAX_STEP_CHARS = 500
GAP_ROWS = 12

_WARNINGS = {"costs more than it returns": "w.costs", "needs a lot of culture change": "w.culture",
             "does not fit the strategy": "w.strategy", "lacks support from the business unit": "w.support"}


def _cut(s: str, n: int = MAX_STEP_CHARS) -> str:
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def segment_order(segment: str) -> tuple[int, int, str]:
    from core.script import CUSTOMER_SEGMENTS, INTERNAL_ROLES

    group, _, sub = segment.partition(":")
    order = INTERNAL_ROLES if group == "internal" else CUSTOMER_SEGMENTS
    return (0 if group == "internal" else 1, order.index(sub) if sub in order else 99, sub)


# --- themes with quotes ------------------------------------------------------------------------------------------

async def themes_by_segment(s: AsyncSession, scope: ReviewScope, rc: RoundCoding, lang: str) -> list[dict[str, Any]]:
    """Per segment: the most-raised themes, each with one representative ladder (the shared review model's
    quote ranking: confirmed by a person first, then confident, deeper steps). Shares count interviewed
    people; anonymous answers cannot be tied to a person, so they are counted beside the share."""
    cb = rc.codebook
    people: dict[str, set[str]] = defaultdict(set)
    raised: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for a in rc.answers.values():
        if not a.respondent.startswith("l"):
            people[a.segment].add(a.respondent)
        for c in rc.effective(a):
            raised[a.segment][c].add(a.respondent)
    out = []
    used: set[str] = set()  # ladder keys and quote texts already shown, so the report does not repeat itself
    for segment in sorted(raised, key=segment_order):
        n = len(people[segment])
        top = sorted(raised[segment].items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOP_THEMES]
        themes = []
        for code_id, who in top:
            named = {r for r in who if not r.startswith("l")}
            quote = await _representative(s, scope, rc, code_id, segment, used)
            themes.append({"code": code_id, "label": cb.label(code_id, lang), "n": len(named), "of": n,
                           "share": pct(len(named) / n) if n else "–", "width": pct(len(named) / n) if n else "0%",
                           "anonymous": len(who) - len(named), "quote": quote})
        out.append({"segment": segment, "label": segment_label(segment, lang), "respondents": n,
                    "themes": themes})
    return out


async def _representative(s: AsyncSession, scope: ReviewScope, rc: RoundCoding, code_id: str, segment: str,
                          used: set[str]) -> dict[str, Any] | None:
    within = RoundCoding(rc.round_id, rc.codebook, {k: a for k, a in rc.answers.items() if a.segment == segment})
    candidates = [q for q in await quotes(s, scope, code_id, limit=len(within.answers), coding=within)
                  if q.ladder_key not in used]
    fresh = [q for q in candidates if q.text.strip() not in used]
    for q in fresh or candidates:
        used.update((q.ladder_key, q.text.strip()))
        ladder = await get_ladder(s, scope, q.ladder_key)
        return {"question": ladder.question, "lang": ladder.lang, "text": _cut(q.text),
                "steps": [{"step": st.step, "probe": st.probe_text, "reason": st.probe_reason,
                           "text": _cut(st.text), "hit": st.answer_id == q.answer_id} for st in ladder.steps]}
    return None


# --- internal belief vs customer reality -------------------------------------------------------------------------

def gap_section(rc: RoundCoding, lang: str) -> dict[str, Any]:
    groups = {a.segment.split(":", 1)[0] for a in rc.answers.values()}
    if not {"internal", "customer"} <= groups:
        return {"rows": [], "chart": "", "table": []}
    cb = rc.codebook
    rows = [g for g in rc.gap() if g.internal_n or g.customer_n][:GAP_ROWS]
    table = [{"code": g.code, "label": cb.label(g.code, lang), "internal": pct(g.internal_share),
              "customer": pct(g.customer_share), "gap": f"{round(100 * g.gap):+d}",
              "direction": t(lang, "gap_staff") if g.gap > 0 else t(lang, "gap_customer") if g.gap < 0 else "",
              "gap_value": g.gap} for g in rows]
    chart = gap_chart([(r["label"], g.internal_share, g.customer_share) for r, g in zip(table, rows, strict=True)],
                      t(lang, "staff"), t(lang, "customers"), t(lang, "gap"))
    return {"rows": rc.gap(), "chart": chart, "table": table}


# --- agreement ----------------------------------------------------------------------------------------------------

def agreement_section(rc: RoundCoding, lang: str) -> dict[str, Any]:
    """Kappa per codebook code over answers a person reviewed (the shared review model's definition)."""
    rows = [r for r in rc.agreement() if r.both + r.auto_only + r.human_only]
    rows.sort(key=lambda r: (-(r.both + r.auto_only + r.human_only), r.code))
    kappas = [r.kappa for r in rows if r.kappa is not None]
    median = statistics.median(kappas) if kappas else None
    return {
        "reviewed": len(rc.reviewed_pairs()),
        "rows": [{"label": rc.codebook.label(r.code, lang), "n": r.n, "both": r.both,
                  "auto_only": r.auto_only, "human_only": r.human_only,
                  "kappa": "–" if r.kappa is None else f"{r.kappa:.2f}", "band": t(lang, kappa_band(r.kappa)),
                  "low": r.kappa is not None and r.kappa < 0.4} for r in rows],
        "median": None if median is None else f"{median:.2f}",
        "median_band": t(lang, kappa_band(median)),
        "low": sum(1 for k in kappas if k < 0.4),
    }


# --- opportunities and roadmap --------------------------------------------------------------------------------

def _warning(w: str, lang: str) -> str:
    if w.startswith("not scored: "):
        what = ", ".join(t(lang, f"c.{c.strip()}") for c in w.removeprefix("not scored: ").split(","))
        return t(lang, "w.unscored", what=what)
    return t(lang, _WARNINGS[w]) if w in _WARNINGS else w


def opportunity_section(r: Ranking, cb: Codebook, lang: str) -> dict[str, Any]:
    """The ranked opportunities (storage.review.ranking: core.analysis.rank with the round's weights)."""
    rows = []
    for o in r.opportunities:
        rows.append({"id": o.id, "title": o.title, "description": o.description, "score": o.score,
                     "score_text": "–" if o.score is None else f"{o.score:.0f}", "shortlisted": o.shortlisted,
                     "scores": [o.scores.get(c) for c in CRITERIA], "phase": o.phase or "",
                     "start": o.start_on, "end": o.end_on,
                     "dates": f"{fmt_date(o.start_on, lang)} – {fmt_date(o.end_on, lang)}"
                     if o.start_on and o.end_on else "",
                     "themes": [cb.label(c, lang) for c in o.themes],
                     "warnings": [_warning(w, lang) for w in o.warnings]})
    short = [x for x in rows if x["shortlisted"]]
    for i, x in enumerate(short, 1):
        x["rank"] = i
    return {"short": short, "parked": [x for x in rows if not x["shortlisted"]],
            "criteria": [t(lang, f"c.{c}") for c in CRITERIA],
            "weights": [(t(lang, f"c.{c}"), f"{r.weights.get(c, 0):g}") for c in CRITERIA],
            "wishlist": t(lang, "f.wishlist", n=len(short), limit=r.shortlist_limit)
            if len(short) > r.shortlist_limit else None}


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


# --- round comparison ------------------------------------------------------------------------------------------

def comparison_section(changes: list[RoundChange], cb: Codebook, lang: str, limit: int = 10) -> list[dict[str, Any]]:
    return [{"label": cb.label(c.code, lang), "before": pct(c.before), "after": pct(c.after),
             "change": f"{round(100 * c.delta):+d}", "new": c.before == 0 and c.after > 0}
            for c in changes if c.before or c.after][:limit]


def findings(gap: list[GapRow], short: list[dict[str, Any]], agree: dict[str, Any], cb: Codebook,
             lang: str) -> list[str]:
    """Three to five sentences a sponsor reads first."""
    out = []
    under = sorted((g for g in gap if g.gap < -0.15), key=lambda g: g.gap)[:2]
    for g in under:
        out.append(t(lang, "f.customer_gap", theme=cb.label(g.code, lang),
                     c=pct(g.customer_share), s=pct(g.internal_share)))
    over = sorted((g for g in gap if g.gap > 0.15), key=lambda g: -g.gap)[:1]
    for g in over:
        out.append(t(lang, "f.staff_gap", theme=cb.label(g.code, lang),
                     c=pct(g.customer_share), s=pct(g.internal_share)))
    if not under and gap:
        top = max(gap, key=lambda g: (g.customer_share, g.code))
        if top.customer_share:
            out.append(t(lang, "f.top_theme", theme=cb.label(top.code, lang),
                         c=pct(top.customer_share)))
    if short:
        out.append(t(lang, "f.top_project", title=short[0]["title"], score=short[0]["score_text"]))
    if agree.get("median") is not None:
        out.append(t(lang, "f.kappa", k=agree["median"], band=agree["median_band"]))
    return out
