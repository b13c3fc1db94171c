"""Processes a benchmark runs: the fake Slack, `cna serve --http` and the bare Bolt baseline; RSS; machine facts."""

from __future__ import annotations

import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "xoxb-bench-token"
SECRET = "bench-signing-secret"
LEAD = "ULEAD0001"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CNA_", "SLACK_"))}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra or {})
    return env


@dataclass
class Proc:
    """A child process with its log file; `kill9()` is the crash, `stop()` the polite end."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill9(self) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
        self.popen.wait()

    def stop(self, timeout: float = 10.0) -> None:
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill9()

    def memory_mb(self) -> dict[str, float]:
        """Current (VmRSS) and peak (VmHWM) resident memory in MB, from /proc (no psutil needed); the child
        processes' (cna's engine process) as child_rss_mb / child_peak_rss_mb."""
        out = _memory_of(self.pid, "")
        for pid in children_of(self.pid):
            for k, v in _memory_of(pid, "child_").items():
                out[k] = round(out.get(k, 0.0) + v, 1)
        return out

    def cpu_s(self) -> float:
        """User + system CPU seconds used so far, all threads, with its child processes' (cna's engine process)."""
        return sum(_cpu_of(pid) for pid in [self.pid, *children_of(self.pid)])

    def engine_cpu_s(self) -> float:
        """The child processes' part of cpu_s()."""
        return sum(_cpu_of(pid) for pid in children_of(self.pid))

    def tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def _spawn(name: str, args: list[str], workdir: Path, env: dict[str, str]) -> Proc:
    log = workdir / f"{name}.log"
    fh = log.open("ab")
    # cwd = the run's own folder, so a developer's ./.env cannot change what is measured.
    popen = subprocess.Popen(args, cwd=workdir, env=env, stdout=fh, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL)
    fh.close()
    return Proc(name, popen, log)


def start_fake(workdir: Path, *, rate_limits: list[str] = (), usergroups: list[str] = ()) -> Proc:  # type: ignore[assignment]
    """The fake Slack (bench.fake_proc); `info` gets api_url and control_url from its first output line."""
    args = [sys.executable, "-m", "bench.fake_proc", "--port", "0"]
    for r in rate_limits:
        args += ["--rate-limit", r]
    for g in usergroups:
        args += ["--usergroup", g]
    p = _spawn("fake", args, workdir, _env())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for line in p.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                p.info = json.loads(line)
                return p
        if not p.alive():
            break
        time.sleep(0.05)
    p.stop()
    raise RuntimeError(f"fake Slack did not start:\n{p.tail()}")


STATS_FILE = "serve.stats.json"


def read_stats(workdir: Path) -> dict[str, Any] | None:
    """The serve process's latest statement / transaction / CPU counts by layer (bench/layers.py), if any."""
    import json

    time.sleep(0.3)  # one more write of the file, so the counts cover what just happened
    try:
        return dict(json.loads((workdir / STATS_FILE).read_text()))
    except (OSError, ValueError):
        return None


def per_input(before: dict[str, Any], after: dict[str, Any], inputs: int) -> dict[str, Any]:
    """Statements, transactions and loop CPU ms per acknowledged input, by layer and in total."""
    n = max(1, inputs)
    out: dict[str, Any] = {}
    total = {"statements": 0.0, "transactions": 0.0, "cpu_s": 0.0}
    for name, now in after["layers"].items():
        was = before["layers"].get(name, {})
        d = {k: now[k] - was.get(k, 0) for k in total}
        for k in total:
            total[k] += d[k]
        out[name] = {"statements": round(d["statements"] / n, 2), "transactions": round(d["transactions"] / n, 2),
                     "loop_cpu_ms": round(1000 * d["cpu_s"] / n, 3)}
    out["total"] = {"statements": round(total["statements"] / n, 2),
                    "transactions": round(total["transactions"] / n, 2),
                    "loop_cpu_ms": round(1000 * total["cpu_s"] / n, 3),
                    "process_cpu_ms": round(1000 * (after["process_cpu_s"] - before["process_cpu_s"]) / n, 3)}
    return out


def serve_env(api_url: str, db_url: str, lag_file: Path, **settings: Any) -> dict[str, str]:
    """What `cna serve --http` reads, plus CNA_* overrides such as CNA_POST_PER_MINUTE=..."""
    env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "CNA_DATABASE_URL": db_url,
           "CNA_SLACK_API_URL": api_url, "CNA_LEADS": LEAD, "CNA_BENCH_LAG_FILE": str(lag_file),
           "CNA_BENCH_STATS": str(lag_file.parent / STATS_FILE)}
    env.update({f"CNA_{k.upper()}": str(v) for k, v in settings.items()})
    return env


def start_serve(workdir: Path, port: int, env: dict[str, str], *, name: str = "serve",
                engine_wait: float = 60.0) -> Proc:
    """`cna serve --http` (through bench.serve_probe, which adds only the loop-lag probe); waits for /healthz,
    then (up to `engine_wait` s) for the engine's second process, so a run measures the steady state."""
    args = [sys.executable, "-m", "bench.serve_probe", "--http", "--host", "127.0.0.1", "--port", str(port)]
    p = _spawn(name, args, workdir, _env(env))
    p.info["startup_s"] = wait_healthy(p, port)
    p.info["engine_ready_s"] = wait_engine(p, port, engine_wait) if engine_wait else None
    return p


def wait_engine(p: Proc, port: int, timeout: float) -> float | None:
    """Seconds until /healthz says the engine process is ready (X-CNA-Engine), or None when there is none."""
    started = time.monotonic()
    while time.monotonic() - started < timeout and p.alive():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                state = r.headers.get("X-CNA-Engine")
        except OSError:
            state = "starting"
        if state != "starting":
            return None if state in (None, "off") else time.monotonic() - started
        time.sleep(0.05)
    return None


def children_of(pid: int) -> list[int]:
    """Direct child processes of `pid` (from /proc/*/stat's parent field)."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(d.name))
            except (OSError, IndexError, ValueError):
                continue
    return out


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _memory_of(pid: int, prefix: str) -> dict[str, float]:
    out: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[prefix + ("rss_mb" if line.startswith("VmRSS") else "peak_rss_mb")] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return out


def start_bare(workdir: Path, port: int, env: dict[str, str]) -> Proc:
    p = _spawn("bare_bolt", [sys.executable, "-m", "bench.bare_bolt", "--port", str(port)], workdir, _env(env))
    wait_healthy(p, port)
    return p


def wait_healthy(p: Proc, port: int, timeout: float = 60.0) -> float:
    """Seconds until GET /healthz answers 200; raises with the log's tail if the process dies first."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if not p.alive():
            raise RuntimeError(f"{p.name} exited with {p.popen.returncode}:\n{p.tail()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.05)
    p.kill9()
    raise RuntimeError(f"{p.name} did not become healthy in {timeout} s:\n{p.tail()}")


def start_py_spy(target: Proc, out: Path) -> subprocess.Popen[bytes] | None:
    """Sample the target with py-spy (collapsed stacks to `out`), or None when py-spy is not installed."""
    exe = Path(sys.executable).parent / "py-spy"
    if not exe.exists():
        return None
    # CNA_BENCH_PYSPY_ARGS adds py-spy options, e.g. "--gil" (only the thread holding the GIL) or "--threads".
    extra = os.environ.get("CNA_BENCH_PYSPY_ARGS", "").split()
    return subprocess.Popen([str(exe), "record", "--pid", str(target.pid), "--rate", "200", "--format", "raw",
                             "--output", str(out), "--nonblocking", *extra], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def stop_py_spy(spy: subprocess.Popen[bytes]) -> None:
    spy.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
    try:
        spy.wait(30)
    except subprocess.TimeoutExpired:
        spy.kill()


def api(fake: Proc, method: str, **args: Any) -> dict[str, Any]:
    """Call the fake's Web API (bench.* methods included) synchronously."""
    req = urllib.request.Request(fake.info["api_url"] + method, data=json.dumps(args).encode(),
                                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return dict(json.loads(r.read()))


def machine() -> dict[str, Any]:
    """CPU model, cores, memory, OS, Python and the date, for the results' header."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem, 1), "os": platform.platform(),
            "python": platform.python_version(), "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": _git("rev-parse", "--short", "HEAD"),
            "dirty": bool(_git("status", "--porcelain", "--", "bot", "core", "storage"))}


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
