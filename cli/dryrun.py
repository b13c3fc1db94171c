"""`cna probe` and `cna code`: batch dry-runs of the rules over JSON Lines, streaming, constant memory."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

import click

from app.coder import build_coder
from app.config_files import load_codebook
from core.script_parse import ScriptError

_ANSWERS_REMEMBERED = 4096  # distinct (answer, lang) whose codes `cna code` keeps (least recently used dropped)


def _records(stream: TextIO, name: str) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(line number, object) per non-blank line; object None after reporting a malformed line."""
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            click.echo(f"{name}:{n}: not valid JSON ({exc.msg} at column {exc.colno}); line skipped", err=True)
            yield n, None
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            click.echo(f'{name}:{n}: expected an object with a "text" string, e.g. {{"text": "Lower price"}}; '
                       "line skipped", err=True)
            yield n, None
            continue
        yield n, obj


def _stream(path: str, transform: Callable[[int, dict[str, Any]], dict[str, Any] | None]) -> None:
    name = "<stdin>" if path == "-" else path
    bad = 0
    try:
        stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror}") from None
    out = sys.stdout
    encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(..., ensure_ascii=False), built once
    try:
        for n, obj in _records(stream, name):
            if obj is None:
                bad += 1
                continue
            result = transform(n, obj)
            if result is None:
                bad += 1
                continue
            out.write(encode(result) + "\n")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{name}: not UTF-8 text ({exc.reason}); save the file as UTF-8") from None
    finally:
        if stream is not sys.stdin:
            stream.close()
    out.flush()
    if bad:
        click.echo(f"{bad} line(s) skipped", err=True)
        raise SystemExit(1)


@click.command()
@click.argument("file", default="-", type=click.Path(allow_dash=True, dir_okay=False, path_type=str))
@click.option("--max-depth", type=click.IntRange(0, 5), default=3, show_default=True,
              help="The ladder's maximum depth.")
@click.option("--explain", is_flag=True, help='Add "why": the features that pushed the judge to its verdict.')
def probe(file: str, max_depth: int, explain: bool) -> None:
    """Decide the follow-up for each answer. JSON Lines in: {"text", "lang"?, "question"?, "depth"?,
    "closing"?, "audience"? (internal|customer)}; out: the same object plus "probe" (text or null),
    "reason", "score" (0-1: how specific the answer is) and "rung" (attribute|consequence|value)."""
    from app.catalog import load_prober  # the catalog (scripts, corpora, the judge): `cna probe` only

    try:
        prober = load_prober()
    except ScriptError as exc:
        raise click.ClickException(str(exc)) from None

    def transform(n: int, obj: dict[str, Any]) -> dict[str, Any] | None:
        depth = obj.get("depth", 0)
        lang = obj.get("lang")
        if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
            click.echo(f'{file}:{n}: "depth" must be a whole number >= 0; line skipped', err=True)
            return None
        if lang is not None and lang not in ("en", "zh", "auto"):
            click.echo(f'{file}:{n}: "lang" must be "en" or "zh"; line skipped', err=True)
            return None
        audience = obj.get("audience", "customer")
        if audience not in ("internal", "customer"):
            click.echo(f'{file}:{n}: "audience" must be "internal" or "customer"; line skipped', err=True)
            return None
        d = prober.decide(obj["text"], lang or "auto", depth=depth, max_depth=max_depth,
                          question_id=obj.get("question"), closing=bool(obj.get("closing")), audience=audience,
                          explain=explain)
        out = {**obj, "probe": d.spoken, "reason": d.reason, "score": d.score, "rung": d.rung}
        if explain:
            out["why"] = dict(d.why)
        return out

    _stream(file, transform)


@click.command()
@click.argument("file", default="-", type=click.Path(allow_dash=True, dir_okay=False, path_type=str))
@click.option("--codebook", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="A codebook YAML (default: the shipped one).")
def code(file: str, codebook: Path | None) -> None:
    """Propose codes for each answer. JSON Lines in: {"text", "lang"?}; out adds "codes" and "evidence"."""
    try:
        coder = build_coder(load_codebook(codebook))
    except ScriptError as exc:
        raise click.ClickException(str(exc)) from None

    # Batches repeat answers ("Lower price", "不知道", a form's fixed choices): an answer's codes are worked out once
    # and remembered (the coder is deterministic; bounded, so memory stays constant however long the stream).
    @lru_cache(maxsize=_ANSWERS_REMEMBERED)
    def coded(text: str, lang: str | None) -> tuple[list[str], dict[str, str]]:
        hits = coder.code(text, lang)
        return [h.code_id for h in hits], {h.code_id: h.cue for h in hits}

    def transform(n: int, obj: dict[str, Any]) -> dict[str, Any] | None:
        lang = obj.get("lang")
        if lang is not None and lang not in ("en", "zh", "auto"):
            click.echo(f'{file}:{n}: "lang" must be "en" or "zh"; line skipped', err=True)
            return None
        codes, evidence = coded(obj["text"], lang)
        return {**obj, "codes": codes, "evidence": evidence}

    _stream(file, transform)
