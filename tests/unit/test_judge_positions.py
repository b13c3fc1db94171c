"""More of the grammar of a non-answer (core/judge_positions.py): not placed to answer, declining, waiting on others,
no one answer; written from how people speak, in wordings of this file's own, with what must stay an answer."""

from __future__ import annotations

import pytest

from core.judge_nonanswer import non_answer


def _unsure_or_defer(text: str, zh: bool) -> bool:
    na = non_answer(text.lower(), zh)
    return na.unsure or na.defer


@pytest.mark.parametrize(("text", "zh"), [
    # not placed to answer
    ("this question doesn't really apply to my job", False), ("honestly I'm not the right person to ask", False),
    ("the controller has those numbers, I don't.", False), ("Lisa in billing would be your best bet", False),
    ("I came in after the migration so couldn't say", False), ("that wasn't my project, sorry", False),
    ("这个问题不太适用于我", True), ("到期日我这边没有。", True), ("那是我前任负责的", True), ("问我们组长吧", True),
    ("我们只负责装车", True), ("成本这块是财务在管", True),
    # declining
    ("I'd rather not say", False), ("I'll keep that to myself", False), ("that's a touchy subject, I'll pass on it",
                                                                         False),
    ("这个我不太想说", True), ("这个话题比较敏感", True), ("我先不回答了", True), ("不方便在这里讲", True),
    # waiting on others or on a decision
    ("that's still being discussed by the leadership team", False), ("still modelling it, ask me in March", False),
    ("还在讨论，没定", True), ("等方案出来再说吧", True), ("这个要管理层讨论", True), ("听领导安排", True),
    # no one answer, no sense of it, the other language's sign inside the answer
    ("every customer is different really", False), ("I have no feel for it", False), ("wish I knew", False),
    ("这个问题见仁见智", True), ("我记性不好", True), ("我怎么知道", True), ("这个嘛，hard to say", True),
    ("not sure, 不好意思, 说不好", False),
])
def test_not_placed_to_answer_declining_and_waiting_read_as_non_answers(text: str, zh: bool) -> None:
    assert _unsure_or_defer(text, zh)


@pytest.mark.parametrize(("text", "zh"), [
    ("我这边没问题了", True), ("没什么不方便说的", True), ("每次来的工程师都不一样", True),
    ("we're open weekdays only", False), ("I don't see the point of another dashboard", False),
    ("they never see what happens after the sale", False), ("客户经常问我们要发票", True),
    ("我最怕的就是在老板面前说不清钱花哪了", True), ("worried we can't tell which invoice it was", False),
    # what one would no longer have to live with: a consequence
    ("系统能自己报警，不用等客户打电话来我们才知道", True), ("能提前处理，而不是等出了事才知道", True),
    ("we'd see it first instead of not knowing until the customer calls", False),
])
def test_what_only_looks_like_them_stays_an_answer(text: str, zh: bool) -> None:
    assert not _unsure_or_defer(text, zh)
