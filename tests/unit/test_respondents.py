"""Respondents written by someone who never saw the probes or the judge, replayed through the whole interviewer.

The data is interview_scripts/corpus/conversations/respondents*.jsonl (three development sets by three writers);
`python -m bench.replay FILE OUT` prints the same shares with every miss (bench/results/conversations*.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.catalog import load_catalog
from bench.replay import RESPONDENTS, load, problems, rates, replay

CATALOG = load_catalog()
PEOPLE = load()
REPLAYS = {p["id"]: replay(CATALOG, p) for p in PEOPLE}
# The later development sets (issue 13): respondents2 (24 people, the interviewer's former test set) and respondents3
# (16 people by a third writer).
# respondents4 (24 people by a fourth writer) was the interviewer's test set and became a development set in issue 13's
# generalisation round. respondents5 (24 people by a fifth writer) is the interviewer's test set now: the lead scored it
# before and after that round; its floors below only keep what was measured from sliding back, nothing is tuned on it.
# respondents6 (24 people by a sixth writer) was the test set of issue 13's boundary round, scored the same way;
# respondents7 (24 people by a seventh writer) was the test set of issue 13's model round (character n-grams);
# respondents8 (24 people by an eighth writer) was the test set of issue 13's last round (train10); respondents9 (24
# people by a ninth writer) was the test set of the sense round; respondents10 (24 people by a tenth writer) is the test
# set since the pinyin round, scored with the judge before and after it; respondents11 (24 people by an eleventh
# writer) is the test set since the two-writers round (J11: train12, train13, the sense block), scored before and after;
# respondents12 and respondents13 (24 people each, a twelfth and a thirteenth writer) since the listening round (J12's
# tags, the rest of the question), scored with 07e7201 and after it; respondents14 (a fourteenth writer) since the
# listening round's second session, scored with 6df09b5 and after it; respondents15 (a fifteenth writer) since its third
# session, scored with 2872dbb and after it.
LATER = {name: [replay(CATALOG, p) for p in load(RESPONDENTS.with_name(name))]
         for name in ("respondents2.jsonl", "respondents3.jsonl", "respondents4.jsonl", "respondents5.jsonl",
                      "respondents6.jsonl", "respondents7.jsonl", "respondents8.jsonl", "respondents9.jsonl",
                      "respondents10.jsonl", "respondents11.jsonl", "respondents12.jsonl", "respondents13.jsonl",
                      "respondents14.jsonl", "respondents15.jsonl")}


def test_the_respondents_cover_both_languages_every_audience_and_every_kind_of_person() -> None:
    assert len(PEOPLE) >= 24
    for lang in ("en", "zh"):
        mine = [p for p in PEOPLE if p["lang"] == lang]
        assert len({p["script"] for p in mine}) == 10
        assert {p["persona"] for p in mine} >= {"shallow_ladder", "detailed", "evasive", "terse_then_done", "mixed"}


@pytest.mark.parametrize("rid", sorted(REPLAYS))
def test_what_must_never_happen_does_not(rid: str) -> None:
    """No follow-up twice, no acknowledgement twice in a row, no customer question to staff, no follow-up beyond
    max_depth, the way out after a don't-know technique and nothing after it, and the interview finishes."""
    assert problems(REPLAYS[rid]) == []


# Shares of right decisions on these people's replies; below them a change made the interviewer worse for
# people nobody here wrote (see bench/results/conversations.md for the misses).
FLOORS = {
    "specific first answer: no follow-up": 0.95,
    "surface first answer: followed up": 0.95,
    "don't-know first answer: helped": 0.95,
    "stop after a follow-up: moves on": 0.9,
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_the_interviewer_does_the_right_thing_after_each_kind_of_reply(lang: str, kind: str) -> None:
    r = rates(list(REPLAYS.values()))[f"{lang} {kind}"]
    assert r.n >= 10 and r.share >= FLOORS[kind], r.misses


# The ladder (issue 13): a value ends it, a consequence gets the value question where the script allows one (its
# families include ladder_up), a second non-answer gets the way out. Measured: see bench/results/conversations.md.
LADDER_FLOORS = {
    # 0.93 since train14 and train15 joined (issue 13's last-cell round, with main's code as with the round's): zh
    # 15/15 -> 15/16, a shallow consequence now read as shallow (it was read as specific, so the ladder stopped there)
    # gets the value question, and the rung model (which learns none of their rungs) reads that value reply as an
    # attribute. Revert it with the weights.
    "value reached: ladder ends": (0.93, 10),
    "consequence, where the script allows it: asked why it matters": (0.85, 10),
    "second non-answer: way out offered": (0.95, 8),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", sorted(LADDER_FLOORS))
def test_the_ladder_climbs_and_lets_go(lang: str, kind: str) -> None:
    floor, least = LADDER_FLOORS[kind]
    r = rates(list(REPLAYS.values()))[f"{lang} {kind}"]
    assert r.n >= least and r.share >= floor, r.misses


def test_a_missing_or_broken_respondents_file_says_where(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="No such file"):
        load(tmp_path / "none.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\nnot json\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"bad.jsonl:2: not JSON"):
        load(bad)


# Floors on the later development sets, a miss or two under what was measured after issue 13's non-answer and ladder
# work (bench/results/conversations2.md, conversations3.md): (share, least replies of the kind).
LATER_FLOORS = {
    "respondents2.jsonl": {
        "specific first answer: no follow-up": (0.95, 20), "surface first answer: followed up": (0.9, 40),
        "don't-know first answer: helped": (0.9, 12), "stop after a follow-up: moves on": (0.9, 20),
        "value reached: ladder ends": (0.9, 12), "second non-answer: way out offered": (0.85, 8),
        "consequence, where the script allows it: asked why it matters": (0.65, 15),
    },
    "respondents3.jsonl": {
        "specific first answer: no follow-up": (0.8, 12), "surface first answer: followed up": (0.9, 30),
        "don't-know first answer: helped": (0.9, 12), "stop after a follow-up: moves on": (0.9, 10),
        "value reached: ladder ends": (0.9, 10), "second non-answer: way out offered": (0.7, 3),
        "consequence, where the script allows it: asked why it matters": (0.8, 12),
    },
    # measured after issue 13's generalisation round (bench/results/conversations4.md): en / zh 24/24, 22/22;
    # 68/68, 71/73; 16/17, 14/14; 11/11, 11/11; 18/19, 21/22; 7/7, 7/7; 20/24, 20/24
    "respondents4.jsonl": {
        "specific first answer: no follow-up": (0.9, 20), "surface first answer: followed up": (0.93, 60),
        "don't-know first answer: helped": (0.88, 12), "stop after a follow-up: moves on": (0.9, 10),
        "value reached: ladder ends": (0.88, 15), "second non-answer: way out offered": (0.85, 6),
        "consequence, where the script allows it: asked why it matters": (0.75, 20),
    },
    # the test set, measured by the lead after issue 13's generalisation round (bench/results/conversations5_test.md):
    # en / zh 24/25, 20/20; 69/69, 69/73; 16/16, 14/15; 13/13, 17/17; 25/27, 22/23; 6/7, 6/7; 19/22, 20/22. A dev set
    # since issue 13's boundary round, which raised don't-know helped to 16/16, 15/15 and the way out to 6/7, 7/7
    # (bench/results/conversations5.md): those floors went up with it.
    "respondents5.jsonl": {
        "specific first answer: no follow-up": (0.9, 20), "surface first answer: followed up": (0.93, 60),
        "don't-know first answer: helped": (0.95, 12), "stop after a follow-up: moves on": (0.9, 10),
        "value reached: ladder ends": (0.9, 20), "second non-answer: way out offered": (0.85, 6),
        "consequence, where the script allows it: asked why it matters": (0.8, 18),
    },
    # the test set since issue 13's boundary round, measured by the lead after it
    # (bench/results/conversations6_test.md): en / zh 28/28, 25/25; 66/66, 65/67; 15/16, 16/18; 17/18, 18/18;
    # 24/25, 15/17; 2/3, 5/6; 23/30, 22/26. Only keeps what was measured from sliding back; nothing is tuned on it.
    "respondents6.jsonl": {
        "specific first answer: no follow-up": (0.9, 20), "surface first answer: followed up": (0.93, 60),
        "don't-know first answer: helped": (0.85, 14), "stop after a follow-up: moves on": (0.9, 15),
        "value reached: ladder ends": (0.85, 15), "second non-answer: way out offered": (0.65, 3),
        "consequence, where the script allows it: asked why it matters": (0.73, 22),
    },
    # the test set since issue 13's model round, measured by the lead before it (e7238f3,
    # bench/results/conversations7_before.md) and after it (conversations7_test.md): en / zh 26/29, 29/30; 66/67, 66/66;
    # 12/13, 11/13; 8/8, 8/8; 8/10, 9/11; 20/22, 20/25. Only keeps what was measured from sliding back.
    "respondents7.jsonl": {
        "specific first answer: no follow-up": (0.85, 25), "surface first answer: followed up": (0.95, 60),
        # stops: least 8 until declines were let go (core/declines.py): a person who says "no comment" is not followed
        # up, so the stop they wrote for a follow-up is never reached (n 8 -> 6 en, 8 -> 7 zh; none became wrong)
        "don't-know first answer: helped": (0.8, 12), "stop after a follow-up: moves on": (0.9, 6),
        # 0.75 until issue 13's last round: with train10 in the class model one zh value reply reads as a non-answer
        # (9/11 -> 8/11, en unchanged at 8/10); the lead decides whether that is the price of train10 (docs/probing.md).
        "value reached: ladder ends": (0.7, 10),
        "consequence, where the script allows it: asked why it matters": (0.75, 20),
    },
    # the test set since issue 13's last round, measured by the lead before it (d5f7ca8,
    # bench/results/conversations8_before.md) and after it (conversations8_test.md): en / zh 20/22, 21/23; 66/66, 68/69;
    # 17/22, 15/19; 8/10, 8/8; 12/12, 8/10; 23/25, 16/21. Only keeps what was measured from sliding back.
    "respondents8.jsonl": {
        "specific first answer: no follow-up": (0.85, 20), "surface first answer: followed up": (0.95, 60),
        # stops (0.8, 8) until declines were let go: en 8/10 -> 7/9, zh 8/8 -> 7/7, a right one never reached
        "don't-know first answer: helped": (0.75, 15), "stop after a follow-up: moves on": (0.75, 7),
        "value reached: ladder ends": (0.8, 10),
        # (0.75, 20) until a concrete reply to a second-level "why does it matter?" ended the ladder (issue 13's
        # listening round, second session): zh 16/21 -> 15/21; on the dev sets that change let 17 writer-labelled
        # values end the ladder and asked 5 writer-labelled consequences no second "why"
        "consequence, where the script allows it: asked why it matters": (0.7, 20),
    },
    # the test set since issue 13's sense round, measured by the lead with the shipped judge (2f9d145 and after the
    # round, which shipped no weights: bench/results/conversations9_before.md, conversations9_test.md): en / zh
    # 18/23, 20/21; 66/70, 70/71; 14/18, 15/19; 9/9, 14/14; 13/18, 12/18; 17/18, 16/21; the way out 1/3, 1/3 (too few
    # to hold). Only keeps what was measured from sliding back; nothing is tuned on it.
    "respondents9.jsonl": {
        "specific first answer: no follow-up": (0.75, 20), "surface first answer: followed up": (0.92, 60),
        "don't-know first answer: helped": (0.75, 15), "stop after a follow-up: moves on": (0.9, 9),
        "value reached: ladder ends": (0.65, 15),
        # least 18 until declines were let go: en 17/18 -> 16/17 (the consequence was written after a decline)
        "consequence, where the script allows it: asked why it matters": (0.72, 17),
    },
    # the test set since issue 13's pinyin round, measured by the lead with the judge before the round (840924d) and
    # after it (train11, pinyin): the same rates (bench/results/conversations10_before.md, conversations10_test.md):
    # en / zh 29/29, 26/26; 64/65, 64/65; 11/13, 17/19; 11/11, 13/13; 11/15, 8/10; 16/16, 14/16. Only keeps what was
    # measured from sliding back; nothing is tuned on it.
    "respondents10.jsonl": {
        "specific first answer: no follow-up": (0.9, 25), "surface first answer: followed up": (0.95, 60),
        # stops: least 9 since train14 and train15 joined (9/9 right, one stop fewer reached; main's code alike)
        "don't-know first answer: helped": (0.8, 12), "stop after a follow-up: moves on": (0.9, 9),
        "value reached: ladder ends": (0.7, 10),
        "consequence, where the script allows it: asked why it matters": (0.85, 15),
    },
    # the test set since issue 13's two-writers round, measured by the lead with main before the session (e132485) and
    # after it (declines let go, the round's judge; bench/results/conversations11_before.md, conversations11_test.md):
    # en / zh 27/27, 18/18; 58/61 -> 59/61, 63/67; 19/22, 18/23 -> 21/23; 7/7, 4/4; 10/13, 3/7; 20/22, 16/20. Only keeps
    # what was measured from sliding back; nothing is tuned on it. zh "value reached" (3 of 7) is the weakest cell.
    "respondents11.jsonl": {
        "specific first answer: no follow-up": (0.95, 18), "surface first answer: followed up": (0.92, 60),
        "don't-know first answer: helped": (0.8, 20), "stop after a follow-up: moves on": (0.9, 4),
        "value reached: ladder ends": (0.4, 7),
        "consequence, where the script allows it: asked why it matters": (0.75, 20),
    },
    # respondents12 (bench/results/conversations12_before.md with 07e7201, conversations12_test.md after; en / zh):
    # specific 25/25, 22/22; surface 64/64 -> 63/64, 67/67; don't-know 18/20 -> 17/20, 20/21 -> 19/21 (J12's retrain,
    # measured on its branch alone); stops 9/9, 9/9; value 10/14, 6/12; consequence 19/21 -> 18/20, 15/17.
    "respondents12.jsonl": {
        "specific first answer: no follow-up": (0.95, 20), "surface first answer: followed up": (0.92, 60),
        "don't-know first answer: helped": (0.8, 17), "stop after a follow-up: moves on": (0.9, 8),
        "value reached: ladder ends": (0.45, 10),
        "consequence, where the script allows it: asked why it matters": (0.8, 16),
    },
    # respondents13 (conversations13_before.md, conversations13_test.md): specific 30/30, 26/27 -> 27/27; surface
    # 66/66, 61/63; don't-know 10/11, 19/19; stops 8/8, 12/12; value 10/11, 9/10; consequence 18/20, 17/18.
    "respondents13.jsonl": {
        "specific first answer: no follow-up": (0.95, 25), "surface first answer: followed up": (0.92, 60),
        "don't-know first answer: helped": (0.85, 10), "stop after a follow-up: moves on": (0.9, 8),
        "value reached: ladder ends": (0.8, 9),
        "consequence, where the script allows it: asked why it matters": (0.8, 16),
    },
    # the test set since issue 13's listening round, second session, by a fourteenth writer; measured by the lead with
    # 6df09b5 and after the session (bench/results/conversations14_before.md, conversations14_test.md): en / zh
    # specific no follow-up 29/34, 24/27; surface followed up 58/58, 61/61; don't-know helped 12/14 -> 13/14,
    # 15/16 -> 14/16; stop moves on 4/5, 4/4; value ends the ladder 11/14 -> 13/14, 8/13 -> 11/13; consequence asked
    # why 19/19, 15/18
    "respondents14.jsonl": {
        "specific first answer: no follow-up": (0.8, 25), "surface first answer: followed up": (0.95, 55),
        "don't-know first answer: helped": (0.8, 12), "stop after a follow-up: moves on": (0.75, 4),
        "value reached: ladder ends": (0.8, 11),
        "consequence, where the script allows it: asked why it matters": (0.8, 15),
    },
    # respondents15 (held out, written after the listening round's second session), 2872dbb -> after the third
    # session, en / zh: specific no follow-up 23/23, 18/18; surface followed up 68/69, 72/72; don't-know helped 15/15,
    # 16/17; stop moves on 8/8, 7/7; value ends the ladder 10/11, 6/6; consequence asked why 19/22, 15/23 -> 16/23
    "respondents15.jsonl": {
        "specific first answer: no follow-up": (0.95, 18), "surface first answer: followed up": (0.95, 68),
        "don't-know first answer: helped": (0.9, 15), "stop after a follow-up: moves on": (0.9, 7),
        "value reached: ladder ends": (0.85, 6),
        "consequence, where the script allows it: asked why it matters": (0.65, 22),
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("name", "kind"), [(n, k) for n, kinds in LATER_FLOORS.items() for k in sorted(kinds)])
def test_the_later_respondents_get_the_right_thing_too(name: str, kind: str, lang: str) -> None:
    floor, least = LATER_FLOORS[name][kind]
    r = rates(LATER[name])[f"{lang} {kind}"]
    assert r.n >= least and r.share >= floor, r.misses


@pytest.mark.parametrize("name", sorted(LATER))
def test_nothing_that_must_never_happen_happens_to_the_later_respondents(name: str) -> None:
    assert [(r.respondent["id"], p) for r in LATER[name] for p in problems(r)] == []
