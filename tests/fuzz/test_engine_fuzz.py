"""Fuzzing the interview engine over every shipped script, alone and through InterviewService on SQLite.

Any sequence of inputs: the engine never raises and its state stays well formed; through the service, the
stored answers are exactly the Answered events.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.catalog import Catalog, load_catalog
from app.interviews import InterviewService
from core.commands import COMMAND_WORDS
from core.events import Answered, Completed
from core.inputs import Choose, Decline, Input, Pause, Reply, Resume, Start
from core.interview import FINISHED, InterviewState, progress, step
from core.script import Script
from storage import repos
from storage.models import Answer, Interview
from storage.uow import Database

CATALOG: Catalog = load_catalog()
SCRIPTS: list[Script] = [CATALOG.scripts[k] for k in sorted(CATALOG.scripts)]
STATUSES = {"invited", "in_progress", "paused", "completed", "declined", "expired"}
# derandomize: the same examples on every run, so CI is deterministic; deadline off for slow CI machines.
FUZZ = settings(derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])

COMMANDS = sorted({w for words in COMMAND_WORDS.values() for w in words})
# What people type: command words (with the punctuation and case people add), choice-like answers,
# answers the prober reacts to, Slack-escaped text, and anything at all.
typed = st.one_of(
    st.sampled_from(COMMANDS),
    st.sampled_from(COMMANDS).map(lambda w: w.upper() + "!"),
    st.sampled_from(COMMANDS).map(lambda w: f" {w}。"),
    st.sampled_from(["1", "2", "3", "0", "99", "-1", "1,3", "1，2", "2、3", "1 2", "yes", "no", "是", "否", "没有",
                     "5", "3.5", "1e3", "", "   ", "that's all", "没有了", "I don't know", "不知道", "faster",
                     "更快", "&lt;script&gt;", "<!channel> <@U123>"]),
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.just("x" * 40_050),  # past Slack's 40,000-character cap: cut and marked, never an error
)


def inputs(script: Script) -> st.SearchStrategy[Input]:
    qids = [q.id for q in script.questions]
    cids = sorted({c.id for q in script.questions for c in q.choices} | {"yes", "no", "1", "5", "11"})
    choose = st.builds(Choose, st.one_of(st.sampled_from(qids), st.text(max_size=10)),
                       st.lists(st.one_of(st.sampled_from(cids), st.text(max_size=8)), max_size=4).map(tuple))
    return st.one_of(st.builds(Reply, typed), st.builds(Reply, typed), choose,
                     st.sampled_from([Start(), Pause(), Resume(), Decline()]))


@st.composite
def runs(draw: st.DrawFn, max_inputs: int = 40) -> tuple[Script, list[Input]]:
    script = draw(st.sampled_from(SCRIPTS))
    # Mostly start first, as a real interview does, so the fuzzing reaches deep into the script.
    first = [Start()] if draw(st.booleans()) or draw(st.booleans()) else []
    return script, first + draw(st.lists(inputs(script), max_size=max_inputs))


def check_state(script: Script, state: InterviewState) -> None:
    assert state.status in STATUSES
    data = state.to_dict()
    assert InterviewState.from_dict(json.loads(json.dumps(data))) == state
    if state.cursor is not None:
        q = script.question(state.cursor)  # raises for an id the script does not have
        assert 0 <= state.depth <= q.probe.max_depth
        position, total = progress(script, state)
        assert 1 <= position <= total
    else:
        assert state.depth == 0
    if state.status == "in_progress":
        assert state.cursor is not None
    assert state.pending is None or state.cursor is not None


@settings(FUZZ, max_examples=500)
@given(runs())
def test_any_inputs_keep_the_engine_well_formed(run: tuple[Script, list[Input]]) -> None:
    script, seq = run
    state = InterviewState()
    for inp in seq:
        before = state
        state, events = step(script, state, inp, CATALOG.prober)
        check_state(script, state)
        for ev in events:
            if isinstance(ev, Answered):
                q = script.question(ev.question_id)
                assert ev.step <= q.probe.max_depth
                assert len(ev.text) <= 40_000
            if isinstance(ev, Completed):
                assert state.status == "completed"
        if before.status in FINISHED and not isinstance(inp, Start):
            assert state == before  # a finished interview does not move


# --- the same through the service, on SQLite ----------------------------------------------------------------

@pytest.fixture(scope="module")
def service_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A migrated SQLite file with the codebook and one open round (set up once, reused by every example)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz')}/fuzz.db"

    async def setup() -> int:
        db = await Database.open(url)
        try:
            await InterviewService(db, CATALOG).sync_codebook()
            async with db.uow() as uow:
                a = await repos.create_assessment(uow.session, name="fuzz", opened_on=date.today())
                await uow.commit()
                return a.id
        finally:
            await db.close()

    yield url, asyncio.run(setup())


_counter = iter(range(1, 10**9))


@settings(FUZZ, max_examples=60, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(run=runs(max_inputs=25))
def test_service_stores_exactly_the_answered_events(service_db: tuple[str, int],
                                                    run: tuple[Script, list[Input]]) -> None:
    url, assessment_id = service_db
    script, seq = run
    n = next(_counter)

    async def go() -> None:
        db = await Database.open(url, migrate=False)
        try:
            service = InterviewService(db, CATALOG)
            async with db.uow() as uow:
                p = await repos.participant_for_name(uow.session, f"Fuzz {n}", kind=script.audience.kind)
                await uow.commit()
            iv, _ = await service.open_interview(assessment_id=assessment_id, participant_id=p.id,
                                                 script_id=script.id, lang=script.lang)
            answered: list[tuple[str, int, str]] = []
            anonymous = 0
            anon_query = select(func.count()).select_from(Answer).where(Answer.anonymous.is_(True))
            async with db.uow() as uow:
                anon_before = await uow.session.scalar(anon_query) or 0
            for i, inp in enumerate(seq):
                out = await service.handle(iv.id, inp, source_event_id=f"fz:{n}:{i}")
                for ev in out.events:
                    if isinstance(ev, Answered):
                        if ev.anonymous:
                            anonymous += 1
                        else:
                            answered.append((ev.question_id, ev.step, ev.text))
            async with db.uow() as uow:
                stored = await repos.answers_of(uow.session, iv.id, include_superseded=True)
                anon_after = await uow.session.scalar(anon_query) or 0
                row = await uow.session.get(Interview, iv.id)
                assert row is not None
                state = InterviewState.from_dict(row.state)
            assert sorted((a.question_id, a.step, a.text) for a in stored) == sorted(answered)
            assert all(a.source_event_id and a.source_event_id.startswith(f"fz:{n}:") for a in stored)
            check_state(script, state)
            # Anonymous answers carry no interview link by design: counted, not matched.
            assert anon_after - anon_before == anonymous
        finally:
            await db.close()

    asyncio.run(go())

