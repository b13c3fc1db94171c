"""Typed replies to closed questions, read as the interview reads them: right, wrong, or asked again, per language.

Usage: .venv/bin/python bench/closed_replies.py FILE.jsonl [--out NAME] [--misses N]
Each line: {"id", "lang", "script", "question_id", "text", "expect": [ids] | [N] | ["yes"/"no"] | null, "style"}.
`expect: null` means a careful colleague would have to ask again. A reply is read by `core.interview.read_choice`
(the choice reader, then the judge for a short reply that names no option) with the other language's labels, as
`cna serve` and `cna try` read it. Writes bench/results/NAME.md and .json (default closed_replies).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.catalog import lint, load_catalog, scripts_dirs  # noqa: E402
from app.interviews import other_language_labels  # noqa: E402
from core.choices import Match  # noqa: E402
from core.interview import read_choice  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def outcome(found: object, expect: list[Any] | None) -> str:
    """right (exactly / confirmed), wrong, asked (expect given, reply not read) or asked_right (expect null)."""
    if expect is None:
        return "wrong_took" if isinstance(found, Match) else "asked_right"
    if not isinstance(found, Match):
        return "asked"
    want = {str(v) for v in expect}
    if set(found.values) == want:
        return "right_exact" if found.exact else "right_confirmed"
    return "wrong"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file", type=Path)
    ap.add_argument("--out", default="closed_replies")
    ap.add_argument("--misses", type=int, default=0, help="list this many replies read wrongly or asked again")
    args = ap.parse_args()
    cat = load_catalog()
    try:
        rows = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SystemExit(f"{args.file}: cannot read it as typed replies ({exc}); check it with "
                         f"'cna scripts lint {args.file}' (interview_scripts/corpus/closed/README.md)") from None
    problems = [p for p in lint([*scripts_dirs(), args.file], None).problems if p.file == str(args.file)]
    if problems:
        raise SystemExit("\n".join(str(p) for p in problems[:10]))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    by_style: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    misses: list[str] = []
    lexicons: dict[tuple[str, str], Any] = {}
    for r in rows:
        script = cat.scripts[(r["script"], r["lang"])]
        q = script.question(r["question_id"])
        lex = lexicons.setdefault((r["script"], r["lang"]), other_language_labels(cat.scripts, script))
        found = read_choice(cat.prober, script, q, r["text"], lex)
        o = outcome(found, r["expect"])
        counts[r["lang"]][o] += 1
        by_style[(r["lang"], r.get("style", "?"))][o] += 1
        if o in ("wrong", "wrong_took", "asked"):
            got = list(found.values) if isinstance(found, Match) else f"asked ({found.reason})"
            misses.append(f"{r['id']} {q.kind} {r['question_id']} «{r['text']}» expect {r['expect']} → {got}")
    lines = [f"# Typed replies to closed questions ({args.file.name})", "",
             f"Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/closed_replies.py`: {len(rows)} replies, "
             "read by `core.interview.read_choice` as the interview reads them.", "",
             "| lang | replies | right (exact + confirmed) | wrong option | asked again | unclear: asked "
             "| unclear: took one |",
             "|---|---|---|---|---|---|---|"]
    summary: dict[str, Any] = {}
    for lang in sorted(counts):
        c = counts[lang]
        named = c["right_exact"] + c["right_confirmed"] + c["wrong"] + c["asked"]
        unclear = c["asked_right"] + c["wrong_took"]
        right = c["right_exact"] + c["right_confirmed"]
        lines.append(f"| {lang} | {named + unclear} | {right}/{named} ({100 * right / max(named, 1):.1f}%: "
                     f"{c['right_exact']} + {c['right_confirmed']}) | {c['wrong']} | {c['asked']} | "
                     f"{c['asked_right']}/{unclear} | {c['wrong_took']} |")
        summary[lang] = dict(c)
    lines += ["", "| lang | style | right | wrong | asked again | unclear: asked | unclear: took one |",
              "|---|---|---|---|---|---|---|"]
    for (lang, style), c in sorted(by_style.items()):
        lines.append(f"| {lang} | {style} | {c['right_exact'] + c['right_confirmed']} | {c['wrong']} | {c['asked']} | "
                     f"{c['asked_right']} | {c['wrong_took']} |")
    if args.misses:
        lines += ["", "## Read wrongly or asked again", ""] + [f"- {m}" for m in misses[: args.misses]]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.out}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (RESULTS / f"{args.out}.json").write_text(json.dumps({"file": args.file.name, "counts": summary}, indent=1),
                                              encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
