"""app.engine_process: the engine's second process decides a batch exactly as the serve process would, takes the
coder the lead retrained, and a child that dies or hangs fails only the batch it held and is started again."""

from __future__ import annotations

import asyncio
import copy
import os
import signal
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from app.catalog import Catalog
from app.coder import build_coder
from app.engine_process import EngineDown, EngineProcess
from app.interview_batch import INTERVIEWS, load_scripts
from app.interviews import AnswerOp, Decision, InterviewService
from bench.seed import open_round, scripts_mix, seed_interviews
from core.inputs import Reply, Start
from storage.uow import Database

pytestmark = pytest.mark.asyncio

ANSWERS = ["1", "We track every deal in a spreadsheet and lose follow-ups when someone is away",
           "价格太高了，而且没有中文界面", "ok", "help", "2,3"]


async def _rows(db_url: str, catalog: Catalog, people: int = 6) -> tuple[Database, InterviewService, list[Any]]:
    aid = await open_round(db_url)
    users = [f"UE{i}" for i in range(people)]
    await seed_interviews(db_url, aid, users, scripts_mix(catalog), catalog, in_progress_every=2)
    db = await Database.open(db_url, migrate=False)
    service = InterviewService(db, catalog)
    async with db.engine.connect() as conn:
        rows = (await conn.execute(select(INTERVIEWS).order_by(INTERVIEWS.c.id))).all()
        await conn.run_sync(lambda c: load_scripts(service, c, {r.script_version_id for r in rows}))
    return db, service, rows


def _jobs(rows: list[Any], now: datetime) -> list[Any]:
    out = []
    for i, iv in enumerate(rows):
        inp = Start() if iv.status == "invited" else Reply(ANSWERS[i % len(ANSWERS)])
        out.append((iv, iv.script_version_id, inp, f"ev{iv.id}", now))
    return out


def _same(d: Decision) -> Any:
    """A decision without its random ladder keys."""
    ops = [(dict(op.values, ladder_key=None), [(h.code_id, h.confidence, h.rule) for h in op.hits])
           if isinstance(op, AnswerOp) else op for op in d.ops]
    state = {k: v for k, v in d.changes["state"].items() if k != "_ladder"}
    return d.events, ops, {**d.changes, "state": state}


async def _started(service: InterviewService, timeout: float = 10.0) -> EngineProcess:
    engine = EngineProcess(service, timeout)
    engine.start()
    for _ in range(1200):
        if engine.ready:
            return engine
        await asyncio.sleep(0.05)
    await engine.close()
    raise AssertionError("the engine process did not start in 60 s")


async def test_the_child_decides_as_the_serve_process_does(db_url: str, catalog: Catalog) -> None:
    db, service, rows = await _rows(db_url, catalog)
    engine = await _started(service)
    try:
        now = datetime.now(UTC)
        jobs = _jobs(rows, now)
        got = await engine.decide(jobs)
        here = [service.decide(iv, service.cached_script(sv) or pytest.fail("script"), inp, src, t)
                for iv, sv, inp, src, t in jobs]
        assert [_same(d) for d in got if isinstance(d, Decision)] == [_same(d) for d in here]
        assert sum(isinstance(op, AnswerOp) for d in here for op in d.ops) >= 2  # answers stored, and coded
        # A second batch sends no script again and still decides.
        again = await engine.decide(jobs[:2])
        assert [_same(d) for d in again if isinstance(d, Decision)] == [_same(d) for d in here[:2]]
    finally:
        await engine.close()
        await db.close()
    assert engine._proc is not None and engine._proc.returncode is not None  # closed means gone


async def test_the_child_codes_with_the_model_the_lead_retrained(db_url: str, catalog: Catalog) -> None:
    db, service, rows = await _rows(db_url, catalog, people=2)
    own = copy.copy(catalog)
    service.catalog = own
    engine = await _started(service)
    try:
        model = copy.copy(own.coder.model)
        assert model is not None
        model.id = "retrained-in-the-db"  # type: ignore[misc]
        own.coder = build_coder(own.codebook, model)
        await engine.decide(_jobs(rows, datetime.now(UTC)))
        assert engine._model == "retrained-in-the-db"
        own.coder = build_coder(own.codebook, None, shipped=False)  # erasure deleted every stored model
        await engine.decide(_jobs(rows, datetime.now(UTC)))
        assert engine._model is None
    finally:
        await engine.close()
        await db.close()


@pytest.mark.parametrize("how", ["killed", "hung"])
async def test_a_dead_or_hung_child_fails_its_batch_and_is_replaced(db_url: str, catalog: Catalog,
                                                                     how: str) -> None:
    db, service, rows = await _rows(db_url, catalog, people=2)
    engine = await _started(service, timeout=1.0)
    try:
        first = engine.pid
        assert first is not None
        os.kill(first, signal.SIGKILL if how == "killed" else signal.SIGSTOP)
        with pytest.raises(EngineDown):
            await engine.decide(_jobs(rows, datetime.now(UTC)))
        assert not engine.ready
        for _ in range(1200):
            if engine.ready:
                break
            await asyncio.sleep(0.05)
        assert engine.ready and engine.pid != first
        got = await engine.decide(_jobs(rows, datetime.now(UTC)))
        assert all(isinstance(d, Decision) for d in got)
        with pytest.raises(ProcessLookupError):
            os.kill(first, 0)  # the old child is gone, not left stopped
    finally:
        await engine.close()
        await db.close()


async def test_one_input_that_fails_in_the_child_fails_alone(db_url: str, catalog: Catalog) -> None:
    db, service, rows = await _rows(db_url, catalog, people=2)
    engine = await _started(service)
    try:
        jobs = _jobs(rows, datetime.now(UTC))
        bad = (rows[0], rows[0].script_version_id, "not an input", None, jobs[0][4])
        got = await engine.decide([bad, *jobs])
        assert isinstance(got[0], Exception) and all(isinstance(d, Decision) for d in got[1:])
        assert engine.ready  # the child carries on
    finally:
        await engine.close()
        await db.close()


async def test_a_child_that_cannot_start_is_tried_again_and_the_worker_decides_in_process_meanwhile(
        monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> None:
    from app import engine_process

    monkeypatch.setattr(engine_process, "CHILD", "app.no_such_engine_child")
    monkeypatch.setattr(engine_process, "RESTART_PAUSE", 0.2)
    engine = EngineProcess(InterviewService(None, catalog))  # type: ignore[arg-type]
    engine.start()
    try:
        await asyncio.sleep(1.0)  # several failed starts
        assert not engine.ready
        with pytest.raises(EngineDown):
            await engine.decide([])
        monkeypatch.setattr(engine_process, "CHILD", "app.engine_child")
        for _ in range(1200):
            if engine.ready:
                break
            await asyncio.sleep(0.05)
        assert engine.ready and engine.started_in is not None
    finally:
        await engine.close()
