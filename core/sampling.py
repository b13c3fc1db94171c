"""Stratified sampling arithmetic: how many to draw per stratum, and which ones, reproducibly from a seed."""

from __future__ import annotations

import hashlib
import math
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

ALLOCATIONS = ("proportional", "equal", "neyman")


class SamplingError(ValueError):
    """A sampling request that cannot be met as asked, with what to do instead."""


@dataclass(frozen=True)
class Allocation:
    """Target sizes per stratum. `ideal` is the exact (unrounded) share a stratum gets under the rule once strata
    held at their floor (`min_per_stratum`) or their ceiling (everyone in the stratum) are set aside; the target
    is within one of it. `fixed` names the strata held at a floor or ceiling."""

    targets: dict[str, int]
    ideal: dict[str, float]
    fixed: dict[str, str] = field(default_factory=dict)  # stratum -> "floor" | "all"
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.targets.values())


def parse_share(text: str) -> float:
    """'25%' or '0.25' -> 0.25; a clear error otherwise."""
    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise SamplingError(f"share {text!r} is not a number: write e.g. 25% or 0.25") from None
    if not 0 < value <= 1:
        raise SamplingError(f"share {text!r} must be more than 0% and at most 100%")
    return value


def size_for_share(population: int, share: float) -> int:
    """Half-up rounding of share x population, at least 1 when anyone is there."""
    return min(population, max(1 if population else 0, math.floor(share * population + 0.5)))


def parse_number(raw: str) -> float:
    """A number as CRM exports write it: '1,234,000', '1.234.000', '1.234,50', '€ 12,5', '3.5M' -> 3.5. The last of
    ',' and '.' is the decimal mark when both appear; a lone ',' is one unless three digits follow it."""
    t = re.sub(r"[^0-9,.\-]", "", raw)
    if "," in t and "." in t:
        t = t.replace(".", "").replace(",", ".") if t.rfind(",") > t.rfind(".") else t.replace(",", "")
    elif "," in t:
        head, _, tail = t.rpartition(",")
        t = t.replace(",", "") if len(tail) == 3 and t.count(",") >= 1 and head else t.replace(",", ".")
    elif t.count(".") > 1:
        t = t.replace(".", "")
    return float(t)


def stratum_sd(values: Iterable[float]) -> float:
    """The sample standard deviation of a numeric attribute in one stratum (0 for fewer than two values)."""
    vals = list(values)
    return statistics.stdev(vals) if len(vals) >= 2 else 0.0


def weights_for(method: str, populations: Mapping[str, int],
                variability: Mapping[str, float] | None = None) -> dict[str, float]:
    """The rule's relative weight per stratum: N_h (proportional), 1 (equal), N_h x S_h (Neyman)."""
    if method == "proportional":
        return {h: float(n) for h, n in populations.items()}
    if method == "equal":
        return {h: 1.0 for h in populations}
    if method == "neyman":
        if variability is None:
            raise SamplingError("Neyman allocation needs a variability per stratum: name a numeric column with "
                                "--neyman-by (e.g. revenue)")
        return {h: float(n) * max(0.0, float(variability.get(h, 0.0))) for h, n in populations.items()}
    raise SamplingError(f"allocation {method!r} is unknown: use one of {', '.join(ALLOCATIONS)}")


def allocate(populations: Mapping[str, int], size: int, method: str = "proportional", *,
             min_per_stratum: int = 0, variability: Mapping[str, float] | None = None) -> Allocation:
    """Split `size` over the strata by the rule, with no stratum below min(min_per_stratum, N_h) and none above
    N_h. Strata that hit a bound are fixed there and the rest is shared again among the others; the free
    strata's exact shares are rounded by largest remainder (ties to the larger stratum, then by name), so the
    total is exactly `size` unless the floors alone need more or the population has fewer."""
    if size < 0 or min_per_stratum < 0:
        raise SamplingError("sample size and minimum per stratum must be 0 or more")
    pops = {h: int(n) for h, n in sorted(populations.items()) if int(n) > 0}
    notes: list[str] = []
    weights = weights_for(method, pops, variability)
    if method == "neyman" and pops and not any(weights.values()):
        notes.append("no stratum varies on the Neyman column: allocated proportionally instead")
        weights = weights_for("proportional", pops)
    total_pop = sum(pops.values())
    if size > total_pop:
        notes.append(f"asked for {size} but only {total_pop} are in the population: all of them are drawn")
        size = total_pop
    floors = {h: min(min_per_stratum, n) for h, n in pops.items()}
    if sum(floors.values()) > size:
        notes.append(f"the minimum of {min_per_stratum} per stratum needs {sum(floors.values())}, more than "
                     f"the {size} asked for: the sample is that much larger")
        return Allocation(dict(floors), {h: float(v) for h, v in floors.items()},
                          {h: "floor" for h in floors}, notes)
    fixed: dict[str, int] = {}
    kinds: dict[str, str] = {}
    while True:
        free = [h for h in pops if h not in fixed]
        budget = size - sum(fixed.values())
        w = sum(weights[h] for h in free)
        if w <= 0 and budget > 0:  # the strata left do not vary (Neyman): share what is left by size
            weights.update({h: float(pops[h]) for h in free})
            w = sum(weights[h] for h in free)
        ideal = {h: (budget * weights[h] / w if w > 0 else 0.0) for h in free}
        over = [h for h in free if ideal[h] > pops[h]]
        under = [h for h in free if ideal[h] < floors[h]]
        if not over and not under:
            break
        # Fix the ceiling first: capping frees budget that can lift others above their floor. But only when the
        # capped strata leave enough for every other stratum's floor; else the floors go first (a Neyman rule
        # that puts everything on one small stratum must not push the total past `size`).
        rest = sum(floors[h] for h in free if h not in over)
        first = over if over and sum(pops[h] for h in over) + rest <= budget else (under or over)
        for h in first:
            fixed[h] = pops[h] if h in over else floors[h]
            kinds[h] = "all" if h in over else "floor"
    targets = dict(fixed)
    base = {h: math.floor(ideal[h]) for h in free}
    left = budget - sum(base.values())
    order = sorted(free, key=lambda h: (-(ideal[h] - base[h]), -pops[h], h))
    for i, h in enumerate(order):
        targets[h] = base[h] + (1 if i < left else 0)
    exact = {**{h: float(v) for h, v in fixed.items()}, **ideal}
    return Allocation(dict(sorted(targets.items())), dict(sorted(exact.items())), kinds, notes)


def rank(seed: str, member: str) -> str:
    """A member's place in the seed's random order: a hash of seed and member. Sorting a stratum by it is a
    uniformly random permutation that does not depend on the order of the list or on who else is in it, so the
    same seed gives the same sample and a re-imported list keeps everyone's place."""
    return hashlib.sha256(f"{seed}\x1f{member}".encode()).hexdigest()


def draw(strata: Mapping[str, Sequence[str]], targets: Mapping[str, int], seed: str) -> dict[str, list[str]]:
    """The first targets[h] members of each stratum in the seed's order (a simple random sample per stratum)."""
    out: dict[str, list[str]] = {}
    for h, members in sorted(strata.items()):
        ordered = sorted(set(members), key=lambda m: rank(seed, m))
        out[h] = ordered[:max(0, targets.get(h, 0))]
    return out


def top_up(strata: Mapping[str, Sequence[str]], wanted: Mapping[str, int], seed: str,
           excluded: Iterable[str]) -> dict[str, list[str]]:
    """Replacements: per stratum, the next `wanted[h]` members in the seed's order who were never drawn, never
    declined and never erased (`excluded` holds all of them). Nobody is ever drawn twice."""
    skip = set(excluded)
    out: dict[str, list[str]] = {}
    for h, n in sorted(wanted.items()):
        if n <= 0:
            continue
        ordered = sorted((m for m in set(strata.get(h, ())) if m not in skip), key=lambda m: rank(seed, m))
        out[h] = ordered[:n]
    return out


def stratum_key(values: Sequence[str]) -> str:
    """The label of a stratum: its attribute values joined, e.g. 'current / north'."""
    return " / ".join(v if v else "(blank)" for v in values)


@dataclass(frozen=True)
class StratumCheck:
    """Representativeness of one stratum: its share of the population against its share of completed
    interviews, flagged when they differ by more than the margin (in percentage points)."""

    stratum: str
    population_share: float
    completed_share: float
    flagged: bool

    @property
    def gap(self) -> float:
        return self.completed_share - self.population_share


def representativeness(population: Mapping[str, int], completed: Mapping[str, int],
                       margin: float = 0.05) -> list[StratumCheck]:
    """Each stratum's population share beside its completed share; flagged beyond `margin` (0.05 = 5 points)."""
    n_pop = sum(population.values())
    n_done = sum(completed.values())
    out = []
    for h in sorted(population):
        ps = population[h] / n_pop if n_pop else 0.0
        cs = completed.get(h, 0) / n_done if n_done else 0.0
        out.append(StratumCheck(h, ps, cs, n_done > 0 and abs(cs - ps) > margin + 1e-12))
    return out


def design_weights(population: Mapping[str, int], completed: Mapping[str, int]) -> dict[str, float]:
    """Per completed interview, how many customers of its stratum it stands for: N_h / completed_h (a design
    weight adjusted for non-response within the stratum). Strata with no completed interview get none."""
    return {h: population[h] / completed[h] for h in sorted(population) if completed.get(h)}
