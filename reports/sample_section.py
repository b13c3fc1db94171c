"""The report's customer-sample section: the design, population and completed interviews per stratum, response
rates, a representativeness check, and design weights stated as such (en and zh)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.sampling import progress
from core import sampling
from reports.labels import ROLES, pct

MIN_COMPLETED = 30  # below this many completed interviews the shares move by several points per person
DEFAULT_MARGIN = 0.05  # a stratum's completed share may differ from its population share by 5 points

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Customer sample",
        "design": ("{n} of {pop} customers on the list were drawn at random within strata by {by} ({allocation} "
                   "allocation{share}{floor}; seed {seed}){topups}."),
        "share": ", {p} of the list", "floor": ", at least {k} per stratum", "topups": "; {n} replacement(s) in "
        "{d} top-up(s) for people who declined or were erased",
        "proportional": "proportional", "equal": "equal", "neyman": "Neyman, by the spread of {col}",
        "stratum": "Stratum", "population": "Population", "drawn": "Drawn", "completed": "Completed",
        "response": "Response rate", "pop_share": "Share of list", "done_share": "Share of completed",
        "weight": "Design weight", "total": "Total",
        "check_ok": ("Representativeness: every stratum's share of completed interviews is within {m} points of "
                     "its share of the customer list."),
        "check_flag": ("Representativeness: {strata} differ from the customer list by more than {m} points "
                       "(marked ⚠): read customer shares in this report with that in mind, or weight them."),
        "check_none": "Representativeness: no customer interview is completed yet.",
        "indicative": " With only {n} completed interviews this check is indicative.",
        "weights": ("Design weights (customers on the list per completed interview, N_h / completed_h) are given so "
                    "customer shares can be weighted by stratum; the shares elsewhere in this report are "
                    "unweighted counts of people."),
        "response_note": "Response rate: completed interviews per customer drawn.",
        "blank": "(blank)",
    },
    "zh": {
        "title": "客户抽样",
        "design": ("从名单上的 {pop} 位客户中，按 {by} 分层随机抽取 {n} 位"
                   "（{allocation}分配{share}{floor}；随机种子 {seed}）{topups}。"),
        "share": "，名单的 {p}", "floor": "，每层至少 {k} 位",
        "topups": "；为拒绝或已删除数据的客户补抽 {n} 位（{d} 次）",
        "proportional": "按比例", "equal": "等额", "neyman": "Neyman（按 {col} 的离散程度）",
        "stratum": "层", "population": "名单人数", "drawn": "抽中", "completed": "已完成", "response": "回应率",
        "pop_share": "占名单比例", "done_share": "占已完成比例", "weight": "设计权重", "total": "合计",
        "check_ok": "代表性：每一层在已完成访谈中的比例与其在客户名单中的比例相差不超过 {m} 个百分点。",
        "check_flag": ("代表性：{strata} 与客户名单的比例相差超过 {m} 个百分点（标记 ⚠）："
                       "阅读本报告中的客户比例时请注意这一点，或加权。"),
        "check_none": "代表性：尚无已完成的客户访谈。",
        "indicative": "仅有 {n} 个已完成访谈，此检查仅供参考。",
        "weights": ("设计权重（每个已完成访谈代表的名单客户数，N_h / 已完成_h）供按层加权客户比例之用；"
                    "本报告其他部分的比例均为未加权的人数。"),
        "response_note": "回应率：已完成访谈数 / 抽中客户数。",
        "blank": "（空）",
    },
}


def _t(lang: str, key: str, **kw: object) -> str:
    s = TEXT.get(lang, TEXT["en"]).get(key) or TEXT["en"][key]
    return s.format(**kw) if kw else s


def stratum_label(stratum: str, by: list[str], lang: str) -> str:
    """'current / north' with the segment in the report's language."""
    parts = stratum.split(" / ")
    if len(parts) == len(by):
        roles = ROLES.get(lang, ROLES["en"])
        parts = [roles.get(p, p) if b == "segment" else p for p, b in zip(parts, by, strict=True)]
    return " / ".join(_t(lang, "blank") if p == "(blank)" else p for p in parts)


async def sample_section(s: AsyncSession, round_id: int, lang: str,
                         margin: float = DEFAULT_MARGIN) -> dict[str, Any] | None:
    """None when the round has no sample. `margin`: the round's setting sample_margin_points / 100."""
    prog = await progress(s, round_id)
    if prog is None:
        return None
    sm = prog.sample
    pop = {x.stratum: x.population for x in prog.strata if x.population}
    done = {x.stratum: x.completed for x in prog.strata}
    checks = {c.stratum: c for c in sampling.representativeness(pop, done, margin)}
    weights = sampling.design_weights(pop, done)
    rows = []
    for x in prog.strata:
        c = checks.get(x.stratum)
        rows.append({"label": stratum_label(x.stratum, sm.strata_by, lang), "population": x.population,
                     "drawn": x.drawn, "completed": x.completed, "response": pct(x.response_rate),
                     "pop_share": pct(c.population_share) if c else "–",
                     "done_share": pct(c.completed_share) if c and sum(done.values()) else "–",
                     "flagged": bool(c and c.flagged),
                     "weight": f"{weights[x.stratum]:.1f}" if x.stratum in weights else "–"})
    tot = prog.total()
    total = {"label": _t(lang, "total"), "population": tot.population, "drawn": tot.drawn,
             "completed": tot.completed, "response": pct(tot.response_rate)}
    flagged = [r["label"] for r in rows if r["flagged"]]
    m = round(100 * margin)
    if not tot.completed:
        check = _t(lang, "check_none")
    elif flagged:
        check = _t(lang, "check_flag", strata=", ".join(flagged), m=m)
    else:
        check = _t(lang, "check_ok", m=m)
    if 0 < tot.completed < MIN_COMPLETED:
        check += _t(lang, "indicative", n=tot.completed)
    topups = [d for d in (sm.draws or [])[1:] if d.get("drawn")]
    added = sum(sum(d["drawn"].values()) for d in topups)
    allocation = _t(lang, sm.allocation, col=sm.neyman_by or "")
    by = ", ".join(("客户群体" if b == "segment" else b) if lang == "zh" else b for b in sm.strata_by)
    design = _t(lang, "design", n=tot.drawn, pop=tot.population, by=by, allocation=allocation,
                share=_t(lang, "share", p=pct(sm.share)) if sm.share else "",
                floor=_t(lang, "floor", k=sm.min_per_stratum) if sm.min_per_stratum else "", seed=sm.seed,
                topups=_t(lang, "topups", n=added, d=len(topups)) if added else "")
    heads = {k: _t(lang, k) for k in ("title", "stratum", "population", "pop_share", "drawn", "completed",
                                      "done_share", "response", "weight")}
    return {"heads": heads, "design": design, "rows": rows, "total": total, "check": check, "flagged": flagged,
            "weights_note": _t(lang, "weights"), "response_note": _t(lang, "response_note")}
