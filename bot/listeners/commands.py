"""`/cna`: help for everyone; invite, status, remind, close and assist for the CNA leads only."""

from __future__ import annotations

import logging
import shlex

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from app import actions, outbox
from app import blocks as bk
from app.phrases import say
from bot import privacy_dm, render
from bot.alerts import leads_of
from bot.conversation import unescape
from bot.deps import Deps
from bot.kickoff import TargetError, Targets, expand, invite_people, parse_target, profiles, reachable
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
• `/cna close`: close the round (asks first); unfinished interviews expire and people mid-interview are told
• `/cna reopen`: undo a close: the last closed round opens again and its interviews carry on
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
        if rest.strip().lower() in CLOSE_NOW:
            answer = await close(deps)
        else:
            answer, blocks = await close_preview(deps)
            await reply(deps, item, answer, blocks)
            return
    elif sub == "reopen":
        answer = await reopen(deps)
    elif sub == "assist":
        answer = await assist(deps, item, rest)
    elif sub == "erase-confirm":
        answer = await privacy_dm.erase_confirm(deps, rest, user)
    elif sub == "report":
        answer = await upload_report(deps, user, rest)
    else:
        answer = HELP_LEAD.format(scripts=", ".join(deps.service.catalog.ids())) if is_lead else HELP_EVERYONE
    await reply(deps, item, answer)


async def reply(deps: Deps, item: Item, text: str, blocks: list[bk.Block] | None = None) -> None:
    """Answer privately through the command's response_url (works in any channel, even without the bot)."""
    async with deps.db.uow() as uow:
        url = item.payload.get("response_url")
        if url:
            await outbox.respond(uow.session, f"resp:{item.key}", str(url), text, user=item.user,
                                 blocks=blocks or bk.section(text))
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
    done = await invite_people(deps, a.id, script, people, zones)
    created, already = done.created, done.already - done.switched - done.kept_lang
    lang_name = {"en": "English", "zh": "Chinese"}
    return (f"Invited {created} {'person' if created == 1 else 'people'} to *{bk.escape(script.title)}* "
            f"({script.lang}) in round *{bk.escape(a.name)}*" + (f"; {already} already had it" if already else "")
            + (f"; {done.switched} not started yet switched to {lang_name[script.lang]} (a new invitation sent)"
               if done.switched else "")
            + (f"; {done.kept_lang} already started in another language and continue in it" if done.kept_lang
               else "")
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


CLOSE_NOW = frozenset({"yes", "--yes", "confirm", "now", "y"})
STARTED = ("in_progress", "paused")


async def close_preview(deps: Deps) -> tuple[str, list[bk.Block]]:
    """What `/cna close` would do, with a button to do it: closing ends interviews, so it is never one keystroke."""
    async with deps.db.uow() as uow:
        s = uow.session
        a = await repos.current_assessment(s)
        if a is None or a.status != "open":
            return _no_round(), bk.section(_no_round())
        by = dict((await s.execute(select(Interview.status, func.count()).where(
            Interview.assessment_id == a.id, Interview.status.in_(ACTIVE)).group_by(Interview.status))).tuples().all())
    started, invited = sum(by.get(st, 0) for st in STARTED), by.get("invited", 0)
    text = (f"Close round *{bk.escape(a.name)}*? {started} interview(s) in progress will end (those people are told, "
            f"and their answers so far are kept) and {invited} not started will expire. `/cna reopen` undoes it. "
            "Press *Close the round*, or type `/cna close yes`.")
    blocks = [*bk.section(text), *bk.actions([bk.button("Close the round", actions.ACTION_CLOSE_ROUND, str(a.id),
                                                        "danger")], f"close.{a.id}")]
    return text, blocks


async def close_clicked(deps: Deps, item: Item) -> None:
    """The lead confirmed the close with the button (checked again: the button could be forwarded)."""
    user = item.user or ""
    value = str(((item.payload.get("actions") or [{}])[0]).get("value") or "")
    async with deps.db.uow() as uow:
        is_lead = user in await leads_of(uow.session, deps.settings.leads)
    if not is_lead:
        answer = NOT_ALLOWED.format(sub="close")
    else:
        answer = await close(deps, int(value)) if value.isdigit() else "That button is out of date; type `/cna close`."
    async with deps.db.uow() as uow:
        url = item.payload.get("response_url")
        if url:
            await outbox.respond(uow.session, f"resp:{item.key}", str(url), answer, user=user)
        await item.mark_done(uow.session, deps.clock())
        await uow.commit()
    deps.outbox_wake.set()


async def close(deps: Deps, round_id: int | None = None) -> str:
    """Close the current round (or `round_id`, if it is still open); interviews not finished expire (their answers
    so far are kept, and what each was is remembered for `/cna reopen`); people mid-interview are told."""
    for attempt in range(5):
        try:
            async with deps.db.uow() as uow:
                s = uow.session
                a = await s.get(Assessment, round_id) if round_id else await repos.current_assessment(s)
                if a is None or a.status != "open":
                    return "That round is already closed." if round_id else _no_round()
                a.status = "closed"
                a.closed_on = deps.clock().date()
                n = told = 0
                for iv in await s.scalars(select(Interview).where(Interview.assessment_id == a.id,
                                                                  Interview.status.in_(ACTIVE))):
                    state = InterviewState.from_dict(iv.state).to_dict()
                    iv.state = {**iv.state, **state, "status": "expired"}
                    iv.closed_from, iv.status, iv.ended_at = iv.status, "expired", deps.clock()
                    n += 1
                    told += await _tell(deps, s, iv, "closed.notice", a.name, f"closed:{iv.id}:{a.id}")
                await uow.commit()
            deps.outbox_wake.set()
            return (f"Closed round *{bk.escape(a.name)}*; {n} unfinished interview(s) expired, {told} "
                    f"{'person' if told == 1 else 'people'} mid-interview told. `/cna reopen` undoes it.")
        except StaleDataError:  # someone answered at that moment: read again
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


async def _tell(deps: Deps, s: AsyncSession, iv: Interview, phrase: str, name: str, key: str) -> int:
    """DM someone whose interview was under way that the round closed (or opened again); 1 if queued."""
    if iv.closed_from not in STARTED or iv.mode != "slack":
        return 0
    row = (await s.execute(select(Identity.slack_user_id, Participant.opted_out).join(
        Participant, Participant.id == Identity.participant_id).where(
        Identity.participant_id == iv.participant_id))).first()
    if row is None or not row[0] or row[1]:
        return 0
    text = say(iv.lang, phrase, name=bk.escape(name))
    return int(await outbox.post(s, key, row[0], render.plain(text), user=row[0]))


async def reopen(deps: Deps) -> str:
    """Undo `/cna close`: the newest closed round opens again, and each interview it expired goes back to what
    it was (people who were mid-interview are told they can carry on). Refused while another round is open."""
    for attempt in range(5):
        try:
            async with deps.db.uow() as uow:
                s = uow.session
                open_round = await s.scalar(select(Assessment).where(Assessment.status == "open"))
                if open_round is not None:
                    return (f"Round *{bk.escape(open_round.name)}* is open; only one round is open at a time, so "
                            "nothing was reopened.")
                a = await s.scalar(select(Assessment).where(Assessment.status == "closed")
                                   .order_by(Assessment.id.desc()).limit(1))
                if a is None:
                    return "There is no closed round to reopen."
                a.status, a.closed_on = "open", None
                n = told = 0
                stamp = deps.clock().strftime("%Y%m%d%H%M%S")
                for iv in await s.scalars(select(Interview).where(Interview.assessment_id == a.id,
                                                                  Interview.closed_from.is_not(None))):
                    told += await _tell(deps, s, iv, "reopened.notice", a.name, f"reopened:{iv.id}:{stamp}")
                    iv.state = {**iv.state, "status": iv.closed_from}
                    iv.status, iv.closed_from, iv.ended_at = str(iv.closed_from), None, None
                    n += 1
                await uow.commit()
            deps.outbox_wake.set()
            return (f"Reopened round *{bk.escape(a.name)}*: {n} interview(s) can carry on, {told} "
                    f"{'person' if told == 1 else 'people'} told.")
        except StaleDataError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


async def assist(deps: Deps, item: Item, args: str) -> str:
    words, lang = _split(args)
    if len(words) != 2:
        return 'Usage: `/cna assist SCRIPT "Customer / Contact" [--lang zh]`.'
    return await start_assisted(deps, item, words[0], words[1], lang or "en")
