"""Block Kit builders that keep to Slack's limits (text lengths, block and option counts) and escape input."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Limits from slack-facts.md; builders cut or split rather than let Slack reject a message.
MSG_TEXT_MAX = 4000  # Slack's hard cap is 40,000; notifications and fallbacks stay short
SECTION_TEXT_MAX = 3000
HEADER_TEXT_MAX = 150
CONTEXT_TEXT_MAX = 3000
BLOCKS_PER_MESSAGE = 50
BLOCKS_PER_VIEW = 100
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
ID_MAX = 255  # action_id, block_id, callback_id
ACTIONS_ELEMENTS_MAX = 25
OPTIONS_MAX = 100
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
CHECKBOX_OPTIONS_MAX = 10
PLACEHOLDER_MAX = 150

Block = dict[str, Any]


def escape(text: str) -> str:
    """Make untrusted text inert in mrkdwn: no mentions (<!channel>, <@U..>), no links, no entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """Cut text to `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split_text(text: str, limit: int = SECTION_TEXT_MAX) -> list[str]:
    """Split long text into pieces of at most `limit`, preferring paragraph, line and word breaks."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = rest.rfind(sep, limit // 2, limit)
            if cut > 0:
                break
        if cut <= 0:
            cut = limit
        # An escape like "&amp;" must not be cut in half.
        amp = rest.rfind("&", max(0, cut - 5), cut)
        if amp >= 0 and ";" not in rest[amp:cut]:
            cut = amp or cut
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def _safe_id(value: str) -> str:
    if len(value) > ID_MAX:
        raise ValueError(f"id longer than {ID_MAX} characters: {value[:40]}...")
    return value


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text or " ", limit), "emoji": True}


def section(text: str, block_id: str | None = None) -> list[Block]:
    """One section per 3,000 characters of mrkdwn (the caller escapes untrusted parts)."""
    out: list[Block] = []
    for i, piece in enumerate(split_text(text or " ")):
        b: Block = {"type": "section", "text": {"type": "mrkdwn", "text": piece or " "}}
        if block_id:
            b["block_id"] = _safe_id(block_id if i == 0 else f"{block_id}.{i}")
        out.append(b)
    return out


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, HEADER_TEXT_MAX)}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text or " ", CONTEXT_TEXT_MAX)}]}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    if len(value) > BUTTON_VALUE_MAX:
        raise ValueError("button value too long; values carry opaque ids only")
    b: dict[str, Any] = {"type": "button", "text": plain(text, BUTTON_TEXT_MAX), "action_id": _safe_id(action_id),
                         "value": value}
    if style:
        b["style"] = style
    return b


def option(text: str, value: str) -> dict[str, Any]:
    if len(value) > OPTION_VALUE_MAX:
        raise ValueError("option value too long; values carry opaque ids only")
    return {"text": plain(text, OPTION_TEXT_MAX), "value": value}


def actions(elements: list[dict[str, Any]], block_id: str) -> list[Block]:
    """Actions blocks of at most 25 elements each."""
    out: list[Block] = []
    for i in range(0, max(len(elements), 1), ACTIONS_ELEMENTS_MAX):
        bid = block_id if i == 0 else f"{block_id}.{i // ACTIONS_ELEMENTS_MAX}"
        out.append({"type": "actions", "block_id": _safe_id(bid), "elements": elements[i:i + ACTIONS_ELEMENTS_MAX]})
    return out


def static_select(placeholder: str, action_id: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "static_select", "action_id": _safe_id(action_id),
            "placeholder": plain(placeholder, PLACEHOLDER_MAX), "options": options[:OPTIONS_MAX]}


def multi_select(placeholder: str, action_id: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "multi_static_select", "action_id": _safe_id(action_id),
            "placeholder": plain(placeholder, PLACEHOLDER_MAX), "options": options[:OPTIONS_MAX]}


def checkboxes(action_id: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "checkboxes", "action_id": _safe_id(action_id), "options": options[:CHECKBOX_OPTIONS_MAX]}


@dataclass
class Message:
    """One chat.postMessage: top-level text (always set: notifications and accessibility) plus blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    # (interview id, question id) when the message asks a question or a follow-up: kept in the post's metadata,
    # so a reply in a thread under it can be stored with the question it answers (bot/threads.py).
    asks: tuple[int, str] | None = None
    # The ts of the message to reply under: an acknowledgement of words written in a thread goes into that thread.
    thread_ts: str | None = None

    def payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": clip(self.text.strip() or "…", MSG_TEXT_MAX)}
        if self.blocks:
            out["blocks"] = self.blocks
        if self.thread_ts:
            out["thread_ts"] = self.thread_ts
        return out


def messages(text: str, blocks: list[Block]) -> list[Message]:
    """Split blocks over as many messages as Slack's 50-block cap needs, each with its own text."""
    if len(blocks) <= BLOCKS_PER_MESSAGE:
        return [Message(text, blocks)]
    out = []
    for i in range(0, len(blocks), BLOCKS_PER_MESSAGE):
        out.append(Message(text if i == 0 else clip(text, 200) + " (…)", blocks[i:i + BLOCKS_PER_MESSAGE]))
    return out


def home_view(blocks: list[Block]) -> dict[str, Any]:
    """An App Home view; Slack allows 100 blocks, so the tail is cut with a note."""
    if len(blocks) > BLOCKS_PER_VIEW:
        blocks = [*blocks[: BLOCKS_PER_VIEW - 1], context("…")]
    return {"type": "home", "blocks": blocks}
