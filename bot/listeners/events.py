"""Workspace events: the app was uninstalled or its tokens revoked, so sending stops until it is fixed."""

from __future__ import annotations

import logging

from bot.deps import Deps
from bot.worker import Item
from storage.models import Workspace

log = logging.getLogger("cna.slack.events")


async def on_revoked(deps: Deps, item: Item) -> None:
    """app_uninstalled / tokens_revoked: forget the token and halt the outbox for this workspace."""
    team = str(item.payload.get("team_id") or deps.identity.team_id)
    async with deps.db.uow() as uow:
        ws = await uow.session.get(Workspace, team)
        if ws is None:
            ws = Workspace(team_id=team)
            uow.session.add(ws)
        ws.bot_token = None
        ws.revoked_at = deps.clock()
        ws.halted_reason = item.kind
        await item.mark_done(uow.session, deps.clock())
        await uow.commit()
    log.error("Slack says %s for workspace %s: sending is halted. Reinstall the app, update SLACK_BOT_TOKEN "
              "and restart 'cna serve'.", item.kind, team)
