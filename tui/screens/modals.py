"""Modal dialogs: the fuzzy code picker, a one-line text prompt, and a confirmation."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from storage.review import CodeInfo

NEW_THEME = "new-theme:"


class CodePicker(ModalScreen[str | None]):
    """Pick a code by typing part of its id or its English or Chinese label (fuzzy), or name a new theme.
    Returns the code id, or 'new-theme:<name>'."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"), Binding("down", "move(1)", show=False),
                Binding("up", "move(-1)", show=False)]

    def __init__(self, codes: list[CodeInfo], recent: list[str], title: str = "Tag with code",
                 allow_new: bool = True, only_themes: bool = False):
        super().__init__()
        self.codes = [c for c in codes if c.kind == "theme"] if only_themes else codes
        self.recent = [r for r in recent if any(c.id == r for c in self.codes)]
        self.title_text = title
        self.allow_new = allow_new

    def compose(self) -> ComposeResult:
        with Vertical(id="picker", classes="modal"):
            yield Label(self.title_text, classes="modal-title")
            yield Input(placeholder="type to filter: id, English or 中文 label", id="picker-input")
            yield OptionList(id="picker-list")
            yield Label("enter picks · esc cancels" + (" · a name no code matches makes a new theme"
                                                       if self.allow_new else ""), classes="modal-hint")

    def on_mount(self) -> None:
        self._refresh("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._refresh(event.value)

    def _refresh(self, query: str) -> None:
        options = self.query_one("#picker-list", OptionList)
        options.clear_options()
        q = query.strip()
        if not q:
            order = {c: i for i, c in enumerate(self.recent)}
            ranked = sorted(self.codes, key=lambda c: (order.get(c.id, 99), c.kind != "theme", c.id))
            options.add_options(self._option(c, None) for c in ranked)
        else:
            matcher = Matcher(q)
            scored = []
            for c in self.codes:
                score = max(matcher.match(c.id), matcher.match(c.label_en), matcher.match(c.label_zh or ""))
                if score > 0:
                    scored.append((score, c))
            scored.sort(key=lambda x: (-x[0], x[1].id))
            options.add_options(self._option(c, matcher) for _s, c in scored)
            if self.allow_new and not any(c.id == q or c.label_en.lower() == q.lower() for c in self.codes):
                options.add_option(Option(Text.assemble(("+ new theme ", "bold green"), f"“{q}”"),
                                          id=NEW_THEME + q))
        if options.option_count:
            options.highlighted = 0

    @staticmethod
    def _option(c: CodeInfo, matcher: Matcher | None) -> Option:
        label = Text()
        label.append("◆ " if c.kind == "theme" else "  ", style="magenta")
        label.append(c.id, style="bold")
        label.append(f"  {c.label_en}")
        if c.label_zh:
            label.append(f" · {c.label_zh}", style="grey62")
        if matcher is not None:
            for word in (c.id, c.label_en, c.label_zh or ""):
                _score, offsets = matcher.fuzzy_search.match(matcher.query, word)
                start = label.plain.find(word)
                for o in offsets if start >= 0 and word else ():
                    label.stylize("reverse", start + o, start + o + 1)
                if offsets:
                    break
        return Option(label, id=c.id)

    def action_move(self, delta: int) -> None:
        options = self.query_one("#picker-list", OptionList)
        if options.option_count:
            options.highlighted = ((options.highlighted or 0) + delta) % options.option_count

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#picker-list", OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class Prompt(ModalScreen[str | None]):
    """Ask for one line of text; enter confirms, esc cancels."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "", hint: str = "enter confirms · esc cancels"):
        super().__init__()
        self.title_text, self.value, self.placeholder, self.hint = title, value, placeholder, hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal prompt"):
            yield Label(self.title_text, classes="modal-title")
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label(self.hint, classes="modal-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class Confirm(ModalScreen[bool]):
    """A yes/no question: y confirms, n or esc declines."""

    BINDINGS = [Binding("y", "dismiss(True)", "Yes"), Binding("n,escape", "dismiss(False)", "No")]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal prompt"):
            yield Label(self.question, classes="modal-title")
            yield Label("y yes · n no", classes="modal-hint")
