"""Signs that an answer carries nothing (not knowing, someone else's area, a bare "no", nothing more to add).

The rule files list exact phrases; these patterns describe the grammar of a non-answer instead (a negation
before a verb of knowing, with or without a degree word between: "can't remember", "不太清楚", "记不太清"),
so wordings nobody listed are read the same way. Whether a non-answer is an ending (`stop`) or something
to help with (`dont_know`) depends on where it is said: the judge pairs each sign with the context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.judge_elsewhere import (
    EN_ELSEWHERE_DEFER,
    EN_NO_ONE_ANSWER,
    ZH_ELSEWHERE_DEFER,
    ZH_ELSEWHERE_HANDOVER,
    ZH_NO_ONE_ANSWER,
)
from core.judge_evasions import EN_EVADE_DEFER, EN_EVADE_UNSURE, ZH_EVADE_DEFER, ZH_EVADE_HANDOVER, ZH_EVADE_UNSURE
from core.judge_grammar import (
    CLAUSE,
    EN_DEFER,
    EN_ENDING,
    EN_NOTHING,
    EN_UNSURE,
    SHRUG,
    TYPOS,
    ZH_DEFER,
    ZH_ENDING,
    ZH_NOTHING,
    ZH_UNSURE,
)
from core.judge_positions import EN_DEFER_MORE, EN_HANDOVER, EN_UNSURE_MORE, ZH_DEFER_MORE, ZH_HANDOVER, ZH_UNSURE_MORE

__all__ = ["TYPOS", "NonAnswer", "cut_out", "first_clause", "non_answer", "unshrug"]

# Answers that are only a hesitation or a question mark ("嗯……", "hmm...", "??"): nothing comes, or the question
# was not understood.
_ONLY_HESITATING = re.compile(r"^[\s?？.。…!！,，~～-]*(?:(?:嗯+|呃+|额+|唔+|emm+|em|um+|uh+|erm+|hmm+|hm+|mm+|"
                              r"er+|eh|啊+|哦+)[\s?？.。…!！,，~～-]*)*[?？]?[\s?？.。…!！,，~～-]*$")


def unshrug(text: str) -> str:
    """A shrug (emoji or kaomoji) as the words it stands for."""
    return SHRUG.sub(" idk ", text) if not text.isascii() or "(" in text else text


@dataclass(frozen=True)
class NonAnswer:
    """The non-answer signs in one (cleaned, lower-cased) answer."""

    unsure: bool  # not knowing: "can't remember", "不太清楚", "hard to say"
    defer: bool  # someone else's area or a look-up first: "ask my team lead", "得查一下合同"
    nothing: bool  # opens with a bare no / nothing: "nope", "not really", "木有", "没什么"
    ending: bool  # nothing more to add: "that's all", "就这些", "没了"
    left: str  # the answer with the signs cut out: what else it says
    last: str = ""  # the last sign ("not sure, but that's all I've got" ends on an ending)
    after: str = ""  # what is said after the last sign ("不太清楚原因，但上个月发票晚了三次": an answer after all)


# Not knowing is said of oneself: "they never seem to know", "customers don't understand the bill", "客户不清楚流程"
# report what someone else lacks. A sign of not knowing whose subject, in its clause, is another person is content.
_EN_OTHERS = re.compile(r"\b(?:they|he|she|customers?|clients?|people|staff|reps?|users?|callers?|drivers?|"
                        r"agents?|buyers?|everyone|everybody|management|sales|finance|it)(?:'re| are| were| was| is| "
                        r"do| does| did| just| really| still| often| always| usually| simply| even| seem to| "
                        r"seems to)*\s*$")
_ZH_OTHERS = re.compile("(?:他们|她们|他|她|客户|大家|别人|用户|员工|销售|老板|领导|同事|对方|人家|供应商|厂家|"
                        "很多人|有些人|不少人|司机|客服|新人|经理|主管|总监|财务|采购|老总|上面|业务)"
                        "(?:都|也|根本|完全|一直|从来|还|就|总是|老是|经常|往往|压根|可能)*$")


# Not knowing as what someone fears, avoids or would no longer have to live with is content, a consequence, not the
# speaker's own non-answer: "我最怕的就是在老板面前说不清钱花哪了", "不用等业务来投诉我们才知道", "而不是等丢了才知道",
# "instead of waiting to hear it from the customer". Bare 怕 and "afraid" stay signs: "我怕说不好", "I'm afraid I
# don't know" are polite non-answers.
_ESCAPED = {True: re.compile("最怕|就怕|生怕|担心|担忧|免得|省得|以免|万一|一旦|不然|否则|要不然|不用|不必|而不是|不再|"
                             "用不着|省去"),
            False: re.compile(r"\b(?:worried|worries|worry|fear|scared|otherwise|in case|the worst|instead of|"
                              r"rather than|no more|without having to|wouldn'?t have to|don'?t have to|no longer)\b")}
_LATIN = re.compile(r"[a-z]{3}")
_HAN = re.compile("[\u4e00-\u9fff]{2}")
_ASKING = re.compile(r"(?:得|要|需要)?问|ask\b|asking\b")
_NEGATED = re.compile(r"not\b|n't|never|no\b|hardly|barely|\w+n'?t\b|不|没")


# "that we don't actually know our customers as well as we say we do", "we never really know who owns the account":
# the company not knowing something it names is a problem stated, not the speaker's own "I don't know" ("we don't know
# yet", "we don't know who decides that" still are: nothing of substance follows).
_EN_WE = re.compile(r"\b(?:we|our (?:team|company|side)|the company|the business)(?: \w+){0,2}\s*$")
_EN_WORD = re.compile(r"[a-z][a-z']{3,}")
_EN_WH = re.compile(r"\s*(?:who|what|which|how|when|where|why|if|whether)\b")
_EN_SMALL = frozenset("""that this these those what which when where with they them there their about really exactly
either sure honestly anyway though even much very well said tell asked ask anything something into onto from over
under after before since until across through within without""".split())
# "出了问题找IT背锅", "客户有问题找销售，销售找我们": going to someone, told as what happens (an event or a habit
# before the verb), is a practice or a complaint, not handing the question over ("报价的事找销售吧" still is).
# "then we ask the field team", "they just ask the supplier": asking told as what someone does, a practice, not handing
# the question over ("ask the field team", "I'd ask the field team", "you'd have to ask Raj" still are).
_EN_NARRATED = re.compile(r"\b(?:we|they|he|she|i|everyone|someone|whoever'?s? \w+)(?: usually| normally| always| "
                          r"just| then| often| sometimes| first| still)*\s*$")
_EN_ASKS = re.compile(r"(?:ask|check with|talk to|speak to|go to|call|ring|email)\b")
# A point in a recurring cycle before the asking ("月底问一下才知道", "周会上问一下") makes it a habit too: how
# one finds out, not "let me ask" (found as a marketing lead: "月底问一下才知道" to "您怎么知道它最后有没有
# 成单？" got the way out).
_ZH_HAPPENS = re.compile("了|(?<!没)有(?:问题|事|毛病|情况)|每次|经常|总是|老是|一般|平时|通常|动不动|"
                         "每(?:天|周|个?月|季度?|年)|(?:月|季度?|年)(?:底|初|中)|周[一二三四五六日末]|[周月例]会|"
                         "开会的时候")


def _said_of_others(low: str, start: int, zh: bool, kind: str, end: int = -1) -> bool:
    """A negated verb of knowing, or a verb of asking, whose subject is someone else: "they never seem to know",
    "经理都要问进度" (the manager asks) report others ("it slipped my mind" is no negation: still mine); or not knowing
    something named, said of the company; or going to someone, told as what happens."""
    before = CLAUSE.split(low[:start])[-1]
    if kind in ("unsure", "defer") and _ESCAPED[zh].search(before):
        return True
    if kind == "unsure" and not zh and end > 0 and _EN_WE.search(before):
        after = CLAUSE.split(low[end:])[0]
        named = [w for w in _EN_WORD.findall(after) if w not in _EN_SMALL]
        if len(named) >= (2 if _EN_WH.match(after) else 1):
            return True
    if kind == "defer" and zh and low[start:start + 1] in ("找", "问", "才") and _ZH_HAPPENS.search(before):
        return True  # "才知道" after a habit ("月底问一下才知道") tells how one finds out; "得问问才知道" still defers
    if kind == "defer" and not zh and _EN_ASKS.match(low, start) and _EN_NARRATED.search(before):
        return True
    if not (_NEGATED.match(low, start) if kind == "unsure" else kind == "defer" and _ASKING.match(low, start)):
        return False
    clause = CLAUSE.split(low[:start])[-1]
    return bool((_ZH_OTHERS if zh else _EN_OTHERS).search(clause))


# "老板定的", "management decided": who decided, a deferral to a question about something else ("that's the boss's
# call") but the answer to one that asks who or how it was decided (found as a former customer: "老板定的，今年三月份"
# to "这个决定是怎么做出的、什么时候做的、有哪些人参与" got a don't-know technique).
_DECIDED_BY = {True: re.compile("(?:上面|领导|老板|总部|公司|上级|老总|总经理)(?:定|决定|拍板)的"),
               False: re.compile(r"(?:the )?(?:boss|owner|owners|management|head office|ceo|md|gm|board)"
                                 r"(?: decided| made the call| decides| makes the call)")}


def non_answer(low: str, zh: bool, asks_who: bool = False) -> NonAnswer:
    """Find the signs; `left` keeps the text outside them, for counting what else the answer carries. When the
    question asks who (`asks_who`), naming who does it is the answer, not a handover."""
    unsure, defer = ([ZH_UNSURE, ZH_UNSURE_MORE, ZH_NO_ONE_ANSWER, ZH_EVADE_UNSURE],
                     [ZH_DEFER, ZH_DEFER_MORE, ZH_ELSEWHERE_DEFER, ZH_EVADE_DEFER]) \
        if zh else ([EN_UNSURE, EN_UNSURE_MORE, EN_NO_ONE_ANSWER, EN_EVADE_UNSURE],
                    [EN_DEFER, EN_DEFER_MORE, EN_ELSEWHERE_DEFER, EN_EVADE_DEFER])
    if not asks_who:
        defer = [*defer, *((ZH_HANDOVER, ZH_ELSEWHERE_HANDOVER, ZH_EVADE_HANDOVER) if zh else (EN_HANDOVER,))]
    # Mixed answers: "这个嘛…… hard to say", "I'll keep that one to myself, 不好意思" carry the other language's signs.
    if zh and _LATIN.search(low):
        unsure, defer = [*unsure, EN_UNSURE, EN_UNSURE_MORE, EN_NO_ONE_ANSWER], [*defer, EN_DEFER, EN_DEFER_MORE,
                                                                              EN_ELSEWHERE_DEFER]
    elif not zh and _HAN.search(low):
        unsure, defer = [*unsure, ZH_UNSURE, ZH_UNSURE_MORE, ZH_NO_ONE_ANSWER], [*defer, ZH_DEFER, ZH_DEFER_MORE,
                                                                              ZH_ELSEWHERE_DEFER]
    spans: list[tuple[int, int]] = []
    found = []
    last, last_end = "", -1
    for kind, rxs in (("unsure", unsure), ("defer", defer), ("nothing", [ZH_NOTHING if zh else EN_NOTHING]),
                      ("ending", [ZH_ENDING if zh else EN_ENDING])):
        hits = sorted(m.span() for rx in rxs for m in rx.finditer(low)
                      if not _said_of_others(low, m.start(), zh, kind, m.end())
                      and not (asks_who and _DECIDED_BY[zh].fullmatch(m.group())))
        found.append(bool(hits))
        spans.extend(hits)
        if hits and hits[-1][1] >= last_end:
            last, last_end = kind, hits[-1][1]
    left = cut_out(low, spans)
    if not any(found) and low.strip() and _ONLY_HESITATING.match(low):
        found[0], last = True, "unsure"
    return NonAnswer(found[0], found[1], found[2], found[3], left=left, last=last,
                     after=low[last_end:] if last_end >= 0 else "")



def cut_out(low: str, spans: list[tuple[int, int]]) -> str:
    """The text outside the spans, by their merged extent: overlapping signs ("not really, i've said it all") leave
    no fragment behind to count as a rare word."""
    pieces, pos = [], 0
    for start, end in sorted(spans):
        if start > pos:
            pieces.append(low[pos:start])
        pos = max(pos, end)
    pieces.append(low[pos:])
    return " ".join(pieces)


def first_clause(low: str) -> str:
    """The answer up to its first clause break ("no, the quote was late" -> "no")."""
    m = CLAUSE.search(low)
    return low[: m.start()] if m else low
