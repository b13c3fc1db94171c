"""Slack's message, block and modal limits (slack-facts.md), checked the way the Web API reports them."""

from __future__ import annotations

import json
from typing import Any

MSG_TEXT_MAX = 40_000
BLOCKS_PER_MESSAGE = 50
BLOCKS_PER_VIEW = 100
SECTION_TEXT_MAX = 3_000
SECTION_FIELDS_MAX = 10
FIELD_TEXT_MAX = 2_000
HEADER_TEXT_MAX = 150
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2_000
ID_MAX = 255
ACTIONS_ELEMENTS_MAX = 25
CONTEXT_ELEMENTS_MAX = 10
OPTIONS_MAX = 100
OPTION_VALUE_MAX = 150
PLAIN_TEXT_INPUT_MAX_LENGTH = 3_000
INPUT_LABEL_MAX = 2_000
VIEW_TEXT_MAX = 24  # title, submit, close
PRIVATE_METADATA_MAX = 3_000
VIEW_MAX_BYTES = 250_000

Problem = tuple[str, list[str]]  # (Slack error code, response_metadata.messages)


def _too_long(value: Any, limit: int, pointer: str) -> list[str]:
    if isinstance(value, str) and len(value) > limit:
        return [f"[ERROR] must be less than {limit + 1} characters [json-pointer:{pointer}]"]
    return []


def _text(obj: Any) -> Any:
    return obj.get("text") if isinstance(obj, dict) else None


def _element(el: Any, ptr: str) -> list[str]:
    if not isinstance(el, dict) or not isinstance(el.get("type"), str):
        return [f"[ERROR] must provide an object with a type [json-pointer:{ptr}]"]
    errs = _too_long(el.get("action_id"), ID_MAX, f"{ptr}/action_id")
    if el["type"] == "button":
        errs += _too_long(_text(el.get("text")), BUTTON_TEXT_MAX, f"{ptr}/text/text")
        errs += _too_long(el.get("value"), BUTTON_VALUE_MAX, f"{ptr}/value")
    if el["type"] == "plain_text_input":
        max_length = el.get("max_length")
        if isinstance(max_length, int) and max_length > PLAIN_TEXT_INPUT_MAX_LENGTH:
            errs.append(
                f"[ERROR] must be at most {PLAIN_TEXT_INPUT_MAX_LENGTH} [json-pointer:{ptr}/max_length]"
            )
    options = el.get("options")
    if isinstance(options, list):
        if len(options) > OPTIONS_MAX:
            errs.append(f"[ERROR] no more than {OPTIONS_MAX} items allowed [json-pointer:{ptr}/options]")
        for i, opt in enumerate(options):
            value = opt.get("value") if isinstance(opt, dict) else None
            errs += _too_long(value, OPTION_VALUE_MAX, f"{ptr}/options/{i}/value")
    return errs


def _block(block: Any, ptr: str) -> list[str]:
    if not isinstance(block, dict) or not isinstance(block.get("type"), str):
        return [f"[ERROR] must provide an object with a type [json-pointer:{ptr}]"]
    kind = block["type"]
    errs = _too_long(block.get("block_id"), ID_MAX, f"{ptr}/block_id")
    if kind == "section":
        errs += _too_long(_text(block.get("text")), SECTION_TEXT_MAX, f"{ptr}/text/text")
        fields = block.get("fields") or []
        if len(fields) > SECTION_FIELDS_MAX:
            errs.append(
                f"[ERROR] no more than {SECTION_FIELDS_MAX} items allowed [json-pointer:{ptr}/fields]"
            )
        for i, f in enumerate(fields):
            errs += _too_long(_text(f), FIELD_TEXT_MAX, f"{ptr}/fields/{i}/text")
        if "accessory" in block:
            errs += _element(block["accessory"], f"{ptr}/accessory")
        if "text" not in block and not fields:
            errs.append(f"[ERROR] must provide either text or fields [json-pointer:{ptr}]")
    elif kind == "header":
        errs += _too_long(_text(block.get("text")), HEADER_TEXT_MAX, f"{ptr}/text/text")
    elif kind in ("actions", "context"):
        elements = block.get("elements") or []
        limit = ACTIONS_ELEMENTS_MAX if kind == "actions" else CONTEXT_ELEMENTS_MAX
        if len(elements) > limit:
            errs.append(f"[ERROR] no more than {limit} items allowed [json-pointer:{ptr}/elements]")
        if kind == "actions":
            for i, el in enumerate(elements):
                errs += _element(el, f"{ptr}/elements/{i}")
    elif kind == "input":
        errs += _too_long(_text(block.get("label")), INPUT_LABEL_MAX, f"{ptr}/label/text")
        errs += _element(block.get("element"), f"{ptr}/element")
    return errs


def check_blocks(blocks: Any, limit: int, pointer: str = "/blocks") -> list[str]:
    """Problems with a list of blocks (empty list = fine), as response_metadata messages."""
    if not isinstance(blocks, list):
        return [f"[ERROR] must be an array [json-pointer:{pointer}]"]
    errs: list[str] = []
    if len(blocks) > limit:
        errs.append(f"[ERROR] no more than {limit} items allowed [json-pointer:{pointer}]")
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        errs += _block(block, f"{pointer}/{i}")
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if block_id is not None:
            if block_id in seen:
                errs.append(f"[ERROR] duplicate block_id {block_id!r} [json-pointer:{pointer}/{i}/block_id]")
            seen.add(block_id)
    return errs


def check_message(body: dict[str, Any]) -> Problem | None:
    """chat.postMessage / chat.update rules: msg_too_long, invalid_blocks, no_text."""
    text, blocks = body.get("text"), body.get("blocks")
    if isinstance(text, str) and len(text) > MSG_TEXT_MAX:
        return "msg_too_long", []
    if blocks is not None:
        errs = check_blocks(blocks, BLOCKS_PER_MESSAGE)
        if errs:
            return "invalid_blocks", errs
    if not text and not blocks and not body.get("attachments"):
        return "no_text", []
    return None


def check_view(view: Any) -> Problem | None:
    """views.open / views.push / views.update / views.publish rules, reported as invalid_arguments."""
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        return "invalid_arguments", ["[ERROR] must provide a view of type modal or home [json-pointer:/view]"]
    errs: list[str] = []
    if len(json.dumps(view).encode()) > VIEW_MAX_BYTES:
        errs.append(f"[ERROR] view must be at most {VIEW_MAX_BYTES} bytes [json-pointer:/view]")
    if view["type"] == "modal" and not _text(view.get("title")):
        errs.append("[ERROR] missing required field: title [json-pointer:/view/title]")
    for key in ("title", "submit", "close"):
        errs += _too_long(_text(view.get(key)), VIEW_TEXT_MAX, f"/view/{key}/text")
    errs += _too_long(view.get("private_metadata"), PRIVATE_METADATA_MAX, "/view/private_metadata")
    errs += _too_long(view.get("callback_id"), ID_MAX, "/view/callback_id")
    errs += _too_long(view.get("external_id"), ID_MAX, "/view/external_id")
    errs += check_blocks(view.get("blocks", []), BLOCKS_PER_VIEW, "/view/blocks")
    return ("invalid_arguments", errs) if errs else None
