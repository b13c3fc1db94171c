"""A share of people (k of n) that always carries its base, and when a base is too small to report as a finding."""

from __future__ import annotations

from dataclasses import dataclass

# Below this many people a percentage is shown as indicative and left out of the key findings: one or two
# voices can swing it by tens of points.
MIN_PEOPLE = 5


@dataclass(frozen=True)
class Share:
    """k of n, in a named unit (people unless said otherwise)."""

    k: int
    n: int

    @property
    def value(self) -> float | None:
        """k / n; None when nobody is in the base (a share of nobody is not 0%)."""
        return self.k / self.n if self.n else None

    @property
    def indicative(self) -> bool:
        """True when the base is under MIN_PEOPLE: report it with a caveat, never as a finding."""
        return self.n < MIN_PEOPLE

    def points(self) -> int | None:
        """The share as whole percentage points, rounded half away from zero like a person would."""
        v = self.value
        return None if v is None else int(100 * v + 0.5)


def gap_points(a: Share, b: Share) -> int | None:
    """a minus b in whole percentage points, from the rounded shares so the shown numbers add up."""
    pa, pb = a.points(), b.points()
    return None if pa is None or pb is None else pa - pb
