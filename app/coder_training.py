"""Retraining the coder from the shipped corpus plus the lead's finished codings, and storing the model."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import Catalog
from app.coder import learned, segmenter, shipped_model
from app.coder_gate import MIN_LEAD_ANSWERS, MIN_LEAD_POSITIVES
from core.coder_model import CodeGate, LearnedModel
from core.coding import Coder
from storage.coder_models import LeadAnswer, human_decisions, latest_model, lead_answers, save_model
from storage.uow import Database

if TYPE_CHECKING:  # training needs scikit-learn; the review app and the service only read models (start-up)
    from app import train_coder as tc

log = logging.getLogger("cna.coder")
# The corpus's training batches, one writer (or pair) each.
TRAIN_SPLITS = ("train", "train2", "train3", "train4", "train5", "train6", "train7", "train8", "train9")
# The codebook's labels and descriptions as training answers (codebook_examples): short plain statements of each
# code, which the writers' long answers seldom are (issue 19: "delivery is slow" with no question).
CODEBOOK_EXAMPLES = False
RETRAIN_EVERY = 50  # new human decisions since the stored model before the review app retrains in the background
# Words' sense classes for a round with few codings (issue 19; docs/coding.md, "Sense classes at 100 answers"): from
# MIN_LEAD_ANSWERS to ROUND_SENSES_UNTIL of the lead's finished answers, a retraining is fitted twice, without and
# with these kinds (Cilin's levels 4-5, WordNet's lexicographer file and direct hypernym: a class such as noun.food
# carries a hundred answers' dishes to ones never seen), and keeps the second only where the gate's own
# cross-validated evidence on the lead's answers (their mean kappa over the codes they give often enough) is at
# least ROUND_SENSES_MARGIN higher. Beyond that many answers the round's own n-grams have seen its words, and the
# second fit doubles the retraining's time for nothing measured.
ROUND_SENSES: tuple[str, ...] = ("c4", "c5", "l", "h")
ROUND_SENSES_UNTIL = 300
ROUND_SENSES_MARGIN = 0.02


@dataclass
class Training:
    """What a retraining used and produced."""

    train: list[tc.Labelled]
    heldout: list[tc.Labelled]
    lead: int
    data: dict[str, Any]
    report: dict[str, Any]


def shipped_sets(catalog: Catalog) -> tuple[list[tc.Labelled], list[tc.Labelled]]:
    """(train: the corpus's train splits (train to train7) plus the cue author's old set, heldout: the
    corpus's heldout split)."""
    from app import train_coder as tc

    known = [c.id for c in catalog.codebook.codes]
    train = tc.load_corpus([f for split in TRAIN_SPLITS for f in tc.corpus_files(split)], catalog.scripts, known)
    train += tc.load_corpus(tc.old_set_files(), catalog.scripts, known)
    if CODEBOOK_EXAMPLES:
        train += codebook_examples(catalog)
    return train, tc.load_corpus(tc.corpus_files("heldout"), catalog.scripts, known)


def codebook_examples(catalog: Catalog) -> list[tc.Labelled]:
    """Each leaf code's label and description, per language, as a short plain answer with that code and no question
    (a pseudo-example: what a code means in the fewest words)."""
    from app import train_coder as tc

    leaves = [c for c in catalog.codebook.codes if c.parent is not None]
    return [tc.Labelled(f"codebook-{lang}-{c.id}-{kind}", lang, getattr(c, kind).get(lang), frozenset({c.id}))
            for c in leaves for lang in ("en", "zh") for kind in ("label", "description")]


def lead_labelled(catalog: Catalog, rows: Sequence[LeadAnswer]) -> list[tc.Labelled]:
    from app import train_coder as tc

    return [tc.Labelled(f"lead-{r.answer_id}", r.lang if r.lang in ("en", "zh") else "en", r.text, r.codes,
                        tc._hints(catalog.scripts, r.script_id, r.lang, r.question_id), lead=True) for r in rows]


def train_from(catalog: Catalog, lead: Sequence[LeadAnswer] = (), **kw: Any) -> Training:
    train, heldout = shipped_sets(catalog)
    extra = lead_labelled(catalog, lead)
    data, report = fit_round(train, extra, Coder(catalog.codebook), segmenter(), **kw)
    return Training(train, heldout, len(extra), data, report)


def fit_round(train: Sequence[Any], extra: Sequence[Any], cues: Coder, segment: Any, **kw: Any
              ) -> tuple[dict[str, Any], dict[str, Any]]:
    """One retraining on the shipped answers and the lead's (`extra`), with or without the sense block as the
    lead's evidence chooses (ROUND_SENSES): what a round's retraining runs, and what bench/coder_curve.py measures."""
    from app import coder_learn
    from app import train_coder as tc

    data, report = tc.train([*train, *extra], cues, segment, **kw)
    if ROUND_SENSES and not coder_learn.SENSE_KINDS and MIN_LEAD_ANSWERS <= len(extra) <= ROUND_SENSES_UNTIL:
        with_senses = tc.train([*train, *extra], cues, segment, senses=ROUND_SENSES, **kw)
        data, report = _with_round_senses((data, report), with_senses)
    return data, report


def lead_evidence(data: Mapping[str, Any]) -> float | None:
    """The gate's evidence on the lead's answers for a whole model: the mean of its cross-validated lead kappa over
    the codes with a model that the lead gave often enough to judge (MIN_LEAD_POSITIVES); None: no such code."""
    ks = [g["kappa_lead_model"] for g in data.get("codes", {}).values()
          if g.get("kappa_lead_model") is not None and g.get("lead_positives", 0) >= MIN_LEAD_POSITIVES]
    return sum(ks) / len(ks) if ks else None


def _with_round_senses(plain: tuple[dict[str, Any], dict[str, Any]], senses: tuple[dict[str, Any], dict[str, Any]]
                       ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The model with the sense block where the lead's cross-validated evidence is ROUND_SENSES_MARGIN higher, else
    the one without; the weights' meta records both (never the heldout split or any test answers)."""
    without, with_ = lead_evidence(plain[0]), lead_evidence(senses[0])
    chosen = without is not None and with_ is not None and with_ >= without + ROUND_SENSES_MARGIN
    data, report = senses if chosen else plain
    data["meta"]["round_senses"] = {"kinds": list(ROUND_SENSES), "chosen": chosen,
                                    "lead_kappa_without": None if without is None else round(without, 3),
                                    "lead_kappa_with": None if with_ is None else round(with_, 3)}
    log.info("round retraining: sense classes %s (mean lead kappa %s without, %s with)",
             "kept" if chosen else "not kept", without, with_)
    return data, report


async def retrain(db: Database, catalog: Catalog, by: str | None = None, **kw: Any) -> Training:
    """Train on the shipped data and the lead's finished answers, store the model; the caller writes files."""
    async with db.uow() as uow:
        lead = await lead_answers(uow.session)
        decisions = await human_decisions(uow.session)
    result = await asyncio.to_thread(train_from, catalog, lead, **kw)
    async with db.uow() as uow:
        await save_model(uow.session, result.data, decisions, by, trained_on=[r.answer_id for r in lead])
        await uow.commit()
    return result


def _stored(data: Any, known: Any = None) -> LearnedModel | None:
    """A stored model, or None for one of an older format (trained before the TF-IDF coder): the shipped weights
    code until the next retraining stores a new one."""
    try:
        return learned(data, known)
    except ValueError as exc:
        log.warning("stored coder model not used (%s): the shipped weights code until the next retraining", exc)
        return None


async def current_model(db: Database, catalog: Catalog | None = None) -> LearnedModel | None:
    """The database's latest model, for coding this round's answers (None: use the shipped weights)."""
    async with db.uow() as uow:
        row = await latest_model(uow.session)
        known = None if catalog is None else [c.id for c in catalog.codebook.codes]
        return None if row is None else _stored(row.data, known)


async def due(db: Database, every: int = RETRAIN_EVERY) -> bool:
    """Whether `every` human decisions were made since the latest stored model was trained."""
    async with db.uow() as uow:
        n = await human_decisions(uow.session)
        row = await latest_model(uow.session)
    return n - (row.decisions if row is not None else 0) >= every


async def retrain_in_background(db_url: str) -> asyncio.subprocess.Process:
    """`cna train coder --db URL --quiet` in a separate, low-priority process: it never holds up the caller's
    event loop (training is pure Python and would hold the GIL for a minute or more in a thread)."""
    def lower_priority() -> None:
        os.nice(10)

    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli.main", "train", "coder", "--db", db_url, "--quiet", "--keep-shipped",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL, preexec_fn=lower_priority)


async def gates_in_effect(s: AsyncSession) -> tuple[str, dict[str, CodeGate]]:
    """(model id, per-code gate) of the model coding this round: the database's latest, else the shipped one."""
    row = await latest_model(s)
    model = (_stored(row.data) if row is not None else None) or shipped_model()
    return ("none", {}) if model is None else (model.id, dict(model.gates))


REFRESH_SECONDS = 300.0


async def refresh_coder(service: Any, every: float = REFRESH_SECONDS) -> None:
    """Forever: every few minutes, code new answers with the database's latest model (a cheap query; the model
    loads only when a new one was stored). A failed check is logged and retried, never fatal to the service."""
    while True:
        await asyncio.sleep(every)
        try:
            await service.use_stored_coder()
        except Exception as exc:
            log.warning("could not load the stored coder model: %s", type(exc).__name__)
