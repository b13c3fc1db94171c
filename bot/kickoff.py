"""Kick-offs: resolve @user / @usergroup / #channel into people, create their interviews, queue invitations."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import outbox
from bot import render
from bot.deps import Deps
from core.interview import InterviewState
from core.script import Script
from storage import repos
from storage.models import Identity, Interview, Participant

USER_RE = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$|^([UW][A-Z0-9]{2,})$")
GROUP_RE = re.compile(r"^<!subteam\^(S[A-Z0-9]+)(?:\|[^>]*)?>$|^(S[A-Z0-9]{2,})$")
CHANNEL_RE = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$|^([CG][A-Z0-9]{2,})$")
log = logging.getLogger("cna.slack.kickoff")
CHUNK = 200  # people per transaction: big enough to be quick, small enough to keep the writer lock short


class TargetError(ValueError):
    """A target that cannot be resolved, with what to do about it."""


@dataclass
class Targets:
    users: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.users or self.groups or self.channels)


def parse_target(token: str, into: Targets) -> bool:
    """Add a mention (as Slack escapes it in slash commands) or a raw id to `into`; False if it is neither."""
    for regex, bucket in ((USER_RE, into.users), (GROUP_RE, into.groups), (CHANNEL_RE, into.channels)):
        m = regex.match(token)
        if m:
            bucket.append(m.group(1) or m.group(2))
            return True
    return False


async def expand(deps: Deps, targets: Targets) -> list[str]:
    """Everyone the targets name, deduplicated in order, without the bot itself."""
    client = deps.lookup_client
    people: list[str] = list(targets.users)
    try:
        for group in targets.groups:
            resp = await client.usergroups_users_list(usergroup=group)
            people.extend(resp.get("users") or [])
        for channel in targets.channels:
            cursor = None
            while True:
                resp = await client.conversations_members(channel=channel, limit=1000, cursor=cursor)
                people.extend(resp.get("members") or [])
                cursor = (resp.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
    except SlackApiError as exc:
        err = exc.response.get("error")
        hint = {"missing_scope": "reinstall the app from slack/manifest.yaml so it has the scopes it needs",
                "not_in_channel": "invite the bot to that channel first (/invite @CNA)",
                "channel_not_found": "for a private channel, invite the bot to it first",
                "no_such_subteam": "check the user group"}.get(str(err), "check the mention")
        raise TargetError(f"Slack said {err}: {hint}.") from None
    skip = {deps.identity.bot_user_id, "USLACKBOT"}
    return [u for u in dict.fromkeys(people) if u not in skip]


async def profiles(deps: Deps, people: list[str]) -> dict[str, dict[str, object]]:
    """Slack profiles (users:read) to leave out bots and deactivated accounts and to learn each person's time
    zone for nudges in working hours. users.info for a few people, users.list pages for many; best effort."""
    client = deps.lookup_client
    found: dict[str, dict[str, object]] = {}
    try:
        if len(people) <= 50:
            for u in people:
                try:
                    found[u] = dict((await client.users_info(user=u)).get("user") or {})
                except SlackApiError as exc:
                    if exc.response.get("error") != "user_not_found":
                        raise
        else:
            wanted, cursor = set(people), None
            for _ in range(20):  # 20 pages of 1,000: enough for most workspaces, bounded for the rest
                resp = await client.users_list(limit=1000, cursor=cursor)
                for m in resp.get("members") or []:
                    if m.get("id") in wanted:
                        found[m["id"]] = m
                cursor = (resp.get("response_metadata") or {}).get("next_cursor")
                if not cursor or len(found) == len(wanted):
                    break
    except SlackApiError as exc:
        log.warning("could not read Slack profiles (%s); inviting without time zones", exc.response.get("error"))
    return found


def reachable(people: list[str], found: dict[str, dict[str, object]]) -> list[str]:
    """Everyone but bots and deactivated accounts (people without a profile stay: Slack decides on send)."""
    return [u for u in people if not (found.get(u, {}).get("is_bot") or found.get(u, {}).get("deleted"))]


@dataclass
class Invited:
    """What a kick-off did: new interviews, people already in the round, not-started interviews switched to the
    script's language (a new invitation in it), and started ones that go on in the language they began in."""

    created: int = 0
    already: int = 0
    switched: int = 0
    kept_lang: int = 0


async def invite_users(deps: Deps, assessment_id: int, script: Script, users: list[str],
                       zones: dict[str, str] | None = None) -> tuple[int, int]:
    """invite_people's (newly invited, already in the round)."""
    done = await invite_people(deps, assessment_id, script, users, zones)
    return done.created, done.already


async def invite_people(deps: Deps, assessment_id: int, script: Script, users: list[str],
                        zones: dict[str, str] | None = None) -> Invited:
    """Create (or find) each person's interview in the round and queue one invitation each, keyed by the
    interview (and language), so running the same kick-off twice (or after a crash) invites nobody twice.
    Someone invited again in another language whose interview has not started gets it in that language."""
    async with deps.db.uow() as uow:
        sv = await repos.ensure_script_version(
            uow.session, script_id=script.id, lang=script.lang, version=script.version, title=script.title,
            audience=script.audience.label, body=script.model_dump(mode="json", by_alias=True))
        await uow.commit()
        sv_id = sv.id
    done = Invited()
    for i in range(0, len(users), CHUNK):
        chunk = users[i:i + CHUNK]
        for attempt in range(3):
            try:
                part = await _invite_chunk(deps, assessment_id, script, sv_id, chunk, zones or {})
                done.created += part.created
                done.already += part.already
                done.switched += part.switched
                done.kept_lang += part.kept_lang
                # This chunk's invitations are committed: let the sender start on them while the rest are
                # created, instead of after the whole kick-off plus its next poll.
                deps.outbox_wake.set()
                break
            except IntegrityError:  # a concurrent kick-off created some of these people first: read again
                if attempt == 2:
                    raise
    deps.outbox_wake.set()
    return done


async def _invite_chunk(deps: Deps, assessment_id: int, script: Script, sv_id: int,
                        chunk: list[str], zones: dict[str, str]) -> Invited:
    aud = script.audience
    now = deps.clock()
    async with deps.db.uow() as uow:
        s = uow.session
        idents = {i.slack_user_id: i for i in await s.scalars(
            select(Identity).where(Identity.slack_user_id.in_(chunk)))}
        fresh = {u: Participant(pseudonym=repos.new_pseudonym(), kind=aud.kind, role=aud.role, segment=aud.segment,
                                lang=script.lang, tz=zones.get(u)) for u in chunk if u not in idents}
        s.add_all(fresh.values())
        await s.flush()
        for u, p in fresh.items():
            ident = Identity(participant_id=p.id, slack_user_id=u, slack_team_id=deps.identity.team_id)
            s.add(ident)
            idents[u] = ident
        await s.flush()
        pids = [idents[u].participant_id for u in chunk]
        existing = {iv.participant_id: iv for iv in await s.scalars(select(Interview).where(
            Interview.assessment_id == assessment_id, Interview.script_id == script.id,
            Interview.participant_id.in_(pids)))}
        made: dict[str, Interview] = {}
        for u in chunk:
            pid = idents[u].participant_id
            if pid not in existing:
                made[u] = Interview(assessment_id=assessment_id, participant_id=pid, script_id=script.id,
                                    script_version_id=sv_id, lang=script.lang, segment=aud.label, mode="slack",
                                    status="invited", state=InterviewState().to_dict(), invited_at=now,
                                    last_activity_at=now)
        s.add_all(made.values())
        await s.flush()
        done = Invited(created=len(made), already=len(chunk) - len(made))
        for u in chunk:
            iv = made.get(u) or existing[idents[u].participant_id]
            key = f"invite:{iv.id}"
            if iv.lang != script.lang:
                if iv.status != "invited" or iv.mode != "slack":
                    done.kept_lang += 1  # started in one language: the rest of it comes in the same one
                    continue
                iv.script_version_id, iv.lang = sv_id, script.lang
                person = await s.get(Participant, iv.participant_id)
                if person is not None:
                    person.lang = script.lang
                done.switched += 1
                key = f"invite:{iv.id}:{script.lang}"
            if iv.status == "invited":
                # Also queued again for an existing, unstarted interview: the key makes that a no-op if sent.
                await outbox.post(s, key, u, render.invitation(iv.id, script), user=u)
        await uow.commit()
    return done
