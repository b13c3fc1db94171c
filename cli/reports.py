"""`cna report`, `cna export` and `cna import`: the CNA report, data exports and the REFI-QDA round trip."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli.common import db_option, friendly, open_db, run
from core.access import reviewer_from_env

if TYPE_CHECKING:
    from reports.exports import Exported
    from reports.qdpx_import import ImportResult

REPORT_FORMATS = ("md", "html")
EXPORT_FORMATS = ("csv", "json", "qdpx", "qdc")


def register(cli: click.Group) -> None:
    cli.add_command(report)
    cli.add_command(export)
    cli.add_command(import_)


def _format(fmt: str | None, out: str, allowed: tuple[str, ...]) -> str:
    """The --format given, else the output file's extension."""
    if fmt:
        return fmt
    ext = Path(out).suffix.lstrip(".").lower()
    ext = {"markdown": "md", "htm": "html"}.get(ext, ext)
    if ext in allowed:
        return ext
    raise click.UsageError(f"say which format with --format ({'|'.join(allowed)}), or name the --out file "
                           f"with one of those extensions")


def _write(out: str, data: bytes) -> None:
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path = Path(out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}; choose another --out path") from None


@click.command()
@click.option("--round", "round_id", type=int, default=None, help="Round (assessment) id; default the current one.")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default=None,
              help="md or html (default: from the --out extension).")
@click.option("--out", required=True, metavar="FILE", help="Where to write the report ('-' for standard output).")
@click.option("--lang", type=click.Choice(("en", "zh")), default="en", show_default=True,
              help="Language of the report's headings and labels (answers stay as given).")
@db_option
@friendly
def report(round_id: int | None, fmt: str | None, out: str, lang: str, db_url: str | None) -> None:
    """Write the CNA report: framing, participation, themes with quotes, gaps, agreement, the prioritised
    short list, the roadmap, the next refresh and the method. Restricted answers appear only for reviewers
    allowed by CNA_REVIEWER_DEPARTMENTS."""
    from reports.render import render_report

    fmt = _format(fmt, out, REPORT_FORMATS)

    async def go() -> str:
        db = await open_db(db_url)
        try:
            return await render_report(db, round_id, fmt, lang, reviewer_from_env(os.environ))
        finally:
            await db.close()

    _write(out, run(go()).encode("utf-8"))
    if out != "-":
        click.echo(f"Wrote the {fmt.upper()} report to {out}.")


@click.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default=None,
              help="csv, json, qdpx (REFI-QDA project) or qdc (REFI-QDA codebook); default from --out.")
@click.option("--out", required=True, metavar="FILE", help="Where to write ('-' for standard output).")
@click.option("--round", "round_id", type=int, default=None, help="Round (assessment) id; default the current one.")
@click.option("--all-rounds", is_flag=True, help="Export every round into one file.")
@click.option("--bom/--no-bom", default=True, show_default=True,
              help="CSV: start with a UTF-8 byte order mark so Excel shows Chinese text (--no-bom for tools "
                   "that do not expect one).")
@click.option("--proposals/--no-proposals", default=True, show_default=True,
              help="qdpx: include the automatic coder's unreviewed proposals, under the user "
                   "'cna proposal (unreviewed)' (--no-proposals: only what people decided).")
@db_option
@friendly
def export(fmt: str | None, out: str, round_id: int | None, all_rounds: bool, bom: bool, proposals: bool,
           db_url: str | None) -> None:
    """Export answers with their ladders and codes (CSV, JSON), a REFI-QDA project for NVivo, ATLAS.ti,
    MAXQDA or QualCoder (.qdpx), or the codebook alone (.qdc). Participants appear only by pseudonym;
    restricted answers only for reviewers allowed by CNA_REVIEWER_DEPARTMENTS."""
    from reports.exports import ExportError, export_data

    fmt = _format(fmt, out, EXPORT_FORMATS)
    if all_rounds and round_id is not None:
        raise click.UsageError("use either --round ID or --all-rounds, not both")

    async def go() -> Exported:
        db = await open_db(db_url)
        try:
            return await export_data(db, fmt, round_id, reviewer_from_env(os.environ), all_rounds, bom, proposals)
        except ExportError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            await db.close()

    result = run(go())
    _write(out, result.data)
    if out != "-":
        what = "the codebook" if fmt == "qdc" else f"{result.answers} answers"
        note = f" ({result.withheld} restricted answers left out for you)" if result.withheld else ""
        click.echo(f"Exported {what}{note} as {fmt} to {out}.")


@click.command("import")
@click.option("--format", "fmt", type=click.Choice(("qdpx",)), default="qdpx", show_default=True,
              help="The file format (a REFI-QDA project).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--round", "round_id", type=int, default=None, help="Only map codings onto this round's answers.")
@click.option("--dry-run", is_flag=True, help="Report what would be imported, per source, without changing anything.")
@click.option("--reapply-rejected", is_flag=True,
              help="A coding in the file on a code a person rejected here applies it (default: the rejection "
                   "stands and is counted).")
@db_option
@friendly
def import_(fmt: str, file: Path, round_id: int | None, dry_run: bool, reapply_rejected: bool,
            db_url: str | None) -> None:
    """Bring codes applied in another QDA tool back as human codings. Start from 'cna export --format qdpx';
    passages map back to answers by their GUIDs or character offsets, and codes created in the other tool
    become themes. Nothing is deleted."""
    from reports.exports import import_project
    from reports.qdpx_import import QdpxImportError

    async def go() -> ImportResult:
        db = await open_db(db_url)
        try:
            return await import_project(db, file.read_bytes(), reviewer_from_env(os.environ), round_id, dry_run,
                                        reapply_rejected)
        except QdpxImportError as exc:
            raise click.ClickException(f"{file}: {exc}") from None
        finally:
            await db.close()

    result = run(go())
    summary = result.summary(per_source=dry_run or result.nothing_mapped)
    if result.nothing_mapped:  # a mismatch, not an empty import: say so on stderr and fail, so scripts notice
        head, _, last = summary.rpartition("\n")
        click.echo(("Dry run, nothing changed. " if dry_run else "") + head)
        click.echo(f"{file}: {last}", err=True)
        raise SystemExit(1)
    click.echo(("Dry run, nothing changed. " if dry_run else "") + summary)
