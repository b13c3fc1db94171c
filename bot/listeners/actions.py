"""Button and menu clicks: Start / Later / Decline, choice buttons, selects, checkbox submits, App Home."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app import actions, outbox
from app.interviews import Outcome
from app.phrases import say
from bot import render
from bot.conversation import apply, may_act, recipient
from bot.deps import Deps
from bot.listeners.commands import close_clicked
from bot.worker import Item
from core.events import Answered, Rejected, Started
from core.inputs import Choose, Decline, Input, Reconsider, Start
from storage.models import Assessment, Interview, Participant

log = logging.getLogger("cna.slack.actions")
# A click on an old or finished question is answered privately (ephemeral), not with another DM.
PRIVATE = frozenset({"stale", "finished"})


@dataclass
class Click:
    action: str
    interview_id: int
    question_id: str | None = None
    values: tuple[str, ...] = ()
    phrase: str | None = None


def parse_click(payload: dict[str, Any]) -> Click | None:
    """What was clicked, from opaque ids in the value / block_id. None for anything malformed."""
    a = (payload.get("actions") or [{}])[0]
    aid = str(a.get("action_id") or "")
    value = str(a.get("value") or "")
    try:
        if aid in (actions.ACTION_START, actions.ACTION_RESUME, actions.ACTION_DECLINE, actions.ACTION_RECONSIDER):
            return Click(aid, int(value))
        if aid == actions.ACTION_DISCARD:
            iid, answer = value.split(":")
            return Click(aid, int(iid), values=(str(int(answer)),))
        if aid == actions.ACTION_SNOOZE:
            iid, _, phrase = value.partition("|")
            return Click(aid, int(iid), phrase=phrase[:40] or None)
        if aid.startswith(actions.ACTION_CHOICE + "."):
            iid, qid, cid = value.split(":")
            return Click(actions.ACTION_CHOICE, int(iid), qid, (cid,))
        if aid == actions.ACTION_SELECT:
            _, iid, qid = str(a.get("block_id") or "").split(":")
            cid = str((a.get("selected_option") or {}).get("value") or "")
            return Click(actions.ACTION_CHOICE, int(iid), qid, (cid,) if cid else ())
        if aid == actions.ACTION_SUBMIT:
            iid, qid = value.split(":")
            return Click(aid, int(iid), qid, _checked(payload, f"q:{iid}:{qid}"))
    except ValueError:
        return None
    return None


def _checked(payload: dict[str, Any], block_id: str) -> tuple[str, ...]:
    """The ticked boxes (or multi-select picks) of a question, from the message's state on submit."""
    values = (payload.get("state") or {}).get("values") or {}
    state = (values.get(block_id) or {}).get(actions.ACTION_MULTI) or {}
    return tuple(str(o.get("value")) for o in state.get("selected_options") or [] if o.get("value"))


async def on_block_actions(deps: Deps, item: Item) -> None:
    payload = item.payload
    user = item.user or ""
    aid = str(((payload.get("actions") or [{}])[0]).get("action_id") or "")
    if aid == actions.ACTION_CLOSE_ROUND:
        await close_clicked(deps, item)
        return
    click = parse_click(payload)
    if click is None:
        return
    response_url = payload.get("response_url")
    async with deps.db.uow() as uow:
        iv = await uow.session.get(Interview, click.interview_id)
        allowed = iv is not None and await may_act(uow.session, iv, user)
        lang = iv.lang if iv is not None else "en"
    if iv is None or not allowed:
        # A click on someone else's interview (a tampered value, a forwarded message): refuse, change nothing.
        log.warning("refused a click by %s on interview %s", user, click.interview_id)
        await _ephemeral(deps, item, response_url, say(lang, "not_yours"))
        return
    if click.action == actions.ACTION_SNOOZE:
        await _later(deps, item, iv, click, lang)
        return
    if click.action == actions.ACTION_DISCARD:
        await _discard(deps, item, iv, int(click.values[0]), lang)
        return
    if click.action == actions.ACTION_RECONSIDER:
        why = await _cannot_reconsider(deps, iv)
        if why is not None:
            await _ephemeral(deps, item, response_url, say(lang, why))
            return
    if click.action == actions.ACTION_SUBMIT and not click.values:
        await _ephemeral(deps, item, response_url, say(lang, "multi.none"))
        return
    inp: Input
    if click.action in (actions.ACTION_START, actions.ACTION_RESUME):
        inp = Start()
    elif click.action == actions.ACTION_DECLINE:
        inp = Decline()
    elif click.action == actions.ACTION_RECONSIDER:
        inp = Reconsider()
    else:
        assert click.question_id is not None
        inp = Choose(click.question_id, click.values)
    await apply(deps, item, iv.id, inp, extra=_after_click(deps, item, click, lang), private=PRIVATE)


def _after_click(deps: Deps, item: Item, click: Click, lang: str) -> Any:
    """Tidy the clicked message (no buttons left to press twice) and answer a stale click privately."""
    container = item.payload.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    block_id = str(((item.payload.get("actions") or [{}])[0]).get("block_id") or "")
    response_url = item.payload.get("response_url")

    async def extra(s: AsyncSession, iv: Interview, outcome: Outcome) -> None:
        events = outcome.events
        if any(isinstance(e, Rejected) and e.why in PRIVATE for e in events) and response_url:
            ev = next(e for e in events if isinstance(e, Rejected) and e.why in PRIVATE)
            await outbox.respond(s, f"eph:{item.key}", response_url, render.rejection_text(ev, lang), user=item.user)
        if not (channel and ts):
            return
        answered = next((e for e in events if isinstance(e, Answered)), None)
        if answered is not None and click.question_id:
            qtext = outcome.script.question(click.question_id).text
            await outbox.update(s, f"upd:{item.key}", channel, ts, render.answered(qtext, answered.text, lang))
        elif block_id.startswith("reconsider.") and outcome.status != "declined":
            # The way back was taken: the decline message keeps no button to press twice.
            await outbox.update(s, f"upd:{item.key}", channel, ts, render.plain(say(lang, "reconsider.done")))
        elif block_id.startswith("invite.") and (any(isinstance(e, Started) for e in events)
                                                 or outcome.status == "declined"):
            note = say(lang, "invite.started" if outcome.status != "declined" else "invite.declined")
            await outbox.update(s, f"upd:{item.key}", channel, ts, render.invitation(iv.id, outcome.script,
                                                                                        note=note))

    return extra


async def _cannot_reconsider(deps: Deps, iv: Interview) -> str | None:
    """Why "Changed my mind" cannot work now (a phrase key), or None: only a declined interview, in a round
    still open, by someone who has not asked to be erased, within RECONSIDER_DAYS of declining."""
    async with deps.db.uow() as uow:
        s = uow.session
        a = await s.get(Assessment, iv.assessment_id)
        p = await s.get(Participant, iv.participant_id)
    if iv.status != "declined":
        return "rejected.not_declined"
    if a is None or a.status != "open" or p is None or p.opted_out:
        return "reconsider.closed"
    if iv.ended_at is not None and deps.clock() - iv.ended_at > timedelta(days=render.RECONSIDER_DAYS):
        return "reconsider.expired"
    return None


async def _discard(deps: Deps, item: Item, iv: Interview, answer_id: int, lang: str) -> None:
    """"Don't keep it" on an afterthought's acknowledgement: the addendum is deleted, and the message says so."""
    gone = await deps.service.discard_note(iv.id, answer_id)
    container = item.payload.get("container") or {}
    text = say(lang, "addendum.discarded" if gone else "addendum.discard_gone")
    async with deps.db.uow() as uow:
        s = uow.session
        if container.get("channel_id") and container.get("message_ts"):
            await outbox.update(s, f"upd:{item.key}", container["channel_id"], container["message_ts"],
                                render.plain(text))
        else:
            await outbox.post(s, f"reply:{item.key}:0", recipient(iv, item.user or ""), render.plain(text))
        await item.mark_done(s, deps.clock())
        await uow.commit()
    deps.outbox_wake.set()


async def _later(deps: Deps, item: Item, iv: Interview, click: Click, lang: str) -> None:
    """'Later': hold nudges until the phrase's day (the scheduler's own rules), else until tomorrow."""
    until = None
    try:
        from app.schedule.job import snooze_for_text

        until = await snooze_for_text(deps.db, iv.id, click.phrase or "tomorrow", deps.clock())
    except ImportError:  # pragma: no cover - the scheduler ships with the bot; kept for partial installs
        until = None
    async with deps.db.uow() as uow:
        s = uow.session
        if until is None:
            # Core UPDATE: leaves the interview's version alone, so it cannot clash with an answer in flight.
            await s.execute(update(Interview).where(Interview.id == iv.id)
                            .values(snoozed_until=deps.clock() + timedelta(days=1)))
        await outbox.post(s, f"reply:{item.key}:0", recipient(iv, item.user or ""), render.plain(say(lang, "later")))
        container = item.payload.get("container") or {}
        if container.get("channel_id") and container.get("message_ts") and iv.status == "invited":
            from bot.listeners.home import script_of

            script = await script_of(deps, s, iv)
            await outbox.update(s, f"upd:{item.key}", container["channel_id"], container["message_ts"],
                                render.invitation(iv.id, script, note=say(lang, "invite.later")))
        await item.mark_done(s, deps.clock())
        await uow.commit()
    deps.outbox_wake.set()


async def _ephemeral(deps: Deps, item: Item, response_url: str | None, text: str) -> None:
    async with deps.db.uow() as uow:
        if response_url:
            await outbox.respond(uow.session, f"eph:{item.key}", response_url, text, user=item.user)
        await item.mark_done(uow.session, deps.clock())
        await uow.commit()
    deps.outbox_wake.set()
