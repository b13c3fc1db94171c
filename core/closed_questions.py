"""Choice, multi-choice, yes/no and scale answers: distributions per segment and group, scale summaries, NPS,
and the staff-vs-customer comparison of a forced-choice question asked of both sides.

The unit is people who answered the question: a named answer counts once per participant, an anonymous one once
(each interview asks a question once, so it is one person too, only not one we can name)."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.shares import Share, gap_points
from core.topics import GROUPS, group_of

PROMOTERS = (9, 10)  # the standard Net Promoter bands on a 0-10 likelihood scale
DETRACTORS = (0, 6)


@dataclass(frozen=True)
class QuestionKey:
    """One closed question as the analysis groups it: scripts that share the id and the same options are one
    question (the forced choice asked in every script), otherwise each option set is its own."""

    question_id: str
    kind: str  # single | multi | yesno | scale
    options: tuple[str, ...]  # choice ids in script order, or the scale's points, or ('yes', 'no')

    @property
    def is_nps(self) -> bool:
        """A 0-10 likelihood scale: reported as a Net Promoter score as well."""
        return self.kind == "scale" and self.options == tuple(str(v) for v in range(11))


@dataclass(frozen=True)
class ClosedAnswer:
    key: QuestionKey
    segment: str
    person: str | None  # None: anonymous
    ladder: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Tally:
    """A question in one population: how many people answered and how many picked each option."""

    n: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def share(self, option: str) -> Share:
        return Share(self.counts.get(option, 0), self.n)

    def numbers(self) -> list[int]:
        """Scale answers as numbers (one per person)."""
        out = []
        for v, k in self.counts.items():
            try:
                out += [int(v)] * k
            except ValueError:
                continue
        return sorted(out)

    @property
    def mean(self) -> float | None:
        xs = self.numbers()
        return sum(xs) / len(xs) if xs else None

    @property
    def median(self) -> float | None:
        xs = self.numbers()
        return float(statistics.median(xs)) if xs else None


@dataclass(frozen=True)
class Nps:
    promoters: int
    passives: int
    detractors: int

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> int | None:
        """% promoters minus % detractors, -100..100, from the rounded shares."""
        return gap_points(Share(self.promoters, self.n), Share(self.detractors, self.n))

    @property
    def indicative(self) -> bool:
        return Share(0, self.n).indicative


def nps(tally: Tally) -> Nps:
    p = d = m = 0
    for x in tally.numbers():
        if PROMOTERS[0] <= x <= PROMOTERS[1]:
            p += 1
        elif DETRACTORS[0] <= x <= DETRACTORS[1]:
            d += 1
        else:
            m += 1
    return Nps(p, m, d)


@dataclass(frozen=True)
class Distribution:
    key: QuestionKey
    by_segment: dict[str, Tally]
    by_group: dict[str, Tally]

    @property
    def paired(self) -> bool:
        """Asked of both staff and customers with the same options: compare the two side by side."""
        return self.key.kind in ("single", "multi", "yesno") and all(self.by_group.get(g) for g in GROUPS) \
            and all(self.by_group[g].n for g in GROUPS)


def _tally(answers: list[ClosedAnswer]) -> Tally:
    """One answer per person (the last one when a participant answered twice), anonymous ones each once."""
    latest: dict[str, tuple[str, ...]] = {}
    anonymous: list[tuple[str, ...]] = []
    for a in answers:
        if a.person is None:
            anonymous.append(a.values)
        else:
            latest[a.person] = a.values
    counts: Counter[str] = Counter()
    every = [*latest.values(), *anonymous]
    for values in every:
        counts.update(set(values))
    return Tally(len(every), dict(counts))


def distributions(answers: Iterable[ClosedAnswer]) -> list[Distribution]:
    """Per question: a tally per segment and per group, questions in first-seen order."""
    by_key: dict[QuestionKey, list[ClosedAnswer]] = defaultdict(list)
    for a in answers:
        by_key[a.key].append(a)
    out = []
    for key, rows in by_key.items():
        segs: dict[str, list[ClosedAnswer]] = defaultdict(list)
        for a in rows:
            segs[a.segment].append(a)
        groups: dict[str, list[ClosedAnswer]] = defaultdict(list)
        for a in rows:
            groups[group_of(a.segment)].append(a)
        out.append(Distribution(key, {s: _tally(v) for s, v in sorted(segs.items())},
                                {g: _tally(v) for g, v in groups.items()}))
    return out


@dataclass(frozen=True)
class PairedRow:
    option: str
    internal: Share
    customer: Share

    @property
    def gap(self) -> int | None:
        return gap_points(self.internal, self.customer)


def paired_rows(d: Distribution) -> list[PairedRow]:
    """Each option's share among staff and among customers who answered, in the question's option order."""
    i, c = d.by_group["internal"], d.by_group["customer"]
    return [PairedRow(o, i.share(o), c.share(o)) for o in d.key.options]
