"""`cna demo`'s customer list and the sample drawn from it for round 2: the demo's customer interviews are the
drawn customers who took part, so the dashboard and report show response per stratum."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from app.sample_invite import link_interviews
from app.sampling import draw_sample
from core.customer_rows import CustomerRecord
from storage import customers as repo
from storage.customers_models import CustomerContact
from storage.uow import Database

SEED = "nordwind-2026"
REGIONS = ("North", "East", "South")
SIZES = {"current": 72, "past": 30, "prospective": 18}
BANDS = ("<1M", "1-10M", ">10M")
FIRMS = ("Metall", "Tools", "Parts", "Fab", "Motors", "Hydraulik", "Logistics", "Components")
CN_FIRMS = ("机械", "重工", "制造", "五金", "汽配")


def customer_list() -> list[CustomerRecord]:
    """120 customers of a fictional distributor, in English and Chinese, by segment, region and revenue band."""
    rng = random.Random(21)
    out = []
    n = 0
    for segment, size in SIZES.items():
        for _ in range(size):
            n += 1
            region = rng.choices(REGIONS, weights=(5, 3, 2))[0]
            zh = region == "East" and rng.random() < 0.6
            org = f"华东{rng.choice(CN_FIRMS)}{n}号" if zh else f"{rng.choice(('Nord', 'Alpen', 'Baltic', 'Rhein'))}" \
                f" {rng.choice(FIRMS)} {n}"
            out.append(CustomerRecord(key=f"NW-{1000 + n}", segment=segment, row=n + 1, organisation=org,
                                      contact=f"联系人{n}" if zh else f"Contact {n}",
                                      email=f"buyer{n}@example.com",
                                      attributes={"region": region, "revenue_band": rng.choice(BANDS),
                                                  "lang": "zh" if zh else "en"}))
    return out


async def seed_sample(db: Database, round_id: int, interviewed: list[tuple[str, str]]) -> int:
    """Import the list, draw 15% by segment and region, and make the demo's customer interviews (organisation /
    contact, segment) drawn members of their segment's strata: they are the ones who answered. Returns the size."""
    now = datetime(2026, 7, 10, 9, 0, tzinfo=UTC)
    async with db.uow() as uow:
        s = uow.session
        await repo.upsert_customers(s, customer_list(), now)
        result = await draw_sample(s, round_id, by=["segment", "region"], size=None, share=0.15,
                                   method="proportional", min_per_stratum=1, seed=SEED, neyman_by=None,
                                   actor="demo", now=now)
        members = await repo.members_of(s, result.sample.id)
        taken: set[int] = set()
        per: dict[str, int] = {}
        for name, segment in interviewed:
            org, _, contact = name.partition("/")
            # The interviewed customer is one of those drawn in their segment (the list is fictional anyway).
            # Spread over the segment's strata, as a lead calling down the list would.
            free = [(per.get(m.stratum, 0), m.id, m.stratum, k) for m, c, k, _iv in members
                    if c.segment == segment and k is not None and k.id not in taken]
            if not free:
                continue
            _n, _id, stratum, slot = min(free, key=lambda f: (f[0], f[1]))
            assert isinstance(slot, CustomerContact)
            taken.add(slot.id)
            per[stratum] = per.get(stratum, 0) + 1
            slot.organisation, slot.contact_name = org.strip(), contact.strip()
            slot.email = None
        await s.flush()
        await link_interviews(s, round_id)
        await uow.commit()
        return sum(result.drawn.values())
