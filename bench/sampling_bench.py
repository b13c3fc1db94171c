"""Customer sampling at CRM size: `cna customers import` of a GB18030 CSV and an .xlsx, `cna sample draw`, `status`
and `top-up` as subprocesses on SQLite, and the pure draw on its own. Run: python -m bench.sampling_bench [--rows N]."""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SEGMENTS = ("现有客户", "现有客户", "流失客户", "潜在客户")
REGIONS = ("华北", "华东", "华南", "西部")


def make_csv(path: Path, n: int) -> None:
    rng = random.Random(21)
    lines = ["客户编号,公司名称,联系人,客户类型,地区,Revenue,Slack"]
    for i in range(n):
        slack = f"U{i:09d}" if rng.random() < 0.4 else ""
        lines.append(f"C-{i:07d},公司{i},联系人{i},{rng.choice(SEGMENTS)},{rng.choice(REGIONS)},"
                     f"{rng.randint(1, 5000) * 1000},{slack}")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))


def make_xlsx(path: Path, n: int) -> None:
    import openpyxl

    rng = random.Random(22)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Export")
    ws.append(["Customer ID", "Company", "Contact", "Segment", "Region", "Revenue"])
    for i in range(n):
        ws.append([f"X-{i:07d}", f"Company {i}", f"Contact {i}", rng.choice(("current", "past", "prospect")),
                   rng.choice(("North", "South")), rng.randint(1, 5000) * 1000])
    wb.save(path)


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "cli.main", *args], env=env, capture_output=True, text=True,
                         cwd=ROOT, check=False)
    took = time.perf_counter() - t0
    if out.returncode:
        raise SystemExit(f"{' '.join(args)} failed: {out.stderr}")
    return took, out.stdout


def pure_draw(n: int) -> float:
    from core import sampling

    strata = {f"s{h}": [f"{h}-{i}" for i in range(n // 12)] for h in range(12)}
    t0 = time.perf_counter()
    alloc = sampling.allocate({h: len(v) for h, v in strata.items()}, n // 4)
    sampling.draw(strata, alloc.targets, "seed")
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000)
    args = ap.parse_args()
    results: dict[str, object] = {"rows": args.rows, "python": platform.python_version(),
                                  "cpu_count": os.cpu_count(), "at": datetime.now(UTC).isoformat()}
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        env = {**os.environ, "CNA_DATABASE_URL": f"sqlite:///{d}/b.db", "PYTHONPATH": str(ROOT)}
        timed(["assessment", "create", "--name", "bench"], env)
        make_csv(d / "list.csv", args.rows)
        make_xlsx(d / "list.xlsx", args.rows // 5)
        results["import_csv_s"], _ = timed(["customers", "import", str(d / "list.csv")], env)
        results["reimport_csv_s"], _ = timed(["customers", "import", str(d / "list.csv")], env)
        results["import_xlsx_rows"] = args.rows // 5
        results["import_xlsx_s"], _ = timed(["customers", "import", str(d / "list.xlsx")], env)
        results["draw_25pct_s"], out = timed(["sample", "draw", "--round", "1", "--by", "segment,地区", "--share",
                                              "25%", "--seed", "b"], env)
        results["drawn"] = int(out.split("total", 1)[1].split()[2])
        results["neyman_s"], _ = timed(["sample", "draw", "--round", "1", "--by", "segment", "--share", "25%",
                                        "--allocation", "neyman", "--neyman-by", "revenue", "--seed", "b",
                                        "--replace"], env)
        results["invite_s"], _ = timed(["sample", "invite", "--round", "1"], env)
        results["status_s"], _ = timed(["sample", "status", "--round", "1"], env)
        results["noop_s"], _ = timed(["sample", "status", "--help"], env)  # start-up cost of the CLI alone
    results["pure_draw_1M_s"] = pure_draw(1_000_000)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "sampling.json").write_text(json.dumps(results, indent=2) + "\n")
    md = ["# Customer sampling at CRM size", "",
          f"SQLite, {results['cpu_count']} cores, Python {results['python']}, {results['at'][:16]} UTC. "
          "Wall time of each command as a subprocess (includes the CLI's start-up, the `--help` row).", "",
          "| step | seconds |", "|---|---:|"]
    for k, label in (("noop_s", "`cna sample status --help` (start-up only)"),
                     ("import_csv_s", f"import {args.rows:,} rows, GB18030 CSV"),
                     ("reimport_csv_s", f"import the same {args.rows:,} rows again (all unchanged)"),
                     ("import_xlsx_s", f"import {args.rows // 5:,} rows, .xlsx"),
                     ("draw_25pct_s", f"draw 25% by segment x region ({results['drawn']:,} drawn)"),
                     ("neyman_s", "draw again, Neyman by revenue (replaces the sample)"),
                     ("invite_s", "invite: Slack invitations for those with a Slack id"),
                     ("status_s", "status per stratum"),
                     ("pure_draw_1M_s", "pure allocate + draw, 1,000,000 members in 12 strata (in process)")):
        md.append(f"| {label} | {results[k]:.2f} |")
    (RESULTS / "sampling.md").write_text("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
