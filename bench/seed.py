"""Benchmark data straight through storage: a migrated database, an open round, people and their interviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from app.catalog import Catalog
from core.inputs import Start
from core.interview import InterviewState, step
from core.script import Script
from storage import repos
from storage.models import Identity, Interview, Participant
from storage.uow import Database

TEAM_ID = "T111"  # the fake's default team


@dataclass
class Seeded:
    user: str
    interview_id: int
    script: Script
    state: InterviewState


def scripts_mix(catalog: Catalog) -> list[Script]:
    """Every shipped script in both languages, in a stable order: respondents take them round robin."""
    return [catalog.scripts[k] for k in sorted(catalog.scripts)]


async def open_round(url: str, name: str = "Bench round") -> int:
    """Migrate a fresh database and open a round; returns its id."""
    db = await Database.open(url)
    try:
        async with db.uow() as uow:
            a = await repos.create_assessment(uow.session, name=name, opened_on=date.today())
            await uow.commit()
            return a.id
    finally:
        await db.close()


async def seed_interviews(url: str, assessment_id: int, users: list[str], scripts: list[Script], catalog: Catalog,
                          *, in_progress_every: int = 0, chunk: int = 1000) -> list[Seeded]:
    """One interview per user, script i % len(scripts); every `in_progress_every`-th one already started
    (at its first question, as the engine leaves it), the rest invited. Inserted in chunks of `chunk`."""
    db = await Database.open(url, migrate=False)
    out: list[Seeded] = []
    now = datetime.now(UTC)
    try:
        versions: dict[tuple[str, str], int] = {}
        async with db.uow() as uow:
            for sc in scripts:
                sv = await repos.ensure_script_version(
                    uow.session, script_id=sc.id, lang=sc.lang, version=sc.version, title=sc.title,
                    audience=sc.audience.label, body=sc.model_dump(mode="json", by_alias=True))
                versions[(sc.id, sc.lang)] = sv.id
            await uow.commit()
        for start in range(0, len(users), chunk):
            part = users[start:start + chunk]
            async with db.uow() as uow:
                s = uow.session
                people = [_participant(scripts[(start + i) % len(scripts)], start + i) for i in range(len(part))]
                s.add_all(people)
                await s.flush()
                s.add_all([Identity(participant_id=p.id, slack_user_id=u, slack_team_id=TEAM_ID)
                           for p, u in zip(people, part, strict=True)])
                rows: list[tuple[Interview, Script, InterviewState]] = []
                for i, (p, _u) in enumerate(zip(people, part, strict=True)):
                    n = start + i
                    sc = scripts[n % len(scripts)]
                    st = InterviewState()
                    if in_progress_every and n % in_progress_every == 0:
                        st, _ = step(sc, st, Start(), catalog.prober)
                    iv = Interview(assessment_id=assessment_id, participant_id=p.id, script_id=sc.id,
                                   script_version_id=versions[(sc.id, sc.lang)], lang=sc.lang,
                                   segment=sc.audience.label, mode="slack", status=st.status, state=st.to_dict(),
                                   invited_at=now, started_at=now if st.status != "invited" else None,
                                   last_activity_at=now)
                    rows.append((iv, sc, st))
                s.add_all([iv for iv, _, _ in rows])
                await s.flush()
                out.extend(Seeded(u, iv.id, sc, st) for u, (iv, sc, st) in zip(part, rows, strict=True))
                await uow.commit()
    finally:
        await db.close()
    return out


def _participant(sc: Script, n: int) -> Participant:
    aud = sc.audience
    # Sequential pseudonyms: random 8-hex ones collide about once in a hundred seedings of 10,000 people.
    return Participant(pseudonym=f"P-B{n:07d}", kind=aud.kind, role=aud.role, segment=aud.segment,
                       lang=sc.lang)


async def count_open(url: str) -> dict[str, Any]:
    db = await Database.open(url, migrate=False)
    try:
        async with db.uow() as uow:
            rows = (await uow.session.execute(select(Interview.status))).scalars().all()
    finally:
        await db.close()
    counts: dict[str, int] = {}
    for st in rows:
        counts[st] = counts.get(st, 0) + 1
    return counts
