"""Tell the CNA leads, by DM through the outbox, about work that needs a person (dead events, unclear sends)."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from app import outbox
from app.blocks import Message
from storage import repos

log = logging.getLogger("cna.slack.alerts")


async def leads_of(s: AsyncSession, configured: tuple[str, ...]) -> list[str]:
    """CNA_LEADS plus the current round's leads, in a stable order."""
    current = await repos.current_assessment(s)
    extra = list(current.lead_slack_ids) if current is not None else []
    return list(dict.fromkeys([*configured, *extra]))


async def alert_leads(s: AsyncSession, configured: tuple[str, ...], key: str, text: str) -> int:
    """Queue one DM per lead under `alert:{key}:{lead}` (so an alert is sent once); returns how many."""
    leads = await leads_of(s, configured)
    if not leads:
        log.warning("no CNA leads configured (CNA_LEADS) to alert: %s", key)
    n = 0
    for lead in leads:
        n += await outbox.post(s, f"alert:{key}:{lead}", lead, Message(f":warning: {text}"))
    return n
