"""`cna scripts`: lint, list and show interview scripts."""

from __future__ import annotations

import json
from pathlib import Path

import click

from app.catalog import lint, load_codebook, scripts_dirs
from core.script_parse import ScriptError


@click.group()
def scripts() -> None:
    """Interview scripts: lint, list, show."""


@scripts.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--codebook", type=click.Path(path_type=Path, exists=True), default=None,
              help="Check code hints against this codebook (default: the shipped one).")
def lint_cmd(paths: tuple[Path, ...], codebook: Path | None) -> None:
    """Validate interview files or folders (default: all known scripts). Each file is checked as what it is:
    a script, the codebook, probe rules (probes.LANG.yaml) or a probe corpus (*.jsonl). Exit 1 on any problem."""
    try:
        book = load_codebook(codebook)
    except ScriptError as exc:
        for p in exc.problems:
            click.echo(str(p), err=True)
        raise SystemExit(1) from None
    report = lint(list(paths) or scripts_dirs(), book)
    for p in report.problems:
        click.echo(str(p), err=True)
    files = sum(report.checked.values())
    if report.problems:
        bad = len({p.file for p in report.problems})
        click.echo(f"{report.total} problem(s) in {bad} of {max(files, bad)} file(s)", err=True)
        raise SystemExit(1)
    if files == 0:
        where = ", ".join(str(p) for p in paths) if paths else "the script folders"
        click.echo(f"no scripts, codebooks, probe rules or corpus files found in {where}", err=True)
        raise SystemExit(1)
    note = f" (not checked: {', '.join(str(f) for f in report.skipped)})" if report.skipped else ""
    click.echo(f"{report.summary()} OK{note}")


def _catalog():  # type: ignore[no-untyped-def]
    from app.catalog import load_catalog

    try:
        return load_catalog()
    except ScriptError as exc:
        raise click.ClickException("the interview scripts have problems (run 'cna scripts lint'):\n" + str(exc)) \
            from None


@scripts.command("list")
@click.option("--json", "as_json", is_flag=True)
def list_cmd(as_json: bool) -> None:
    """List the scripts with audience, languages, length and question count."""
    cat = _catalog()
    rows = []
    for sid in cat.ids():
        versions = {lang: s for (i, lang), s in cat.scripts.items() if i == sid}
        any_s = versions.get("en") or next(iter(versions.values()))
        rows.append({"id": sid, "audience": any_s.audience.label, "langs": sorted(versions),
                     "questions": len(any_s.questions), "minutes": any_s.minutes, "title": any_s.title})
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'id':<22} {'audience':<22} {'langs':<6} {'qs':>3} {'min':>4}  title")
    for r in rows:
        click.echo(f"{r['id']:<22} {r['audience']:<22} {','.join(r['langs']):<6} {r['questions']:>3} "
                   f"{r['minutes']:>4}  {r['title']}")


@scripts.command("show")
@click.argument("script_id", required=False)
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("--codes", "show_codes", is_flag=True, help="List the codebook's code ids instead.")
def show_cmd(script_id: str | None, lang: str, show_codes: bool) -> None:
    """Show a script: questions, kinds, intents, probe policy, branching and code hints."""
    cat = _catalog()
    if show_codes:
        for c in cat.codebook.codes:
            indent = "  " * len(cat.codebook.ancestors(c.id))
            click.echo(f"{indent}{c.id:<24} {c.label.en} / {c.label.zh}")
        return
    if not script_id:
        raise click.UsageError("give a script id (see 'cna scripts list'), or --codes")
    try:
        s = cat.get(script_id, lang)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from None
    click.echo(f"{s.id} v{s.version} [{s.lang}] {s.title}")
    click.echo(f"audience: {s.audience.label}; about {s.minutes} minutes; {len(s.questions)} questions")
    click.echo(f"intro: {s.intro.strip()}")
    for i, q in enumerate(s.questions, 1):
        click.echo(f"\n{i:>2}. [{q.id}] ({q.kind}) {q.text}")
        for j, c in enumerate(q.choices, 1):
            click.echo(f"      {j}. {c.label} ({c.id})")
        if q.scale:
            click.echo(f"      scale {q.scale.min}..{q.scale.max}")
        click.echo(f"      intent: {q.intent}")
        if q.kind == "open":
            click.echo(f"      probe: max depth {q.probe.max_depth}; {', '.join(q.probe.families)}")
        if q.when:
            conds = "; ".join(c.model_dump_json(exclude_none=True, by_alias=True) for c in q.when.conditions())
            click.echo(f"      when: {conds}")
        if q.codes:
            click.echo(f"      codes: {', '.join(q.codes)}")
        flags = [f for f, on in (("anonymous", q.sensitivity.anonymous),
                                 (f"department:{q.sensitivity.department}", q.sensitivity.department)) if on]
        if flags:
            click.echo(f"      sensitivity: {', '.join(flags)}")
