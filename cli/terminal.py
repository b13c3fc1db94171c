"""The terminal channel: the same interview as in Slack, read from a keyboard or piped stdin."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import TextIO

from app.interviews import InterviewService, Outcome
from app.phrases import let_go
from app.replies import interpreted_text, rejection_text
from cli.terminal_phrases import consent_reply, say
from cli.tty_lines import TtyLines
from core.commands import normalise, parse_command
from core.events import (
    Answered,
    Asked,
    Completed,
    Declined,
    HelpShown,
    Interpreted,
    LetGo,
    Paused,
    Probed,
    Prompt,
    Rejected,
    Resumed,
    Skipped,
    WentBack,
)
from core.inputs import Pause, Reply, Start

INTERRUPTED = "interrupted"  # the status TerminalInterview.run returns after Ctrl-C; the command exits 130
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells expect from a program stopped with Ctrl-C


class Interrupts:
    """Ctrl-C for a terminal interview: the first one stops at the next safe point (so the interview can be
    paused and saved), a second one exits at once.

    asyncio.run's own handler only cancels the main task, which cannot interrupt a blocking input(): the
    prompt stayed and a second Ctrl-C left a traceback. Here Ctrl-C raises KeyboardInterrupt only while a line
    is being read; during a database write it is noted and acted on when the write is done."""

    def __init__(self, out: TextIO = sys.stdout, lang: str = "en"):
        self.count = 0
        self.reading = False
        self.out = out
        self.lang = lang
        self._previous: object = None
        self._installed = False

    @property
    def requested(self) -> bool:
        return self.count > 0

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
            self._installed = True
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)  # type: ignore[arg-type]
            self._installed = False

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.count += 1
        if self.count > 1:
            # The person asked twice: leave now. SQLite and PostgreSQL keep the last committed state.
            try:
                self.out.write("\n" + say(self.lang, "stopped") + "\n")
                self.out.flush()
            finally:
                os._exit(EXIT_INTERRUPTED)
        if self.reading:
            raise KeyboardInterrupt

    def read(self, read_line: Callable[[], str | None]) -> str | None:
        """One line from `read_line`; INTERRUPTED (as a sentinel object) after Ctrl-C, None at end of input."""
        try:
            self.reading = True
            if self.count:
                raise KeyboardInterrupt
            return read_line()
        except KeyboardInterrupt:
            return _INTERRUPT
        finally:
            self.reading = False


class _Interrupt(str):
    """The sentinel Interrupts.read returns; a str subclass so callers need no union."""


_INTERRUPT = _Interrupt("")


def was_interrupted(line: str | None) -> bool:
    return line is _INTERRUPT


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


class Terminal:
    """Text in and out for one session: echoing piped answers, Slack's bold markers removed, Ctrl-C handled."""

    def __init__(self, lang: str, *, out: TextIO = sys.stdout, read_line: Callable[[], str | None] | None = None,
                 interrupts: Interrupts | None = None):
        self.lang = lang
        self.out = out
        self.read_line = read_line or _stdin_line
        self.interactive = sys.stdin.isatty()
        self.interrupts = interrupts or Interrupts(out, lang)

    def emit(self, text: str = "") -> None:
        print(text.replace("*", ""), file=self.out, flush=True)  # Slack bold markers mean nothing here

    def line(self) -> str | None:
        """The next line typed (echoed when piped), None at end of input; see was_interrupted()."""
        line = self.interrupts.read(self.read_line)
        if line is not None and not was_interrupted(line) and not self.interactive:
            self.emit(f"> {line}")
        return line

    def consent(self) -> bool | None:
        """Ask the consent question until yes or no: True, False, or None at end of input or after Ctrl-C
        (`interrupts.requested` tells which)."""
        self.emit(say(self.lang, "consent.ask"))
        while True:
            line = self.line()
            if line is None or was_interrupted(line):
                return None
            word = normalise(line)
            answer = consent_reply(word)
            if answer is not None:
                return answer
            if parse_command(line) == "help":
                self.emit(say(self.lang, "consent.help"))
            elif parse_command(line) == "pause":
                return False
            else:
                self.emit(say(self.lang, "consent.again"))


class TerminalInterview:
    """Drives one interview over text streams; `assisted` frames probes as suggestions for an interviewer."""

    def __init__(self, service: InterviewService, interview_id: int, lang: str, *, out: TextIO = sys.stdout,
                 assisted: bool = False, read_line: Callable[[], str | None] | None = None,
                 terminal: Terminal | None = None):
        self.service = service
        self.interview_id = interview_id
        self.lang = lang
        self.assisted = assisted
        self.term = terminal or Terminal(lang, out=out, read_line=read_line)

    def emit(self, text: str = "") -> None:
        self.term.emit(text)

    def show(self, outcome: Outcome) -> None:
        lang = self.lang
        for ev in outcome.events:
            if isinstance(ev, Asked):
                self.emit()
                self.emit(render_prompt(ev.prompt, lang))
            elif isinstance(ev, Probed):
                prefix = say(lang, "suggested") if self.assisted else "  ↳ "
                self.emit(f"{prefix}{ev.text}")
            elif isinstance(ev, Answered) and ev.truncated:
                self.emit(say(lang, "truncated"))
            elif isinstance(ev, Skipped):
                self.emit(say(lang, "skipped"))
            elif isinstance(ev, LetGo):
                self.emit(let_go(lang, ev.turn))
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
                if ev.why != "duplicate":
                    self.emit(rejection_text(ev, lang, speak=say))
            elif isinstance(ev, Interpreted):
                self.emit(interpreted_text(ev, lang, speak=say))
            elif isinstance(ev, Completed):
                self.emit()
                self.emit(say(lang, "completed"))

    async def run(self) -> str:
        """Run until the interview completes, is paused, input ends (which pauses it) or Ctrl-C (which pauses
        it too and returns INTERRUPTED). Returns the status."""
        outcome = await self.service.handle(self.interview_id, Start())
        self.show(outcome)
        while outcome.status == "in_progress":
            line = None if self.term.interrupts.requested else self.term.line()
            if line is not None and not was_interrupted(line):
                outcome = await self.service.handle(self.interview_id, Reply(line))
                self.show(outcome)
                if not self.term.interrupts.requested:
                    continue
            # End of input, or Ctrl-C (while reading, or noted during the last write): pause and save.
            interrupted = self.term.interrupts.requested
            if outcome.status == "in_progress":
                outcome = await self.service.handle(self.interview_id, Pause())
                self.emit()
                if not interrupted:
                    self.show(outcome)
            if interrupted:
                return INTERRUPTED if outcome.status == "paused" else outcome.status
            break
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


_tty: TtyLines | None = None


def _stdin_line() -> str | None:
    global _tty
    if sys.stdin.isatty():
        if _tty is None:
            _tty = TtyLines(sys.stdin.fileno(), sys.stdin.encoding or "utf-8")
        return _tty.read("> ")
    try:
        return input("")
    except EOFError:
        return None
