"""storage.review on real SQLite and PostgreSQL: filters, visibility, coding and undo, themes, analysis, plans."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.access import Reviewer
from core.analysis import ScoreError
from core.shares import Share
from storage import review
from storage.models import Assessment, AuditEntry, Code, Coding
from storage.review import AnswerFilter, ReviewScope
from tests.tui.helpers import TODAY


async def ids_for(db, scope, f=AnswerFilter(), **kw):
    async with db.uow() as uow:
        page = await review.list_answers(uow.session, scope, f, **kw)
    assert page.total == len(page.rows)
    return [r.id for r in page.rows]


async def test_listing_is_in_interview_order_without_restricted_or_other_rounds(db, world, lead):
    i = world.ids
    assert await ids_for(db, ReviewScope(world.round2, lead)) == [i["a1"], i["a2"], i["a4"], i["a5"], i["a6"]]
    finance = ReviewScope(world.round2, Reviewer("cfo", frozenset({"finance"})))
    assert i["a3"] in await ids_for(db, finance)  # stored as 'Finance': the check ignores case
    assert i["a3"] in await ids_for(db, ReviewScope(world.round2, Reviewer("all", frozenset({"*"}))))


async def test_filters(db, world, lead):
    i, scope = world.ids, ReviewScope(world.round2, lead)
    assert await ids_for(db, scope, AnswerFilter(segment="customer")) == [i["a4"], i["a5"], i["a6"]]
    assert await ids_for(db, scope, AnswerFilter(segment="internal:sales")) == [i["a1"], i["a2"]]
    assert await ids_for(db, scope, AnswerFilter(search="price")) == [i["a1"]]  # case-insensitive
    assert await ids_for(db, scope, AnswerFilter(search="100%")) == [i["a2"]]  # % is literal
    assert await ids_for(db, scope, AnswerFilter(search="0_")) == []
    # effective codes: a4's weak speed does not count, a5's rejected speed does not count
    assert await ids_for(db, scope, AnswerFilter(code_id="speed")) == []
    assert await ids_for(db, scope, AnswerFilter(code_id="communication")) == [i["a4"], i["a5"], i["a6"]]
    assert await ids_for(db, scope, AnswerFilter(code_id="price")) == [i["a1"], i["a2"]]
    assert await ids_for(db, scope, AnswerFilter(uncoded=True)) == [i["a1"], i["a4"], i["a6"]]
    assert await ids_for(db, scope, AnswerFilter(disagreement=True)) == [i["a2"], i["a5"]]
    assert await ids_for(db, scope, AnswerFilter(ladder_key="L1")) == [i["a1"], i["a2"]]
    assert await ids_for(db, scope, AnswerFilter(question_id="q2")) == []


async def test_paging_and_names(db, world, lead):
    scope = ReviewScope(world.round2, lead)
    async with db.uow() as uow:
        first = await review.list_answers(uow.session, scope, limit=2)
        rest = await review.list_answers(uow.session, scope, offset=2, limit=2)
        named = await review.list_answers(uow.session, scope, show_names=True)
    assert (first.total, first.has_more, len(rest.rows)) == (5, True, 2)
    assert [r.who for r in first.rows] == ["P-TEST0", "P-TEST0"]
    assert [r.who for r in named.rows] == ["Anna Schmidt", "Anna Schmidt", "J. Doe", "K. Berg", "anonymous"]
    assert first.rows[0].codes == ("price",) and first.rows[0].pending == 1 and not first.rows[0].reviewed


async def test_ladder_shows_every_step_with_codes_and_respects_departments(db, world, lead):
    scope = ReviewScope(world.round2, lead)
    async with db.uow() as uow:
        ladder = await review.get_ladder(uow.session, scope, "L1")
        assert ladder.question == "What do customers value?" and ladder.who == "P-TEST0"
        assert [s.step for s in ladder.steps] == [0, 1]
        assert ladder.steps[1].probe_text == "Why does that matter?"
        assert ladder.steps[0].codings[0].state == "proposed" and ladder.steps[0].codings[0].auto_cue == "price"
        assert ladder.steps[1].codings[0].state == "added"
        with pytest.raises(review.NotVisible):
            await review.get_ladder(uow.session, scope, "L3")
        with pytest.raises(review.NotVisible):
            await review.apply_code(uow.session, scope, world.ids["a3"], "price")
        with pytest.raises(review.NotVisible):
            await review.apply_code(uow.session, scope, world.ids["a7"], "price")  # another round


async def human(db, answer_id):
    async with db.uow() as uow:
        rows = await uow.session.execute(select(Coding.code_id, Coding.status, Coding.coder).where(
            Coding.answer_id == answer_id, Coding.source == "human").order_by(Coding.code_id))
        return [tuple(r) for r in rows]


async def test_coding_decisions_and_undo(db, world):
    scope, a1, a5 = ReviewScope(world.round2, Reviewer("maria")), world.ids["a1"], world.ids["a5"]
    stack = []
    async with db.uow() as uow:
        s = uow.session
        stack.append(await review.accept_code(s, scope, a1, "price"))
        stack.append(await review.apply_code(s, scope, [a1, a5], "speed"))
        stack.append(await review.remove_code(s, scope, a5, "communication"))  # person-only code: deleted
        await uow.commit()
    assert await human(db, a1) == [("price", "applied", "maria"), ("speed", "applied", "maria")]
    assert await human(db, a5) == [("speed", "applied", "maria")]
    async with db.uow() as uow:
        stack.append(await review.remove_code(uow.session, scope, a1, "price"))  # auto proposal: kept as rejected
        await uow.commit()
    assert await human(db, a1) == [("price", "rejected", "maria"), ("speed", "applied", "maria")]
    async with db.uow() as uow:
        for change in reversed(stack):
            await review.undo(uow.session, change)
        await uow.commit()
    assert await human(db, a1) == []
    assert await human(db, a5) == [("communication", "applied", "lead"), ("speed", "rejected", "lead")]
    async with db.uow() as uow:
        auto = await uow.session.scalar(select(Coding).where(Coding.answer_id == a1, Coding.source == "auto"))
        assert auto is not None and auto.status == "proposed"  # auto codings are never touched


async def test_accept_all_and_reject(db, world, lead):
    scope = ReviewScope(world.round2, lead)
    async with db.uow() as uow:
        change = await review.accept_all(uow.session, scope, world.ids["a4"])
        await review.reject_code(uow.session, scope, world.ids["a6"], "communication")
        await uow.commit()
    assert [c.code_id for c in change.codings] == ["communication"]  # the weak speed proposal is not accepted
    assert await human(db, world.ids["a6"]) == [("communication", "rejected", "lead")]


async def test_themes_create_rename_merge_and_undo(db, world, lead):
    scope = ReviewScope(world.round2, lead)
    i = world.ids
    async with db.uow() as uow:
        s = uow.session
        tid, created = await review.create_theme(s, scope, "Predictable  billing", answer_ids=[i["a1"], i["a2"]])
        assert tid == "theme-predictable-billing"
        tid2, _ = await review.create_theme(s, scope, "Predictable billing")
        assert tid2 == "theme-predictable-billing-2"
        renamed = await review.rename_theme(s, tid2, "Invoices you can plan", "可预期的发票")
        with pytest.raises(review.ReviewError):
            await review.rename_theme(s, "price", "Money")
        merged = await review.merge_themes(s, tid, tid2)
        with pytest.raises(review.ReviewError):
            await review.merge_themes(s, tid2, tid)  # would loop
        await review.apply_code(s, scope, i["a4"], tid)  # a merged theme is applied as its survivor
        await uow.commit()
    ids = await ids_for(db, scope, AnswerFilter(code_id=tid2))
    assert ids == [i["a1"], i["a2"], i["a4"]]
    async with db.uow() as uow:
        rc = await review.load_round_coding(uow.session, scope)
        card = next(c for c in rc.board() if c.code_id == tid2)
        # q1 asks about customer-value (price, speed) and communication, not the new theme: raised unprompted
        assert (card.answers, card.internal.people, card.customer.people, card.merged) == (3, 1, 1, [tid])
        assert (card.internal.asked, card.internal.unprompted) == (0, 1)
        await review.undo(uow.session, merged)
        await review.undo(uow.session, renamed)
        await review.undo(uow.session, created)
        await uow.commit()
        theme = await uow.session.get(Code, tid2)
        assert theme is not None and theme.label_en == "Predictable billing"
        assert await uow.session.get(Code, tid) is None


async def test_gap_agreement_quotes_and_comparison(db, world, lead):
    scope = ReviewScope(world.round2, lead)
    async with db.uow() as uow:
        rc = await review.load_round_coding(uow.session, scope)
        gap = {g.code: g for g in rc.gap().comparable}
        # people, not answers: 1 staff member (finance is restricted and unseen) and 2 customers answered q1,
        # which asks about every customer-value code; the anonymous ladder is counted beside, never as a person
        assert rc.people() == {"internal:sales": 1, "customer:current": 2, "internal": 1, "customer": 2}
        assert (gap["price"].internal.share, gap["price"].customer.share, gap["price"].gap) == (
            Share(1, 1), Share(0, 2), 100)
        com = gap["communication"].customer
        assert (com.asked, com.raised, com.anonymous, com.share) == (2, 2, 1, Share(2, 2))
        assert gap["communication"].indicative  # two customers: never a key finding
        agreement = rc.agreement()
        # a2 (price added) and a5 (speed rejected, communication added) are finished; two answers are far too
        # few for a kappa, so there is no number
        assert (agreement.answers, agreement.status, agreement.kappa) == (2, "too_few_answers", None)
        table = {a.code: a.table for a in agreement.codes}
        assert (table["speed"].auto_only, table["communication"].human_only, table["price"].human_only) == (1, 1, 1)
        assert {(d.answer_id, d.code_id, d.side) for d in rc.disagreements()} == {
            (world.ids["a2"], "price", "person only"), (world.ids["a5"], "speed", "auto only"),
            (world.ids["a5"], "communication", "person only")}
        quotes = await review.quotes(uow.session, scope, "communication", coding=rc)
        assert quotes[0].answer_id == world.ids["a5"] and quotes[0].basis == "confirmed by a person"
        change = {c.code: c for c in await review.round_comparison(uow.session, scope, rc) or []}
        assert (change["price"].before, change["price"].after, change["price"].delta) == (Share(1, 1), Share(0, 2),
                                                                                          -100)
        previous = ReviewScope(world.round1, lead)
        assert await review.round_comparison(uow.session, previous) is None


async def test_one_decision_does_not_finish_an_answer(db, world, lead):
    """Tagging a theme, or deciding one of several proposals, leaves the proposals undecided: not agreement."""
    scope = ReviewScope(world.round2, lead)
    async with db.uow() as uow:
        await review.create_theme(uow.session, scope, "Late orders", answer_ids=[world.ids["a4"], world.ids["a6"]])
        await uow.commit()
        rc = await review.load_round_coding(uow.session, scope)
    agreement = rc.agreement()
    assert agreement.answers == 2 and agreement.unfinished == 2  # a4 and a6 still hold undecided proposals
    assert not any(d.answer_id in (world.ids["a4"], world.ids["a6"]) for d in rc.disagreements())


FULL = {"benefit": 4, "cost": 2, "strategic_fit": 4, "culture_change": 2, "unit_support": 4,
        "competitive_position": 3}


async def test_opportunities_scores_weights_ranking_and_warning(db, world):
    async with db.uow() as uow:
        s = uow.session
        a = await review.create_opportunity(s, world.round2, "Order status messages", theme_ids=["communication"])
        b = await review.create_opportunity(s, world.round2, "Price calculator")
        for c, v in FULL.items():
            await review.set_score(s, a, c, v)
        await review.set_score(s, b, "benefit", 2)
        await review.set_score(s, b, "cost", 5)
        with pytest.raises(ScoreError):
            await review.set_score(s, b, "cost", 6)
        await review.update_opportunity(s, a, phase="Phase 1", start_on=TODAY, end_on=TODAY.replace(month=12))
        with pytest.raises(review.ReviewError):
            await review.update_opportunity(s, a, end_on=TODAY.replace(month=1))
        ranking = await review.ranking(s, world.round2)
        # new opportunities are candidates, and an unscored one is never on the short list
        assert [(o.id, o.status) for o in ranking.opportunities] == [(a, "parked"), (b, "candidate")]
        assert ranking.opportunities[1].score is None and ranking.opportunities[1].rank is None
        assert "costs more than it returns" in ranking.opportunities[1].warnings
        with pytest.raises(review.ReviewError, match="score 'Price calculator' on strategic fit"):
            await review.update_opportunity(s, b, shortlisted=True)
        await review.update_opportunity(s, a, shortlisted=True)
        ranking = await review.ranking(s, world.round2)
        assert [o.id for o in ranking.short] == [a] and ranking.warning is None
        assert ranking.short[0].themes == ("communication",)
        assert sum(ranking.short[0].contributions.values()) == pytest.approx(ranking.short[0].score, abs=0.05)
        weights = await review.set_weights(s, world.round2, {"cost": 0})
        assert weights["cost"] == 0 and weights["benefit"] == 3
        # fill the short list to its limit (7); the eighth is refused
        for n in range(6):
            o = await review.create_opportunity(s, world.round2, f"Wish {n}")
            for c, v in FULL.items():
                await review.set_score(s, o, c, v)
            await review.update_opportunity(s, o, shortlisted=True)
        extra = await review.create_opportunity(s, world.round2, "Wish 7")
        for c, v in FULL.items():
            await review.set_score(s, extra, c, v)
        with pytest.raises(review.ReviewError, match="short list is full"):
            await review.update_opportunity(s, extra, shortlisted=True)
        ranking = await review.ranking(s, world.round2)
        assert len(ranking.short) == 7 and ranking.warning is None
        # a lower limit holds the lowest-scored back and says so
        r2 = await s.get(Assessment, world.round2)
        r2.settings = {**r2.settings, "shortlist_limit": 5}
        await s.flush()
        ranking = await review.ranking(s, world.round2)
        assert (len(ranking.short), len(ranking.over_limit)) == (5, 2)
        assert "7 opportunities put on the short list (limit 5)" in (ranking.warning or "")
        await review.delete_opportunity(s, b)
        await uow.commit()


async def test_dashboard_counts(db, world, lead):
    async with db.uow() as uow:
        d = await review.dashboard(uow.session, ReviewScope(world.round2, lead), TODAY)
        await review.record_names_shown(uow.session, ReviewScope(world.round2, lead))
        await uow.commit()
        audit = await uow.session.scalar(select(AuditEntry).where(AuditEntry.action == "review.show_names"))
    progress = {p.segment: p for p in d.progress}
    assert [p.segment for p in d.progress] == ["internal:finance", "internal:sales", "customer:current"]
    assert (progress["customer:current"].invited, progress["customer:current"].completed) == (2, 2)
    assert progress["internal:finance"].in_progress == 1
    c = d.coding
    assert c is not None and "internal:finance" not in c.per_segment  # its only answer is restricted
    assert c.per_segment["customer:current"] == (3, 2)
    assert (c.answers, c.to_review, c.without_code, c.hidden) == (5, 3, 0, {"Finance": 1})
    assert d.next_refresh.isoformat() == "2028-01-10" and d.days_to_refresh == 482
    assert audit is not None and audit.actor == "lead"
