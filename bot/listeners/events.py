"""Workspace events: the app was uninstalled or its tokens revoked, so sending stops until it is fixed."""

from __future__ import annotations

import logging
from typing import Any

from bot.deps import Deps
from bot.worker import Item
from storage.models import Workspace

log = logging.getLogger("cna.slack.events")


def bot_token_revoked(payload: dict[str, Any], bot_user_id: str | None) -> bool:
    """Whether a tokens_revoked event names our bot token. Slack lists the user ids of revoked user tokens
    under "oauth" and of bot tokens under "bot": a user who revokes their own authorisation (`"bot": []`)
    leaves the bot able to send. An event that lists nothing readable is taken at its word (halt)."""
    tokens = (payload.get("event") or {}).get("tokens")
    if not isinstance(tokens, dict) or not isinstance(tokens.get("bot"), list):
        return True
    bots = tokens["bot"]
    return bool(bots) and (bot_user_id is None or bot_user_id in bots)


async def on_revoked(deps: Deps, item: Item) -> None:
    """app_uninstalled / tokens_revoked: forget the token and halt the outbox for this workspace."""
    if item.kind == "tokens_revoked" and not bot_token_revoked(item.payload, deps.identity.bot_user_id):
        log.info("Slack says user tokens were revoked; the bot's own token is not among them, sending goes on")
        return
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
