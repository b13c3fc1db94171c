"""Signed Slack payloads whose fields have the wrong JSON type, at every level: never a 5xx, nothing valid lost.

Each field of each shape (user, channel, ts, text, blocks, files, the inner message of an edit, a click's user,
actions and state, a command's user) is replaced in turn by each of null, a number, a boolean, a list, an
object, an object holding an object, and an overlong string, against `cna serve --http` as a process.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from tests.fakeslack import payloads
from tests.fuzz.test_http_fuzz import NOT_SLACK, ValidAfter, bot, post, signed  # noqa: F401  (bot: the fixture)

WRONG: list[Any] = [None, 0, 3.5, True, [], ["U1"], {}, {"id": {"x": 1}}, [{"id": None}], "U" * 5000]


def shapes() -> list[tuple[str, dict[str, Any]]]:
    return [
        ("message", payloads.message_im("UFUZZ1", "an answer")),
        ("file_share", payloads.message_subtype("file_share", user="UFUZZ1", text="a file",
                                                files=[{"id": "F1", "name": "x.png"}])),
        ("edit", payloads.message_changed("UFUZZ1", "DUFUZZ1", "1700000000.000100", "edited")),
        ("home", payloads.app_home_opened("UFUZZ1")),
        ("click", payloads.block_actions("UFUZZ1", "cna_choice.0", "1:q1:a", "q:1:q1", "DUFUZZ1",
                                         "1700000000.000100", response_url=NOT_SLACK)),
    ]


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path into dicts (and the first element of lists) of a payload."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield (*prefix, k)
            yield from paths(v, (*prefix, k))
    elif isinstance(node, list) and node:
        yield from paths(node[0], (*prefix, 0))


INTERESTING = {"user", "channel", "ts", "text", "blocks", "files", "message", "event", "actions", "state", "value",
               "action_id", "block_id", "container", "id", "subtype", "channel_type", "edited", "tab", "name"}


def mutations() -> Iterator[tuple[str, bytes, str]]:
    for name, body in shapes():
        for path in paths(body):
            if path[-1] not in INTERESTING:
                continue
            for value in WRONG:
                b = copy.deepcopy(body)
                node = b
                for k in path[:-1]:
                    node = node[k]
                node[path[-1]] = value
                text = json.dumps(b)
                if name == "click":
                    yield f"{name}:{path}", urlencode({"payload": text}).encode(), "application/x-www-form-urlencoded"
                else:
                    yield f"{name}:{path}", text.encode(), "application/json"
    for field in ("user_id", "text", "trigger_id", "command"):
        for value in WRONG:  # a JSON body shaped like a command (Slack sends form fields; others may not)
            cmd: dict[str, Any] = {**payloads.slash_command("UFUZZ1", "/cna", "help", response_url=NOT_SLACK)}
            cmd[field] = value
            yield f"command:{field}", json.dumps(cmd).encode(), "application/json"


def test_fields_of_the_wrong_type_at_every_level_never_500(bot: Any) -> None:  # noqa: F811
    after = ValidAfter(bot, "UFZT")
    statuses: dict[int, int] = {}
    for what, body, ctype in mutations():
        status = post(bot, body, signed(body, ctype))
        statuses[status] = statuses.get(status, 0) + 1
        assert status < 500, (what, status)
        if sum(statuses.values()) % 25 == 0:
            after.send()
    after.send()
    print(f"\nwrong-type fields: {sum(statuses.values())} requests, statuses {dict(sorted(statuses.items()))}")
    after.check()
