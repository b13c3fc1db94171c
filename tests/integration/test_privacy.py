"""Privacy on SQLite and PostgreSQL: pseudonyms only, anonymous answers without a link, department restriction,
subject export, erasure that leaves no trace, erasure requests from Slack, and an idempotent retention purge."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from app.interviews import InterviewService
from bot.deps import Deps
from bot.privacy_dm import erase_confirm, handle_dm, privacy_intent
from bot.worker import Item
from core.access import Reviewer
from reports.exports import export_data
from reports.render import render_report
from storage import privacy
from storage.models import (
    Answer,
    Assessment,
    AuditEntry,
    Coding,
    Identity,
    InboxEvent,
    Interview,
    OutboxMessage,
    Participant,
)
from storage.review import (
    AnswerFilter,
    NotVisible,
    ReviewScope,
    dashboard,
    excerpts,
    filter_choices,
    get_ladder,
    list_answers,
    load_round_coding,
    quotes,
)
from storage.uow import Database
from tests.integration.privacy_world import (
    FINANCE,
    LEAD,
    Person,
    drain,
    dump,
    make_deps,
    make_round,
    mark_sent,
    mentions,
    service_interview,
    slack_interview,
    table_counts,
)

NOBODY = Reviewer("viewer", frozenset())
FINANCE_READER = Reviewer("controller", frozenset({FINANCE}))
EVERYONE = Reviewer("dpo", frozenset({"*"}))


@dataclass
class World:
    db: Database
    deps: Deps
    round_id: int
    alice: Person  # answered in Slack
    bob: Person  # answered through the service (terminal), also has a Slack id


@pytest.fixture
async def world(db: Database, catalog: object) -> World:
    service = InterviewService(db, catalog)  # type: ignore[arg-type]
    await service.sync_codebook()
    deps = make_deps(db, service)
    rid = await make_round(db)
    alice = Person("alice", "U0ALICE001", "Alice Anders", "alice.anders@example.com")
    bob = Person("bobby", "U0BOB00001", "Bob Brown", "bob.brown@example.com")
    await slack_interview(deps, rid, alice)
    await service_interview(service, rid, bob)
    return World(db, deps, rid, alice, bob)


def item_for(user: str, key: str) -> Item:
    return Item(id=0, key=key, kind="message", user=user, payload={}, attempts=1)


async def inbox_dm(w: World, user: str, text: str) -> None:
    """A DM through the real inbox and worker (the message listener calls the privacy handler)."""
    from bot import inbox
    from tests.fakeslack import payloads

    await inbox.record(w.deps, payloads.message_im(user, text))
    await drain(w.deps)


def all_text(*chunks: str | bytes) -> str:
    return "\n".join(c.decode("utf-8", "replace") if isinstance(c, bytes) else c for c in chunks)


def qdpx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


async def everything_a_reviewer_sees(w: World, reviewer: Reviewer, *, show_names: bool = False) -> str:
    """The review app's queries, the report (md and html) and every export format, as one text."""
    parts: list[str] = []
    scope = ReviewScope(w.round_id, reviewer)
    async with w.db.uow() as uow:
        s = uow.session
        page = await list_answers(s, scope, limit=10_000, show_names=show_names)
        parts += [f"{r.who} {r.text} {r.department}" for r in page.rows]
        for key in {r.ladder_key for r in page.rows}:
            ladder = await get_ladder(s, scope, key, show_names=show_names)
            parts += [ladder.who] + [st.text for st in ladder.steps]
        parts.append(repr(await filter_choices(s, scope)))
        parts += [r.text for r in (await excerpts(s, scope, [r.id for r in page.rows])).values()]
        coding = await load_round_coding(s, scope)
        for code in {c for a in coding.answers.values() for c in a.effective()}:
            parts += [q.text for q in await quotes(s, scope, code, limit=50, coding=coding)]
    for fmt in ("md", "html"):
        parts.append(await render_report(w.db, w.round_id, fmt, "en", reviewer))
    for fmt in ("csv", "json"):
        parts.append(all_text((await export_data(w.db, fmt, w.round_id, reviewer)).data))
    parts.append(qdpx_text((await export_data(w.db, "qdpx", w.round_id, reviewer)).data))
    return "\n".join(parts)


# --- 1. pseudonyms only ---------------------------------------------------------------------------------------

async def test_review_app_reports_and_exports_show_pseudonyms_only(world: World) -> None:
    seen = await everything_a_reviewer_sees(world, EVERYONE)
    for p in (world.alice, world.bob):
        assert p.pseudonym in seen
        for secret in (p.slack_user_id, p.display_name, p.email, p.channel):
            assert secret and secret not in seen, f"{secret} shown with names hidden"
    # The review app's show-names mode is the one place names appear (and it is audited by the app).
    async with world.db.uow() as uow:
        page = await list_answers(uow.session, ReviewScope(world.round_id, EVERYONE), show_names=True)
    assert {"Alice Anders", "Bob Brown"} <= {r.who for r in page.rows}


async def test_identity_lives_only_in_the_identities_table(world: World) -> None:
    snap = await dump(world.db)
    for p in (world.alice, world.bob):
        for secret in (p.slack_user_id, p.display_name, p.email):
            assert secret is not None
            where = {(t, c) for t, c, _ in mentions(snap, secret)}
            if secret != p.slack_user_id:
                assert where == {("identities", secret_column(p, secret))}, (secret, where)
                continue
            # The Slack id also marks the transport rows, and the fake's DM channel ("D" + user id) is in Alice's
            # interview and in the Slack message identity her answers keep for edits and dedupe.
            assert {t for t, _ in where} <= {"identities", "inbox", "outbox", "interviews", "answers"}, where
            assert {c for t, c in where if t == "answers"} <= {"source_event_id"}
            assert {c for t, c in where if t == "interviews"} <= {"channel_id"}


def secret_column(p: Person, secret: str) -> str:
    return "display_name" if secret == p.display_name else "email"


# --- 2. anonymous answers -------------------------------------------------------------------------------------

async def test_anonymous_answers_carry_no_link_to_the_person(world: World) -> None:
    assert world.alice.anonymous_texts and world.bob.anonymous_texts
    # The worker empties an event's payload as soon as it is processed: the raw text is gone already.
    async with world.db.uow() as uow:
        payloads = (await uow.session.scalars(select(InboxEvent.payload))).all()
    assert payloads and all(p == {} for p in payloads)
    await mark_sent(world.db, datetime.now(UTC))
    async with world.db.uow() as uow:
        assert await privacy.scrub_sent_outbox(uow.session, datetime.now(UTC)) > 0
        await uow.commit()
    snap = await dump(world.db)
    anon = [a for a in snap["answers"] if a["anonymous"]]
    assert {a["text"] for a in anon} >= set(world.alice.anonymous_texts + world.bob.anonymous_texts)
    anon_ids = {a["id"] for a in anon}
    assert any(a["step"] > 0 for a in anon), "follow-ups to an anonymous question are anonymous too"
    for a in anon:
        assert a["interview_id"] is None and a["source_event_id"] is None
        assert a["created_at"].endswith("00:00:00+00:00"), "anonymous answers keep the day only"
        codings = [c for c in snap["codings"] if c["answer_id"] == a["id"]]
        for c in codings:
            assert c["created_at"].endswith("00:00:00+00:00"), "a coding's time would date the answer exactly"
        # The steps of one anonymous ladder share its key, and nothing else may hold it.
        ladder = [r for r in snap["answers"] if r["ladder_key"] == a["ladder_key"]]
        assert all(r["anonymous"] and r["interview_id"] is None for r in ladder)
        others = {t: [r for r in rows if not (t == "answers" and r in ladder)
                      and not (t == "codings" and r["answer_id"] in anon_ids)] for t, rows in snap.items()}
        for needle in (a["text"], a["ladder_key"]):
            assert not mentions(others, needle), f"{needle!r} found outside its own rows"
        blob = json.dumps({k: v for k, v in a.items() if k != "id"})
        for p in (world.alice, world.bob):
            assert p.pseudonym not in blob and str(p.slack_user_id) not in blob
    for iv in snap["interviews"]:
        assert "_ladder" not in iv["state"], "an open-ladder link was left in the interview state"


async def test_anonymous_answers_are_not_in_the_persons_export(world: World) -> None:
    doc = await privacy.export_for_slack_user(world.db, str(world.alice.slack_user_id))
    text = json.dumps(doc, ensure_ascii=False)
    assert all(t in text for t in world.alice.texts)
    assert not any(t in text for t in world.alice.anonymous_texts)
    async with world.db.uow() as uow:
        page = await list_answers(uow.session, ReviewScope(world.round_id, EVERYONE), limit=10_000)
    assert {r.who for r in page.rows if r.text in world.alice.anonymous_texts} == {"anonymous"}


# --- 3. department-restricted answers -----------------------------------------------------------------------

async def test_visible_answers_clause(world: World) -> None:
    async with world.db.uow() as uow:
        s = uow.session

        async def visible(r: Reviewer) -> set[int]:
            return set((await s.scalars(select(Answer.id).where(privacy.visible_answers_clause(r)))).all())

        everything = set((await s.scalars(select(Answer.id))).all())
        restricted = set((await s.scalars(select(Answer.id).where(Answer.department.is_not(None)))).all())
        assert restricted and restricted < everything
        assert await visible(NOBODY) == everything - restricted
        assert await visible(Reviewer("hr", frozenset({"hr"}))) == everything - restricted
        assert await visible(FINANCE_READER) == everything
        assert await visible(Reviewer("upper", frozenset({"finance"}))) == everything
        assert await visible(EVERYONE) == everything
        # The review app's own rule gives the same rows.
        for r in (NOBODY, FINANCE_READER, EVERYONE):
            same = set((await s.scalars(select(Answer.id).where(ReviewScope(world.round_id, r).visible()))).all())
            assert same == await visible(r)
        # An upper-case department in a script is matched the way core.access matches it.
        await s.execute(update(Answer).where(Answer.id == min(restricted)).values(department="Finance"))
        assert min(restricted) in await visible(FINANCE_READER)
        assert min(restricted) not in await visible(NOBODY)


async def test_restricted_answers_hidden_from_app_report_and_export(world: World) -> None:
    async with world.db.uow() as uow:
        rows = (await uow.session.execute(select(Answer.id, Answer.text, Answer.ladder_key)
                                          .where(Answer.department == FINANCE))).all()
    restricted_texts = [t for _, t, _ in rows if "alice" in t or "bobby" in t]
    assert restricted_texts
    hidden = await everything_a_reviewer_sees(world, NOBODY)
    for t in restricted_texts:
        assert t not in hidden
    allowed = await everything_a_reviewer_sees(world, FINANCE_READER)
    assert all(t in allowed for t in restricted_texts)
    async with world.db.uow() as uow:
        s = uow.session
        scope = ReviewScope(world.round_id, NOBODY)
        with pytest.raises(NotVisible):
            await get_ladder(s, scope, rows[0][2])
        page = await list_answers(s, scope, AnswerFilter(search="invoices"), limit=10_000)
        assert page.rows and all(r.department is None for r in page.rows)
        board = await dashboard(s, scope, datetime.now(UTC).date())
        assert board.coding is not None and board.coding.hidden.get(FINANCE) == len(rows)
    exported = await export_data(world.db, "json", world.round_id, NOBODY)
    assert exported.withheld == len(rows)
    assert json.loads(exported.data)["restricted_answers_withheld"] == len(rows)


# --- 4. export and erasure ------------------------------------------------------------------------------------

async def test_export_holds_everything_about_the_person(world: World) -> None:
    await privacy.request_erasure(world.db, str(world.alice.slack_user_id))  # an audit entry about her
    doc = await privacy.export_person(world.db, pseudonym=world.alice.pseudonym.lower(), actor="dpo")
    assert doc["found"] and doc["format"] == "cna-subject-access"
    assert doc["identity"]["slack_user_id"] == world.alice.slack_user_id
    assert doc["identity"]["display_name"] == "Alice Anders"
    assert doc["participant"]["pseudonym"] == world.alice.pseudonym
    (iv,) = doc["interviews"]
    assert iv["status"] == "completed" and iv["state"]["status"] == "completed"
    steps = [st for lad in iv["ladders"] for st in lad["steps"]]
    assert {st["text"] for st in steps} >= set(world.alice.texts)
    assert any(len(lad["steps"]) > 1 for lad in iv["ladders"]), "follow-ups belong to their ladder"
    assert any(st["department"] == FINANCE for st in steps), "their own restricted answers are theirs"
    assert any(st["codings"] for st in steps)
    assert all(lad["question"] and lad["question"] != lad["question_id"] for lad in iv["ladders"])
    assert doc["schedule_items"] and doc["outbox_messages"] and doc["inbox_events"]
    assert {a["action"] for a in doc["audit_entries"]} == {"erase.request"}
    json.dumps(doc)  # plain JSON
    by_uid = await privacy.export_person(world.db, slack_user_id=world.alice.slack_user_id, actor="dpo")
    by_id = await privacy.export_person(world.db, participant_id=world.alice.participant_id, actor="dpo")
    assert by_uid["participant"] == by_id["participant"] == doc["participant"]
    async with world.db.uow() as uow:
        audits = (await uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "export.person"))).all()
    assert len(audits) == 3 and all(a.subject == world.alice.pseudonym for a in audits)
    assert all(set(a.detail) <= {"via", "answers"} for a in audits), "audit entries hold no content"


def needles_of(p: Person) -> list[str]:
    return [str(x) for x in (p.slack_user_id, p.display_name, p.email, p.pseudonym, p.channel, *p.texts)]


def stub(row: dict[str, object]) -> bool:
    """An erased person's inbox row kept for a day as a bare dedupe key."""
    return row["status"] == "erased" and row["payload"] == {} and row["slack_user_id"] is None


def assert_gone(snap: dict[str, list[dict[str, object]]], p: Person, stubs_allowed: bool = True) -> None:
    """No value in any column of any table names the person or holds their words, except the audit log's
    record of the erasure (the pseudonym) and, for a day, dedupe stubs whose key holds their DM channel."""
    for needle in needles_of(p):
        left = [(t, c) for t, c, row in mentions(snap, needle)
                if (t, c) != ("audit_log", "subject") and not (stubs_allowed and (t, c) == ("inbox", "key")
                                                               and stub(row))]
        assert not left, (needle, left)


async def test_erasure_leaves_no_trace(world: World) -> None:
    alice, bob = world.alice, world.bob
    await inbox_dm(world, str(alice.slack_user_id), "delete my data")  # a request first, as in real life
    await mark_sent(world.db, datetime.now(UTC))
    before = await dump(world.db)
    bob_rows = {t: [r for r in rows if any(mentions({t: [r]}, n) for n in needles_of(bob))]
                for t, rows in before.items()}
    anon_before = [a for a in before["answers"] if a["text"] in alice.anonymous_texts]

    result = await privacy.erase_person(world.db, pseudonym=alice.pseudonym, actor="dpo")
    assert result.counts["answers"] >= len(alice.texts) and result.counts["identities"] == 1
    assert result.counts["participants"] == 1 and result.counts["interviews"] == 1
    assert result.counts["outbox"] > 0 and result.counts["codings"] > 0 and result.counts["schedule_items"] == 1
    assert not result.residue, result.residue

    snap = await dump(world.db)
    assert_gone(snap, alice)
    # Recent inbox rows stay one day as bare dedupe keys (a Slack retry must not be processed again) ...
    stubs = [r for r in snap["inbox"] if alice.channel in r["key"]]
    assert stubs and all(stub(r) for r in stubs)
    # ... and go with the next housekeeping after that: then only the audit log names her pseudonym.
    await privacy.housekeeping(world.db, datetime.now(UTC) + timedelta(days=2), env={})
    assert_gone(await dump(world.db), alice, stubs_allowed=False)

    # Audit: one entry, counts only.
    erase = [a for a in snap["audit_log"] if a["action"] == "erase"]
    assert len(erase) == 1 and erase[0]["subject"] == alice.pseudonym and erase[0]["actor"] == "dpo"
    assert all(isinstance(v, int | bool) for v in erase[0]["detail"].values())
    # Anonymous answers stay, still without any link; Bob's rows are untouched.
    assert [a for a in snap["answers"] if a["text"] in alice.anonymous_texts] == anon_before
    for t, rows in bob_rows.items():
        for r in rows:
            if t not in ("inbox", "outbox"):
                assert r in snap[t], (t, r)
    # Exports, the review app and the reports know nothing of her.
    for kw in ({"pseudonym": alice.pseudonym}, {"slack_user_id": alice.slack_user_id}):
        doc = await privacy.export_person(world.db, actor="dpo", **kw)  # type: ignore[arg-type]
        assert not doc["found"] and not doc["interviews"] and not doc["inbox_events"] and not doc["outbox_messages"]
    seen = await everything_a_reviewer_sees(world, EVERYONE, show_names=True)
    for needle in needles_of(alice):
        assert needle not in seen
    assert bob.pseudonym in seen and all(t in seen for t in bob.texts)

    again = await privacy.erase_person(world.db, pseudonym=alice.pseudonym, actor="dpo")
    assert again.nothing_left and not again.residue
    again_uid = await privacy.erase_person(world.db, slack_user_id=alice.slack_user_id, actor="dpo")
    assert again_uid.nothing_left


async def test_erasure_past_the_dedupe_window_deletes_inbox_rows(world: World) -> None:
    later = datetime.now(UTC) + timedelta(days=2)
    result = await privacy.erase_person(world.db, slack_user_id=world.bob.slack_user_id, actor="dpo", now=later)
    assert result.pseudonym == world.bob.pseudonym and not result.residue
    assert_gone(await dump(world.db), world.bob, stubs_allowed=False)
    assert result.counts.get("inbox_stubbed", 0) == 0


async def test_erasure_cleans_assisted_and_lead_roles(world: World) -> None:
    """A person who was also an interviewer and a round lead loses those links too; the interviews stay."""
    alice = world.alice
    async with world.db.uow() as uow:
        s = uow.session
        await s.execute(update(Interview).where(Interview.id == world.bob.interview_id)
                        .values(interviewer_slack_id=alice.slack_user_id))
        a = await s.get(Assessment, world.round_id)
        assert a is not None
        a.lead_slack_ids = [LEAD, str(alice.slack_user_id)]
        await uow.commit()
    result = await privacy.erase_person(world.db, participant_id=alice.participant_id, actor="dpo")
    assert result.counts["interviewer_refs"] == 1 and result.counts["lead_refs"] == 1
    async with world.db.uow() as uow:
        iv = await uow.session.get(Interview, world.bob.interview_id)
        a = await uow.session.get(Assessment, world.round_id)
    assert iv is not None and iv.interviewer_slack_id is None
    assert a is not None and a.lead_slack_ids == [LEAD]


async def test_erasure_reports_mentions_it_cannot_remove(world: World) -> None:
    """Her name as the coder of someone else's answer is not hers to take away: it is reported, not deleted."""
    async with world.db.uow() as uow:
        s = uow.session
        coding = await s.scalar(select(Coding.id).join(Answer, Answer.id == Coding.answer_id)
                                .where(Answer.interview_id == world.bob.interview_id).limit(1))
        assert coding is not None
        await s.execute(update(Coding).where(Coding.id == coding).values(coder="Alice Anders"))
        await uow.commit()
    result = await privacy.erase_person(world.db, pseudonym=world.alice.pseudonym, actor="dpo")
    assert [(m.table, m.column, m.rows) for m in result.residue] == [("codings", "coder", 1)]


async def test_subject_argument_rules() -> None:
    assert privacy.parse_subject("p-1a2b", None) == ("P-1A2B", None, None)
    assert privacy.parse_subject("17", None) == (None, 17, None)
    assert privacy.parse_subject(None, " U1 ") == (None, None, "U1")
    for bad in ((None, None), ("P-1", "U1")):
        with pytest.raises(ValueError):
            privacy.parse_subject(*bad)


# --- 4b. the same from Slack ----------------------------------------------------------------------------------

def test_privacy_phrases() -> None:
    for text in ("my data", "My data.", "  MY   DATA ", "我的数据", "导出我的数据"):
        assert privacy_intent(text) == "export", text
    for text in ("delete my data", "Delete my data!", "删除我的数据", "forget me"):
        assert privacy_intent(text) == "erase", text
    for text in ("my data is in spreadsheets", "price", "delete", ""):
        assert privacy_intent(text) is None


async def test_my_data_by_dm(world: World) -> None:
    alice = world.alice
    async with world.db.uow() as uow:
        answers_before = await uow.session.scalar(select(func.count()).select_from(Answer))
    await inbox_dm(world, str(alice.slack_user_id), "My data")
    async with world.db.uow() as uow:
        s = uow.session
        assert await s.scalar(select(func.count()).select_from(Answer)) == answers_before, "not taken as an answer"
        msgs = (await s.scalars(select(OutboxMessage).where(OutboxMessage.key.like("privacy:%"))
                                .order_by(OutboxMessage.id))).all()
        audit = (await s.scalars(select(AuditEntry).where(AuditEntry.action == "export.person"))).all()
    # No Slack here to take the file: the summary comes alone, and the leads are asked to send the file (the
    # upload itself is tested over the fake Slack in tests/slack/test_privacy_slack.py).
    assert len(msgs) == 1 and msgs[0].slack_user_id == alice.slack_user_id
    summary = msgs[0].payload["text"]
    assert alice.pseudonym in summary and "the CNA team will send you the file" in summary and "```" not in summary
    async with world.db.uow() as uow:
        alert = (await uow.session.scalars(select(OutboxMessage).where(OutboxMessage.key.like("alert:export:%")))
                 ).all()
    assert alert and "cna privacy export" in alert[0].payload["text"]
    assert len(audit) == 1 and audit[0].actor == "respondent" and audit[0].subject == alice.pseudonym
    await inbox_dm(world, "U0STRANGER", "我的数据")
    async with world.db.uow() as uow:
        none = (await uow.session.scalars(select(OutboxMessage).where(OutboxMessage.slack_user_id == "U0STRANGER")
                                          )).all()
    assert len(none) == 1 and "没有" in none[0].payload["text"]


async def test_erasure_request_by_dm_then_confirmed_by_a_lead(world: World) -> None:
    alice = world.alice
    await inbox_dm(world, str(alice.slack_user_id), "Delete my data")
    await inbox_dm(world, str(alice.slack_user_id), "删除我的数据")  # asking again keeps the first deadline
    async with world.db.uow() as uow:
        s = uow.session
        reqs = await privacy.open_requests(s)
        p = await s.get(Participant, alice.participant_id)
        alerts = (await s.scalars(select(OutboxMessage).where(OutboxMessage.key.like("alert:erase:%")))).all()
    assert [r.pseudonym for r in reqs] == [alice.pseudonym]
    assert reqs[0].due_by == (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    assert p is not None and p.opted_out, "no more nudges once someone asked to be erased"
    assert [a.slack_user_id for a in alerts] == [LEAD] and alice.pseudonym in alerts[0].payload["text"]
    assert (await erase_confirm(world.deps, "", LEAD)).startswith("Usage")
    answer = await erase_confirm(world.deps, alice.pseudonym.lower(), LEAD)
    assert answer.startswith("Erased:") and alice.pseudonym not in answer
    async with world.db.uow() as uow:
        assert await privacy.open_requests(uow.session) == []
        entry = await uow.session.scalar(select(AuditEntry).where(AuditEntry.action == "erase"))
    assert entry is not None and entry.actor == f"slack:{LEAD}"
    # She asked in Slack, so one message tells her it is done; its row is keyed without naming her and goes
    # entirely once sent.
    async with world.db.uow() as uow:
        s = uow.session
        (farewell,) = (await s.scalars(select(OutboxMessage).where(OutboxMessage.key.like("farewell:%")))).all()
        assert farewell.channel == alice.slack_user_id and alice.pseudonym not in farewell.key
        await s.execute(update(OutboxMessage).where(OutboxMessage.id == farewell.id).values(status="sent"))
        await privacy.scrub_sent_outbox(s, datetime.now(UTC))
        await uow.commit()
    assert_gone(await dump(world.db), alice)
    assert "Nothing was left" in await erase_confirm(world.deps, alice.pseudonym, LEAD)


async def test_handle_dm_leaves_answers_alone(world: World) -> None:
    assert not await handle_dm(world.deps, item_for("U0ALICE001", "k"), "my data is everywhere")


# --- 5. retention -----------------------------------------------------------------------------------------------

async def _close(w: World, days_ago: int, settings: dict[str, object]) -> datetime:
    async with w.db.uow() as uow:
        a = await uow.session.get(Assessment, w.round_id)
        assert a is not None
        a.status = "closed"
        a.closed_on = (datetime.now(UTC) - timedelta(days=days_ago)).date()
        a.settings = {**a.settings, **settings}
        await uow.commit()
    return datetime.now(UTC)


async def _second_round_for(w: World, person: Person) -> int:
    """`person` also takes part in the next round (so their mapping must stay for it)."""
    rid = await make_round(w.db, name="CRM 2027")
    iv, _ = await w.deps.service.open_interview(assessment_id=rid, participant_id=person.participant_id,
                                                script_id="internal-finance", lang="en")
    return iv.id


async def test_retention_identities_mode_twice_gives_the_same_result(world: World) -> None:
    next_iv = await _second_round_for(world, world.bob)
    now = await _close(world, 40, {"retention_days": 30})
    await mark_sent(world.db, now)
    untouched = await dump(world.db)
    early = await privacy.purge_retention(world.db, now - timedelta(days=11), env={})
    assert not early.purged and early.waiting and await dump(world.db) == untouched

    first = await privacy.purge_retention(world.db, now, env={})
    assert [p.round_id for p in first.purged] == [world.round_id]
    counts = first.purged[0].counts
    assert counts["identities"] == 1 and counts["detached"] == 1 and counts["links"] >= 1
    after_first = await dump(world.db)
    second = await privacy.purge_retention(world.db, now + timedelta(hours=1), env={})
    assert second.changed == 0 and second.purged[0].counts == {}
    assert await dump(world.db) == after_first

    async with world.db.uow() as uow:
        s = uow.session
        round_pids = set((await s.scalars(select(Interview.participant_id)
                                          .where(Interview.assessment_id == world.round_id))).all())
        linked = (await s.scalars(select(Identity.participant_id).where(Identity.participant_id.in_(round_pids)))).all()
        answers = await s.scalar(select(func.count()).select_from(Answer).where(Answer.assessment_id == world.round_id))
        bob_next = await s.get(Interview, next_iv)
        bob_ident = await s.scalar(select(Identity).where(Identity.slack_user_id == world.bob.slack_user_id))
    assert not linked, "no interview of the purged round leads to a person any more"
    assert answers and answers == len(untouched["answers"]), "mode identities keeps the pseudonymous answers"
    assert bob_next is not None and bob_ident is not None and bob_ident.participant_id == bob_next.participant_id
    assert world.bob.participant_id not in round_pids, "Bob's old interview moved to a pseudonym without identity"
    for needle in (world.alice.slack_user_id, world.alice.display_name, world.alice.email):
        assert not [m for m in mentions(after_first, str(needle)) if m[0] != "inbox" or m[1] != "key"]
    audit = [a for a in after_first["audit_log"] if a["action"] == "retention.purge"]
    assert len(audit) == 1 and audit[0]["subject"] == f"assessment:{world.round_id}"


async def test_retention_answers_mode_twice_gives_the_same_result(world: World) -> None:
    await _second_round_for(world, world.bob)
    now = await _close(world, 40, {"retention_days": 30, "retention_mode": "answers"})
    first = await privacy.purge_retention(world.db, now, env={})
    counts = first.purged[0].counts
    assert counts["answers"] > 0 and counts["interviews"] == 2 and counts["participants"] == 1
    after_first = await dump(world.db)
    second = await privacy.purge_retention(world.db, now, env={})
    assert second.changed == 0 and await dump(world.db) == after_first
    assert not [a for a in after_first["answers"] if a["assessment_id"] == world.round_id]
    assert [p["pseudonym"] for p in after_first["participants"]] == [world.bob.pseudonym]
    for needle in needles_of(world.alice):
        assert not [m for m in mentions(after_first, needle) if m[0] != "inbox" or m[1] != "key"], needle


async def test_retention_settings(world: World) -> None:
    now = await _close(world, 40, {})
    report = await privacy.purge_retention(world.db, now, env={}, dry_run=True)
    assert report.unset == [world.round_id] and not report.purged
    dry = await privacy.purge_retention(world.db, now, env={"CNA_RETENTION_DAYS": "30"}, dry_run=True)
    assert dry.purged and dry.changed > 0
    assert (await privacy.purge_retention(world.db, now, env={"CNA_RETENTION_DAYS": "30"}, dry_run=True)
            ).changed == dry.changed, "a dry run changes nothing"
    await _close(world, 40, {"retention_days": "soon"})
    bad = await privacy.purge_retention(world.db, now, env={})
    assert bad.problems and "retention_days" in bad.problems[0] and not bad.purged
    await _close(world, 40, {"retention_days": 30, "retention_mode": "everything"})
    bad_mode = await privacy.purge_retention(world.db, now, env={})
    assert bad_mode.problems and "identities or answers" in bad_mode.problems[0]
    hk = await privacy.housekeeping(world.db, now, env={})
    assert hk.problems == bad_mode.problems


# --- transport scrubbing ------------------------------------------------------------------------------------------

async def test_scrubbing_is_idempotent(world: World) -> None:
    now = datetime.now(UTC)
    async with world.db.uow() as uow:
        s = uow.session
        # As before the worker hook: a processed row still holding its raw event.
        await s.execute(update(InboxEvent).where(InboxEvent.id == 1).values(payload={"event": {"text": "x"}}))
        await s.execute(update(InboxEvent).where(InboxEvent.id == 2).values(
            status="dead", payload={"event": {"text": "y"}}, received_at=now - timedelta(days=31)))
        await uow.commit()
    await mark_sent(world.db, now)
    async with world.db.uow() as uow:
        first = await privacy.scrub_processed_inbox(uow.session, now, now) + await privacy.scrub_sent_outbox(
            uow.session, now)
        await uow.commit()
    async with world.db.uow() as uow:
        second = await privacy.scrub_processed_inbox(uow.session, now, now) + await privacy.scrub_sent_outbox(
            uow.session, now)
        await uow.commit()
        left = (await uow.session.scalars(select(OutboxMessage.payload))).all()
    assert first > 2 and second == 0 and all(p == {} for p in left)
    counts = await table_counts(world.db)
    assert counts["inbox"] > 0 and counts["outbox"] > 0, "rows (and their dedupe keys) stay; only content goes"


async def test_erase_confirm_is_for_leads_only(world: World) -> None:
    answer = await erase_confirm(world.deps, world.alice.pseudonym, str(world.bob.slack_user_id))
    assert "for the CNA leads only" in answer
    async with world.db.uow() as uow:
        assert await uow.session.get(Participant, world.alice.participant_id) is not None


async def test_the_sweeper_runs_housekeeping(world: World) -> None:
    """`cna serve`'s sweep empties what the worker and the sender left and applies retention."""
    from app.schedule.job import AlwaysLeader, Sweeper

    now = await _close(world, 40, {"retention_days": 30})
    await mark_sent(world.db, now)
    async with world.db.uow() as uow:
        await uow.session.execute(update(InboxEvent).values(payload={"event": {"text": "left by an older worker"}}))
        await uow.commit()

    class Fixed:
        def now(self) -> datetime:
            return now

    await Sweeper(world.db, Fixed(), AlwaysLeader()).tick()
    snap = await dump(world.db)
    assert all(r["payload"] == {} for r in snap["inbox"] + snap["outbox"])
    assert not snap["identities"] and any(a["action"] == "retention.purge" for a in snap["audit_log"])


async def test_sqlite_file_keeps_no_copy_after_erasure(world: World, db_url: str) -> None:
    """Deleted rows are overwritten (secure_delete) and the write-ahead log is emptied, so the erased words are
    not left in the database file's free space either."""
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL keeps dead rows until VACUUM: see docs/privacy.md")
    from pathlib import Path

    path = Path(db_url.removeprefix("sqlite:///"))
    await privacy.erase_person(world.db, pseudonym=world.alice.pseudonym, actor="dpo")
    raw = path.read_bytes() + (Path(f"{path}-wal").read_bytes() if Path(f"{path}-wal").exists() else b"")
    for needle in [*world.alice.texts, world.alice.display_name, str(world.alice.email)]:
        assert needle.encode() not in raw, needle
    assert world.bob.texts[0].encode() in raw, "the check can see text that is still there"


async def test_retention_answers_mode_deletes_coder_models_trained_on_the_round(world: World) -> None:
    """A coder model that learned from the round's coded answers may hold their words: the purge deletes it; a
    model that never saw them stays."""
    from storage.coder_models import models, save_model

    async with world.db.uow() as uow:
        s = uow.session
        ids = (await s.scalars(select(Answer.id).where(Answer.assessment_id == world.round_id))).all()
        assert ids
        for model_id, on in (("saw-round", [ids[0]]), ("corpus-only", [])):
            await save_model(s, {"version": 1, "meta": {"id": model_id, "examples": 1}, "codes": {}, "weights": {}},
                             0, "test", trained_on=on)
        await uow.commit()
    now = await _close(world, 40, {"retention_days": 30, "retention_mode": "answers"})
    report = await privacy.purge_retention(world.db, now, env={})
    assert report.purged[0].counts["coder_models"] == 1
    async with world.db.uow() as uow:
        assert [m.model_id for m in await models(uow.session)] == ["corpus-only"]
