"""The non-answer signs as features: each sign, what the signs leave, a guess or a statement after them, and where.

Split from core/judge_features.py (issue 13) so each module keeps one purpose and stays short."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from core.judge_nonanswer import TYPOS, non_answer

__all__ = ["FUNCTION_ZIPF", "RARE_ZIPF", "non_answer_features"]

# Words so common that they carry no content by themselves (the, is, 我们, 的): Zipf ≥ this.
FUNCTION_ZIPF = 5.9
# Rare enough to count as a specific word (invoice 3.3, 发票 3.8, depot 3.4); unknown words are 2.
RARE_ZIPF = 4.2

# How long an answer may be for its non-answer signs to be read (issue 13, J14): long polite evasions
# ("感谢您们做这个调研…不过说实话我入职时间不长…还是问一下带我的师傅…") carry the same signs as short ones;
# read up to 60 units, every Chinese don't-know over 60 was missed leaving one writer out (10 of 10). The model
# weighs what the signs leave.
SIGNS_MAX_UNITS = 200

# The words of a guess (not "stuff", "kind of"): "probably pricing", "可能是价格", "I'd guess", "我猜是报价"
# ("应该是…" is left out: with it, "不太清楚，应该是老板和财务吧" read as an answer in the dev respondents, where it is
# a non-answer).
_EN_GUESS = re.compile(r"\b(?:maybe|perhaps|probably|i guess|i'?d guess|i suppose|i'?d say|i think|likely|i assume|"
                       r"i'?d imagine|my guess|i reckon|presumably)\b")
_ZH_GUESS = re.compile("可能|也许|大概|估计|我猜|猜是|或许|八成|兴许|感觉")
# A statement: a verb or a predicate ("the approvals are just slow", "procurement leads it", "审批太慢", "信息总是
# 不全").
_EN_CLAIM = re.compile(r"\b(?:is|are|was|were|feels?|felt|seems?|looks?|takes?|took|goes|went|gets?|got|leads?|"
                       r"sets?|runs?|has|have|had|would|will|never|always|just|too|keeps?|kept|decides?)\b|n'?t\b|"
                       r"\b[a-z]+(?:'s|'re)\b")
_ZH_CLAIM = re.compile("太|总是|老是|就是|一直|不够|不全|不准|不行|很|挺|特别|比较|越来越|就|了|会|都|定")
# A question that asks who: naming a person or a team is then the answer, not a deferral ("谁来定折扣？" "应该是采购").
# A question that asks who, or how something was decided ("这个决定是怎么做出的…有哪些人参与"): naming who decided
# answers it.
_EN_WHO = re.compile(r"\bwho\b|\bwhose\b|\bwhich (?:team|department|role|person|people|function)|\bdecid|\bdecision")
_ZH_WHO = re.compile("谁|哪个部门|哪个团队|哪位|哪些人|由哪|决定|拍板|决策")
_EN_NEG = re.compile(r"\b(?:not|never|no|nothing|none|nobody|cannot)\b|n't\b|\b(?:cant|dont|didnt|havent|wasnt)\b")
_ZH_NEG = re.compile("[不没无未]")
_LATIN_WORD_LOW = re.compile(r"[a-z]+")


class Lexicon(Protocol):
    """What is read of the words here (core.judge_features.Lexicon has it; not imported: no cycle in core)."""

    def words(self, text: str) -> Sequence[str]: ...

    def zipfs(self, words: Iterable[str], lang: str) -> list[float]: ...


class Context(Protocol):
    """Where the answer was given (core.judge_features.Context)."""

    @property
    def depth(self) -> int: ...

    @property
    def closing(self) -> bool: ...

    @property
    def question(self) -> str: ...


class RuleHits(Protocol):
    """What the rule files recognised (core.judge_features.RuleHits)."""

    @property
    def stop(self) -> bool: ...

    @property
    def dont_know(self) -> bool: ...

    @property
    def surface(self) -> int: ...


def _log(n: float) -> float:
    return math.log1p(n) if n > 0 else 0.0


# Where a sign is said decides what it means: "nothing" ends a follow-up but is a non-answer to a first question.
_PLACES = ("first", "follow", "closing")
_PLACED = {k: tuple(f"{k}@{p}" for p in _PLACES)
           for k in ("unsure", "defer", "nothing", "ending", "rule_stop", "rule_dont_know", "ends_ending",
                     "ends_unknown", "bare", "little_left", "empty", "negated_bare")}


def _mend(low: str, words: Sequence[str], zipfs: Sequence[float]) -> str:
    """Typing slips in the words of not knowing ("dont knw", "no idae"): an unknown word one edit away from one."""
    fixes = {w: TYPOS[w] for w, z in zip(words, zipfs, strict=True) if z < 3.8 and w in TYPOS}
    return _LATIN_WORD_LOW.sub(lambda m: fixes.get(m.group(), m.group()), low) if fixes else low


def non_answer_features(low: str, zh: bool, units: int, seen: tuple[Sequence[str], Sequence[float]],
                        n_content: int, hedged: bool, lex: Lexicon, lang: str, ctx: Context,
                        hits: RuleHits) -> dict[str, float]:
    """The non-answer signs of one answer (core.judge_nonanswer), what they leave, and each paired with its place."""
    who = bool((_ZH_WHO if zh else _EN_WHO).search(ctx.question.lower())) if ctx.question else False
    na = non_answer(low if zh else _mend(low, *seen), zh, asks_who=who) if units <= SIGNS_MAX_UNITS else None
    left = rare_left = n_content
    after = guess = 0
    guessed_last = claim = False
    if na and (na.unsure or na.defer or na.nothing or na.ending):  # segment again only what the signs left
        rest = lex.words(na.left)
        kept = [z for w, z in zip(rest, lex.zipfs(rest, lang), strict=True) if z < FUNCTION_ZIPF and not w.isdigit()]
        left, rare_left = len(kept), sum(1 for z in kept if z < RARE_ZIPF)
        # A guess beside the sign ("hard to say, probably pricing?", "not sure, the service I suppose"): a hedge and a
        # word of content besides it is a hedged answer, "not sure, I guess" is not knowing.
        guess_rx = _ZH_GUESS if zh else _EN_GUESS
        if left and guess_rx.search(na.left):
            guessed = lex.words(guess_rx.sub(" ", na.left))
            guess = sum(1 for z in lex.zipfs(guessed, lang) if z < FUNCTION_ZIPF)
        if na.after.strip(" ,.!?;:，。！？；、…~～"):
            after = sum(1 for z in lex.zipfs(lex.words(na.after), lang) if z < FUNCTION_ZIPF)
            guessed_last = bool(guess and guess_rx.search(na.after))
            # A statement after the last sign ("no idea of the details, the approvals are just slow", "说不好，感觉信息
            # 总是不全"): the sign hedges what follows, which says something about the topic (issue 13).
            claim = after >= 2 and bool((_ZH_CLAIM if zh else _EN_CLAIM).search(na.after))
    # Which kind of sign the answer ends on: "not sure, but that's all" is an ending, "no, not sure" is not; an
    # answer that goes on after its last sign ("not sure why, but every Friday the sync fails") ends on neither.
    # One that ends on a guess ("hard to say, probably pricing?") ends on neither either.
    ends = na.last if na and after <= 2 and not guessed_last and not claim else ""
    # Not knowing that ends on a guess is a softener of the guess ("hard to say, probably pricing?"), not a non-answer.
    # A statement after the sign is left to the model (`na_claim`): dropping the signs before one, as for a guess, lost
    # 1.8 / 2.1 points of don't-know in cross-validation ("you'd have to ask sales, I have no visibility into that").
    signs = {"unsure": bool(na and na.unsure and not guessed_last), "defer": bool(na and na.defer),
             "nothing": bool(na and na.nothing), "ending": bool(na and na.ending), "rule_stop": hits.stop,
             "rule_dont_know": hits.dont_know,
             "ends_ending": ends in ("ending", "nothing"), "ends_unknown": ends in ("unsure", "defer")}
    signs["bare"] = any(signs.values()) and left <= 1
    signs["little_left"] = any(signs.values()) and left <= 4
    place = "closing" if ctx.closing else "follow" if ctx.depth > 0 else "first"
    f = {f"na_{k}": float(v) for k, v in signs.items() if k not in ("rule_stop", "rule_dont_know", "bare",
                                                                      "little_left")}
    f["na_bare"], f["na_little_left"] = float(signs["bare"]), float(signs["little_left"])
    any_sign = any(signs.values())
    f["na_left"] = _log(min(left, 12)) if any_sign else 0.0
    # What the signs leave: rare words (a topic named, "not sure about pricing", or real content), and the share
    # of the answer's words the signs took; hedging beside a sign is not knowing said at length.
    f["na_rare_left"] = _log(min(rare_left, 8)) if any_sign else 0.0
    f["na_share"] = 1.0 - min(left, n_content) / n_content if any_sign and n_content else float(any_sign)
    f["na_hedged"] = float(any_sign and hedged)
    f["na_after"] = _log(min(after, 12)) if any_sign else 0.0
    # A want named beside the sign ("hard to say, probably pricing?", "not sure, the service I suppose") is a hedged
    # answer, not a non-answer.
    f["na_with_cue"] = float(any_sign and hits.surface > 0)
    f["na_guess"] = _log(min(guess, 4))
    f["na_claim"] = float(claim)
    f["claim@first"] = float(claim and place == "first")
    # Saying nothing at all (no word rarer than "the", "的"): an ending to "anything else?" or to a follow-up, a
    # non-answer to a first question.
    signs["empty"] = n_content == 0
    # A negation with no cue of what is wanted and at most one rare word: "这个我还真答不好", "not a question I
    # can answer" are non-answers whose wording no grammar lists; "不够快", "no follow-up after the sale" name a want.
    negated = bool((_ZH_NEG if zh else _EN_NEG).search(low))
    signs["negated_bare"] = not claim and not hits.surface and rare_left <= 1 and negated
    for k, v in signs.items():
        for p, name in zip(_PLACES, _PLACED[k], strict=True):
            f[name] = float(v and p == place)
    return f
