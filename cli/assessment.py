"""`cna assessment`: create rounds, record scope, goals and team, and check them against the method."""

from __future__ import annotations

import json
from datetime import date

import click

from cli.common import db_option, friendly, open_db, run, where
from core.assessment import (
    REFRESH_DEFAULT,
    SCOPES,
    AssessmentRuleError,
    Member,
    check_goal,
    check_refresh_months,
    check_team,
    next_refresh,
)
from storage import repos
from storage.models import TeamMember


@click.group()
def assessment() -> None:
    """Create and inspect assessments (CNA rounds)."""


def _date(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2025-01-10") from None


@assessment.command()
@click.option("--name", required=True, help="A name for the assessment, e.g. 'CRM needs 2026'.")
@click.option("--scope", type=click.Choice(SCOPES), default="enterprise", show_default=True,
              help="department = tactical (one unit); enterprise = strategic (the whole company).")
@click.option("--department", default=None, help="The department, when --scope department.")
@click.option("--refresh-months", type=int, default=REFRESH_DEFAULT, show_default=True,
              help="Months until the next round (12-24).")
@click.option("--opened", default=None, metavar="YYYY-MM-DD", help="Opening date (default today).")
@click.option("--key-question", "key_questions", multiple=True, help="A question the CNA must answer (repeatable).")
@click.option("--goal", "goals", multiple=True, help="A SMART goal (repeatable).")
@click.option("--script", "scripts", multiple=True, help="A script id used in this round (repeatable).")
@click.option("--affects", "affected", multiple=True, help="A business unit the opportunities affect (repeatable).")
@click.option("--lead", "leads", multiple=True, help="Slack user id of a lead (repeatable).")
@db_option
@friendly
def create(name: str, scope: str, department: str | None, refresh_months: int, opened: str | None,
           key_questions: tuple[str, ...], goals: tuple[str, ...], scripts: tuple[str, ...],
           affected: tuple[str, ...], leads: tuple[str, ...], db_url: str | None) -> None:
    """Create an assessment round."""
    try:
        check_refresh_months(refresh_months)
    except AssessmentRuleError as exc:
        raise click.BadParameter(str(exc), param_hint="--refresh-months") from None
    if scope == "department" and not department:
        raise click.BadParameter("a department-scoped assessment needs --department NAME", param_hint="--department")
    opened_on = _date(opened)
    if scripts:
        from app.catalog import load_catalog

        known = set(load_catalog().ids())
        unknown = [s for s in scripts if s not in known]
        if unknown:
            raise click.BadParameter(f"unknown script(s) {', '.join(unknown)}; 'cna scripts list' shows them",
                                     param_hint="--script")

    async def go() -> int:
        db = await open_db(db_url, create=True)
        try:
            async with db.uow() as uow:
                a = await repos.create_assessment(
                    uow.session, name=name, scope=scope, department=department, refresh_months=refresh_months,
                    opened_on=opened_on, key_questions=key_questions, goals=goals, script_ids=scripts,
                    lead_slack_ids=leads)
                a.settings = {"affected_units": list(affected)}
                await uow.commit()
                return a.id
        finally:
            await db.close()

    aid = run(go())
    click.echo(f"created assessment {aid} '{name}' ({scope}), opened {opened_on}, "
               f"next round due {next_refresh(opened_on, refresh_months)}")
    for g in goals:
        for f in check_goal(g):
            click.echo(f"  {f.level}: {f.message}")


@assessment.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@db_option
def list_(as_json: bool, db_url: str | None) -> None:
    """List assessments with their status and next refresh date."""

    async def go() -> list[dict[str, object]]:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                rows = []
                for a in await repos.list_assessments(uow.session):
                    counts = await repos.status_counts(uow.session, a.id)
                    total = sum(sum(v.values()) for v in counts.values())
                    done = sum(v.get("completed", 0) for v in counts.values())
                    rows.append({"id": a.id, "name": a.name, "round": a.round_no, "status": a.status,
                                 "scope": a.scope, "opened_on": a.opened_on.isoformat(),
                                 "refresh_months": a.refresh_months,
                                 "next_refresh": next_refresh(a.opened_on, a.refresh_months).isoformat(),
                                 "previous_id": a.previous_id, "interviews": total, "completed": done})
                return rows
        finally:
            await db.close()

    rows = run(go())
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"no assessments yet in {where(db_url)}; create one with: cna assessment create --name NAME")
        return
    click.echo(f"{'id':>3}  {'round':>5}  {'status':<7} {'scope':<10} {'opened':<10}  {'next':<10}  "
               f"{'done':>9}  name")
    for r in rows:
        click.echo(f"{r['id']:>3}  {r['round']:>5}  {r['status']:<7} {r['scope']:<10} {r['opened_on']:<10}  "
                   f"{r['next_refresh']:<10}  {str(r['completed']) + '/' + str(r['interviews']):>9}  {r['name']}")


@assessment.group()
def team() -> None:
    """The CNA team: who runs the assessment."""


@team.command("add")
@click.argument("assessment_id", type=int)
@click.option("--name", required=True)
@click.option("--internal/--external", default=True, help="Company staff or outside consultant.")
@click.option("--unit", "business_unit", default=None, help="The member's business unit.")
@click.option("--role", default=None)
@db_option
@friendly
def team_add(assessment_id: int, name: str, internal: bool, business_unit: str | None, role: str | None,
             db_url: str | None) -> None:
    """Add a member to an assessment's team."""

    async def go() -> None:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                await repos.get_assessment(uow.session, assessment_id)
                uow.session.add(TeamMember(assessment_id=assessment_id, name=name, internal=internal,
                                           business_unit=business_unit, role=role))
                await uow.commit()
        finally:
            await db.close()

    run(go())
    click.echo(f"added {name} ({'internal' if internal else 'external'}) to assessment {assessment_id}")


@assessment.command()
@click.argument("assessment_id", type=int, required=False)
@db_option
@friendly
def check(assessment_id: int | None, db_url: str | None) -> None:
    """Check goals (SMART: a number and a date) and the team (>= 50% internal, half from affected units)."""

    async def go() -> tuple[str, list[tuple[str, str]]]:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                s = uow.session
                a = (await repos.get_assessment(s, assessment_id) if assessment_id
                     else await repos.current_assessment(s))
                if a is None:
                    raise LookupError("no assessment yet; create one with: cna assessment create --name NAME")
                findings = []
                if not a.key_questions:
                    findings.append(("warning", "no key questions recorded: decide first which questions the CNA "
                                                "must answer (--key-question)"))
                if not a.goals:
                    findings.append(("warning", "no goals recorded (--goal)"))
                for g in a.goals:
                    findings += [(f.level, f.message) for f in check_goal(g)]
                members = [Member(m.name, m.internal, m.business_unit) for m in await repos.team_of(s, a.id)]
                units = set(a.settings.get("affected_units") or [])
                findings += [(f.level, f.message) for f in check_team(members, units)]
                return a.name, findings
        finally:
            await db.close()

    name, findings = run(go())
    if not findings:
        click.echo(f"assessment '{name}': goals and team look right")
        return
    for level, message in findings:
        click.echo(f"{level}: {message}")
    if any(level == "error" for level, _ in findings):
        raise SystemExit(1)
