"""Privacy in Slack: "my data" / "delete my data" DMs from respondents, and `/cna erase-confirm` for leads."""

from __future__ import annotations

from typing import Any

from app import blocks as bk
from app import outbox
from app.blocks import Message
from app.erasure import erase_and_notify
from bot import my_data
from bot.alerts import alert_leads, leads_of
from bot.conversation import current_question, recipient, route_dm, user_lang
from bot.deps import Deps
from bot.worker import Item
from core.commands import normalise
from core.lang import detect_lang
from storage.privacy import export_for_slack_user, record_erasure_request

EXPORT_WORDS = frozenset({"my data", "export my data", "show my data", "send my data", "download my data",
                          "我的数据", "导出我的数据", "查看我的数据"})
ERASE_WORDS = frozenset({"delete my data", "erase my data", "remove my data", "forget me",
                         "删除我的数据", "清除我的数据", "删除我的资料"})
TEXT = {
    "en": {
        "erase.new": ("Your request is recorded and your interview has stopped: nothing you write from now on is "
                      "stored, and you will not be reminded again. A CNA lead carries out each erasure after "
                      "checking it; yours will be done by {due}, and I'll tell you here when it is. Answers to "
                      "anonymous questions are not linked to you and stay."),
        "erase.again": ("Your request from earlier is still open; a CNA lead will erase your data by {due}, and I'll "
                        "tell you here when it is done."),
        "erase.none": "This bot holds no interview data linked to you, so there is nothing to erase.",
        "export.cut": "The CNA team will send you the complete file.",
    },
    "zh": {
        "erase.new": ("已收到您的申请，您的访谈已停止：从现在起您写的内容都不会保存，也不会再提醒您。"
                      "CNA 负责人会在核实后执行删除，最晚 {due} 完成，完成后我会在这里告诉您。"
                      "匿名问题的回答不与您关联，会保留。"),
        "erase.again": "您之前的申请仍在处理中，CNA 负责人会在 {due} 之前删除您的数据，完成后我会在这里告诉您。",
        "erase.none": "本机器人没有保存与您关联的访谈数据，无需删除。",
        "export.cut": "CNA 团队会把完整文件发给您。",
    },
}


def privacy_intent(text: str) -> str | None:
    """"export" or "erase" when the whole message is one of the request phrases, else None (an answer)."""
    word = " ".join(normalise(text).split())
    if word in EXPORT_WORDS:
        return "export"
    if word in ERASE_WORDS:
        return "erase"
    return None


def _t(lang: str, key: str, **kw: Any) -> str:
    return TEXT.get(lang, TEXT["en"])[key].format(**kw)


async def handle_dm(deps: Deps, item: Item, text: str) -> bool:
    """Answer a "my data" or "delete my data" DM (and mark the inbox row done); False for any other text."""
    intent = privacy_intent(text)
    if intent is None:
        return False
    user = item.user or ""
    async with deps.db.uow() as uow:
        # Asked in Chinese: answer in Chinese, even someone we do not know.
        lang = "zh" if detect_lang(text) == "zh" else await user_lang(uow.session, user, text)
    if intent == "export":
        await _export(deps, item, user, lang)
    else:
        await _erase_request(deps, item, user, lang)
    deps.outbox_wake.set()
    return True


async def _export(deps: Deps, item: Item, user: str, lang: str) -> None:
    """A short summary and the record as one file; then the question the person was on, so they can go on."""
    doc = await export_for_slack_user(deps.db, user, deps.clock())
    uploaded = bool(doc.get("found")) and await my_data.upload(deps, user, doc, lang)
    async with deps.db.uow() as uow:
        s = uow.session
        if not uploaded:
            await outbox.post(s, f"privacy:{item.key}:0", user, my_data.summary_message(
                doc, lang, with_file=False), user=user)
            if doc.get("found") and doc.get("participant"):
                pseudonym = doc["participant"]["pseudonym"]
                await alert_leads(s, deps.settings.leads, f"export:{pseudonym}",
                                  f"{pseudonym} asked for their data and the file could not be attached in Slack: "
                                  f"send them the file from `cna privacy export --participant {pseudonym}`.")
        iv = await route_dm(s, user)
        if iv is not None:
            again = current_question(iv, await deps.service.script_for(s, iv))
            if again is not None:
                await outbox.post(s, f"privacy:{item.key}:q", recipient(iv, user), again, user=user)
        await item.mark_done(s, deps.clock())
        await uow.commit()


async def _erase_request(deps: Deps, item: Item, user: str, lang: str) -> None:
    """The request, the end of their interviews, the reply and the leads' alert: one transaction."""
    async with deps.db.uow() as uow:
        s = uow.session
        req = await record_erasure_request(s, user, deps.clock())
        key = "erase.none" if not req.found else "erase.new" if req.new else "erase.again"
        reply = _t(lang, key, due=req.due_by or "")
        await outbox.post(s, f"privacy:{item.key}:0", user, Message(reply, bk.section(reply)), user=user)
        if req.new and req.pseudonym:
            stopped = f" Their {req.stopped} running interview(s) stopped." if req.stopped else ""
            await alert_leads(s, deps.settings.leads, f"erase:{req.pseudonym}",
                              f"Respondent {req.pseudonym} asked for their data to be erased.{stopped} Erase by "
                              f"{req.due_by} (one month at most): `/cna erase-confirm {req.pseudonym}` or "
                              f"`cna privacy erase --participant {req.pseudonym}`. They are told when it is done.")
        await item.mark_done(s, deps.clock())
        await uow.commit()


async def erase_confirm(deps: Deps, args: str, actor: str) -> str:
    """`/cna erase-confirm PSEUDONYM` (leads only): erase the person now; the answer says what went."""
    async with deps.db.uow() as uow:
        # Checked here as well as by the command router: erasing someone is not to hinge on one list elsewhere.
        if actor not in await leads_of(uow.session, deps.settings.leads):
            return "Sorry, `/cna erase-confirm` is for the CNA leads only. Nothing was changed."
    words = args.split()
    if len(words) != 1 or not words[0].upper().startswith("P-"):
        return "Usage: `/cna erase-confirm P-1A2B3C4D` (the pseudonym from the erasure request)."
    pseudonym = words[0].upper()
    result = await erase_and_notify(deps.db, pseudonym=pseudonym, actor=f"slack:{actor}", now=deps.clock())
    deps.outbox_wake.set()  # the person's "it is done", if they asked in Slack
    # The reply does not repeat the pseudonym: it is stored in the outbox, and nothing may name them any more.
    if result.nothing_left:
        return "Nothing was left to erase for that pseudonym."
    counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in result.counts.items())
    extra = (f" Still mentioned in: {', '.join(f'{m.table}.{m.column}' for m in result.residue)}; check those by "
             "hand." if result.residue else "")
    return f"Erased: {counts}. The audit log records it (without content).{extra}"
