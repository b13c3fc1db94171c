"""The prober's contract: what a probe decision holds and the protocol every prober follows."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Protocol

# Reasons a decision can carry. Probes fire for: surface:<family cue>, vague (superficial, no known cue),
# too_short, generic, dont_know, ladder:value (a consequence stated: ask why it matters), way_out (a second
# non-answer: offer to move on).
# No probe for: specific, stop_phrase, max_depth, not_open, empty, exhausted (every fitting template used),
# moved_on (a non-answer after the way out was offered), ladder_done (the ladder reached the value rung), declined
# (the person declined to answer: "I'd rather not say"; core/declines.py), restated (a reply to a follow-up that only
# says the earlier reply again: core/interview.py).
NO_PROBE_REASONS = frozenset({"specific", "stop_phrase", "max_depth", "not_open", "empty", "exhausted", "moved_on",
                              "ladder_done", "declined", "restated"})
RUNG_ORDER = ("attribute", "consequence", "value")


@dataclass(frozen=True)
class ProbeDecision:
    """Whether to ask a follow-up, which one, and why."""

    probe: str | None
    reason: str
    family: str | None = None
    key: str | None = None  # identifies the template, so a ladder never repeats a probe
    cue: str | None = None  # the words in the answer that triggered it
    score: float | None = None  # the judge's 0..1 specificity of the answer (None: rules alone decided)
    label: str | None = None  # the judge's class: surface | specific | stop | dont_know
    rung: str | None = None  # how far up the ladder the answer reaches: attribute | consequence | value
    ack: str | None = None  # the acknowledgement said before the probe
    why: tuple[tuple[str, float], ...] = ()  # with explain: the features that decided

    @property
    def fires(self) -> bool:
        return self.probe is not None

    @property
    def spoken(self) -> str | None:
        """What the person reads: the acknowledgement, then the probe ("明白了。您提到…" runs on, no space)."""
        if self.probe is None or not self.ack:
            return self.probe
        return f"{self.ack}{self.probe}" if self.ack[-1:] in "。！？，：" else f"{self.ack} {self.probe}"


class Prober(Protocol):
    """Decides, from one answer, whether a follow-up is needed."""

    def decide(
        self,
        text: str,
        lang: str,
        depth: int = 0,
        max_depth: int = 3,
        families: Collection[str] | None = None,
        asked: Collection[str] = (),
        question_id: str | None = None,
        **context: Any,
    ) -> ProbeDecision:
        """Decide for `text`, the answer after `depth` probes; `asked` holds keys of probes already used.

        `context` may carry closing, audience, question, nonanswers, rung, said, last_ack, explain, anonymous
        (see core.probing.RuleProber.decide)."""
        ...
