"""Fuzzing POST /slack/events of a running `cna serve --http`: garbage never gets a 5xx, and no valid event is lost.

A valid event sent right after each piece of garbage is still acknowledged and processed (one reply each).

Bodies: malformed JSON, bad encodings, wrong and missing content types, form bodies with a garbage payload=,
Slack-shaped payloads with fields dropped or of the wrong type, 1 MB+ bodies; unsigned, badly signed, and
validly signed over the garbage.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import procs
from bench.seed import open_round
from tests.fakeslack import payloads
from tests.fakeslack.sender import sign

FUZZ = settings(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@dataclass
class Bot:
    url: str
    fake: procs.Proc
    serve: procs.Proc


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """The fake Slack and `cna serve --http` as processes, on a fresh migrated SQLite database."""
    work: Path = tmp_path_factory.mktemp("httpfuzz")
    fake = procs.start_fake(work)
    serve = None
    try:
        db_url = f"sqlite:///{work}/cna.db"
        asyncio.run(open_round(db_url))
        port = procs.free_port()
        # Posting caps lifted: at the default 300/min the replies checked below would take minutes.
        env = procs.serve_env(fake.info["api_url"], db_url, work / "lag.jsonl", post_per_minute=1_000_000,
                              per_channel_interval=0)
        serve = procs.start_serve(work, port, env)
        yield Bot(f"http://127.0.0.1:{port}/slack/events", fake, serve)
    finally:
        if serve is not None:
            serve.stop()
        fake.stop()


def post(bot: Bot, body: bytes, headers: dict[str, str]) -> int:
    req = urllib.request.Request(bot.url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            r.read()
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def expect(status: int, body: bytes, *allowed: int, content_type: str | None = None) -> None:
    """`status` must be one of `allowed` (or, if none given, a 2xx or 4xx): never a 5xx."""
    if allowed:
        assert status in allowed, (status, body[:200])
    else:
        assert status < 500 and (status < 300 or status >= 400), (status, body[:200])


def signed(body: bytes, content_type: str | None, ts: str | None = None) -> dict[str, str]:
    ts = ts or str(int(time.time()))
    headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sign(procs.SECRET, ts, body)}
    if content_type is not None:
        headers["Content-Type"] = content_type
    return headers


class ValidAfter:
    """After each piece of garbage, one valid DM from a fresh person; at the end each must have had its reply
    (the bot answers a stranger's DM with a note), so no valid event was lost behind the garbage."""

    def __init__(self, bot: Bot, prefix: str):
        self.bot, self.prefix, self.users = bot, prefix, []  # type: ignore[var-annotated]

    def send(self) -> None:
        user = f"{self.prefix}{len(self.users):06d}"
        body = json.dumps(payloads.message_im(user, "hello")).encode()
        assert post(self.bot, body, signed(body, "application/json")) == 200
        self.users.append(user)

    def check(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            per_user = procs.api(self.bot.fake, "bench.delivery")["per_user"]
            missing = [u for u in self.users if per_user.get(u, 0) < 1]
            if not missing:
                break
            assert time.monotonic() < deadline, f"{len(missing)} valid events never processed: {missing[:5]}"
            time.sleep(0.2)
        doubled = [u for u in self.users if per_user.get(u, 0) > 1]
        assert not doubled, f"replied twice: {doubled[:5]}"
        assert self.bot.serve.alive()


# --- strategies ---------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12)

CONTENT_TYPES = ["application/json", "application/x-www-form-urlencoded", "text/plain", "", "application/xml",
                 "multipart/form-data; boundary=xyz", "application/json; charset=utf-16",
                 "application/x-www-form-urlencoded; charset=latin-1", "application/octet-stream"]


NOT_SLACK = "http://127.0.0.1:9/hook"  # a response_url the bot refuses (not a Slack host): no traffic leaves


def slack_shapes() -> list[dict[str, Any]]:
    """Real payload shapes (JSON events and interactivity) to mutate. Not app_uninstalled / tokens_revoked:
    a signed one rightly halts all sending, and the replies to the valid events are how loss is detected."""
    return [payloads.message_im("UFUZZ1", "an answer"), payloads.app_home_opened("UFUZZ1"),
            payloads.message_changed("UFUZZ1", "DUFUZZ1", "1700000000.000100", "edited"),
            payloads.event_callback({"type": "message", "channel_type": "im", "user": "UFUZZ1"}),
            payloads.url_verification("abc"),
            payloads.block_actions("UFUZZ1", "cna_choice.0", "1:q1:a", "q:1:q1", "DUFUZZ1", "1700000000.000100",
                                   response_url=NOT_SLACK),
            payloads.slash_command("UFUZZ1", "/cna", "help", response_url=NOT_SLACK),
            payloads.view_submission("UFUZZ1", "cb", {"b": {"a": "text"}})]


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A Slack payload with some fields dropped or replaced by any JSON value, at any depth."""
    body = draw(st.sampled_from(slack_shapes()))
    for _ in range(draw(st.integers(1, 4))):
        node: Any = body
        while isinstance(node, dict) and node and draw(st.booleans()):
            child = node[draw(st.sampled_from(sorted(node)))]
            if not isinstance(child, dict) or not child:
                break
            node = child
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
            if draw(st.booleans()):
                del node[key]
            else:
                node[key] = draw(json_values)
    return body


def encodings(body: dict[str, Any]) -> st.SearchStrategy[tuple[bytes, str]]:
    """One payload as Slack would send it (JSON, or form payload=) and as it should never arrive."""
    text = json.dumps(body)
    return st.sampled_from([
        (text.encode(), "application/json"),
        (urlencode({"payload": text}).encode(), "application/x-www-form-urlencoded"),
        (text.encode("utf-16"), "application/json"),
        (text.encode()[: max(1, len(text) // 2)], "application/json"),  # cut short
        (urlencode({"payload": text[:-3]}).encode(), "application/x-www-form-urlencoded"),
        (text.encode(), "application/x-www-form-urlencoded"),
        (urlencode({"payload": text}).encode(), "application/json"),
        (text.encode(), ""),
    ])


garbage = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=300).map(lambda t: t.encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    json_values.map(lambda v: urlencode({"payload": json.dumps(v)}).encode()),
    st.text(max_size=100).map(lambda t: urlencode({"payload": t}).encode()),
    st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=6).map(lambda d: urlencode(d).encode()),
    st.sampled_from([b"\xff\xfe\x00{", b"{\"type\": \"event_callback\", \"event\": ", b"payload=%ZZ",
                     b"payload=%7B%22type%22%3A%22block_actions%22%7D", "{\"a\": \"\udc80\"}".encode(errors="replace"),
                     b"\xc3\x28", b"command=/cna&text=invite&trigger_id=", b"null", b"[]", b"\"event_callback\""]),
)


def run_examples(strategy: st.SearchStrategy[Any], n: int, body: Callable[[Any], None]) -> None:
    @settings(FUZZ, max_examples=n)
    @given(strategy)
    def inner(example: Any) -> None:
        body(example)

    inner()


# --- tests --------------------------------------------------------------------------------------------------

def test_unsigned_or_badly_signed_garbage_is_refused(bot: Bot) -> None:
    after = ValidAfter(bot, "UFZA")
    headers = st.sampled_from(["none", "no_signature", "no_timestamp", "abc_timestamp", "old", "wrong", "upper"])

    def one(ex: tuple[bytes, str, str]) -> None:
        body, ctype, how = ex
        ts = str(int(time.time()))
        h = signed(body, ctype or None, ts)
        if how == "none":
            h = {"Content-Type": ctype} if ctype else {}
        elif how == "no_signature":
            del h["X-Slack-Signature"]
        elif how == "no_timestamp":
            del h["X-Slack-Request-Timestamp"]
        elif how == "abc_timestamp":
            h["X-Slack-Request-Timestamp"] = "abc"
        elif how == "old":
            h = signed(body, ctype or None, str(int(time.time()) - 400))
        elif how == "wrong":
            h = signed(body + b" ", ctype or None, ts)  # signed over a different body
        else:
            h["X-Slack-Signature"] = "v0=" + h["X-Slack-Signature"][3:].upper()
        expect(post(bot, body, h), body, 401)
        after.send()

    run_examples(st.tuples(garbage, st.sampled_from(CONTENT_TYPES), headers), 60, one)
    after.check()


def test_signed_garbage_gets_4xx_or_a_handled_200(bot: Bot) -> None:
    after = ValidAfter(bot, "UFZB")

    def one(ex: tuple[bytes, str]) -> None:
        body, ctype = ex
        expect(post(bot, body, signed(body, ctype or None)), body, content_type=ctype)
        after.send()

    run_examples(st.tuples(garbage, st.sampled_from(CONTENT_TYPES)), 150, one)
    after.check()


def test_slack_shaped_payloads_with_broken_fields_never_500(bot: Bot) -> None:
    after = ValidAfter(bot, "UFZC")

    def one(ex: tuple[bytes, str]) -> None:
        body, ctype = ex
        expect(post(bot, body, signed(body, ctype or None)), body, content_type=ctype)
        after.send()

    run_examples(mutated().flatmap(encodings), 150, one)
    after.check()


@pytest.mark.parametrize("size", [1_100_000, 3_900_000, 6_000_000])
def test_huge_bodies_are_handled(bot: Bot, size: int) -> None:
    after = ValidAfter(bot, f"UFZD{size // 100_000:02d}")
    event = payloads.message_im("UFUZZBIG", "x" * size)
    for body, ctype in [(json.dumps(event).encode(), "application/json"),
                        (urlencode({"payload": json.dumps(event)}).encode(), "application/x-www-form-urlencoded"),
                        (b"\x00" * size, "application/json")]:
        expect(post(bot, body, signed(body, ctype)), body, content_type=ctype)
        expect(post(bot, body, {"Content-Type": ctype}), body, 401, 413)
        after.send()
    after.check()


@pytest.mark.parametrize("how", ["unsigned_bad_signature", "validly_signed"])
def test_non_utf8_body_is_refused_not_500(bot: Bot, how: str) -> None:
    body = b"\x80{\"type\": \"event_callback\"}"
    headers = signed(body, "application/json")
    if how == "unsigned_bad_signature":
        headers["X-Slack-Signature"] = "v0=" + "0" * 64
    status = post(bot, body, headers)
    assert status in ((401,) if how == "unsigned_bad_signature" else (400, 401)), status


@pytest.mark.parametrize("body", [b'{"type": "event_callback", "event": null, "event_id": "Ev1"}',
                                  b'{"type": "event_callback", "event": ["message"], "event_id": "Ev2"}'])
def test_signed_body_that_is_not_slack_shaped_gets_400_not_500(bot: Bot, body: bytes) -> None:
    assert post(bot, body, signed(body, "application/json")) in (200, 400)


@pytest.mark.parametrize("body", [b"[]", b"null", b'"event_callback"', b"123",
                                  b'{"type": "event_callback", "event": {"type": "message"}, "authorizations": 5}'])
def test_signed_json_that_is_not_an_object_gets_400(bot: Bot, body: bytes) -> None:
    assert post(bot, body, signed(body, "application/json")) in (200, 400)
