"""Answer search through the trigram index (SQLite FTS5, PostgreSQL pg_trgm): the same answers as a plain scan,
kept in step with the answers table, and nothing of an erased person's words left in it (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update

from core.access import Reviewer
from storage import answer_search, privacy, review
from storage.models import Answer, Interview, Participant
from storage.uow import Database
from tests.tui.helpers import World, build_world

EVERYONE = Reviewer("lead", frozenset({"*"}))
MARKER = "ꙮꙮꙮ"  # a letter no other answer holds: the index stores its trigrams with a shared prefix cut off, but
LETTER = "ꙮ".encode()  # the first of them (after CJK in byte order) whole, so the letter shows where it is kept
EXTRA = {  # key: (interview, text)
    "zh1": ("c1", "价格太高，因为预算按季度固定"),
    "zh2": ("c2", "发票总是晚到，价格也不透明"),
    "odd": ("c2", 'We got a 50%_discount "quoted" by mail \\ once'),
    "accent": ("c1", "Le CAFÉ est froid"),
    "secret": ("c1", f"{MARKER} unicorn budget 独角兽预算 never said elsewhere"),
}
TERMS = ["price", "PRICE", "pri", "pr", "p", "invoices are", "价格", "价格太高", "发票总是晚到", "预算", "50%_",
         '"quoted"', "\\ once", "café", "CAFÉ", "zzzz", "month", "unicorn budget", "独角兽预算"]


async def add_answers(db: Database, w: World) -> dict[str, int]:
    async with db.uow() as uow:
        s = uow.session
        ids = {}
        for key, (iv, words) in EXTRA.items():
            a = Answer(assessment_id=w.round2, interview_id=w.ids[f"iv_{iv}"], ladder_key=f"X-{key}", script_id="s",
                       question_id="q1", segment="customer:current", lang="zh", step=0, text=words, choice_values=[],
                       anonymous=False)
            s.add(a)
            await s.flush()
            ids[key] = a.id
        await uow.commit()
    return ids


async def search(db: Database, term: str, reviewer: Reviewer = EVERYONE, limit: int = 200) -> tuple[list[int], int]:
    """(ids of the page in list order, the count) as the review app asks for them."""
    async with db.uow() as uow:
        scope = review.ReviewScope((await review.default_round(uow.session)) or 0, reviewer)
        f = review.AnswerFilter(search=term)
        page = await review.list_answers(uow.session, scope, f, limit=limit, with_total=False)
        return [r.id for r in page.rows], await review.count_answers(uow.session, scope, f)


async def test_the_index_finds_what_a_scan_finds(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    w = await build_world(db)
    ids = await add_answers(db, w)
    sqlite = db.dialect == "sqlite"
    found = {term: await search(db, term) for term in TERMS}
    # What each term must find, by hand (SQLite's LIKE ignores the case of ASCII letters only).
    assert set(found["price"][0]) == {w.ids["a1"]} and found["price"] == found["PRICE"] == found["pri"]
    assert set(found["价格"][0]) == {ids["zh1"], ids["zh2"]} and found["价格太高"][0] == [ids["zh1"]]
    assert found["发票总是晚到"][0] == [ids["zh2"]] and set(found["预算"][0]) == {ids["zh1"], ids["secret"]}
    assert found["50%_"][0] == found['"quoted"'][0] == found["\\ once"][0] == [ids["odd"]]
    assert found["CAFÉ"][0] == [ids["accent"]] and found["zzzz"] == ([], 0)
    assert found["invoices are"][0] == found["month"][0] == [w.ids["a3"]]
    assert found["unicorn budget"][0] == found["独角兽预算"][0] == [ids["secret"]]
    assert all(n == len(page) for page, n in found.values())
    if sqlite:
        assert found["café"] == ([], 0)  # LIKE ignores the case of ASCII letters only, and so does the index
        # Without the index (a plain LIKE scan), and with every term taken as common or as rare: the same pages.
        monkeypatch.setattr(answer_search, "COMMON", 1)
        assert {term: await search(db, term) for term in TERMS} == found
        monkeypatch.setattr(answer_search, "COMMON", 10_000)
        assert {term: await search(db, term) for term in TERMS} == found

        async def no_index(_s: object) -> bool:
            return False

        monkeypatch.setattr(answer_search, "has_index", no_index)
        assert {term: await search(db, term) for term in TERMS} == found
    # (On PostgreSQL ILIKE folds letters as the database's locale says; the index only finds candidates for it.)
    # The reviewer's department restriction holds with the index as without it: a3 is restricted to finance.
    assert await search(db, "invoices are", Reviewer("viewer", frozenset())) == ([], 0)
    assert (await search(db, "invoices are", Reviewer("controller", frozenset({"finance"}))))[0] == [w.ids["a3"]]


@pytest.mark.postgres
async def test_postgres_search_can_use_the_trigram_index(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("the pg_trgm index is PostgreSQL's")
    async with db.engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_answers_text_trgm'"))
        await conn.execute(text("SET enable_seqscan = off"))  # a table this small is scanned otherwise
        plan = "\n".join(r[0] for r in (await conn.execute(text(
            "EXPLAIN SELECT id FROM answers WHERE text ILIKE '%invoice%'"))).all())
    assert "ix_answers_text_trgm" in plan, plan


async def check_index(db: Database) -> None:
    """FTS5's own check that the index matches the answers table exactly (it raises otherwise)."""
    async with db.engine.begin() as conn:
        await conn.execute(text("INSERT INTO answer_search(answer_search) VALUES ('integrity-check')"))


async def test_the_index_follows_inserts_edits_and_deletes(sqlite_url: str) -> None:
    db = await Database.open(sqlite_url)
    try:
        w = await build_world(db)
        ids = await add_answers(db, w)
        await check_index(db)
        async with db.uow() as uow:
            await uow.session.execute(update(Answer).where(Answer.id == ids["zh1"]).values(text="运费太贵"))
            await uow.commit()
        assert (await search(db, "价格太高"))[0] == [] and (await search(db, "运费太贵"))[0] == [ids["zh1"]]
        async with db.uow() as uow:  # the interview goes, its answers with it (ON DELETE CASCADE)
            await uow.session.execute(delete(Interview).where(Interview.id == w.ids["iv_c2"]))
            await uow.commit()
        assert (await search(db, "发票总是晚到")) == ([], 0) and (await search(db, "delivery again")) == ([], 0)
        await check_index(db)
    finally:
        await db.close()


async def test_erasure_leaves_no_trace_in_the_index(sqlite_url: str) -> None:
    """The erased person's answers leave the index at once, and their trigrams are not kept in it (FTS5 keeps
    deleted entries until a merge): not in the index's tables, nor in the file or its write-ahead log."""
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    db = await Database.open(sqlite_url)
    try:
        w = await build_world(db)
        ids = await add_answers(db, w)
        assert (await search(db, "独角兽预算"))[0] == [ids["secret"]]

        async def kept() -> bool:
            async with db.engine.begin() as conn:
                blocks = (await conn.execute(text("SELECT block FROM answer_search_data"))).scalars().all()
                await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            raw = path.read_bytes() + (Path(f"{path}-wal").read_bytes() if Path(f"{path}-wal").exists() else b"")
            return any(LETTER in (b or b"") for b in blocks) or LETTER in raw

        async with db.engine.begin() as conn:  # the check can see the trigrams that are there
            assert any(LETTER in (b or b"") for b in (await conn.execute(text(
                "SELECT block FROM answer_search_data"))).scalars().all())
        async with db.uow() as uow:
            pseudonym = await uow.session.scalar(select(Participant.pseudonym).join(
                Interview, Interview.participant_id == Participant.id).where(Interview.id == w.ids["iv_c1"]))
        await privacy.erase_person(db, pseudonym=pseudonym, actor="dpo")
        for term in ("独角兽预算", "unicorn", "价格太高", "CAFÉ"):
            assert await search(db, term) == ([], 0), term
        assert not await kept()
        await check_index(db)
        async with db.uow() as uow:  # others' answers are still found through the index
            assert await uow.session.scalar(select(Answer.id).where(Answer.id == ids["zh2"])) == ids["zh2"]
        assert (await search(db, "发票总是晚到"))[0] == [ids["zh2"]]
    finally:
        await db.close()
