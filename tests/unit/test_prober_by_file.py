"""Leave-one-file-out estimates of the judge (app/prober_by_file.py, `cna train prober --by-file`) on a slice of the
train split: each file read by a model that never saw it, and parallel folds that fit the same models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app import prober_by_file as pbf
from app import train_prober as tp
from app.catalog import load_catalog

CATALOG = load_catalog()
RULES = CATALOG.prober.with_judge(None)
ROOT = Path(__file__).resolve().parents[2]


def _slice(step: int = 40) -> dict[str, list[tp.Example]]:
    return {name: part[::step] for name, part in pbf.load_parts(tp.corpus_files("train"), CATALOG.scripts).items()}


def test_every_train_file_is_read_once_by_a_model_fitted_without_it() -> None:
    parts = _slice()
    assert len(parts) >= 8 and all(name.startswith("train") for name in parts)  # the train split only
    result = pbf.by_file(parts, RULES, jobs=1)
    assert set(result.files) == set(parts)
    for name, part in parts.items():
        assert sum(result.files[name].total.values()) == len(part)
    assert sum(result.pooled.total.values()) == sum(len(p) for p in parts.values())
    # better than chance on writers it never saw, from a fortieth of the data
    assert sum(result.pooled.right.values()) / sum(result.pooled.total.values()) > 0.6


def test_a_file_held_out_is_not_in_its_own_model() -> None:
    # Two copies of one file: held out in turn, each is read by a model that saw the other copy, so it scores as well
    # as in training; a file alone is refused (there is nothing to fit on).
    part = _slice(60)["train.en.jsonl"]
    twins = pbf.by_file({"a": part, "b": part}, RULES)
    assert twins.files["a"].table() == twins.files["b"].table()
    with pytest.raises(ValueError, match="at least two train files"):
        pbf.by_file({"a": part}, RULES)


def test_parallel_folds_give_the_same_scores_as_one_after_another() -> None:
    examples = [ex for part in _slice(40).values() for ex in part]
    serial = tp.cross_validate(examples, RULES, 3)
    parallel = pbf.cross_validate(examples, RULES, 3, jobs=2, sense_block=False)  # tp.cross_validate has no block
    assert parallel.table() == serial.table()


def test_with_only_goes_with_an_estimate() -> None:
    out = subprocess.run([sys.executable, "-m", "cli.main", "train", "prober", "--with",
                          str(tp.corpus_files("train")[0])], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 2 and "--with only goes with --cv or --by-file" in out.stderr


def test_train_only_writes_weights_alone() -> None:
    out = subprocess.run([sys.executable, "-m", "cli.main", "train", "prober", "--train-only", "--results", "x.json"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 2 and "--train-only writes the weights alone" in out.stderr
