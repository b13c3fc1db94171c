"""Customer sampling end to end through the real `cna`: import, draw, invite, call list, assisted interview,
status per stratum, erasure and top-up."""

from __future__ import annotations

import csv
import io
import json
import shlex
import sqlite3


def rows(cna, sql):
    with sqlite3.connect(cna.db_url.removeprefix("sqlite:///")) as c:
        return c.execute(sql).fetchall()


def customer_csv(tmp_path, n=60):
    lines = ["客户编号,公司名称,联系人,客户类型,地区,Slack"]
    segs = ["现有客户", "现有客户", "流失客户", "潜在客户"]
    for i in range(1, n + 1):
        slack = f"U{9000 + i:07d}" if i % 2 == 0 else ""
        lines.append(f"C-{i:03d},公司{i},联系人{i},{segs[i % 4]},{'华北' if i % 3 else '华南'},{slack}")
    f = tmp_path / "customers.csv"
    f.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    return f


def test_import_refuses_bad_rows_with_row_and_column(cna, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("Kundennummer;Kundentyp;Gebiet\nK1;Bestand;Nord\nK2;Gold;Süd\n", encoding="utf-8-sig")
    out = cna("customers", "import", str(f), "--map", "segment=Kundentyp,key=Kundennummer", db=True)
    assert out.returncode == 1
    assert "row 2, column 'Kundentyp': segment 'Bestand' is not current, past or prospective" in out.stderr
    assert "row 3, column 'Kundentyp': segment 'Gold'" in out.stderr
    assert "2 problem(s); nothing was imported" in out.stderr and "Traceback" not in out.stderr
    ok = cna("customers", "import", str(f), "--map", "segment=Kundentyp,key=Kundennummer",
             "--segment-values", "Bestand=current,Gold=current")
    assert ok.returncode == 0, ok.stderr
    assert "Imported 2 customer(s) (2 current)" in ok.stdout and "attributes: gebiet" in ok.stdout
    other = tmp_path / "other.csv"
    other.write_text("Nr;Art\n1;current\n", encoding="utf-8")
    missing = cna("customers", "import", str(other))
    assert missing.returncode == 1 and "no column for the customer key and segment" in missing.stderr
    assert "--map key=<column>" in missing.stderr


def test_draw_invite_call_status_erase_top_up(cna, tmp_path):
    assert cna("assessment", "create", "--name", "CRM 2026").returncode == 0
    imp = cna("customers", "import", str(customer_csv(tmp_path)))
    assert imp.returncode == 0, imp.stderr
    assert "Imported 60 customer(s) (30 current, 15 past, 15 prospective)" in imp.stdout
    listed = cna("customers", "list")
    assert "联系人" not in listed.stdout and "60 customer(s)" in listed.stdout  # names only with --contacts

    first = cna("sample", "draw", "--round", "1", "--by", "segment,地区", "--share", "25%", "--seed", "s1")
    assert first.returncode == 0, first.stderr
    assert "total" in first.stdout and "seed s1" in first.stdout
    drawn1 = rows(cna, "select customer_id, stratum, probability from sample_members order by customer_id")
    again = cna("sample", "draw", "--round", "1", "--by", "segment,地区", "--share", "25%", "--seed", "s1",
                "--replace")
    assert again.returncode == 0 and again.stdout == first.stdout
    assert rows(cna, "select customer_id, stratum, probability from sample_members order by customer_id") == drawn1
    assert len(drawn1) == 15
    twice = cna("sample", "draw", "--round", "1", "--share", "10%")
    assert twice.returncode == 1 and "already has a sample" in twice.stderr

    inv = cna("sample", "invite", "--round", "1")
    assert inv.returncode == 0, inv.stderr
    n_slack = len(rows(cna, "select 1 from sample_members m join customer_contacts k on k.customer_id = "
                            "m.customer_id where k.slack_user_id is not null"))
    assert f"{n_slack} invited in Slack" in inv.stdout
    assert len(rows(cna, "select 1 from outbox where key like 'invite:%'")) == n_slack
    assert len(rows(cna, "select 1 from interviews where status = 'invited'")) == n_slack

    calls = cna("sample", "calls", "--round", "1")
    call_rows = list(csv.DictReader(io.StringIO(calls.stdout)))
    assert len(call_rows) == 15 - n_slack and all(r["command"].startswith("cna try") or " try " in r["command"]
                                                   for r in call_rows)
    # The call list's command runs the assisted interview pre-filled; it counts for the sample.
    cmd = shlex.split(call_rows[0]["command"])
    assisted = cna(*cmd[cmd.index("try"):], input="yes\nLower price.\npause\n")
    assert assisted.returncode == 0, assisted.stderr
    assert "Suggested follow-up" in assisted.stdout  # the assisted mode
    # Or by key alone: participant and script come from the sample.
    by_key = cna("try", "--customer", call_rows[2]["key"], input="yes\npause\n")
    assert by_key.returncode == 0, by_key.stderr
    assert f"--participant '{call_rows[2]['organisation']} / {call_rows[2]['contact']}'" in by_key.stdout
    status = json.loads(cna("sample", "status", "--round", "1", "--json").stdout)
    total = status[-1]
    assert (total["drawn"], total["invited"], total["started"]) == (15, n_slack + 2, 2)
    mine = next(s for s in status if s["stratum"] == call_rows[0]["stratum"])
    assert mine["started"] == 1

    # Someone invited over Slack is erased, someone on the call list too: both are replaced, never re-drawn.
    pseud = rows(cna, "select p.pseudonym from participants p join sample_members m on m.participant_id = p.id "
                      "join interviews i on i.id = m.interview_id where i.mode = 'slack' limit 1")[0][0]
    assert cna("privacy", "erase", "--participant", pseud, "--yes").returncode == 0
    gone_key = call_rows[1]["key"]
    erased = cna("customers", "erase", gone_key, "--yes")
    assert erased.returncode == 0 and "Erased customer" in erased.stdout
    assert rows(cna, f"select count(*) from customer_contacts where key = '{gone_key}'") == [(0,)]
    before = {c for (c,) in rows(cna, "select customer_id from sample_members")}
    status = json.loads(cna("sample", "status", "--round", "1", "--json").stdout)
    assert status[-1]["erased"] == 2
    top = cna("sample", "top-up", "--round", "1")
    assert top.returncode == 0, top.stderr
    after = rows(cna, "select customer_id, draw_no from sample_members")
    new = {c for c, no in after if no == 1}
    assert len(new) == 2 and not new & before
    assert len({c for c, _ in after}) == len(after)
    again = cna("sample", "top-up", "--round", "1")
    assert "at its target" in again.stdout
    # An erased customer stays out of the list even when the CRM export still has them.
    re_imp = cna("customers", "import", str(customer_csv(tmp_path)))
    assert "2 erased customer(s) not re-imported" in re_imp.stdout  # the Slack one via its participant


def test_neyman_needs_a_numeric_column(cna, tmp_path):
    f = tmp_path / "l.csv"
    f.write_text("key;segment;revenue\n" + "".join(f"K{i};{'current' if i % 2 else 'past'};{i * (i % 2 * 9 + 1)}\n"
                                                   for i in range(40)), encoding="utf-8")
    cna("assessment", "create", "--name", "x")
    cna("customers", "import", str(f))
    bad = cna("sample", "draw", "--round", "1", "--size", "10", "--allocation", "neyman")
    assert bad.returncode == 1 and "--neyman-by" in bad.stderr
    ok = cna("sample", "draw", "--round", "1", "--size", "10", "--allocation", "neyman", "--neyman-by", "revenue",
             "--seed", "x")
    assert ok.returncode == 0, ok.stderr
    # 'current' revenue varies far more, so it gets most of the sample.
    plan = dict(rows(cna, "select stratum, count(*) from sample_members group by stratum"))
    assert plan["current"] > plan["past"] and sum(plan.values()) == 10
    nocol = cna("sample", "draw", "--round", "1", "--by", "region", "--size", "5", "--replace")
    assert nocol.returncode == 1 and "no such column" in nocol.stderr and "segment, revenue" in nocol.stderr


def test_import_asks_for_missing_columns_in_a_terminal(cna, tmp_path):
    """Only on a terminal: the command asks which column holds the key and the segment."""
    import os
    import pty
    import select
    import subprocess
    import sys

    f = tmp_path / "odd.csv"
    f.write_text("Nr;Art;Ort\n1;current;Nord\n2;past;Süd\n", encoding="utf-8")
    master, slave = pty.openpty()
    env = {**os.environ, "CNA_DATABASE_URL": cna.db_url, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "customers", "import", str(f)], cwd=cna.cwd,
                            stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    seen = b""

    def until(text: bytes) -> None:
        nonlocal seen
        while text not in seen:
            ready, _, _ = select.select([master], [], [], 60)
            assert ready, f"no {text!r} in {seen!r}"
            seen += os.read(master, 4096)

    until(b"holds the customer key?")
    os.write(master, b"Nr\n")
    until(b"holds the customer segment?")
    os.write(master, b"7\n")  # not a column: asked again
    until(b"is not one of the columns")
    os.write(master, b"2\n")
    assert proc.wait(timeout=120) == 0
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 1)
            if not ready:
                break
            seen += os.read(master, 4096)
    except OSError:
        pass
    os.close(master)
    assert b"Imported 2 customer(s) (1 current, 1 past)" in seen and b"attributes: ort" in seen
