"""conversations.open, conversations.members, users.info, users.list and usergroups.users.list."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from tests.fakeslack.api import error, method, ok
from tests.fakeslack.directory import page

if TYPE_CHECKING:
    from tests.fakeslack.server import FakeSlack


@method("conversations.open")
def conversations_open(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    if body.get("channel"):
        return ok(no_op=True, already_open=True, channel={"id": body["channel"]})
    users = [u.strip() for u in str(body.get("users") or "").split(",") if u.strip()]
    if not users:
        return error("users_list_not_supplied")
    for user_id in users:
        problem = fake.directory.error(user_id)
        if problem:
            return error(problem)
        if (fake.directory.get(user_id) or {}).get("is_bot"):
            return error("cannot_dm_bot")
    channel = "D" + users[0] if len(users) == 1 else "G" + "".join(sorted(users))[:10]
    already = channel in fake.opened_channels
    fake.opened_channels.add(channel)
    return ok(no_op=already, already_open=already, channel={"id": channel})


@method("users.info")
def users_info(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    user = fake.directory.get(str(body.get("user") or ""))
    return ok(user=user) if user else error("user_not_found")


@method("users.list")
def users_list(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    result = page(fake.directory.listed(), body.get("cursor"), body.get("limit"), default_limit=200)
    if result is None:
        return error("invalid_cursor")
    members, next_cursor = result
    return ok(members=members, cache_ts=int(time.time()), response_metadata={"next_cursor": next_cursor})


@method("usergroups.users.list")
def usergroups_users_list(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    users = fake.directory.usergroups.get(str(body.get("usergroup") or ""))
    return error("no_such_subteam") if users is None else ok(users=list(users))


@method("conversations.members")
def conversations_members(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    members = fake.directory.channels.get(str(body.get("channel") or ""))
    if members is None:
        return error("channel_not_found")
    result = page(members, body.get("cursor"), body.get("limit"))
    if result is None:
        return error("invalid_cursor")
    chunk, next_cursor = result
    return ok(members=chunk, response_metadata={"next_cursor": next_cursor})
