"""Replay written respondents through the interview engine and score what the interviewer did after each reply.

The respondents (interview_scripts/corpus/conversations/respondents.jsonl) were written by someone who saw only
the scripts and the label definitions, never the probes or the judge: each open question has the person's
first answer and their replies to a first and second follow-up, each labelled. Run: python -m bench.replay
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from app.catalog import Catalog, load_catalog
from core.events import Asked, LetGo, Probed, Rejected
from core.inputs import Choose, Reply, Start
from core.interview import InterviewState, step
from core.probe_pick import said_key
from core.script import Script
from interview_scripts import probe_rules_path

ROOT = Path(__file__).resolve().parent.parent
RESPONDENTS = ROOT / "interview_scripts" / "corpus" / "conversations" / "respondents.jsonl"
RESULTS = ROOT / "bench" / "results" / "conversations.md"
# When the interviewer asks more follow-ups than the writer wrote replies for, the person says they are done.
ENOUGH = {"en": "that's all I have", "zh": "就这些了"}
# Words only a customer is asked: a staff member is never asked about their own purchases or need for help.
CUSTOMER_VOICE = ("would a lower price let you", "the last time you needed help", "you needed help",
                  "最近一次需要帮助", "价格低一些能让您", "您上次需要帮助")


@dataclass
class Turn:
    """One written reply and what the interviewer did next on the same question."""

    respondent: str
    question_id: str
    depth: int
    label: str
    rung: str | None
    text: str
    probe: Probed | None = None  # the follow-up it drew, if any
    let_go: bool = False  # read as declining to answer ("I'd rather not say"): let go kindly, not pushed

    @property
    def helped(self) -> bool:
        """A non-answer met as an interviewer would: a don't-know technique, or a decline respected."""
        return self.let_go or (self.probe is not None and self.probe.reason == "dont_know")


@dataclass
class Replay:
    """One respondent's interview: every reply, every follow-up, and anything that went wrong."""

    respondent: dict[str, Any]
    script: Script
    turns: list[Turn] = field(default_factory=list)
    probes: list[Probed] = field(default_factory=list)
    ran_out: int = 0  # follow-ups asked beyond the replies written
    typed_rejected: list[str] = field(default_factory=list)  # closed replies the engine did not understand
    completed: bool = False


def _acks(lang: str) -> list[str]:
    return list(yaml.safe_load(probe_rules_path(lang).read_text(encoding="utf-8"))["acknowledgements"])


ACKS = {lang: _acks(lang) for lang in ("en", "zh")}


def ack_of(text: str, lang: str) -> str | None:
    return next((a for a in ACKS[lang] if text.startswith(a)), None)


def bare(text: str, lang: str) -> str:
    a = ack_of(text, lang)
    return text[len(a):].strip() if a else text


def replay(catalog: Catalog, respondent: dict[str, Any]) -> Replay:
    """Run the whole interview, the person replying from their written answers."""
    script = catalog.get(respondent["script"], respondent["lang"])
    r = Replay(respondent, script)
    answers: dict[str, list[dict[str, Any]]] = respondent["answers"]
    closed: dict[str, str] = respondent.get("closed", {})
    given: Counter[str] = Counter()  # replies given per question
    state, events = step(script, InterviewState(), Start(), catalog.prober)
    last_turn: Turn | None = None
    for _ in range(400):
        if state.status != "in_progress":
            break
        for e in events:
            if isinstance(e, Probed) and not e.repeat:
                r.probes.append(e)
                if last_turn is not None and last_turn.question_id == e.question_id:
                    last_turn.probe = e
        asked = [e for e in events if isinstance(e, Asked | Probed)]
        last = asked[-1] if asked else None
        qid = state.cursor or ""
        if isinstance(last, Asked) and last.prompt.kind != "open":
            typed = str(closed.get(qid, ""))
            state, events = step(script, state, Reply(typed), catalog.prober) if typed else (state, [])
            if not typed or any(isinstance(e, Rejected) for e in events):
                r.typed_rejected.append(f"{qid}: {typed!r}")
                p = last.prompt
                if p.kind == "yesno":
                    state, events = step(script, state, Reply("yes" if script.lang == "en" else "是"), catalog.prober)
                else:
                    value = (str(p.scale[0]),) if p.scale else (p.choices[0][0],)
                    state, events = step(script, state, Choose(qid, value), catalog.prober)
            last_turn = None
            continue
        written = answers.get(qid, [])
        n = given[qid]
        given[qid] += 1
        if n < len(written):
            w = written[n]
            last_turn = Turn(respondent["id"], qid, n, w["label"], w.get("rung"), w["text"])
            r.turns.append(last_turn)
            text = w["text"]
        else:
            r.ran_out += 1
            last_turn = None
            text = ENOUGH[script.lang] if written else ("skip" if script.lang == "en" else "跳过")
        state, events = step(script, state, Reply(text), catalog.prober)
        if last_turn is not None:
            last_turn.let_go = any(isinstance(e, LetGo) and e.question_id == qid for e in events)
    for e in events:
        if isinstance(e, Probed) and not e.repeat:
            r.probes.append(e)
    r.completed = state.status == "completed"
    return r


def problems(r: Replay) -> list[str]:
    """What must never happen, whatever the judge decides."""
    lang, out = r.script.lang, []
    texts = [p.text for p in r.probes]
    keys = [said_key(bare(x, lang)) for x in texts]
    if len(set(keys)) != len(keys):
        out.append(f"a follow-up asked twice: {texts}")
    acks = [a for a in (ack_of(x, lang) for x in texts) if a]
    if any(a == b for a, b in pairwise(acks)):
        out.append(f"the same acknowledgement twice in a row: {acks}")
    if r.script.audience.kind == "internal":
        out += [f"a customer's question to staff: {x}" for x in texts if any(v in x.lower() for v in CUSTOMER_VOICE)]
    per_q: Counter[str] = Counter(p.question_id for p in r.probes)
    for q in r.script.questions:
        if per_q[q.id] > q.probe.max_depth:
            out.append(f"{q.id}: {per_q[q.id]} follow-ups, more than its max_depth {q.probe.max_depth}")
    reasons: dict[str, list[str]] = {}
    for p in r.probes:
        reasons.setdefault(p.question_id, []).append(p.reason)
    for qid, rs in reasons.items():
        # the engine's own view: one don't-know technique, then the way out, then nothing more on that question
        if "way_out" in rs and rs.index("way_out") != len(rs) - 1:
            out.append(f"{qid}: a push after the way out ({rs})")
        if rs.count("dont_know") > 1:
            out.append(f"{qid}: a second don't-know technique instead of the way out ({rs})")
    if not r.completed:
        out.append("the interview did not finish")
    return out


@dataclass
class Rate:
    """How often the interviewer did the right thing after one kind of reply."""

    name: str
    right: int = 0
    n: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, t: Turn) -> None:
        self.n += 1
        self.right += ok
        if not ok:
            got = f"{t.probe.reason}: {t.probe.text}" if t.probe else "no follow-up"
            self.misses.append(f"{t.respondent} {t.question_id} d{t.depth} «{t.text}» → {got}")

    @property
    def share(self) -> float:
        return self.right / self.n if self.n else 1.0


def rates(replays: list[Replay]) -> dict[str, Rate]:
    """Right decisions per kind of reply and language (a decision is what followed the reply on its question)."""
    out: dict[str, Rate] = {}

    def rate(name: str) -> Rate:
        return out.setdefault(name, Rate(name))

    prev: dict[tuple[str, str], str] = {}  # the label of the previous reply on the same question
    for r in replays:
        lang = r.script.lang
        max_depth = {q.id: q.probe.max_depth for q in r.script.questions}
        # The script may leave "why does it matter" (ladder_up) out of a factual question's follow-ups.
        value_allowed = {q.id for q in r.script.questions if "ladder_up" in q.probe.families}
        for t in r.turns:
            room = t.depth < max_depth.get(t.question_id, 0)  # may the interviewer still follow up?
            if t.depth == 0 and t.label == "specific":
                rate(f"{lang} specific first answer: no follow-up").add(t.probe is None, t)
            if t.label == "surface" and t.depth == 0 and room:
                rate(f"{lang} surface first answer: followed up").add(t.probe is not None, t)
            if t.label == "dont_know" and t.depth == 0 and room:
                rate(f"{lang} don't-know first answer: helped").add(t.helped, t)
            if t.label == "stop" and t.depth > 0:
                rate(f"{lang} stop after a follow-up: moves on").add(t.probe is None, t)
            if t.rung == "consequence" and t.depth > 0 and room and t.label != "stop":
                rate(f"{lang} consequence: asked why it matters").add(
                    t.probe is not None and t.probe.reason.startswith("ladder"), t)
                if t.question_id in value_allowed:
                    rate(f"{lang} consequence, where the script allows it: asked why it matters").add(
                        t.probe is not None and t.probe.reason.startswith("ladder"), t)
            if t.label == "dont_know" and t.depth > 0 and prev.get((r.respondent["id"], t.question_id)) == "dont_know" \
                    and room:
                rate(f"{lang} second non-answer: way out offered").add(
                    t.let_go or (t.probe is not None and t.probe.reason == "way_out"), t)
            prev[r.respondent["id"], t.question_id] = t.label
            if t.rung == "value" and t.depth > 0:
                rate(f"{lang} value reached: ladder ends").add(t.probe is None, t)
    return dict(sorted(out.items()))


def load(path: Path = RESPONDENTS) -> list[dict[str, Any]]:
    """The respondents of a .jsonl file; a missing file or a broken line is a SystemExit that says where."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SystemExit(f"{path}: {exc.strerror} (give a respondents file, e.g. "
                         "interview_scripts/corpus/conversations/respondents2.jsonl)") from None
    out = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except ValueError as exc:
                raise SystemExit(f"{path}:{n}: not JSON ({exc.msg}); check it with `cna scripts lint {path}`") \
                    from None
    return out


def main(argv: list[str] | None = None) -> int:
    """python -m bench.replay [RESPONDENTS.jsonl [RESULTS.md]]: the first development set by default. The others:
    python -m bench.replay interview_scripts/corpus/conversations/respondents2.jsonl bench/results/conversations2.md
    (respondents3.jsonl: conversations3.md)."""
    args = sys.argv[1:] if argv is None else argv
    source = Path(args[0]).resolve() if args else RESPONDENTS
    results = Path(args[1]) if len(args) > 1 else RESULTS
    catalog = load_catalog()
    replays = [replay(catalog, p) for p in load(source)]
    shown = source.relative_to(ROOT) if source.is_relative_to(ROOT) else source
    lines = ["# Written respondents replayed through the interviewer", "",
             f"{len(replays)} respondents ({shown}), written by someone who never saw the "
             "probes or the judge. A decision is what the interviewer did next on the same question.", "",
             "| after | right | share |", "|---|---|---|"]
    rs = rates(replays)
    lines += [f"| {r.name} | {r.right} / {r.n} | {r.share:.0%} |" for r in rs.values()]
    bad = [(r.respondent["id"], p) for r in replays for p in problems(r)]
    lines += ["", f"Rules that must always hold (no follow-up twice, no acknowledgement twice in a row, no customer "
              f"question to staff, no follow-up beyond a question's max_depth, one don't-know technique then the way "
              f"out and nothing after it, every interview finishes): "
              f"{len(bad)} broken.", ""]
    lines += [f"- {rid}: {p}" for rid, p in bad]
    ran_out = sum(r.ran_out for r in replays)
    typed = [x for r in replays for x in r.typed_rejected]
    lines += [f"Follow-ups beyond the written replies: {ran_out}. Typed replies to closed questions not understood: "
              f"{len(typed)}" + (f" ({'; '.join(typed[:10])})" if typed else "") + ".", "", "## Misses", ""]
    for r in rs.values():
        if "where the script allows" not in r.name:  # its misses are among the line above's
            lines += [f"- {m}" for m in r.misses]
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:len(rs) + 8]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
