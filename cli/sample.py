"""`cna sample`: draw a round's stratified customer sample, invite it, list whom to call, follow it per stratum,
and top it up where a stratum falls below target."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from cli.common import db_option, open_db, prog, run, where
from cli.customers import clear, width
from cli.privacy_find import actor_of
from core.sampling import ALLOCATIONS, SamplingError, parse_share


def register(cli: click.Group) -> None:
    cli.add_command(sample)


@click.group()
def sample() -> None:
    """A round's stratified customer sample (see docs/sampling.md)."""


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


def _table(header: list[str], rows: list[list[Any]]) -> None:
    cells = [[str(c) for c in r] for r in [header, *rows]]
    widths = [max(width(r[i]) for r in cells) for i in range(len(header))]
    for r in cells:
        click.echo("  ".join(r[i] + " " * (widths[i] - width(r[i])) if i == 0
                             else " " * (widths[i] - width(r[i])) + r[i] for i in range(len(header))).rstrip())


async def _in_round(db_url: str | None, fn: Any, commit: bool = True) -> Any:
    db = await open_db(db_url)
    try:
        async with db.uow() as uow:
            result = await fn(uow.session)
            if commit:
                await uow.commit()
            return result
    finally:
        await db.close()


@sample.command("draw")
@click.option("--round", "round_id", type=int, required=True, help="The round the sample is for.")
@click.option("--by", default="segment", show_default=True, metavar="ATTR,...",
              help="Strata: segment and any column of the customer list (region, revenue_band, ...).")
@click.option("--share", default=None, metavar="PCT", help="How large a share of the list to draw, e.g. 25%.")
@click.option("--size", type=click.IntRange(min=1), default=None, help="How many customers to draw.")
@click.option("--allocation", type=click.Choice(ALLOCATIONS), default="proportional", show_default=True,
              help="How the size is split over strata (docs/sampling.md says which to choose).")
@click.option("--min-per-stratum", type=click.IntRange(min=0), default=1, show_default=True,
              help="At least this many from every stratum (or all of a smaller one).")
@click.option("--neyman-by", default=None, metavar="COLUMN",
              help="Neyman: the numeric column whose spread per stratum sets the sizes (e.g. revenue).")
@click.option("--seed", default=None, help="Random seed; the same seed and list give the same sample "
                                           "(default: a new one, printed).")
@click.option("--replace", is_flag=True, help="Draw again, replacing a sample nobody was invited from yet.")
@db_option
@clear
def draw_cmd(round_id: int, by: str, share: str | None, size: int | None, allocation: str, min_per_stratum: int,
             neyman_by: str | None, seed: str | None, replace: bool, db_url: str | None) -> None:
    """Draw a stratified random sample of the customer list for a round and record it with the round: who was
    drawn, from which stratum, with what inclusion probability. Prints the strata: population, target, drawn."""
    from app.sampling import draw_sample

    if (share is None) == (size is None):
        raise click.UsageError("give exactly one of --share 25% or --size N")
    strata = [b.strip().casefold() for b in by.split(",") if b.strip()]
    if not strata:
        raise click.UsageError("--by needs at least one attribute, e.g. --by segment,region")
    frac = parse_share(share) if share is not None else None

    async def go(s: Any) -> Any:
        return await draw_sample(s, round_id, by=strata, size=size, share=frac, method=allocation,
                                 min_per_stratum=min_per_stratum, seed=seed, neyman_by=neyman_by,
                                 actor=actor_of(None), now=datetime.now(UTC), replace=replace)

    r = run(_in_round(db_url, go))
    rows = [[h, n, r.allocation.targets.get(h, 0), r.drawn.get(h, 0),
             f"{r.drawn.get(h, 0) / n:.3f}" if n else "-"] for h, n in sorted(r.population.items())]
    rows.append(["total", sum(r.population.values()), r.allocation.total, sum(r.drawn.values()), ""])
    click.echo(f"Round {round_id}: {allocation} allocation by {', '.join(strata)}, seed {r.sample.seed}.")
    _table(["stratum", "population", "target", "drawn", "probability"], rows)
    for note in r.allocation.notes:
        click.echo(f"Note: {note}.")
    click.echo(f"Same sample again: --seed {r.sample.seed}. Next: {prog()} sample invite --round {round_id}")


@sample.command("status")
@click.option("--round", "round_id", type=int, required=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@db_option
@clear
def status_cmd(round_id: int, as_json: bool, db_url: str | None) -> None:
    """Per stratum: population, target, drawn, invited, started, completed, declined, response rate (completed
    per drawn customer)."""
    from app.sample_invite import link_interviews
    from app.sampling import progress

    async def go(s: Any) -> Any:
        await link_interviews(s, round_id)
        return await progress(s, round_id)

    p = run(_in_round(db_url, go))
    if p is None:
        raise click.ClickException(f"round {round_id} has no sample in {where(db_url)}; draw one with "
                                   f"'{prog()} sample draw --round {round_id} --by segment --share 25%'")
    fields = ["population", "target", "drawn", "invited", "started", "completed", "declined", "erased"]
    lines = [*p.strata, p.total()]
    if as_json:
        click.echo(json.dumps([{"stratum": x.stratum, **{f: getattr(x, f) for f in fields},
                                "response_rate": x.response_rate} for x in lines], ensure_ascii=False, indent=2))
        return
    _table(["stratum", *fields, "response"],
           [[x.stratum, *[getattr(x, f) for f in fields], _pct(x.response_rate)] for x in lines])
    below = [x.stratum for x in p.strata if x.in_play < x.target]
    if below:
        click.echo(f"Below target: {', '.join(below)}. Replacements: {prog()} sample top-up --round {round_id}")


@sample.command("top-up")
@click.option("--round", "round_id", type=int, required=True)
@click.option("--replace-silent", is_flag=True,
              help="Also replace people invited who never started (non-response), not only those who declined "
                   "or were erased.")
@db_option
@clear
def top_up_cmd(round_id: int, replace_silent: bool, db_url: str | None) -> None:
    """Draw replacements in strata below their target, continuing the sample's random order: never anyone drawn
    before, never anyone who declined or was erased."""
    from app.sampling import top_up

    async def go(s: Any) -> Any:
        from app.sample_invite import link_interviews

        await link_interviews(s, round_id)
        return await top_up(s, round_id, actor=actor_of(None), now=datetime.now(UTC), replace_silent=replace_silent)

    t = run(_in_round(db_url, go))
    if not t.added and not t.short:
        click.echo(f"Every stratum of round {round_id} is at its target: nobody drawn.")
        return
    for h, n in t.added.items():
        click.echo(f"{h}: drew {n} replacement(s)")
    for h, n in t.short.items():
        click.echo(f"{h}: still {n} short: nobody left in the list who was not drawn before")
    if t.added:
        click.echo(f"Next: {prog()} sample invite --round {round_id}")


@sample.command("invite")
@click.option("--round", "round_id", type=int, required=True)
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language of the script, unless the list has a lang/language column.")
@db_option
@clear
def invite_cmd(round_id: int, lang: str, db_url: str | None) -> None:
    """Invite the drawn customers who have a Slack user id (colleagues' workspace or Slack Connect) to their
    segment's customer script, with the same DM invitation '/cna invite' sends (`cna serve` delivers it). In a
    draft round they are added as drafts and invited at launch. The rest are on the call list."""
    from app.catalog import load_catalog
    from app.sample_invite import invite_sample

    catalog = load_catalog()

    async def go(s: Any) -> Any:
        return await invite_sample(s, round_id, catalog, now=datetime.now(UTC), lang=lang)

    r = run(_in_round(db_url, go))
    click.echo(f"Round {round_id}: {r.slack} invited in Slack, {r.already} already had an interview, "
               f"{r.call_list} on the call list, {r.lost} declined or erased.")
    if r.call_list:
        click.echo(f"Call list: {prog()} sample calls --round {round_id} --out calls.csv")


@sample.command("calls")
@click.option("--round", "round_id", type=int, required=True)
@click.option("--out", default="-", show_default=True, metavar="FILE.csv", help="Where to write the CSV.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@db_option
@clear
def calls_cmd(round_id: int, out: str, lang: str, db_url: str | None) -> None:
    """The call list: drawn customers without a Slack user id who have not completed, with contact details and
    the 'cna try' command that runs the assisted interview pre-filled for each (personal data: keep it safe)."""
    from app.sample_invite import CALL_COLUMNS, call_list

    async def go(s: Any) -> Any:
        return await call_list(s, round_id, prog=prog(), lang=lang, db_url=db_url)

    rows = run(_in_round(db_url, go))
    if out == "-":
        w = csv.DictWriter(click.get_text_stream("stdout"), fieldnames=CALL_COLUMNS)
        w.writeheader()
        w.writerows(rows)
        return
    try:
        path = Path(out)
        # utf-8-sig: Excel opens it with Chinese names intact.
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.DictWriter(f, fieldnames=CALL_COLUMNS)
            w.writeheader()
            w.writerows(rows)
        path.chmod(0o600)
    except OSError as exc:
        raise SamplingError(f"cannot write {out}: {exc.strerror or exc}; choose another --out path") from None
    click.echo(f"Wrote {len(rows)} customer(s) to call to {out}.")
