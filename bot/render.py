"""Turn the engine's events into Slack messages, as cli/terminal.py does for the terminal: one reply per input."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app import blocks as bk
from app.actions import (
    ACTION_CHOICE,
    ACTION_MULTI,
    ACTION_RESUME,
    ACTION_SELECT,
    ACTION_START,
    ACTION_SUBMIT,
)
from app.blocks import Message
from app.phrases import say
from app.schedule.messages import invitation  # noqa: F401  (re-exported: the kickoff and the listeners send it)
from core.events import (
    Answered,
    Asked,
    Completed,
    Declined,
    Event,
    HelpShown,
    Paused,
    Probed,
    Prompt,
    Rejected,
    Resumed,
    Skipped,
    WentBack,
)
from core.script import Script

# Action ids (shared with the scheduler's messages in app/schedule/messages.py). Values carry opaque ids only.
BUTTONS_MAX = 5  # more single choices than this become a select menu


def question(iid: int, p: Prompt, lang: str, lead: Sequence[str] = ()) -> Message:
    """One question: progress, text, and buttons/select/checkboxes for closed kinds (typing always works)."""
    progress = say(lang, "progress", position=p.position, total=p.total)
    out: list[bk.Block] = [*(b for line in lead for b in bk.section(line))]
    out.append(bk.context(f"*{progress}*" + (f" · {bk.escape(p.section)}" if p.section else "")))
    if p.anonymous:
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
        hint = say(lang, "choose_one") if p.kind == "single" else (
            say(lang, "yesno") if p.kind == "yesno" else say(lang, "scale", min=p.scale[0], max=p.scale[1])
            if p.scale else "")
    elif p.kind == "multi":
        opts = [bk.option(label, cid) for cid, label in p.choices]
        picker = (bk.checkboxes(ACTION_MULTI, opts) if len(opts) <= bk.CHECKBOX_OPTIONS_MAX
                  else bk.multi_select(say(lang, "multi.placeholder"), ACTION_MULTI, opts))
        out.extend(bk.actions([picker, bk.button(say(lang, "button.submit"), ACTION_SUBMIT,
                                                 f"{iid}:{p.question_id}", "primary")], bid))
        hint = say(lang, "choose_many")
    else:
        hint = say(lang, "open")
    out.append(bk.context(hint + " " + say(lang, "commands_hint")))
    text = "\n".join([*lead, f"{progress}: {p.text}"])
    return Message(text, out)


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
            out.append(Message("\n\n".join(lines), []))
            lines = []
        elif isinstance(ev, Answered) and ev.truncated:
            lines.append(say(lang, "truncated"))
        elif isinstance(ev, Skipped):
            lines.append(say(lang, "skipped"))
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
        elif isinstance(ev, Rejected) and ev.why != "duplicate":
            lines.append(say(lang, f"rejected.{ev.why}"))
        elif isinstance(ev, Completed):
            lines.append(say(lang, "completed"))
            out.extend(completion(lang, lines, outro, summary))
            lines = []
    if lines:
        out.append(Message("\n\n".join(lines), [b for line in lines for b in bk.section(line)]))
    return out


def completion(lang: str, lines: Sequence[str], outro: str | None,
               summary: Sequence[tuple[str, Sequence[Any]]]) -> list[Message]:
    """The thank-you with a summary of the person's answers (their own words, escaped and clipped)."""
    out: list[bk.Block] = [b for line in lines for b in bk.section(line)]
    if summary:
        out.append(bk.divider())
        out.append(bk.header(say(lang, "summary_title")))
        for qtext, answers in summary:
            parts = [f"*{bk.escape(bk.clip(qtext, 300))}*"]
            for a in answers:
                if a.probe_text:
                    parts.append(f"_{bk.escape(bk.clip(a.probe_text, 200))}_")
                parts.append("> " + bk.escape(bk.clip(a.text, 500)).replace("\n", "\n> "))
            out.extend(bk.section("\n".join(parts)))
    if outro:
        out.append(bk.divider())
        out.extend(bk.section(bk.escape(outro.strip())))
    return bk.messages("\n\n".join([*lines, say(lang, "summary_title")]), out)


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
