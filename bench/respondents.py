"""Simulated respondents: each plans a whole interview by running the same engine locally, then sends it.

The bot's engine is deterministic (core.interview.step with the shipped rule prober), so running it here
on the same script tells the respondent which question or follow-up comes next without reading replies,
and which answers each input must store. Choices are typed ("2", "1,3", "yes") or clicked (block_actions
with the action ids and values the bot renders), mixed by `click_share`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from app import actions
from bot import render
from core.events import Answered, Rejected
from core.inputs import Choose, Input, Reply, Start
from core.interview import InterviewState, step
from core.probe_types import Prober
from core.script import Question, Script

# Answers people give: short surface ones (the prober follows up) and specific ones (it moves on).
SURFACE = {
    "en": ["Faster.", "Better service", "Cheaper prices", "It should be easier", "Quality", "More features",
           "Speed mostly", "Good support"],
    "zh": ["更快。", "服务更好", "价格便宜", "更简单", "质量", "功能更多"],
}
SPECIFIC = {
    "en": ["We re-key every order from email into the ERP, which takes about 3 hours a week and causes two or "
           "three wrong deliveries a month.",
           "Last Tuesday a customer waited two days for a quote because the price list lives in a spreadsheet "
           "only Anna can edit, and we lost the deal to a competitor who answered the same day.",
           "Because our field team cannot see open tickets, they promise things support already refused, "
           "so customers call back angry; it happens maybe five times a week.",
           "When a key account changes its buyer we lose the history, so the new person gets the same "
           "questions again; last quarter that cost us a renewal worth 40k."],
    "zh": ["我们每周要花大约三个小时把邮件里的订单重新录入系统，每个月因此出现两三次发错货。",
           "上周二一个客户等了两天才拿到报价，因为价格表只有一个同事能改，结果订单被当天回复的竞争对手拿走了。",
           "因为外勤同事看不到工单，他们经常答应客服已经拒绝的事情，客户每周大约有五次打电话来投诉。"],
}
STOP = {"en": ["That's all.", "Nothing else to add", "No, that covers it"], "zh": ["没有了", "就这些"]}
START = {"en": "start", "zh": "开始"}
YES_NO = {"en": ("yes", "no"), "zh": ("是", "否")}


@dataclass
class Step:
    """One input a respondent sends: a DM (`text`) or a click (`action`); `answers` are the answer rows it
    must store, as (question id, ladder step, anonymous)."""

    text: str | None = None
    action: dict[str, Any] | None = None
    answers: list[tuple[str, int, bool]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "message" if self.action is None else "click"


@dataclass
class Respondent:
    user: str
    interview_id: int
    script: Script
    steps: list[Step] = field(default_factory=list)
    final_status: str = "invited"


def plan(user: str, interview_id: int, script: Script, prober: Prober, rng: random.Random, *,
         click_share: float = 0.3, help_share: float = 0.03, started: bool = False,
         state: InterviewState | None = None) -> Respondent:
    """A complete interview for one person: Start, then an input for every question and follow-up."""
    r = Respondent(user, interview_id, script)
    st = state or InterviewState()
    lang = script.lang if script.lang in SURFACE else "en"
    if not started:
        if rng.random() < click_share:
            act = _button(actions.ACTION_START, str(interview_id), f"invite.{interview_id}")
            st = _apply(r, script, st, Start(), prober, Step(action=act))
        else:
            st = _apply(r, script, st, Start(), prober, Step(text=START[lang]))
    while st.status == "in_progress" and st.cursor is not None and len(r.steps) < 300:
        q = script.question(st.cursor)
        if rng.random() < help_share:
            st = _apply(r, script, st, Reply("help"), prober, Step(text="help"))
            continue
        if q.kind == "open" or st.pending is not None:
            text = _open_text(lang, st, rng)
            st = _apply(r, script, st, Reply(text), prober, Step(text=text))
            continue
        values = _pick(q, rng)
        if rng.random() < click_share:
            st = _apply(r, script, st, Choose(q.id, values), prober, Step(action=_click(interview_id, q, values)))
        else:
            text = _typed(q, values, lang)
            st = _apply(r, script, st, Reply(text), prober, Step(text=text))
    r.final_status = st.status
    return r


def _apply(r: Respondent, script: Script, st: InterviewState, inp: Input, prober: Prober,
           s: Step) -> InterviewState:
    new, events = step(script, st, inp, prober)
    bad = [e for e in events if isinstance(e, Rejected)]
    if bad:
        raise AssertionError(f"planned input {inp!r} was rejected ({bad[0].why}) in {script.id}")
    s.answers = [(e.question_id, e.step, e.anonymous) for e in events if isinstance(e, Answered)]
    r.steps.append(s)
    return new


def _open_text(lang: str, st: InterviewState, rng: random.Random) -> str:
    if st.pending is None:
        return rng.choice(SURFACE[lang] if rng.random() < 0.5 else SPECIFIC[lang])
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(STOP[lang])
    return rng.choice(SPECIFIC[lang] if roll < 0.8 else SURFACE[lang])


def _choices(q: Question) -> list[str]:
    if q.kind == "yesno":
        return ["yes", "no"]
    if q.kind == "scale":
        assert q.scale is not None
        return [str(n) for n in range(q.scale.min, q.scale.max + 1)]
    return [c.id for c in q.choices]


def _pick(q: Question, rng: random.Random) -> tuple[str, ...]:
    ids = _choices(q)
    if q.kind == "multi":
        # The question's own rules: at most max_choices, and an exclusive choice ("none of these") alone.
        exclusive = {c.id for c in q.choices if c.exclusive}
        plain = [i for i in ids if i not in exclusive] or ids
        if exclusive and rng.random() < 0.1:
            return (rng.choice(sorted(exclusive, key=ids.index)),)
        most = min(3, len(plain), q.max_choices or len(plain))
        return tuple(sorted(rng.sample(plain, k=rng.randint(1, most)), key=ids.index))
    return (rng.choice(ids),)


def _typed(q: Question, values: tuple[str, ...], lang: str) -> str:
    if q.kind == "yesno":
        return YES_NO[lang][0 if values[0] == "yes" else 1]
    if q.kind == "scale":
        return values[0]
    ids = _choices(q)
    return ",".join(str(ids.index(v) + 1) for v in values)


def _button(action_id: str, value: str, block_id: str) -> dict[str, Any]:
    return {"action_id": action_id, "value": value, "block_id": block_id, "type": "button"}


def _click(iid: int, q: Question, values: tuple[str, ...]) -> dict[str, Any]:
    """The click the bot's own blocks offer for this question (bot/render.py)."""
    block_id = f"q:{iid}:{q.id}"
    ids = _choices(q)
    if q.kind == "multi":
        opts = [{"value": v} for v in values]
        return {**_button(actions.ACTION_SUBMIT, f"{iid}:{q.id}", block_id),
                "state": {block_id: {actions.ACTION_MULTI: {"type": "checkboxes", "selected_options": opts}}}}
    if q.kind == "single" and len(ids) > render.BUTTONS_MAX:
        return {"action_id": actions.ACTION_SELECT, "block_id": block_id, "type": "static_select",
                "selected_option": {"value": values[0]}}
    i = ids.index(values[0])
    return _button(f"{actions.ACTION_CHOICE}.{i}", f"{iid}:{q.id}:{values[0]}", block_id)
