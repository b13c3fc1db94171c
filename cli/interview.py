"""`cna try` and `cna demo`: run an interview in the terminal with the real engine and storage."""

from __future__ import annotations

import getpass
import shlex
import sys
from dataclasses import dataclass
from datetime import date

import click
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import load_catalog
from app.interviews import InterviewService
from cli.common import db_option, friendly, open_db, prog, run
from cli.terminal import EXIT_INTERRUPTED, INTERRUPTED, Interrupts, Terminal, TerminalInterview
from cli.terminal_phrases import say
from core.inputs import Decline
from core.interview import InterviewState
from core.script import Script
from storage import repos
from storage.models import Assessment, Interview
from storage.uow import Database

TRY_ROUND = "Terminal try-out"
NOTHING_STORED = "nothing_stored"  # Ctrl-C or end of input before consent: no interview was made
NO_CONSENT = "no_consent"  # the input ended at the consent question



@dataclass
class Who:
    """Who answers and how the command that resumes their interview is typed."""

    name: str
    participant: str | None  # as given with --participant (None: the login name)
    script_id: str
    assessment_id: int | None
    db_url: str | None

    @property
    def assisted(self) -> bool:
        return self.participant is not None and "/" in self.participant

    @property
    def shown(self) -> str:
        org, _, contact = self.name.partition("/")
        return f"{contact.strip()} ({org.strip()})" if contact else self.name

    def command(self, lang: str) -> str:
        parts = [prog(), "try", "--script", self.script_id]
        if lang != "en":
            parts += ["--lang", lang]
        if self.participant is not None:
            parts += ["--participant", self.participant]
        if self.assessment_id is not None:
            parts += ["--assessment", str(self.assessment_id)]
        if self.db_url:
            parts += ["--db", self.db_url]
        return " ".join(parts[:1] + [shlex.quote(p) for p in parts[1:]])


async def _round(s: AsyncSession, assessment_id: int | None) -> Assessment:
    """The round to join: the one asked for, else the current one, else a new try-out round (added to the
    session, committed only once someone agrees to take part)."""
    if assessment_id is not None:
        return await repos.get_assessment(s, assessment_id)
    a = await repos.current_assessment(s)
    if a is None:
        a = await repos.create_assessment(s, name=TRY_ROUND, opened_on=date.today())
    return a


async def _existing(db: Database, who: Who, script: Script) -> tuple[Interview | None, str | None]:
    """The person's interview for this script in this round, and their pseudonym, without storing anything:
    what the lookup had to add is rolled back."""
    aud = script.audience
    async with db.uow() as uow:
        s = uow.session
        a = await _round(s, who.assessment_id)
        p = await repos.participant_for_name(s, who.name, kind=aud.kind, role=aud.role, segment=aud.segment,
                                             lang=script.lang)
        iv = await repos.find_interview(s, a.id, p.id, script.id) if a.id is not None else None
        return iv, (p.pseudonym if iv is not None else None)


async def _create(service: InterviewService, who: Who, script: Script) -> tuple[Interview, str]:
    aud = script.audience
    async with service.db.uow() as uow:
        s = uow.session
        a = await _round(s, who.assessment_id)
        p = await repos.participant_for_name(s, who.name, kind=aud.kind, role=aud.role, segment=aud.segment,
                                             lang=script.lang)
        await uow.commit()
        aid, pid, pseudonym = a.id, p.id, p.pseudonym
    iv, _ = await service.open_interview(assessment_id=aid, participant_id=pid, script_id=script.id,
                                         lang=script.lang, mode="assisted" if who.assisted else "terminal")
    return iv, pseudonym


async def _switch_language(service: InterviewService, iv: Interview, script: Script) -> None:
    """Point an interview that has no answers yet at the script in another language (same question ids)."""
    async with service.db.uow() as uow:
        s = uow.session
        row = await s.get(Interview, iv.id)
        assert row is not None
        sv = await repos.ensure_script_version(
            s, script_id=script.id, lang=script.lang, version=script.version, title=script.title,
            audience=script.audience.label, body=script.model_dump(mode="json", by_alias=True))
        row.lang, row.script_version_id = script.lang, sv.id
        await uow.commit()


def _has_answers(iv: Interview) -> bool:
    state = InterviewState.from_dict(iv.state)
    return bool(state.history or state.pending is not None or state.values)


def _introduce(term: Terminal, script: Script) -> None:
    lang = script.lang
    term.emit()
    term.emit(say(lang, "header", title=script.title, minutes=script.minutes))
    term.emit()
    term.emit(script.intro.strip())
    term.emit()
    term.emit(script.consent.strip())


async def run_terminal(db_url: str | None, script_id: str, lang: str | None, participant: str | None,
                       assessment_id: int | None, term: Terminal) -> str:
    """One terminal session: consent for a new interview, else resume; returns the final status, or
    INTERRUPTED / NOTHING_STORED / NO_CONSENT."""
    catalog = load_catalog()
    asked = lang
    script = catalog.get(script_id, lang or "en")
    who = Who(participant or _login(), participant, script_id, assessment_id, db_url)
    db = await open_db(db_url, create=True)
    try:
        service = InterviewService(db, catalog)
        await service.sync_codebook()
        iv, pseudonym = await _existing(db, who, script)
        if iv is not None and iv.status in ("completed", "declined"):
            term.emit(say(iv.lang, "already", name=who.name, status=say(iv.lang, f"status.{iv.status}"),
                          title=script.title, id=iv.id))
            return iv.status
        if iv is not None and iv.lang != script.lang:
            if asked is None:
                script = catalog.get(script_id, iv.lang)  # no --lang: carry on as it started
            elif not _has_answers(iv):
                await _switch_language(service, iv, script)
                term.emit(say(script.lang, "lang.switched", id=iv.id,
                               language=say(script.lang, f"lang.{script.lang}")))
            else:
                term.emit(say(asked, "lang.kept", id=iv.id, started=say(asked, f"lang.{iv.lang}"), asked=asked))
                script = catalog.get(script_id, iv.lang)
        term.lang = term.interrupts.lang = script.lang
        if iv is None or iv.status == "invited":
            _introduce(term, script)
            agreed = term.consent()
            if agreed is None:
                return NOTHING_STORED if term.interrupts.requested else NO_CONSENT
            if not agreed:
                if iv is not None:  # invited (in Slack or by a round): record the decline, so nobody nudges
                    outcome = await service.handle(iv.id, Decline())
                    TerminalInterview(service, iv.id, script.lang, terminal=term).show(outcome)
                    return outcome.status
                term.emit(say(script.lang, "consent.declined"))
                return NOTHING_STORED
            if iv is None:
                iv, pseudonym = await _create(service, who, script)
            key = "stored_as.assisted" if who.assisted else "stored_as"
            term.emit(say(script.lang, key, who=who.shown, pseudonym=pseudonym))
            term.emit(say(script.lang, "help_hint"))
        else:
            term.emit(say(script.lang, "resuming", id=iv.id, name=who.shown, pseudonym=pseudonym))
        status = await TerminalInterview(service, iv.id, script.lang, assisted=who.assisted, terminal=term).run()
        if status == "completed":
            term.emit("\n" + script.outro.strip())
        elif status == INTERRUPTED:
            term.emit(say(script.lang, "interrupted") + " " + say(script.lang, "resume_with",
                                                                  command=who.command(script.lang)))
        elif status == "paused":
            term.emit(say(script.lang, "resume_with", command=who.command(script.lang)))
        return status
    finally:
        await db.close()


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "terminal"


def session(db_url: str | None, script_id: str, lang: str | None, participant: str | None,
            assessment_id: int | None) -> None:
    """Run one terminal session under the Ctrl-C handling, and exit the way a shell expects."""
    shown = lang or "en"
    with Interrupts(lang=shown) as interrupts:
        term = Terminal(shown, interrupts=interrupts)
        status = run(run_terminal(db_url, script_id, lang, participant, assessment_id, term))
    if status == INTERRUPTED:
        sys.exit(EXIT_INTERRUPTED)
    if status == NOTHING_STORED and interrupts.requested:
        term.emit()
        term.emit(say(term.lang, "interrupted.nothing"))
        sys.exit(EXIT_INTERRUPTED)
    if status == NO_CONSENT:
        click.echo(say(term.lang, "consent.no_answer") + " When piping answers, make the first line 'yes'.",
                   err=True)
        sys.exit(1)


@click.command("try")
@click.option("--script", "script_id", default=None,
              help="Script id (see 'cna scripts list'); required unless --customer names a sampled customer.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None,
              help="Language of a new interview [default: en]. An interview already started continues in its "
                   "own language unless it has no answers yet.")
@click.option("--participant", default=None,
              help="Who answers (default: your login). 'Company / Contact' runs the interviewer-assisted "
                   "mode for a customer who is not in Slack.")
@click.option("--assessment", "assessment_id", type=int, default=None, help="Round id (default: the current one).")
@click.option("--customer", "customer_key", default=None, metavar="KEY",
              help="A customer drawn for the round's sample ('cna sample calls'): participant and script are filled "
                   "in from the sample (assisted mode).")
@db_option
@friendly
def try_(script_id: str | None, lang: str | None, participant: str | None, assessment_id: int | None,
         customer_key: str | None, db_url: str | None) -> None:
    """Run an interview in the terminal. It starts with the consent question; answers can also be piped, one per
    line (the first line answers the consent question: yes). Ctrl-C pauses it; the same command resumes."""
    if customer_key:
        from cli.sample_try import from_sample

        if participant:
            raise click.UsageError("give either --customer KEY or --participant NAME, not both")
        participant, sampled_script, assessment_id = from_sample(db_url, customer_key, assessment_id)
        script_id = script_id or sampled_script
    if not script_id:
        raise click.UsageError("Missing option '--script' (or --customer KEY for a sampled customer)")
    session(db_url, script_id, lang, participant, assessment_id)


@click.command()
@click.option("--script", "script_id", default="customer-current", show_default=True)
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None, help="Language of the interview [default: en].")
@click.option("--no-interview", is_flag=True, help="Only seed the demo data.")
@db_option
@friendly
def demo(script_id: str, lang: str | None, no_interview: bool, db_url: str | None) -> None:
    """Seed a demo assessment (when the database is empty), then start 'cna try'."""
    from cli.demo import seed_demo

    async def go() -> str:
        db = await open_db(db_url, create=True)
        try:
            return await seed_demo(db, load_catalog(), command=prog(),
                                   db_arg=f" --db {shlex.quote(db_url)}" if db_url else "")
        finally:
            await db.close()

    click.echo(run(go()))
    if not no_interview:
        session(db_url, script_id, lang, None, None)
