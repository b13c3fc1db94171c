"""Socket Mode against the fake's WebSocket: acks with the envelope id, redeliveries, reconnects."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from app import actions
from bot.serve import Service
from tests.fakeslack import payloads
from tests.fakeslack.server import FakeSlack
from tests.slack.harness import LEAD, Bot, block_text, find_element, mini_catalog, settings_for

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def socket_bot(fake: FakeSlack, sqlite_url: str) -> AsyncIterator[Bot]:
    svc = Service(settings_for(fake, sqlite_url, CNA_SOCKET_PING_INTERVAL=0.5), http=False, catalog=mini_catalog())
    async with svc:
        bot = Bot(fake, svc, None)  # type: ignore[arg-type]
        await bot.open_round()
        await fake.wait_for_socket()
        yield bot


async def command(bot: Bot, user: str, text: str) -> str:
    url = bot.fake.new_response_url()
    env = await bot.fake.socket_send_slash_command(payloads.slash_command(user, "/cna", text, response_url=url))
    await bot.fake.wait_for_ack(env, timeout=3)
    await bot.fake.wait_for(lambda _c: bot.fake.response_url_uses(url), 5)
    return url


async def test_events_are_acked_with_their_envelope_id_and_processed(socket_bot: Bot) -> None:
    bot, fake = socket_bot, socket_bot.fake
    await command(bot, LEAD, "invite <@U1> mini")
    await bot.wait_dms("U1", 1)
    inv = bot.dms("U1")[0]
    _, el, value = find_element(inv, actions.ACTION_START)
    click = payloads.block_actions("U1", el["action_id"], value, f"invite.{value}", inv.channel, inv.ts,
                                   response_url=fake.new_response_url())
    env = await fake.socket_send_interactive(click)
    ack = await fake.wait_for_ack(env, timeout=3)
    assert ack["envelope_id"] == env
    await bot.wait_dms("U1", 2)
    t0 = time.monotonic()
    env = await fake.socket_send_event(payloads.message_im("U1", "1"))
    await fake.wait_for_ack(env, timeout=3)
    assert fake.socket_ack_latency(env) < 1.0
    q2 = (await bot.wait_dms("U1", 3))[-1]
    assert "What matters most" in block_text(q2) and time.monotonic() - t0 < 5


async def test_redelivered_envelope_is_deduped(socket_bot: Bot) -> None:
    bot, fake = socket_bot, socket_bot.fake
    await command(bot, LEAD, "invite <@U1> mini")
    env = await fake.socket_send_event(payloads.message_im("U1", "start"))
    again = await fake.socket_redeliver(env, retry_reason="timeout")
    await fake.wait_for_ack(again, timeout=3)
    await bot.settle()
    assert len(bot.dms("U1")) == 2  # invitation + one first question
    assert await bot.inbox_count() == 2  # the command and one message


async def test_unknown_envelopes_and_events_are_acked(socket_bot: Bot) -> None:
    fake = socket_bot.fake
    for body in (payloads.bot_message(), payloads.event_callback({"type": "emoji_changed"}),
                 payloads.message_subtype("message_deleted")):
        env = await fake.socket_send_event(body)
        await fake.wait_for_ack(env, timeout=3)
    big = payloads.block_actions("U1", "some_other_app_action", "v", "b", "DU1", "1.1")
    big["message"]["blocks"] = [{"type": "section", "text": {"type": "mrkdwn", "text": "o" * 2900}}] * 23  # 67 KB
    env = await fake.socket_send_interactive(big)
    await fake.wait_for_ack(env, timeout=3)
    await fake.socket_send_raw({"type": "some_new_envelope_type", "envelope_id": "e-1", "payload": {}})
    env = await fake.socket_send_event(payloads.message_im("U1", "still listening"))
    await fake.wait_for_ack(env, timeout=3)


async def test_reconnects_after_disconnect_and_stale_pings(socket_bot: Bot) -> None:
    bot, fake = socket_bot, socket_bot.fake
    await command(bot, LEAD, "invite <@U1> mini")
    await fake.socket_disconnect("refresh_requested")
    await fake.wait_for_socket(connects=2, timeout=10)
    env = await fake.socket_send_event(payloads.message_im("U1", "start"))
    await fake.wait_for_ack(env, timeout=3)
    fake.stop_pings()
    await fake.wait_for_socket(connects=3, timeout=15)
    fake.resume_pings()
    env = await fake.socket_send_event(payloads.message_im("U1", "1"))
    await fake.wait_for_ack(env, timeout=5)
    await bot.settle()
    assert len(bot.dms("U1")) == 3 and len(await bot.answers()) == 1


async def test_connection_open_failures_are_retried_with_backoff(fake: FakeSlack, sqlite_url: str) -> None:
    fake.fail("apps.connections.open", "internal_error", status=500, times=3)
    svc = Service(settings_for(fake, sqlite_url, CNA_SOCKET_PING_INTERVAL=0.2), http=False, catalog=mini_catalog())
    t0 = time.monotonic()
    async with svc:
        await fake.wait_for_socket()
    assert fake.connections_open_calls == 4
    assert time.monotonic() - t0 >= 0.5  # backed off between attempts, not a tight loop
