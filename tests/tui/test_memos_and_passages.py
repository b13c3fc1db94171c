"""Memos on an answer (stored with who and when, shown in the ladder, undoable) and span coding: a passage picked
by keyboard, stored in codings.span_start/span_end and shown underlined (issue 18)."""

from __future__ import annotations

from sqlalchemy import select
from textual.widgets import Checkbox, Static, TextArea

from storage.models import Coding, Memo
from storage.review.coding import passage_text
from tests.tui.helpers import SIZE, make_app, query, settle
from tui.screens.span_picker import words


async def test_a_memo_on_an_answer_is_stored_shown_and_undone(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        row = screen.current
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one(TextArea).text = "价格只是表面：预算按季度固定 — budget is fixed per quarter"
        app.screen.query_one(Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        [(text, author, in_report, created)] = await query(demo_url, select(
            Memo.text, Memo.author, Memo.in_report, Memo.created_at).where(
            Memo.target_kind == "answer", Memo.target_id == str(row.id)))
        assert text.startswith("价格只是表面") and author == "lead" and in_report and created is not None
        ladder = str(screen.query_one("#ladder", Static).render())
        assert "✎ memo · lead" in ladder and "in the report" in ladder and "预算按季度固定" in ladder
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not await query(demo_url, select(Memo.id))
        assert "✎ memo" not in str(screen.query_one("#ladder", Static).render())


async def test_a_passage_is_selected_by_word_and_coded(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        index = next(i for i, r in enumerate(screen.rows) if len(words(passage_text(r.text))) >= 6
                     and r.text.isascii())
        screen.table.move_cursor(row=index)
        await settle(pilot)
        row = screen.current
        text = passage_text(row.text)
        w = words(text)
        code = next(c.id for c in screen.codes if c.kind == "code" and c.id not in row.codes)
        await pilot.press("v", "right", "right", "shift+right", "right", "enter")  # words 2-4 (0-based 1..3)
        await pilot.press(*code, "enter")
        await settle(pilot)
        rows = await query(demo_url, select(Coding.span_start, Coding.span_end, Coding.status, Coding.coder).where(
            Coding.answer_id == row.id, Coding.code_id == code, Coding.source == "human"))
        assert rows == [(w[1][0], w[3][1], "applied", "lead")]
        ladder = str(screen.query_one("#ladder", Static).render())
        assert f"✂ {code} “{text[w[1][0]:w[3][1]]}”" in ladder
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not await query(demo_url, select(Coding.id).where(Coding.answer_id == row.id, Coding.code_id == code,
                                                                 Coding.source == "human"))


def test_chinese_words_are_characters_and_punctuation_is_skipped():
    assert [(a, b) for a, b in words("客户要便宜。Late delivery!")] == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5),
                                                                      (6, 10), (11, 19)]


async def test_memos_on_a_theme_an_opportunity_and_the_round(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for screen_key, note in (("1", "Round two: customers talk about delivery first"),
                                 ("3", "Merge with late deliveries?"), ("5", "Ask IT about the ERP feed")):
            await pilot.press(screen_key)
            await settle(pilot)
            await pilot.press("i")
            await settle(pilot)
            app.screen.query_one(TextArea).text = note
            await pilot.press("ctrl+s")
            await settle(pilot)
        memos = dict(await query(demo_url, select(Memo.target_kind, Memo.text)))
        assert memos == {"round": "Round two: customers talk about delivery first",
                         "code": "Merge with late deliveries?", "opportunity": "Ask IT about the ERP feed"}
        assert "Ask IT about the ERP feed" in str(app.screen.query_one("#opp-detail", Static).render())
        await pilot.press("3")
        await settle(pilot)
        assert "Merge with late deliveries?" in str(app.screen.query_one("#quotes-title").render())
        await pilot.press("1")
        await settle(pilot)
        assert "customers talk about delivery first" in str(app.screen.query_one("#summary", Static).render())
        labels = [c.label for c, _where in app.undo_stack]
        assert labels[0] == "write memo on the round" and labels[1].startswith("write memo on theme '")
