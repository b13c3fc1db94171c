"""`python -m bench.latency`: ack and reply latency at a fixed rate, cna and bare Bolt alternating, N repeats."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from app.catalog import load_catalog
from bench import procs
from bench.load import LoadSpec, emit, run_in_tree

KEEP = ("inputs_per_s", "ack_ms", "reply_ms", "lag_ms", "open_loop_ms", "per_input", "ok", "loadavg", "stalls",
        "backlog", "drain_s")


def _pick(r: dict[str, Any]) -> dict[str, Any]:
    out = {k: r[k] for k in KEEP if k in r}
    acc = r.get("accounting") or {}
    out["lost_duplicated"] = {k: v for k, v in acc.items() if "lost" in k or "dup" in k}
    return out


def _p(r: dict[str, Any], field: str, q: str) -> float | None:
    v = (r.get(field) or {}).get(q)
    return float(v) if isinstance(v, (int, float)) else None


def _median(runs: list[dict[str, Any]], field: str, q: str) -> float | None:
    vals = [v for r in runs if (v := _p(r, field, q)) is not None]
    return round(statistics.median(vals), 1) if vals else None


async def alternate(rate: float, repeats: int, seconds: float, people: int, targets: list[str],
                    settings: dict[str, Any], profile: Path | None = None,
                    variant: dict[str, Any] | None = None, base: Path | None = None,
                    variant_c: dict[str, Any] | None = None) -> dict[str, Any]:
    catalog = load_catalog()
    variant = variant or {}
    variants = {"cna_b": variant, "cna_c": variant_c or {}}
    reps: dict[str, list[dict[str, Any]]] = {t: [] for t in targets}
    for i in range(repeats):
        for target in targets:
            name = f"latency_{target}"
            spec = LoadSpec(name, target="cna" if target.startswith("cna") else "bare", people=people, mode="rate",
                            rate=rate, duration=seconds, seed=20 + i,
                            settings={} if target == "bare" else {**settings, **variants.get(target, {})})
            if profile is not None and target != "bare":
                spec.profile = profile / f"{target}_{i + 1}.txt"
            if target == "cna_base":
                assert base is not None, "cna_base needs --base"
            r = await run_in_tree(spec, catalog, base if target == "cna_base" else None)
            reps[target].append(_pick(r))
            print(f"[latency {time.strftime('%H:%M:%S')}] {target} #{i + 1}: ack p99 {_p(r, 'ack_ms', 'p99')} ms, "
                  f"reply p99 {_p(r, 'reply_ms', 'p99')} ms, lag p99 {_p(r, 'lag_ms', 'p99')} ms, "
                  f"load {r['loadavg']}, ok={r.get('ok')}", file=sys.stderr, flush=True)
    summary = {t: {f"{f}_{q}_median": _median(rs, f, q) for f in ("ack_ms", "reply_ms", "lag_ms")
                   for q in ("p50", "p99")} for t, rs in reps.items()}
    return {"rate": rate, "repeats": repeats, "seconds": seconds, "people": people, "settings": settings,
            "variant": variant, "variant_c": variant_c or {},
            "machine": procs.machine(), "summary": summary, "runs": reps}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__)
    p.add_argument("--rate", type=float, default=200.0)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--people", type=int, default=200)
    p.add_argument("--no-bare", action="store_true", help="cna only")
    p.add_argument("--set", action="append", default=[], help="a cna setting for the cna runs, name=value")
    p.add_argument("--out", type=Path, help="write the JSON here")
    p.add_argument("--ab", action="append", default=[],
                   help="also run 'cna_b' with this setting (name=value), alternating with cna: an A/B in one run")
    p.add_argument("--ac", action="append", default=[],
                   help="also run 'cna_c' with this setting (name=value): a third arm of the same run")
    p.add_argument("--profile", type=Path, help="a folder for py-spy collapsed stacks of each cna run")
    p.add_argument("--base", type=Path,
                   help="another checkout of cna (e.g. `git archive main | tar -x`): also run its service as "
                        "'cna_base', alternating, a before/after in one run")
    a = p.parse_args(argv)
    if a.profile and not (Path(sys.executable).parent / "py-spy").exists():
        p.error("--profile needs py-spy in this environment: .venv/bin/pip install -e '.[bench]'")
    settings = dict(kv.split("=", 1) for kv in a.set)
    variant = dict(kv.split("=", 1) for kv in a.ab)
    variant_c = dict(kv.split("=", 1) for kv in a.ac)
    targets = [*(["cna_base"] if a.base else []), "cna", *(["cna_b"] if variant else []),
               *(["cna_c"] if variant_c else []),
               *([] if a.no_bare else ["bare"])]
    emit(asyncio.run(alternate(a.rate, a.repeats, a.seconds, a.people, targets, settings, a.profile, variant,
                               a.base, variant_c)), a.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
