"""Every command shown in README.md and docs/*.md runs as written against the demo database, or is skipped on purpose.

Commands are taken from fenced code blocks (lines starting with `cna`, `.venv/bin/cna`, `make`, an
`$ ` prompt, `VAR=value` assignments, or an `echo ... |` pipe into cna) and from inline spans starting with
`.venv/bin/cna` or `make`. Each one is run in a shell, in its own folder holding a copy of the demo database
(`cna demo --no-interview`, CNA_DATABASE_URL pointing at it), with `cna` and `.venv/bin/cna` both resolving to
this checkout. A traceback fails the test, and so does a non-zero exit unless EXPECTED_FAILURE says why the
docs show a command that fails. A command that cannot run in a test must be in SKIP with its reason: a new
command in the docs is either run or consciously skipped, so the docs cannot drift again."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# Commands the docs show that a test cannot run as written, and why.
SKIP: dict[str, str] = {
    "make demo": "creates .venv and ends in an interactive interview; its steps (cna db upgrade, cna demo) run here",
    "make test": "the whole suite, of which this test is a part",
    "make install": "creates .venv (CI and every other make target run it first)",
    "make lint": "CI runs it as its own step (minutes of mypy)",
    "make serve": "needs real Slack tokens",
    "make bench": "minutes of load; results in bench/results/",
    "make bench-full": "about 10 minutes of load",
    "make bench BENCH_OUT=bench/results": "minutes of load, and it rewrites committed results",
    "make bench-full BENCH_OUT=bench/results": "about 10 minutes of load, and it rewrites committed results",
    ".venv/bin/cna serve": "needs real Slack tokens (tests/slack start cna serve against the fake Slack)",
    ".venv/bin/cna tui": "full-screen app; tests/tui drive it with Textual's Pilot",
    ".venv/bin/cna demo --no-interview --db sqlite:///demo.db && .venv/bin/cna tui --db sqlite:///demo.db":
        "ends in the full-screen app; the demo step is how this test seeds its database",
    "cna tui": "full-screen app (tests/tui)",
    "cna tui --db sqlite:///cna.db --round 2": "full-screen app (tests/tui)",
    "cna tui --today 2026-09-15": "full-screen app (tests/tui)",
    "CNA_REVIEWER=maria CNA_REVIEWER_DEPARTMENTS=finance cna tui": "full-screen app (tests/tui)",
    ".venv/bin/cna train prober --results bench/results/probe_judge.json":
        "retrains the judge on the whole corpus (minutes) and rewrites committed results; "
        "tests/integration/test_probe_feedback.py trains it",
    ".venv/bin/cna train coder --results bench/results/coder_heldout.json":
        "retrains the coder on the whole corpus (minutes) and rewrites the shipped weights; "
        "tests/integration/test_train_coder.py trains it as a subprocess",
    ".venv/bin/cna train coder --db sqlite:///cna.db":
        "retrains the coder (minutes); tests/integration/test_coder_learning.py retrains from a database",
    ".venv/bin/cna train prober --cv 5 --misses 20": "cross-validates on the whole train split (minutes)",
    ".venv/bin/cna train prober --cv 5": "cross-validates the judge and the rung model on the whole train split "
    "(3,344 answers: minutes); tests/unit/test_judge_model.py cross-validates a slice of it",
    ".venv/bin/cna train prober --by-file --jobs 2": "fits one model per train file on the whole split (minutes); "
    "tests/unit/test_prober_by_file.py leaves files out of a slice",
    ".venv/bin/cna train prober --by-file --with NEW_BATCH.jsonl": "syntax: NEW_BATCH.jsonl is a labelled batch",
    ".venv/bin/cna train prober --by-file --senses": "fits one model per train file (32 files: minutes); "
    "tests/unit/test_prober_by_file.py leaves files out of a slice with the sense options",
    ".venv/bin/cna train prober --by-file --no-sense-block": "fits one model per train file (minutes); "
    "tests/unit/test_prober_by_file.py leaves files out of a slice",
    ".venv/bin/cna train prober --train-only":
        "retrains the judge on the whole corpus and rewrites the shipped weights; "
        "tests/unit/test_prober_by_file.py checks the flag",
    # Syntax summaries: placeholders (ID, FILE, [optional], a|b) rather than a command to type.
    "cna round launch ID": "syntax: ID is a draft round (tests/integration/test_schedule_cli.py launches one)",
    "cna round launch ID --waves internal,customer": "syntax: ID is a draft round (test_schedule_cli.py)",
    "cna round launch ID --waves internal:sales+internal:service,internal,customer": "syntax: ID is a draft round",
    "cna round launch ID --per-day 20 --start 2026-09-01": "syntax: ID is a draft round",
    "cna schedule list [--all] [--json] [--now ISO] [--no-plan] [--db URL]": "syntax summary",
    "cna schedule run-due [--now ISO] [--force] [--json] [--db URL]": "syntax summary",
    "cna schedule serve [--interval SECONDS] [--db URL]": "syntax summary (and a long-running sweeper)",
    "cna schedule config ROUND_ID [options]": "syntax summary",
    "cna round list | show ID | next ID | drop ID --slack-user U... | launch ID [...]": "syntax summary",
    "cna privacy purge [--now 2027-06-01]": "syntax summary",
    "cna report [--round ID] [--format md|html] --out FILE [--lang en|zh] [--db URL]": "syntax summary",
    "cna export [--format csv|json|qdpx|qdc] --out FILE [--round ID | --all-rounds] [--no-bom] [--no-proposals] "
    "[--db URL]": "syntax summary",
    "cna import [--format qdpx] FILE [--round ID] [--dry-run] [--reapply-rejected] [--db URL]": "syntax summary",
    "cna scripts lint [PATH...]": "syntax summary",
    "cna scripts show ID": "syntax: ID is a script id (cna scripts list)",
    "cna scripts show ID --lang zh": "syntax: ID is a script id (cna scripts list)",
}

# Commands the docs show failing on purpose, or whose example values are not in the demo: the exit status
# expected and the words the message must contain (still never a traceback).
EXPECTED_FAILURE: dict[str, tuple[int, str]] = {
    "cna privacy erase --slack-user U0123ABCD --actor \"DPO\"": (1, "nothing is held on Slack user U0123ABCD"),
    # the demo has drawn round 2's sample already: a second draw is refused and names the way forward
    "cna sample draw --round 2 --by segment,region --share 25% --seed 2026": (1, "already has a sample"),
}

# Example values standing for something real: replaced by a value from the demo before running.
PSEUDONYM_EXAMPLE = "P-1A2B3C4D"

# What a command reads on standard input (a confirmation, a piped interview).
STDIN: dict[str, str] = {
    "cna privacy erase --participant P-1A2B3C4D": "y\n",
    "cna try --script customer-current --lang zh": "是\n我们每周都要订备件。\n",
}

# Files the docs' examples read, placed in each command's folder.
FILES = {"answers.jsonl": '{"text": "Lower price.", "lang": "en"}\n{"text": "报价太慢，老是要催", "lang": "zh"}\n',
         "crm-export.csv": "Customer ID;Company;Contact;Segment;Region\nC-9001;Acme Ltd;J. Doe;active;north\n"
                           "C-9002;Beta GmbH;A. Roe;churned;south\nC-9003;Gamma Co;K. Lee;prospect;north\n"}

COMMAND = re.compile(r"^(?:\$ )?(?:(?:[A-Z_]+=\S+ )*(?:\.venv/bin/)?cna |make [a-z]|echo .*\|\s*(?:\.venv/bin/)?cna )")


def documented() -> dict[str, str]:
    """Every command shown in the docs, without its trailing comment, with where it is shown first."""
    found: dict[str, str] = {}
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        fenced = False
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip().startswith("```"):
                fenced = not fenced
                continue
            stripped = line.strip()
            if fenced and COMMAND.match(stripped):
                found.setdefault(_without_comment(stripped.removeprefix("$ ")), f"{page.name}:{number}")
        for span in re.finditer(r"`((?:\.venv/bin/cna|make) [^`\n]+)`", text):
            number = text.count("\n", 0, span.start()) + 1
            found.setdefault(span.group(1).strip(), f"{page.name}:{number}")
    return found


def _without_comment(line: str) -> str:
    """The command without a trailing ' # ...' (a '#' inside quotes stays)."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and i > 0 and line[i - 1] == " ":
            return line[:i].rstrip()
    return line.rstrip()


@dataclass
class Ran:
    command: str
    where: str
    returncode: int
    output: str


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, str]:
    """The demo database (seeded once) and the pseudonym the examples' P-1A2B3C4D stands for."""
    folder = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CNA_DATABASE_URL": f"sqlite:///{folder}/cna.db"}
    seeded = subprocess.run([sys.executable, "-m", "cli.main", "demo", "--no-interview"], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=300)
    assert seeded.returncode == 0, seeded.stderr
    with sqlite3.connect(folder / "cna.db") as c:
        (pseudonym,) = c.execute("SELECT pseudonym FROM participants p JOIN identities i ON i.participant_id = p.id "
                                 "ORDER BY p.id LIMIT 1").fetchone()
    return folder / "cna.db", pseudonym


def _shims(folder: Path) -> Path:
    """`cna` on PATH and `.venv/bin/cna` in the folder, both running this checkout's CLI."""
    script = f'#!/bin/sh\nexec "{sys.executable}" -m cli.main "$@"\n'
    bin_dir = folder / ".venv/bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "cna").write_text(script)
    (bin_dir / "cna").chmod(0o755)
    return bin_dir


def _run(command: str, where: str, db: Path, pseudonym: str, base: Path) -> Ran:
    folder = base / re.sub(r"[^A-Za-z0-9]+", "_", where)
    folder.mkdir(parents=True)
    shutil.copy(db, folder / "cna.db")
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "interview_scripts").symlink_to(ROOT / "interview_scripts")
    bin_dir = _shims(folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CNA_", "SLACK_"))}
    env.update({"PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", "PYTHONPATH": str(ROOT),
                "PYTHONIOENCODING": "utf-8", "CNA_DATABASE_URL": f"sqlite:///{folder}/cna.db"})
    stdin = STDIN.get(command, "")
    r = subprocess.run(["bash", "-c", command.replace(PSEUDONYM_EXAMPLE, pseudonym)], cwd=folder, env=env,
                       input=stdin, capture_output=True, text=True, timeout=240)
    return Ran(command, where, r.returncode, r.stdout + r.stderr)


def test_the_tables_name_only_commands_the_docs_show():
    shown = documented()
    stale = [c for c in [*SKIP, *EXPECTED_FAILURE, *STDIN] if c not in shown]
    assert stale == [], "these are no longer in the docs; remove them from the tables"


def test_every_command_in_the_docs_runs_as_written(demo, tmp_path):
    db, pseudonym = demo
    commands = {c: w for c, w in documented().items() if c not in SKIP}
    assert len(commands) >= 10, commands  # the extraction itself works
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda item: _run(item[0], item[1], db, pseudonym, tmp_path), commands.items()))
    problems = []
    for r in results:
        expected = EXPECTED_FAILURE.get(r.command)
        if "Traceback" in r.output:
            problems.append(f"{r.where}: {r.command}\n  traceback:\n{r.output[-1500:]}")
        elif expected is None and r.returncode != 0:
            problems.append(f"{r.where}: {r.command}\n  exit {r.returncode}:\n{r.output[-1500:]}")
        elif expected is not None and (r.returncode != expected[0] or expected[1] not in r.output):
            problems.append(f"{r.where}: {r.command}\n  expected exit {expected[0]} saying {expected[1]!r}, got "
                            f"{r.returncode}:\n{r.output[-1500:]}")
    assert problems == [], "\n\n".join(problems)
