"""Why the coder scores what it does: a strong scikit-learn baseline cross-validated on the train split only.

Usage: .venv/bin/python bench/coder_diagnose.py [--heldout]
A diagnosis of the data with scikit-learn's own vectorisers, not the shipped coder (app/coder_learn.py ports the
recipe, per language features and the gate). Per language, one-vs-rest logistic regression (liblinear, C=10,
balanced class weights) over TF-IDF (sublinear tf) word 1-2 grams and character n-grams (English: char_wb 2-5;
Chinese: jieba words and characters 1-3), cue hits and the question's code hints; 5-fold CV on the training
splits (interview_scripts/corpus/coder/train*.jsonl) plus the cue author's old set.
Prints label cardinality, micro-F1 per threshold, per-code precision/recall, the most frequent confusions and
a sample of confident "false positives" to read. --heldout scores the heldout split once (train on all of train).
"""

from __future__ import annotations

import collections
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import jieba  # noqa: E402
import numpy as np  # noqa: E402
from scipy.sparse import csr_matrix, hstack  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import KFold  # noqa: E402

from app.catalog import load_catalog  # noqa: E402
from app.coder_training import shipped_sets  # noqa: E402
from core.coding import Coder  # noqa: E402

jieba.setLogLevel(60)


def _zh_words(t: str) -> list[str]:
    return [w for w in jieba.lcut(t) if w.strip()]


class Diagnosis:
    def __init__(self) -> None:
        catalog = load_catalog()
        self.train, self.heldout = shipped_sets(catalog)
        self.codes = sorted(c.id for c in catalog.codebook.codes)
        self.index = {c: i for i, c in enumerate(self.codes)}
        self.cues = Coder(catalog.codebook)

    def y(self, xs: list[Any]) -> Any:
        y = np.zeros((len(xs), len(self.codes)), dtype=int)
        for i, a in enumerate(xs):
            for c in a.codes:
                y[i, self.index[c]] = 1
        return y

    def _onehot(self, xs: list[Any], codes_of: Any) -> Any:
        m = np.zeros((len(xs), len(self.codes)))
        for i, a in enumerate(xs):
            for c in codes_of(a):
                if c in self.index:
                    m[i, self.index[c]] = 1
        return csr_matrix(m)

    def fit_predict(self, tr: list[Any], te: list[Any], lang: str) -> Any:
        if lang == "en":
            vs = [TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, token_pattern=r"(?u)\b\w+\b"),
                  TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)]
        else:
            vs = [TfidfVectorizer(analyzer=_zh_words, sublinear_tf=True, min_df=2),
                  TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)]

        def x(xs: list[Any], fit: bool) -> Any:
            texts = [a.text for a in xs]
            parts = [v.fit_transform(texts) if fit else v.transform(texts) for v in vs]
            parts.append(self._onehot(xs, lambda a: [h.code_id for h in self.cues.cue_hits(a.text, a.lang)]))
            parts.append(self._onehot(xs, lambda a: a.hints))
            return hstack(parts).tocsr()

        xtr, xte, ytr = x(tr, True), x(te, False), self.y(tr)
        p = np.zeros((len(te), len(self.codes)))
        for j in range(len(self.codes)):
            if ytr[:, j].sum() >= 3:
                m = LogisticRegression(C=10, class_weight="balanced", max_iter=2000, solver="liblinear")
                p[:, j] = m.fit(xtr, ytr[:, j]).predict_proba(xte)[:, 1]
        return p


def micro(pred: Any, y: Any) -> tuple[float, float, float]:
    tp, fp, fn = int((pred & y).sum()), int((pred & (1 - y)).sum()), int(((1 - pred) & y).sum())
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return round(2 * p * r / max(p + r, 1e-9), 3), round(p, 3), round(r, 3)


def main(argv: list[str]) -> None:
    d = Diagnosis()
    for lang in ("en", "zh"):
        xs = [a for a in d.train if a.lang == lang]
        y = d.y(xs)
        card = collections.Counter(len(a.codes) for a in xs)
        print(f"== {lang}: {len(xs)} train answers, codes per answer {dict(sorted(card.items()))}")
        p = np.zeros(y.shape)
        for tr, te in KFold(5, shuffle=True, random_state=0).split(xs):
            p[te] = d.fit_predict([xs[i] for i in tr], [xs[i] for i in te], lang)
        for t in (0.3, 0.4, 0.5, 0.6, 0.7):
            print(f"  CV micro-F1 at {t}: F1/P/R {micro((p >= t).astype(int), y)}")
        pred = (p >= 0.5).astype(int)
        for j in sorted(range(len(d.codes)), key=lambda j: int(y[:, j].sum()) == 0):
            n = int(y[:, j].sum())
            if n:
                tp, fp = int((pred[:, j] & y[:, j]).sum()), int((pred[:, j] & (1 - y[:, j])).sum())
                print(f"  {d.codes[j]:<22} n={n:<3} P={tp / max(tp + fp, 1):.2f} R={tp / n:.2f}")
        conf: collections.Counter[tuple[str, str]] = collections.Counter()
        for i in range(len(xs)):
            extra = [d.codes[j] for j in range(len(d.codes)) if pred[i, j] and not y[i, j]]
            missed = [d.codes[j] for j in range(len(d.codes)) if y[i, j] and not pred[i, j]]
            conf.update((a, b) for a in extra for b in missed)
        print("  proposed instead of the gold code:", conf.most_common(10))
        sure = [(i, j) for i in range(len(xs)) for j in range(len(d.codes)) if p[i, j] >= 0.85 and not y[i, j]]
        print(f"  {len(sure)} confident codes the writer did not give; a sample to read:")
        for i, j in random.Random(1).sample(sure, min(8, len(sure))):
            print(f"    [{xs[i].id}] gold {sorted(xs[i].codes)}, model {d.codes[j]} {p[i, j]:.2f}: {xs[i].text[:160]}")
        if "--heldout" in argv:
            te = [a for a in d.heldout if a.lang == lang]
            ph = d.fit_predict(xs, te, lang)
            print(f"  HELDOUT (once) micro-F1/P/R at 0.5: {micro((ph >= 0.5).astype(int), d.y(te))}")


if __name__ == "__main__":
    main(sys.argv)
