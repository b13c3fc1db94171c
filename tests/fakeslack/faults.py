"""Per-method fault injection: 429 every Nth call, errors, delays, dropped connections, revoked tokens."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tests.fakeslack.records import Call

ANY = "*"  # a rule under this name applies to every method without a rule of its own


@dataclass
class RateLimit:
    """Every ``every_n``-th call gets 429 + Retry-After; calls inside a Retry-After window are violations."""

    every_n: int
    retry_after: int
    strict: bool = False
    count: int = 0
    blocked_from: float = 0.0
    blocked_until: float = 0.0
    limited: int = 0


@dataclass
class Failure:
    """Answer ``error`` with HTTP ``status`` instead of performing the call; ``remaining`` None = always."""

    error: str
    status: int
    remaining: int | None


class Faults:
    """The fault rules of one fake, looked up by method name (falling back to ``"*"``)."""

    def __init__(self) -> None:
        self.rate_limits: dict[str, RateLimit] = {}
        self.failures: dict[str, Failure] = {}
        self.delays: dict[str, float] = {}
        self.resets: dict[str, int] = {}
        self.revoked: set[str] = set()  # token fingerprints; ANY revokes every token
        self.violations: dict[str, list[Call]] = {}

    def clear(self, method: str | None = None) -> None:
        """Forget the rules for one method, or all rules (and revocations) when method is None."""
        tables: list[dict] = [self.rate_limits, self.failures, self.delays, self.resets]
        for table in tables:
            if method is None:
                table.clear()
            else:
                table.pop(method, None)
        if method is None:
            self.revoked.clear()

    @staticmethod
    def _rule(table: dict, method: str):
        return table.get(method, table.get(ANY))

    def is_revoked(self, token_fp: str) -> bool:
        return ANY in self.revoked or token_fp in self.revoked

    def on_arrival(self, call: Call) -> None:
        """Note a call that arrived while its method was inside a Retry-After window."""
        rule = self._rule(self.rate_limits, call.method)
        if rule is not None and rule.blocked_from < call.at < rule.blocked_until:
            self.violations.setdefault(call.method, []).append(call)

    def rate_limited(self, method: str, now: float) -> int | None:
        """The Retry-After (seconds) if this call must get a 429, else None."""
        rule = self._rule(self.rate_limits, method)
        if rule is None:
            return None
        if rule.strict and now < rule.blocked_until:
            rule.limited += 1
            return max(1, math.ceil(rule.blocked_until - now))
        rule.count += 1
        if rule.count % rule.every_n:
            return None
        rule.limited += 1
        rule.blocked_from, rule.blocked_until = now, now + rule.retry_after
        return rule.retry_after

    def failure(self, method: str) -> Failure | None:
        """The failure to answer with for this call (consuming one of ``times``), if any."""
        rule = self._rule(self.failures, method)
        if rule is None:
            return None
        if rule.remaining is not None:
            if rule.remaining <= 0:
                return None
            rule.remaining -= 1
        return rule

    def delay(self, method: str) -> float:
        return self._rule(self.delays, method) or 0.0

    def take_reset(self, method: str) -> bool:
        """True if this call's connection must be dropped after processing (consumes one)."""
        key = method if method in self.resets else ANY
        if self.resets.get(key, 0) <= 0:
            return False
        self.resets[key] -= 1
        return True
