"""The interview state machine: branching, probing ladders, skip/back/pause/resume, choices, progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.catalog import load_catalog
from core.events import Answered, Asked, Completed, Probed, Rejected, Resumed, Skipped, WentBack
from core.inputs import Choose, Decline, Pause, Reply, Resume, Start
from core.interview import InterviewState, progress, step
from core.probe_types import ProbeDecision
from core.script_parse import parse_script

MINI = parse_script((Path(__file__).parent.parent / "fixtures" / "mini.en.yaml").read_text(), "mini.en.yaml")


class FakeProber:
    """Probes answers containing 'cheap' until max depth; 'that's all' stops."""

    def decide(self, text, lang, depth=0, max_depth=3, families=None, asked=(), question_id=None, **context):
        if depth >= max_depth:
            return ProbeDecision(None, "max_depth")
        if "that's all" in text.lower():
            return ProbeDecision(None, "stop_phrase")
        if "cheap" in text.lower():
            key = f"k{len(asked)}"
            assert key not in asked
            return ProbeDecision(f"Why does cheap matter? ({depth})", "surface:price", "ladder_up", key)
        return ProbeDecision(None, "specific")


P = FakeProber()


def run(inputs, state=None):
    state = state or InterviewState()
    all_events = []
    for inp in inputs:
        state, events = step(MINI, state, inp, P)
        all_events.extend(events)
    return state, all_events


def asked_ids(events):
    return [e.prompt.question_id for e in events if isinstance(e, Asked)]


def test_start_asks_first_question_with_progress():
    state, events = run([Start()])
    assert state.status == "in_progress" and state.cursor == "status"
    prompt = events[-1].prompt
    assert (prompt.position, prompt.total) == (1, 8)
    assert prompt.choices[0] == ("current", "Yes, still a customer")


def test_branch_skips_why_left_for_current_customers():
    state, events = run([Start(), Reply("1"), Reply("Reliable delivery because we run just in time"),
                         Reply("4"), Reply("nothing"), Reply("1,3"), Reply("yes")])
    assert "why_left" not in asked_ids(events)
    assert "low_sat" not in asked_ids(events)
    assert state.status == "completed"
    assert isinstance(events[-1], Completed)


def test_branch_asks_why_left_and_low_sat():
    _, events = run([Start(), Reply("No, we left"), Reply("They stopped answering after the merger"),
                     Reply("speed matters because our shifts are short"), Reply("2")])
    assert asked_ids(events) == ["status", "why_left", "need", "sat", "low_sat"]


def test_progress_counts_undecided_branches_then_shrinks():
    state, _ = run([Start()])
    assert progress(MINI, state) == (1, 8)
    state, _ = run([Reply("1")], state)
    assert progress(MINI, state) == (2, 7)  # why_left is now known not to apply


def test_ladder_probes_until_max_depth_and_records_each_step():
    state, events = run([Start(), Reply("1"), Reply("cheap"), Reply("cheap again"), Reply("still cheap")])
    probes = [e for e in events if isinstance(e, Probed)]
    answers = [e for e in events if isinstance(e, Answered) and e.question_id == "need"]
    assert [p.step for p in probes] == [1, 2]
    assert [a.step for a in answers] == [0, 1, 2]
    assert answers[1].probe_text == probes[0].text and answers[1].probe_reason == "surface:price"
    assert answers[2].decision == "max_depth"
    assert state.cursor == "sat" and state.depth == 0 and state.pending is None


def test_stop_phrase_ends_ladder():
    state, events = run([Start(), Reply("1"), Reply("cheap"), Reply("that's all")])
    assert state.cursor == "sat"
    assert [e.decision for e in events if isinstance(e, Answered)][-1] == "stop_phrase"


def test_skip_question_and_skip_probe():
    state, events = run([Start(), Reply("skip")])
    assert any(isinstance(e, Skipped) for e in events)
    assert state.cursor == "need" and "status" not in state.values  # skipped: why_left needs 'past'
    state, events = run([Reply("cheap"), Reply("skip")], state)
    assert state.cursor == "sat"
    assert state.values["need"] == ()  # the first answer stands


def test_back_reanswers_previous_and_rebranches():
    state, events = run([Start(), Reply("1"), Reply("back")])
    went = [e for e in events if isinstance(e, WentBack)]
    assert went and went[0].question_id == "status"
    assert state.cursor == "status" and "status" not in state.values
    state, events = run([Reply("2")], state)
    assert state.cursor == "why_left"


def test_back_in_middle_of_ladder_discards_current_question():
    state, events = run([Start(), Reply("1"), Reply("cheap"), Reply("back")])
    went = [e for e in events if isinstance(e, WentBack)][-1]
    assert went.question_id == "status" and "need" in went.discarded
    assert state.pending is None and state.depth == 0


def test_back_on_first_question_is_rejected():
    state, events = run([Start(), Reply("back")])
    assert any(isinstance(e, Rejected) and e.why == "nothing_before" for e in events)
    assert state.cursor == "status"


def test_pause_and_resume_where_stopped_even_mid_ladder():
    state, _ = run([Start(), Reply("1"), Reply("cheap"), Reply("pause")])
    assert state.status == "paused" and state.pending is not None
    restored = InterviewState.from_dict(state.to_dict())
    assert restored == state
    state, events = run([Resume()], restored)
    assert state.status == "in_progress"
    assert isinstance(events[0], Resumed) and isinstance(events[1], Probed) and events[1].repeat


def test_typing_an_answer_while_paused_resumes_and_keeps_it():
    state, _ = run([Start(), Pause()])
    state, events = run([Reply("1")], state)
    assert isinstance(events[0], Resumed)
    assert any(isinstance(e, Answered) and e.values == ("current",) for e in events)


def test_bad_choice_gets_one_hint_not_the_question_again():
    state, events = run([Start()])
    state, events = run([Reply("7")], state)
    assert events == [Rejected("bad_choice", "range", ("1", "2"))] and state.cursor == "status"


def test_buttons_and_stale_clicks():
    state, events = run([Start(), Choose("status", ("past",))])
    assert state.cursor == "why_left"
    state, events = run([Choose("status", ("current",))], state)  # a second click on the old question
    assert events == [Rejected("stale", "status")] and state.cursor == "why_left"


def test_tampered_choice_value_is_rejected():
    state, events = run([Start(), Choose("status", ("admin",))])
    assert events[-1].why == "bad_choice" and state.cursor == "status"


def test_scale_bounds_and_multi_parsing():
    state, _ = run([Start(), Reply("1"), Reply("we need reliable delivery because lines stop")])
    state, events = run([Reply("9")], state)
    assert events[0].why == "bad_choice"
    state, events = run([Reply("5"), Reply("x"), Reply("Spreadsheets, E-mail")], state)
    ans = [e for e in events if isinstance(e, Answered) and e.question_id == "tools"]
    assert ans[0].values == ("sheets", "email")


def test_anonymous_answer_is_marked_and_kept_out_of_state():
    state, events = run([Start(), Reply("1"), Reply("quality because of returns"), Reply("5"),
                         Reply("The boss never listens")])
    a = [e for e in events if isinstance(e, Answered) and e.question_id == "secret"][0]
    assert a.anonymous
    assert "secret" not in state.values


def test_help_shows_help_and_reasks_without_changing_state():
    state, _ = run([Start()])
    new, events = run([Reply("help")], state)
    assert new == state and isinstance(events[-1], Asked)


def test_chinese_command_words():
    state, events = run([Start(), Reply("跳过")])
    assert state.cursor == "need"
    state, events = run([Reply("暂停")], state)
    assert state.status == "paused"


def test_decline_and_finished_interviews_reject_input():
    state, events = run([Decline()])
    assert state.status == "declined"
    _, events = run([Reply("hello")], state)
    assert events[0].why == "finished"


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_answer_rejected(text):
    state, _ = run([Start(), Reply("1")])
    _, events = run([Reply(text)], state)
    assert events[-1].why == "empty"


def test_very_long_answer_is_capped_and_flagged():
    state, _ = run([Start(), Reply("1")])
    _, events = run([Reply("x" * 50_000)], state)
    a = [e for e in events if isinstance(e, Answered)][0]
    assert len(a.text) == 40_000 and a.truncated


def test_deterministic():
    inputs = [Start(), Reply("2"), Reply("cheap"), Reply("because budgets"), Reply("3"), Reply("more staff")]
    assert run(inputs) == run(inputs)


def test_multi_max_choices_and_exclusive_choice():
    state, _ = run([Start(), Reply("1"), Reply("quality because returns cost us"), Reply("5"), Reply("skip")])
    assert state.cursor == "tools"
    _, events = run([Reply("1,2,3")], state)
    assert events[0].why == "bad_choice"  # more than max_choices
    _, events = run([Reply("1,4")], state)
    assert events[0].why == "bad_choice"  # 'none' with another
    _, events = run([Choose("tools", ("sheets", "none"))], state)
    assert events[0].why == "bad_choice"
    new, events = run([Reply("4")], state)
    assert new.cursor == "more"



def test_back_on_the_first_questions_follow_up_starts_that_question_again():
    # Found by trying the bot: "back" right after the first answer's follow-up was refused ("no earlier question");
    # the person meant the answer they had just given.
    catalog = load_catalog()
    script = catalog.get("internal-sales", "en")
    first = script.questions[0]
    state = InterviewState(status="in_progress", cursor=first.id)
    state, events = step(script, state, Reply("mostly the quoting is slow"), catalog.prober)
    assert state.pending is not None and first.id in state.values
    state, events = step(script, state, Reply("back"), catalog.prober)
    assert [e for e in events if isinstance(e, WentBack)] == [WentBack(first.id, (first.id,))]
    assert state.cursor == first.id and first.id not in state.values and state.pending is None and state.depth == 0
    state, events = step(script, state, Reply("quotes take three days because every discount needs approval"),
                         catalog.prober)
    assert first.id in state.values and any(isinstance(e, Answered) for e in events)
