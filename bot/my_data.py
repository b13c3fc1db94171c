""""my data" in Slack: a short summary in the person's language, and the complete record as one file in their DM."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from app import blocks as bk
from app.blocks import Message
from bot.deps import Deps
from storage.models import Workspace
from storage.privacy_export import count_answers

log = logging.getLogger("cna.slack.my_data")

STATUS = {
    "en": {"invited": "not started", "in_progress": "in progress", "paused": "paused", "completed": "completed",
           "declined": "declined", "expired": "ended when the round closed", "draft": "not sent yet"},
    "zh": {"invited": "尚未开始", "in_progress": "进行中", "paused": "已暂停", "completed": "已完成",
           "declined": "已谢绝", "expired": "轮次结束时中止", "draft": "尚未发出"},
}
TEXT = {
    "en": {
        "head": "*What this bot holds about you* (since {since}):",
        "interview": "• “{title}” ({round}): {status}, {answers} answer(s)",
        "addenda": ", {n} added afterwards",
        "who": ("• Who sees it: the CNA leads and reviewers read your answers under the pseudonym *{pseudonym}*, "
                "never with your name; reports group answers by role or customer segment. Your Slack id and name "
                "are kept apart from the answers, only to send you these messages."),
        "anonymous": "• Answers to anonymous questions are not linked to you, so they are not in this record.",
        "file": "The complete record is the attached file (JSON). Type *delete my data* to have it erased.",
        "no_file": ("I could not attach the complete record here; the CNA team will send you the file. Type "
                    "*delete my data* to have it erased."),
        "none": ("This bot holds no interview data linked to you. Answers to anonymous questions are not linked "
                 "to anyone, so they cannot be listed."),
        "title": "Everything the CNA bot holds about you",
    },
    "zh": {
        "head": "*本机器人保存的与您有关的数据*（自 {since} 起）：",
        "interview": "• “{title}”（{round}）：{status}，{answers} 条回答",
        "addenda": "，其中 {n} 条为事后补充",
        "who": ("• 谁能看到：CNA 负责人和审阅人以化名 *{pseudonym}* 查看您的回答，看不到您的姓名；"
                "报告按角色或客户类别汇总。您的 Slack 账号和姓名与回答分开保存，仅用于给您发消息。"),
        "anonymous": "• 匿名问题的回答不与您关联，因此不在这份记录中。",
        "file": "完整记录见附件（JSON 文件）。输入 *删除我的数据* 可申请删除。",
        "no_file": "这里无法附上完整记录，CNA 团队会把文件发给您。输入 *删除我的数据* 可申请删除。",
        "none": "本机器人没有保存与您关联的访谈数据。匿名问题的回答不与任何人关联，因此无法列出。",
        "title": "CNA 机器人保存的您的全部数据",
    },
}


def _t(lang: str, key: str, **kw: Any) -> str:
    return TEXT.get(lang, TEXT["en"])[key].format(**kw)


def summary_lines(doc: dict[str, Any], lang: str) -> list[str]:
    """What is held, since when and who sees it, in a few lines (never the record itself)."""
    if not doc.get("found"):
        return [_t(lang, "none")]
    ivs = doc.get("interviews") or []
    dates = [str(iv.get("invited_at") or "")[:10] for iv in ivs if iv.get("invited_at")]
    since = min(dates) if dates else str((doc.get("participant") or {}).get("created_at") or "")[:10]
    lines = [_t(lang, "head", since=since or "-")]
    for iv in ivs:
        steps = [st for lad in iv.get("ladders") or [] for st in lad.get("steps") or []]
        added = sum(1 for lad in iv.get("ladders") or [] if lad.get("question_id") == "_addendum")
        line = _t(lang, "interview", title=bk.escape(str(iv.get("script_title") or iv.get("script_id"))),
                  round=bk.escape(str((iv.get("round") or {}).get("name") or "-")),
                  status=STATUS.get(lang, STATUS["en"]).get(str(iv.get("status")), str(iv.get("status"))),
                  answers=len(steps))
        lines.append(line + (_t(lang, "addenda", n=added) if added else ""))
    lines.append(_t(lang, "who", pseudonym=(doc.get("participant") or {}).get("pseudonym", "-")))
    lines.append(_t(lang, "anonymous"))
    return lines


def filename(doc: dict[str, Any]) -> str:
    return f"cna-my-data-{str(doc.get('generated_at') or '')[:10] or 'export'}.json"


async def upload(deps: Deps, user: str, doc: dict[str, Any], lang: str) -> bool:
    """Put the summary and the whole record (one JSON file) in the person's DM. False when it could not go
    (sending halted, the upload refused): the caller then sends the summary alone."""
    lines = summary_lines(doc, lang)
    async with deps.db.uow() as uow:
        ws = await uow.session.get(Workspace, deps.identity.team_id)
        if ws is not None and ws.halted_reason:
            return False
    content = json.dumps(doc, ensure_ascii=False, indent=2)
    try:
        dm = await deps.sender_client.conversations_open(users=user)
        await deps.sender_client.files_upload_v2(
            channel=dm["channel"]["id"], content=content, filename=filename(doc), title=_t(lang, "title"),
            initial_comment="\n".join([*lines, _t(lang, "file")]))
    except SlackApiError as exc:
        log.warning("my-data upload failed: %s", exc.response.get("error"))
        return False
    except Exception as exc:  # Slack unreachable: the summary still goes out through the outbox
        log.warning("my-data upload failed (%s)", type(exc).__name__)
        return False
    log.info("uploaded a subject-access file (%s answers)", count_answers(doc))
    return True


def summary_message(doc: dict[str, Any], lang: str, *, with_file: bool) -> Message:
    """The summary as a DM, for when the file could not be attached (or there is nothing to attach)."""
    lines = summary_lines(doc, lang)
    if doc.get("found"):
        lines.append(_t(lang, "file" if with_file else "no_file"))
    text = "\n".join(lines)
    return Message(text, bk.section(text))
