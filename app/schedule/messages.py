"""What the scheduler says in Slack (lead reminders, draft rounds, invitations, nudges), in en and zh."""

from __future__ import annotations

from datetime import date
from typing import Any

# The Slack listeners own the action ids; a snooze button's value is "<interview id>|<phrase>", which
# app.schedule.job.snooze_for_text reads in the person's own zone.
from app import blocks as bk
from app.actions import ACTION_DECLINE, ACTION_RESUME, ACTION_SNOOZE, ACTION_START
from app.blocks import Message
from app.phrases import say
from core.script import Script

SECTION_MAX = 3000  # Slack's limit for a section's text
TEXT_MAX = 4000

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "reminder": ("Heads-up: round {next_round} of the CRM needs assessment *{name}* is due on "
                     "*{due}* ({when}). On that day I will prepare it as a draft that copies round {round}'s "
                     "scripts, participants and team, for you to review and launch."),
        "reminder.hint": "To change the interval or the reminders: `cna schedule config {id}`.",
        "in_days": "in {n} days", "in_1_day": "tomorrow", "today": "today", "ago": "{n} days ago",
        "draft": ("Round {round} of *{name}* is ready as a draft (assessment {id}), copied from round "
                  "{prev}: {scripts} scripts, {people} participants, {team} team members. Nobody has been "
                  "invited yet."),
        "draft.hint": ("Review it with `cna round show {id}`, then launch it with `cna round launch {id}` "
                       "(e.g. `--waves internal,customer` to interview internal roles first, or "
                       "`--per-day 20`)."),
        "later.phrase": "next week",
        "nudge": ("Hi again! Your interview *{title}* is still waiting for you{progress}. It takes about "
                  "{minutes} minutes; reply here or use the button below to pick up where you left off."),
        "nudge.progress": " ({n} answers so far)",
        "nudge.start": "Start", "nudge.resume": "Continue", "nudge.later": "Remind me next week",
        "nudge.decline": "Not for me",
        "assisted.invite": ("Please run the assisted interview *{title}* with {who} for this round, on "
                            "your next call with them: I will propose the follow-up questions as you type "
                            "their answers."),
        "assisted": ("Reminder: the assisted interview *{title}* with {who} is not finished yet. "
                     "Run it with the customer when you can."),
    },
    "zh": {
        "reminder": ("提醒：CRM 需求评估 *{name}* 的第 {next_round} 轮将于 *{due}* 开始（{when}）。"
                     "届时我会复制第 {round} 轮的访谈脚本、参与者和团队，生成一个草稿供您审阅并启动。"),
        "reminder.hint": "如需修改间隔或提醒时间：`cna schedule config {id}`。",
        "in_days": "还有 {n} 天", "in_1_day": "明天", "today": "今天", "ago": "已过 {n} 天",
        "draft": ("*{name}* 的第 {round} 轮草稿已准备好（评估 {id}），复制自第 {prev} 轮：{scripts} 个脚本、"
                  "{people} 位参与者、{team} 位团队成员。目前尚未邀请任何人。"),
        "draft.hint": ("用 `cna round show {id}` 审阅，然后用 `cna round launch {id}` 启动"
                       "（例如 `--waves internal,customer` 先访谈内部角色，或 `--per-day 20`）。"),
        "later.phrase": "下周",
        "nudge": ("您好！您的访谈 *{title}* 还在等您{progress}。大约需要 {minutes} 分钟；"
                  "直接在这里回复或点下面的按钮，即可从上次停下的地方接着回答。"),
        "nudge.progress": "（已回答 {n} 题）",
        "nudge.start": "开始", "nudge.resume": "继续", "nudge.later": "下周再提醒我", "nudge.decline": "不参加",
        "assisted.invite": ("请在下次与 {who} 通话时完成本轮的协助访谈 *{title}*："
                            "您输入对方的回答，我会提出追问。"),
        "assisted": "提醒：与 {who} 的协助访谈 *{title}* 还没有完成，方便时请与客户一起完成。",
    },
}


def _t(lang: str, key: str) -> str:
    return TEXTS.get(lang, TEXTS["en"]).get(key) or TEXTS["en"][key]


def _escape(text: str) -> str:
    """Script and assessment names are user input: keep them from becoming mentions or links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, SECTION_MAX)}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(text, SECTION_MAX)}]}


def _button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    label = {"type": "plain_text", "text": _clip(text, 75), "emoji": True}
    b: dict[str, Any] = {"type": "button", "text": label, "action_id": action_id, "value": value}
    if style:
        b["style"] = style
    return b


def dm(user_id: str, text: str, blocks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A chat.postMessage payload to a user's DM (Slack opens the IM when `channel` is a user id)."""
    out: dict[str, Any] = {"channel": user_id, "text": _clip(text, TEXT_MAX)}
    if blocks:
        out["blocks"] = blocks
    return out


def _when(due: date, today: date, lang: str) -> str:
    n = (due - today).days
    if n > 1:
        return _t(lang, "in_days").format(n=n)
    if n == 1:
        return _t(lang, "in_1_day")
    if n == 0:
        return _t(lang, "today")
    return _t(lang, "ago").format(n=-n)


def refresh_reminder(user_id: str, *, assessment_id: int, name: str, round_no: int, due: date, today: date,
                     lang: str = "en") -> dict[str, Any]:
    text = _t(lang, "reminder").format(next_round=round_no + 1, name=_escape(name), due=due.isoformat(),
                                       when=_when(due, today, lang), round=round_no)
    hint = _t(lang, "reminder.hint").format(id=assessment_id)
    return dm(user_id, text, [_section(text), _context(hint)])


def draft_ready(user_id: str, *, assessment_id: int, name: str, round_no: int, previous_round: int,
                scripts: int, people: int, team: int, lang: str = "en") -> dict[str, Any]:
    text = _t(lang, "draft").format(round=round_no, name=_escape(name), id=assessment_id, prev=previous_round,
                                    scripts=scripts, people=people, team=team)
    hint = _t(lang, "draft.hint").format(id=assessment_id)
    return dm(user_id, text, [_section(text), _context(hint)])


def nudge(user_id: str, *, interview_id: int, title: str, minutes: int, answered: int, n: int, status: str,
          lang: str = "en") -> dict[str, Any]:
    progress = _t(lang, "nudge.progress").format(n=answered) if answered else ""
    text = _t(lang, "nudge").format(title=_escape(title), progress=progress, minutes=minutes)
    go = ((_t(lang, "nudge.start"), ACTION_START) if status == "invited"
          else (_t(lang, "nudge.resume"), ACTION_RESUME))
    later = f"{interview_id}|{_t(lang, 'later.phrase')}"
    buttons = [_button(go[0], go[1], str(interview_id), "primary"),
               _button(_t(lang, "nudge.later"), ACTION_SNOOZE, later),
               _button(_t(lang, "nudge.decline"), ACTION_DECLINE, str(interview_id))]
    row = {"type": "actions", "block_id": f"nudge.{interview_id}.{n}", "elements": buttons}
    return dm(user_id, text, [_section(text), row])


def assisted_nudge(user_id: str, *, title: str, who: str, lang: str = "en") -> dict[str, Any]:
    text = _t(lang, "assisted").format(title=_escape(title), who=_escape(who))
    return dm(user_id, text, [_section(text)])


def assisted_invite(user_id: str, *, title: str, who: str, lang: str = "en") -> dict[str, Any]:
    text = _t(lang, "assisted.invite").format(title=_escape(title), who=_escape(who))
    return dm(user_id, text, [_section(text)])


def invitation(iid: int, script: Script, *, note: str | None = None) -> Message:
    """The invitation: purpose (intro) and consent, then Start / Later / Decline; `note` replaces the buttons."""
    lang = script.lang
    out: list[bk.Block] = [bk.header(script.title)]
    out.extend(bk.section(bk.escape(script.intro.strip())))
    out.extend(bk.section(bk.escape(script.consent.strip())))
    out.append(bk.context(say(lang, "invite.minutes", minutes=script.minutes)))
    if note is None:
        out.extend(bk.actions([
            bk.button(say(lang, "button.start"), ACTION_START, str(iid), "primary"),
            bk.button(say(lang, "button.later"), ACTION_SNOOZE, f"{iid}|{say(lang, 'later.phrase')}"),
            bk.button(say(lang, "button.decline"), ACTION_DECLINE, str(iid), "danger"),
        ], f"invite.{iid}"))
    else:
        out.append(bk.context(note))
    return Message(f"{script.title}: {script.intro.strip()}", out)
