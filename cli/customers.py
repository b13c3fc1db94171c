"""`cna customers`: import the customer list from a CRM export, list it, export or erase one customer."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Any

import click

from app.customer_files import FileProblem, Table, read_table
from cli.common import db_option, friendly, open_db, run, where
from cli.privacy_find import actor_of
from core.customer_rows import FIELDS, Checked, ColumnMap, MappingError, check_rows, map_columns, parse_pairs
from core.sampling import SamplingError

MAX_SHOWN = 25  # problems printed before "and N more"


def register(cli: click.Group) -> None:
    cli.add_command(customers)


def width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def clear(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Bad files, mappings and sampling requests as one message, never a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (FileProblem, MappingError, SamplingError) as exc:
            raise click.ClickException(str(exc)) from None

    return friendly(wrapper)


@click.group()
def customers() -> None:
    """The customer list the round's sample is drawn from (see docs/sampling.md)."""


def _prompt_missing(table: Table, cmap: ColumnMap) -> None:
    """In a terminal, ask which column holds each required field the headers did not name."""
    shown = "\n".join(f"  {i + 1:>2}. {h}" for i, h in enumerate(table.headers))
    for f in cmap.missing():
        click.echo(f"Which column holds the customer {f}?\n{shown}", err=True)
        while True:
            answer = click.prompt("column number or name", err=True).strip()
            idx = int(answer) - 1 if answer.isdigit() else next(
                (i for i, h in enumerate(table.headers) if h.casefold() == answer.casefold()), -1)
            if 0 <= idx < len(table.headers):
                cmap.fields[f] = idx
                cmap.attributes = {k: v for k, v in cmap.attributes.items() if v != idx}
                break
            click.echo(f"{answer!r} is not one of the columns above", err=True)


@customers.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--map", "mapping", metavar="FIELD=COLUMN,...",
              help=f"Which column holds which field ({', '.join(FIELDS)}) or stratification attribute "
                   "(region=Gebiet). Columns the headers name in the usual way need no mapping.")
@click.option("--segment-values", metavar="VALUE=SEGMENT,...",
              help="Words your CRM uses for the segments, e.g. 'Bestand=current,Verloren=past'.")
@click.option("--sheet", default=None, help="Worksheet of an .xlsx file (default: the first).")
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; store nothing.")
@db_option
@clear
def import_cmd(file: Path, mapping: str | None, segment_values: str | None, sheet: str | None, dry_run: bool,
               db_url: str | None) -> None:
    """Import (or refresh) the customer list from a CRM export: CSV in any delimiter (UTF-8 with or without
    BOM, GB18030 from Chinese Excel) or .xlsx. Each customer needs a key and a segment (current, past,
    prospective); organisation, contact, Slack user or Slack Connect channel, e-mail and any other columns
    (region, revenue band, industry, ...) are optional. Customers are matched by key: a second import updates
    them. Every bad value is reported with its row and column, and then nothing is stored."""
    from storage.customers import upsert_customers

    table = read_table(file, sheet)
    cmap = map_columns(table.headers, parse_pairs(mapping, "--map"))
    if cmap.missing() and sys.stdin.isatty() and sys.stdout.isatty():
        _prompt_missing(table, cmap)
    if cmap.missing():
        cols = ", ".join(repr(h) for h in table.headers if h)
        raise click.ClickException(
            f"{file}: no column for the customer {' and '.join(cmap.missing())}; the file's columns are {cols}. "
            f"Name them with --map, e.g. --map {cmap.missing()[0]}=<column>")
    checked = check_rows(table.headers, table.rows, cmap, parse_pairs(segment_values, "--segment-values"))
    _describe(file, table, cmap)
    if checked.problems:
        for p in checked.problems[:MAX_SHOWN]:
            click.echo(f"{file}: {p}", err=True)
        more = len(checked.problems) - MAX_SHOWN
        raise click.ClickException(f"{len(checked.problems)} problem(s)" + (f" ({more} more not shown)" if more > 0
                                                                            else "")
                                   + "; nothing was imported. Fix the file (or the mapping) and import again.")
    for note in checked.duplicates[:MAX_SHOWN]:
        click.echo(f"{file}: {note}", err=True)

    async def go() -> Any:
        db = await open_db(db_url, create=True)
        try:
            async with db.uow() as uow:
                counts = await upsert_customers(uow.session, checked.records, datetime.now(UTC))
                if not dry_run:
                    await uow.commit()
                return counts
        finally:
            await db.close()

    counts = run(go())
    _summary(checked, counts, dry_run, db_url)


def _describe(file: Path, table: Table, cmap: ColumnMap) -> None:
    how = (f"sheet {table.sheet!r}" if table.sheet else
           f"{table.encoding}, delimiter {table.delimiter!r}".replace("'\\t'", "tab"))
    fields = ", ".join(f"{f}={table.headers[i]!r}" for f, i in cmap.fields.items())
    attrs = ", ".join(sorted(cmap.attributes)) or "none"
    click.echo(f"Read {file} ({how}): {len(table.rows)} row(s). Columns: {fields}; attributes: {attrs}.")


def _summary(checked: Checked, counts: Any, dry_run: bool, db_url: str | None) -> None:
    verb = "Would import" if dry_run else "Imported"
    parts = [f"{counts.new} new", f"{counts.updated} updated", f"{counts.unchanged} unchanged"]
    if checked.duplicates:
        parts.append(f"{len(checked.duplicates)} duplicate row(s) skipped")
    if counts.erased_skipped:
        parts.append(f"{len(counts.erased_skipped)} erased customer(s) not re-imported (rows "
                     f"{', '.join(map(str, counts.erased_skipped[:10]))})")
    by_segment: dict[str, int] = {}
    for r in checked.records:
        by_segment[r.segment] = by_segment.get(r.segment, 0) + 1
    segs = ", ".join(f"{n} {s}" for s, n in sorted(by_segment.items()))
    segs = f" ({segs})" if segs else ""
    click.echo(f"{verb} {len(checked.records)} customer(s){segs} into {where(db_url)}: {', '.join(parts)}.")
    if not dry_run:
        click.echo("Next: cna sample draw --round ID --by segment --share 25%")


@customers.command("list")
@click.option("--contacts", is_flag=True, help="Also show organisation, contact and e-mail (personal data).")
@click.option("--segment", type=click.Choice(["current", "past", "prospective"]), default=None)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@db_option
@clear
def list_cmd(contacts: bool, segment: str | None, as_json: bool, db_url: str | None) -> None:
    """The customer list: key, segment, attributes, and whether Slack or e-mail reaches them."""
    from storage.customers import as_row, customers_with_contacts

    async def go() -> list[dict[str, Any]]:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                return [as_row(c, k) for c, k in await customers_with_contacts(uow.session)
                        if segment is None or c.segment == segment]
        finally:
            await db.close()

    rows = run(go())
    if not contacts:
        for r in rows:
            r["slack"] = "yes" if r.pop("slack") else "no"
            r["email"] = "yes" if r.pop("email") else "no"
            r.pop("organisation")
            r.pop("contact")
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"no customers in {where(db_url)}; import them with: cna customers import FILE")
        return
    cols = list(dict.fromkeys(k for r in rows for k in r if k != "status"))
    cells = [[str(r.get(c) or "")[:30] for c in cols] for r in rows]
    widths = [max(width(c), *(width(row[i]) for row in cells)) for i, c in enumerate(cols)]
    for row in [cols, *cells]:
        click.echo("  ".join(v + " " * (widths[i] - width(v)) for i, v in enumerate(row)).rstrip())
    click.echo(f"{len(rows)} customer(s)")


@customers.command("export")
@click.argument("key")
@click.option("--out", default="-", show_default=True, metavar="FILE", help="Where to write the JSON ('-': stdout).")
@db_option
@clear
def export_cmd(key: str, out: str, db_url: str | None) -> None:
    """Everything the customer list holds on one customer, as JSON (subject access)."""
    from storage.customers_erase import export_customer, find_customer

    async def go() -> dict[str, Any] | None:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                c = await find_customer(uow.session, key)
                return await export_customer(uow.session, c) if c is not None else None
        finally:
            await db.close()

    doc = run(go())
    if doc is None:
        raise click.ClickException(f"no customer with key {key!r} in {where(db_url)}")
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if out == "-":
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")
        Path(out).chmod(0o600)
        click.echo(f"Wrote customer {key} to {out}.")


@customers.command("erase")
@click.argument("key")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--actor", default=None, help="Who erases, for the audit log (default: $CNA_REVIEWER or your login).")
@db_option
@clear
def erase_cmd(key: str, yes: bool, actor: str | None, db_url: str | None) -> None:
    """Erase one customer: the contact goes, the entry keeps only its segment and a digest of the key, so they
    are never imported or drawn again. If they were interviewed, their participant is erased as well (as
    'cna privacy erase' does). Audited without content; safe to repeat."""
    from storage.customers_erase import erase_customer_rows, find_customer
    from storage.customers_models import SampleMember
    from storage.privacy import erase_person

    by = actor_of(actor)
    if not yes:
        click.confirm(f"Erase customer {key} from the customer list (and any interview they gave)?", abort=True)

    async def go() -> tuple[dict[str, int], list[int]] | None:
        from sqlalchemy import select

        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                s = uow.session
                c = await find_customer(s, key)
                if c is None:
                    return None
                pids = [p for p in (await s.scalars(select(SampleMember.participant_id).where(
                    SampleMember.customer_id == c.id, SampleMember.participant_id.is_not(None)))).all()
                        if p is not None]
                counts = await erase_customer_rows(s, c, actor=by, now=datetime.now(UTC))
                await uow.commit()
            for pid in pids:
                await erase_person(db, participant_id=pid, actor=by)
            return counts, pids
        finally:
            await db.close()

    result = run(go())
    if result is None:
        raise click.ClickException(f"no customer with key {key!r} in {where(db_url)}")
    counts, pids = result
    what = ", ".join(f"{n} {k}" for k, n in counts.items()) or "nothing was left"
    click.echo(f"Erased customer {key}: {what}" + (f"; and {len(pids)} participant(s) they were interviewed as"
                                                   if pids else "") + ". An audit entry records it.")
