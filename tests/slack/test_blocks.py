"""Block Kit builders keep to Slack's limits; checked with slack_sdk.models, not by eye."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from app import actions
from app import blocks as bk
from bot import render
from core.events import Asked, Completed, Prompt


def valid(blocks: list[dict[str, Any]], limit: int = bk.BLOCKS_PER_MESSAGE) -> None:
    """Every block parses and validates in slack_sdk; ids unique; no more than `limit` blocks."""
    assert 0 < len(blocks) <= limit
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(ids) == len(set(ids))
    for b in blocks:
        obj = Block.parse(b)
        assert obj is not None, b
        obj.validate_json()
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= bk.SECTION_TEXT_MAX


def prompt(kind: str, text: str = "Q?", n: int = 0, **kw: Any) -> Prompt:
    return Prompt(question_id="q_1", kind=kind, text=text, help=None, position=3, total=12,
                  choices=tuple((f"c{i}", f"Choice number {i}") for i in range(n)), **kw)


def test_long_question_text_is_split_under_3000() -> None:
    msg = render.question(7, prompt("open", "word " * 700 + "&<>" * 100), "en")  # 3,800 characters
    valid(msg.blocks)
    assert sum(1 for b in msg.blocks if b["type"] == "section") == 2
    assert "Question 3 of 12" in msg.text and len(msg.payload()["text"]) <= bk.MSG_TEXT_MAX


def test_each_question_kind_renders_valid_blocks() -> None:
    cases = {
        "single 4": prompt("single", n=4), "single 8 (select)": prompt("single", n=8),
        "single 150": prompt("single", n=150), "multi 5 (checkboxes)": prompt("multi", n=5),
        "multi 12 (multi-select)": prompt("multi", n=12), "yesno": prompt("yesno"),
        "scale 0-10": prompt("scale", scale=(0, 10, "not at all", "extremely")), "open": prompt("open"),
    }
    for name, p in cases.items():
        msg = render.question(123456789, p, "en")
        valid(msg.blocks)
        for b in msg.blocks:
            for el in b.get("elements") or []:
                assert len(el.get("action_id", "")) <= bk.ID_MAX, name
                assert len(el.get("value", "")) <= bk.BUTTON_VALUE_MAX, name
                assert len(el.get("options", [])) <= bk.OPTIONS_MAX, name
    kinds = {name: [el["type"] for b in render.question(1, p, "en").blocks for el in b.get("elements", [])
                    if el.get("type") != "mrkdwn"] for name, p in cases.items()}
    assert kinds["single 8 (select)"] == ["static_select"]
    assert kinds["multi 5 (checkboxes)"] == ["checkboxes", "button"]
    assert kinds["multi 12 (multi-select)"] == ["multi_static_select", "button"]
    assert kinds["scale 0-10"] == ["button"] * 11


def test_values_carry_opaque_ids_only_and_ids_are_bounded() -> None:
    msg = render.question(42, prompt("single", n=3), "en")
    values = [el["value"] for b in msg.blocks for el in b.get("elements", []) if el.get("type") == "button"]
    assert values == ["42:q_1:c0", "42:q_1:c1", "42:q_1:c2"]
    with pytest.raises(ValueError):
        bk.button("x", "a" * 256, "v")
    with pytest.raises(ValueError):
        bk.button("x", "a", "v" * 2001)
    long = bk.button("x" * 200, "a", "v")
    assert len(long["text"]["text"]) == bk.BUTTON_TEXT_MAX


def test_sixty_blocks_become_two_messages_and_a_home_view_stays_under_100() -> None:
    many = [bk.section(f"line {i}")[0] for i in range(60)]
    msgs = bk.messages("summary", many)
    assert [len(m.blocks) for m in msgs] == [50, 10]
    for m in msgs:
        valid(m.blocks)
        assert m.payload()["text"]
    view = bk.home_view([bk.section(f"line {i}")[0] for i in range(150)])
    assert len(view["blocks"]) == bk.BLOCKS_PER_VIEW


def test_completion_summary_is_short_and_escaped() -> None:
    answers = [SimpleNamespace(text="<!channel> & <@U1> " + "x" * 2000, probe_text="why <b>?")]
    summary = [(f"Question {i}", answers) for i in range(60)]
    msgs = render.outcome_messages(1, [Completed(60)], "en", outro="Thanks & bye", summary=summary)
    # A reminder of each answer, not the transcript: one message, every answer clipped, no probe texts.
    assert len(msgs) == 1 and len(str(msgs[0].blocks)) < 20_000 and "why" not in str(msgs[0].blocks)
    assert "Thank you" not in str(msgs[0].blocks) and "Thanks &amp; bye" in str(msgs[0].blocks)  # one thank-you
    for m in msgs:
        valid(m.blocks)
        text = str(m.blocks) + m.text
        assert "<!channel>" not in text and "<@U1>" not in text and "&lt;!channel&gt;" in str(msgs[0].blocks)


def test_invitation_and_reminder_blocks() -> None:
    script = SimpleNamespace(lang="zh", title="标题" * 100, intro="介绍" * 2000, consent="同意" * 10, minutes=15)
    inv = render.invitation(9, script)  # type: ignore[arg-type]
    valid(inv.blocks)
    assert [el["action_id"] for b in inv.blocks for el in b.get("elements", []) if el.get("type") == "button"] == [
        actions.ACTION_START, actions.ACTION_SNOOZE, actions.ACTION_DECLINE]
    valid(render.invitation(9, script, note="done").blocks)  # type: ignore[arg-type]
    valid(render.reminder(9, script, "paused").blocks)  # type: ignore[arg-type]
    valid(render.outcome_messages(9, [Asked(prompt("yesno"))], "zh")[0].blocks)


def test_split_text_keeps_escapes_whole() -> None:
    text = "a" * 2998 + "&amp;" + "b" * 10
    pieces = bk.split_text(text)
    assert all(len(p) <= bk.SECTION_TEXT_MAX for p in pieces)
    assert "".join(pieces) == text and not pieces[0].endswith("&am")
