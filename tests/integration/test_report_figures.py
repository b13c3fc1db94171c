"""The report's figures as a reader checks them, one test per numbered case of issue 16, in the rendered Markdown
(English and Chinese) of the demo and of generated rounds: people are participants and anonymous answers sit beside
them, the Method section states the review as it happened, theme tags do not move the kappa and one statistic is
shown everywhere, unscored opportunities are candidates and every count of the short list agrees, every closed
question is analysed, the gap compares like with like, every percentage carries its base and its dagger and is the
same wherever it is repeated, and the CSV starts with a byte-order mark by default."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from textual.widgets import Static

from core.access import Reviewer
from core.shares import MIN_PEOPLE
from reports.labels import segment_label
from reports.model import build_report
from reports.render import render
from storage import review
from storage.models import Answer, Assessment, Coding, Opportunity
from storage.review import ReviewError, ReviewScope
from storage.uow import Database
from tests.integration.analysis_world import generate
from tests.integration.test_report_consistency import expected_topics
from tests.tui.helpers import SIZE, make_app, settle

TODAY = date(2026, 9, 15)
ROOT = Path(__file__).resolve().parents[2]

# the answers a reader without department rights sees: current, unrestricted
VIS = """WITH vis AS (SELECT * FROM answers WHERE assessment_id = :r AND superseded = 0
                      AND (department IS NULL OR department = '')) """

SHARE = {"en": re.compile(r"(\d+)% \((\d+) of (\d+)\)( †)?"), "zh": re.compile(r"(\d+)%（(\d+)/(\d+)）( †)?")}


# --- helpers ---------------------------------------------------------------------------------------------------

async def q(db: Database, query: str, **params: Any) -> list[tuple[Any, ...]]:
    async with db.engine.connect() as conn:
        return [tuple(r) for r in (await conn.execute(text(query), params)).all()]


async def latest_round(db: Database) -> int:
    return int((await q(db, "SELECT max(id) FROM assessments"))[0][0])


async def report(db: Database, r: int, lang: str = "en") -> tuple[dict[str, Any], str]:
    async with db.uow() as uow:
        ctx = await build_report(uow.session, r, lang, Reviewer(), TODAY)
    return ctx, render(ctx, "md")


def sections_of(md: str) -> dict[int, str]:
    """'## 5. ...' -> {5: the section's text}."""
    parts = re.split(r"^## (\d+)\. ", md, flags=re.M)
    return {int(parts[i]): parts[i + 1] for i in range(1, len(parts), 2)}


def points(k: int, n: int) -> int:
    return int(100 * k / n + 0.5)


def shares(md: str, lang: str) -> list[tuple[int, int, int, bool]]:
    return [(int(p), int(k), int(n), bool(d)) for p, k, n, d in SHARE[lang].findall(md)]


async def people_by(db: Database, r: int, column: str) -> dict[str, int]:
    """Distinct participants with a visible named answer, per segment or per group."""
    key = "vis.segment" if column == "segment" else "substr(vis.segment, 1, instr(vis.segment, ':') - 1)"
    return dict(await q(db, VIS + f"""SELECT {key}, count(DISTINCT i.participant_id) FROM vis
                                       JOIN interviews i ON i.id = vis.interview_id WHERE vis.anonymous = 0
                                       GROUP BY 1""", r=r))


async def review_counts(db: Database, r: int) -> tuple[int, ...]:
    """Free-text answers, reviewed ones, reviewers, confident proposals, accepted, rejected."""
    return (await q(db, VIS + """
        SELECT (SELECT count(*) FROM vis WHERE choice_values = '[]'),
               (SELECT count(*) FROM vis WHERE choice_values = '[]' AND EXISTS (
                  SELECT 1 FROM codings h WHERE h.answer_id = vis.id AND h.source = 'human')),
               (SELECT count(DISTINCT h.coder) FROM codings h JOIN vis ON vis.id = h.answer_id
                  WHERE h.source = 'human' AND vis.choice_values = '[]'),
               (SELECT count(*) FROM codings a JOIN vis ON vis.id = a.answer_id WHERE a.source = 'auto'
                  AND a.confidence >= 0.5 AND vis.choice_values = '[]'),
               (SELECT count(*) FROM codings a JOIN vis ON vis.id = a.answer_id JOIN codings h
                  ON h.answer_id = a.answer_id AND h.code_id = a.code_id AND h.source = 'human'
                  WHERE a.source = 'auto' AND a.confidence >= 0.5 AND h.status = 'applied'
                  AND vis.choice_values = '[]'),
               (SELECT count(*) FROM codings a JOIN vis ON vis.id = a.answer_id JOIN codings h
                  ON h.answer_id = a.answer_id AND h.code_id = a.code_id AND h.source = 'human'
                  WHERE a.source = 'auto' AND a.confidence >= 0.5 AND h.status = 'rejected'
                  AND vis.choice_values = '[]')""", r=r))[0]


async def unreviewed_with_proposals(db: Database, r: int, n: int) -> list[tuple[int, str]]:
    """Free-text answers nobody has decided anything on, each with one confident codebook proposal."""
    rows = await q(db, VIS + """
        SELECT vis.id, min(a.code_id) FROM vis JOIN codings a ON a.answer_id = vis.id AND a.source = 'auto'
        AND a.confidence >= 0.5 JOIN codes c ON c.id = a.code_id AND c.kind = 'code'
        WHERE vis.choice_values = '[]' AND NOT EXISTS (
          SELECT 1 FROM codings h WHERE h.answer_id = vis.id AND h.source = 'human')
        GROUP BY vis.id ORDER BY vis.id""", r=r)
    assert len(rows) >= n, "the data set needs unreviewed answers with proposals"
    return [(int(a), str(c)) for a, c in rows[:n]]


# --- case 1: anonymous answers are never extra people -------------------------------------------------------------

async def _check_people(db: Database, r: int) -> None:
    ctx, md = await report(db, r)
    seg_people, group_people = await people_by(db, r, "segment"), await people_by(db, r, "group")
    anon = dict(await q(db, VIS + "SELECT segment, count(DISTINCT ladder_key) FROM vis WHERE anonymous = 1 "
                                  "GROUP BY segment", r=r))
    assert sum(anon.values()) > 0, "the data set must have anonymous answers for this case to mean anything"
    staff, customers = group_people.get("internal", 0), group_people.get("customer", 0)
    s = ctx["summary"]
    assert (s["staff"], s["customers"], s["respondents"]) == (staff, customers, staff + customers)
    assert f"| {staff + customers} ({staff} staff · {customers} customers) |" in md
    assert f"People with answers: {staff} staff, {customers} customers." in md
    assert f"Respondents (people): {staff} Staff · {customers} Customers" in md
    assert f"Anonymous answers: {sum(anon.values())} (" in md
    # section 4: each segment's people and anonymous answers; no theme's base exceeds the segment's people
    for seg in ctx["themes"]:
        assert seg["respondents"] == seg_people.get(seg["segment"], 0)
        assert seg["anonymous"] == anon.get(seg["segment"], 0)
        for th in seg["themes"]:
            assert th["k"] <= th["n"] <= seg["respondents"], (seg["label"], th["label"])
    assert sum(seg["anonymous"] for seg in ctx["themes"]) == sum(anon.values())
    # section 5: no side's base exceeds its group's people, whatever the anonymous answers
    gap = ctx["gap"]
    for row in gap["table"] + gap["internal_only"] + gap["customer_only"]:
        assert row["internal"]["n"] <= staff and row["customer"]["n"] <= customers, row["label"]
        assert row["internal"]["k"] <= row["internal"]["n"] and row["customer"]["k"] <= row["customer"]["n"]


async def test_people_are_participants_and_anonymous_answers_sit_beside_them_on_the_demo(demo_url):
    db = await Database.open(demo_url)
    try:
        await _check_people(db, await latest_round(db))
    finally:
        await db.close()


async def test_more_anonymous_answers_than_people_add_no_people(tmp_path):
    """The demo's bug was '12 customers raised Communication, out of 8': here 12 anonymous ladders raise it
    among 3 customers, and the share stays of the customers asked, the 12 beside it."""
    db = await Database.open(f"sqlite:///{tmp_path}/a.db")
    try:
        r = await generate(db, 2, people=(4, 3))
        async with db.uow() as uow:
            for i in range(12):
                a = Answer(assessment_id=r, interview_id=None, ladder_key=f"anon-{i}", script_id="customer-s",
                           question_id="candid", segment="customer:current", lang="en", step=0,
                           text=f"nobody tells us when it is late ({i})", anonymous=True)
                uow.session.add(a)
                await uow.session.flush()
                uow.session.add(Coding(answer_id=a.id, code_id="communication", source="auto", status="proposed",
                                       confidence=0.9))
            await uow.commit()
        await _check_people(db, r)
        ctx, _ = await report(db, r)
        customers = ctx["summary"]["customers"]
        assert customers <= 3
        com = next(x for x in ctx["gap"]["rows"] if x.code == "communication").customer
        assert com.anonymous >= 12 and com.raised <= com.asked <= customers
        current = next(x for x in ctx["themes"] if x["segment"] == "customer:current")
        assert current["anonymous"] >= 12 and current["respondents"] <= customers
    finally:
        await db.close()


# --- case 2: the Method section states what happened ------------------------------------------------------------

async def test_method_states_the_review_as_it_happened_and_follows_it(demo_url):
    db = await Database.open(demo_url)
    try:
        r = await latest_round(db)
        open_, reviewed, reviewers, proposals, accepted, rejected = await review_counts(db, r)
        assert 0 < reviewed < open_  # a partly reviewed round, as in the issue (168 of 361)

        def expect(rv: int, people: int, rj: int) -> tuple[str, str]:
            undecided = proposals - accepted - rj
            return ((f"{rv} of {open_} free-text answers were reviewed by {people} reviewer(s): of {proposals} "
                     f"automatic proposals, {accepted} were accepted, {rj} rejected and {undecided} not yet reviewed"),
                    (f"{open_} 条开放式回答中有 {rv} 条经 {people} 位审核人审核：{proposals} 个自动建议中，接受 "
                     f"{accepted} 个，拒绝 {rj} 个，{undecided} 个尚未审核"))

        for lang, want in zip(("en", "zh"), expect(reviewed, reviewers, rejected), strict=True):
            ctx, md = await report(db, r, lang)
            assert want in sections_of(md)[11], lang
            assert "reviewed by the CNA lead" not in md and "再由 CNA 负责人审核" not in md
        # a second person rejects one proposal on an answer nobody had touched: every count follows
        [(answer_id, code)] = await unreviewed_with_proposals(db, r, 1)
        async with db.uow() as uow:
            await review.reject_code(uow.session, ReviewScope(r, Reviewer("maria")), answer_id, code)
            await uow.commit()
        assert await review_counts(db, r) == (open_, reviewed + 1, reviewers + 1, proposals, accepted, rejected + 1)
        for lang, want in zip(("en", "zh"), expect(reviewed + 1, reviewers + 1, rejected + 1), strict=True):
            ctx, md = await report(db, r, lang)
            assert want in sections_of(md)[11], lang
    finally:
        await db.close()


# --- case 3: agreement counts decisions a person made; one statistic everywhere ------------------------------------

async def test_theme_tags_leave_the_kappa_alone_and_report_and_app_state_the_same_pooled_value(demo_url):
    db = await Database.open(demo_url)
    try:
        r = await latest_round(db)
        before, _ = await report(db, r)
        ids = [a for a, _ in await unreviewed_with_proposals(db, r, 10)]
        async with db.uow() as uow:  # the flow: mark ten answers, make a theme of them
            await review.create_theme(uow.session, ReviewScope(r, Reviewer("lead")), "Late orders", answer_ids=ids)
            await uow.commit()
        ctx, md = await report(db, r)
        a0, a1 = before["agreement"], ctx["agreement"]
        assert a1["status"] == "ok"
        assert (a1["answers"], a1["pooled"], a1["ci"], a1["units"]) == (a0["answers"], a0["pooled"], a0["ci"],
                                                                         a0["units"])
        assert a1["unfinished"] == a0["unfinished"] + 10  # reviewed, not finished: not counted, not agreement
        assert a1["rows"] == a0["rows"]
        # the report states the pooled kappa, with its interval and n, in the findings and in section 10
        sec = sections_of(md)
        assert f"Pooled kappa: **{a1['pooled']}** ({a1['band']}; 95% CI {a1['ci']}) · Answers counted (finished): " \
               f"{a1['answers']}" in sec[10]
        finding = next(f for f in ctx["summary"]["findings"] if "kappa" in f)
        assert f"pooled kappa of {a1['pooled']}" in finding and f"95% CI {a1['ci']}" in finding
        assert f"{a1['answers']} finished answers" in finding
        assert "median" not in (sec[1] + sec[10]).lower()
        zh, zmd = await report(db, r, "zh")
        assert f"汇总 kappa {a1['pooled']}" in next(f for f in zh["summary"]["findings"] if "kappa" in f)
        assert "中位数" not in sections_of(zmd)[1] + sections_of(zmd)[10]
    finally:
        await db.close()
    # the review app's Agreement screen shows the same pooled value and interval
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        legend = str(app.screen.query_one("#kappa-legend", Static).render())
        assert f"pooled κ {a1['pooled']}" in legend and f"95% CI {a1['ci']}" in legend
        assert f"over {a1['answers']} finished answers ({a1['unfinished']} reviewed but not finished" in legend


# --- case 4: unscored opportunities are candidates; the short list keeps its limit and its count ------------------

def _short_list_counts(ctx: dict[str, Any], md: str) -> dict[str, int]:
    sec = sections_of(md)
    summary_row = next(line for line in sec[1].splitlines() if line.startswith("| ") and " / " in line)
    recommended = sec[1].split("**Recommended projects, in priority order**")
    return {"summary": int(summary_row.split("|")[4]), "context": ctx["summary"]["shortlist"],
            "recommended": len(re.findall(r"^\d+\. \*\*", recommended[1], re.M)) if len(recommended) > 1 else 0,
            "table": len(re.findall(r"^\| \d+ \| \*\*", sec[7], re.M))}


async def test_new_opportunities_are_candidates_and_every_count_of_the_short_list_agrees(demo_url):
    db = await Database.open(demo_url)
    try:
        r = await latest_round(db)
        ctx, md = await report(db, r)
        short = [o["title"] for o in ctx["opportunities"]["short"]]
        assert set(_short_list_counts(ctx, md).values()) == {len(short)} and short
        new = []
        async with db.uow() as uow:  # four 'n' presses
            for i in range(4):
                new.append(await review.create_opportunity(uow.session, r, f"Idea {i}"))
            with pytest.raises(ReviewError, match="only fully scored opportunities"):
                await review.update_opportunity(uow.session, new[0], shortlisted=True)
            for oid in new[:2]:  # flagged anyway, as rows written before the fix were
                (await uow.session.get(Opportunity, oid)).shortlisted = True
            await uow.commit()
        ctx, md = await report(db, r)
        sec = sections_of(md)
        assert [o["title"] for o in ctx["opportunities"]["short"]] == short
        assert set(_short_list_counts(ctx, md).values()) == {len(short)}
        candidates = "\n".join(line for line in sec[7].splitlines() if line.startswith("- "))
        for i in range(4):
            assert f"- Idea {i} (Still to score: " in candidates
            assert f"Idea {i}" not in sec[1] + sec[8] and f"**Idea {i}**" not in sec[7]
        assert "wish list" not in md
        # a limit below the lead's list: the lowest-scored are held back, and every count says the same
        async with db.uow() as uow:
            a = await uow.session.get(Assessment, r)
            a.settings = {**a.settings, "shortlist_limit": len(short) - 1}
            await uow.commit()
        ctx, md = await report(db, r)
        assert [o["title"] for o in ctx["opportunities"]["short"]] == short[:-1]
        assert [o["title"] for o in ctx["opportunities"]["over_limit"]] == short[-1:]
        assert set(_short_list_counts(ctx, md).values()) == {len(short) - 1}
        warning = (f"{len(short)} projects were put on the short list (limit {len(short) - 1}): the 1 lowest-scored "
                   "are held back")
        assert warning in sections_of(md)[1] and warning in sections_of(md)[7]
        assert short[-1] not in sections_of(md)[8]  # held back: not on the roadmap either
    finally:
        await db.close()


# --- case 5: every closed question is analysed, per segment --------------------------------------------------------

async def test_every_closed_question_answered_is_in_the_report_with_its_people_per_segment(demo_url):
    db = await Database.open(demo_url)
    try:
        r = await latest_round(db)
        ctx, md = await report(db, r)
        want: dict[tuple[str, str], int] = {}
        for qid, seg, named, anonymous in await q(db, VIS + """
                SELECT vis.question_id, vis.segment, count(DISTINCT i.participant_id), sum(vis.anonymous)
                FROM vis LEFT JOIN interviews i ON i.id = vis.interview_id AND vis.anonymous = 0
                WHERE vis.step = 0 AND vis.choice_values != '[]' GROUP BY 1, 2""", r=r):
            want[(qid, segment_label(seg, "en"))] = named + anonymous
        got: dict[tuple[str, str], int] = {}
        groups = ("Staff", "Customers")
        for cq in ctx["closed"]:
            for col in cq["columns"]:
                if col["label"] not in groups:
                    got[(cq["id"], col["label"])] = got.get((cq["id"], col["label"]), 0) + col["n"]
                assert col["indicative"] == (col["n"] < MIN_PEOPLE)
        assert got == want and len({qid for qid, _ in want}) >= 10
        # NPS per segment: % promoters (9-10) minus % detractors (0-6), with n
        likelihood = await q(db, VIS + """
                SELECT vis.question_id, vis.segment, count(*),
                       sum(CAST(json_extract(vis.choice_values, '$[0]') AS INTEGER) >= 9),
                       sum(CAST(json_extract(vis.choice_values, '$[0]') AS INTEGER) <= 6)
                FROM vis WHERE vis.step = 0 AND vis.question_id IN ('nps', 'consider') GROUP BY 1, 2""", r=r)
        assert {row[0] for row in likelihood} == {"nps", "consider"}  # the demo's two 0-10 likelihood questions
        for _qid, seg, n, promoters, detractors in likelihood:
            label = segment_label(seg, "en")
            score = points(promoters, n) - points(detractors, n)
            line = f"- Net Promoter score, {label}: **{score:+d}** (n = {n}{' †' if n < MIN_PEOPLE else ''}; "
            assert line in sections_of(md)[6], line
        # the forced choice asked of both sides sits side by side in section 5
        assert ctx["paired"] and "### The same forced choice, staff and customers: " in sections_of(md)[5]
    finally:
        await db.close()


# --- case 6: the gap compares like with like ----------------------------------------------------------------------

async def _check_like_with_like(db: Database, r: int) -> None:
    ctx, md = await report(db, r)
    topics = await expected_topics(db, r)
    gap = ctx["gap"]
    assert gap["table"], "the data set must have topics asked of both sides"
    for row in gap["table"]:
        assert set(topics[row["code"]]) == {"internal", "customer"}, row["code"]
        assert (row["internal"]["n"], row["customer"]["n"]) == (topics[row["code"]]["internal"][1],
                                                                topics[row["code"]]["customer"][1])
    for key, side, other in (("internal_only", "internal", "customer"), ("customer_only", "customer", "internal")):
        for row in gap[key]:
            assert side in topics[row["code"]] and other not in topics[row["code"]]
            assert row[other]["share"] == "not asked" and row["direction"] == ""
    compared = sections_of(md)[5].split("\n### ")[0]
    for row in gap["internal_only"] + gap["customer_only"]:
        assert f"| {row['label']} |" not in compared  # listed apart, never with a gap or a direction


async def test_gap_compares_only_topics_asked_of_both_sides_on_the_demo(demo_url):
    db = await Database.open(demo_url)
    try:
        r = await latest_round(db)
        await _check_like_with_like(db, r)
        ctx, md = await report(db, r)
        # the demo's figures follow the interviewer: each follow-up draws the demo's next answer (issue 13's ladder
        # asks more of them; its generalisation round fits the follow-ups to the answer; its boundary round reads
        # hedged answers and deferrals anew, so the demo's staff give one answer fewer on a named question and one
        # more anonymous one; issue 19's coder 5916ecf8da codes one of the ten no longer as pipeline visibility; issue
        # 13's second listening session asks the part of a question left out, so one more of the ten and one more
        # anonymous answer raise it; the demo's people no longer repeat a reply within one interview, so two of the
        # anonymous answers that said pipeline again now say something else)
        assert "| Pipeline visibility | 80% (8 of 10); +1 anonymous answer | not asked |" in sections_of(md)[5]
    finally:
        await db.close()


@pytest.mark.parametrize("seed", [1, 3])
async def test_gap_compares_only_topics_asked_of_both_sides_on_generated_rounds(tmp_path, seed):
    db = await Database.open(f"sqlite:///{tmp_path}/g.db")
    try:
        r = await generate(db, seed, people=(9, 12))
        await _check_like_with_like(db, r)
        ctx, _ = await report(db, r)
        assert "pipeline-visibility" in [x["code"] for x in ctx["gap"]["internal_only"]]  # staff-only script topic
    finally:
        await db.close()


# --- case 7: tiny samples, bases and one figure per theme ----------------------------------------------------------

CI = re.compile(r"95% (CI|置信区间)")


def _figure_lines(md: str) -> dict[int, str]:
    """Sections 1, 4, 5 and 12 without what people typed: section 4 keeps its headings and theme lines (its
    quotes may hold any percentage), section 1 drops the kappa's "95% CI"."""
    sec = sections_of(md)
    themes = "\n".join(line for line in sec[4].splitlines() if line.startswith(("**", "###")))
    return {1: CI.sub("", sec[1]), 4: themes, 5: sec[5], 12: sec.get(12, "")}


def _check_bases(md: str, lang: str) -> None:
    """Every percentage in the summary, themes, gap and comparison is a share with its base, rounded half up, with a
    dagger exactly when the base is under five; every closed-question cell is k (p%) of its column's n."""
    for no, body in _figure_lines(md).items():
        found = shares(body, lang)
        assert len(re.findall(r"\d+%", body)) == len(found), (lang, no)  # no percentage without its base
        for p, k, n, dagger in found:
            assert 0 <= k <= n and p == points(k, n) and dagger == (n < MIN_PEOPLE), (lang, no, p, k, n)
    checked = 0
    for table in re.split(r"\n### ", sections_of(md)[6])[1:]:
        header = next((line for line in table.splitlines() if "(n=" in line), None)
        if header is None:
            continue
        cols = [(int(n), bool(d)) for n, d in re.findall(r"\(n=(\d+)(†?)\)", header)]
        assert cols and all(d == (n < MIN_PEOPLE) for n, d in cols), header
        for line in table.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")][1:]
            if len(cells) != len(cols) or not all(re.fullmatch(r"\d+ \(\d+%\)|–", c) for c in cells):
                continue
            for cell, (n, _) in zip(cells, cols, strict=True):
                if cell != "–":
                    k, p = map(int, re.findall(r"\d+", cell))
                    assert k <= n and p == points(k, n), (line, n)
                    checked += 1
        for n, dagger in re.findall(r"\(n = (\d+)( †)?;", table):
            assert bool(dagger) == (int(n) < MIN_PEOPLE)
    assert checked, "section 6 has cells to check"


def _check_findings(ctx: dict[str, Any], lang: str) -> None:
    """Key findings rest on at least five people per share; the note on small differences counts the rows marked
    in section 5's table."""
    findings = ctx["summary"]["findings"]
    for f in findings:
        for _p, _k, n, dagger in shares(f, lang):
            assert n >= MIN_PEOPLE and not dagger, f
    small = [r for r in ctx["gap"]["table"] if r["indicative"] and abs(r["gap_value"]) >= 15]
    note = [f for f in findings if "fewer than 5 people" in f or "不足 5 人" in f]
    if small:
        [line] = note
        assert re.search(r"\d+", line).group(0) == str(len(small)), line
    else:
        assert not note


NPS_FINDING = {"en": re.compile(r"Net Promoter score of (.+?): ([+-]\d+) \(n = (\d+)\)"),
               "zh": re.compile(r"(.+?)的净推荐值：([+-]\d+)（n = (\d+)）")}


def _check_repeats(ctx: dict[str, Any], md: str, lang: str) -> None:
    """Every figure the report repeats is the same wherever it appears."""
    sec = sections_of(md)
    gap = ctx["gap"]
    rows = {r["label"]: r for r in gap["table"] + gap["internal_only"] + gap["customer_only"]}
    for f in ctx["summary"]["findings"]:  # a theme finding quotes section 5's shares verbatim
        for theme in re.findall(r"“(.+?)”", f):
            quoted = {f"{p}% ({k} of {n}){d}" if lang == "en" else f"{p}%（{k}/{n}）{d}"
                      for p, k, n, d in SHARE[lang].findall(f)}
            assert theme in rows and quoted, f
            assert quoted <= {rows[theme]["internal"]["share"], rows[theme]["customer"]["share"]}, f
            assert f"| {theme} | " in sec[5]
        for who, score, n in NPS_FINDING[lang].findall(f):  # the NPS finding is section 6's line
            assert int(n) >= MIN_PEOPLE and f"{who}: **{score}** (n = {n};" in sec[6], f
    if ctx["previous"]:  # section 12's "now" is section 5's customer share
        for c in ctx["previous"]["changes"]:
            if c["label"] in rows:
                assert c["after"] == rows[c["label"]]["customer"]["share"], c["label"]
    agree = ctx["agreement"]
    if agree["status"] == "ok":
        assert f"**{agree['pooled']}**" in sec[10] and any(agree["pooled"] in f and agree["ci"] in f
                                                          for f in ctx["summary"]["findings"])
    s, sample = ctx["summary"], dict(ctx["method"]["sample"])
    assert s["answers"] == sample["Answers incl. follow-ups" if lang == "en" else "回答（含追问）"]
    assert (s["completed"], s["invited"]) == (ctx["participation"]["total"]["completed"],
                                              ctx["participation"]["total"]["invited"])


async def _check_small_samples(db: Database, r: int) -> None:
    en, en_md = await report(db, r, "en")
    zh, zh_md = await report(db, r, "zh")
    for ctx, md, lang in ((en, en_md, "en"), (zh, zh_md, "zh")):
        _check_bases(md, lang)
        _check_findings(ctx, lang)
        _check_repeats(ctx, md, lang)
    # the same figures in both languages, in the same places
    en_sec, zh_sec = sections_of(en_md), sections_of(zh_md)
    for no, body in _figure_lines(en_md).items():
        assert shares(body, "en") == shares(_figure_lines(zh_md)[no], "zh"), no
    cell = re.compile(r"\d+ \(\d+%\)|n ?= ?\d+")
    assert cell.findall(en_sec[6]) == cell.findall(zh_sec[6])
    assert re.findall(r"-?\d\.\d\d", en_sec[10]) == re.findall(r"-?\d\.\d\d", zh_sec[10])


async def test_small_bases_are_marked_and_every_repeated_figure_agrees_on_the_demo(demo_url):
    db = await Database.open(demo_url)
    try:
        r = await latest_round(db)
        await _check_small_samples(db, r)
        ctx, md = await report(db, r)
        # the demo has differences resting on fewer than five people: shown marked, never a finding
        marked = [x for x in ctx["gap"]["table"] if x["indicative"]]
        assert marked and all(x["label"] not in " ".join(ctx["summary"]["findings"]) for x in marked)
    finally:
        await db.close()


@pytest.mark.parametrize(("seed", "people"), [(2, (4, 3)), (3, (14, 6)), (6, (7, 9))])
async def test_small_bases_are_marked_and_every_repeated_figure_agrees_on_generated_rounds(tmp_path, seed, people):
    db = await Database.open(f"sqlite:///{tmp_path}/g.db")
    try:
        await _check_small_samples(db, await generate(db, seed, people=people))
    finally:
        await db.close()


# --- case 8: CSV for spreadsheets ----------------------------------------------------------------------------------

def test_csv_export_starts_with_a_byte_order_mark_by_default(demo_url, tmp_path):
    """Without a flag the CSV opens in Excel with its Chinese intact; the flag leaves the mark out."""
    env = {**os.environ, "CNA_DATABASE_URL": demo_url, "PYTHONPATH": str(ROOT)}
    out = {}
    for name, flags in (("default", []), ("plain", ["--no-bom"])):
        path = tmp_path / f"{name}.csv"
        done = subprocess.run([sys.executable, "-m", "cli.main", "export", *flags, "--out", str(path)], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        out[name] = path.read_bytes()
    assert out["default"].startswith("\ufeff".encode())
    assert not out["plain"].startswith("\ufeff".encode())
    assert out["default"][3:] == out["plain"] and "，".encode() in out["plain"]  # Chinese answers are in it
