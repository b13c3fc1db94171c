"""Targets checked against a run's results, and the Markdown summary written beside the JSON."""

from __future__ import annotations

from typing import Any

# Issue 20's targets (the earlier ones: 0.7x, ack p99 < 100 ms, kickoff <= 1.1x, RSS < 250 MB).
RATIO_MIN = 0.3
ACK_P99_MS = 50.0
REPLY_P99_MS = 500.0
KICKOFF_MAX = 1.05
RSS_MAX_MB = 250.0
WORKER_CPU_MS = 2.0
STATEMENTS_MAX = 3.0


def targets(runs: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target: what was measured, the bound, and whether it was met (None when the run was skipped)."""
    out: list[dict[str, Any]] = []

    def add(name: str, value: Any, bound: str, met: bool | None) -> None:
        out.append({"target": name, "value": value, "bound": bound, "met": met})

    cna, bare = runs.get("throughput_cna"), runs.get("throughput_bare")
    if cna and bare:
        ratio = round(cna.get("median_inputs_per_s", cna["inputs_per_s"]) /
                      max(1e-9, bare.get("median_inputs_per_s", bare["inputs_per_s"])), 3)
        add("throughput vs bare Bolt (medians)", ratio, f">= {RATIO_MIN}x", ratio >= RATIO_MIN)
        per = cna.get("per_input") or {}
        if per:
            w = per.get("worker", {})
            add("worker loop CPU ms per input", w.get("loop_cpu_ms"), f"<= {WORKER_CPU_MS}",
                w.get("loop_cpu_ms") is not None and w["loop_cpu_ms"] <= WORKER_CPU_MS)
            st = per["total"]["statements"]
            add("SQL statements per input (all layers)", st, f"<= {STATEMENTS_MAX}", st <= STATEMENTS_MAX)
        fixed = runs.get("throughput_cna_fixes")
        if fixed:
            ratio = round(fixed["inputs_per_s"] / max(1e-9, bare["inputs_per_s"]), 3)
            add("throughput vs bare Bolt (proposed fixes)", ratio, f">= {RATIO_MIN}x", ratio >= RATIO_MIN)
    for key in ("rate_cna", "rate_cna_postgres", "rate_cna_fixes"):
        r = runs.get(key)
        if r and "ack_ms" in r:
            p99 = r["ack_ms"]["p99"]
            label = r["backend"] + (", proposed fixes" if key.endswith("fixes") else "")
            add(f"ack p99 at {r.get('rate_target')}/s ({label})", p99, f"< {ACK_P99_MS:.0f} ms",
                p99 is not None and p99 < ACK_P99_MS)
            rp99 = (r.get("reply_ms") or {}).get("p99")
            add(f"reply p99 at {r.get('rate_target')}/s ({label})", rp99, f"< {REPLY_P99_MS:.0f} ms",
                rp99 is not None and rp99 < REPLY_P99_MS)
    acct = [(k, r["accounting"]) for k, r in runs.items() if isinstance(r, dict) and "accounting" in r]
    if acct:
        lost = sum(a["answers_lost"] + a.get("messages_lost", 0) + a.get("messages_unsent", 0) for _, a in acct)
        dup = sum(a["answers_duplicated"] + a.get("messages_duplicated", 0) for _, a in acct)
        add("lost (answers + messages, all cna runs)", lost, "0", lost == 0)
        add("duplicated (answers + messages, all cna runs)", dup, "0", dup == 0)
    k = runs.get("kickoff")
    if k:
        add(f"kickoff of {k['people']} vs rate-limit minimum", k["ratio"], f"<= {KICKOFF_MAX}x",
            k["ratio"] <= KICKOFF_MAX and k["ok"])
    m = runs.get("memory_10k")
    if m:
        add(f"RSS with {m['seeded_interviews']:,} open interviews", m["peak_rss_mb"], f"< {RSS_MAX_MB:.0f} MB",
            m["peak_rss_mb"] < RSS_MAX_MB)
    for key in ("crash", "crash_postgres"):
        c = runs.get(key)
        if not c:
            continue
        a = c["accounting"]
        add(f"{key.replace('_', ' on ')}: {len(c['kills'])} kill -9s, lost / duplicated",
            f"{a['answers_lost'] + a.get('messages_lost', 0)} / "
            f"{a['answers_duplicated'] + a.get('messages_duplicated', 0)}", "0 / 0", c["ok"])
    return out


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, list):
        return " / ".join(_fmt(x) for x in v)
    if isinstance(v, float):
        return f"{v:,.1f}" if abs(v) >= 10 else f"{v:.2f}"
    return str(v)


LOAD_ROWS = [
    ("inputs/s (end to end)", "inputs_per_s"), ("answers/s", "answers_per_s"), ("acks/s", "acks_per_s"),
    ("inputs acked", "inputs_acked"), ("answers sent", "answers_sent"), ("clicks", "clicks"),
    ("replies received", "replies_received"), ("elapsed s", "elapsed_s"), ("drain s after last ack", "drain_s"),
    ("ack p50 ms", ("ack_ms", "p50")), ("ack p95 ms", ("ack_ms", "p95")), ("ack p99 ms", ("ack_ms", "p99")),
    ("ack max ms", ("ack_ms", "max")), ("open-loop p99 ms", ("open_loop_ms", "p99")),
    ("reply p50 ms (event sent -> reply posted)", ("reply_ms", "p50")), ("reply p99 ms", ("reply_ms", "p99")),
    ("repeats (inputs/s)", "repeats"),
    ("SQL statements per input", ("per_input", "total", "statements")),
    ("transactions per input", ("per_input", "total", "transactions")),
    ("loop CPU ms per input: ingress", ("per_input", "ingress", "loop_cpu_ms")),
    ("loop CPU ms per input: worker", ("per_input", "worker", "loop_cpu_ms")),
    ("loop CPU ms per input: sender", ("per_input", "sender", "loop_cpu_ms")),
    ("loop CPU ms per input: io callbacks", ("per_input", "io", "loop_cpu_ms")),
    ("statements per input: ingress / worker / sender", [("per_input", "ingress", "statements"),
                                                         ("per_input", "worker", "statements"),
                                                         ("per_input", "sender", "statements")]),
    ("loop lag p50 ms", ("lag_ms", "p50")), ("loop lag p99 ms", ("lag_ms", "p99")),
    ("loop lag max ms", ("lag_ms", "max")), ("CPU ms per input", "cpu_ms_per_input"),
    ("peak RSS MB", "peak_rss_mb"), ("load average before / after", "loadavg"),
    ("answers lost", ("accounting", "answers_lost")),
    ("answers duplicated", ("accounting", "answers_duplicated")),
    ("messages lost", ("accounting", "messages_lost")), ("messages duplicated", ("accounting", "messages_duplicated")),
]


def _get(r: dict[str, Any], key: Any) -> Any:
    if isinstance(key, list):
        return [_get(r, k) for k in key]
    if isinstance(key, tuple):
        v: Any = r
        for k in key:
            v = v.get(k) if isinstance(v, dict) else None
        return v
    return r.get(key)


def markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [f"# Slack bot benchmark ({result['mode']})", "",
             f"{m['date']} · {m['cpu']} · {m['cores']} cores · {m['memory_gib']} GiB · Python {m['python']} · "
             f"{m['os']} · commit {m.get('commit') or '?'}{' (bot/core/storage modified)' if m.get('dirty') else ''} · "
             f"{result['seconds']} s", "",
             "All processes on 127.0.0.1: the fake Slack, the service under test and the driver share the cores. "
             "Capacity runs lift Slack's posting caps (CNA_POST_PER_MINUTE, CNA_PER_CHANNEL_INTERVAL) so they "
             "measure the bot, not Slack; the kickoff run measures the bot against them.", "",
             "## Targets", "", "| target | measured | bound | met |", "|---|---|---|---|"]
    for t in result["targets"]:
        met = "yes" if t["met"] else ("–" if t["met"] is None else "**no**")
        lines.append(f"| {t['target']} | {_fmt(t['value'])} | {t['bound']} | {met} |")
    runs = result["runs"]
    load = [(k, r) for k, r in runs.items() if isinstance(r, dict) and "inputs_per_s" in r]
    if load:
        lines += ["", "## Load runs", "", "| | " + " | ".join(k for k, _ in load) + " |",
                  "|---" * (len(load) + 1) + "|"]
        lines.append("| target / backend / mode | " + " | ".join(
            f"{r['target']} / {r['backend']} / {r['mode']} ({r['people']})" for _, r in load) + " |")
        for label, key in LOAD_ROWS:
            lines.append(f"| {label} | " + " | ".join(_fmt(_get(r, key)) for _, r in load) + " |")
        reps = [(k, r["repeats"]) for k, r in load if "repeats" in r and len(r["repeats"]) > 1]
        for k, vals in reps:
            lines.append(f"\n{k}: inputs/s over {len(vals)} repeats {vals} (the median run is shown).")
        pairs = runs.get("throughput_cna", {}).get("pair_ratios")
        if pairs:
            lines.append(f"\ncna / bare Bolt per alternating pair: {pairs}.")
    k = runs.get("kickoff")
    if k:
        lines += ["", "## Kickoff", "",
                  f"`/cna invite` to {k['people']:,} people, CNA_POST_PER_MINUTE={k['post_per_minute']}, the fake "
                  f"answering every {k['fake_rate_limit']['every_n']}th chat.postMessage with 429 Retry-After "
                  f"{k['fake_rate_limit']['retry_after']}: {k['invitations_delivered']:,} delivered "
                  f"({k['duplicated']} twice) in {k['seconds']} s from the command's ack (first DM after "
                  f"{k['first_post_after_s']} s); the limits allow {k['min_seconds']} s at best: "
                  f"**{k['ratio']}x**. {k['ratelimited']} calls were refused with 429, "
                  f"{k['retry_after_violations']} came inside a Retry-After window."]
    c = runs.get("crash")
    if c:
        a = c["accounting"]
        lines += ["", "## Crash", "",
                  f"{c['people']} respondents, kill -9 at {[x['at_s'] for x in c['kills']]} s, each restarted: "
                  f"{a['inputs_acked']} inputs acked, {a['answers_stored']}/{a['answers_expected']} answers stored, "
                  f"{a['answers_lost']} lost, {a['answers_duplicated']} duplicated; "
                  f"{a.get('messages_delivered')} DMs for {a.get('messages_queued')} queued, "
                  f"{a.get('messages_lost')} lost, {a.get('messages_duplicated')} duplicated; "
                  f"{c['retried_deliveries']} deliveries retried by the driver. ok={c['ok']}"]
    return "\n".join(lines) + "\n"
