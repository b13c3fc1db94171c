"""views.open/push/update/publish: modal limits and single-use, expiring trigger_ids."""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING, Any

from tests.fakeslack import ids
from tests.fakeslack.api import error, method, ok
from tests.fakeslack.limits import check_view
from tests.fakeslack.records import View

if TYPE_CHECKING:
    from tests.fakeslack.server import FakeSlack


def _trigger_error(fake: FakeSlack, trigger: Any) -> str | None:
    if not isinstance(trigger, str) or not trigger:
        return "invalid_arguments"
    if trigger in fake.used_triggers:
        return "exchanged_trigger_id"
    issued = ids.trigger_issued_at(trigger)
    if fake.trigger_ttl is not None and issued is not None and time.time() - issued > fake.trigger_ttl:
        return "expired_trigger_id"
    fake.used_triggers.add(trigger)
    return None


def _response(fake: FakeSlack, record: View) -> dict[str, Any]:
    view = {
        **record.view,
        "id": record.id,
        "team_id": fake.team_id,
        "app_id": fake.app_id,
        "bot_id": fake.bot_id,
        "hash": record.view_hash,
        "state": {"values": {}},
        "root_view_id": record.id,
        "previous_view_id": None,
    }
    return ok(view=view)


def _store(fake: FakeSlack, kind: str, view: dict[str, Any], **extra: Any) -> View:
    record = View(id=ids.prefixed("V"), kind=kind, view=view, at=time.monotonic(), **extra)
    record.view_hash = f"{int(time.time())}.{secrets.token_hex(4)}"
    fake.views.append(record)
    return record


def _open(fake: FakeSlack, body: dict[str, Any], kind: str) -> dict[str, Any]:
    problem = check_view(body.get("view"))
    if problem:
        return error(*problem)
    trigger_problem = _trigger_error(fake, body.get("trigger_id"))
    if trigger_problem:
        return error(trigger_problem)
    return _response(fake, _store(fake, kind, body["view"], trigger_id=body["trigger_id"]))


@method("views.open")
def views_open(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    return _open(fake, body, "open")


@method("views.push")
def views_push(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    return _open(fake, body, "push")


@method("views.publish")
def views_publish(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    user_id = str(body.get("user_id") or "")
    if fake.directory.get(user_id) is None:
        return error("user_not_found")
    problem = check_view(body.get("view"))
    if problem:
        return error(*problem)
    return _response(fake, _store(fake, "publish", body["view"], user_id=user_id))


@method("views.update")
def views_update(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    view_id, external_id = body.get("view_id"), body.get("external_id")
    record = next(
        (
            v
            for v in reversed(fake.views)
            if (view_id and v.id == view_id) or (external_id and v.view.get("external_id") == external_id)
        ),
        None,
    )
    if record is None:
        return error("not_found")
    if body.get("hash") and body["hash"] != record.view_hash:
        return error("hash_conflict")
    problem = check_view(body.get("view"))
    if problem:
        return error(*problem)
    record.history.append(record.view)
    record.view = body["view"]
    record.view_hash = f"{int(time.time())}.{secrets.token_hex(4)}"
    return _response(fake, record)
