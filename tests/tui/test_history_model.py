"""Undo in the query layer on SQLite and PostgreSQL: opportunities come back under their id with their links,
weights and memos as they were, and 'to review' keeps answers with undecided proposals (issue 18)."""

from __future__ import annotations

from sqlalchemy import select

from storage import review
from storage.models import Memo, Opportunity, OpportunityTheme
from storage.review import AnswerFilter, ReviewScope


async def test_opportunity_delete_edit_and_weights_undo_exactly(db, world, lead):
    scope = ReviewScope(world.round2, lead)
    async with db.uow() as uow:
        s = uow.session
        created = await review.new_opportunity(s, world.round2, "Mobile quotes", theme_ids=["price"])
        oid = created.opportunity.id
        await review.score_opportunity(s, oid, {"benefit": 4, "cost": 2})
        await review.edit_opportunity(s, oid, "set the phase of", phase="Phase 1")
        weights = await review.change_weights(s, world.round2, {"benefit": 9})
        deleted = await review.remove_opportunity(s, oid)
        assert deleted.label == "delete opportunity 'Mobile quotes'"
        await uow.commit()
    async with db.uow() as uow:
        s = uow.session
        assert await s.get(Opportunity, oid) is None
        await review.undo(s, deleted)
        await uow.commit()
    async with db.uow() as uow:
        s = uow.session
        o = await s.get(Opportunity, oid)
        assert (o.title, o.scores, o.phase) == ("Mobile quotes", {"benefit": 4, "cost": 2}, "Phase 1")
        assert (await s.scalars(select(OpportunityTheme.code_id).where(
            OpportunityTheme.opportunity_id == oid))).all() == ["price"]
        await review.undo(s, weights)
        assert (await review.get_weights(s, world.round2))["benefit"] != 9
        await review.undo(s, created)
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.session.get(Opportunity, oid) is None
        # after a delete was undone under the old id, new opportunities still get ids of their own
        again = await review.new_opportunity(uow.session, scope.round_id, "Again")
        assert again.opportunity.id > 0
        await uow.commit()


async def test_memos_store_who_and_when_and_undo(db, world, lead):
    scope = ReviewScope(world.round2, lead)
    async with db.uow() as uow:
        s = uow.session
        first = await review.set_memo(s, scope, "answer", world.ids["a1"], "价格背后是预算周期")
        edit = await review.set_memo(s, scope, "answer", world.ids["a1"], "budget cycle", in_report=True)
        assert (first.label, edit.label) == (f"write memo on answer #{world.ids['a1']}",
                                             f"edit memo on answer #{world.ids['a1']}")
        [m] = await review.list_memos(s, world.round2, in_report=True)
        assert (m.text, m.author, m.in_report) == ("budget cycle", "lead", True) and m.updated_at >= m.created_at
        await review.undo(s, edit)
        [m] = await review.list_memos(s, world.round2)
        assert (m.text, m.in_report) == ("价格背后是预算周期", False)
        await review.undo(s, first)
        assert not (await s.scalars(select(Memo.id))).all()
        try:
            await review.set_memo(s, scope, "answer", world.ids["a3"], "restricted")  # finance only
        except review.NotVisible:
            pass
        else:
            raise AssertionError("a memo on an answer the reviewer may not read must be refused")


async def test_to_review_keeps_an_answer_until_every_proposal_is_decided(db, world, lead):
    scope = ReviewScope(world.round2, lead)
    i = world.ids
    async with db.uow() as uow:
        s = uow.session
        await review.apply_code(s, scope, i["a1"], "communication")  # a person coded it; 'price' is undecided
        page = await review.list_answers(s, scope, AnswerFilter(uncoded=True))
        assert i["a1"] in [r.id for r in page.rows]
        await review.reject_code(s, scope, i["a1"], "price")
        page = await review.list_answers(s, scope, AnswerFilter(uncoded=True))
        assert i["a1"] not in [r.id for r in page.rows]
        assert (await review.coding_progress(s, scope)).to_review == page.total
