"""Every figure of the report, recomputed here with plain SQL, on several data sets: the demo, generated rounds
with anonymous answers, partial reviews, mixed languages, closed questions and unscored opportunities, and a
round nobody has reviewed. Then every number the report repeats is checked to be the same wherever it appears."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from core.access import Reviewer
from reports.model import build_report
from reports.render import render
from storage.models import Assessment
from storage.uow import Database
from tests.integration.analysis_world import generate

# --- the figures, in plain SQL -------------------------------------------------------------------------------

BASE = """
WITH RECURSIVE vis AS (SELECT * FROM answers WHERE assessment_id = :r AND superseded = 0
                       AND (department IS NULL OR department = '')),
grp(g) AS (SELECT 'internal' UNION SELECT 'customer'),
eff AS (SELECT c.answer_id, c.code_id FROM codings c JOIN vis ON vis.id = c.answer_id
        WHERE c.source = 'human' AND c.status = 'applied'
        UNION
        SELECT c.answer_id, c.code_id FROM codings c JOIN vis ON vis.id = c.answer_id
        WHERE c.source = 'auto' AND c.confidence >= 0.5 AND NOT EXISTS (
          SELECT 1 FROM codings h WHERE h.answer_id = c.answer_id AND h.code_id = c.code_id AND h.source = 'human'
          AND h.status = 'rejected')),
hints AS (SELECT sv.id AS sv_id, json_extract(q.value, '$.id') AS qid, h.value AS hint
          FROM script_versions sv, json_each(sv.body, '$.questions') q, json_each(json_extract(q.value, '$.codes')) h),
lineage(code, anc) AS (SELECT id, id FROM codes WHERE merged_into IS NULL
                       UNION ALL SELECT l.code, c.parent_id FROM lineage l JOIN codes c ON c.id = l.anc
                       WHERE c.parent_id IS NOT NULL),
asked AS (SELECT DISTINCT i.participant_id AS pid, substr(vis.segment, 1, instr(vis.segment, ':') - 1) AS g,
                 l.code AS topic
          FROM vis JOIN interviews i ON i.id = vis.interview_id
          JOIN hints ON hints.sv_id = i.script_version_id AND hints.qid = vis.question_id
          JOIN lineage l ON l.anc = hints.hint WHERE vis.anonymous = 0),
raised AS (SELECT DISTINCT i.participant_id AS pid, substr(vis.segment, 1, instr(vis.segment, ':') - 1) AS g,
                  eff.code_id AS topic
           FROM eff JOIN vis ON vis.id = eff.answer_id JOIN interviews i ON i.id = vis.interview_id
           WHERE vis.anonymous = 0),
book AS (SELECT id FROM codes WHERE kind = 'code'),
finished AS (SELECT DISTINCT c.answer_id FROM codings c JOIN vis ON vis.id = c.answer_id
             WHERE c.source = 'human' AND c.code_id IN (SELECT id FROM book)
             AND NOT EXISTS (SELECT 1 FROM codings a WHERE a.answer_id = c.answer_id AND a.source = 'auto'
                             AND a.confidence >= 0.5 AND a.code_id IN (SELECT id FROM book)
                             AND NOT EXISTS (SELECT 1 FROM codings h WHERE h.answer_id = a.answer_id
                                             AND h.code_id = a.code_id AND h.source = 'human'))),
auto_y AS (SELECT answer_id, code_id FROM codings WHERE source = 'auto' AND confidence >= 0.5
           AND code_id IN (SELECT id FROM book) AND answer_id IN (SELECT answer_id FROM finished)),
human_y AS (SELECT answer_id, code_id FROM codings WHERE source = 'human' AND status = 'applied'
            AND code_id IN (SELECT id FROM book) AND answer_id IN (SELECT answer_id FROM finished))
"""


async def sql(db: Database, query: str, **params: Any) -> list[tuple[Any, ...]]:
    async with db.engine.connect() as conn:
        return [tuple(r) for r in (await conn.execute(text(BASE + query), params)).all()]


def points(k: int, n: int) -> int:
    return int(100 * k / n + 0.5)


def share(k: int, n: int) -> str:
    return f"{points(k, n)}% ({k} of {n})" + (" †" if n < 5 else "")


def kappa(a: int, b: int, c: int, d: int) -> float | None:
    n = a + b + c + d
    if not n:
        return None
    po, p_auto, p_human = (a + d) / n, (a + b) / n, (a + c) / n
    pe = p_auto * p_human + (1 - p_auto) * (1 - p_human)
    return None if pe >= 1 - 1e-12 else (po - pe) / (1 - pe)


async def expected_topics(db: Database, r: int) -> dict[str, dict[str, tuple[int, int]]]:
    """topic -> group -> (raised among asked, asked)."""
    rows = await sql(db, """
        SELECT a.topic, a.g, count(DISTINCT a.pid),
               count(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM raised x WHERE x.pid = a.pid AND x.topic = a.topic)
                                   THEN a.pid END)
        FROM asked a GROUP BY a.topic, a.g""", r=r)
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for topic, g, n, k in rows:
        out.setdefault(topic, {})[g] = (k, n)
    return out


async def check_round(db: Database, r: int) -> dict[str, Any]:
    """Every figure of the English report of round r against SQL; returns the report's context."""
    async with db.uow() as uow:
        ctx = await build_report(uow.session, r, "en", Reviewer(), date(2026, 9, 15))
    md = render(ctx, "md")
    assert not (await sql(db, "SELECT id FROM codes WHERE merged_into IS NOT NULL", r=r)), "no merges in these sets"

    # people: distinct participants; anonymous answers apart, never people
    people = dict(await sql(db, """SELECT substr(vis.segment, 1, instr(vis.segment, ':') - 1),
                                          count(DISTINCT i.participant_id)
                                   FROM vis JOIN interviews i ON i.id = vis.interview_id WHERE vis.anonymous = 0
                                   GROUP BY 1""", r=r))
    anonymous = (await sql(db, "SELECT count(DISTINCT ladder_key) FROM vis WHERE anonymous = 1", r=r))[0][0]
    s = ctx["summary"]
    assert (s["staff"], s["customers"]) == (people.get("internal", 0), people.get("customer", 0))
    assert s["respondents"] == sum(people.values())
    sample = dict(ctx["method"]["sample"])
    assert sample["Respondents (people)"] == f"{s['staff']} Staff · {s['customers']} Customers"
    assert sample["Anonymous answers"].startswith(f"{anonymous} ")

    # the gap: only topics asked of both sides, each side's base the people asked
    topics = await expected_topics(db, r)
    both = {t: g for t, g in topics.items() if "internal" in g and "customer" in g
            and (g["internal"][0] or g["customer"][0])}
    gap = ctx["gap"]
    if s["staff"] and s["customers"]:
        def gap_of(t: str) -> int:
            return points(*both[t]["internal"]) - points(*both[t]["customer"])

        want = sorted(both, key=lambda t: (-abs(gap_of(t)), t))[:12]
        assert [row["code"] for row in gap["table"]] == want
        for row in gap["table"]:
            assert row["internal"]["share"] == share(*both[row["code"]]["internal"])
            assert row["customer"]["share"] == share(*both[row["code"]]["customer"])
            assert row["gap"] == f"{gap_of(row['code']):+d}"
        for row in gap["internal_only"]:
            assert "customer" not in topics.get(row["code"], {}) and row["customer"]["share"] == "not asked"
        # findings rest on at least five people asked on each side, and quote the gap table's own figures
        shown = {r["label"]: r for r in gap["table"]}
        for f in s["findings"]:
            for theme, first, second in re.findall(r"“(.+?)”.*?: (\d+% \(\d+ of \d+\)).*?(\d+% \(\d+ of \d+\))", f):
                row = shown[theme]
                assert {first, second} == {row["internal"]["share"], row["customer"]["share"]}
                assert all(int(n) >= 5 for n in re.findall(r"of (\d+)\)", first + second)), f

    # agreement: kappa per code over finished answers, from the 2x2 counts
    finished = (await sql(db, "SELECT count(*) FROM finished", r=r))[0][0]
    tables = {code: (a, b, c) for code, a, b, c in await sql(db, """
        SELECT u.code_id,
               (SELECT count(*) FROM auto_y x JOIN human_y y USING (answer_id, code_id) WHERE x.code_id = u.code_id),
               (SELECT count(*) FROM auto_y x WHERE x.code_id = u.code_id AND NOT EXISTS (
                  SELECT 1 FROM human_y y WHERE y.answer_id = x.answer_id AND y.code_id = x.code_id)),
               (SELECT count(*) FROM human_y y WHERE y.code_id = u.code_id AND NOT EXISTS (
                  SELECT 1 FROM auto_y x WHERE x.answer_id = y.answer_id AND x.code_id = y.code_id))
        FROM (SELECT code_id FROM auto_y UNION SELECT code_id FROM human_y) u""", r=r)}
    agree = ctx["agreement"]
    assert agree["answers"] == finished
    pooled = [sum(v[i] for v in tables.values()) for i in range(3)]
    pooled.append(finished * len(tables) - sum(pooled))
    if finished >= 20 and (k := kappa(*pooled)) is not None:
        assert agree["status"] == "ok" and agree["pooled"] == f"{k:.2f}"
        assert any(agree["pooled"] in f for f in s["findings"])
    else:
        assert agree["status"] != "ok" and agree["pooled"] == "–"
        assert "not enough reviewed answers" in md.lower() or "Not enough reviewed answers" in md
    by_label = {row["label"]: row for row in agree["rows"]}
    async with db.uow() as uow:
        labels = dict((await uow.session.execute(text("SELECT id, label_en FROM codes"))).all())
    for code, (a, b, c) in tables.items():
        row = by_label[labels[code]]
        assert (row["both"], row["auto_only"], row["human_only"]) == (a, b, c)
        value = kappa(a, b, c, finished - a - b - c)
        if finished >= 20 and a + b + c >= 5 and value is not None:
            assert row["kappa"] == f"{value:.2f}"
        else:
            assert row["kappa"] == "–"

    # the Method section states what happened
    cov = (await sql(db, """
        SELECT (SELECT count(*) FROM vis WHERE choice_values = '[]'),
               (SELECT count(*) FROM vis WHERE choice_values = '[]' AND EXISTS (
                  SELECT 1 FROM codings h WHERE h.answer_id = vis.id AND h.source = 'human')),
               (SELECT count(DISTINCT h.coder) FROM codings h JOIN vis ON vis.id = h.answer_id
                  WHERE h.source = 'human'),
               (SELECT count(*) FROM codings a JOIN vis ON vis.id = a.answer_id WHERE a.source = 'auto'
                  AND a.confidence >= 0.5),
               (SELECT count(*) FROM codings a JOIN vis ON vis.id = a.answer_id JOIN codings h
                  ON h.answer_id = a.answer_id AND h.code_id = a.code_id AND h.source = 'human'
                  WHERE a.source = 'auto' AND a.confidence >= 0.5 AND h.status = 'applied'),
               (SELECT count(*) FROM codings a JOIN vis ON vis.id = a.answer_id JOIN codings h
                  ON h.answer_id = a.answer_id AND h.code_id = a.code_id AND h.source = 'human'
                  WHERE a.source = 'auto' AND a.confidence >= 0.5 AND h.status = 'rejected')""", r=r))[0]
    open_, reviewed, reviewers, proposals, accepted, rejected = cov
    if reviewed:
        assert (f"{reviewed} of {open_} free-text answers were reviewed by {reviewers} reviewer(s): of {proposals} "
                f"automatic proposals, {accepted} were accepted, {rejected} rejected and "
                f"{proposals - accepted - rejected} not yet reviewed") in ctx["method"]["text"]
    else:
        assert "No answer has been reviewed by a person yet" in ctx["method"]["text"]
    assert "reviewed by the CNA lead" not in md

    # closed questions: people per option and group, NPS the standard way
    closed = {q["id"]: q for q in ctx["closed"]}
    rows = await sql(db, """
        SELECT vis.question_id, substr(vis.segment, 1, instr(vis.segment, ':') - 1), count(*),
               sum(CAST(json_extract(vis.choice_values, '$[0]') AS INTEGER) >= 9),
               sum(CAST(json_extract(vis.choice_values, '$[0]') AS INTEGER) <= 6)
        FROM vis WHERE vis.step = 0 AND vis.choice_values != '[]' GROUP BY 1, 2""", r=r)
    for qid, g, n, promoters, detractors in rows:
        label = "Staff" if g == "internal" else "Customers"
        q = closed[qid]
        cols = [c["label"] for c in q["columns"]]
        if label in cols:
            assert q["columns"][cols.index(label)]["n"] == n
        if qid == "nps":
            score = points(promoters, n) - points(detractors, n)
            nps = {x["key"]: x for x in q["nps"]}
            if g in nps:
                assert nps[g]["score"] == f"{score:+d}" and nps[g]["n"] == n
    for q in ctx["paired"]:
        n_int, n_cus = q["paired_n"]["internal"], q["paired_n"]["customer"]
        for r_ in q["paired"]:
            assert r_["internal"].endswith(f"of {n_int})") or r_["internal"].endswith(f"of {n_int}) †")
            assert r_["customer"].endswith(f"of {n_cus})") or r_["customer"].endswith(f"of {n_cus}) †")

    # opportunities: unscored ones are candidates; the short list is the best scored, within the limit
    weights = {"benefit": 3, "cost": 2, "strategic_fit": 2, "culture_change": 1, "unit_support": 1.5,
               "competitive_position": 1}
    async with db.uow() as uow:
        a = await uow.session.get(Assessment, r)
        limit = int((a.settings or {}).get("shortlist_limit", 7))
        opps = (await uow.session.execute(text(
            "SELECT title, scores, shortlisted FROM opportunities WHERE assessment_id = :r"), {"r": r})).all()
    def score(sc: dict[str, int]) -> float:
        total = sum(weights.values())
        return round(100 * sum(w * ((6 - sc[c] if c in ("cost", "culture_change") else sc[c]) - 1) / 4
                               for c, w in weights.items()) / total, 1)

    parsed = [(t, json.loads(sc) if isinstance(sc, str) else sc, bool(flag)) for t, sc, flag in opps]
    full = sorted(((t, score(sc)) for t, sc, flag in parsed if flag and len(sc) == 6), key=lambda x: (-x[1], x[0]))
    opp = ctx["opportunities"]
    assert [o["title"] for o in opp["short"]] == [t for t, _ in full[:limit]]
    assert [o["title"] for o in opp["over_limit"]] == [t for t, _ in full[limit:]]
    assert sorted(o["title"] for o in opp["candidates"]) == sorted(t for t, sc, _ in parsed if len(sc) < 6)
    assert s["shortlist"] == len(opp["short"]) <= limit

    # every repeated number agrees: summary vs sections in the rendered report
    summary_row = next(line for line in md.splitlines() if line.startswith("| ") and " / " in line)
    assert f"| {s['respondents']} (" in summary_row and f"| {s['shortlist']} |" in summary_row
    table = md.split("## 7.")[1].split("## 8.")[0]
    assert len(re.findall(r"^\| \d+ \| \*\*", table, re.M)) == s["shortlist"]
    recommended = md.split("**Recommended projects, in priority order**")
    if s["shortlist"]:
        assert len(re.findall(r"^\d+\. \*\*", recommended[1].split("## 2.")[0], re.M)) == s["shortlist"]
    else:
        assert len(recommended) == 1
    if ctx["previous"]:
        assert f"→ {s['respondents']}" in md.split("## 12.")[1]
    for pct_ in re.findall(r"\d+% \((\d+) of (\d+)\)", md):
        assert int(pct_[0]) <= int(pct_[1])  # every share carries its base, and k never exceeds n
    return ctx


# --- the data sets ---------------------------------------------------------------------------------------------

async def test_demo_report_figures_match_sql(demo_url):
    db = await Database.open(demo_url)
    try:
        async with db.uow() as uow:
            rounds = (await uow.session.execute(text("SELECT id FROM assessments ORDER BY id"))).all()
        ctx = await check_round(db, rounds[-1][0])
        for lang in ("en", "zh"):
            async with db.uow() as uow:
                other = await build_report(uow.session, rounds[-1][0], lang, Reviewer(), date(2026, 9, 15))
            assert other["summary"]["respondents"] == ctx["summary"]["respondents"]
        # pipeline visibility is asked of staff only: listed apart, never "staff overrate"
        assert "pipeline-visibility" not in [r["code"] for r in ctx["gap"]["table"]]
        assert "pipeline-visibility" in [r["code"] for r in ctx["gap"]["internal_only"]]
        assert ctx["summary"]["staff"] == 10 and ctx["summary"]["customers"] == 8  # the demo's interviewees
        await check_round(db, rounds[0][0])  # the first round: four people, nothing reviewed there
    finally:
        await db.close()


@pytest.mark.parametrize(("seed", "people", "limit"), [(1, (9, 12), None), (2, (4, 3), 2), (3, (14, 6), 3),
                                                       (4, (0, 7), None), (5, (6, 0), None)])
async def test_generated_rounds_match_sql(tmp_path, seed, people, limit):
    db = await Database.open(f"sqlite:///{tmp_path}/g.db")
    try:
        r = await generate(db, seed, people=people, shortlist_limit=limit)
        await check_round(db, r)
    finally:
        await db.close()


async def test_a_round_nobody_reviewed_has_no_kappa_and_says_so(tmp_path):
    db = await Database.open(f"sqlite:///{tmp_path}/n.db")
    try:
        r = await generate(db, 7, people=(10, 10), review="none")
        ctx = await check_round(db, r)
        assert ctx["agreement"]["status"] == "too_few_answers" and ctx["agreement"]["answers"] == 0
        assert any("Coding agreement cannot be measured yet" in f for f in ctx["summary"]["findings"])
        md = render(ctx, "md")
        assert "Not enough reviewed answers for a kappa: 0 finished, 20 needed." in md
        assert "No answer has been reviewed by a person yet" in md
    finally:
        await db.close()
