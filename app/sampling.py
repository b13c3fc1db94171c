"""Drawing a round's stratified customer sample, topping it up, and its progress per stratum."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import sampling
from core.sampling import Allocation, SamplingError
from storage import customers as repo
from storage import repos
from storage.customers_models import Customer, Sample, SampleMember
from storage.models import Interview, Participant

LOST = ("declined", "erased", "ended")


@dataclass
class Population:
    by: list[str]
    strata: dict[str, list[str]]  # stratum -> key digests
    customers: dict[str, Customer]  # digest -> customer

    @property
    def sizes(self) -> dict[str, int]:
        return {h: len(m) for h, m in self.strata.items()}


async def population(s: AsyncSession, by: Sequence[str]) -> Population:
    """Active customers that can be contacted, grouped by the strata attributes (each must exist)."""
    rows = [(c, k) for c, k in await repo.customers_with_contacts(s) if k is not None]
    if not rows:
        raise SamplingError("the customer list is empty: import it first with 'cna customers import FILE'")
    names = repo.attribute_names([c for c, _ in rows])
    unknown = [b for b in by if b not in names]
    if unknown:
        raise SamplingError(f"--by {','.join(unknown)}: no such column in the customer list; stratify by "
                            f"{', '.join(names)}")
    strata: dict[str, list[str]] = defaultdict(list)
    for c, _ in rows:
        strata[sampling.stratum_key(repo.stratum_values(c, by))].append(c.key_digest)
    return Population(list(by), dict(strata), {c.key_digest: c for c, _ in rows})


def variability(pop: Population, column: str) -> dict[str, float]:
    """Neyman's S_h: the standard deviation of a numeric column (e.g. revenue) within each stratum."""
    out: dict[str, float] = {}
    for h, digests in pop.strata.items():
        values = []
        for d in digests:
            raw = str((pop.customers[d].attributes or {}).get(column, "")).strip()
            if not raw:
                continue
            try:
                values.append(sampling.parse_number(raw))
            except ValueError:
                raise SamplingError(f"--neyman-by {column}: {raw!r} (stratum {h}) is not a number; clean the "
                                    "column or choose a numeric one") from None
        out[h] = sampling.stratum_sd(values)
    return out


@dataclass
class DrawResult:
    sample: Sample
    allocation: Allocation
    drawn: dict[str, int]
    population: dict[str, int]


async def draw_sample(s: AsyncSession, assessment_id: int, *, by: Sequence[str], size: int | None,
                      share: float | None, method: str, min_per_stratum: int, seed: str | None,
                      neyman_by: str | None, actor: str, now: datetime, replace: bool = False) -> DrawResult:
    """Draw and record the round's sample: who, from which stratum, with what inclusion probability."""
    a = await repos.get_assessment(s, assessment_id)
    old = await repo.sample_of(s, a.id)
    if old is not None:
        if not replace:
            raise SamplingError(f"round {a.id} already has a sample (seed {old.seed}); 'cna sample top-up --round "
                                f"{a.id}' adds replacements, --replace draws it again while nobody is invited")
        if any(m.interview_id for m, *_ in await repo.members_of(s, old.id)):
            raise SamplingError(f"round {a.id}'s sample has invited people: it cannot be drawn again; use "
                                "'cna sample top-up'")
        await s.delete(old)
        await s.flush()
    if method == "neyman" and not neyman_by:
        raise SamplingError("--allocation neyman needs --neyman-by COLUMN: a numeric column whose spread per "
                            "stratum sets the sizes (e.g. revenue); see docs/sampling.md")
    pop = await population(s, by)
    total = sum(pop.sizes.values())
    if size is None:
        if share is None:
            raise SamplingError("say how many to draw: --share 25% or --size N")
        size = sampling.size_for_share(total, share)
    var = variability(pop, neyman_by) if method == "neyman" and neyman_by else None
    alloc = sampling.allocate(pop.sizes, size, method, min_per_stratum=min_per_stratum, variability=var)
    seed = seed or secrets.token_hex(4)
    chosen = sampling.draw(pop.strata, alloc.targets, seed)
    plan = {h: {"population": n, "target": alloc.targets.get(h, 0), "ideal": round(alloc.ideal.get(h, 0.0), 4),
                **({"sd": round(var[h], 4)} if var is not None else {})} for h, n in sorted(pop.sizes.items())}
    sample = Sample(assessment_id=a.id, strata_by=list(by), allocation=method, share=share, size=size,
                    min_per_stratum=min_per_stratum, neyman_by=neyman_by, seed=seed, plan=plan,
                    draws=[{"no": 0, "at": now.isoformat(), "by": actor,
                            "drawn": {h: len(v) for h, v in chosen.items() if v}}],
                    created_by=actor, created_at=now)
    s.add(sample)
    await s.flush()
    # One executemany, not an ORM object per member: a 25% sample of a CRM is tens of thousands of rows.
    rows = [{"sample_id": sample.id, "customer_id": pop.customers[d].id, "stratum": h,
             "probability": len(digests) / pop.sizes[h], "draw_no": 0, "drawn_at": now}
            for h, digests in chosen.items() for d in digests]
    if rows:
        await s.execute(insert(SampleMember), rows)
    return DrawResult(sample, alloc, {h: len(v) for h, v in chosen.items()}, pop.sizes)


@dataclass
class StratumProgress:
    stratum: str
    population: int
    target: int
    drawn: int = 0
    invited: int = 0  # invited or further (started, completed, declined after an invitation)
    started: int = 0  # started or completed
    completed: int = 0
    declined: int = 0
    erased: int = 0
    in_play: int = 0  # drawn and not lost (declined, erased, ended)
    silent: int = 0  # invited, not started

    @property
    def response_rate(self) -> float | None:
        """Completed interviews per drawn customer (the non-contacted count as non-response)."""
        return self.completed / self.drawn if self.drawn else None


@dataclass
class SampleProgress:
    sample: Sample
    strata: list[StratumProgress] = field(default_factory=list)

    def total(self) -> StratumProgress:
        t = StratumProgress("total", sum(x.population for x in self.strata), sum(x.target for x in self.strata))
        for x in self.strata:
            for f in ("drawn", "invited", "started", "completed", "declined", "erased", "in_play", "silent"):
                setattr(t, f, getattr(t, f) + getattr(x, f))
        return t


async def progress(s: AsyncSession, assessment_id: int) -> SampleProgress | None:
    sample = await repo.sample_of(s, assessment_id)
    if sample is None:
        return None
    rows = {h: StratumProgress(h, int(p.get("population", 0)), int(p.get("target", 0)))
            for h, p in sorted((sample.plan or {}).items())}
    for m, c, _k, iv in await repo.members_of(s, sample.id):
        x = rows.setdefault(m.stratum, StratumProgress(m.stratum, 0, 0))
        status = repo.member_status(m, c, iv)
        x.drawn += 1
        x.invited += status in ("invited", "started", "completed", "declined", "ended") and iv is not None
        x.started += status in ("started", "completed")
        x.completed += status == "completed"
        x.declined += status == "declined"
        x.erased += status == "erased"
        x.in_play += status not in LOST
        x.silent += status == "invited"
    return SampleProgress(sample, list(rows.values()))


@dataclass
class TopUp:
    added: dict[str, int]
    short: dict[str, int]  # strata still below target: nobody left to draw


async def top_up(s: AsyncSession, assessment_id: int, *, actor: str, now: datetime,
                 replace_silent: bool = False) -> TopUp:
    """Replacements in strata below target: the next customers in the seed's order who were never drawn in this
    round and never declined or were erased (erased customers are not in the list; people who opted out are
    skipped). `replace_silent` also replaces invited people who never started."""
    prog = await progress(s, assessment_id)
    if prog is None:
        raise SamplingError(f"round {assessment_id} has no sample; draw one with 'cna sample draw'")
    sample = prog.sample
    pop = await population(s, sample.strata_by)
    members = await repo.members_of(s, sample.id)
    excluded = {c.key_digest for _m, c, _k, _iv in members}
    # Anyone who opted out, or declined an interview they were drawn for in any round, is not asked again.
    opted = select(Participant.id).where(Participant.opted_out.is_(True))
    declined = select(Interview.id).where(Interview.status == "declined")
    excluded |= set((await s.scalars(select(Customer.key_digest).join(
        SampleMember, SampleMember.customer_id == Customer.id).where(
        SampleMember.participant_id.in_(opted) | SampleMember.interview_id.in_(declined)
        | (SampleMember.outcome == "declined")))).all())
    wanted = {x.stratum: x.target - x.in_play + (x.silent if replace_silent else 0) for x in prog.strata}
    picked = sampling.top_up(pop.strata, wanted, sample.seed, excluded)
    no = len(sample.draws or [])
    drawn_in = {x.stratum: x.drawn for x in prog.strata}
    for h, digests in picked.items():
        n_h = max(pop.sizes.get(h, 0), 1)
        p = min(1.0, (drawn_in.get(h, 0) + len(digests)) / n_h)
        for d in digests:
            s.add(SampleMember(sample_id=sample.id, customer_id=pop.customers[d].id, stratum=h, probability=p,
                               draw_no=no, drawn_at=now))
    added = {h: len(v) for h, v in picked.items() if v}
    sample.draws = [*(sample.draws or []), {"no": no, "at": now.isoformat(), "by": actor, "drawn": added}]
    await s.flush()
    short = {h: n - len(picked.get(h, [])) for h, n in wanted.items() if n - len(picked.get(h, [])) > 0}
    return TopUp(added, short)


