"""DMs to the bot: answers, command words (skip, back, pause, help) and edits of earlier answers."""

from __future__ import annotations

import logging

from app.phrases import say
from bot import privacy_dm
from bot.conversation import apply, note, route_dm, unescape, user_lang
from bot.deps import Deps
from bot.worker import Item
from core.commands import parse_command
from core.inputs import Input, Reply, Start

log = logging.getLogger("cna.slack.messages")


async def on_message(deps: Deps, item: Item) -> None:
    """A DM: the answer to the current question (or a command word) of the interview it belongs to."""
    user = item.user or ""
    text = unescape(str((item.payload.get("event") or {}).get("text") or ""))
    if await privacy_dm.handle_dm(deps, item, text):
        return  # "my data" / "delete my data": answered by the privacy module
    async with deps.db.uow() as uow:
        iv = await route_dm(uow.session, user)
        lang = iv.lang if iv is not None else await user_lang(uow.session, user)
    if iv is None:
        await note(deps, item, user, say(lang, "no_interview"))
        return
    inp: Input
    if iv.status == "invited":
        # Consent comes first: only an explicit start word (or the Start button) begins the interview.
        if parse_command(text) != "resume":
            await note(deps, item, user, say(lang, "start_first"))
            return
        inp = Start()
    else:
        inp = Reply(text)
    await apply(deps, item, iv.id, inp)


async def on_message_changed(deps: Deps, item: Item) -> None:
    """The person edited a message that carried an answer: the stored answer follows the edit."""
    ev = item.payload.get("event") or {}
    msg = ev.get("message") or {}
    original = f"msg:{ev.get('channel')}:{msg.get('ts')}"
    changed = await deps.service.edit_answer(original, unescape(str(msg.get("text") or "")))
    if not changed:
        return  # an edited greeting or command word: nothing to update, nothing to say
    async with deps.db.uow() as uow:
        lang = await user_lang(uow.session, item.user or "")
    await note(deps, item, item.user or "", say(lang, "edited"))
