"""`/cna report [md] [zh] [round N]` for leads: render the CNA report and upload it to the lead's DM."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from core.access import Reviewer
from reports.render import render_report
from storage import repos

log = logging.getLogger("cna.slack.report")

USAGE = "Usage: `/cna report [html|md] [en|zh] [round N]` (default: the current round as HTML in English)."


def parse_args(args: str) -> tuple[str, str, int | None]:
    """(format, language, round id) from words in any order; ValueError with the usage on anything else."""
    fmt, lang, round_id = "html", "en", None
    words = args.replace("--", "").split()
    i = 0
    while i < len(words):
        w = words[i].lower()
        if w in ("html", "md", "markdown"):
            fmt = "md" if w != "html" else "html"
        elif w in ("en", "zh", "lang"):
            lang = w if w != "lang" else (words[i + 1].lower() if i + 1 < len(words) else "")
            i += w == "lang"
        elif w == "round" and i + 1 < len(words) and words[i + 1].isdigit():
            round_id = int(words[i + 1])
            i += 1
        elif w.isdigit():
            round_id = int(w)
        else:
            raise ValueError(f"I did not understand {words[i]!r}. {USAGE}")
        i += 1
    if lang not in ("en", "zh"):
        raise ValueError(f"Unknown language: use en or zh. {USAGE}")
    return fmt, lang, round_id


async def upload_report(deps: Deps, user: str, args: str) -> str:
    """Render and upload; the text returned is the command's private answer. Department-restricted answers
    are left out of reports sent through Slack (run `cna report` with CNA_REVIEWER_DEPARTMENTS for those)."""
    try:
        fmt, lang, round_id = parse_args(args)
    except ValueError as exc:
        return str(exc)
    async with deps.db.uow() as uow:
        try:
            a = await repos.get_assessment(uow.session, round_id) if round_id else \
                await repos.current_assessment(uow.session)
        except repos.NotFound:
            a = None
        if a is None:
            return f"There is no round {round_id}." if round_id else "There is no assessment round yet."
        name, round_no, rid = a.name, a.round_no, a.id
    text = await render_report(deps.db, rid, fmt, lang, Reviewer(name=f"slack:{user}"))
    filename = f"cna-report-round-{round_no}-{lang}.{fmt}"
    try:
        dm = await deps.sender_client.conversations_open(users=user)
        channel = dm["channel"]["id"]
        await deps.sender_client.files_upload_v2(
            channel=channel, content=text, filename=filename, title=f"CNA report: {name}, round {round_no}",
            initial_comment=f"The CNA report for *{name}* (round {round_no}). Open the file in a browser; "
                            "it prints well to PDF." if fmt == "html" else f"The CNA report for *{name}*.")
    except SlackApiError as exc:
        log.warning("report upload failed: %s", exc.response.get("error"))
        return f"Sorry, I could not upload the report ({exc.response.get('error')}). Try again, or run `cna report`."
    log.info("uploaded report of round %s to %s", rid, user)
    return f"The report ({filename}) is in our direct messages."
