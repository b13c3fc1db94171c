"""kill -9 `cna serve` twice while 10 respondents answer: nothing acknowledged is lost, nothing is doubled.

The short form of `python -m bench --only crash`: the fake Slack and the service run as real processes,
the driver resends unacknowledged deliveries with X-Slack-Retry-Num as Slack does, and the service is
restarted on the same database after each kill.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.crash import run_crash


@pytest.mark.slow
async def test_kill9_twice_during_load_loses_and_doubles_nothing(db_url: str, tmp_path: Path) -> None:
    r = await run_crash(people=10, kills=2, seed=7, think=0.05, db_url=db_url, workdir=tmp_path,
                        drain_timeout=40.0)
    a = r["accounting"]
    assert len(r["kills"]) == 2
    # The kills hit the load: some deliveries went unanswered and were sent again.
    assert r["retried_deliveries"] > 0, r
    assert r["drain_s"] is not None, f"backlog not worked off: {a['inbox']} {a['outbox']}"
    assert a["inputs_not_acked"] == 0
    assert a["answers_stored"] == a["answers_expected"] > 0
    assert (a["answers_lost"], a["answers_duplicated"], a["answers_stray"]) == (0, 0, 0), a
    assert a["inputs_without_reply"] == 0, a
    assert (a["messages_lost"], a["messages_unsent"], a["messages_duplicated"]) == (0, 0, 0), a
    assert a["users_with_extra_dms"] == 0, a
    assert a["messages_delivered"] == a["messages_queued"]
    assert r["ok"]
