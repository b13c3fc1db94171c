"""Load the shipped (or a lead's own) scripts, probe rules and codebook from files, and cache them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from core.coding import Codebook, Coder, parse_codebook
from core.probing import RuleProber
from core.script import Script
from core.script_parse import Problem, ScriptError, check_translations, parse_script
from interview_scripts import CODEBOOK, SCRIPTS_DIR, probe_rules_path


def script_files(paths: list[Path]) -> list[Path]:
    """Every *.yaml script under the given files and folders, in a stable order."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*.y*ml") if f.suffix in (".yaml", ".yml")))
        else:
            out.append(p)
    return out


@dataclass
class LintReport:
    scripts: list[tuple[str, Script]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def lint(paths: list[Path], codebook: Codebook | None) -> LintReport:
    """Parse every script file, collecting all problems instead of stopping at the first."""
    report = LintReport()
    code_ids = set(codebook.ids()) if codebook else None
    for f in script_files(paths):
        if not f.exists():
            report.problems.append(Problem(str(f), 1, "no such file or folder", "check the path"))
            continue
        try:
            text = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            report.problems.append(Problem(str(f), 1, f"cannot read: {exc}", "save the file as UTF-8"))
            continue
        try:
            report.scripts.append((str(f), parse_script(text, str(f), code_ids)))
        except ScriptError as exc:
            report.problems.extend(exc.problems)
    report.problems.extend(check_translations(report.scripts))
    return report


def scripts_dirs() -> list[Path]:
    """The shipped scripts plus CNA_SCRIPTS_DIR (os.pathsep-separated) for a lead's own scripts."""
    extra = [Path(p) for p in os.environ.get("CNA_SCRIPTS_DIR", "").split(os.pathsep) if p]
    return [SCRIPTS_DIR, *extra]


class Catalog:
    """Scripts by (id, lang), with the codebook, the prober and the coder built once."""

    def __init__(self, scripts: dict[tuple[str, str], Script], codebook: Codebook, prober: RuleProber):
        self.scripts = scripts
        self.codebook = codebook
        self.prober = prober
        self.coder = Coder(codebook)

    def get(self, script_id: str, lang: str = "en") -> Script:
        if (script_id, lang) in self.scripts:
            return self.scripts[(script_id, lang)]
        known = sorted({sid for sid, _ in self.scripts})
        if any(sid == script_id for sid, _ in self.scripts):
            langs = sorted(lg for sid, lg in self.scripts if sid == script_id)
            raise KeyError(f"script {script_id!r} has no {lang!r} version (it has: {', '.join(langs)})")
        raise KeyError(f"no script {script_id!r}; known scripts: {', '.join(known)} ('cna scripts list')")

    def ids(self) -> list[str]:
        return sorted({sid for sid, _ in self.scripts})

    def code_rows(self) -> list[dict[str, Any]]:
        """Codebook entries as rows for the codes table, parents before children."""
        rows = []
        for code in sorted(self.codebook.codes, key=lambda c: len(self.codebook.ancestors(c.id))):
            rows.append({"id": code.id, "parent": code.parent, "label_en": code.label.en,
                         "label_zh": code.label.zh, "description": code.description.en,
                         "colour": code.colour})
        return rows


def load_codebook(path: Path | None = None) -> Codebook:
    p = path or Path(os.environ.get("CNA_CODEBOOK") or CODEBOOK)
    return parse_codebook(p.read_text(encoding="utf-8"), str(p))


def load_prober() -> RuleProber:
    return RuleProber.from_texts({lang: probe_rules_path(lang).read_text(encoding="utf-8") for lang in ("en", "zh")})


@cache
def load_catalog() -> Catalog:
    """Everything from files, validated; a broken file raises ScriptError naming file and line."""
    codebook = load_codebook()
    report = lint(scripts_dirs(), codebook)
    if report.problems:
        raise ScriptError(report.problems)
    scripts = {(s.id, s.lang): s for _, s in report.scripts}
    return Catalog(scripts, codebook, load_prober())
