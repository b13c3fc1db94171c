"""Modal submissions. The interview runs in DMs and opens no modals yet, so a submission is recorded
(for the audit trail and dedupe) and needs no further work."""

from __future__ import annotations

from bot.deps import Deps
from bot.worker import Item


async def on_view_submission(deps: Deps, item: Item) -> None:
    """Nothing to do: the worker marks the row done."""
