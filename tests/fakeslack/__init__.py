"""A fake Slack for tests and benchmarks: real HTTP and WebSocket on 127.0.0.1; full API in README.md.

Quick start::

    from tests.fakeslack import FakeSlack, SlackSender, payloads

    async with FakeSlack(users={"U1": {"tz": "Asia/Shanghai"}}) as fake:
        client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
        await client.chat_postMessage(channel="U1", text="hi")
        assert fake.dm_count("U1") == 1
"""

from tests.fakeslack import payloads
from tests.fakeslack.records import Call, HookPost, Message, Upload, View, fingerprint
from tests.fakeslack.sender import SendResult, SlackSender, sign
from tests.fakeslack.server import FakeSlack

__all__ = [
    "Call",
    "FakeSlack",
    "HookPost",
    "Message",
    "SendResult",
    "SlackSender",
    "Upload",
    "View",
    "fingerprint",
    "payloads",
    "sign",
]
