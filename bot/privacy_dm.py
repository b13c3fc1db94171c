"""Privacy in Slack: "my data" / "delete my data" DMs from respondents, and `/cna erase-confirm` for leads."""

from __future__ import annotations

import json
from typing import Any

from app import blocks as bk
from app import outbox
from app.blocks import Message
from bot.alerts import alert_leads, leads_of
from bot.conversation import user_lang
from bot.deps import Deps
from bot.worker import Item
from core.commands import normalise
from storage.privacy import erase_person, export_for_slack_user, request_erasure
from storage.privacy_export import count_answers

EXPORT_WORDS = frozenset({"my data", "export my data", "show my data", "send my data", "download my data",
                          "我的数据", "导出我的数据", "查看我的数据"})
ERASE_WORDS = frozenset({"delete my data", "erase my data", "remove my data", "forget me",
                         "删除我的数据", "清除我的数据", "删除我的资料"})
CHUNK = 2900  # characters of JSON per section (Slack allows 3,000 per section text)
SECTIONS_PER_MESSAGE = 10
MAX_MESSAGES = 6  # about 170,000 characters; beyond that the leads send the file (cna privacy export)

TEXT = {
    "en": {
        "export.head": ("Here is everything this bot holds about you, as JSON ({parts} part(s)); {answers} answer(s). "
                        "Answers to anonymous questions are not linked to you, so they are not in it. "
                        "Type *delete my data* to have it erased."),
        "export.none": ("This bot holds no interview data linked to you. Answers to anonymous questions are not "
                        "linked to anyone, so they cannot be listed."),
        "export.cut": ("That was the first part only; it is too long for Slack. The CNA team will send you the "
                       "complete file."),
        "erase.new": ("Your request is recorded. The CNA team will erase your interview data by {due} and you will "
                      "not be reminded again. Answers to anonymous questions are not linked to you and stay."),
        "erase.again": "Your request from earlier is still open; the CNA team will erase your data by {due}.",
        "erase.none": "This bot holds no interview data linked to you, so there is nothing to erase.",
    },
    "zh": {
        "export.head": ("以下是本机器人保存的与您有关的全部数据（JSON，共 {parts} 部分），含 {answers} 条回答。"
                        "匿名问题的回答不与您关联，因此不在其中。输入 *删除我的数据* 可申请删除。"),
        "export.none": "本机器人没有保存与您关联的访谈数据。匿名问题的回答不与任何人关联，因此无法列出。",
        "export.cut": "以上只是第一部分，内容超出 Slack 的长度限制。CNA 团队会把完整文件发给您。",
        "erase.new": ("已收到您的申请。CNA 团队会在 {due} 之前删除您的访谈数据，之后不会再提醒您。"
                      "匿名问题的回答不与您关联，会保留。"),
        "erase.again": "您之前的申请仍在处理中，CNA 团队会在 {due} 之前删除您的数据。",
        "erase.none": "本机器人没有保存与您关联的访谈数据，无需删除。",
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


def export_messages(doc: dict[str, Any], lang: str) -> list[Message]:
    """The export as DMs: a note, then the JSON in code blocks, within Slack's section and block limits."""
    if not doc.get("found"):
        return [Message(_t(lang, "export.none"), bk.section(_t(lang, "export.none")))]
    pieces = _chunks(bk.escape(json.dumps(doc, ensure_ascii=False, indent=1)), CHUNK)
    groups = [pieces[i:i + SECTIONS_PER_MESSAGE] for i in range(0, len(pieces), SECTIONS_PER_MESSAGE)]
    cut = len(groups) > MAX_MESSAGES
    groups = groups[:MAX_MESSAGES]
    head = _t(lang, "export.head", parts=len(groups), answers=count_answers(doc))
    out = [Message(head, bk.section(head))]
    for n, group in enumerate(groups, 1):
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": f"```{p}```"}} for p in group]
        out.append(Message(f"({n}/{len(groups)})", blocks))
    if cut:
        out.append(Message(_t(lang, "export.cut"), bk.section(_t(lang, "export.cut"))))
    return out


def _chunks(text: str, limit: int) -> list[str]:
    """Cut text into pieces of at most `limit` without losing a character (joined, they are the JSON again) and
    without cutting an escape such as "&amp;" in half."""
    out = []
    while text:
        cut = min(limit, len(text))
        amp = text.rfind("&", max(0, cut - 5), cut)
        if cut < len(text) and amp > 0 and ";" not in text[amp:cut]:
            cut = amp
        out.append(text[:cut])
        text = text[cut:]
    return out


async def handle_dm(deps: Deps, item: Item, text: str) -> bool:
    """Answer a "my data" or "delete my data" DM (and mark the inbox row done); False for any other text."""
    intent = privacy_intent(text)
    if intent is None:
        return False
    user = item.user or ""
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        lang = "zh"  # asked in Chinese: answer in Chinese, even someone we do not know
    else:
        async with deps.db.uow() as uow:
            lang = await user_lang(uow.session, user)
    if intent == "export":
        doc = await export_for_slack_user(deps.db, user, deps.clock())
        msgs = export_messages(doc, lang)
        async with deps.db.uow() as uow:
            await outbox.post_many(uow.session, f"privacy:{item.key}", user, msgs, user=user)
            if len(msgs) > 1 and msgs[-1].text == _t(lang, "export.cut") and doc.get("participant"):
                pseudonym = doc["participant"]["pseudonym"]
                await alert_leads(uow.session, deps.settings.leads, f"export:{pseudonym}",
                                  f"{pseudonym} asked for their data and it is too long for Slack: send them "
                                  f"the file from `cna privacy export --participant {pseudonym}`.")
            await item.mark_done(uow.session, deps.clock())
            await uow.commit()
    else:
        req = await request_erasure(deps.db, user, deps.clock())
        key = "erase.none" if not req.found else "erase.new" if req.new else "erase.again"
        reply = _t(lang, key, due=req.due_by or "")
        async with deps.db.uow() as uow:
            await outbox.post(uow.session, f"privacy:{item.key}:0", user, Message(reply, bk.section(reply)),
                              user=user)
            if req.new and req.pseudonym:
                await alert_leads(uow.session, deps.settings.leads, f"erase:{req.pseudonym}",
                                  f"Respondent {req.pseudonym} asked for their data to be erased. Erase by "
                                  f"{req.due_by} (one month at most): `/cna erase-confirm {req.pseudonym}` or "
                                  f"`cna privacy erase --participant {req.pseudonym}`.")
            await item.mark_done(uow.session, deps.clock())
            await uow.commit()
    deps.outbox_wake.set()
    return True


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
    result = await erase_person(deps.db, pseudonym=pseudonym, actor=f"slack:{actor}", now=deps.clock())
    # The reply does not repeat the pseudonym: it is stored in the outbox, and nothing may name them any more.
    if result.nothing_left:
        return "Nothing was left to erase for that pseudonym."
    counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in result.counts.items())
    extra = (f" Still mentioned in: {', '.join(f'{m.table}.{m.column}' for m in result.residue)}; check those by "
             "hand." if result.residue else "")
    return f"Erased: {counts}. The audit log records it (without content).{extra}"
