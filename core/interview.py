"""The interview state machine: script + state + input in, new state + events out. Pure and deterministic."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from core.branching import applies, is_number, next_question
from core.choice_sounds import SOUNDS, repaired
from core.choices import (
    Lexicon,
    Match,
    Miss,
    check_values,
    dont_know_option,
    interpret,
    negated,
    own_words_choice,
    sense_choice,
    sense_torn,
    short_reply,
    torn,
)
from core.commands import parse_command
from core.declines import declines
from core.events import (
    Answered,
    Asked,
    Completed,
    Declined,
    Event,
    HelpShown,
    Interpreted,
    LetGo,
    Paused,
    Probed,
    Prompt,
    Reconsidered,
    Rejected,
    Resumed,
    Skipped,
    Started,
    WentBack,
)
from core.hedges import MAX_CHARS as HEDGED_MAX_CHARS
from core.inputs import Choose, Decline, Input, Pause, Reconsider, Reply, Resume, Start
from core.judge_nonanswer import first_clause, non_answer
from core.lang import lang_from_counts, unit_counts
from core.probe_alike import heard, restates
from core.probe_types import Prober
from core.probing import said_key
from core.script import Question, Script

ACTIVE = ("invited", "in_progress", "paused")
FINISHED = ("completed", "declined", "expired")
MAX_ANSWER_CHARS = 40_000  # Slack's own hard cap on a message; longer input is cut and marked
COMMENT = "comment"  # the decision of words typed to a closed question that name no option (kept, not lost)


@dataclass(frozen=True)
class PendingProbe:
    text: str
    reason: str
    family: str | None
    key: str | None


@dataclass(frozen=True)
class InterviewState:
    """Where an interview stands. Serialisable to JSON with to_dict / from_dict."""

    status: str = "invited"
    cursor: str | None = None
    depth: int = 0
    asked: tuple[str, ...] = ()
    pending: PendingProbe | None = None
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    history: tuple[str, ...] = ()
    # The ladder of the current question: how far up it reached and how many non-answers it had.
    rung: str | None = None
    nonanswers: int = 0
    # The whole interview: fingerprints of every probe asked (never the same words twice), the last
    # acknowledgement said (never twice in a row).
    said: tuple[int, ...] = ()
    last_ack: str | None = None
    # The current question's replies so far, as fingerprints of their content words (core/probe_alike.heard), so a
    # reply that only says the same again is noticed; never for an anonymous question, whose words stay unlinked.
    heard: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rung": self.rung, "nonanswers": self.nonanswers, "said": list(self.said), "last_ack": self.last_ack,
            "heard": list(self.heard),
            "status": self.status, "cursor": self.cursor, "depth": self.depth, "asked": list(self.asked),
            "pending": None if self.pending is None else {
                "text": self.pending.text, "reason": self.pending.reason,
                "family": self.pending.family, "key": self.pending.key},
            "values": {k: list(v) for k, v in self.values.items()}, "history": list(self.history),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InterviewState:
        p = data.get("pending")
        return cls(
            status=data.get("status", "invited"), cursor=data.get("cursor"), depth=int(data.get("depth", 0)),
            asked=tuple(data.get("asked", ())), pending=PendingProbe(**p) if p else None,
            values={k: tuple(v) for k, v in (data.get("values") or {}).items()},
            history=tuple(data.get("history", ())), rung=data.get("rung"),
            nonanswers=int(data.get("nonanswers") or 0), said=tuple(data.get("said") or ()),
            last_ack=data.get("last_ack"), heard=tuple(data.get("heard") or ()),
        )


# --- branching (core/branching.py decides which questions apply) ---------------------------------------

def progress(script: Script, state: InterviewState) -> tuple[int, int]:
    """(position, total) such as (3, 12). Questions not yet decided by branching count as ahead."""
    cursor_idx = script.index(state.cursor) if state.cursor else len(script.questions)
    position, total = 0, 0
    for i, q in enumerate(script.questions):
        refs_future = q.when is not None and any(
            script.index(c.question) >= cursor_idx for c in q.when.conditions())
        if refs_future or applies(q, state.values):
            total += 1
            if i <= cursor_idx:
                position += 1
    return max(position, 1), max(total, 1)


def prompt_for(script: Script, state: InterviewState, qid: str) -> Prompt:
    q = script.question(qid)
    pos, total = progress(script, replace(state, cursor=qid))
    return Prompt(question_id=q.id, kind=q.kind, text=q.text, help=q.help, position=pos, total=total,
                  choices=tuple((c.id, c.label) for c in q.choices),
                  scale=(q.scale.min, q.scale.max, q.scale.min_label, q.scale.max_label) if q.scale else None,
                  anonymous=q.sensitivity.anonymous, section=q.section)


# --- parsing choice answers ------------------------------------------------------------------------------
# core.choices reads typed replies (numbers in digits or Chinese, labels, part of a label, near spellings).

def parse_choice(q: Question, text: str, lexicon: Lexicon | None = None) -> tuple[str, ...] | None:
    """Turn typed text into choice ids ('2', '1,3', a label, 'yes', '4'); None when it does not fit."""
    found = interpret(q, text, lexicon)
    return found.values if isinstance(found, Match) else None


def _multi_ok(q: Question, values: tuple[str, ...]) -> bool:
    """At most max_choices, and an exclusive choice ("none of these") only on its own."""
    if q.kind != "multi":
        return True
    if q.max_choices is not None and len(values) > q.max_choices:
        return False
    exclusive = {c.id for c in q.choices if c.exclusive}
    return len(values) == 1 or not exclusive & set(values)


def validate_values(q: Question, values: tuple[str, ...]) -> bool:
    """Check button values against the question (clicks can be stale or tampered)."""
    if not values:
        return False
    if q.kind in ("single", "multi"):
        ids = {c.id for c in q.choices}
        return all(v in ids for v in values) and (q.kind == "multi" or len(values) == 1) and _multi_ok(q, values)
    if q.kind == "yesno":
        return len(values) == 1 and values[0] in ("yes", "no")
    if q.kind == "scale":
        assert q.scale is not None
        return len(values) == 1 and is_number(values[0]) and q.scale.min <= float(values[0]) <= q.scale.max
    return False


# --- the machine -----------------------------------------------------------------------------------------

def step(script: Script, state: InterviewState, inp: Input, prober: Prober,
         lexicon: Lexicon | None = None) -> tuple[InterviewState, list[Event]]:
    """Apply one input. Never raises for respondent input: bad input gives a Rejected event.
    `lexicon`: more labels per choice (the script's other language) that typed replies may use."""
    if isinstance(inp, Start):
        return _start(script, state)
    if isinstance(inp, Reconsider):
        return _reconsider(script, state)
    if state.status in FINISHED:
        return state, [Rejected("finished", state.status)]
    if isinstance(inp, Decline):
        return replace(state, status="declined", pending=None), [Declined()]
    if isinstance(inp, Pause):
        return _pause(state)
    if isinstance(inp, Resume):
        return _resume(script, state)
    if state.status == "invited":
        return state, [Rejected("not_started", None)]
    if isinstance(inp, Choose):
        return _choose(script, state, inp, prober)
    if isinstance(inp, Reply):
        return _reply(script, state, inp, prober, lexicon)
    raise TypeError(f"unknown input {inp!r}")


def _start(script: Script, state: InterviewState) -> tuple[InterviewState, list[Event]]:
    if state.status in ("in_progress", "paused"):
        return _resume(script, state)
    if state.status in FINISHED:
        return state, [Rejected("finished", state.status)]
    first = next_question(script, None, {})
    new = replace(state, status="in_progress", cursor=first)
    if first is None:
        return replace(new, status="completed"), [Started(), Completed(0)]
    return new, [Started(), Asked(prompt_for(script, new, first))]


def _reconsider(script: Script, state: InterviewState) -> tuple[InterviewState, list[Event]]:
    """A person who declined changed their mind: back to where they were (the start, or their question)."""
    if state.status != "declined":
        return state, [Rejected("not_declined", state.status)]
    back = replace(state, status="invited" if state.cursor is None else "paused")
    new, events = _start(script, back)
    return new, [Reconsidered(), *events]


def _pause(state: InterviewState) -> tuple[InterviewState, list[Event]]:
    if state.status != "in_progress":
        return state, [Rejected("not_in_progress", state.status)]
    return replace(state, status="paused"), [Paused()]


def _resume(script: Script, state: InterviewState) -> tuple[InterviewState, list[Event]]:
    if state.status == "invited":
        return _start(script, state)
    new = replace(state, status="in_progress")
    return new, [Resumed(), _reask(script, new)]


def _reask(script: Script, state: InterviewState) -> Event:
    assert state.cursor is not None
    if state.pending is not None:
        return Probed(state.cursor, state.depth, state.pending.text, state.pending.reason,
                      state.pending.family, state.pending.key, repeat=True)
    return Asked(prompt_for(script, state, state.cursor))


def _reply(script: Script, state: InterviewState, inp: Reply, prober: Prober,
           lexicon: Lexicon | None = None) -> tuple[InterviewState, list[Event]]:
    command = parse_command(inp.text)
    if command == "help":
        assert state.cursor is not None
        return state, [HelpShown(script.question(state.cursor).help), _reask(script, state)]
    if command == "pause":
        return _pause(state)
    if command == "resume":
        return _resume(script, state) if state.status == "paused" else (state, [_reask(script, state)])
    events: list[Event] = []
    if state.status == "paused":
        # Typing an answer while paused resumes the interview; the answer is kept, not dropped.
        state = replace(state, status="in_progress")
        events.append(Resumed())
    if command == "skip":
        return _skip(script, state, events)
    if command == "back":
        return _back(script, state, events)
    assert state.cursor is not None
    q = script.question(state.cursor)
    text = inp.text.strip()
    if not text:
        return state, [*events, Rejected("empty", None)]
    if q.kind != "open" and state.pending is None:
        found = read_choice(prober, script, q, text, lexicon)
        if isinstance(found, Miss) and found.reason in ("none", "dont_know") and declines(text):
            # "no comment", "这个不方便说": declining, not a reply to read again; an interviewer lets it go.
            return _skip(script, state, events, declined=True)
        if isinstance(found, Miss):
            return state, [*events, *_unmatched(q, text, found)]
        if found.rest:  # the items that named no option are kept as the person wrote them, as a comment
            events.append(_comment(q, text))
        if not found.exact:
            events.append(Interpreted(q.id, found.values, tuple(q.choice_label(v) for v in found.values),
                                      found.rest))
        return _record_choice(script, state, q, found.values, events)
    return _record_open(script, state, q, text, prober, events)


def read_choice(prober: Prober, script: Script, q: Question, text: str, lexicon: Lexicon | None = None) -> Match | Miss:
    """What a typed reply to a closed question means, as the interview reads it: the choice reader first, then, for
    a short reply that names no option, the judge of open answers (`_judged_choice`)."""
    found = interpret(q, text, lexicon, own_words=False)
    short = short_reply(text, [c.label for c in q.choices])
    if isinstance(found, Miss) and found.reason == "none" and short and \
            (fixed := repaired(text, _all_labels(q, lexicon), (lexicon or {}).get(SOUNDS))) is not None:
        # "质亮" for 质量: an input-method homophone of an option's character; taken only if it then names one
        again = interpret(q, fixed, lexicon, own_words=False)
        if isinstance(again, Match):
            found = Match(again.values, False, again.rest)
    if isinstance(found, Miss) and found.reason == "none" and short:
        found = _judged_choice(prober, script, q, text, lexicon=lexicon) or found
    if isinstance(found, Miss) and found.reason == "none":  # words shared with one option's label, last
        found = own_words_choice(q, text, lexicon) or found
    if isinstance(found, Miss) and found.reason == "none":  # words of the same meaning as one option's, the very last
        found = sense_choice(q, text, lexicon) or found
    if isinstance(found, Miss) and found.reason == "none" and not short and len(text) <= HEDGED_MAX_CHARS \
            and _opens_unsure(text):
        # Too long to name an option, short enough to be a shrug with a reason ("dunno really, I just sell",
        # "不太清楚，这块一直是老板在管"): a don't-know, not an answer in words to keep and ask about again. Only
        # when it opens with not knowing ("never had to chase a delivery, that's rare" is an answer in words) and
        # names no option in its own words ("价格无所谓，关键是出了问题能有人管" is service).
        found = _judged_choice(prober, script, q, text, topics=False) or found
    return found


def _all_labels(q: Question, lexicon: Lexicon | None) -> list[str]:
    """The option labels of this question in every language the lexicon has, a scale's end labels included ("非常蛮意"
    is a homophone typo of "非常满意")."""
    others = (lexicon or {}).get(q.id) or {}
    ends = [label for label in (q.scale.min_label, q.scale.max_label) if label] if q.scale is not None else []
    return [c.label for c in q.choices] + ends + [label for labels in others.values() for label in labels]


def _opens_unsure(text: str) -> bool:
    """The reply's first clause says the person does not know or defers ("dunno really", "不太清楚", "ask my boss")."""
    low = text.lower()
    cjk, words = unit_counts(low)
    signs = non_answer(first_clause(low), lang_from_counts(cjk, words) == "zh")
    return signs.unsure or signs.defer


def _judged_choice(prober: Prober, script: Script, q: Question, text: str, topics: bool = True,
                   lexicon: Lexicon | None = None) -> Match | Miss | None:
    """A short reply that names no option, read by the same judge as open answers. A don't-know ("dunno", "说不清")
    is the question's own "I don't know" option where it has one, else a Miss of its own. A shallow answer whose
    family is an option's id ("送货有时候慢" is speed, for "响应和交付速度") is that option, confirmed like any loose
    reading (not with `topics=False`, for a reply too long to be naming an option). A denial is never read as its
    topic."""
    decision = prober.decide(text, script.lang, depth=0, max_depth=1, question_id=q.id,
                             audience=script.audience.kind, question=f"{q.text}\n{q.intent}")
    if decision.reason == "dont_know":  # the question's own "I don't know" option where it has one
        # "depends on the customer" is not "I don't know": the answer hangs on something, so it is asked again
        unsure = [c.id for c in q.choices if dont_know_option(c.label)]
        return Match((unsure[0],), False) if len(unsure) == 1 and not torn(text) else Miss("dont_know")
    family = decision.reason.removeprefix("surface:")
    if topics and family != decision.reason and not negated(text) and not torn(text) \
            and any(c.id == family for c in q.choices) and not sense_torn(q, text, family, lexicon):
        return Match((family,), False)
    return None


def _unmatched(q: Question, text: str, miss: Miss) -> list[Event]:
    """A typed reply that names no option: one short hint, never the whole question again. Words that are an
    answer in their own right ("the budget is fixed at the start of the year") are kept as a comment on the
    question, and the question still waits for its choice. A don't-know gets no list of options to pick from
    but a kind word and the way on: an interviewer would not read the options out again to someone unsure."""
    # Words said are kept, however short ("whatever is cheapest", "地址经常不对", "only the field techs"): such a reply
    # is the person's answer in part, never dropped; a lone word, a stray key or a mistyped option ("meh", "x",
    # "不清楷") is not kept, nor a short shrug ("说不清", "depends").
    short = short_reply(text, [c.label for c in q.choices])
    if miss.reason == "dont_know":  # a shrug with a reason ("dunno really, I just sell") keeps the reason
        return [*([] if short else [_comment(q, text)]), Rejected("bad_choice", "dont_know", ())]
    said = _has_words(text) or not short
    if miss.reason == "none" and said:
        # "only the field techs", "有些人需要" to "Do staff need…?": a yes with its scope, or a part-way answer; the
        # question asks for the yes or no (or the option) that is left.
        return [_comment(q, text), Rejected("noted", q.kind, () if q.kind == "yesno" else _labels(q))]
    if miss.reason == "none" and q.kind == "yesno":
        return [Rejected("bad_choice", "yesno_none", ())]
    return [Rejected("bad_choice", miss.reason, miss.options or _labels(q))]


def _has_words(text: str) -> bool:
    """Three words or more, or four Chinese characters: something said ("only the field techs", "一半一半"), not a
    stray key, a lone "hmm" or a mistyped option ("不清楷")."""
    cjk, words = unit_counts(text.lower())
    return cjk >= 4 or words >= 3


def _comment(q: Question, text: str) -> Answered:
    """Words typed to a closed question, kept on it as the person's comment (never superseded by the choice)."""
    return Answered(q.id, 0, text[:MAX_ANSWER_CHARS], (), None, None, None, COMMENT, q.sensitivity.anonymous,
                    q.sensitivity.department, truncated=len(text) > MAX_ANSWER_CHARS)


def _labels(q: Question) -> tuple[str, ...]:
    if q.kind == "scale" and q.scale is not None:
        return (str(q.scale.min), str(q.scale.max))
    return tuple(c.label for c in q.choices)


def _choose(script: Script, state: InterviewState, inp: Choose, prober: Prober) -> tuple[InterviewState, list[Event]]:
    if inp.question_id != state.cursor or state.pending is not None:
        return state, [Rejected("stale", inp.question_id)]
    q = script.question(inp.question_id)
    if not validate_values(q, inp.values):
        why = check_values(q, inp.values) if q.kind == "multi" and inp.values else None
        return state, [Rejected("bad_choice", why.reason if why else q.kind, why.options if why else ())]
    events: list[Event] = []
    if state.status == "paused":
        state = replace(state, status="in_progress")
        events.append(Resumed())
    return _record_choice(script, state, q, inp.values, events)


def _record_choice(script: Script, state: InterviewState, q: Question, values: tuple[str, ...],
                   events: list[Event]) -> tuple[InterviewState, list[Event]]:
    text = ", ".join(q.choice_label(v) for v in values) if q.kind in ("single", "multi") else values[0]
    events.append(Answered(q.id, 0, text, values, None, None, None, "not_open",
                           q.sensitivity.anonymous, q.sensitivity.department))
    return _advance(script, state, q, values, events)


def _record_open(script: Script, state: InterviewState, q: Question, text: str, prober: Prober,
                 events: list[Event]) -> tuple[InterviewState, list[Event]]:
    truncated = len(text) > MAX_ANSWER_CHARS
    text = text[:MAX_ANSWER_CHARS]
    lang = script.lang
    decision = prober.decide(text, lang, depth=state.depth, max_depth=q.probe.max_depth,
                             families=q.probe.families, asked=state.asked, question_id=q.id,
                             closing=q.closing, audience=script.audience.kind, question=f"{q.text}\n{q.intent}",
                             nonanswers=state.nonanswers, rung=state.rung, said=state.said,
                             last_ack=state.last_ack, anonymous=q.sensitivity.anonymous,
                             segment=script.audience.segment)
    reply_lang = lang_from_counts(*unit_counts(text.lower()))
    if decision.fires and decision.label == "surface" and state.depth > 0 and restates(text, state.heard, reply_lang):
        # "就是系统不统一啊" after "系统不统一": the same claim again, said more firmly. A good interviewer hears that
        # there is nothing more behind it for now and moves on, rather than asking about it a third time.
        decision = replace(decision, probe=None, reason="restated")
    p = state.pending
    events.append(Answered(q.id, state.depth, text, (), p.text if p else None, p.reason if p else None,
                           p.family if p else None, decision.reason, q.sensitivity.anonymous,
                           q.sensitivity.department, truncated=truncated))
    # After "we can move on if nothing comes to mind" the next reply, whatever it is, ends the question: pushing
    # again would break the promise the way out made.
    offered_way_out = p is not None and p.reason == "way_out"
    if decision.fires and state.depth < q.probe.max_depth and not offered_way_out:
        assert decision.probe is not None
        depth = state.depth + 1
        asking = decision.spoken or decision.probe
        pending = PendingProbe(asking, decision.reason, decision.family, decision.key)
        new = replace(state, depth=depth, pending=pending,
                      asked=state.asked + ((decision.key,) if decision.key else ()),
                      said=state.said + (said_key(decision.probe),), rung=decision.rung or state.rung,
                      nonanswers=state.nonanswers + (decision.label == "dont_know"),
                      last_ack=decision.ack or state.last_ack,
                      heard=() if q.sensitivity.anonymous else
                      tuple(sorted({*state.heard, *heard(text, reply_lang)})))
        if depth == 1 and not q.sensitivity.anonymous:
            new = replace(new, values={**state.values, q.id: ()})
        events.append(Probed(q.id, depth, asking, decision.reason, decision.family, decision.key))
        return new, events
    if decision.reason == "declined":  # "I'd rather not say": no push; a kind word, then the next question
        events.append(LetGo(q.id, len(state.history)))
    values = state.values.get(q.id, ())
    return _advance(script, state, q, values, events)


def _advance(script: Script, state: InterviewState, q: Question, values: tuple[str, ...],
             events: list[Event]) -> tuple[InterviewState, list[Event]]:
    # Anonymous answers stay out of the state, which is linked to the person.
    new_values = dict(state.values)
    if not q.sensitivity.anonymous:
        new_values[q.id] = values
    history = state.history + (q.id,)
    nxt = next_question(script, q.id, new_values)
    new = replace(state, cursor=nxt, depth=0, asked=(), pending=None, rung=None, nonanswers=0, values=new_values,
                  history=history, heard=())
    if nxt is None:
        return replace(new, status="completed"), [*events, Completed(len(history))]
    return new, [*events, Asked(prompt_for(script, new, nxt))]


def _skip(script: Script, state: InterviewState, events: list[Event], *,
          declined: bool = False) -> tuple[InterviewState, list[Event]]:
    """Leave the question: typed *skip*, or (`declined`) a reply that declines to answer a closed question."""
    assert state.cursor is not None
    q = script.question(state.cursor)
    if state.pending is not None:
        # Skipping a follow-up ends the ladder; the answers already given stand.
        events.append(Skipped(q.id, state.depth))
        return _advance(script, state, q, state.values.get(q.id, ()), events)
    events.append(LetGo(q.id, len(state.history)) if declined else Skipped(q.id, 0))
    new_values = {k: v for k, v in state.values.items() if k != q.id}
    history = state.history + (q.id,)
    nxt = next_question(script, q.id, new_values)
    new = replace(state, cursor=nxt, depth=0, asked=(), pending=None, rung=None, nonanswers=0, values=new_values,
                  history=history, heard=())
    if nxt is None:
        return replace(new, status="completed"), [*events, Completed(len(history))]
    return new, [*events, Asked(prompt_for(script, new, nxt))]


def _back(script: Script, state: InterviewState, events: list[Event]) -> tuple[InterviewState, list[Event]]:
    """Back to the previous question, its answer and the current one's discarded. On the first question's follow-up
    there is no previous question: the person means the answer they just gave, so the first question starts again."""
    if not state.history:
        assert state.cursor is not None
        if state.cursor not in state.values:
            return state, [*events, Rejected("nothing_before", None), _reask(script, state)]
        values = {k: v for k, v in state.values.items() if k != state.cursor}
        new = replace(state, depth=0, asked=(), pending=None, rung=None, nonanswers=0, values=values, heard=())
        return new, [*events, WentBack(state.cursor, (state.cursor,)), Asked(prompt_for(script, new, state.cursor))]
    target = state.history[-1]
    discarded = (target,) + ((state.cursor,) if state.cursor and state.cursor in state.values else ())
    values = {k: v for k, v in state.values.items() if k not in discarded}
    new = replace(state, cursor=target, depth=0, asked=(), pending=None, rung=None, nonanswers=0, values=values,
                  history=state.history[:-1], heard=())
    return new, [*events, WentBack(target, discarded), Asked(prompt_for(script, new, target))]
