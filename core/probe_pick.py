"""Choosing a probe's words: the person's audience first, then the shared wording, never words asked before."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from core.probe_alike import same_ask
from core.probe_types import ProbeDecision

EXHAUSTED = "exhausted"
# Wordings that ask the person to name someone ("Which customer or colleague comes to mind…?"): never to an anonymous
# question, whose answer is stored unlinked (a blind rater of held-out interviews marked it every time).
NAMES_SOMEONE = re.compile(r"which customer or colleague|哪位客户或同事|浮现的是哪位|想到的是哪位", re.I)
# Wordings that presume the person is with us today ("What happens today when the cost comes in higher…?", "是和现在付的
# 价格比…？"): a former customer is asked them only when nothing else is left.
PRESENT = re.compile(r"\btoday\b|\bright now\b|\bcurrently\b|\byou pay\b|\byou are looking at\b|"
                     "现在(?:付|用|的做法|这方面|大概)|和现在(?:比|相比)|目前(?:用|的)|正在考虑", re.I)


@dataclass(frozen=True)
class Situation:
    """The wording for one kind of answer: family preference per depth, and the templates by family."""

    order: tuple[tuple[str, ...], ...]  # family preference per depth; the last row serves deeper levels
    probes: Mapping[str, tuple[tuple[str, str], ...]]  # family -> ((key, template), ...)


def _merged(first: Situation | None, then: Situation | None) -> Situation | None:
    """One situation with, per family, `first`'s wordings before `then`'s; the family order of whichever has one
    (`then`'s first: the shared wording's order is the one the segment's few wordings were written into)."""
    if first is None or then is None:
        return first or then
    families = dict.fromkeys([*first.probes, *then.probes])
    probes = {f: (*first.probes.get(f, ()), *then.probes.get(f, ())) for f in families}
    return Situation(then.order or first.order, probes)


def said_key(text: str) -> int:
    """A short fingerprint of a probe's words, so an interview can remember every probe it asked."""
    return zlib.crc32(" ".join(text.lower().split()).encode())


class Picker:
    """Chooses the probe's words: the person's audience first, then the shared wording, then 'any'."""

    def __init__(self, rules: Any, audience: str, families: Collection[str] | None,
                 asked: Collection[str], said: Collection[int], question_id: str | None, last_ack: str | None,
                 acks: bool = True, anonymous: bool = False, segment: str | None = None):
        self.r = rules  # core.probing's compiled rules of the language the probe is phrased in
        self.audience = self.r.by_audience.get(audience, {})
        # A customer segment with wording of its own (`customer_past`: former customers, asked about their time with
        # us, never "today"), tried before the shared customer wording.
        self.segment = self.r.by_audience.get(f"{audience}_{segment}", {}) if segment else {}
        self.families = families
        self.used = set(asked)
        self.said = set(said)
        # Rotating by question keeps one interview from opening every ladder with the same words,
        # while the same question always gets the same probe.
        self.spin = zlib.crc32(question_id.encode()) if question_id else 0
        self.last_ack = last_ack
        self.acks = acks
        self.anonymous = anonymous

    def _sources(self, situation: str) -> list[Situation]:
        # Staff get their own wording (about their work and their customers), then the neutral fallback; the
        # shared wording of a situation is a customer's voice ("what would a lower price let you do?").
        r, mine = self.r, self.audience
        if self.segment:  # per family, the segment's own words first, then the shared customer wording
            first = [_merged(self.segment.get(situation), r.situations.get(situation)),
                     _merged(r.situations["any"], self.segment.get("any"))]
        else:
            first = [mine.get(situation), mine.get("any")] if mine else [r.situations.get(situation)]
        return [s for s in (*first, r.situations["any"]) if s is not None]

    def __call__(self, situation: str, reason: str, cue: str, row_index: int, seen: Mapping[str, Any], *,
                 ack: bool = True, only: Collection[str] | None = None,
                 fits: Callable[[str], bool] | None = None, repeat_ok: bool = False,
                 skip: Collection[str] = (), any_family: bool = False, timeless: bool = True) -> ProbeDecision:
        """The first wording, by the row's family order, not asked before and not asking again in other words what
        this question's ladder already asked (core.probe_alike); with `fits`, the first that also fits the answer
        (core.probe_fit). When none is left, a rewording of an earlier probe, then a wording that fits less. `skip`:
        families that would ask what the answer already says (which part, when it named the part); `any_family`: the
        question's own family list does not apply (asking for the part of the question left out is no probe type);
        `timeless`: for a segment with wording of its own (former customers), no wording that presumes today
        (PRESENT) until nothing else is left."""
        sources = self._sources(situation)
        orders = sources[0].order
        row = orders[min(max(row_index, 0), len(orders) - 1)]
        used_texts = {self.r.texts[k] for k in self.used if k in self.r.texts}
        lang = self.r.lang
        for source in sources:
            for family in row:
                if (self.families is not None and family not in self.families and not any_family) \
                        or (only and family not in only) or family in skip:
                    continue
                options = source.probes.get(family, ())
                for i in range(len(options)):
                    key, template = options[(self.spin + i) % len(options)]
                    if not cue and "{cue}" in template:
                        continue
                    text = template.format(cue=cue)
                    if key in self.used or template in used_texts or said_key(text) in self.said:
                        continue
                    if not repeat_ok and any(same_ask(template, u, lang) for u in used_texts):
                        continue
                    if fits is not None and not fits(template):
                        continue
                    if self.anonymous and NAMES_SOMEONE.search(template):
                        continue
                    if timeless and self.segment and PRESENT.search(template):
                        continue
                    return ProbeDecision(text, reason, family, key, cue or None, ack=self._ack() if ack else None,
                                         **seen)
        if not repeat_ok and used_texts:  # asking again in other words is better than stopping a ladder early
            return self(situation, reason, cue, row_index, seen, ack=ack, only=only, fits=fits, repeat_ok=True,
                        skip=skip, timeless=timeless)
        if fits is not None or skip:  # a follow-up that fits less is better than none after a shallow answer
            return self(situation, reason, cue, row_index, seen, ack=ack, only=only, timeless=timeless)
        if timeless and self.segment:  # last: a wording that presumes today, rather than no follow-up at all
            return self(situation, reason, cue, row_index, seen, ack=ack, only=only, fits=fits, skip=skip,
                        any_family=any_family, timeless=False)
        return ProbeDecision(None, EXHAUSTED, cue=cue or None, **seen)

    def way_out(self, seen: Mapping[str, Any]) -> ProbeDecision:
        """The offer to move on; once every wording was used in this interview, the bot just moves on."""
        for i in range(len(self.r.way_out)):
            key, text = self.r.way_out[(self.spin + i) % len(self.r.way_out)]
            if key not in self.used and said_key(text) not in self.said:
                return ProbeDecision(text, "way_out", "dont_know", key, **seen)
        return ProbeDecision(None, "moved_on", **seen)

    def _ack(self) -> str | None:
        acks: tuple[str, ...] = self.r.acks
        if not self.acks or not acks:
            return None
        last = acks.index(self.last_ack) if self.last_ack in acks else -1
        # The next one in a rotation that starts somewhere different for each question: varied, never the
        # same twice in a row (with one acknowledgement only, the same one is all there is).
        i = (self.spin + last + 1) % len(acks)
        if i == last and len(acks) > 1:
            i = (i + 1) % len(acks)
        return acks[i]
