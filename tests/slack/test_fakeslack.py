"""The fake Slack itself, driven by slack_sdk's real clients over real sockets (HTTP and WebSocket)."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakeslack import FakeSlack, SlackSender, fingerprint, payloads, sign

ROOT = Path(__file__).resolve().parents[2]
VECTOR = Path("/work/shared/slack_payloads/signature_test_vector.json")
BOT_TOKEN = "xoxb-1-fake-bot-token"
APP_TOKEN = "xapp-1-A111-fake-app-token"
USERS = {
    "U1": {"tz": "Asia/Shanghai", "tz_offset": 28800, "real_name": "Li Wei"},
    "U2": {"deleted": True},
    "U3": {"error": "user_not_visible"},
    "U4": {"error": "user_not_found"},
}


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(
        users=USERS, usergroups={"S1": ["U1", "U3"]}, channels={"C1": ["U1", "U2", "U3"]}
    ) as f:
        yield f


@pytest.fixture
def client(fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url, retry_handlers=[])


async def _api_error(call) -> SlackApiError:
    with pytest.raises(SlackApiError) as info:
        await call
    return info.value


async def _code(call) -> str:
    """The Slack error code a client call fails with."""
    return (await _api_error(call)).response["error"]


# --- Web API ------------------------------------------------------------------------------------------------


async def test_auth_test_is_answered_and_recorded_without_the_token(fake: FakeSlack, client: AsyncWebClient):
    assert fake.api_url.startswith("http://127.0.0.1:") and fake.api_url.endswith("/api/")
    response = await client.auth_test()
    assert (response["user_id"], response["team_id"], response["bot_id"]) == ("UBOT", "T111", "BBOT")
    (call,) = fake.calls_to("auth.test")
    assert call.status == 200 and call.ok and call.token_fingerprint == fingerprint(BOT_TOKEN)
    assert BOT_TOKEN not in repr(call) and call.headers["Authorization"] == "Bearer <redacted>"


async def test_post_message_to_a_user_delivers_to_the_dm_with_increasing_ts(fake, client):
    first = await client.chat_postMessage(channel="U1", text="Q1", blocks=[{"type": "divider"}])
    second = await client.chat_postMessage(channel="DU1", text="Q2")
    assert first["channel"] == second["channel"] == "DU1"
    assert float(first["ts"]) < float(second["ts"])
    assert first["message"]["text"] == "Q1" and first["message"]["bot_id"] == "BBOT"
    assert [m.text for m in fake.messages("DU1")] == ["Q1", "Q2"] == [m.text for m in fake.messages("U1")]
    assert fake.dm_count("U1") == 2 and fake.messages()[0].blocks == [{"type": "divider"}]
    assert fake.calls_to("chat.postMessage")[0].body["text"] == "Q1"


async def test_post_message_limits(fake, client):
    assert await _code(client.chat_postMessage(channel="U1", text="x" * 40_001)) == "msg_too_long"
    too_many = [{"type": "divider"}] * 51
    assert await _code(client.chat_postMessage(channel="U1", text="t", blocks=too_many)) == "invalid_blocks"
    long_section = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    err = await _api_error(client.chat_postMessage(channel="U1", text="t", blocks=long_section))
    assert err.response["error"] == "invalid_blocks"
    assert "/blocks/0/text/text" in err.response["response_metadata"]["messages"][0]
    assert await _code(client.api_call("chat.postMessage", json={"channel": "U1"})) == "no_text"
    assert await _code(client.chat_postMessage(channel="U2", text="t")) == "channel_not_found"
    await client.chat_postMessage(channel="U1", text="x" * 40_000, blocks=[{"type": "divider"}] * 50)
    assert fake.dm_count("U1") == 1 and len(fake.calls_to("chat.postMessage")) == 6


async def test_form_and_json_bodies_and_token_in_form(fake: FakeSlack):
    async with aiohttp.ClientSession() as http:
        form = {
            "token": BOT_TOKEN,
            "channel": "U1",
            "text": "form",
            "blocks": json.dumps([{"type": "divider"}]),
        }
        async with http.post(fake.api_url + "chat.postMessage", data=form) as r:
            assert (await r.json())["ok"]
        headers = {"Authorization": f"Bearer {BOT_TOKEN}"}
        async with http.post(
            fake.api_url + "chat.postMessage", json={"channel": "U1", "text": "j"}, headers=headers
        ) as r:
            assert (await r.json())["ok"]
        bad_json = {**headers, "Content-Type": "application/json"}
        async with http.post(fake.api_url + "chat.postMessage", data=b"{nope", headers=bad_json) as r:
            assert (await r.json())["error"] == "invalid_json"
    first, second, _ = fake.calls_to("chat.postMessage")
    assert first.body["blocks"] == [{"type": "divider"}] and "token" not in first.body
    assert second.body == {"channel": "U1", "text": "j"}


async def test_update_delete_ephemeral(fake, client):
    posted = await client.chat_postMessage(channel="U1", text="v1")
    await client.chat_update(channel=posted["channel"], ts=posted["ts"], text="v2")
    await client.chat_postEphemeral(channel="DU1", user="U1", text="just you")
    await client.chat_delete(channel=posted["channel"], ts=posted["ts"])
    (message,) = fake.messages("U1")
    assert message.text == "v2" and message.deleted and message.updates[0]["text"] == "v2"
    assert fake.ephemerals[0]["text"] == "just you" and fake.dm_count("U1") == 1
    err = await _api_error(client.chat_update(channel="DU1", ts="1.000001", text="x"))
    assert err.response["error"] == "message_not_found"


async def test_directory_methods(fake, client):
    opened = await client.conversations_open(users="U1")
    assert opened["channel"]["id"] == "DU1" and not opened["already_open"]
    assert (await client.conversations_open(users="U1"))["already_open"]
    for user, code in [("U2", "user_disabled"), ("U3", "user_not_visible"), ("U4", "user_not_found")]:
        assert await _code(client.conversations_open(users=user)) == code
    assert await _code(client.conversations_open(users="UBOT")) == "cannot_dm_bot"
    user = (await client.users_info(user="U1"))["user"]
    assert (user["tz"], user["tz_offset"], user["profile"]["real_name"], user["is_bot"]) == (
        "Asia/Shanghai",
        28800,
        "Li Wei",
        False,
    )
    assert (await client.users_info(user="U2"))["user"]["deleted"] is True
    assert (await client.users_info(user="U9"))["user"]["tz"] == "UTC"  # auto_users: unknown ids exist
    assert await _code(client.users_info(user="U4")) == "user_not_found"
    pages = [[m["id"] for m in page["members"]] async for page in await client.users_list(limit=2)]
    ids = [user_id for page in pages for user_id in page]
    assert len(pages) == 3 and ids == ["UBOT", "USLACKBOT", "U1", "U2", "U3"]  # U4 is user_not_found
    assert (await client.usergroups_users_list(usergroup="S1"))["users"] == ["U1", "U3"]
    members = [
        m async for page in await client.conversations_members(channel="C1", limit=2) for m in page["members"]
    ]
    assert members == ["U1", "U2", "U3"]
    assert await _code(client.conversations_members(channel="C404")) == "channel_not_found"


async def test_views_record_and_enforce_modal_limits(fake, client):
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Interview"}, "blocks": []}
    trigger = payloads.block_actions("U1", "a", "v", "b", "DU1", "1.2")["trigger_id"]
    opened = await client.views_open(trigger_id=trigger, view=modal)
    assert await _code(client.views_open(trigger_id=trigger, view=modal)) == "exchanged_trigger_id"
    old = f"1.{int((time.time() - 10) * 1000)}.abc"
    assert await _code(client.views_open(trigger_id=old, view=modal)) == "expired_trigger_id"
    await client.views_update(view_id=opened["view"]["id"], view={**modal, "private_metadata": "iv:1"})
    await client.views_publish(user_id="U1", view={"type": "home", "blocks": []})
    assert [v.kind for v in fake.views] == ["open", "publish"]
    assert fake.views[0].view["private_metadata"] == "iv:1" and fake.views[0].history == [modal]
    bad = {
        "title": {"type": "plain_text", "text": "x" * 25},
        "private_metadata": "m" * 3001,
        "blocks": [{"type": "divider"}] * 101,
    }
    err = await _api_error(
        client.views_open(trigger_id=payloads.slash_command("U1", "/x")["trigger_id"], view={**modal, **bad})
    )
    messages = " ".join(err.response["response_metadata"]["messages"])
    assert err.response["error"] == "invalid_arguments"
    assert (
        "/view/title/text" in messages and "/view/private_metadata" in messages and "/view/blocks" in messages
    )


async def test_files_upload_v2_records_bytes_and_filename(fake, client):
    result = await client.files_upload_v2(
        content=b"col\n1\n", filename="export.csv", channel="DU1", title="Export"
    )
    (upload,) = fake.uploads
    assert (upload.data, upload.filename, upload.title, upload.channel_id) == (
        b"col\n1\n",
        "export.csv",
        "Export",
        "DU1",
    )
    assert upload.completed and result["file"]["id"] == upload.file_id


async def test_tokens_generic_methods_and_revocation(fake: FakeSlack):
    client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)
    assert (await client.reactions_add(channel="C1", name="x", timestamp="1.2"))["ok"]  # generic ok
    for token, code in [("nope", "invalid_auth"), (APP_TOKEN, "not_allowed_token_type")]:
        other = AsyncWebClient(token=token, base_url=fake.api_url)
        assert await _code(other.auth_test()) == code
    fake.revoke_token()
    assert await _code(client.chat_postMessage(channel="U1", text="x")) == "token_revoked"
    assert fake.dm_count("U1") == 0 and fake.calls_to("reactions.add")[0].ok


# --- faults -------------------------------------------------------------------------------------------------


async def test_429_with_retry_after_is_retried_by_slack_sdk_after_the_delay(fake: FakeSlack):
    fake.rate_limit("chat.postMessage", every_n=2, retry_after=1)
    client = AsyncWebClient(
        token=BOT_TOKEN,
        base_url=fake.api_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
    )
    await client.chat_postMessage(channel="U1", text="one")
    started = time.monotonic()
    await client.chat_postMessage(channel="C1", text="two")
    assert time.monotonic() - started >= 1.0
    limited, retried = fake.calls_to("chat.postMessage")[1:]
    assert (limited.status, limited.error) == (429, "ratelimited") and retried.ok
    assert retried.at - limited.at >= 1.0
    assert fake.retry_after_violations("chat.postMessage") == []
    assert [m.text for m in fake.messages()] == ["one", "two"]


async def test_429_header_and_early_calls_are_violations(fake: FakeSlack, client):
    fake.rate_limit("chat.postMessage", every_n=2, retry_after=30, strict=True)
    await client.chat_postMessage(channel="U1", text="first")
    err = await _api_error(client.chat_postMessage(channel="U1", text="x"))
    assert err.response.status_code == 429 and err.response.headers["Retry-After"] == "30"
    assert err.response["error"] == "ratelimited"
    early_err = await _api_error(client.chat_postMessage(channel="U1", text="too soon"))
    assert early_err.response.status_code == 429  # strict: Slack keeps refusing inside the window
    (early,) = fake.retry_after_violations("chat.postMessage")
    assert early.body["text"] == "too soon" and [m.text for m in fake.messages()] == ["first"]


async def test_fail_and_delay(fake: FakeSlack, client):
    fake.fail("chat.postMessage", error="fatal_error", status=500, times=2)
    for _ in range(2):
        err = await _api_error(client.chat_postMessage(channel="U1", text="x"))
        assert (err.response.status_code, err.response["error"]) == (500, "fatal_error")
    await client.chat_postMessage(channel="U1", text="third time")
    fake.fail("apps.connections.open", error="internal_error", times=None)
    for _ in range(2):
        app_client = AsyncWebClient(base_url=fake.api_url, retry_handlers=[])
        assert await _code(app_client.apps_connections_open(app_token=APP_TOKEN)) == "internal_error"
    fake.delay("users.info", 0.3)
    started = time.monotonic()
    await client.users_info(user="U1")
    assert time.monotonic() - started >= 0.3
    assert fake.dm_count("U1") == 1 and fake.connections_open_calls == 2


async def test_reset_after_processing_delivers_but_the_client_sees_a_connection_error(fake, client):
    fake.reset_after_processing("chat.postMessage", times=1)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await client.chat_postMessage(channel="U1", text="ambiguous")
    (call,) = fake.calls_to("chat.postMessage")
    assert call.dropped and call.status == 0 and call.ok
    assert fake.dm_count("U1") == 1  # delivered: a blind retry would DM twice


async def test_default_connection_retry_handler_duplicates_the_dm(fake: FakeSlack):
    """Why the bot needs an outbox: slack_sdk's default handlers retry the dropped postMessage."""
    fake.reset_after_processing("chat.postMessage", times=1)
    await AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url).chat_postMessage(channel="U1", text="hi")
    assert fake.dm_count("U1") == 2


async def test_wait_for_reports_the_calls_it_saw(fake, client):
    await client.chat_postMessage(channel="U1", text="hello")
    assert await fake.wait_for(lambda calls: len(calls) == 1, timeout=1)
    with pytest.raises(AssertionError) as info:
        await fake.wait_for(lambda calls: len(calls) > 5, timeout=0.1, what="six calls")
    assert "six calls" in str(info.value) and "chat.postMessage [200 ok]" in str(info.value)


async def test_response_url_allows_five_uses(fake: FakeSlack):
    url = fake.new_response_url()
    fields = payloads.slash_command("U1", "/cna", "status", response_url=url)
    async with aiohttp.ClientSession() as http:
        statuses = []
        for i in range(6):
            async with http.post(fields["response_url"], json={"text": f"reply {i}"}) as r:
                statuses.append(r.status)
    assert statuses == [200] * 5 + [404]
    assert [p.body["text"] for p in fake.response_url_uses(url)][:2] == ["reply 0", "reply 1"]


# --- Socket Mode --------------------------------------------------------------------------------------------


async def _until(condition: Callable[[], object], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def _socket_client(
    fake: FakeSlack,
    received: list[SocketModeRequest],
    ping_interval: float = 5,
    messages: list[dict] | None = None,
) -> SocketModeClient:
    """slack_sdk's aiohttp SocketModeClient on the fake, acking every request after recording it."""

    async def every_frame(frame: aiohttp.WSMessage) -> None:  # before the client filters "disconnect" out
        if messages is not None:
            messages.append(json.loads(frame.data))

    web_client = AsyncWebClient(base_url=fake.api_url)
    client = SocketModeClient(
        app_token=APP_TOKEN,
        web_client=web_client,
        ping_interval=ping_interval,
        on_message_listeners=[every_frame],
    )

    async def listener(c: SocketModeClient, request: SocketModeRequest) -> None:
        received.append(request)
        await c.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id))

    client.socket_mode_request_listeners.append(listener)
    await client.connect()
    return client


async def test_socket_mode_hello_envelope_ack_and_refresh(fake: FakeSlack):
    received: list[SocketModeRequest] = []
    messages: list[dict] = []
    client = await _socket_client(fake, received, messages=messages)
    try:
        await fake.wait_for_socket(1)
        assert fake.connections_open_calls == 1 and fake.socket_connections == 1
        await _until(lambda: messages)
        hello = messages[0]
        assert (hello["type"], hello["num_connections"], hello["connection_info"]) == (
            "hello",
            1,
            {"app_id": "A111"},
        )
        event = payloads.message_im("U1", "hello bot")
        envelope_id = await fake.socket_send_event(event, retry_attempt=1, retry_reason="timeout")
        assert await fake.wait_for_ack(envelope_id, timeout=3) == {"envelope_id": envelope_id}
        (request,) = received
        assert request.type == "events_api" and request.payload["event"]["text"] == "hello bot"
        assert request.retry_attempt == 1 and request.retry_reason == "timeout"
        assert fake.socket_ack_latency(envelope_id) < 3

        await fake.socket_disconnect(reason="refresh_requested")
        await fake.wait_for_socket(2)
        assert fake.connections_open_calls == 2 and fake.socket_connections == 1
        await _until(lambda: len(messages) >= 4)
        assert [m["type"] for m in messages] == ["hello", "events_api", "disconnect", "hello"]
        assert messages[2]["reason"] == "refresh_requested"
        command = await fake.socket_send_slash_command(payloads.slash_command("U1", "/cna", "help"))
        action = await fake.socket_send_interactive(payloads.block_actions("U1", "a", "v", "b", "DU1", "1.2"))
        await fake.wait_for_ack(command, timeout=3)
        await fake.wait_for_ack(action, timeout=3)
        assert [r.type for r in received] == ["events_api", "slash_commands", "interactive"]
    finally:
        await client.close()


async def test_socket_mode_client_reconnects_when_pings_stop(fake: FakeSlack):
    received: list[SocketModeRequest] = []
    client = await _socket_client(fake, received, ping_interval=0.5)
    try:
        await fake.wait_for_socket(1)
        fake.stop_pings()
        await fake.wait_for_socket(2, timeout=8)
        fake.resume_pings()
        assert fake.connections_open_calls >= 2
        envelope_id = await fake.socket_send_event(payloads.message_im("U1", "after"))
        await fake.wait_for_ack(envelope_id, timeout=3)
    finally:
        await client.close()


async def test_socket_rejects_unissued_tickets(fake: FakeSlack):
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await http.ws_connect(fake.ws_url + "?ticket=forged")


# --- payloads, signing, sender ------------------------------------------------------------------------------


def test_signature_test_vector():
    vector = json.loads(VECTOR.read_text())
    signature = sign(vector["signing_secret"], vector["x_slack_request_timestamp"], vector["body"].encode())
    assert signature == vector["x_slack_signature"]


def test_payload_builders_are_unique_and_shaped_like_slack():
    first, second = payloads.message_im("U1", "a"), payloads.message_im("U1", "a")
    assert first["event_id"] != second["event_id"] and first["event"]["channel"] == "DU1"
    assert first["type"] == "event_callback" and first["event"]["channel_type"] == "im"
    changed = payloads.message_changed("U1", "DU1", first["event"]["ts"], "edited")
    assert (
        changed["event"]["message"]["text"] == "edited" and changed["event"]["subtype"] == "message_changed"
    )
    assert payloads.bot_message()["event"]["subtype"] == "bot_message"
    assert "subtype" not in payloads.bot_message(user="UBOT")["event"]
    assert payloads.message_subtype("channel_join")["event"]["subtype"] == "channel_join"
    assert payloads.app_home_opened("U1")["event"]["type"] == "app_home_opened"
    assert payloads.app_uninstalled()["event"]["type"] == "app_uninstalled"
    assert payloads.tokens_revoked(bot=["UBOT"])["event"]["tokens"]["bot"] == ["UBOT"]
    action = payloads.block_actions("U1", "answer", "q1:yes", "q1", "DU1", "1.2", action_ts="3.4")
    assert action["user"]["id"] == "U1" and action["actions"][0]["action_ts"] == "3.4"
    view = payloads.view_submission("U1", "interview", {"b": {"a": "typed"}}, "iv:1", "V9")
    assert view["view"]["state"]["values"]["b"]["a"] == {"type": "plain_text_input", "value": "typed"}
    command = payloads.slash_command("U1", "/cna", "start", "C1")
    assert command["command"] == "/cna" and all(isinstance(v, str) for v in command.values())
    assert payloads.url_verification("abc")["challenge"] == "abc"


async def test_sender_signs_requests_that_bolt_accepts(fake: FakeSlack):
    from slack_bolt.async_app import AsyncApp

    secret = "s3cret"
    seen: list[str] = []
    app = AsyncApp(client=AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url), signing_secret=secret)

    @app.event("message")
    async def on_message(event, ack) -> None:
        seen.append(event["text"])

    @app.command("/cna")
    async def on_command(ack, command) -> None:
        await ack(f"got {command['text']}")

    @app.action("answer")
    async def on_action(ack) -> None:
        await ack()

    runner = aiohttp.web.AppRunner(app.web_app(path="/slack/events"))
    await runner.setup()
    site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/slack/events"
    try:
        async with SlackSender(url, secret) as sender:
            status, _, elapsed = await sender.event(
                payloads.message_im("U1", "signed"), retry_num=1, retry_reason="http_timeout"
            )
            assert status == 200 and elapsed < 3
            challenge = await sender.event(payloads.url_verification("ch1"))
            assert challenge.status == 200 and "ch1" in challenge.body
            assert (await sender.command(payloads.slash_command("U1", "/cna", "hi"))).body == "got hi"
            action = payloads.block_actions("U1", "answer", "v", "b", "DU1", "1.2")
            assert (await sender.action(action)).status == 200
            assert (
                await sender.event(payloads.message_im("U1", "forged"), signature="v0=" + "0" * 64)
            ).status == 401
            assert (
                await sender.event(payloads.message_im("U1", "old"), timestamp=int(time.time()) - 301)
            ).status == 401
            assert (await sender.raw(b"{}", {"Content-Type": "application/json"})).status == 401
        await fake.wait_for(lambda calls: seen, timeout=2)
        assert seen == ["signed"]
    finally:
        await runner.cleanup()


# --- process mode -------------------------------------------------------------------------------------------


async def test_process_mode_prints_urls_and_serves_the_control_api():
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakeslack",
        "--port",
        "0",
        "--rate-limit",
        "chat.postMessage:2:1",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        urls = json.loads(await asyncio.wait_for(proc.stdout.readline(), timeout=10))
        assert urls["api_url"].endswith("/api/") and urls["ws_url"].startswith("ws://127.0.0.1:")
        client = AsyncWebClient(token=BOT_TOKEN, base_url=urls["api_url"], retry_handlers=[])
        await client.chat_postMessage(channel="U1", text="one")
        assert (
            await _api_error(client.chat_postMessage(channel="U1", text="two"))
        ).response.status_code == 429
        await client.chat_postMessage(channel="U1", text="too soon")
        async with aiohttp.ClientSession() as http:
            async with http.get(urls["control_url"] + "calls", params={"method": "chat.postMessage"}) as r:
                assert (await r.json())["count"] == 3
            async with http.get(urls["control_url"] + "stats") as r:
                stats = await r.json()
            assert stats["dm_counts"] == {"U1": 2} and stats["retry_after_violations"] == {
                "chat.postMessage": 1
            }
            async with http.post(urls["control_url"] + "reset") as r:
                assert (await r.json())["ok"]
            async with http.post(
                urls["control_url"] + "fail", json={"method": "auth.test", "error": "x"}
            ) as r:
                assert (await r.json())["ok"]
            async with http.get(urls["control_url"] + "messages") as r:
                assert (await r.json())["count"] == 0
        assert await _code(client.auth_test()) == "x"
    finally:
        proc.terminate()
        assert await asyncio.wait_for(proc.wait(), timeout=10) == 0
