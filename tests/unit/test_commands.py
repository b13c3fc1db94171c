"""Command words typed as people type them: wrapped in a few polite words, in English and Chinese."""

from __future__ import annotations

import pytest

from core.commands import parse_command
from core.consent import starts_interview


@pytest.mark.parametrize(("text", "command"), [
    ("skip", "skip"), ("Skip.", "skip"), ("跳过！", "skip"),
    ("can we skip this one?", "skip"), ("skip please", "skip"), ("yes let's move on", "skip"), ("ok next", "skip"),
    ("跳过吧", "skip"), ("算了，跳过", "skip"), ("跳过这题吧", "skip"), ("下一个", "skip"), ("下一题吧", "skip"),
    ("let's go back", "back"), ("could we pause for now", "pause"), ("我先暂停一下", "pause"),
    ("please help", "help"), ("？", "help"), ("继续吧", "resume"),
])
def test_a_command_wrapped_in_polite_words_is_the_command(text: str, command: str) -> None:
    assert parse_command(text) == command


@pytest.mark.parametrize("text", [
    "we skip the approval step", "next year we open a plant in Ningbo", "跳过审批就能快三天", "i'll be back",
    "not sure", "that's it", "就这样", "好的", "ok", "help me understand the question",
    "can we skip the part where finance re-keys every order into SAP?",
])
def test_an_answer_that_contains_a_command_word_stays_an_answer(text: str) -> None:
    assert parse_command(text) is None


@pytest.mark.parametrize(("text", "starts"), [
    ("start", True), ("开始吧", True), ("yes", True), ("Yes, I agree", True), ("是的", True), ("好的", True),
    ("ok let's go", True), ("有", False), ("1", False), ("no", False), ("not now", False),
    ("yes, our biggest problem is that quotes take three days", False),
])
def test_a_short_yes_to_the_consent_question_starts_the_interview_and_nothing_longer_does(text: str,
                                                                                           starts: bool) -> None:
    assert starts_interview(text) is starts
