"""The shipped script library: every script parses, languages agree, and every branch walks to the end."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.events import Asked, Completed, Rejected
from core.inputs import Choose, Input, Reply, Start
from core.interview import InterviewState, step
from core.probe_types import ProbeDecision
from core.script import Condition, Question, Script
from core.script_parse import check_translations, parse_script
from interview_scripts import CODEBOOK, SCRIPTS_DIR

EXPECTED_IDS = {
    "internal-sales",
    "internal-service",
    "internal-marketing",
    "internal-operations",
    "internal-finance",
    "internal-it",
    "internal-leadership",
    "customer-current",
    "customer-past",
    "customer-prospective",
}
FILES = sorted(SCRIPTS_DIR.glob("*.yaml"))
OPEN_TEXT = {
    "en": "In March two invoices were wrong, so we lost a week.",
    "zh": "三月有两张发票开错了，耽误了一周。",
}
SKIP_WORD = {"en": "skip", "zh": "跳过"}
SKIP = "<skip>"  # a policy entry meaning: type the skip command instead of answering
MAX_WALKS = 2000  # per script and language; far above what the library needs

Answer = tuple[str, ...] | str  # choice values for a button click, or SKIP / typed text


# --- loading ---------------------------------------------------------------------------------------------


def _ids_in(node: Any) -> set[str]:
    """Code ids anywhere under `codes:` or `children:`, as list items with `id` or as mapping keys."""
    ids: set[str] = set()
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key in ("codes", "children"):
                if isinstance(value, list):
                    ids |= {item["id"] for item in value if isinstance(item, Mapping) and "id" in item}
                elif isinstance(value, Mapping):
                    ids |= {str(k) for k in value}
            ids |= _ids_in(value)
    elif isinstance(node, list):
        for item in node:
            ids |= _ids_in(item)
    return ids


def codebook_ids() -> set[str] | None:
    """The codebook's ids (None while there is no codebook, so code hints are then not checked)."""
    if not CODEBOOK.exists():
        return None
    text = CODEBOOK.read_text(encoding="utf-8")
    try:
        from core.coding import parse_codebook
    except ImportError:
        ids = _ids_in(yaml.safe_load(text))
    else:
        ids = set(parse_codebook(text, str(CODEBOOK)).ids())
    assert ids, f"{CODEBOOK} exists but no code ids could be read from it"
    return ids


@pytest.fixture(scope="module")
def library() -> list[tuple[str, Script]]:
    ids = codebook_ids()
    return [(str(p), parse_script(p.read_text(encoding="utf-8"), str(p), ids)) for p in FILES]


@pytest.fixture(scope="module")
def by_key(library: list[tuple[str, Script]]) -> dict[tuple[str, str], Script]:
    return {(s.id, s.lang): s for _, s in library}


# --- the library as data ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_script_parses_and_is_named_after_its_id(path: Path):
    script = parse_script(path.read_text(encoding="utf-8"), str(path), codebook_ids())
    assert path.name == f"{script.id}.{script.lang}.yaml"


def test_every_script_id_exists_in_english_and_chinese(by_key):
    for lang in ("en", "zh"):
        ids = {sid for sid, lg in by_key if lg == lang}
        assert len(ids) >= 10, f"only {len(ids)} scripts in {lang}"
        assert ids >= EXPECTED_IDS, f"missing in {lang}: {sorted(EXPECTED_IDS - ids)}"
    assert {sid for sid, _ in by_key if (sid, "en") not in by_key or (sid, "zh") not in by_key} == set()


def test_translations_have_the_same_questions(library):
    assert [str(p) for p in check_translations(library)] == []


def test_translations_branch_code_and_protect_alike(by_key):
    """Stricter than check_translations: answers only compare if both languages branch and code alike."""
    for (sid, lang), zh in by_key.items():
        if lang != "zh":
            continue
        en = by_key[(sid, "en")]
        assert (en.audience, en.minutes, en.version) == (zh.audience, zh.minutes, zh.version), sid
        for qe, qz in zip(en.questions, zh.questions, strict=True):
            where = f"{sid}/{qe.id}"
            assert qe.when == qz.when, where
            assert qe.sensitivity == qz.sensitivity, where
            assert qe.codes == qz.codes, where
            assert qe.probe == qz.probe, where
            scale_en = qe.scale and (qe.scale.min, qe.scale.max)
            assert scale_en == (qz.scale and (qz.scale.min, qz.scale.max)), where


def test_every_question_has_intent_probe_policy_and_codes(library):
    for path, script in library:
        for q in script.questions:
            where = f"{path}: {q.id}"
            assert q.intent.strip(), where
            assert "probe" in q.model_fields_set, f"{where}: no explicit probe policy"
            assert 2 <= q.probe.max_depth <= 3 and q.probe.families, where
            assert q.codes, f"{where}: no code hints"


def test_scripts_fit_an_interview(library):
    for path, script in library:
        n_open = sum(q.kind == "open" for q in script.questions)
        assert 10 <= script.minutes <= 20, path
        assert 10 <= len(script.questions) <= 17, path
        assert n_open * 2 >= len(script.questions), f"{path}: open questions should dominate"
        assert any(q.when for q in script.questions), f"{path}: no branching"
        anonymous = [q for q in script.questions if q.sensitivity.anonymous]
        assert anonymous, f"{path}: no anonymous question"
        word = {"en": "anonymous", "zh": "匿名"}[script.lang]
        for q in anonymous:
            assert word in q.text.lower(), f"{path}: {q.id} does not tell the person it is anonymous"
            assert word in script.consent.lower(), f"{path}: consent does not explain anonymous questions"


def test_finance_restricts_billing_credit_and_revenue(by_key):
    for lang in ("en", "zh"):
        restricted = {
            q.id
            for q in by_key[("internal-finance", lang)].questions
            if q.sensitivity.department == "finance"
        }
        assert {"billing_disputes", "credit_terms", "revenue_reconcile"} <= restricted


def test_customer_scripts_ask_satisfaction_and_recommendation_as_numbers(by_key):
    for seg in ("customer-current", "customer-past"):
        scales = {(q.scale.min, q.scale.max) for q in by_key[(seg, "en")].questions if q.scale}
        assert {(1, 5), (0, 10)} <= scales, seg


# --- walking every branch ---------------------------------------------------------------------------------


class NeverProbes:
    """A prober that accepts every answer, so a walk visits each question exactly once."""

    def decide(
        self,
        text: str,
        lang: str,
        depth: int = 0,
        max_depth: int = 3,
        families: Any = None,
        asked: Any = (),
        question_id: str | None = None,
        **context: Any,
    ) -> ProbeDecision:
        return ProbeDecision(None, "specific")


def candidates(q: Question) -> list[Answer]:
    """Every answer that could steer a branch, including not answering at all."""
    if q.kind == "open":
        return ["text", SKIP]
    if q.kind == "yesno":
        out: list[Answer] = [("yes",), ("no",)]
    elif q.kind == "scale":
        assert q.scale is not None
        out = [(str(n),) for n in range(q.scale.min, q.scale.max + 1)]
    else:
        out = [(c.id,) for c in q.choices]
        if q.kind == "multi":
            out.append(tuple(c.id for c in q.choices if not c.exclusive))  # "none of these" goes alone
    return [*out, SKIP]


def default_answer(q: Question) -> Answer:
    return "text" if q.kind == "open" else candidates(q)[0]


def holds(cond: Condition, given: dict[str, tuple[str, ...]]) -> bool:
    """The documented meaning of one condition, written out independently of core.interview."""
    if cond.answered is not None:
        return (cond.question in given) == cond.answered
    if cond.question not in given:
        return False
    got = set(given[cond.question])
    results = []
    if cond.equals is not None:
        results.append(cond.equals in got)
    if cond.in_ is not None:
        results.append(bool(got & set(cond.in_)))
    if cond.not_in is not None:
        results.append(not got & set(cond.not_in))
    if cond.min is not None or cond.max is not None:
        value = float(given[cond.question][0]) if given[cond.question] else None
        results.append(
            value is not None
            and (cond.min is None or value >= cond.min)
            and (cond.max is None or value <= cond.max)
        )
    return all(results)


def should_ask(q: Question, given: dict[str, tuple[str, ...]]) -> bool:
    if q.when is None:
        return True
    return all(holds(c, given) for c in q.when.all) and (
        not q.when.any or any(holds(c, given) for c in q.when.any)
    )


def walk(script: Script, policy: dict[str, Answer]) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """Run one interview to the end; return the questions asked and the answers given."""
    prober = NeverProbes()
    state, events = step(script, InterviewState(), Start(), prober)
    asked: list[str] = []
    given: dict[str, tuple[str, ...]] = {}
    for _ in range(len(script.questions) + 1):
        prompts = [e for e in events if isinstance(e, Asked)]
        if not prompts:
            break
        q = script.question(prompts[-1].prompt.question_id)
        assert q.id not in asked, f"{script.key}: {q.id} asked twice"
        asked.append(q.id)
        answer = policy.get(q.id, default_answer(q))
        inp: Input
        if answer == SKIP:
            inp = Reply(SKIP_WORD[script.lang])
        elif isinstance(answer, str):
            inp = Reply(OPEN_TEXT[script.lang])
            given[q.id] = ()
        else:
            inp = Choose(q.id, answer)
            given[q.id] = answer
        state, events = step(script, state, inp, prober)
        assert not [e for e in events if isinstance(e, Rejected)], (script.key, q.id, answer, events)
    assert state.status == "completed", f"{script.key} did not complete: {state.status}"
    done = [e for e in events if isinstance(e, Completed)]
    assert done and done[0].answered == len(asked)
    assert asked == sorted(asked, key=script.index), f"{script.key}: questions out of order"
    for q in script.questions:
        assert (q.id in asked) == should_ask(q, given), (
            f"{script.key}: {q.id} {'asked' if q.id in asked else 'not asked'} with answers {given}"
        )
    return asked, given


def steering_questions(script: Script, q: Question) -> list[str]:
    """The questions q's branch depends on, directly or through their own branches, in script order."""
    todo, seen = [q], set()
    while todo:
        cur = todo.pop()
        for c in cur.when.conditions() if cur.when else ():
            if c.question not in seen:
                seen.add(c.question)
                todo.append(script.question(c.question))
    return sorted(seen, key=script.index)


def branch_policies(script: Script) -> Iterator[dict[str, Answer]]:
    """For each guarded question, every combination of answers to the questions that steer it."""
    yield {}
    for q in script.questions:
        if q.when is None:
            continue
        refs = steering_questions(script, q)
        for combo in itertools.product(*(candidates(script.question(r)) for r in refs)):
            yield dict(zip(refs, combo, strict=True))


SCRIPT_IDS = sorted({p.name.split(".")[0] for p in FILES})


@pytest.mark.parametrize("script_id", SCRIPT_IDS)
def test_every_branch_walks_to_completion_in_both_languages(by_key, script_id: str):
    en, zh = by_key[(script_id, "en")], by_key[(script_id, "zh")]
    seen: set[tuple[str, str, bool]] = set()
    walks = 0
    for policy in branch_policies(en):
        walks += 1
        assert walks <= MAX_WALKS, f"{script_id}: branching too deep to enumerate"
        asked_en, given = walk(en, policy)
        asked_zh, _ = walk(zh, policy)
        assert asked_en == asked_zh, f"{script_id}: en and zh branch differently for {policy}"
        for q in en.questions:
            if q.when is None:
                continue
            seen.add((q.id, "asked", q.id in asked_en))
            for i, c in enumerate(q.when.conditions()):
                seen.add((q.id, f"condition {i}", holds(c, given)))
    for q in en.questions:
        if q.when is None:
            continue
        labels = ["asked"] + [f"condition {i}" for i in range(len(q.when.conditions()))]
        for label, outcome in itertools.product(labels, (True, False)):
            assert (q.id, label, outcome) in seen, f"{script_id}: no walk where {q.id} {label} is {outcome}"


def test_a_guarded_question_is_skipped_when_its_condition_fails(by_key):
    """A hand-written case to anchor the enumerator: a happy customer never hears 'what went wrong'."""
    script = by_key[("customer-current", "en")]
    happy, _ = walk(script, {"satisfaction": ("5",), "top_value": ("price",)})
    unhappy, _ = walk(script, {"satisfaction": ("2",), "top_value": ("speed",)})
    assert "went_right" in happy and "went_wrong" not in happy and "price_beneath" in happy
    assert {"went_wrong", "to_five"} <= set(unhappy) and "went_right" not in unhappy
    assert "value_why" in unhappy and "price_beneath" not in unhappy
