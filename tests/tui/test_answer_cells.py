"""The answer list's Line cells render exactly as rich Text would, only without the wrapping work."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.padding import Padding
from rich.style import Style
from rich.text import Text

from tui.widgets.answer_rows import Line, highlight


def cases() -> list[Text]:
    styled = Text("■", style="bold magenta")
    styled.append("4711", style="grey50")
    return [Text("price", style="green"), Text("plain words"), styled, Text("价格太高，因为预算固定"),
            highlight(Text("invoices arrive late, Invoice again"), "invoice"),
            Text("a line far too long for its column of twenty cells", style="bold"), Text("two\nlines"),
            Text("")]


@pytest.mark.parametrize("text", cases(), ids=lambda t: t.plain[:12] or "empty")
def test_a_line_renders_as_the_same_text_would(text: Text) -> None:
    console = Console(width=160, color_system="truecolor", force_terminal=True)
    options = console.options.update_dimensions(20, 1).update(no_wrap=True)
    line = Line(text.plain, style=text.style, spans=text.spans)

    def render(cell: Text) -> object:
        return console.render_lines(Padding(cell, (0, 1), style=Style(bgcolor="black")), options)

    assert render(line) == render(text)
    assert console.measure(line).maximum == console.measure(text).maximum  # what the table reads
