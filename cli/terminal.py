"""The terminal channel: the same interview as in Slack, read from a keyboard or piped stdin."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from app.interviews import InterviewService, Outcome
from app.phrases import say
from core.events import (
    Answered,
    Asked,
    Completed,
    Declined,
    HelpShown,
    Paused,
    Probed,
    Prompt,
    Rejected,
    Resumed,
    Skipped,
    WentBack,
)
from core.inputs import Pause, Reply, Start


def render_prompt(p: Prompt, lang: str) -> str:
    lines = [f"[{say(lang, 'progress', position=p.position, total=p.total)}]"]
    if p.anonymous:
        lines.append(say(lang, "anonymous"))
    lines.append(p.text)
    if p.kind in ("single", "multi"):
        lines.extend(f"  {i}. {label}" for i, (_, label) in enumerate(p.choices, 1))
        lines.append(say(lang, "choose_one" if p.kind == "single" else "choose_many"))
    elif p.kind == "scale" and p.scale:
        lo, hi, lo_label, hi_label = p.scale
        ends = f" ({lo} = {lo_label}, {hi} = {hi_label})" if lo_label and hi_label else ""
        lines.append(say(lang, "scale", min=lo, max=hi) + ends)
    elif p.kind == "yesno":
        lines.append(say(lang, "yesno"))
    return "\n".join(lines)


class TerminalInterview:
    """Drives one interview over text streams; `assisted` frames probes as suggestions for an interviewer."""

    def __init__(self, service: InterviewService, interview_id: int, lang: str, *, out: TextIO = sys.stdout,
                 assisted: bool = False, read_line: Callable[[], str | None] | None = None):
        self.service = service
        self.interview_id = interview_id
        self.lang = lang
        self.out = out
        self.assisted = assisted
        self.read_line = read_line or _stdin_line
        self.interactive = sys.stdin.isatty()

    def emit(self, text: str = "") -> None:
        print(text.replace("*", ""), file=self.out, flush=True)  # Slack bold markers mean nothing here

    def show(self, outcome: Outcome) -> None:
        lang = self.lang
        for ev in outcome.events:
            if isinstance(ev, Asked):
                self.emit()
                self.emit(render_prompt(ev.prompt, lang))
            elif isinstance(ev, Probed):
                prefix = ("Suggested follow-up: " if lang == "en" else "建议追问：") if self.assisted else "  ↳ "
                self.emit(f"{prefix}{ev.text}")
            elif isinstance(ev, Answered) and ev.truncated:
                self.emit(say(lang, "truncated"))
            elif isinstance(ev, Skipped):
                self.emit(say(lang, "skipped"))
            elif isinstance(ev, WentBack):
                self.emit(say(lang, "went_back"))
            elif isinstance(ev, HelpShown):
                self.emit(say(lang, "help"))
                if ev.question_help:
                    self.emit(ev.question_help)
            elif isinstance(ev, Paused):
                self.emit(say(lang, "paused"))
            elif isinstance(ev, Resumed):
                self.emit(say(lang, "resumed"))
            elif isinstance(ev, Declined):
                self.emit(say(lang, "declined"))
            elif isinstance(ev, Rejected):
                self.emit(say(lang, f"rejected.{ev.why}"))
            elif isinstance(ev, Completed):
                self.emit()
                self.emit(say(lang, "completed"))

    async def run(self) -> str:
        """Run until the interview completes, is paused, or input ends (which pauses it). Returns the status."""
        outcome = await self.service.handle(self.interview_id, Start())
        self.show(outcome)
        while outcome.status in ("in_progress",):
            line = self.read_line()
            if line is None:
                outcome = await self.service.handle(self.interview_id, Pause())
                self.emit()
                self.show(outcome)
                break
            if not self.interactive:
                self.emit(f"> {line}")
            outcome = await self.service.handle(self.interview_id, Reply(line))
            self.show(outcome)
        if outcome.status == "completed":
            await self.print_summary()
        return outcome.status

    async def print_summary(self) -> None:
        self.emit()
        self.emit(say(self.lang, "summary_title"))
        for question, answers in await self.service.summary(self.interview_id):
            self.emit(f"- {question}")
            for a in answers:
                if a.probe_text:
                    self.emit(f"    ↳ {a.probe_text}")
                self.emit(f"    {a.text}")


def _stdin_line() -> str | None:
    try:
        line = input("> " if sys.stdin.isatty() else "")
    except EOFError:
        return None
    return line
