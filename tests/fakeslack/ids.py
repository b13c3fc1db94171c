"""Unique, Slack-shaped identifiers: message timestamps, event, envelope, trigger, view and file ids."""

from __future__ import annotations

import itertools
import secrets
import string
import threading
import time
import uuid

_ALNUM = string.ascii_uppercase + string.digits
_lock = threading.Lock()
_last_ts_micros = 0
_counter = itertools.count(1)


def _alnum(n: int) -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(n))


def next_ts() -> str:
    """A message ts like "1700000000.000100": wall-clock based, unique and strictly increasing per process."""
    global _last_ts_micros
    with _lock:
        now = int(time.time() * 1_000_000)
        _last_ts_micros = max(now, _last_ts_micros + 1)
        value = _last_ts_micros
    return f"{value // 1_000_000}.{value % 1_000_000:06d}"


def event_id() -> str:
    """An Events API event_id like "Ev0PV52K21"."""
    return "Ev" + _alnum(10)


def envelope_id() -> str:
    """A Socket Mode envelope_id (a UUID, as Slack sends)."""
    return str(uuid.uuid4())


def trigger_id() -> str:
    """A trigger_id "<n>.<issued unix ms>.<hex>"; the fake reads the issue time to expire it (about 3 s)."""
    return f"{next(_counter)}.{int(time.time() * 1000)}.{secrets.token_hex(16)}"


def trigger_issued_at(trigger: str) -> float | None:
    """The unix time a trigger_id from :func:`trigger_id` was issued, or None for foreign shapes."""
    parts = trigger.split(".")
    if len(parts) != 3 or not parts[1].isdigit() or len(parts[1]) < 12:
        return None
    return int(parts[1]) / 1000


def prefixed(prefix: str, n: int = 10) -> str:
    """An id such as "V0123ABCD45" (views), "F..." (files), "B..." (bots)."""
    return prefix + _alnum(n)


def client_msg_id() -> str:
    """A client_msg_id (UUID) as Slack clients attach to typed messages."""
    return str(uuid.uuid4())
