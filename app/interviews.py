"""The interview service every channel uses: run one input through the engine, store what it decided."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm.exc import StaleDataError

from app.catalog import Catalog
from app.choice_senses import TEXT_WORDS, WORD_SENSES
from app.pinyin_reader import SOUNDS as CHARACTER_SOUNDS
from core.choice_senses import SENSES, WORDS
from core.choice_sounds import SOUNDS
from core.choices import SCALE_MAX, SCALE_MIN, Lexicon, Match, interpret
from core.events import (
    Answered,
    Completed,
    Declined,
    Event,
    Paused,
    Reconsidered,
    Rejected,
    Started,
    WentBack,
)
from core.inputs import Input
from core.interview import COMMENT, InterviewState, step
from core.notes import ADDENDUM
from core.script import LANGS, Script
from storage import repos
from storage.models import Answer, Coding, Interview, ScriptVersion, utcnow
from storage.uow import Database

_LADDER = "_ladder"  # adapter-side key in Interview.state; dropped as soon as a ladder closes
# Words outside the script's questions, stored as answers so they are coded, reviewed and reported like the rest:
NOTE_DECISIONS = ("addendum", "attachment", COMMENT)  # decisions of such rows (a comment: words to a closed question)


BeforeCommit = Callable[[Any, Interview, "Outcome"], Awaitable[None]]


def _hints(script: Script, question_id: str) -> tuple[str, ...]:
    """The codes the question was written to elicit: a feature for the learned coder."""
    try:
        return tuple(script.question(question_id).codes)
    except KeyError:
        return ()


class InterviewGone(LookupError):
    """The interview does not exist (or was erased)."""


@dataclass(frozen=True)
class EditResult:
    """What an edit of a message that carried an answer did: updated, unchanged (same text, e.g. a link
    preview), unmatched (a choice answer edited into text that names no option: kept as it was), or unknown."""

    status: str
    answer: str = ""  # the stored answer (labels for a choice) after the edit


@dataclass
class AnswerOp:
    """One answer row to store, with the coder's hits for it."""

    values: dict[str, Any]
    hits: list[Any]


@dataclass
class Decision:
    """One input's effect before it is stored: events, ordered writes (answers; a list of question ids is a
    supersede), and the interview's changed columns."""

    events: list[Event]
    ops: list[AnswerOp | list[str]]
    changes: dict[str, Any]


@dataclass
class Outcome:
    """What one input did: the engine's events plus enough context for a channel to render them."""

    interview_id: int
    script: Script
    status: str
    events: list[Event]
    answer_ids: list[int] = field(default_factory=list)
    duplicate: bool = False



def other_language_labels(scripts: Mapping[tuple[str, str], Script], script: Script) -> Lexicon:
    """Choice labels of the same script in the other language(s), so "价格" answers an English question; and the
    readings of Chinese characters, so an input-method homophone ("质亮" for 质量) still names its option; and the
    words' senses (app.choice_senses, read only for a reply its words do not match), so "准时交货" is speed."""
    lex: dict[str, Mapping[str, Sequence[str]]] = {SOUNDS: CHARACTER_SOUNDS, SENSES: WORD_SENSES, WORDS: TEXT_WORDS}
    ids = {x.id for x in script.questions}
    labels: dict[str, dict[str, tuple[str, ...]]] = {}
    for lang in LANGS:
        other = scripts.get((script.id, lang))
        if other is None or lang == script.lang:
            continue
        for q in other.questions:
            if q.choices and q.id in ids:
                for c in q.choices:
                    mine = labels.setdefault(q.id, {})
                    mine[c.id] = (*mine.get(c.id, ()), c.label)
            if q.scale is not None and q.id in ids:  # "very satisfied" typed to the Chinese question
                ends = labels.setdefault(q.id, {})
                for key, label in ((SCALE_MIN, q.scale.min_label), (SCALE_MAX, q.scale.max_label)):
                    if label:
                        ends[key] = (*ends.get(key, ()), label)
    lex.update(labels)
    return lex

class InterviewService:
    def __init__(self, db: Database, catalog: Catalog, clock: Any = None):
        self.db = db
        self.catalog = catalog
        self.clock = clock or (lambda: datetime.now(UTC))
        self._scripts: dict[int, Script] = {}
        self._lexicons: dict[int, Lexicon] = {}

    async def script_for(self, session: Any, interview: Interview) -> Script:
        """The script exactly as it was when the interview started (frozen by version)."""
        sv_id = interview.script_version_id
        if sv_id not in self._scripts:
            sv = await session.get(ScriptVersion, sv_id)
            self._scripts[sv_id] = Script.model_validate(sv.body)
        return self._scripts[sv_id]

    def cached_script(self, sv_id: int) -> Script | None:
        """A frozen script already loaded (by script_for or keep_script), else None."""
        return self._scripts.get(sv_id)

    def keep_script(self, sv_id: int, body: dict[str, Any]) -> Script:
        """Cache a script version read elsewhere (a batch reads many with one SELECT)."""
        self._scripts[sv_id] = Script.model_validate(body)
        return self._scripts[sv_id]

    def lexicon_for(self, sv_id: int, script: Script) -> Lexicon:
        """Choice labels of the same script in the other language(s), so "价格" answers an English question."""
        if sv_id not in self._lexicons:
            self._lexicons[sv_id] = other_language_labels(self.catalog.scripts, script)
        return self._lexicons[sv_id]

    async def sync_codebook(self) -> None:
        async with self.db.uow() as uow:
            await repos.sync_codes(uow.session, self.catalog.code_rows())
            await uow.commit()
        await self.use_stored_coder()

    async def use_stored_coder(self) -> str | None:
        """Code new answers with the database's latest trained model, when there is one; returns its id. With none
        left (erasure deletes models that learned from the erased answers) the shipped weights take over again:
        the deleted model must not keep coding from memory."""
        from app.coder import build_coder, shipped_model
        from app.coder_training import current_model

        model = await current_model(self.db, self.catalog)
        if model is None:
            now, shipped = self.catalog.coder.model, shipped_model()
            if now is not None and (shipped is None or now.id != shipped.id):
                self.catalog.coder = build_coder(self.catalog.codebook)
            return None
        if self.catalog.coder.model is None or self.catalog.coder.model.id != model.id:
            self.catalog.coder = build_coder(self.catalog.codebook, model)
        return model.id

    async def open_interview(self, *, assessment_id: int, participant_id: int, script_id: str, lang: str,
                             mode: str = "slack", interviewer_slack_id: str | None = None,
                             channel_id: str | None = None, wave: int | None = None) -> tuple[Interview, bool]:
        """The participant's interview for this script in this round; (interview, created)."""
        script = self.catalog.get(script_id, lang)
        async with self.db.uow() as uow:
            s = uow.session
            existing = await repos.find_interview(s, assessment_id, participant_id, script_id)
            if existing is not None:
                return existing, False
            sv = await repos.ensure_script_version(
                s, script_id=script.id, lang=script.lang, version=script.version, title=script.title,
                audience=script.audience.label, body=script.model_dump(mode="json", by_alias=True))
            now = self.clock()
            iv = Interview(assessment_id=assessment_id, participant_id=participant_id, script_id=script.id,
                           script_version_id=sv.id, lang=script.lang, segment=script.audience.label, mode=mode,
                           interviewer_slack_id=interviewer_slack_id, channel_id=channel_id, status="invited",
                           state=InterviewState().to_dict(), invited_at=now, last_activity_at=now, wave=wave)
            s.add(iv)
            await s.flush()
            await uow.commit()
            return iv, True

    async def handle(self, interview_id: int, inp: Input, source_event_id: str | None = None,
                     before_commit: BeforeCommit | None = None) -> Outcome:
        """Apply one input; concurrent inputs to the same interview are serialised by a version check.

        `before_commit(session, interview, outcome)` runs inside the same transaction (a channel queues its
        replies there, so the answer and the reply to it are stored together or not at all)."""
        for attempt in range(5):
            try:
                return await self._handle_once(interview_id, inp, source_event_id, before_commit)
            except StaleDataError:
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")

    async def _handle_once(self, interview_id: int, inp: Input, source_event_id: str | None,
                           before_commit: BeforeCommit | None = None) -> Outcome:
        async with self.db.uow() as uow:
            s = uow.session
            iv = await s.get(Interview, interview_id)
            if iv is None:
                raise InterviewGone(interview_id)
            script = await self.script_for(s, iv)
            if source_event_id is not None and await s.scalar(
                    select(Answer.id).where(Answer.source_event_id == source_event_id)) is not None:
                return Outcome(iv.id, script, iv.status, [Rejected("duplicate", None)], duplicate=True)
            now = self.clock()
            decision = self.decide(iv, script, inp, source_event_id, now)
            answer_ids: list[int] = []
            for op in decision.ops:
                if isinstance(op, AnswerOp):
                    a = Answer(**op.values)
                    s.add(a)
                    await s.flush()
                    answer_ids.append(a.id)
                    await repos.add_auto_codings(s, a.id, op.hits, created_at=a.created_at)
                else:
                    await repos.supersede(s, iv.id, op)
            for name, value in decision.changes.items():
                setattr(iv, name, value)
            events = decision.events
            outcome = Outcome(iv.id, script, iv.status, events, answer_ids)
            if before_commit is not None:
                await before_commit(s, iv, outcome)
            await uow.commit()
            return outcome

    def decide(self, iv: Any, script: Script, inp: Input, source_event_id: str | None, now: datetime) -> Decision:
        """What one input does to an interview (`iv`: a loaded row, ORM or Core), without writing anything: the
        engine's events, the answer rows and their codes, supersedes, and the interview columns that change."""
        state = InterviewState.from_dict(iv.state)
        ladder = iv.state.get(_LADDER)
        new_state, events = step(script, state, inp, self.catalog.prober,
                                 self.lexicon_for(iv.script_version_id, script))
        ops: list[AnswerOp | list[str]] = []
        changes: dict[str, Any] = {}
        for ev in events:
            if isinstance(ev, Answered):
                if ev.step == 0 or ladder is None:
                    ladder = secrets.token_hex(8)
                values = self.answer_values(iv, script, ev, ladder, source_event_id, now)
                hits = (self.catalog.coder.code(ev.text, script.lang, _hints(script, ev.question_id))
                        if ev.text and not ev.values else [])
                ops.append(AnswerOp(values, list(hits)))
            elif isinstance(ev, WentBack):
                ops.append(list(ev.discarded))
            elif isinstance(ev, Started):
                changes["started_at"] = iv.started_at or now
            elif isinstance(ev, Completed):
                changes["completed_at"] = now
            elif isinstance(ev, Declined):
                changes["ended_at"] = now  # "Changed my mind" works for a while after this
            elif isinstance(ev, Reconsidered):
                changes["ended_at"] = None
        stored = new_state.to_dict()
        if new_state.pending is not None and ladder is not None:
            stored[_LADDER] = ladder
        changes["state"] = stored
        changes["status"] = new_state.status
        if not all(isinstance(e, Rejected) for e in events) or any(isinstance(e, (Paused, Declined)) for e in events):
            changes["last_activity_at"] = now
        return Decision(events, ops, changes)

    @staticmethod
    def answer_values(iv: Any, script: Script, ev: Answered, ladder: str, source_event_id: str | None,
                      now: datetime) -> dict[str, Any]:
        """The columns of one answer row (an ORM Answer(**values) or a row of a multi-row insert)."""
        anonymous = ev.anonymous
        return dict(
            assessment_id=iv.assessment_id,
            # Anonymous answers keep only round and segment: no interview, no event id, a day-level time.
            interview_id=None if anonymous else iv.id,
            ladder_key=ladder, script_id=script.id, question_id=ev.question_id, segment=iv.segment,
            lang=script.lang, step=ev.step, probe_text=ev.probe_text, probe_reason=ev.probe_reason,
            probe_family=ev.probe_family, decision=ev.decision, text=ev.text, choice_values=list(ev.values),
            anonymous=anonymous, department=ev.department, truncated=ev.truncated,
            source_event_id=None if anonymous else source_event_id,
            created_at=now.replace(hour=0, minute=0, second=0, microsecond=0) if anonymous else now)

    async def edit_answer(self, source_event_id: str, new_text: str) -> EditResult:
        """A respondent edited the Slack message that carried an answer: update it and re-code it. A choice
        answer follows the edit only when the new text names options (then the interview's branching values
        follow too); a link preview or any edit that leaves the text as it was changes nothing."""
        for attempt in range(5):
            try:
                return await self._edit_once(source_event_id, new_text)
            except StaleDataError:
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")

    async def _edit_once(self, source_event_id: str, new_text: str) -> EditResult:
        async with self.db.uow() as uow:
            s = uow.session
            a = await s.scalar(select(Answer).where(Answer.source_event_id == source_event_id))
            text = new_text.strip()[:40_000]
            if a is None or not text:
                return EditResult("unknown")
            iv = await s.get(Interview, a.interview_id) if a.interview_id is not None else None
            if a.choice_values:
                if iv is None:
                    return EditResult("unknown")
                script = await self.script_for(s, iv)
                try:
                    q = script.question(a.question_id)
                except KeyError:
                    return EditResult("unknown")
                found = interpret(q, text, self.lexicon_for(iv.script_version_id, script))
                if not isinstance(found, Match):
                    return EditResult("unmatched", a.text)
                if list(found.values) == list(a.choice_values):
                    return EditResult("unchanged", a.text)
                a.choice_values = list(found.values)
                a.text = ", ".join(q.choice_label(v) for v in found.values) if q.choices else found.values[0]
                state = dict(iv.state)
                values = dict(state.get("values") or {})
                if a.question_id in values and not a.superseded:
                    values[a.question_id] = list(found.values)  # later branching follows the corrected choice
                    iv.state = {**state, "values": values}
            else:
                if text == a.text.strip():
                    return EditResult("unchanged", a.text)
                a.text = text
                await s.execute(delete(Coding).where(Coding.answer_id == a.id, Coding.source == "auto"))
                await repos.add_auto_codings(s, a.id, self.catalog.coder.code(a.text, a.lang))
            a.edited_at = utcnow()
            await uow.commit()
            return EditResult("updated", a.text)

    async def add_note(self, interview_id: int, question_id: str, text: str, decision: str,
                       source_event_id: str | None, before_commit: Callable[[Any, Interview, int], Awaitable[None]]
                       | None = None) -> int | None:
        """Store words that are not an answer the engine asked for (an addendum after the interview, a file
        shared without words) on the interview, coded like any answer. Returns the new answer's id, or None when
        this Slack message was stored already. `before_commit(session, interview, answer id)` runs in the same
        transaction (the channel queues its acknowledgement there)."""
        async with self.db.uow() as uow:
            s = uow.session
            iv = await s.get(Interview, interview_id)
            if iv is None:
                raise InterviewGone(interview_id)
            if source_event_id is not None and await s.scalar(
                    select(Answer.id).where(Answer.source_event_id == source_event_id)) is not None:
                return None
            now = self.clock()
            truncated = len(text) > 40_000
            a = Answer(assessment_id=iv.assessment_id, interview_id=iv.id, ladder_key=secrets.token_hex(8),
                       script_id=iv.script_id, question_id=question_id, segment=iv.segment, lang=iv.lang, step=0,
                       decision=decision, text=text[:40_000], choice_values=[], truncated=truncated,
                       source_event_id=source_event_id, created_at=now)
            s.add(a)
            await s.flush()
            await repos.add_auto_codings(s, a.id, self.catalog.coder.code(a.text, iv.lang), created_at=now)
            if before_commit is not None:
                await before_commit(s, iv, a.id)
            await uow.commit()
            return a.id

    async def discard_note(self, interview_id: int, answer_id: int) -> bool:
        """The person asked for an addendum not to be kept: it is deleted (with its codings), not hidden."""
        async with self.db.uow() as uow:
            s = uow.session
            a = await s.get(Answer, answer_id)
            if a is None or a.interview_id != interview_id or a.question_id != ADDENDUM:
                return False
            await s.execute(delete(Coding).where(Coding.answer_id == a.id))
            await s.delete(a)
            await uow.commit()
            return True

    async def summary(self, interview_id: int) -> list[tuple[str, list[Answer]]]:
        """(question text, ladder answers) in script order, for the thank-you message and `cna try`."""
        async with self.db.uow() as uow:
            s = uow.session
            iv = await s.get(Interview, interview_id)
            if iv is None:
                raise InterviewGone(interview_id)
            script = await self.script_for(s, iv)
            answers = await repos.answers_of(s, interview_id)
        by_q: dict[str, list[Answer]] = {}
        for a in answers:
            by_q.setdefault(a.question_id, []).append(a)
        return [(q.text, by_q[q.id]) for q in script.questions if q.id in by_q]
