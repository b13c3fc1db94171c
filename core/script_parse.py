"""Parse script YAML text into a Script, reporting every problem with its line and a hint."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from core import yaml_text
from core.script import ID_PATTERN, INTERNAL_ROLES, LANGS, Condition, Question, Script


@dataclass(frozen=True)
class Problem:
    """One lint finding: where it is, what is wrong and how to fix it."""

    file: str
    line: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


class ScriptError(Exception):
    """A script that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


_Path = tuple[str | int, ...]

# Departments a question can be restricted to: the internal roles plus functions that hold sensitive data.
DEPARTMENTS = frozenset(INTERNAL_ROLES) - {"other"} | {"hr", "legal", "accounting", "procurement"}


def _line_index(node: yaml.Node, path: _Path, out: dict[_Path, int]) -> None:
    """Remember the 1-based line of every key and item so errors can point at it."""
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[(*path, key)] = key_node.start_mark.line + 1
            _line_index(value_node, (*path, key), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[(*path, i)] = item.start_mark.line + 1
            _line_index(item, (*path, i), out)


def _line_for(lines: dict[_Path, int], loc: Iterable[str | int]) -> int:
    path: _Path = tuple(loc)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), 1)


_HINTS = {
    "extra_forbidden": "remove it or check its spelling; see docs/scripts.md for the allowed keys",
    "missing": "add this key",
    "string_pattern_mismatch": f"ids use lowercase letters, digits, '_', '-', '.' (pattern {ID_PATTERN})",
    "literal_error": "use one of the allowed values",
    "string_type": "put the text in quotes: YAML reads yes/no/on/off as true/false and splits {a, b} on commas",
}


def _friendly_loc(loc: tuple[str | int, ...], data: Any) -> str:
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            qid = node[item].get("id") if isinstance(node, list) and isinstance(node[item], dict) else None
            parts.append(f"[{item}]" + (f"({qid})" if qid else ""))
        else:
            parts.append(("." if parts else "") + str(item))
        try:
            node = node[item]
        except (KeyError, IndexError, TypeError):
            node = None
    return "".join(parts)


def validation_problems(exc: ValidationError, data: Any, filename: str, lines: dict[_Path, int],
                        hints: dict[str, str]) -> list[Problem]:
    """pydantic's errors as Problems: where in the file, what is wrong, and a hint per error type."""
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        where = _friendly_loc(loc, data)
        msg = err["msg"].removeprefix("Value error, ")
        problems.append(Problem(filename, _line_for(lines, loc), f"{where}: {msg}" if where else msg,
                                hints.get(err["type"], "")))
    return problems


def parse_script(text: str, filename: str = "<script>", code_ids: set[str] | None = None) -> Script:
    """Parse and validate one script; raise ScriptError listing every problem with file:line."""
    try:
        root = yaml_text.compose(text)
        data = yaml_text.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ScriptError([Problem(filename, line, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                                   "check indentation and quote text containing ':' or '#'")]) from None
    if not isinstance(data, dict) or root is None:
        raise ScriptError([Problem(filename, 1, "a script must be a YAML mapping",
                                   "start with 'id:', 'lang:', 'questions:' ...")])
    lines: dict[_Path, int] = {}
    _line_index(root, (), lines)
    if isinstance(data.get("lang"), str) and data["lang"] not in LANGS and data["lang"].lower() not in (
        "zh-hans", "zh-cn", "zh_cn"
    ):
        raise ScriptError([Problem(filename, _line_for(lines, ("lang",)),
                                   f"unknown language tag {data['lang']!r}", "use 'en' or 'zh' (zh-Hans)")])
    try:
        script = Script.model_validate(data)
    except ValidationError as exc:
        raise ScriptError(validation_problems(exc, data, filename, lines, _HINTS)) from None
    problems = check_script(script, filename, lines, code_ids)
    if problems:
        raise ScriptError(problems)
    return script


def check_script(script: Script, filename: str, lines: dict[_Path, int] | None = None,
                 code_ids: set[str] | None = None) -> list[Problem]:
    """Cross-field checks pydantic cannot do alone: ids, branch targets, code hints."""
    lines = lines or {}
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, q in enumerate(script.questions):
        line = _line_for(lines, ("questions", i, "id"))
        if q.id in seen:
            problems.append(Problem(filename, line, f"duplicate question id {q.id!r}",
                                    f"it is already used by question #{seen[q.id] + 1}; ids must be unique"))
        seen.setdefault(q.id, i)
        if q.when:
            for c in q.when.conditions():
                cline = _line_for(lines, ("questions", i, "when"))
                if c.question not in seen or c.question == q.id:
                    exists = any(o.id == c.question for o in script.questions)
                    problems.append(Problem(
                        filename, cline,
                        f"question {q.id!r}: 'when' refers to {c.question!r}, "
                        + ("which comes later" if exists else "which does not exist"),
                        "branch only on questions asked earlier in the script"))
                    continue
                target = script.questions[seen[c.question]]
                if target.sensitivity.anonymous:
                    problems.append(Problem(filename, cline,
                                            f"question {q.id!r} branches on anonymous question {c.question!r}",
                                            "anonymous answers are not kept with the person; branch on another"))
                problems.extend(_condition_type_problems(filename, cline, q.id, c, target))
                valid = {ch.id for ch in target.choices} | (
                    {"yes", "no"} if target.kind == "yesno" else set())
                for v in (c.equals,) + tuple(c.in_ or ()) + tuple(c.not_in or ()):
                    if v is not None and valid and v not in valid:
                        problems.append(Problem(filename, cline,
                                                f"question {q.id!r}: {v!r} is not a choice of {c.question!r}",
                                                f"use one of: {', '.join(sorted(valid))}"))
        dept = q.sensitivity.department
        if dept is not None and dept not in DEPARTMENTS:
            problems.append(Problem(filename, _line_for(lines, ("questions", i, "sensitivity", "department")),
                                    f"question {q.id!r}: unknown department {dept!r}",
                                    f"use one of: {', '.join(sorted(DEPARTMENTS))} (a typo would hide the answer "
                                    "from that department's reviewers)"))
        if code_ids is not None:
            for j, code in enumerate(q.codes):
                if code not in code_ids:
                    problems.append(Problem(filename, _line_for(lines, ("questions", i, "codes", j)),
                                            f"question {q.id!r}: unknown code id {code!r}",
                                            "use an id from interview_scripts/codebook.yaml "
                                            "('cna scripts show --codes' lists them)"))
    return problems


def check_translations(scripts: list[tuple[str, Script]]) -> list[Problem]:
    """Scripts with the same id must ask the same questions in every language, so answers compare."""
    problems: list[Problem] = []
    by_id: dict[str, list[tuple[str, Script]]] = {}
    for path, s in scripts:
        by_id.setdefault(s.id, []).append((path, s))
    for sid, group in by_id.items():
        langs: dict[str, str] = {}
        for path, s in group:
            if s.lang in langs:
                problems.append(Problem(path, 1, f"script {sid!r} in {s.lang!r} is defined twice",
                                        f"also in {langs[s.lang]}"))
            langs[s.lang] = path
        base_path, base = group[0]
        base_ids = [q.id for q in base.questions]
        for path, s in group[1:]:
            ids = [q.id for q in s.questions]
            if ids != base_ids:
                missing = sorted(set(base_ids) - set(ids))
                extra = sorted(set(ids) - set(base_ids))
                detail = "; ".join(x for x in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"extra {', '.join(extra)}" if extra else "",
                    "order differs" if not missing and not extra else "") if x)
                problems.append(Problem(path, 1, f"script {sid!r} ({s.lang}) does not match {base_path}: {detail}",
                                        "every language version must have the same question ids in the same order"))
            for q, bq in zip(s.questions, base.questions, strict=False):
                if q.id != bq.id:
                    continue
                for what, mine, theirs in _structure(q, bq):
                    if mine != theirs:
                        problems.append(Problem(
                            path, 1, f"question {q.id!r}: {what} differs from {base_path}",
                            "translate the text only; kinds, choice ids, branching, sensitivity, codes, probe "
                            "policy and scale ranges must match in every language"))
    return problems


def _structure(q: Any, bq: Any) -> list[tuple[str, object, object]]:
    """What must be identical across translations (a dropped 'anonymous' would be a privacy leak)."""
    def scale(x: Any) -> object:
        return (x.scale.min, x.scale.max) if x.scale else None

    return [("kind", q.kind, bq.kind), ("choice ids", [c.id for c in q.choices], [c.id for c in bq.choices]),
            ("'when'", q.when, bq.when), ("sensitivity", q.sensitivity, bq.sensitivity),
            ("code hints", q.codes, bq.codes), ("probe policy", q.probe, bq.probe),
            ("scale range", scale(q), scale(bq))]


def _condition_type_problems(filename: str, line: int, qid: str, c: Condition, target: Question) -> list[Problem]:
    """Conditions that can never hold for the kind of question they test."""
    out = []
    numeric = c.min is not None or c.max is not None
    if numeric and target.kind != "scale":
        out.append(Problem(filename, line, f"question {qid!r}: min/max on {c.question!r}, which is not a scale",
                           "use equals/in/not_in for choices, answered for open questions"))
    if numeric and target.scale is not None:
        lo, hi = target.scale.min, target.scale.max
        if (c.min is not None and c.min > hi) or (c.max is not None and c.max < lo) or (
                c.min is not None and c.max is not None and c.min > c.max):
            out.append(Problem(filename, line, f"question {qid!r}: the range on {c.question!r} can never hold "
                                               f"(its scale is {lo}..{hi})", "fix min/max"))
    if target.kind == "open" and (c.equals is not None or c.in_ is not None or c.not_in is not None):
        out.append(Problem(filename, line, f"question {qid!r}: equals/in/not_in on open question {c.question!r} "
                                           "can never hold", "branch on open questions with 'answered: true'"))
    return out
