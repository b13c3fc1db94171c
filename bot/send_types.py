"""What the sender's parts share: a claimed outbox row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Row:
    """One outbox row as the sender claimed it (attempts already counts this try)."""

    id: int
    key: str
    method: str
    channel: str | None
    status: str
    attempts: int
    payload: dict[str, Any]
    created_at: Any
