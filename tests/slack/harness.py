"""Test harness for the Slack bot: settings aimed at the fake, a running service, and a signed 'user'."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select

from app.catalog import Catalog, load_catalog
from app.settings import Settings
from bot.serve import Service
from core.script_parse import parse_script
from storage import repos
from storage.models import Answer, InboxEvent, Interview, OutboxMessage
from tests.fakeslack import payloads
from tests.fakeslack.records import Message
from tests.fakeslack.sender import SendResult, SlackSender
from tests.fakeslack.server import FakeSlack

SECRET = "test-signing-secret-0123456789"
LEAD = "ULEAD"
ROOT = Path(__file__).resolve().parents[2]

_catalog: Catalog | None = None


def mini_catalog() -> Catalog:
    """The shipped scripts plus tests/fixtures/mini.en.yaml (every question kind, branching, anonymity)."""
    global _catalog
    if _catalog is None:
        base = load_catalog()
        mini = parse_script((ROOT / "tests/fixtures/mini.en.yaml").read_text(encoding="utf-8"), "mini.en.yaml")
        _catalog = Catalog({**base.scripts, ("mini", "en"): mini}, base.codebook, base.prober)
    return _catalog


def env_for(fake: FakeSlack, db_url: str, **over: Any) -> dict[str, str]:
    """Environment variables for a bot talking to `fake` (also used for `cna serve` subprocesses)."""
    env = {"SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_APP_TOKEN": "xapp-test-token",
           "SLACK_SIGNING_SECRET": SECRET, "CNA_DATABASE_URL": db_url, "CNA_SLACK_API_URL": fake.api_url,
           "CNA_LEADS": LEAD, "CNA_POST_PER_MINUTE": "100000", "CNA_PER_CHANNEL_INTERVAL": "0",
           "CNA_POLL_INTERVAL": "0.2", "CNA_INBOX_BACKOFF": "0.1", "CNA_INBOX_LEASE": "3", "CNA_WEB_TIMEOUT": "3"}
    env.update({k: str(v) for k, v in over.items()})
    return env


def settings_for(fake: FakeSlack, db_url: str, **over: Any) -> Settings:
    return Settings(_env_file=None, **env_for(fake, db_url, **over))  # type: ignore[call-arg]


class Bot:
    """A running service plus a signed HTTP sender, with helpers that talk like a person in Slack."""

    def __init__(self, fake: FakeSlack, service: Service, sender: SlackSender):
        self.fake = fake
        self.service = service
        self.sender = sender

    @property
    def deps(self) -> Any:
        assert self.service.deps is not None
        return self.service.deps

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.service.port}/slack/events"

    async def open_round(self, name: str = "CRM needs 2026") -> int:
        async with self.deps.db.uow() as uow:
            a = await repos.create_assessment(uow.session, name=name, opened_on=date.today(),
                                              lead_slack_ids=[LEAD])
            await uow.commit()
            return a.id

    async def say(self, user: str, text: str, **kw: Any) -> dict[str, Any]:
        body = payloads.message_im(user, text, **kw)
        r = await self.sender.event(body)
        assert r.status == 200, r
        return body

    async def command(self, user: str, text: str) -> str:
        """Send `/cna text`; returns its response_url (on the fake)."""
        url = self.fake.new_response_url()
        r = await self.sender.command(payloads.slash_command(user, "/cna", text, response_url=url))
        assert r.status == 200, r
        return url

    async def click(self, user: str, message: Message, action_prefix: str, *, label: str | None = None,
                    state: dict[str, Any] | None = None, **kw: Any) -> SendResult:
        """Press the button (or pick the option) whose action_id starts with `action_prefix`."""
        block, el, value = find_element(message, action_prefix, label)
        payload = payloads.block_actions(user, el["action_id"], value or "", block["block_id"], message.channel,
                                         message.ts, response_url=self.fake.new_response_url(), **kw)
        if el["type"] == "static_select":
            opt = next(o for o in el["options"] if label is None or o["text"]["text"] == label)
            payload["actions"][0].update(type="static_select", selected_option=opt)
            payload["actions"][0].pop("value", None)
        if state is not None:
            payload["state"] = {"values": state}
        return await self.sender.action(payload)

    def dms(self, user: str) -> list[Message]:
        return self.fake.messages(user)

    async def wait_dms(self, user: str, n: int, timeout: float = 10.0) -> list[Message]:
        await self.fake.wait_for(lambda _c: len(self.dms(user)) >= n, timeout, f"{n} DMs to {user}")
        return self.dms(user)

    async def settle(self, timeout: float = 15.0) -> None:
        """Wait until the inbox and the outbox have nothing left to do."""
        deadline = time.monotonic() + timeout
        while True:
            async with self.deps.db.uow() as uow:
                s = uow.session
                busy = await s.scalar(select(func.count()).select_from(InboxEvent)
                                      .where(InboxEvent.status.in_(("pending", "working"))))
                busy += await s.scalar(select(func.count()).select_from(OutboxMessage)
                                       .where(OutboxMessage.status.in_(("pending", "sending", "verify"))))
            if not busy:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"bot did not settle within {timeout} s ({busy} rows busy)")
            await asyncio.sleep(0.02)

    async def answers(self, interview_id: int | None = None) -> list[Answer]:
        async with self.deps.db.uow() as uow:
            q = select(Answer).order_by(Answer.id)
            if interview_id is not None:
                q = q.where(Answer.interview_id == interview_id)
            return list((await uow.session.scalars(q)).all())

    async def interviews(self) -> list[Interview]:
        async with self.deps.db.uow() as uow:
            return list((await uow.session.scalars(select(Interview).order_by(Interview.id))).all())

    async def outbox(self, **where: Any) -> list[OutboxMessage]:
        async with self.deps.db.uow() as uow:
            q = select(OutboxMessage).order_by(OutboxMessage.id)
            for k, v in where.items():
                q = q.where(getattr(OutboxMessage, k) == v)
            return list((await uow.session.scalars(q)).all())

    async def inbox_count(self) -> int:
        async with self.deps.db.uow() as uow:
            return int(await uow.session.scalar(select(func.count()).select_from(InboxEvent)) or 0)


def find_element(message: Message, action_prefix: str, label: str | None = None) -> tuple[dict, dict, str | None]:
    """(block, element, value) of the first interactive element matching the action prefix (and label)."""
    blocks = (message.updates[-1].get("blocks") if message.updates else None) or message.blocks or []
    for block in blocks:
        elements = block.get("elements") if block.get("type") == "actions" else (
            [block["accessory"]] if block.get("accessory") else [])
        for el in elements or []:
            if not str(el.get("action_id", "")).startswith(action_prefix):
                continue
            if label is not None and el["type"] == "button" and el["text"]["text"] != label:
                continue
            return block, el, el.get("value")
    raise AssertionError(f"no {action_prefix} element (label {label!r}) in message {message.text!r}")


def block_text(message: Message) -> str:
    """All the text a person would see in a message (top-level text and block texts)."""
    parts = [message.text or ""]
    for b in message.blocks or []:
        t = b.get("text")
        if isinstance(t, dict):
            parts.append(t.get("text", ""))
        for el in b.get("elements") or []:
            if isinstance(el, dict) and el.get("type") in ("mrkdwn", "plain_text"):
                parts.append(el.get("text", ""))
    return "\n".join(parts)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def start_serve_process(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """`cna serve --http` as a real process (so it can be killed with -9), once /healthz answers."""
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--http", "--host", "127.0.0.1",
                             "--port", str(port)], cwd=ROOT, env=env, stdout=log.open("ab"),
                            stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    async with aiohttp.ClientSession() as s:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"cna serve exited {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                async with s.get(f"http://127.0.0.1:{port}/healthz") as r:
                    if r.status == 200:
                        return proc
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    proc.kill()
    raise AssertionError("cna serve did not come up")
