"""The prober's contract: what a probe decision holds and the protocol every prober follows."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

# Reasons a decision can carry. Probes fire for: surface:<family cue>, too_short, generic, dont_know.
# No probe for: specific, stop_phrase, max_depth, not_open, empty, exhausted (every fitting template used).
NO_PROBE_REASONS = frozenset({"specific", "stop_phrase", "max_depth", "not_open", "empty", "exhausted"})


@dataclass(frozen=True)
class ProbeDecision:
    """Whether to ask a follow-up, which one, and why."""

    probe: str | None
    reason: str
    family: str | None = None
    key: str | None = None  # identifies the template, so a ladder never repeats a probe
    cue: str | None = None  # the words in the answer that triggered it

    @property
    def fires(self) -> bool:
        return self.probe is not None


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
    ) -> ProbeDecision:
        """Decide for `text`, the answer after `depth` probes; `asked` holds keys of probes already used."""
        ...
