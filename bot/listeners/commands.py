"""`/cna`: help for everyone; invite, status, remind, close and assist for the CNA leads only."""

from __future__ import annotations

import logging
import shlex

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from app import blocks as bk
from app import outbox
from bot import privacy_dm, render
from bot.alerts import leads_of
from bot.conversation import unescape
from bot.deps import Deps
from bot.kickoff import TargetError, Targets, expand, invite_users, parse_target, profiles, reachable
from bot.listeners.assist import start_assisted
from bot.report_upload import upload_report
from bot.worker import Item
from core.interview import ACTIVE, InterviewState
from storage import repos
from storage.models import Assessment, Identity, InboxEvent, Interview, OutboxMessage, Participant, Workspace

log = logging.getLogger("cna.slack.commands")

HELP_LEAD = """*CNA commands* (leads)
• `/cna invite @person|@group|#channel … SCRIPT [--lang zh]`: invite people to an interview in the open round
• `/cna status`: progress per segment, and anything that could not be delivered
• `/cna remind`: nudge everyone who has not finished (at most once a day)
• `/cna close`: close the round; unfinished interviews expire
• `/cna assist SCRIPT "Customer / Contact" [--lang zh]`: run an interview with a customer yourself; \
I suggest the follow-ups in our DM
• `/cna report [html|md] [en|zh] [round N]`: the CNA report (roadmap, themes, gaps) as a file in our DM
Scripts: {scripts}"""
HELP_EVERYONE = ("CNA interviews happen in our direct messages: answer in your own words, or type *help* there. "
                 "The App Home tab lists interviews waiting for you.")
NOT_ALLOWED = "Sorry, `/cna {sub}` is for the CNA leads only. Nothing was changed."
# Default deny: every subcommand but help is for leads, so a new one cannot be left open by mistake.
FOR_EVERYONE = ("help",)


async def on_command(deps: Deps, item: Item) -> None:
    p = item.payload
    user = item.user or ""
    text = unescape(str(p.get("text") or "")).replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    raw = str(p.get("text") or "")
    sub, _, rest = text.strip().partition(" ")
    sub = sub.lower() or "help"
    async with deps.db.uow() as uow:
        is_lead = user in await leads_of(uow.session, deps.settings.leads)
    if sub not in FOR_EVERYONE and not is_lead:
        log.warning("refused /cna %s from %s: not a lead", sub, user)
        await reply(deps, item, NOT_ALLOWED.format(sub=sub))
        return
    if sub == "invite":
        answer = await invite(deps, raw.strip().partition(" ")[2])
    elif sub == "status":
        async with deps.db.uow() as uow:
            a = await repos.current_assessment(uow.session)
            answer = await status_text(uow.session, a, team_id=deps.identity.team_id) if a else _no_round()
    elif sub == "remind":
        answer = await remind(deps)
    elif sub == "close":
        answer = await close(deps)
    elif sub == "assist":
        answer = await assist(deps, item, rest)
    elif sub == "erase-confirm":
        answer = await privacy_dm.erase_confirm(deps, rest, user)
    elif sub == "report":
        answer = await upload_report(deps, user, rest)
    else:
        answer = HELP_LEAD.format(scripts=", ".join(deps.service.catalog.ids())) if is_lead else HELP_EVERYONE
    await reply(deps, item, answer)


async def reply(deps: Deps, item: Item, text: str) -> None:
    """Answer privately through the command's response_url (works in any channel, even without the bot)."""
    async with deps.db.uow() as uow:
        url = item.payload.get("response_url")
        if url:
            await outbox.respond(uow.session, f"resp:{item.key}", str(url), text, user=item.user,
                                 blocks=bk.section(text))
        else:
            await outbox.post(uow.session, f"resp:{item.key}", item.user or "", render.plain(text))
        await item.mark_done(uow.session, deps.clock())
        await uow.commit()
    deps.outbox_wake.set()


def _no_round() -> str:
    return "There is no open assessment round. Create one with `cna assessment create --name ...`."


def _split(args: str) -> tuple[list[str], str | None]:
    """Words (quotes respected) and the --lang value."""
    try:
        words = shlex.split(args)
    except ValueError:
        words = args.split()
    lang = None
    if "--lang" in words:
        i = words.index("--lang")
        lang = words[i + 1] if i + 1 < len(words) else ""
        del words[i:i + 2]
    return words, lang


async def invite(deps: Deps, args: str) -> str:
    words, lang = _split(args)
    targets, rest = Targets(), []
    for w in words:
        if not parse_target(w, targets):
            rest.append(w)
    usage = "Usage: `/cna invite @person|@group|#channel … SCRIPT [--lang zh]`."
    if not targets or len(rest) != 1:
        return f"{usage} Mention people, user groups or channels, then one script id."
    if lang not in (None, "en", "zh"):
        return f"Unknown language {bk.escape(lang)!r}: use `--lang en` or `--lang zh`."
    try:
        script = deps.service.catalog.get(rest[0], lang or "en")
    except KeyError as exc:
        return bk.escape(str(exc.args[0]))
    async with deps.db.uow() as uow:
        a = await repos.current_assessment(uow.session)
    if a is None or a.status != "open":
        return _no_round()
    try:
        people = await expand(deps, targets)
    except TargetError as exc:
        return str(exc)
    found = await profiles(deps, people)
    left_out = len(people)
    people = reachable(people, found)
    left_out -= len(people)
    if not people:
        return "Those mentions name nobody I can invite."
    zones = {u: str(p["tz"]) for u, p in found.items() if p.get("tz")}
    created, already = await invite_users(deps, a.id, script, people, zones)
    return (f"Invited {created} {'person' if created == 1 else 'people'} to *{bk.escape(script.title)}* "
            f"({script.lang}) in round *{bk.escape(a.name)}*" + (f"; {already} already had it" if already else "")
            + (f"; {left_out} bot or deactivated account(s) left out" if left_out else "") + "."
            + " Invitations go out within Slack's rate limits; `/cna status` shows progress.")


async def status_text(s: AsyncSession, a: Assessment, team_id: str | None = None) -> str:
    counts = await repos.status_counts(s, a.id)
    lines = [f"*{bk.escape(a.name)}* (round {a.round_no}, {a.status})"]
    if not counts:
        lines.append("Nobody invited yet: `/cna invite`.")
    for segment, by in sorted(counts.items()):
        total = sum(by.values())
        done = by.get("completed", 0)
        lines.append(f"• *{segment}*: {done}/{total} completed ({100 * done // max(total, 1)}%), "
                     f"{by.get('in_progress', 0)} in progress, {by.get('paused', 0)} paused, "
                     f"{by.get('invited', 0)} not started, {by.get('declined', 0)} declined"
                     + (f", {by['expired']} expired" if by.get("expired") else ""))
    problems: dict[str, int] = dict((await s.execute(select(OutboxMessage.status, func.count()).where(
        OutboxMessage.status.in_(("skipped", "failed", "ambiguous"))).group_by(OutboxMessage.status))).tuples().all())
    pending = await s.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.status.in_(("pending", "sending", "verify"))))
    dead = await s.scalar(select(func.count()).select_from(InboxEvent).where(InboxEvent.status == "dead"))
    if pending:
        lines.append(f"{pending} message(s) waiting to be sent.")
    if problems.get("skipped"):
        lines.append(f"{problems['skipped']} message(s) skipped: the person cannot be messaged (deactivated, "
                     "not found or not visible).")
    for st in ("failed", "ambiguous"):
        if problems.get(st):
            lines.append(f"{problems[st]} message(s) {st}: check the logs before resending.")
    if dead:
        lines.append(f"{dead} inbound event(s) could not be processed (dead-lettered).")
    ws = await s.get(Workspace, team_id) if team_id else None
    if ws is not None and ws.halted_reason:
        lines.append(f":warning: Sending is halted ({ws.halted_reason}): fix SLACK_BOT_TOKEN and restart.")
    return "\n".join(lines)


async def remind(deps: Deps) -> str:
    """Nudge everyone in the round who has not finished, once per day (the key carries the date)."""
    today = deps.clock().date().isoformat()
    sent = already = 0
    async with deps.db.uow() as uow:
        s = uow.session
        a = await repos.current_assessment(s)
        if a is None or a.status != "open":
            return _no_round()
        rows = (await s.execute(select(Interview, Identity.slack_user_id).join(
            Identity, Identity.participant_id == Interview.participant_id).join(
            Participant, Participant.id == Interview.participant_id).where(
            Interview.assessment_id == a.id, Interview.status.in_(ACTIVE), Interview.mode == "slack",
            Participant.opted_out.is_(False), Identity.slack_user_id.is_not(None)))).all()
        for iv, slack_user in rows:
            script = await deps.service.script_for(s, iv)
            if await outbox.post(s, f"remind:{iv.id}:{today}", slack_user, render.reminder(iv.id, script, iv.status)):
                sent += 1
                # Core UPDATE: counts the nudge without bumping the version an answer in flight relies on.
                await s.execute(update(Interview).where(Interview.id == iv.id)
                                .values(nudges_sent=Interview.nudges_sent + 1))
            else:
                already += 1
        await uow.commit()
    deps.outbox_wake.set()
    return f"Reminded {sent} {'person' if sent == 1 else 'people'}" + (
        f"; {already} were already reminded today." if already else ".")


async def close(deps: Deps) -> str:
    """Close the current round; interviews not finished expire (their answers so far are kept)."""
    for attempt in range(5):
        try:
            async with deps.db.uow() as uow:
                s = uow.session
                a = await repos.current_assessment(s)
                if a is None or a.status != "open":
                    return _no_round()
                a.status = "closed"
                a.closed_on = deps.clock().date()
                n = 0
                for iv in await s.scalars(select(Interview).where(Interview.assessment_id == a.id,
                                                                  Interview.status.in_(ACTIVE))):
                    state = InterviewState.from_dict(iv.state).to_dict()
                    iv.state = {**iv.state, **state, "status": "expired"}
                    iv.status = "expired"
                    n += 1
                await uow.commit()
                return f"Closed round *{bk.escape(a.name)}*; {n} unfinished interview(s) expired."
        except StaleDataError:  # someone answered at that moment: read again
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


async def assist(deps: Deps, item: Item, args: str) -> str:
    words, lang = _split(args)
    if len(words) != 2:
        return 'Usage: `/cna assist SCRIPT "Customer / Contact" [--lang zh]`.'
    return await start_assisted(deps, item, words[0], words[1], lang or "en")
