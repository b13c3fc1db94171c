"""The inbox worker's batch path: many DMs and choice clicks read, decided and stored in one write transaction.

Reads first (no write lock: SQLite readers do not take it), then the engine (plain CPU, no await), then every
write back to back and one commit, so SQLite's write lock is held only across database work (on SQLite in one
hand-off to the writer thread, storage/thread_writes.py). Anything the batch
path does not cover (privacy words, files, the last answer with its summary, going back, commands, ...) is
claimed in the same transaction and handed to the one-by-one processors, exactly as before.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Table, and_, exists, select, update
from sqlalchemy.engine import Connection

from app import actions, outbox
from app.engine_process import EngineDown, EngineNotReady
from app.interview_batch import Stepped, load_scripts, write
from app.interviews import AnswerOp
from app.phrases import say
from bot import render
from bot.conversation import answer_text
from bot.deps import Deps
from bot.listeners import actions as click_listener
from bot.listeners import messages as dm_listener
from bot.privacy_dm import privacy_intent
from bot.threads import thread_root
from bot.worker import DONE, INBOX, PENDING, WORKING, BatchPath, BatchResult, Item, claimable
from core.consent import starts_interview
from core.events import Answered, Completed, Rejected, Started
from core.inputs import Choose, Input, Reply, Start
from core.script import Script
from storage.models import Answer, Identity, Interview, Participant
from storage.privacy import INBOX_DONE_SCRUB
from storage.thread_reads import read
from storage.thread_writes import write_transaction

log = logging.getLogger("cna.slack.worker")

IV = cast(Table, Interview.__table__)
# The shipped processors this path stands in for; a processor replaced (tests do) keeps its rows one by one.
BATCHED = {"message": dm_listener.on_message, "block_actions": click_listener.on_block_actions}
ROUTED = ("in_progress", "paused", "invited")
START_ACTIONS = (actions.ACTION_START, actions.ACTION_RESUME)
YIELD_EVERY = 4  # inputs decided (or rendered) between two turns of the event loop: about 1-2 ms of CPU


@dataclass
class Planned:
    """One inbox row the batch path will handle: the input, the interview, and what to add to the reply."""

    item: Item
    interview: Any
    inp: Input
    source: str | None
    private: frozenset[str] = frozenset()
    click: Any = None
    step: Stepped | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)  # outbox rows


def batchable(processors: dict[str, Any], kind: str) -> bool:
    return kind in BATCHED and processors.get(kind) is BATCHED[kind]


@dataclass
class Prepared:
    """A batch read, decided and rendered: what to write, what goes one by one, what failed alone."""

    planned: list[Planned]
    slow: list[int]
    failed: dict[int, Exception] = field(default_factory=dict)


async def run_batch(deps: Deps, fast_ids: list[int], slow_ids: list[int]) -> BatchResult:
    """Process one batch; raises (having written nothing) when the write fails, so the caller goes one by one."""
    now = deps.clock()
    res = BatchResult()
    prep = Prepared([], [])
    if fast_ids:
        prep = await _prepare(deps, fast_ids, now)
    planned, failed = prep.planned, prep.failed
    slow_ids = slow_ids + prep.slow
    # --- writes: one transaction of database work only, on SQLite run whole on the writer thread ---
    claim = slow_ids + list(failed)
    if not planned and not claim:
        return res
    lease = now + timedelta(seconds=deps.settings.inbox_lease)
    done_ids, got = await write_transaction(
        deps.db, functools.partial(_write, planned, claim, now, lease, deps.db.dialect))
    res.gone.extend(p.item.id for p in planned if p.item.id not in done_ids)
    res.finished = [p.item.id for p in planned if p.item.id in done_ids]
    res.done = len(res.finished)
    if claim:
        by_id = {r.id: Item(r.id, r.key, r.kind, r.slack_user_id, r.payload, r.attempts) for r in got}
        res.gone.extend(i for i in claim if i not in by_id)
        res.slow = [by_id[i] for i in slow_ids if i in by_id]
        res.failed = [(by_id[i], exc) for i, exc in failed.items() if i in by_id]
    if res.done:
        deps.outbox_wake.set()
    return res


async def _prepare(deps: Deps, fast_ids: list[int], now: datetime) -> Prepared:
    """Everything before the write: the reads (one synchronous function, storage/thread_reads.py), the engine and
    the rendering YIELD_EVERY inputs at a time with a turn of the loop between. Run on a thread of its own instead
    (SQLite, one hand-off), the engine's CPU starved the event loop through the GIL: ack p99 675 ms against 176 ms
    on the loop (bench/results/latency_200_reader_thread_ab.json); the reads alone there cost throughput too."""
    prep = await read(deps.db, functools.partial(_read, deps=deps, fast_ids=fast_ids))
    if deps.engine is not None and deps.engine.ready and prep.planned:
        await _decide_away(deps, prep, now)
    else:
        await _decide_here(deps, prep, now)
    _to_slow(prep)
    summaries: dict[int, list[tuple[str, list[Any]]]] = {}
    if any(_completed(p) for p in prep.planned):
        summaries = await read(deps.db, functools.partial(_summaries, planned=prep.planned))
    todo = list(prep.planned)
    for i in range(0, len(todo), YIELD_EVERY):
        if i:
            await asyncio.sleep(0)
        _render_some(prep, todo[i:i + YIELD_EVERY], summaries)
    return prep


def _read(conn: Connection, deps: Deps, fast_ids: list[int]) -> Prepared:
    planned, slow = _plan(deps, conn, _read_items(conn, fast_ids))
    return Prepared(planned, slow)


def _decide_some(deps: Deps, prep: Prepared, some: list[Planned], now: datetime) -> None:
    for p in some:
        try:
            _decide(deps, p, now)
        except Exception as exc:  # the engine failed on this input alone
            log.debug("inbox %s failed in the batch", p.item.id, exc_info=True)
            prep.failed[p.item.id] = exc
            prep.planned.remove(p)


async def _decide_here(deps: Deps, prep: Prepared, now: datetime) -> None:
    """The engine in the serve process, YIELD_EVERY inputs between two turns of the loop."""
    todo = list(prep.planned)
    for i in range(0, len(todo), YIELD_EVERY):
        if i:
            await asyncio.sleep(0)  # no lock is held yet: let acks in between inputs
        _decide_some(deps, prep, todo[i:i + YIELD_EVERY], now)


async def _decide_away(deps: Deps, prep: Prepared, now: datetime) -> None:
    """The engine for the whole batch in the second process (app/engine_process.py) while the loop serves acks
    and the sender. A child that fails as a whole fails the batch's inputs (the retry path), nothing else."""
    scripts = {p.item.id: deps.service.cached_script(p.interview.script_version_id) for p in prep.planned}
    todo = [p for p in prep.planned if scripts[p.item.id] is not None]  # the rest: the one-by-one path
    jobs = [(p.interview, p.interview.script_version_id, p.inp, p.source, now) for p in todo]
    try:
        got = await deps.engine.decide(jobs)
    except EngineNotReady:  # the child went away while this batch waited for it: decide here, as at start-up
        await _decide_here(deps, prep, now)
        return
    except EngineDown as exc:
        log.warning("the engine process failed on a batch of %s (%s); its inputs go to the retry path",
                    len(todo), exc)
        got = [exc] * len(todo)
    for p, d in zip(todo, got, strict=True):
        if isinstance(d, Exception):
            log.debug("inbox %s failed in the batch: %s", p.item.id, d)
            prep.failed[p.item.id] = d
            prep.planned.remove(p)
        elif all(isinstance(op, AnswerOp) for op in d.ops):  # else going back: the one-by-one path
            p.step = Stepped(p.interview, cast(Script, scripts[p.item.id]), d)


def _to_slow(prep: Prepared) -> None:
    for p in [p for p in prep.planned if p.step is None]:  # the path for it is the one-by-one one
        prep.planned.remove(p)
        prep.slow.append(p.item.id)


def _render_some(prep: Prepared, some: list[Planned], summaries: dict[int, list[tuple[str, list[Any]]]]) -> None:
    for p in some:
        try:
            _render(p, summaries.get(p.interview.id) if _completed(p) else None)
        except Exception as exc:  # rendering failed on this input alone
            log.debug("inbox %s failed in the batch", p.item.id, exc_info=True)
            prep.failed[p.item.id] = exc
            prep.planned.remove(p)


def _write(planned: list[Planned], claim: list[int], now: datetime, lease: datetime, dialect: str,
           conn: Connection) -> tuple[set[int], list[Any]]:
    """The batch's writes, back to back: the rows' done marks, answers, codings, interviews, reply rows, and the
    claim of the rows that go one by one. Returns the ids marked done and the claimed rows."""
    done_ids: set[int] = set()
    if planned:
        done_ids = set(conn.execute(
            update(INBOX).where(INBOX.c.id.in_([p.item.id for p in planned]), claimable(now))
            .values(status=DONE, attempts=INBOX.c.attempts + 1, processed_at=now, last_error=None,
                    **INBOX_DONE_SCRUB).returning(INBOX.c.id)).scalars())
        kept = [p for p in planned if p.item.id in done_ids]
        write(conn, [p.step for p in kept if p.step is not None])
        rows = [r for p in kept for r in p.rows]
        if rows:
            conn.execute(outbox.insert_many(dialect), rows)
    got: list[Any] = []
    if claim:
        got = list(conn.execute(
            update(INBOX).where(INBOX.c.id.in_(claim), claimable(now))
            .values(status=WORKING, attempts=INBOX.c.attempts + 1, processed_at=lease)
            .returning(INBOX.c.id, INBOX.c.key, INBOX.c.kind, INBOX.c.slack_user_id, INBOX.c.payload,
                       INBOX.c.attempts)).all())
    return done_ids, got


def _read_items(conn: Connection, ids: list[int]) -> list[Item]:
    c = INBOX.c
    rows = conn.execute(select(c.id, c.key, c.kind, c.slack_user_id, c.payload, c.attempts)
                              .where(c.id.in_(ids), c.status.in_((PENDING, WORKING))).order_by(c.id))
    return [Item(r.id, r.key, r.kind, r.slack_user_id, r.payload, r.attempts + 1) for r in rows]


def _plan(deps: Deps, conn: Connection, items: list[Item]) -> tuple[list[Planned], list[int]]:
    """Route each row to its interview and input as the processors would; rows that need more go one by one."""
    slow: list[int] = []
    dms: list[tuple[Item, str]] = []
    clicks: list[tuple[Item, Any]] = []
    for it in items:
        if it.kind == "message":
            ev = it.payload.get("event") or {}
            text = answer_text(str(ev.get("text") or ""))
            # A reply in a thread may belong to an earlier question (bot/threads.py): the processor decides.
            if ev.get("files") or not it.user or privacy_intent(text) is not None or thread_root(ev):
                slow.append(it.id)
            else:
                dms.append((it, text))
        else:
            a = (it.payload.get("actions") or [{}])[0]
            click = click_listener.parse_click(it.payload)
            block = str(a.get("block_id") or "")
            choice = click is not None and click.action in (actions.ACTION_CHOICE, actions.ACTION_SUBMIT) and \
                bool(click.values) and block.startswith("q:")
            # Start (or Resume) on the invitation: the engine's Start, the invitation tidied as the processor does.
            start = click is not None and click.action in START_ACTIONS and block.startswith("invite.")
            if (choice or start) and it.user:
                clicks.append((it, click))
            else:
                slow.append(it.id)
    planned: list[Planned] = []
    if dms:
        routes = _routes(conn, [it.user or "" for it, _ in dms])
        for it, text in dms:
            iv = routes.get(it.user or "")
            if iv is None:
                slow.append(it.id)  # nobody we know, opted out, an interviewer, or after the interview
            elif iv.status == "invited":
                if not starts_interview(text):
                    slow.append(it.id)
                else:
                    planned.append(Planned(it, iv, Start(), None))
            else:
                planned.append(Planned(it, iv, Reply(text), it.key))
    if clicks:
        ivs = {r.id: r for r in conn.execute(
            select(IV, Identity.slack_user_id.label("respondent")).outerjoin(
                Identity, Identity.participant_id == IV.c.participant_id)
            .where(IV.c.id.in_([c.interview_id for _, c in clicks])))}
        for it, click in clicks:
            iv = ivs.get(click.interview_id)
            if iv is None or iv.mode == "assisted" or iv.respondent != it.user:
                slow.append(it.id)  # refused, or an assisted interview: the processor answers it
            elif click.action in START_ACTIONS:
                planned.append(Planned(it, iv, Start(), None, click_listener.PRIVATE, click))
            else:
                planned.append(Planned(it, iv, Choose(click.question_id, click.values), it.key,
                                       click_listener.PRIVATE, click))
    keys = [p.source for p in planned if p.source]
    if keys:
        seen = set((conn.execute(select(Answer.source_event_id)
                                       .where(Answer.source_event_id.in_(keys)))).scalars())
        for p in [p for p in planned if p.source in seen]:
            planned.remove(p)
            slow.append(p.item.id)  # a redelivery after a crash: the processor says "duplicate"
    load_scripts(deps.service, conn, {p.interview.script_version_id for p in planned})
    return planned, slow


def _routes(conn: Connection, users: list[str]) -> dict[str, Any]:
    """route_dm for many people at once, for the cases the batch covers: a person we know, not opted out, not
    running an assisted interview, with an interview of their own in progress, paused or invited."""
    other = IV.alias("assisted")
    assisting = exists().where(other.c.interviewer_slack_id == Identity.slack_user_id, other.c.mode == "assisted",
                               other.c.status == "in_progress")
    rows = conn.execute(
        select(IV, Identity.slack_user_id.label("who"), Participant.opted_out, assisting.label("assisting"))
        .select_from(Identity).join(Participant, Participant.id == Identity.participant_id)
        .outerjoin(IV, and_(IV.c.participant_id == Participant.id, IV.c.status.in_(ROUTED), IV.c.mode != "assisted"))
        .where(Identity.slack_user_id.in_(set(users))).order_by(IV.c.last_activity_at.desc()))
    found: dict[str, list[Any]] = {}
    for r in rows:
        found.setdefault(r.who, []).append(r)
    out: dict[str, Any] = {}
    for user, rs in found.items():
        if any(r.opted_out or r.assisting for r in rs):
            continue
        for status in ROUTED:
            hit = next((r for r in rs if r.id is not None and r.status == status), None)
            if hit is not None:
                out[user] = hit
                break
    return out


def _decide(deps: Deps, p: Planned, now: datetime) -> None:
    """Run the engine; leaves `p.step` None when the input needs the one-by-one path."""
    iv = p.interview
    script = deps.service.cached_script(iv.script_version_id)
    if script is None:
        return
    d = deps.service.decide(iv, script, p.inp, p.source, now)
    if any(not isinstance(op, AnswerOp) for op in d.ops):
        return  # going back (supersedes answers): the one-by-one path
    p.step = Stepped(iv, script, d)


def _completed(p: Planned) -> bool:
    return p.step is not None and any(isinstance(e, Completed) for e in p.step.decision.events)


def _summaries(conn: Connection, planned: list[Planned]) -> dict[int, list[tuple[str, list[Any]]]]:
    """The closing summary of each interview this batch completes: its stored answers (one SELECT for all of
    them, before the write lock) plus the ones this input adds, as bot.conversation.summary_of gives them."""
    done = [p for p in planned if _completed(p)]
    if not done:
        return {}
    ids = [p.interview.id for p in done]
    by_iv: dict[int, list[Any]] = {i: [] for i in ids}
    rows = conn.execute(select(Answer.interview_id, Answer.question_id, Answer.text, Answer.decision,
                                     Answer.step, Answer.lang)
                              .where(Answer.interview_id.in_(ids), Answer.superseded.is_(False)).order_by(Answer.id))
    for r in rows:
        by_iv[r.interview_id].append(r)
    out: dict[int, list[tuple[str, list[Any]]]] = {}
    for p in done:
        assert p.step is not None
        answers = by_iv[p.interview.id] + [SimpleNamespace(**op.values) for op in p.step.decision.ops
                                           if isinstance(op, AnswerOp) and op.values["interview_id"] is not None]
        by_q: dict[str, list[Any]] = {}
        for a in answers:
            by_q.setdefault(a.question_id, []).append(a)
        out[p.interview.id] = [(q.text, by_q[q.id]) for q in p.step.script.questions if q.id in by_q]
    return out


def _render(p: Planned, summary: list[tuple[str, list[Any]]] | None) -> None:
    """The reply rows, as bot.conversation.queue_reply (and the click's extras) would queue them."""
    assert p.step is not None
    iv, script, d = p.interview, p.step.script, p.step.decision
    events = [e for e in d.events if not (isinstance(e, Rejected) and e.why in p.private)]
    completed = summary is not None
    msgs = render.outcome_messages(iv.id, events, script.lang, outro=script.outro if completed else None,
                                   summary=summary or [])
    user = p.item.user or ""
    p.rows = [outbox.post_row(f"reply:{p.item.key}:{i}", user, m) for i, m in enumerate(msgs)]
    if p.click is not None:
        p.rows.extend(_click_rows(p, d.events, script, iv.lang))


def _click_rows(p: Planned, events: list[Any], script: Any, lang: str) -> list[dict[str, Any]]:
    """What bot.listeners.actions adds after a choice click: a private word on a stale click, and the clicked
    message without its buttons."""
    rows: list[dict[str, Any]] = []
    payload = p.item.payload
    response_url = payload.get("response_url")
    stale = next((e for e in events if isinstance(e, Rejected) and e.why in p.private), None)
    if stale is not None and response_url:
        rows.append(outbox.respond_row(f"eph:{p.item.key}", response_url, render.rejection_text(stale, lang),
                                       user=p.item.user))
    container = payload.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if not (channel and ts):
        return rows
    answered = next((e for e in events if isinstance(e, Answered)), None)
    if answered is not None and p.click.question_id:
        qtext = script.question(p.click.question_id).text
        rows.append(outbox.update_row(f"upd:{p.item.key}", channel, ts, render.answered(qtext, answered.text, lang)))
    elif p.click.action in START_ACTIONS and any(isinstance(e, Started) for e in events):
        # The invitation keeps no Start button to press twice (bot/listeners/actions.py does the same).
        rows.append(outbox.update_row(f"upd:{p.item.key}", channel, ts, render.invitation(
            p.interview.id, script, note=say(lang, "invite.started"))))
    return rows


PATH = BatchPath(batchable, run_batch)  # what `cna serve` hands the Worker
