"""The run-time coder: the codebook's cue rules plus the learned model (shipped weights or the database's latest)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from app import word_senses
from core.codebook import Codebook
from core.coder_model import LearnedModel
from core.coding import Coder
from core.script_parse import Problem, ScriptError
from interview_scripts import CODER

log = logging.getLogger("cna.coder")


class JiebaWords:
    """jieba's Chinese words, for the coder's lexicon at training time (coding uses the lexicon, not jieba); the
    dictionary loads on the first Chinese answer only."""

    def __init__(self) -> None:
        self._tok: Any = None

    def __call__(self, text: str) -> list[str]:
        if self._tok is None:
            import jieba  # heavy: only where a Chinese answer is coded

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            tok.initialize()
            self._tok = tok
        return [w for w in self._tok.lcut(text, HMM=False) if w.strip()]


@cache
def segmenter() -> JiebaWords:
    return JiebaWords()


def learned(data: Any, known: Iterable[str] | None = None) -> LearnedModel:
    """A LearnedModel from weights data; weights trained with words' sense classes read them from the thesauri
    (app.word_senses, loaded only for such weights)."""
    uses = isinstance(data, Mapping) and bool((data.get("senses") or {}).get("kinds"))
    return LearnedModel(data, known, word_senses.senses() if uses else None)


def model_from_data(data: Any, codebook: Codebook, where: str) -> LearnedModel:
    try:
        return learned(data, (c.id for c in codebook.codes))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ScriptError([Problem(where, 1, f"coder weights are not readable: {exc}",
                                   "retrain them with 'cna train coder'")]) from None


def load_model(codebook: Codebook, path: Path | None = None) -> LearnedModel | None:
    """The shipped model (interview_scripts/coder.json, or CNA_CODER_WEIGHTS), or None when absent or when
    CNA_CODER_WEIGHTS is 'none': the cue rules alone decide."""
    env = os.environ.get("CNA_CODER_WEIGHTS", "")
    if path is None and env.lower() == "none":
        return None
    p = path or (Path(env) if env else CODER)
    if not p.exists():
        log.warning("no coder weights at %s: coding with the cue rules alone (run 'cna train coder')", p)
        return None
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ScriptError([Problem(str(p), 1, f"coder weights are not readable: {exc}",
                                   "retrain them with 'cna train coder'")]) from None
    return model_from_data(data, codebook, str(p))


def build_coder(codebook: Codebook, model: LearnedModel | None = None, *, shipped: bool = True) -> Coder:
    """The coder with `model`, else (when `shipped`) the shipped weights, else the cue rules alone. Chinese words
    come from the model's own lexicon (jieba's words of the training answers, matched longest first as in
    training: core.coder_tfidf), not jieba: the same words as in training, and no dictionary to load."""
    if model is None and shipped:
        model = load_model(codebook)
    return Coder(codebook, model=model)


@cache
def shipped_model() -> LearnedModel | None:
    """The shipped weights without a codebook to check them against (for showing the gates), or None."""
    if not CODER.exists():
        return None
    try:
        return learned(json.loads(CODER.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
