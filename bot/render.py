"""Turn the engine's events into Slack messages, as cli/terminal.py does for the terminal: one reply per input."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app import blocks as bk
from app import replies
from app.actions import (
    ACTION_CHOICE,
    ACTION_DISCARD,
    ACTION_MULTI,
    ACTION_RECONSIDER,
    ACTION_RESUME,
    ACTION_SELECT,
    ACTION_START,
    ACTION_SUBMIT,
)
from app.blocks import Message
from app.phrases import let_go, say
from app.schedule.messages import invitation  # noqa: F401  (re-exported: the kickoff and the listeners send it)
from core.events import (
    Answered,
    Asked,
    Completed,
    Declined,
    Event,
    HelpShown,
    Interpreted,
    LetGo,
    Paused,
    Probed,
    Prompt,
    Reconsidered,
    Rejected,
    Resumed,
    Skipped,
    WentBack,
)
from core.script import Script

# Action ids (shared with the scheduler's messages in app/schedule/messages.py). Values carry opaque ids only.
BUTTONS_MAX = 5  # more single choices than this become a select menu
RECONSIDER_DAYS = 7  # how long "Changed my mind" works on the decline message (typing *start* works while open)
SUMMARY_ANSWER_MAX = 160  # the closing summary is a reminder of each answer, not the transcript


def question(iid: int, p: Prompt, lang: str, lead: Sequence[str] = ()) -> Message:
    """One question: progress, text, and buttons/select/checkboxes for closed kinds (typing always works)."""
    progress = say(lang, "progress", position=p.position, total=p.total)
    out: list[bk.Block] = [*(b for line in lead for b in bk.section(line))]
    out.append(bk.context(f"*{progress}*" + (f" · {bk.escape(p.section)}" if p.section else "")))
    if p.anonymous and not _says_anonymous(p.text):
        out.append(bk.context(":lock: " + say(lang, "anonymous")))
    out.extend(bk.section(bk.escape(p.text)))
    bid = f"q:{iid}:{p.question_id}"
    if p.kind in ("single", "yesno", "scale"):
        choices = _choices(p, lang)
        if p.kind == "single" and len(choices) > BUTTONS_MAX:
            opts = [bk.option(label, cid) for cid, label in choices]
            out.extend(bk.actions([bk.static_select(say(lang, "select.placeholder"), ACTION_SELECT, opts)], bid))
        else:
            out.extend(bk.actions([bk.button(label, f"{ACTION_CHOICE}.{i}", f"{iid}:{p.question_id}:{cid}")
                                   for i, (cid, label) in enumerate(choices)], bid))
        if p.kind == "scale" and p.scale and p.scale[2] and p.scale[3]:
            lo, hi, lo_label, hi_label = p.scale
            out.append(bk.context(f"{lo} = {bk.escape(lo_label or '')} · {hi} = {bk.escape(hi_label or '')}"))
        hint = (say(lang, "hint.menu" if len(choices) > BUTTONS_MAX else "hint.buttons") if p.kind == "single"
                else say(lang, "hint.yesno") if p.kind == "yesno"
                else say(lang, "hint.scale", min=p.scale[0], max=p.scale[1]) if p.scale else "")
    elif p.kind == "multi":
        opts = [bk.option(label, cid) for cid, label in p.choices]
        picker = (bk.checkboxes(ACTION_MULTI, opts) if len(opts) <= bk.CHECKBOX_OPTIONS_MAX
                  else bk.multi_select(say(lang, "multi.placeholder"), ACTION_MULTI, opts))
        out.extend(bk.actions([picker, bk.button(say(lang, "button.submit"), ACTION_SUBMIT,
                                                 f"{iid}:{p.question_id}", "primary")], bid))
        hint = say(lang, "hint.checkboxes" if len(opts) <= bk.CHECKBOX_OPTIONS_MAX else "hint.multimenu")
    else:
        hint = say(lang, "open")
    out.append(bk.context(hint + " " + say(lang, "commands_hint")))
    text = "\n".join([*lead, f"{progress}: {p.text}"])
    return Message(text, out, asks=(iid, p.question_id))


def _says_anonymous(text: str) -> bool:
    """Shipped scripts open anonymous questions with their own notice; the generic one would say it twice."""
    return "anonymous" in text.lower() or "匿名" in text


def _choices(p: Prompt, lang: str) -> list[tuple[str, str]]:
    if p.kind == "yesno":
        return [("yes", say(lang, "button.yes")), ("no", say(lang, "button.no"))]
    if p.kind == "scale" and p.scale:
        return [(str(n), str(n)) for n in range(p.scale[0], p.scale[1] + 1)]
    return list(p.choices)


def outcome_messages(iid: int, events: Sequence[Event], lang: str, *, assisted: bool = False,
                     outro: str | None = None, summary: Sequence[tuple[str, Sequence[Any]]] = ()) -> list[Message]:
    """The reply to one input: notes (skipped, resumed, ...) lead into the next question or follow-up."""
    out: list[Message] = []
    lines: list[str] = []
    for ev in events:
        if isinstance(ev, Asked):
            out.append(question(iid, ev.prompt, lang, lines))
            lines = []
        elif isinstance(ev, Probed):
            probe = bk.escape(ev.text)
            lines.append(say(lang, "assisted.probe", probe=probe) if assisted else probe)
            out.append(Message("\n\n".join(lines), [], asks=(iid, ev.question_id)))
            lines = []
        elif isinstance(ev, Answered) and ev.truncated:
            lines.append(say(lang, "truncated"))
        elif isinstance(ev, Skipped):
            lines.append(say(lang, "skipped"))
        elif isinstance(ev, LetGo):
            lines.append(let_go(lang, ev.turn))
        elif isinstance(ev, WentBack):
            lines.append(say(lang, "went_back"))
        elif isinstance(ev, HelpShown):
            lines.append(say(lang, "help") + (f"\n{bk.escape(ev.question_help)}" if ev.question_help else ""))
        elif isinstance(ev, Paused):
            lines.append(say(lang, "paused"))
        elif isinstance(ev, Resumed):
            lines.append(say(lang, "resumed"))
        elif isinstance(ev, Declined):
            lines.append(say(lang, "declined"))
            out.append(declined(iid, lines, lang))
            lines = []
        elif isinstance(ev, Reconsidered):
            lines.append(say(lang, "reconsidered"))
        elif isinstance(ev, Interpreted):
            lines.append(replies.interpreted_text(ev, lang, bk.escape))
        elif isinstance(ev, Rejected) and ev.why != "duplicate":
            lines.append(rejection_text(ev, lang))
        elif isinstance(ev, Completed):
            if not outro:  # the script's outro is the thank-you; two in a row read like a form letter
                lines.append(say(lang, "completed"))
            out.extend(completion(lang, lines, outro, summary))
            lines = []
    if lines:
        out.append(Message("\n\n".join(lines), [b for line in lines for b in bk.section(line)]))
    return out


def rejection_text(ev: Rejected, lang: str) -> str:
    """What to say about input that could not be used, with option labels escaped for Slack's markup."""
    return replies.rejection_text(ev, lang, bk.escape)


def declined(iid: int, lines: Sequence[str], lang: str) -> Message:
    """The decline, confirmed, with a way back: "Changed my mind" for RECONSIDER_DAYS days."""
    out: list[bk.Block] = [b for line in lines for b in bk.section(line)]
    out.extend(bk.actions([bk.button(say(lang, "button.reconsider"), ACTION_RECONSIDER, str(iid))],
                          f"reconsider.{iid}"))
    out.append(bk.context(say(lang, "reconsider.hint", days=RECONSIDER_DAYS)))
    return Message("\n\n".join(lines), out)


def completion(lang: str, lines: Sequence[str], outro: str | None,
               summary: Sequence[tuple[str, Sequence[Any]]]) -> list[Message]:
    """The thank-you (the script's outro), then a short reminder of each answer in the person's own words."""
    out: list[bk.Block] = [b for line in lines for b in bk.section(line)]
    if outro:
        out.extend(bk.section(bk.escape(outro.strip())))
    rows = [row for qtext, answers in summary if (row := _summary_line(qtext, answers))]
    if rows:
        out.append(bk.divider())
        out.append(bk.context(say(lang, "summary.short")))
        for i in range(0, len(rows), 10):  # a few sections, not one per question
            out.extend(bk.section("\n".join(rows[i:i + 10])))
    text = "\n\n".join([*lines, *([outro.strip()] if outro else [])]) or say(lang, "completed")
    return bk.messages(text, out)


def _summary_line(qtext: str, answers: Sequence[Any]) -> str | None:
    """"• *Question*: first answer (+2 follow-up answers)"; the choice rather than a comment beside it."""
    kept = [a for a in answers if getattr(a, "decision", None) not in ("comment", "attachment")] or list(answers)
    if not kept:
        return None
    first = kept[0]
    more = sum(1 for a in kept[1:] if a.step > 0)
    line = f"• *{bk.escape(bk.clip(' '.join(qtext.split()), 90))}*: " \
           f"{bk.escape(bk.clip(' '.join(first.text.split()), SUMMARY_ANSWER_MAX))}"
    return line + (" " + say(getattr(first, "lang", "en") or "en", "summary.more", n=more) if more else "")


def addendum_ack(lang: str, text: str, iid: int | None = None, answer_id: int | None = None) -> Message:
    """The acknowledgement of an afterthought; with "Don't keep it" when the person may prefer it discarded."""
    out = bk.section(text)
    if iid is not None and answer_id is not None:
        out.extend(bk.actions([bk.button(say(lang, "button.discard"), ACTION_DISCARD, f"{iid}:{answer_id}")],
                              f"discard.{iid}.{answer_id}"))
    return Message(text, out)


def answered(question_text: str, answer: str, lang: str) -> Message:
    """A question message after a click: the buttons give way to the answer given."""
    out = bk.section(bk.escape(question_text))
    out.append(bk.context(":white_check_mark: " + say(lang, "chose", answer=bk.escape(bk.clip(answer, 500)))))
    return Message(question_text, out)


def reminder(iid: int, script: Script, status: str) -> Message:
    lang = script.lang
    text = say(lang, "reminder", title=bk.escape(script.title), minutes=script.minutes)
    action = ACTION_START if status == "invited" else ACTION_RESUME
    label = say(lang, "button.start" if status == "invited" else "button.resume")
    out = [*bk.section(text), *bk.actions([bk.button(label, action, str(iid), "primary")], f"remind.{iid}")]
    return Message(text, out)


def plain(text: str) -> Message:
    """A short note; `text` must already be escaped where it echoes input."""
    return Message(text, bk.section(text))
