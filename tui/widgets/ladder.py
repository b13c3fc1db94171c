"""The ladder detail: the question, every answer and probe with why it was asked, and the codes of one step."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from storage.review import CodingView, Ladder, MemoView
from storage.review.coding import passage_text
from tui.widgets.bars import BAD, CUSTOMER, DIM, GOOD, INTERNAL, WARN

SEARCH_HIT = "bold reverse #ffaf00"
PASSAGE = "underline #5fd7d7"  # a coded passage of an answer
MEMO = "bold #d787ff"
STATE = {"accepted": ("✓", GOOD), "added": ("+", GOOD), "proposed": ("?", WARN), "rejected": ("✗", BAD),
         "weak": ("·", DIM)}
FAMILY = {"ladder_up": "ladder up", "clarify": "clarify", "example": "ask for an example", "number": "ask for a number",
          "consequence": "consequence", "contrast": "contrast", "dont_know": "don't-know technique"}


def why(reason: str | None, family: str | None) -> str:
    """'surface:price' + 'ladder_up' -> 'surface answer (price) → ladder up'."""
    kind, _, detail = (reason or "").partition(":")
    said = {"surface": f"surface answer ({detail})", "too_short": "answer too short",
            "dont_know": "a don't-know answer", "generic": "a generic answer",
            "use": "a statement of use"}.get(kind, reason or "rule")
    return f"{said} → {FAMILY.get(family or '', family or 'follow-up')}"


def render_ladder(ladder: Ladder, current: int | None, memos: dict[int, MemoView] | None = None) -> Text:
    """Headings on their own lines and the words indented below them, so English and Chinese wrap alike; coded
    passages underlined and listed under their answer, memos after the codes."""
    colour = INTERNAL if ladder.segment.startswith("internal") else CUSTOMER
    t = Text()
    t.append(ladder.segment, style=f"bold {colour}")
    t.append(f" · {ladder.who} · {ladder.script_id}/{ladder.question_id}", style="grey62")
    if ladder.assisted:
        t.append(" · typed by the interviewer on a call", style="grey62")
    if ladder.department:
        t.append(f" · restricted to {ladder.department}", style=BAD)
    t.append("\n\nQUESTION\n", style="bold grey62")
    t.append(ladder.question + "\n", style="bold")
    for step in ladder.steps:
        here = step.answer_id == current
        t.append("\n")
        if step.step:
            t.append(f"PROBE {step.step}", style="bold magenta")
            t.append(f"  why: {why(step.probe_reason, step.probe_family)}\n", style=DIM)
            t.append(f"{step.probe_text or '(follow-up)'}\n", style="italic magenta")
        t.append("▶ " if here else "  ", style="bold")
        t.append("ANSWER" if not step.step else f"ANSWER {step.step}", style="bold reverse" if here else "bold")
        t.append(f"  #{step.answer_id}", style=DIM)
        if step.decision:
            t.append(f"  prober: {step.decision}", style=DIM)
        t.append("\n")
        words = passage_text(step.text or "")
        body = Text(words or "(no text)", style="bold" if here else "")
        spans = [(c.code_id, a, b) for c in step.codings for a, b in c.passages if 0 <= a < b <= len(words)]
        for _code, a, b in spans:
            body.stylize(PASSAGE, a, b)
        t.append_text(body)
        t.append("\n")
        for code, a, b in spans:
            t.append(f"✂ {code} ", style=PASSAGE)
            t.append(f"“{words[a:b]}”\n", style=DIM)
        codes = [c for c in step.codings if c.counts]
        for c in codes:
            icon, col = STATE[c.state]
            t.append(f"{icon} {c.code_id}  ", style=col)
        if not codes:
            t.append("no code", style=DIM)
        t.append("\n")
        memo = (memos or {}).get(step.answer_id)
        if memo is not None:
            t.append(f"✎ memo · {memo.author} · {memo.updated_at:%Y-%m-%d}" + (" · in the report" if memo.in_report
                                                                              else "") + "\n", style=MEMO)
            t.append(memo.text + "\n", style="italic")
    return t


def coding_prompt(c: CodingView) -> Text:
    icon, colour = STATE[c.state]
    t = Text()
    t.append(f"{icon} ", style=f"bold {colour}")
    t.append(c.code_id, style="bold" if c.counts else DIM)
    t.append(f"  {c.label}", style="" if c.counts else DIM)
    if c.merged_into:
        t.append(f" → {c.merged_into}", style="magenta")
    t.append("\n   ")
    if c.auto_confidence is not None:
        t.append(f"auto {c.auto_confidence:.2f}", style=WARN)
        if c.auto_cue:
            t.append(f" cue “{c.auto_cue}”", style=DIM)
    else:
        t.append("not proposed by the auto coder", style=DIM)
    if c.human_status:
        verb = "accepted" if c.state == "accepted" else "added" if c.state == "added" else "rejected"
        t.append(f" · {verb} by {c.human_coder}", style=colour)
    if c.passages:
        t.append(f" · {len(c.passages)} passage{'s' if len(c.passages) > 1 else ''}", style=PASSAGE)
    return t


class LadderPane(Vertical):
    """The detail pane beside the answer list."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="ladder-scroll"):
            yield Static("Select an answer to see its ladder.", id="ladder")
        yield Label("Codes", id="codes-title")
        yield OptionList(id="codes")

    def show(self, ladder: Ladder | None, answer_id: int | None, search: str = "",
             memos: dict[int, MemoView] | None = None) -> None:
        codes = self.query_one("#codes", OptionList)
        keep = codes.highlighted
        codes.clear_options()
        if ladder is None:
            self.query_one("#ladder", Static).update(Text("No answer selected.", style=DIM))
            self.query_one("#codes-title", Label).update("Codes")
            return
        text = render_ladder(ladder, answer_id, memos)
        if search.strip():  # the words the list was searched for, marked wherever they occur in the ladder
            text.highlight_words([search.strip()], style=SEARCH_HIT, case_sensitive=False)
        self.query_one("#ladder", Static).update(text)
        step = next((s for s in ladder.steps if s.answer_id == answer_id), ladder.steps[0])
        self.query_one("#codes-title", Label).update(
            f"Codes on step {step.step} (#{step.answer_id}) · a accept · r reject · x untag · t tag")
        codes.add_options(Option(coding_prompt(c), id=c.code_id) for c in step.codings)
        if codes.option_count:
            codes.highlighted = min(keep or 0, codes.option_count - 1)

    def highlighted_code(self) -> str | None:
        codes = self.query_one("#codes", OptionList)
        if codes.highlighted is None or not codes.option_count:
            return None
        return codes.get_option_at_index(codes.highlighted).id

    def move(self, delta: int) -> None:
        codes = self.query_one("#codes", OptionList)
        if codes.option_count:
            codes.highlighted = ((codes.highlighted or 0) + delta) % codes.option_count
