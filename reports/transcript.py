"""Plain-text interview transcripts with the exact character span of every answer, for REFI-QDA sources."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reports.data import AnswerRow
from reports.guids import anonymous_source_guid, interview_guid

LABELS = {"en": ("Q", "A", "Probe"), "zh": ("问", "答", "追问")}


@dataclass(frozen=True)
class Span:
    answer_id: int
    start: int  # 0-based, in Unicode characters (code points)
    end: int  # exclusive: text[start:end] is the answer


@dataclass
class Transcript:
    guid: str
    name: str
    text: str
    round_id: int
    segment: str
    lang: str
    interview_id: int | None = None
    participant_id: int | None = None
    spans: list[Span] = field(default_factory=list)


def normalise(text: str) -> str:
    """One newline convention, so offsets mean the same in every tool."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _write(header: str, lang: str, ladder_groups: list[list[AnswerRow]]) -> tuple[str, list[Span]]:
    q_label, a_label, p_label = LABELS.get(lang, LABELS["en"])
    parts: list[str] = [normalise(header), "\n\n"]
    pos = sum(len(p) for p in parts)
    spans = []

    def add(s: str) -> None:
        nonlocal pos
        parts.append(s)
        pos += len(s)

    for steps in ladder_groups:
        add(f"{q_label}: {normalise(steps[0].question_text)}\n")
        for a in steps:
            if a.step > 0 and a.probe_text:
                add(f"{p_label}: {normalise(a.probe_text)}\n")
            add(f"{a_label}: ")
            text = normalise(a.text)
            spans.append(Span(a.id, pos, pos + len(text)))
            add(text + "\n")
        add("\n")
    return "".join(parts), spans


def _ladders(answers: list[AnswerRow], key: Callable[[list[AnswerRow]], Any] | None = None) -> list[list[AnswerRow]]:
    groups: dict[str, list[AnswerRow]] = defaultdict(list)
    for a in answers:
        groups[a.ladder_key].append(a)
    ordered = sorted(groups.values(), key=key or (lambda g: min(a.id for a in g)))
    return [sorted(g, key=lambda a: (a.step, a.id)) for g in ordered]


def build_transcripts(answers: list[AnswerRow], round_nos: dict[int, int]) -> list[Transcript]:
    """One transcript per interview (ladders in the order they were answered) and one per round and segment
    for anonymous answers, which carry no interview or person (ordered by question, not by time)."""
    by_interview: dict[int, list[AnswerRow]] = defaultdict(list)
    anonymous: dict[tuple[int, str], list[AnswerRow]] = defaultdict(list)
    for a in answers:
        if a.interview_id is None:
            anonymous[(a.round_id, a.segment)].append(a)
        else:
            by_interview[a.interview_id].append(a)
    out = []
    for iv_id in sorted(by_interview):
        rows = by_interview[iv_id]
        first = rows[0]
        version = f" v{first.script_version}" if first.script_version else ""
        header = (f"{first.pseudonym} · {first.segment} · {first.script_id}{version} ({first.lang}) · "
                  f"round {round_nos.get(first.round_id, first.round_id)}")
        text, spans = _write(header, first.lang, _ladders(rows))
        out.append(Transcript(interview_guid(iv_id), f"{first.pseudonym} {first.script_id}", text, first.round_id,
                              first.segment, first.lang, iv_id, first.participant_id, spans))
    for (round_id, segment), rows in sorted(anonymous.items()):
        no = round_nos.get(round_id, round_id)
        lang = rows[0].lang
        header = f"Anonymous answers · {segment} · round {no}"
        groups = _ladders(rows, key=lambda g: (g[0].script_id, g[0].question_id, g[0].ladder_key))
        text, spans = _write(header, lang, groups)
        out.append(Transcript(anonymous_source_guid(round_id, segment), f"anonymous {segment} round {no}", text,
                              round_id, segment, lang, None, None, spans))
    return out
