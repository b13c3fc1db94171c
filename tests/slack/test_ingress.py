"""HTTP ingress: signing, acks for every event type, and dedupe of retried, duplicated and concurrent deliveries."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from slack_sdk.signature import SignatureVerifier

from app import actions
from bot.serve import Service
from tests.conftest import SENTINEL
from tests.fakeslack import payloads
from tests.fakeslack.sender import SendResult, SlackSender, sign
from tests.slack.harness import LEAD, ROOT, SECRET, Bot, block_text, mini_catalog, settings_for

pytestmark = pytest.mark.asyncio


async def started(bot: Bot, user: str) -> None:
    """Invite `user` to the mini script and answer the first question, so the next DM answers 'need'."""
    await bot.command(LEAD, f"invite <@{user}> mini")
    await bot.wait_dms(user, 1)
    await bot.say(user, "start")
    await bot.wait_dms(user, 2)
    await bot.say(user, "1")
    await bot.wait_dms(user, 3)
    await bot.settle()


async def test_forged_stale_and_unsigned_requests_get_401_and_change_nothing(bot: Bot) -> None:
    body = payloads.message_im("U1", f"forged {SENTINEL}")
    raw = json.dumps(body).encode()
    now = int(time.time())
    good = sign(SECRET, now, raw)
    s = bot.sender
    cases = [
        await s.raw(raw[:-2] + b" }", {"Content-Type": "application/json", "X-Slack-Request-Timestamp": str(now),
                                        "X-Slack-Signature": good}),  # body changed after signing
        # Read the clock at each send, with a margin past Slack's five minutes: on a loaded machine the first
        # case can take seconds, and "now + 301" read at the top was once inside the window by then.
        await s.event(body, timestamp=int(time.time()) - 360),
        await s.event(body, timestamp=int(time.time()) + 360),
        await s.event(body, headers={"X-Slack-Signature": None}),
        await s.event(body, headers={"X-Slack-Request-Timestamp": None}),
        await s.event(body, timestamp="abc", signature=sign(SECRET, "abc", raw)),
        await s.event(body, signature="v0=" + good[3:].upper()),
        await s.event(body, signature=sign("another-secret", now, raw)),
    ]
    assert [c.status for c in cases] == [401] * len(cases)
    assert all(c.elapsed < 3 for c in cases)
    assert await bot.inbox_count() == 0
    # Measured afresh: the cases above can take seconds on a loaded machine.
    ok = await s.event(payloads.message_im("U1", "hello"), timestamp=int(time.time()) - 295)
    assert ok.status == 200
    assert await bot.inbox_count() == 1


async def test_official_signature_vector() -> None:
    v = json.loads((ROOT.parent / "shared/slack_payloads/signature_test_vector.json").read_text()) \
        if (ROOT.parent / "shared/slack_payloads/signature_test_vector.json").exists() else None
    if v is None:
        v = {"signing_secret": "8f742231b10e8888abcd99yyyzzz85a5", "x_slack_request_timestamp": "1531420618",
             "body": "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                     "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                     "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmib"
                     "IGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
             "x_slack_signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"}

    class Clock:
        def now(self) -> float:
            return 1531420618.0

    verifier = SignatureVerifier(v["signing_secret"], clock=Clock())  # the verifier bot/app.py uses
    assert verifier.is_valid(v["body"], v["x_slack_request_timestamp"], v["x_slack_signature"])
    assert not verifier.is_valid(v["body"] + "x", v["x_slack_request_timestamp"], v["x_slack_signature"])


async def test_url_verification_echoes_the_challenge(bot: Bot) -> None:
    r = await bot.sender.event(payloads.url_verification("abc123"))
    assert r.status == 200 and "abc123" in r.body


async def test_every_event_type_and_subtype_is_acked_without_effect(bot: Bot) -> None:
    await started(bot, "U1")
    before = (len(bot.dms("U1")), len(await bot.answers()))
    bodies = [
        payloads.bot_message(),
        payloads.bot_message(user="UBOT"),  # our own message echoed back
        payloads.message_subtype("message_deleted", user="U1"),
        payloads.message_subtype("channel_join", user="U1"),
        payloads.event_callback({"type": "reaction_added", "user": "U1", "reaction": "tada"}),
        payloads.event_callback({"type": "some_future_event", "x": 1}),
        payloads.event_callback({"type": "message", "user": "U1", "text": "channel chatter", "ts": "1.2",
                                 "channel": "C123", "channel_type": "channel"}),
        payloads.app_home_opened("U1", tab="messages"),
        {"type": "block_suggestion", "user": {"id": "U1"}, "action_id": "x", "value": "y"},
        {"type": "shortcut", "callback_id": "unknown", "user": {"id": "U1"}, "trigger_id": "1.2.x"},
        {"type": "view_closed", "user": {"id": "U1"}, "view": {"id": "V1"}},
    ]
    for body in bodies:
        r = await (bot.sender.event(body) if body.get("type") == "event_callback" else bot.sender.action(body))
        assert r.status == 200, (body.get("type"), r)
    r = await bot.sender.command(payloads.slash_command("U1", "/unknown-command", "x"))
    assert r.status == 200
    await bot.settle()
    assert (len(bot.dms("U1")), len(await bot.answers())) == before


async def test_thread_replies_are_answers_also_when_sent_to_the_conversation_too(bot: Bot) -> None:
    """A reply in a thread under the question, and one with "Also send to direct message" ticked (Slack
    delivers that once, as subtype thread_broadcast), are what the person wrote: both are kept."""
    await started(bot, "U1")
    root = bot.dms("U1")[-1].ts
    plain = payloads.message_im("U1", "Our quotes take 3 days because finance re-keys every order into SAP.")
    plain["event"]["thread_ts"] = root
    r = await bot.sender.event(plain)
    assert r.status == 200
    await bot.settle()
    broadcast = payloads.message_subtype(
        "thread_broadcast", user="U1", thread_ts=root,
        text="Also: the field team has no mobile access, so visit notes arrive a week late.")
    r = await bot.sender.event(broadcast)
    assert r.status == 200
    await bot.settle()
    texts = [a.text for a in await bot.answers()]
    assert any("re-keys every order" in t for t in texts), texts
    assert any("no mobile access" in t for t in texts), texts


async def test_links_addresses_and_mentions_are_stored_as_the_person_typed_them(bot: Bot) -> None:
    """Slack turns "acme-parts.com" into <http://acme-parts.com|acme-parts.com> and "@Anna" into <@U0ANNA>: the
    answer keeps the words, not Slack's markup, and never a colleague's Slack id."""
    await started(bot, "U1")
    await bot.say("U1", "Orders from <http://acme-parts.com|acme-parts.com> and <mailto:buy@acme.cn|buy@acme.cn> "
                        "wait 3 days; <@U0ANNA> re-keys them into SAP &amp; <https://erp.example/x> every morning")
    await bot.settle()
    (need,) = [a.text for a in await bot.answers() if a.question_id == "need"]
    assert need == ("Orders from acme-parts.com and buy@acme.cn wait 3 days; @someone re-keys them into SAP & "
                    "https://erp.example/x every morning")


async def test_retried_delivery_stores_once_and_replies_once(any_db_bot: Bot) -> None:
    bot = any_db_bot
    await started(bot, "U1")
    body = payloads.message_im("U1", "Because our margin dropped 10% last year when suppliers raised costs.")
    first = await bot.sender.event(body)
    retry = await bot.sender.event(body, retry_num=1, retry_reason="http_timeout")
    again = await bot.sender.event(body, retry_num=2, retry_reason="http_error")
    assert (first.status, retry.status, again.status) == (200, 200, 200)
    await bot.settle()
    need = [a for a in await bot.answers() if a.question_id == "need"]
    assert len(need) == 1
    assert len(bot.dms("U1")) == 4  # invitation, Q1, Q2 and exactly one reply to this answer


async def test_concurrent_deliveries_store_once_and_reply_once(any_db_bot: Bot) -> None:
    bot = any_db_bot
    await started(bot, "U1")
    body = payloads.message_im("U1", "Because our margin dropped 10% last year when suppliers raised costs.")
    results = await asyncio.gather(*(bot.sender.event(body, retry_num=i or None) for i in range(6)))
    assert {r.status for r in results} == {200}
    await bot.settle()
    assert len([a for a in await bot.answers() if a.question_id == "need"]) == 1
    assert len(bot.dms("U1")) == 4
    # A double click: two payloads with different action_ts, sent at once, advance the interview once.
    q = bot.dms("U1")[-1]

    clicks = await asyncio.gather(
        bot.click("U1", q, actions.ACTION_CHOICE, label="4", action_ts="2.000001"),
        bot.click("U1", q, actions.ACTION_CHOICE, label="5", action_ts="2.000002"))
    assert {c.status for c in clicks} == {200}
    await bot.settle()
    sat = [a for a in await bot.answers() if a.question_id == "sat"]
    assert len(sat) == 1 and len(bot.dms("U1")) == 5


async def test_retry_after_a_restart_is_still_deduped(fake: object, sqlite_url: str) -> None:
    body = None
    for round_ in range(2):
        svc = Service(settings_for(fake, sqlite_url), http=True, host="127.0.0.1", port=0,  # type: ignore[arg-type]
                      catalog=mini_catalog())
        async with svc, SlackSender(f"http://127.0.0.1:{svc.port}/slack/events", SECRET) as sender:
            bot = Bot(fake, svc, sender)  # type: ignore[arg-type]
            if round_ == 0:
                await bot.open_round()
                await started(bot, "U1")
                body = payloads.message_im("U1", "Because our margin dropped 10% when suppliers raised costs.")
                assert (await sender.event(body)).status == 200
            else:
                assert (await sender.event(body, retry_num=3, retry_reason="http_timeout")).status == 200
            await bot.settle()
            need = [a for a in await bot.answers() if a.question_id == "need"]
            assert len(need) == 1 and len(bot.dms("U1")) == 4


async def test_acks_are_fast_while_the_work_is_slow(bot: Bot) -> None:
    await started(bot, "U1")
    bot.fake.delay("chat.postMessage", 2.0)  # the reply is slow to go out; the ack must not wait for it
    t0 = time.perf_counter()
    r = await bot.sender.event(payloads.message_im("U1", "Because our margin dropped 10% when costs rose."))
    assert r.status == 200 and r.elapsed < 1.0
    await bot.wait_dms("U1", 4, timeout=10)
    assert time.perf_counter() - t0 >= 2.0


async def test_flood_of_events_is_acked_quickly_without_loop_lag(bot: Bot) -> None:
    users = [f"UF{i:03d}" for i in range(40)]
    lags: list[float] = []
    stop = asyncio.Event()

    async def probe() -> None:
        while not stop.is_set():
            t = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append(time.perf_counter() - t - 0.01)

    task = asyncio.create_task(probe())
    bodies = [payloads.message_im(u, f"hello {n}") for n in range(5) for u in users]  # 200 events in 4 s

    async def send(i: int, body: dict[str, object]) -> SendResult:
        await asyncio.sleep(i * 0.02)  # 50 a second: faster than the checklist's 200 in 10 s
        return await bot.sender.event(body)

    results = await asyncio.gather(*(send(i, b) for i, b in enumerate(bodies)))
    await bot.settle(timeout=30)
    stop.set()
    await task
    assert all(r.status == 200 for r in results)
    assert max(r.elapsed for r in results) < 3.0
    assert sorted(r.elapsed for r in results)[int(len(results) * 0.99)] < 1.0  # our internal target
    assert await bot.inbox_count() == 200
    p99 = sorted(lags)[int(len(lags) * 0.99)]
    print(f"\nflood: loop lag p99 {p99 * 1000:.0f} ms, max ack {max(r.elapsed for r in results) * 1000:.0f} ms")
    assert p99 < 0.1, f"event loop lag p99 {p99:.3f} s"
    assert all(len(bot.dms(u)) == 5 for u in users)  # each person told they have no interview, once per DM


async def drive(bot: Bot, user: str, replies: dict[str, str], limit: int = 20) -> None:
    """Answer whatever the last DM asks (by a phrase in it), 'skip' otherwise, until the summary arrives."""
    for _ in range(limit):
        n = len(bot.dms(user))
        text = block_text(bot.dms(user)[-1])
        if "what you told us" in text:
            return
        await bot.say(user, next((v for k, v in replies.items() if k in text), "skip"))
        await bot.wait_dms(user, n + 1)
    raise AssertionError("interview did not finish")


async def test_long_and_hostile_answers_are_stored_as_typed_and_echoed_escaped(bot: Bot) -> None:
    await started(bot, "U1")
    typed = "Price <!channel> <@U999> &lt;script&gt; <https://evil.example|click> because margins fell 10%."
    as_slack_sends_it = typed.replace("&lt;", "&amp;lt;").replace("&gt;", "&amp;gt;")
    await bot.say("U1", as_slack_sends_it)
    await bot.wait_dms("U1", 4)
    await drive(bot, "U1", {"How satisfied": "4", "Which tools": "1", "contact you again": "no",
                            "would not say": "x" * 40_000})
    await bot.settle()
    answers = await bot.answers()
    need = [a for a in answers if a.question_id == "need"]
    # Slack's markup goes back to what the person typed (@channel, a colleague as @someone, the link's words and
    # where it goes); the characters "&lt;script&gt;" they typed stay exactly as typed.
    assert need[0].text == ("Price @channel @someone &lt;script&gt; click (https://evil.example) because margins "
                            "fell 10%.")
    assert any(len(a.text) == 40_000 for a in answers)
    summary = json.dumps(bot.dms("U1")[-1].blocks)
    assert "@channel" in summary and "&amp;lt;script&amp;gt;" in summary
    for call in bot.fake.calls_to("chat.postMessage"):
        body = json.dumps(call.body)
        assert "<!channel>" not in body and "<@U999>" not in body, "no mention ever leaves the bot"
        assert 0 < len(call.body.get("text", "")) <= 4000


async def test_two_people_clicking_in_the_same_microsecond_get_two_inbox_keys() -> None:
    from bot.inbox import identify

    keys = {identify(payloads.block_actions(u, "cna_choice", "1", "b", "D" + u, "1.000100", action_ts="5.000001"))
            for u in ("U1", "U2")}
    assert len(keys) == 2
    assert {k[0] for k in keys if k} == {"act:5.000001:U1:cna_choice", "act:5.000001:U2:cna_choice"}


async def test_default_click_timestamps_never_repeat() -> None:
    stamps = [payloads.block_actions("U1", "cna_x", "1", "b", "D1", "1.0")["actions"][0]["action_ts"]
              for _ in range(1000)]
    assert len(set(stamps)) == 1000


async def test_a_request_that_cannot_be_stored_gets_500_on_both_paths_and_its_retry_is_stored_once(
        bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    # DMs are recorded straight from the HTTP handler, everything else through bolt's middlewares: both answer 500
    # when the row could not be committed, so Slack delivers it again.
    await started(bot, "U1")

    async def refuse(_values: object) -> int:
        raise RuntimeError("the database refused the row")

    monkeypatch.setattr(bot.deps.inbox_writer, "add", refuse)
    dm = payloads.message_im("U1", "Because our margin dropped 10% last year when suppliers raised costs.")
    assert (await bot.sender.event(dm)).status == 500
    assert (await bot.sender.command(payloads.slash_command("U1", "/cna", "help"))).status == 500
    monkeypatch.undo()
    assert (await bot.sender.event(dm, retry_num=1, retry_reason="http_error")).status == 200
    await bot.settle()
    assert len([a for a in await bot.answers() if a.question_id == "need"]) == 1
    assert len(bot.dms("U1")) == 4  # invitation, Q1, Q2 and one reply to the stored retry
