"""Issue 13's sense round: leave one writer's file out with variants of the sense-class block, beside main's model.

`cna train prober --by-file --senses` measures the block as core/judge_senses.py builds it. This reruns the other
variants docs/probing.md lists (levels, kinds, L2, minimum count, content words only, per-word weights, classes in the
scope of a negation or after the last non-answer sign), all from one set of feature rows and the same fold code, so
their cells are comparable. Train split only: the test split is never opened. About 2 minutes a variant on 2 cores.
Run: python -m bench.judge_senses_variants [NAME ...]   (no name: every variant)
"""

from __future__ import annotations

import argparse
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from app import judge_fit
from app import prober_by_file as pbf
from app import train_prober as tp
from app.catalog import load_catalog
from app.lexicon import lexicon
from app.word_senses import senses
from core.judge import CLASSES, predict
from core.judge_features import clean
from core.judge_nonanswer import non_answer
from core.judge_senses import SENSE
from core.lang import lang_from_counts, unit_counts

_ALL = ("c4", "c5", "c7", "l", "s", "h")
_ZH_NEG = {"不", "没", "没有", "无", "未", "别", "非", "甭", "莫", "勿", "不太", "不大", "没法", "无法", "不会", "不能"}
_EN_NEG = {"not", "no", "never", "nothing", "none", "cannot", "nobody", "neither", "nor", "without", "dont", "cant",
           "didnt", "havent", "wasnt", "isnt"}
_CLAUSE = re.compile(r"[.!?;,。！？；，、\n:：]")

# name -> options (see sense_block); "l2" is the block's own penalty, "min" the answers a class needs.
VARIANTS: dict[str, dict[str, Any]] = {
    "main": {"off": True},
    "whole": {},
    "l2-1e-3": {"l2": 1e-3}, "l2-2e-4": {"l2": 2e-4}, "l2-1e-4": {"l2": 1e-4},
    "min2": {"min": 2}, "min5": {"min": 5},
    "content-only": {"max_zipf": 5.9},
    "c5c7-l-s": {"kinds": ("c5", "c7", "l", "s")}, "no-hypernyms": {"kinds": ("c4", "c5", "c7", "l", "s")},
    "with-c2": {"kinds": (*_ALL, "c2")}, "zh-only": {"langs": ("zh",)}, "split": {"split": True},
    "E-L-non-noun": {"cilin_major": "EFGHIJKL", "non_noun": True},
    "G-L-non-noun": {"cilin_major": "GHIJKL", "non_noun": True},
    "dk-only": {"sense_for": ("dont_know",)}, "dk-stop": {"sense_for": ("dont_know", "stop")},
    "neg-after": {"neg": 3, "after": True}, "neg-after-alone": {"whole": False, "neg": 3, "after": True},
    "neg1": {"neg": 1}, "after": {"after": True},
}


def _kept(cls: str, o: dict[str, Any]) -> bool:
    kind, code = cls.split(":", 1)
    if kind not in o.get("kinds", _ALL):
        return False
    if kind[0] == "c" and "cilin_major" in o and code[0] not in o["cilin_major"]:
        return False
    return not (o.get("non_noun") and kind in ("l", "s", "h") and code.startswith("n"))


def _unit(counts: Mapping[str, float], prefix: str, weighted: bool = False) -> dict[str, float]:
    if not counts:
        return {}
    if weighted:
        norm = math.sqrt(sum(x * x for x in counts.values()))
        return {SENSE + prefix + c: x / norm for c, x in counts.items()}
    v = 1 / math.sqrt(len(counts))
    return {SENSE + prefix + c: v for c in counts}


def sense_block(text: str, o: dict[str, Any]) -> dict[str, float]:
    """The variant's sense features of one answer."""
    lex, thesaurus = lexicon(), senses()
    low = clean(text).lower()
    lang = lang_from_counts(*unit_counts(low))
    zh = lang == "zh"
    clauses = [list(lex.words(c)) for c in _CLAUSE.split(low) if c.strip()]

    def of(w: str) -> list[str]:
        return [c for c in thesaurus.classes(w, lang) if _kept(c, o)]

    f: dict[str, float] = {}
    whole: dict[str, float] = defaultdict(float)
    for w in (w for cl in clauses for w in cl if lex.zipf(w, lang) < o.get("max_zipf", 99)):
        wc = of(w)
        if wc and ("zh" if wc[0].startswith("c") else "en") in o.get("langs", ("en", "zh")):
            for c in wc:
                whole[c] += 1 / len(wc) if o.get("split") else 1
    if o.get("whole", True):
        f.update(_unit(whole, "", bool(o.get("split"))))
    if o.get("neg"):
        scope: Counter[str] = Counter()
        for cl in clauses:
            for i, w in enumerate(cl):
                if w in (_ZH_NEG if zh else _EN_NEG) or (not zh and w.endswith("n't")):
                    scope.update(c for x in cl[i + 1:i + 1 + o["neg"]] for c in of(x))
                elif zh and len(w) > 1 and any(n in w for n in "不没无未"):
                    scope.update(of(w))  # a negation inside the word: 说不好, 不清楚
        f.update(_unit(scope, "neg>"))
    if o.get("after"):
        na = non_answer(low, zh)
        if na.last and na.after.strip():
            f.update(_unit(Counter(c for w in lex.words(na.after) for c in of(w)), "after>"))
    return f


_ROWS: list[tuple[dict[str, float], str]] = []
_FIT: dict[str, Any] = {}


def _fit_without(held: frozenset[int]) -> Any:
    return judge_fit.fit([r for i, r in enumerate(_ROWS) if i not in held], CLASSES, **_FIT)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("names", nargs="*", help=f"variants to run (default: all): {', '.join(VARIANTS)}")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    catalog = load_catalog()
    parts = pbf.load_parts(tp.corpus_files("train"), catalog.scripts)
    rules = catalog.prober.with_judge(None)
    examples = [ex for part in parts.values() for ex in part]
    base = [(tp._features(rules, ex), ex.label) for ex in examples]
    spans, start = [], 0
    for part in parts.values():
        spans.append(frozenset(range(start, start + len(part))))
        start += len(part)
    global _ROWS
    for name in args.names or list(VARIANTS):
        o = VARIANTS[name]
        _ROWS = base if o.get("off") else [({**f, **sense_block(ex.text, o)}, y)
                                           for (f, y), ex in zip(base, examples, strict=True)]
        _FIT.clear()  # forked workers inherit it
        _FIT.update(sense_l2=o.get("l2", 3e-4), min_sense_answers=o.get("min", 3), sense_for=o.get("sense_for"))
        scores = tp.Scores()
        for held, weights in zip(spans, _fit_all(spans, args.jobs), strict=True):
            for i in sorted(held):
                scores.add(examples[i], predict(weights, _ROWS[i][0]))
        cells = " ".join(f"{scores.right[lang, c]}/{scores.total[lang, c]}" for lang in ("en", "zh") for c in CLASSES)
        print(f"{name:16} {cells}  right {sum(scores.right.values())}", flush=True)


def _fit_all(spans: list[frozenset[int]], jobs: int) -> list[Any]:
    import multiprocessing

    if jobs <= 1:
        return [_fit_without(h) for h in spans]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return pool.map(_fit_without, spans, chunksize=1)


if __name__ == "__main__":
    main()
