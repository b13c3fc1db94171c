"""CPU per answer of the sentence encoders bench/coder_transformer.py fine-tunes, beside the shipped coder's.

Usage (with bench/requirements-transformer.txt installed): .venv/bin/python bench/coder_transformer_speed.py
Writes bench/results/coder_transformer_speed.md. One thread, process CPU time (not wall time: the machine is shared),
median of three passes over 400 answers of the newest training batch, per language. The baseline is the shipped
coder built afresh before each pass (untimed; so its per-word memory starts empty, as for new answers), in the
same run.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.catalog import load_catalog  # noqa: E402
from app.coder import build_coder  # noqa: E402
from bench.coder_transformer import encoder_path  # noqa: E402
from core.coding import Coder  # noqa: E402

RESULTS = ROOT / "bench" / "results"
N = 400


def cpu_ms(run: Callable[[object], None], n: int, setup: Callable[[], object] = lambda: None) -> float:
    """Median CPU ms per answer of three passes; `setup` (untimed) makes what a pass starts from."""
    passes = []
    for _ in range(3):
        fresh = setup()
        t0 = time.process_time()
        run(fresh)
        passes.append((time.process_time() - t0) / n * 1000)
    return statistics.median(passes)


def main() -> int:
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(1)
    catalog = load_catalog()
    rows = []
    for lang in ("en", "zh"):
        path = ROOT / "interview_scripts" / "corpus" / "coder" / f"train9.{lang}.jsonl"
        texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()][:N]

        def shipped(coder: object, texts: list[str] = texts, lang: str = lang) -> None:
            assert isinstance(coder, Coder)
            for t in texts:
                coder.code(t, lang)

        tok = AutoTokenizer.from_pretrained(encoder_path(lang))
        enc = AutoModel.from_pretrained(encoder_path(lang)).eval()

        def encode(batch: int, texts: list[str] = texts, tok=tok, enc=enc) -> None:  # type: ignore[no-untyped-def]
            with torch.no_grad():
                for k in range(0, len(texts), batch):
                    enc(**tok(texts[k : k + batch], truncation=True, max_length=96, padding=True, return_tensors="pt"))

        base = cpu_ms(shipped, len(texts), setup=lambda: build_coder(catalog.codebook))
        one, many = cpu_ms(lambda _: encode(1), len(texts)), cpu_ms(lambda _: encode(32), len(texts))
        rows.append(f"| {lang} | {base:.2f} | {one:.2f} ({one / base:.1f}×) | {many:.2f} ({many / base:.1f}×) |")
        print(rows[-1], flush=True)
    text = "\n".join([
        "# CPU per answer: the sentence encoders against the shipped coder", "",
        f"Generated {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} with Python {platform.python_version()} by "
        f"`bench/coder_transformer_speed.py`: one thread, process CPU ms per answer, median of 3 passes over {N} "
        "answers of train9 per language. The encoder's forward pass only (the fine-tuned head adds one matrix "
        "product); the shipped coder is built afresh each pass, so every word is new to it.", "",
        "| language | shipped coder (all codes, cues and model) | encoder, one answer at a time "
        "| encoder, 32 at a time |",
        "|---|---|---|---|", *rows, ""])
    (RESULTS / "coder_transformer_speed.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
