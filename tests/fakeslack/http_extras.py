"""The fake's non-API HTTP endpoints: file upload URLs and response_url hooks (5 uses within 30 minutes)."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from aiohttp import web

from tests.fakeslack.records import HookPost

if TYPE_CHECKING:
    from tests.fakeslack.server import FakeSlack

HOOK_USES = 5
HOOK_TTL = 30 * 60.0


async def upload(fake: FakeSlack, request: web.Request) -> web.StreamResponse:
    """POST /upload/v1/{file_id}: the URL files.getUploadURLExternal hands out; raw bytes or multipart."""
    found = next((u for u in fake.uploads if u.file_id == request.match_info["file_id"]), None)
    if found is None:
        return web.Response(status=404, text="file not found", content_type="text/plain")
    if request.content_type.startswith("multipart/"):
        data = b""
        form = await request.post()
        for value in form.values():
            if isinstance(value, web.FileField):
                data = value.file.read()
                break
    else:
        data = await request.read()
    found.data = data
    return web.Response(text=f"OK - {len(data)}", content_type="text/plain")


def _hook_body(raw: bytes, content_type: str) -> dict[str, Any]:
    text = raw.decode(errors="replace")
    if content_type == "application/x-www-form-urlencoded":
        fields = {k: v[0] for k, v in parse_qs(text).items()}
        text = fields.get("payload", json.dumps(fields))
    try:
        body = json.loads(text)
    except json.JSONDecodeError:
        return {"_raw": text}
    return body if isinstance(body, dict) else {"_raw": body}


async def hook(fake: FakeSlack, request: web.Request) -> web.StreamResponse:
    """POST /hooks/{hook_id}: a response_url from ``FakeSlack.new_response_url()``."""
    hook_id = request.match_info["hook_id"]
    issued = fake.hooks_issued.get(hook_id)
    body = _hook_body(await request.read(), request.content_type)
    uses = sum(1 for p in fake.response_url_posts if p.hook_id == hook_id and p.status == 200)
    if issued is None:
        status, text = 404, "no_service"
    elif time.monotonic() - issued > HOOK_TTL:
        status, text = 404, "expired_url"
    elif uses >= HOOK_USES:
        status, text = 404, "used_url"
    else:
        status, text = 200, "ok"
    fake.response_url_posts.append(HookPost(hook_id, body, time.monotonic(), status))
    return web.Response(status=status, text=text, content_type="text/plain")
