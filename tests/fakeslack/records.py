"""What the fake records: Web API calls, delivered messages, views, uploads, response_url posts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


def fingerprint(token: str) -> str:
    """A short, non-reversible name for a token; compare with ``Call.token_fingerprint``, never log tokens."""
    return hashlib.sha256(token.encode()).hexdigest()[:12]


@dataclass
class Call:
    """One request to ``/api/<method>``, recorded on arrival, before any fault or check.

    ``body`` merges query string, form fields and JSON; JSON-in-form fields (blocks, attachments, view,
    files, metadata) are decoded. ``headers`` has Authorization redacted. After the response is decided:
    ``status`` (HTTP; 0 when the connection was dropped), ``response`` (the JSON the fake sent or would
    have sent) and ``dropped`` (reset_after_processing).
    """

    method: str
    body: dict[str, Any]
    headers: dict[str, str]
    at: float
    token_fingerprint: str = ""
    status: int | None = None
    response: dict[str, Any] | None = None
    dropped: bool = False

    @property
    def ok(self) -> bool:
        """True when the fake performed the call successfully (even if the connection was then dropped)."""
        return bool(self.response and self.response.get("ok"))

    @property
    def error(self) -> str | None:
        """The Slack error code the fake answered with, if any."""
        return None if self.response is None else self.response.get("error")

    def summary(self) -> str:
        """One line for failure messages: method, outcome and a short body, no secrets."""
        outcome = "dropped" if self.dropped else (self.error or ("ok" if self.ok else "pending"))
        body = {k: (v if len(str(v)) <= 60 else str(v)[:57] + "...") for k, v in self.body.items()}
        return f"{self.method} [{self.status} {outcome}] {body}"


@dataclass
class Message:
    """A message chat.postMessage delivered. ``user`` is the DM recipient for "D"+user channels."""

    channel: str
    ts: str
    text: str | None
    blocks: list[dict[str, Any]] | None
    body: dict[str, Any]
    at: float
    user: str | None = None
    thread_ts: str | None = None
    deleted: bool = False
    updates: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class View:
    """A view opened, published or updated; ``kind`` is "open", "push", "publish" or "update"."""

    id: str
    kind: str
    view: dict[str, Any]
    at: float
    trigger_id: str | None = None
    user_id: str | None = None
    view_hash: str = ""
    history: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Upload:
    """A file uploaded through files.getUploadURLExternal + upload URL + files.completeUploadExternal."""

    file_id: str
    filename: str
    length: int
    data: bytes | None = None
    title: str | None = None
    channel_id: str | None = None
    initial_comment: str | None = None
    completed: bool = False


@dataclass
class HookPost:
    """A POST to a response_url issued by ``FakeSlack.new_response_url()``."""

    hook_id: str
    body: dict[str, Any]
    at: float
    status: int
