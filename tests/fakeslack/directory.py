"""The fake workspace's people and groups: users (users.info/list), user groups and channel members."""

from __future__ import annotations

import base64
import copy
from typing import Any

USER_ERRORS = ("user_not_found", "user_disabled", "user_not_visible")
SLACKBOT = "USLACKBOT"


class Directory:
    """Users by id. Entries in ``users`` are merged over a default profile; special keys:

    ``"error"``: one of user_not_found / user_disabled / user_not_visible, answered by conversations.open
    (users.info answers user_not_found only); ``"deleted": True`` implies user_disabled.
    Ids not configured get a default profile when ``auto_users`` is true, else they are user_not_found.
    """

    def __init__(
        self,
        team_id: str,
        bot_user_id: str,
        bot_id: str,
        users: dict[str, dict[str, Any]] | None,
        auto_users: bool,
        usergroups: dict[str, list[str]] | None,
        channels: dict[str, list[str]] | None,
    ) -> None:
        self.team_id = team_id
        self.auto_users = auto_users
        self.users: dict[str, dict[str, Any]] = {}
        self.usergroups: dict[str, list[str]] = dict(usergroups or {})
        self.channels: dict[str, list[str]] = dict(channels or {})
        self.add(bot_user_id, name="cna", real_name="CNA", is_bot=True, bot_id=bot_id)
        self.add(SLACKBOT, name="slackbot", real_name="Slackbot", is_bot=False)  # sic: Slack says False
        for user_id, fields in (users or {}).items():
            self.add(user_id, **fields)

    def _default(self, user_id: str) -> dict[str, Any]:
        name = user_id.lower()
        return {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": False,
            "real_name": f"User {user_id}",
            "tz": "UTC",
            "tz_label": "Coordinated Universal Time",
            "tz_offset": 0,
            "is_admin": False,
            "is_owner": False,
            "is_bot": False,
            "is_app_user": False,
            "is_restricted": False,
            "locale": "en-US",
            "profile": {"real_name": f"User {user_id}", "display_name": name, "email": f"{name}@example.com"},
        }

    def add(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """Add or update a user; ``profile`` is merged, ``real_name`` also sets ``profile.real_name``."""
        user = self.users.get(user_id) or self._default(user_id)
        profile = {**user["profile"], **fields.pop("profile", {})}
        if "real_name" in fields:
            profile["real_name"] = fields["real_name"]
        user.update(fields)
        user["profile"] = profile
        self.users[user_id] = user
        return user

    def error(self, user_id: str) -> str | None:
        """The error conversations.open gives for this user, or None if a DM can be opened."""
        user = self.users.get(user_id)
        if user is None:
            return None if self.auto_users and user_id[:1] in ("U", "W") else "user_not_found"
        if user.get("error"):
            return str(user["error"])
        return "user_disabled" if user.get("deleted") else None

    def get(self, user_id: str) -> dict[str, Any] | None:
        """The public user object (no "error" key), or None for user_not_found."""
        if self.error(user_id) == "user_not_found":
            return None
        user = self.users.get(user_id) or self._default(user_id)
        return {k: copy.deepcopy(v) for k, v in user.items() if k != "error"}

    def listed(self) -> list[dict[str, Any]]:
        """All configured users (with the bot and Slackbot), in insertion order."""
        return [u for u in (self.get(uid) for uid in self.users) if u is not None]


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def page(
    items: list[Any], cursor: str | None, limit: Any, default_limit: int = 100
) -> tuple[list[Any], str] | None:
    """One page and the next cursor ("" at the end); None when the cursor is invalid."""
    offset = 0
    if cursor:
        try:
            kind, _, number = base64.b64decode(cursor).decode().partition(":")
            offset = int(number)
        except (ValueError, UnicodeDecodeError):
            return None
        if kind != "offset" or offset < 0:
            return None
    size = int(limit) if str(limit or "").isdigit() and int(limit) > 0 else default_limit
    chunk = items[offset : offset + size]
    more = offset + size < len(items)
    return chunk, encode_cursor(offset + size) if more else ""
