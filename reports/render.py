"""Render the CNA report as Markdown or one self-contained HTML file from Jinja2 templates."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from core.access import Reviewer
from reports.labels import LANGS
from reports.model import build_report
from storage.uow import Database

TEMPLATES = Path(__file__).resolve().parent / "templates"
FORMATS = ("md", "html")


class ReportError(ValueError):
    """A report option that cannot be used, with what to use instead."""


def _md_cell(value: object) -> str:
    """Table-cell safe Markdown: no pipes or line breaks that would split the row."""
    return re.sub(r"\s*\n\s*", " ", str(value)).replace("|", "\\|")


def _md_quote(value: object) -> str:
    return "\n".join("> " + line if line else ">" for line in str(value).splitlines() or [""])


def _mermaid(value: object) -> str:
    """Mermaid task names may not hold ':' or '#'."""
    return re.sub(r"[:#;]", " ", str(value)).strip()


def _environment(fmt: str) -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                      autoescape=fmt == "html",
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["cell"] = _md_cell
    env.filters["mdquote"] = _md_quote
    env.filters["mermaid"] = _mermaid
    env.filters["svg"] = lambda s: Markup(s)  # built by reports.svg, which escapes every text it places
    env.filters["iso"] = lambda d: d.isoformat() if isinstance(d, date) else ""
    return env


def render(context: dict[str, Any], fmt: str) -> str:
    """The report text for a context from reports.model.build_report."""
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    name = "report.html.j2" if fmt == "html" else "report.md.j2"
    if fmt == "html":
        context = {**context, "css": Markup((TEMPLATES / "report.css").read_text(encoding="utf-8"))}
    return _environment(fmt).get_template(name).render(**context)


async def render_report(db: Database, round_id: int | None, fmt: str = "html", lang: str = "en",
                        reviewer: Reviewer | None = None, today: date | None = None) -> str:
    """The whole report for one round (None: the current one) as text, for the CLI and the Slack command.
    Restricted answers appear only when the reviewer may read their department."""
    if lang not in LANGS:
        raise ReportError(f"unknown report language {lang!r}; use one of {', '.join(LANGS)}")
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    async with db.uow() as uow:
        context = await build_report(uow.session, round_id, lang, reviewer or Reviewer(), today)
    return await asyncio.to_thread(render, context, fmt)  # templating is CPU work: keep the event loop free
