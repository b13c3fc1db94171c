"""The heldout split's second, independent coding: human-vs-human agreement and a coder scored against both people.

`heldout.<lang>.coder2.jsonl` holds one line per heldout answer, `{"id", "codes"}`, coded by a second person who
saw the answers but not the first person's codes. It is never trained or tuned on (core.intercoder defines the
scores)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from app import train_coder as tc
from app.corpus_records import read_records
from core import intercoder
from core.coder_model import THRESHOLD
from core.coding import Coder


def second_coding_files() -> list[Path]:
    return sorted(tc.CORPUS_DIR.glob("heldout.??.coder2.jsonl"))


def load_second_coding(paths: Iterable[Path], heldout: Sequence[tc.Labelled],
                       known: Iterable[str]) -> dict[str, frozenset[str]]:
    """Answer id -> the second person's codes; every id must be a heldout answer's, every code the codebook's."""
    ids, codes_known = {a.id for a in heldout}, set(known)

    def record(path: Path, n: int, r: dict[str, Any]) -> tuple[str, frozenset[str]]:
        rid = r["id"]
        if rid not in ids:
            raise ValueError(f"id {rid!r} is not an answer of the heldout split")
        if not isinstance(r["codes"], list):
            raise ValueError(f"codes {r['codes']!r} is not a list of code ids")
        unknown = set(r["codes"]) - codes_known
        if unknown:
            raise ValueError(f"codes not in the codebook: {', '.join(sorted(unknown))}")
        return str(rid), frozenset(r["codes"])

    pairs = read_records(list(paths), record, ' (one JSON object per line: {"id": "cho-en-0001", "codes": [...]})')
    return dict(pairs)


def proposals(coder: Coder, answers: Sequence[tc.Labelled]) -> dict[str, frozenset[str]]:
    return {a.id: frozenset(h.code_id for h in coder.code(a.text, a.lang, a.hints) if h.confidence >= THRESHOLD)
            for a in answers}


def report(heldout: Sequence[tc.Labelled], second: Mapping[str, frozenset[str]], codes: Sequence[str],
           coders: Mapping[str, Coder]) -> dict[str, Any]:
    """Per language: human vs human (F1 and kappa), and per coder its F1 against each person, on the agreed
    decisions and leniently (core.intercoder), over the heldout answers both people coded."""
    out: dict[str, Any] = {}
    for lang in sorted({a.lang for a in heldout}):
        mine = [a for a in heldout if a.lang == lang and a.id in second]
        if not mine:
            continue
        first = {a.id: a.codes for a in mine}
        other = {a.id: second[a.id] for a in mine}
        row: dict[str, Any] = {"answers": len(mine), "human_vs_human": {
            **intercoder.against(other, first), "kappa": intercoder.kappas(other, first, codes)}}
        for name, coder in coders.items():
            pred = proposals(coder, mine)
            row[name] = {"vs_coder1": intercoder.against(pred, first), "vs_coder2": intercoder.against(pred, other),
                         "on_agreed": intercoder.on_agreed(pred, first, other),
                         "lenient": intercoder.lenient(pred, first, other),
                         "kappa_vs_coder1": intercoder.kappas(pred, first, codes)}
        out[lang] = row
    return out
