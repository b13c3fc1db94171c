"""Who was asked about a topic and who raised it, in people: the theme counts and the like-with-like gap.

A question asks about a topic when its code hints (`codes:` in the script) name the topic or a broader code
above it in the codebook (a question hinted `process` asks about every process code). A person was asked about
a topic when they answered such a question. A topic's share in a population is: people asked who raised it
(in any answer) / people asked. People who raised it without being asked are counted apart ("unprompted"), and
anonymous answers, which cannot be tied to a person, are counted apart as answers ("anonymous")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from core.shares import Share, gap_points

GROUPS = ("internal", "customer")


def group_of(segment: str) -> str:
    """'internal:sales' -> 'internal'; 'customer:past' -> 'customer'."""
    return segment.split(":", 1)[0]


def lineage(code: str, parents: Mapping[str, str | None]) -> list[str]:
    """The code and every code above it, nearest first (cycles stop)."""
    out, cur = [code], parents.get(code)
    while cur and cur not in out:
        out.append(cur)
        cur = parents.get(cur)
    return out


def topics_asked(hints: Iterable[str], topics: Iterable[str], parents: Mapping[str, str | None]) -> frozenset[str]:
    """The topics a question with these code hints asks about."""
    wanted = set(hints)
    return frozenset(t for t in topics if wanted.intersection(lineage(t, parents))) if wanted else frozenset()


@dataclass(frozen=True)
class Mention:
    """One answer: who gave it (None when anonymous), what its question asked about, which topics count."""

    segment: str
    person: str | None
    ladder: str
    asked: frozenset[str]
    codes: frozenset[str]


@dataclass(frozen=True)
class TopicCount:
    """A topic in one population (a segment or a group)."""

    asked: int = 0  # people asked about it
    raised: int = 0  # of them, people who raised it in any answer
    unprompted: int = 0  # people not asked about it who raised it anyway
    anonymous: int = 0  # anonymous answers (a question with its follow-ups) where it counts

    @property
    def share(self) -> Share:
        return Share(self.raised, self.asked)

    @property
    def people(self) -> int:
        """Everyone who raised it, asked or not (anonymous answers are not people)."""
        return self.raised + self.unprompted


@dataclass
class TopicTable:
    """Per topic, per segment and per group: asked, raised, unprompted, anonymous; and people per population."""

    by_segment: dict[str, dict[str, TopicCount]] = field(default_factory=dict)
    by_group: dict[str, dict[str, TopicCount]] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)  # segment or group -> people with any answer
    answers: dict[str, int] = field(default_factory=dict)  # topic -> answers (ladder steps) where it counts

    def count(self, topic: str, population: str) -> TopicCount:
        """The count for a segment ('customer:past') or a group ('customer')."""
        where = self.by_segment if ":" in population else self.by_group
        return where.get(topic, {}).get(population, TopicCount())


def topic_table(mentions: Iterable[Mention], topics: Iterable[str] | None = None) -> TopicTable:
    """Count every topic that was asked or raised (or only `topics`) per segment and per group."""
    people: dict[str, set[str]] = defaultdict(set)
    asked: dict[tuple[str, str], set[str]] = defaultdict(set)  # (topic, segment) -> people
    raised: dict[tuple[str, str], set[str]] = defaultdict(set)
    anon: dict[tuple[str, str], set[str]] = defaultdict(set)  # -> anonymous ladders
    answers: dict[str, int] = defaultdict(int)
    seen: set[str] = set()
    for m in mentions:
        for c in m.codes:
            answers[c] += 1
        seen |= m.codes | m.asked
        if m.person is None:
            for c in m.codes:
                anon[(c, m.segment)].add(m.ladder)
            continue
        people[m.segment].add(m.person)
        for c in m.asked:
            asked[(c, m.segment)].add(m.person)
        for c in m.codes:
            raised[(c, m.segment)].add(m.person)
    wanted = sorted(seen) if topics is None else list(topics)
    segments = sorted(set(people) | {s for _, s in anon})
    table = TopicTable(answers=dict(answers))
    for seg in segments:
        table.people[seg] = len(people[seg])
    groups = list(dict.fromkeys(group_of(s) for s in segments))  # in segment order: same output every run
    for g in groups:
        table.people[g] = len(set().union(*[people[s] for s in segments if group_of(s) == g]))
    for c in wanted:
        per_seg, per_group = {}, {}
        for g in groups:
            a_set: set[str] = set()
            r_set: set[str] = set()
            n_anon = 0
            for seg in (s for s in segments if group_of(s) == g):
                a, r = asked[(c, seg)], raised[(c, seg)]
                per_seg[seg] = TopicCount(len(a), len(r & a), len(r - a), len(anon[(c, seg)]))
                a_set |= a
                r_set |= r
                n_anon += len(anon[(c, seg)])
            per_group[g] = TopicCount(len(a_set), len(r_set & a_set), len(r_set - a_set), n_anon)
        table.by_segment[c] = per_seg
        table.by_group[c] = per_group
    return table


# --- internal belief vs customer reality, like with like ---------------------------------------------------------

@dataclass(frozen=True)
class GapRow:
    code: str
    internal: TopicCount
    customer: TopicCount

    @property
    def gap(self) -> int | None:
        """Staff share minus customer share in points: positive, staff believe it matters more; negative,
        customers raise it more. None unless both sides were asked."""
        return gap_points(self.internal.share, self.customer.share)

    @property
    def indicative(self) -> bool:
        """Either side's base is too small to report the difference as a finding."""
        return self.internal.share.indicative or self.customer.share.indicative


@dataclass(frozen=True)
class Gap:
    comparable: list[GapRow]  # asked of both sides, biggest gap first
    internal_only: list[GapRow]  # asked of staff only (customers may still have raised it unprompted)
    customer_only: list[GapRow]
    untied: list[GapRow]  # asked of nobody (e.g. a theme without a parent code), raised by someone


def gap(table: TopicTable) -> Gap:
    """Split the topics by who was asked about them; only topics asked of both sides are compared."""
    comparable, internal_only, customer_only, untied = [], [], [], []
    for code in table.by_group:
        i, c = table.count(code, "internal"), table.count(code, "customer")
        if not (i.people or c.people or i.anonymous or c.anonymous):
            continue
        row = GapRow(code, i, c)
        if i.asked and c.asked:
            comparable.append(row)
        elif i.asked:
            internal_only.append(row)
        elif c.asked:
            customer_only.append(row)
        else:
            untied.append(row)
    comparable.sort(key=lambda r: (-abs(r.gap or 0), r.code))
    internal_only.sort(key=lambda r: (-(r.internal.share.value or 0), r.code))
    customer_only.sort(key=lambda r: (-(r.customer.share.value or 0), r.code))
    untied.sort(key=lambda r: (-(r.internal.people + r.customer.people), r.code))
    return Gap(comparable, internal_only, customer_only, untied)


@dataclass(frozen=True)
class RoundChange:
    """Customers' share of a topic in the previous round and now, each with its base."""

    code: str
    before: Share
    after: Share

    @property
    def delta(self) -> int | None:
        return gap_points(self.after, self.before)

    @property
    def indicative(self) -> bool:
        return self.before.indicative or self.after.indicative


def compare_rounds(previous: TopicTable, current: TopicTable, group: str = "customer") -> list[RoundChange]:
    """How the group's share of each topic asked of it in both rounds moved, biggest change first."""
    out = []
    for code in sorted(set(previous.by_group) & set(current.by_group)):
        before, after = previous.count(code, group), current.count(code, group)
        if before.asked and after.asked and (before.raised or after.raised):
            out.append(RoundChange(code, before.share, after.share))
    return sorted(out, key=lambda r: (-abs(r.delta or 0), r.code))
