"""Branching: which questions of a script apply, given the answers so far. Pure."""

from __future__ import annotations

from core.script import Condition, Question, Script


def _condition_holds(cond: Condition, values: dict[str, tuple[str, ...]]) -> bool:
    got = values.get(cond.question)
    if cond.answered is not None:
        return (got is not None) == cond.answered
    if got is None:
        return False
    if cond.equals is not None and cond.equals not in got:
        return False
    if cond.in_ is not None and not set(cond.in_) & set(got):
        return False
    if cond.not_in is not None and set(cond.not_in) & set(got):
        return False
    if cond.min is not None or cond.max is not None:
        nums = [float(v) for v in got if is_number(v)]
        if not nums:
            return False
        if cond.min is not None and nums[0] < cond.min:
            return False
        if cond.max is not None and nums[0] > cond.max:
            return False
    return True


def is_number(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


def applies(question: Question, values: dict[str, tuple[str, ...]]) -> bool:
    """Whether a question is asked, given the answers so far."""
    if question.when is None:
        return True
    w = question.when
    if not all(_condition_holds(c, values) for c in w.all):
        return False
    return not w.any or any(_condition_holds(c, values) for c in w.any)


def next_question(script: Script, after: str | None, values: dict[str, tuple[str, ...]]) -> str | None:
    """The first question after `after` (or the first of all) that applies, or None at the end."""
    start = 0 if after is None else script.index(after) + 1
    for q in script.questions[start:]:
        if applies(q, values):
            return q.id
    return None
