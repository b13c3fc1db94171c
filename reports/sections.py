"""The report's analytical sections on top of storage.review: themes with quotes, the gap, key findings,
agreement and the comparison with the previous round. Every share is shown with its base (k of n people)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.agreement import MIN_ANSWERS, MIN_CASES, Agreement
from core.closed_questions import Tally
from core.shares import MIN_PEOPLE, Share
from core.topics import GROUPS, GapRow, RoundChange, TopicCount
from reports.labels import kappa_band, pct, people, segment_label, share_text, signed, t
from reports.svg import gap_chart
from storage.review import ClosedQuestion, Codebook, ReviewScope, RoundCoding, get_ladder, quotes

TOP_THEMES = 3
MAX_STEP_CHARS = 500
GAP_ROWS = 12
FINDING_GAP = 15  # points between staff and customers before a difference is a key finding


def _cut(s: str, n: int = MAX_STEP_CHARS) -> str:
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def segment_order(segment: str) -> tuple[int, int, str]:
    from core.script import CUSTOMER_SEGMENTS, INTERNAL_ROLES

    group, _, sub = segment.partition(":")
    order = INTERNAL_ROLES if group == "internal" else CUSTOMER_SEGMENTS
    return (0 if group == "internal" else 1, order.index(sub) if sub in order else 99, sub)


def topic_text(c: TopicCount, lang: str) -> dict[str, Any]:
    """A topic in one population, as the templates show it: the share of people asked, then people who raised
    it unprompted and anonymous answers, each in its own unit."""
    extra = []
    if c.unprompted:
        extra.append(t(lang, "unprompted", n=c.unprompted))
    if c.anonymous:
        extra.append(t(lang, "anon_mention" if c.anonymous == 1 else "anon_mentions", n=c.anonymous))
    return {"share": share_text(c.share, lang) if c.asked else t(lang, "not_asked"),
            "extra": ", ".join(extra), "indicative": c.asked > 0 and c.share.indicative,
            "width": f"{round(100 * (c.share.value or 0))}%", "k": c.raised, "n": c.asked}


# --- themes with quotes ------------------------------------------------------------------------------------------

async def themes_by_segment(s: AsyncSession, scope: ReviewScope, rc: RoundCoding, lang: str) -> list[dict[str, Any]]:
    """Per segment: the topics raised by most people, each with one representative ladder (the shared review
    model's quote ranking: confirmed by a person first, then confident, deeper steps)."""
    cb, table = rc.codebook, rc.topics()
    out = []
    used: set[str] = set()  # ladder keys and quote texts already shown, so the report does not repeat itself
    segments = sorted((k for k in table.people if ":" in k), key=segment_order)
    for segment in segments:
        counts = [(code, per[segment]) for code, per in table.by_segment.items()
                  if segment in per and (per[segment].people or per[segment].anonymous)]
        top = sorted(counts, key=lambda kv: (-kv[1].people, -kv[1].anonymous, kv[0]))[:TOP_THEMES]
        themes = []
        for code_id, c in top:
            themes.append({"code": code_id, "label": cb.label(code_id, lang), **topic_text(c, lang),
                           "quote": await _representative(s, scope, rc, code_id, segment, used)})
        out.append({"segment": segment, "label": segment_label(segment, lang), "respondents": table.people[segment],
                    "people": people(table.people[segment], lang),
                    "anonymous": rc.anonymous_answers().get(segment, 0), "themes": themes})
    return out


async def _representative(s: AsyncSession, scope: ReviewScope, rc: RoundCoding, code_id: str, segment: str,
                          used: set[str]) -> dict[str, Any] | None:
    within = RoundCoding(rc.round_id, rc.codebook, {k: a for k, a in rc.answers.items() if a.segment == segment})
    every = await quotes(s, scope, code_id, limit=len(within.answers), coding=within)
    candidates = [q for q in every if q.ladder_key not in used]
    fresh = [q for q in candidates if q.text.strip() not in used]
    for q in fresh or candidates:
        used.update((q.ladder_key, q.text.strip()))
        ladder = await get_ladder(s, scope, q.ladder_key)
        return {"question": ladder.question, "lang": ladder.lang, "text": _cut(q.text),
                "anonymous": ladder.who == "anonymous", "assisted": ladder.assisted,
                "steps": [{"step": st.step, "probe": st.probe_text, "reason": st.probe_reason,
                           "text": _cut(st.text), "hit": st.answer_id == q.answer_id} for st in ladder.steps]}
    # Every ladder with this topic is already shown for another topic (a small segment: one person's ladders
    # carry several topics). A topic still gets its evidence: another of those answers if there is one, else
    # the same quote again, without repeating the ladder.
    for q in sorted(every, key=lambda q: q.text.strip() in used):
        used.add(q.text.strip())
        ladder = await get_ladder(s, scope, q.ladder_key)
        return {"question": ladder.question, "lang": ladder.lang, "text": _cut(q.text),
                "anonymous": ladder.who == "anonymous", "assisted": ladder.assisted, "steps": []}
    return None


# --- internal belief vs customer reality -------------------------------------------------------------------------

def _gap_row(g: GapRow, cb: Codebook, lang: str) -> dict[str, Any]:
    d = g.gap or 0
    return {"code": g.code, "label": cb.label(g.code, lang), "internal": topic_text(g.internal, lang),
            "customer": topic_text(g.customer, lang), "gap": signed(d), "gap_value": d,
            "direction": t(lang, "gap_staff") if d > 0 else t(lang, "gap_customer") if d < 0 else "",
            "indicative": g.indicative}


def gap_section(rc: RoundCoding, lang: str) -> dict[str, Any]:
    """Staff vs customers on topics asked of both (each side's base: the people asked); one-sided topics apart."""
    people = rc.topics().people
    g = rc.gap()
    empty = {"table": [], "chart": "", "internal_only": [], "customer_only": [], "untied": [], "rows": [],
             "people": people}
    if not (people.get("internal") and people.get("customer")):
        return empty
    cb = rc.codebook
    raised = [r for r in g.comparable if r.internal.raised or r.customer.raised]
    cited = {r.code for r in _cited(raised)}  # the key findings' rows are always in the table they quote
    rows = [r for i, r in enumerate(raised) if i < GAP_ROWS or r.code in cited]
    table = [_gap_row(r, cb, lang) for r in rows]
    chart = gap_chart([(x["label"] + (" †" if x["indicative"] else ""), r.internal.share.value or 0.0,
                        r.customer.share.value or 0.0, x["internal"]["share"], x["customer"]["share"])
                       for x, r in zip(table, rows, strict=True)],
                      t(lang, "staff"), t(lang, "customers"), t(lang, "gap"))
    # "rows": what the table shows, and all the key findings may cite, so a finding never names a theme or
    # counts a difference that section 5 does not show.
    return {"table": table, "chart": chart, "rows": rows, "people": people,
            "internal_only": [_gap_row(r, cb, lang) for r in g.internal_only if r.internal.raised
                              or r.customer.people or r.customer.anonymous],
            "customer_only": [_gap_row(r, cb, lang) for r in g.customer_only if r.customer.raised
                              or r.internal.people or r.internal.anonymous],
            "untied": [{"label": cb.label(r.code, lang), "internal": r.internal.people, "customer": r.customer.people,
                        "anonymous": r.internal.anonymous + r.customer.anonymous} for r in g.untied]}


# --- key findings ---------------------------------------------------------------------------------------------

def _picks(solid: list[GapRow]) -> tuple[list[GapRow], list[GapRow], GapRow | None]:
    """The differences the key findings name: the two largest customer needs staff underrate, the largest
    staff overrating, and (only when no need is underrated) the theme customers raise most."""
    under = sorted((g for g in solid if (g.gap or 0) <= -FINDING_GAP), key=lambda g: (g.gap or 0, g.code))[:2]
    over = sorted((g for g in solid if (g.gap or 0) >= FINDING_GAP), key=lambda g: (-(g.gap or 0), g.code))[:1]
    raised = [g for g in solid if g.customer.raised] if not under else []
    top = max(raised, key=lambda g: (g.customer.share.value or 0, g.code)) if raised else None
    return under, over, top


def _cited(rows: list[GapRow]) -> list[GapRow]:
    under, over, top = _picks([g for g in rows if not g.indicative and g.gap is not None])
    return [*under, *over, *([top] if top is not None else [])]


def findings(gap_rows: list[GapRow], short: list[dict[str, Any]], agree: dict[str, Any], nps: dict[str, Any] | None,
             cb: Codebook, lang: str) -> list[str]:
    """The sentences a sponsor reads first. Only differences with at least MIN_PEOPLE people asked on each side
    are findings; smaller ones are counted in a closing note and shown, marked, in the gap section."""
    out = []
    solid = [g for g in gap_rows if not g.indicative and g.gap is not None]
    small = [g for g in gap_rows if g.indicative and g.gap is not None and abs(g.gap) >= FINDING_GAP]

    def args(g: GapRow) -> dict[str, str]:
        return {"theme": cb.label(g.code, lang), "c": share_text(g.customer.share, lang),
                "s": share_text(g.internal.share, lang)}

    under, over, top = _picks(solid)
    for g in under:
        out.append(t(lang, "f.customer_gap", **args(g)))
    for g in over:
        out.append(t(lang, "f.staff_gap", **args(g)))
    if top is not None:
        out.append(t(lang, "f.top_theme", theme=cb.label(top.code, lang), c=share_text(top.customer.share, lang)))
    if nps is not None:
        out.append(t(lang, "f.nps", **nps))
    if short:
        out.append(t(lang, "f.top_project", title=short[0]["title"], score=short[0]["score_text"]))
    if agree["status"] == "ok":
        out.append(t(lang, "f.kappa", k=agree["pooled"], ci=agree["ci"], band=agree["band"], n=agree["answers"]))
    else:
        out.append(t(lang, "f.kappa_none", n=agree["answers"], need=agree["needed"]))
    if small:
        out.append(t(lang, "f.small", n=len(small), min=MIN_PEOPLE))
    return out


# --- agreement ----------------------------------------------------------------------------------------------------

def _kappa(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _ci(ci: tuple[float, float] | None) -> str:
    return "–" if ci is None else f"{ci[0]:.2f}–{ci[1]:.2f}"


def agreement_section(a: Agreement, cb: Codebook, lang: str) -> dict[str, Any]:
    """Pooled and per-code Cohen's kappa over finished answers (core.agreement), the same figures as the app."""
    rows = []
    for r in sorted(a.codes, key=lambda r: (-r.table.cases, r.code)):
        status = {"ok": "", "too_few_answers": t(lang, "k.too_few_answers"),
                  "too_few_cases": t(lang, "k.too_few_cases", n=r.table.cases, min=MIN_CASES),
                  "undefined": t(lang, "k.undefined")}[r.status]
        k = r.kappa
        rows.append({"label": cb.label(r.code, lang), "n": r.table.n, "cases": r.table.cases, "both": r.table.both,
                     "auto_only": r.table.auto_only, "human_only": r.table.human_only, "kappa": _kappa(k),
                     "ci": _ci(r.table.ci95) if k is not None else "–",
                     "band": t(lang, kappa_band(k)) if k is not None else status,
                     "low": k is not None and k < 0.4})
    k = a.kappa
    return {"status": a.status, "answers": a.answers, "unfinished": a.unfinished, "needed": MIN_ANSWERS,
            "pooled": _kappa(k), "ci": _ci(a.pooled_ci), "band": t(lang, kappa_band(k)) if k is not None else "",
            "units": a.pooled.n, "disagreements": a.disagreements, "rows": rows,
            "low": sum(1 for r in rows if r["low"])}


# --- round comparison ------------------------------------------------------------------------------------------

def comparison_section(changes: Iterable[RoundChange], cb: Codebook, lang: str,
                       limit: int = 10) -> list[dict[str, Any]]:
    return [{"label": cb.label(c.code, lang), "before": share_text(c.before, lang), "after": share_text(c.after, lang),
             "change": signed(c.delta or 0), "new": c.before.k == 0 and c.after.k > 0, "indicative": c.indicative}
            for c in changes][:limit]


def customer_nps(closed: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Current customers' Net Promoter score for the key findings (else all customers'), when it rests on at
    least MIN_PEOPLE people; the section on closed questions shows every segment."""
    for key in ("customer:current", "customer"):
        for q in closed:
            for row in q.get("nps", []):
                if row["key"] == key and not row["indicative"]:
                    return {"score": row["score"], "n": row["n"], "who": row["label"], "question": q["title"]}
    return None


# --- closed questions ---------------------------------------------------------------------------------------------

def _cell(share: Share) -> str:
    return "–" if share.n == 0 else f"{share.k} ({pct(share.value)})"


def _option(q: ClosedQuestion, option: str, lang: str) -> str:
    if q.key.kind == "yesno":
        return t(lang, f"yn.{option}")
    if q.key.kind != "scale":
        return q.label(option, lang)
    low, high = q.scale_labels.get(lang) or q.scale_labels.get("en") or (None, None)
    end = low if option == q.key.options[0] else high if option == q.key.options[-1] else None
    return f"{option} ({end})" if end else option


def closed_section(questions: list[ClosedQuestion], lang: str) -> list[dict[str, Any]]:
    """Per closed question: people per option in each segment (and each group that spans several segments),
    scale means and medians, NPS on 0-10 likelihood questions, and the staff-vs-customer view when both were
    asked the same question."""
    out = []
    for q in questions:
        d = q.distribution
        cols: list[tuple[str, str, Tally]] = [(seg, segment_label(seg, lang), tally) for seg, tally in
                                              sorted(d.by_segment.items(), key=lambda kv: segment_order(kv[0]))]
        for g in GROUPS:
            in_group = [c for c in cols if c[0].startswith(g + ":")]
            if g in d.by_group and (len(in_group) > 1 or d.paired):
                cols.append((g, t(lang, "staff" if g == "internal" else "customers"), d.by_group[g]))
        rows = [{"label": _option(q, o, lang), "cells": [_cell(tally.share(o)) for _, _, tally in cols]}
                for o in q.key.options]
        summary = []
        if q.key.kind == "scale":
            for name, attr in (("mean", "mean"), ("median", "median")):
                summary.append({"label": t(lang, f"q.{name}"), "cells": [
                    "–" if getattr(tally, attr) is None else f"{getattr(tally, attr):.1f}" for _, _, tally in cols]})
        scores = q.nps()
        nps_rows = []
        for key, label, _tally in cols:
            if key in scores:
                n = scores[key]
                nps_rows.append({"key": key, "group": key.split(":", 1)[0], "label": label, "n": n.n,
                                 "score": signed(n.score or 0), "indicative": n.indicative,
                                 "parts": t(lang, "q.nps_parts", p=n.promoters, m=n.passives, d=n.detractors)})
        paired = [{"label": _option(q, r.option, lang), "internal": share_text(r.internal, lang),
                   "customer": share_text(r.customer, lang), "gap": signed(r.gap or 0), "gap_value": r.gap or 0,
                   "internal_value": r.internal.value or 0.0, "customer_value": r.customer.value or 0.0}
                  for r in (q.paired or [])]
        out.append({"id": q.key.question_id, "title": q.question(lang), "kind": t(lang, f"kind.{q.key.kind}"),
                    "columns": [{"label": label, "n": tally.n, "indicative": Share(0, tally.n).indicative}
                                for _, label, tally in cols],
                    "rows": rows, "summary": summary, "nps": nps_rows, "paired": paired,
                    "paired_n": {g: d.by_group[g].n for g in GROUPS if g in d.by_group}})
    return out
