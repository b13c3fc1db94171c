"""Load the shipped (or a lead's own) scripts, probe rules and codebook from files, and lint every kind."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from app.closed_corpus import check_closed_corpus, is_closed_corpus
from app.coder import build_coder
from app.coder_corpus import check_coder_corpus, check_second_coding, is_coder_corpus, is_second_coding
from app.config_files import load_codebook as load_codebook
from app.config_files import read_config as read_config
from app.corpus_records import check_lines, field_problems, question_problems
from app.probe_second import check_second_labelling, is_second_labelling
from app.respondents_corpus import check_respondents, is_respondents
from core import yaml_text
from core.coding import Codebook, Coder, parse_codebook
from core.probe_rules import parse_rules
from core.probing import RuleProber
from core.script import LANGS, Script
from core.script_parse import Problem, ScriptError, check_translations, parse_script
from interview_scripts import SCRIPTS_DIR, probe_rules_path

# Which checker reads a file: by name first (the shipped layout), then, for YAML that fails as a script, by
# its top-level keys, so a lead's own codebook or rules under another name are checked as what they are.
KINDS = ("script", "codebook", "probe rules", "corpus", "coder corpus", "respondents", "closed replies")
_PROBES_NAME = re.compile(r"probes\.(?P<lang>[a-z]{2})\.ya?ml")
_YAML = (".yaml", ".yml")
MAX_PROBLEMS_PER_FILE = 25  # a corpus with one systematic mistake should not bury the other files


def file_kind(path: Path) -> str | None:
    """The kind of an interview data file from its name, or None for files lint does not check (README.md)."""
    name = path.name.lower()
    if name.endswith(".jsonl"):
        return "coder corpus" if is_coder_corpus(path) else "respondents" if is_respondents(path) else \
            "closed replies" if is_closed_corpus(path) else "corpus"
    if not name.endswith(_YAML):
        return None
    if name.split(".")[0] == "codebook" or ".codebook." in name:
        return "codebook"
    if _PROBES_NAME.fullmatch(name):
        return "probe rules"
    return "script"


def data_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(files to check, files skipped) under the given files and folders, in a stable order. A file named
    explicitly is always checked, whatever its name."""
    out: list[Path] = []
    skipped: list[Path] = []
    for p in paths:
        if not p.is_dir():
            out.append(p)
            continue
        for f in sorted(p.rglob("*")):
            if not f.is_file() or any(part.startswith((".", "__")) for part in f.relative_to(p).parts):
                continue
            (out if file_kind(f) else skipped).append(f)
    return out, skipped


def script_files(paths: list[Path]) -> list[Path]:
    """Every *.yaml script under the given files and folders, in a stable order."""
    return [f for f in data_files(paths)[0] if file_kind(f) == "script"]


@dataclass
class LintReport:
    scripts: list[tuple[str, Script]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)  # files per kind
    skipped: list[Path] = field(default_factory=list)  # files in the folders that no checker reads
    total: int = 0  # problems found, including those left out of `problems` past MAX_PROBLEMS_PER_FILE

    def add(self, problems: list[Problem]) -> None:
        """Record one file's problems; past MAX_PROBLEMS_PER_FILE only a count of the rest is shown."""
        self.total += len(problems)
        if len(problems) > MAX_PROBLEMS_PER_FILE:
            rest = len(problems) - MAX_PROBLEMS_PER_FILE
            last = problems[MAX_PROBLEMS_PER_FILE - 1]
            problems = [*problems[:MAX_PROBLEMS_PER_FILE],
                        Problem(last.file, last.line, f"... and {rest} more problem(s) in this file",
                                "fix these first, then lint again")]
        self.problems.extend(problems)

    def summary(self) -> str:
        """'20 script(s), 1 codebook, 2 probe rules file(s) OK' for the files that were checked."""
        names = {"script": "script(s)", "codebook": "codebook(s)", "probe rules": "probe rules file(s)",
                 "corpus": "corpus file(s)", "coder corpus": "coder corpus file(s)",
                 "closed replies": "typed-replies file(s)",
                 "respondents": "respondents file(s)"}
        return ", ".join(f"{n} {names[k]}" for k in KINDS if (n := self.checked.get(k)))


def lint(paths: list[Path], codebook: Codebook | None) -> LintReport:
    """Check every file with the checker for its kind, collecting all problems instead of stopping at the
    first: scripts (with code hints against `codebook`, file names and translations), codebooks, probe rules
    and probe corpora (JSON Lines, against the scripts' open questions)."""
    report = LintReport()
    files, report.skipped = data_files(paths)
    code_ids = set(codebook.ids()) if codebook else None
    corpora: list[tuple[Path, str]] = []
    coded: list[tuple[Path, str, str]] = []
    for f in files:
        if f.exists() and file_kind(f) is None:
            report.add([Problem(str(f), 1, "not an interview data file", "lint checks scripts, codebooks and "
                                "probe rules (.yaml) and probe corpora (.jsonl)")])
            continue
        text = _read(f, report)
        if text is None:
            continue
        kind = file_kind(f) or "script"
        if kind == "corpus" and is_coder_corpus(f, text):
            kind = "coder corpus"
        elif kind == "corpus" and is_respondents(f, text):
            kind = "respondents"
        elif kind == "corpus" and is_closed_corpus(f, text):
            kind = "closed replies"
        problems: list[Problem] = []
        if kind == "script":
            try:
                script = parse_script(text, str(f), code_ids)
                problems = _name_problems(f, text, script)
                report.scripts.append((str(f), script))
            except ScriptError as exc:
                kind = _sniff(text) or "script"
                problems = exc.problems if kind == "script" else _check_yaml(kind, f, text)
        elif kind == "corpus" and is_second_labelling(f):  # the test split's ids again, labelled by a second person
            problems = list(check_second_labelling(text, str(f)))
        elif kind == "corpus":
            corpora.append((f, text))
        elif kind in ("coder corpus", "respondents", "closed replies"):
            coded.append((f, text, kind))
        else:
            problems = _check_yaml(kind, f, text)
        report.checked[kind] = report.checked.get(kind, 0) + 1
        report.add(problems)
    report.add(check_translations(report.scripts))
    if corpora or coded:
        # Answers refer to the known scripts, or to the versions being linted with them.
        everyone = [*_reference_scripts(), *(s for _, s in report.scripts)]
        questions = _open_questions(everyone)
        seen: dict[str, str] = {}
        for f, text in corpora:
            report.add(list(check_corpus(text, str(f), questions, seen)))
        kinds = {(s.id, s.lang): {q.id: q.kind for q in s.questions} for s in everyone}
        for f, text, kind in coded:
            if kind == "respondents":
                report.add(list(check_respondents(text, str(f), kinds, seen)))
            elif kind == "closed replies":
                report.add(list(check_closed_corpus(text, str(f), {(s.id, s.lang): s for s in everyone}, seen)))
            elif is_second_coding(f):  # the same answers' ids again, coded by a second person
                report.add(list(check_second_coding(text, str(f), code_ids)))
            else:
                report.add(list(check_coder_corpus(text, str(f), questions, code_ids, seen)))
    return report


def _read(f: Path, report: LintReport) -> str | None:
    if not f.exists():
        report.add([Problem(str(f), 1, "no such file or folder", "check the path")])
        return None
    try:
        return f.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.add([Problem(str(f), 1, f"cannot read: {exc}", "save the file as UTF-8")])
        return None


def _sniff(text: str) -> str | None:
    """A YAML file that failed as a script: is it a codebook or probe rules under another name?"""
    try:
        data = yaml_text.load(text)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict) or "questions" in data:
        return None
    if "codes" in data:
        return "codebook"
    if {"surface", "order", "limits"} & set(data):
        return "probe rules"
    return None


def _check_yaml(kind: str, f: Path, text: str) -> list[Problem]:
    try:
        if kind == "codebook":
            parse_codebook(text, str(f))
        else:
            m = _PROBES_NAME.fullmatch(f.name.lower())
            parse_rules(text, str(f), m.group("lang") if m else None)
    except ScriptError as exc:
        return exc.problems
    return []


def _name_problems(f: Path, text: str, script: Script) -> list[Problem]:
    """docs/scripts.md: a script lives in <id>.<lang>.yaml, which is how people (and the library test) find it."""
    expected = f"{script.id}.{script.lang}"
    stem = f.name.rsplit(".", 1)[0]
    if stem == expected:
        return []
    line = next((n for n, row in enumerate(text.splitlines(), 1) if row.startswith("id:")), 1)
    return [Problem(str(f), line, f"the file name {f.name!r} does not match the script's id and lang",
                    f"rename the file to {expected}{f.suffix} or fix 'id' / 'lang'")]


def _reference_scripts() -> list[Script]:
    """The known scripts, quietly: a corpus linted on its own is checked against them."""
    found = lint(scripts_dirs(), None)
    return [s for _, s in found.scripts]


def _open_questions(scripts: list[Script]) -> dict[tuple[str, str], set[str]]:
    return {(s.id, s.lang): {q.id for q in s.questions if q.kind == "open"} for s in scripts}


# The probe corpus (interview_scripts/corpus/probe/README.md): one labelled answer per line.
CORPUS_FIELDS = ("id", "lang", "script", "question_id", "depth", "closing", "probe", "text", "label", "family",
                 "rung", "trap")
CORPUS_LABELS = ("surface", "specific", "stop", "dont_know")
CORPUS_FAMILIES = ("price", "speed", "quality", "service", "ease", "feature", "more", "generic", "too_short",
                   "vague")
CORPUS_RUNGS = ("attribute", "consequence", "value")
CORPUS_TRAPS = ("long_shallow", "buzzword", "empty_marker", "plain_specific", "specific_with_cue",
                "stop_with_cue", "nothing_content", "nothing_closing", "typo", "mixed_lang", "fullwidth",
                "role_voice", "ordinary")
_CORPUS_README = "see interview_scripts/corpus/probe/README.md"


def check_corpus(text: str, filename: str, questions: dict[tuple[str, str], set[str]],
                 seen: dict[str, str] | None = None) -> Iterator[Problem]:
    """Every problem in a probe corpus file, one per field: JSON, the fields and their values, ids unique
    across the files checked together (`seen`), and each answer tied to a real open question."""
    return check_lines(text, filename, lambda rec: _record_problems(rec, questions), _CORPUS_README,
                       {} if seen is None else seen)


def _record_problems(rec: dict[str, Any], questions: dict[tuple[str, str], set[str]]) -> Iterator[tuple[str, str]]:
    yield from field_problems(rec, CORPUS_FIELDS, _CORPUS_README)
    rid, lang, label = rec.get("id"), rec.get("lang"), rec.get("label")
    if "id" in rec and not (isinstance(rid, str) and re.fullmatch(r"t[re]-[a-z]{2}-\d+", rid)):
        yield f"id {rid!r} is not like 'tr-en-0001'", "tr- for the train split, te- for test, the language, a number"
    if "lang" in rec and lang not in LANGS:
        yield f"lang {lang!r} is not one of {', '.join(LANGS)}", "the script's language"
    if "text" in rec and not (isinstance(rec["text"], str) and rec["text"].strip()):
        yield "text is empty", "the answer exactly as typed"
    depth = rec.get("depth")
    if "depth" in rec and not (isinstance(depth, int) and not isinstance(depth, bool) and 0 <= depth <= 5):
        yield f"depth {depth!r} is not a whole number 0-5", "0 = the first answer, 1 = the answer to a follow-up"
    if "closing" in rec and not isinstance(rec["closing"], bool):
        yield f"closing {rec['closing']!r} is not true or false", _CORPUS_README
    if isinstance(depth, int) and "probe" in rec:
        probe = rec["probe"]
        if depth == 0 and probe is not None:
            yield "probe is set on a first answer (depth 0)", "use null, or set depth to the follow-up's level"
        elif depth > 0 and not (isinstance(probe, str) and probe.strip()):
            yield f"depth {depth} needs the follow-up being answered in 'probe'", _CORPUS_README
    for name, allowed, needed in (("label", CORPUS_LABELS, True), ("trap", CORPUS_TRAPS, True),
                                  ("family", CORPUS_FAMILIES, label == "surface"),
                                  ("rung", CORPUS_RUNGS, label in ("surface", "specific"))):
        value = rec.get(name)
        if name not in rec or (value is None and not needed):
            continue
        if value is None:
            yield f"{name} is missing for a {label} answer", f"one of: {', '.join(allowed)}"
        elif not needed and label in CORPUS_LABELS:
            yield f"{name} is only for {'surface' if name == 'family' else 'surface and specific'} answers", \
                "use null"
        elif value not in allowed:
            yield f"{name} {value!r} is not one of: {', '.join(allowed)}", _CORPUS_README
    yield from question_problems(rec, questions, LANGS)


def scripts_dirs() -> list[Path]:
    """The shipped scripts plus CNA_SCRIPTS_DIR (os.pathsep-separated) for a lead's own scripts."""
    extra = [Path(p) for p in os.environ.get("CNA_SCRIPTS_DIR", "").split(os.pathsep) if p]
    return [SCRIPTS_DIR, *extra]


class Catalog:
    """Scripts by (id, lang), with the codebook, the prober and the coder built once."""

    def __init__(self, scripts: dict[tuple[str, str], Script], codebook: Codebook, prober: RuleProber,
                 shipped_coder: bool = True):
        self.scripts = scripts
        self.codebook = codebook
        self.prober = prober
        self.coder: Coder = build_coder(codebook, shipped=shipped_coder)

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


def load_prober() -> RuleProber:
    """The probe rules (which follow-up) with the specificity judge (whether), from the shipped files."""
    from app.lexicon import load_judge  # jieba and wordfreq load only where answers are judged

    return RuleProber.from_texts({lang: read_config(probe_rules_path(lang), "the shipped probe rules")
                                  for lang in ("en", "zh")}, load_judge())


@cache
def load_catalog(shipped_coder: bool = True) -> Catalog:
    """Everything from files, validated; a broken file raises ScriptError naming file and line. Without
    `shipped_coder` the coder is the cue rules alone (`cna train coder` must work when the weights file does not)."""
    codebook = load_codebook()
    report = lint(scripts_dirs(), codebook)
    if report.problems:
        raise ScriptError(report.problems)
    scripts = {(s.id, s.lang): s for _, s in report.scripts}
    return Catalog(scripts, codebook, load_prober(), shipped_coder)
