"""bot.worker_batch with the engine in a second process: a child that fails as a whole fails the batch's inputs
(the retry path), an input the engine fails on fails alone, and a decision that goes back goes one by one."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from app.engine_process import EngineDown
from app.interviews import AnswerOp, Decision
from bot.worker import Item
from bot.worker_batch import Planned, Prepared, _decide_away
from core.inputs import Reply

pytestmark = pytest.mark.asyncio


class FakeEngine:
    def __init__(self, answer: Any):
        self.answer = answer
        self.jobs: list[Any] = []

    async def decide(self, jobs: list[Any]) -> list[Any]:
        self.jobs = list(jobs)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def _prep(n: int) -> Prepared:
    planned = [Planned(Item(i, f"k{i}", "message", f"U{i}", {}, 1), SimpleNamespace(id=10 + i, script_version_id=1),
                       Reply("x"), f"k{i}") for i in range(n)]
    return Prepared(planned, [])


def _deps(engine: FakeEngine) -> Any:
    return SimpleNamespace(engine=engine, service=SimpleNamespace(cached_script=lambda sv: "script"))


async def test_a_child_that_fails_sends_the_whole_batch_to_the_retry_path() -> None:
    prep = _prep(3)
    await _decide_away(_deps(FakeEngine(EngineDown("hung"))), prep, datetime.now(UTC))
    assert prep.planned == [] and sorted(prep.failed) == [0, 1, 2]
    assert all(isinstance(e, EngineDown) for e in prep.failed.values())


async def test_one_input_fails_alone_and_going_back_goes_one_by_one() -> None:
    prep = _prep(3)
    ok = Decision([], [AnswerOp({}, [])], {})
    back = Decision([], [["q1"]], {})
    await _decide_away(_deps(FakeEngine([ok, RuntimeError("bad"), back])), prep, datetime.now(UTC))
    assert list(prep.failed) == [1]
    assert [p.item.id for p in prep.planned] == [0, 2]
    assert prep.planned[0].step is not None and prep.planned[0].step.decision is ok
    assert prep.planned[1].step is None  # _to_slow hands it to the processor


async def test_a_child_gone_before_the_batch_was_sent_decides_it_here() -> None:
    from app.engine_process import EngineNotReady

    prep = _prep(2)
    ok = Decision([], [AnswerOp({}, [])], {})
    deps = _deps(FakeEngine(EngineNotReady("replaced")))
    deps.service.decide = lambda iv, script, inp, source, now: ok
    await _decide_away(deps, prep, datetime.now(UTC))
    assert prep.failed == {} and [p.step.decision for p in prep.planned if p.step] == [ok, ok]
