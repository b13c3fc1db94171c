"""Signs that an answer carries nothing (not knowing, someone else's area, a bare "no", nothing more to add).

The rule files list exact phrases; these patterns describe the grammar of a non-answer instead (a negation
before a verb of knowing, with or without a degree word between: "can't remember", "不太清楚", "记不太清"),
so wordings nobody listed are read the same way. Whether a non-answer is an ending (`stop`) or something
to help with (`dont_know`) depends on where it is said: the judge pairs each sign with the context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EN_FILLER = (r"(?:(?:well|um+|uh+|erm+|hmm+|oh|ah|honestly|sorry|so|yeah|ok|okay|hm+|i mean|tbh|to be honest)"
              r"[\s,.!…]*)*")
_ZH_FILLER = ("(?:(?:嗯+|呃+|额+|啊+|哦+|唔+|那个|这个|这|那|其实|说实话|老实说|好像|暂时|目前|现在|"
              "真的?|确实|倒是?|也|还|我|我们|ok|嗯嗯)[\\s,，.。!！…、]*)*")

# Not knowing: a negation, then (within a few words) a verb of knowing, remembering or judging.
_EN_UNSURE = re.compile(
    r"(?:\bnot|n't|\bnever|\bno|\bhardly|\bbarely|\b(?:can|don|didn|won|couldn|haven|isn|wasn|doesn|wouldn)t)\b[\w\s']{0,20}?\b(?:know|knew|sure|tell|say|decided|thought|"
    r"counted|idea|explain|remember|recall|clue|certain|aware|noticed|checked|measured|describe|judge|comment|"
    r"answer|pin|think of|come up with|heard|seen|looked)\b|"
    r"\b(?:hard|difficult|tough|impossible|tricky)\s+to\s+(?:say|tell|explain|describe|pin|judge|answer|put|"
    r"quantify|know|remember|think|estimate|pick|choose|single)\b|"
    r"\b(?:it |that )?depends\b|\bbeats me\b|\bidk\b|\bdunno\b|\bwho knows\b|\bgood question\b|\bno opinion\b|"
    r"\bno (?:idea|clue)\b|\b(?:can'?t|cannot|couldn'?t) (?:really )?(?:say|tell)\b")
_ZH_UNSURE = re.compile(
    "不(?:太|是很|大|怎么|很|是太)?(?:知道|清楚|确定|了解|懂|记得|晓得|好说|好讲|好判断|好估计|一定)|"
    "记不(?:太|大|很)?(?:清|得|住|起)|说不(?:准|好|清|上来|定|出)|讲不(?:清|好|出)|想不(?:太)?(?:到|出|起)|"
    "(?:很|挺|比较|太)?难(?:说|讲|估计|判断|回答|形容|描述)|"
    "没(?:怎么|太|有)?(?:想过|想好|想到|算过|数过|统计|注意|留意|关注|听说|概念|印象|头绪|研究过|了解过|考虑过)|"
    "谁知道|天知道|看情况|(?:还)?没(?:定|决定|确定)|还在(?:考虑|想|讨论|评估)|i don'?t know|not sure|no idea|idk")
# Someone else's area, or a look-up first: the person cannot answer it now.
_EN_DEFER = re.compile(
    r"\b(?:ask|check with|talk to) (?:my|the|someone|somebody|our)\b|\b(?:my|a|our) (?:colleague|boss|manager|"
    r"team lead)s? (?:does|do|would know|knows|handles?)\b|\bnot (?:my|our) (?:area|department|side|job|call|"
    r"decision|team)\b|\bnot (?:really )?(?:involved|part of)\b|\b(?:have|need|i'?d have) to (?:check|look|ask)\b|"
    r"\bbefore my time\b|\bolder than me\b|\b(?:i'?d|i would|i'?ll|i will) (?:have|need) to (?:think|check|look|ask|"
    r"find out)\b|\b(?:i'?d|i would) need (?:the|my|someone|somebody)\b")
_ZH_DEFER = re.compile("不归我|不是我(?:负责|管|这边|们部门|定的)|我只(?:负责|管)|不在我|得问|要问|问一下|问问|"
                       "(?:得|要|需要)(?:先)?查(?:一下)?|(?:得|要)看(?:一下)?(?:合同|情况|数据|系统)|我来之前")
# A bare "no" or "nothing" opening the answer.
_EN_NOTHING = re.compile(rf"^{_EN_FILLER}(?:no|nope|nah|not really|not much|not a lot|nothing|none|nobody|no one|"
                         r"never|n/a|na|not that i know|not at the moment|not yet)\b")
_ZH_NOTHING = re.compile(f"^{_ZH_FILLER}(?:没有?|木有|无|没啥|没什么|没多少|不多|还没|没得|并没有|"
                         "no|nope|nothing|none)")
# Nothing (more) to add.
_EN_ENDING = re.compile(
    r"\bthat(?:'?s| is| was| would be) (?:all|it|everything|about it|enough|the main (?:one|thing)|the one)\b|"
    r"\bnothing (?:else|more|further|to add)\b|\bno(?:thing)? more\b|\b(?:i'?ve|i have) said\b|\bsaid (?:what|all|"
    r"everything)\b|\bcovers it\b|\b(?:i'?m|all) done\b|\bnothing (?:comes|springs) to mind\b|\bthat'?s about it\b|"
    r"\bi'?m good\b|\bno,? thanks?\b|\bno thank you\b|\bnot really\b|\bthat'?s the (?:big|main|only) one\b|"
    r"\b(?:i'?d |i would )?(?:rather|prefer to) not\b|\bleave it (?:there|at that)\b|\bnot going to (?:go|get) into\b")
_ZH_ENDING = re.compile("就这些|就这样|就这么多|没别的|没有别的|没其他|没有其他|其他没有|其他的?没|说完了|"
                        "没有?(?:要)?补充|"
                        "没什么要补充|没有更多|差不多了|够了|也就这些|想不到别的|暂时(?:就|没)|没(?:什么|啥)了|没了|"
                        "不(?:多|再|想|便|方便)?(?:说|讲|展开|谈)了|就到这|算了|"
                        "就是?(?:这个|这|那个|那)(?:一[个点条次])?吧?[。.!！]?$|that'?s all|that'?s it|nothing else")
_CLAUSE = re.compile(r"[.!?;,。！？；，、\n]")


@dataclass(frozen=True)
class NonAnswer:
    """The non-answer signs in one (cleaned, lower-cased) answer."""

    unsure: bool  # not knowing: "can't remember", "不太清楚", "hard to say"
    defer: bool  # someone else's area or a look-up first: "ask my team lead", "得查一下合同"
    nothing: bool  # opens with a bare no / nothing: "nope", "not really", "木有", "没什么"
    ending: bool  # nothing more to add: "that's all", "就这些", "没了"
    left: str  # the answer with the signs cut out: what else it says


def non_answer(low: str, zh: bool) -> NonAnswer:
    """Find the signs; `left` keeps the text outside them, for counting what else the answer carries."""
    unsure_rx, defer_rx, nothing_rx, ending_rx = (_ZH_UNSURE, _ZH_DEFER, _ZH_NOTHING, _ZH_ENDING) if zh else \
        (_EN_UNSURE, _EN_DEFER, _EN_NOTHING, _EN_ENDING)
    spans: list[tuple[int, int]] = []
    found = []
    for rx in (unsure_rx, defer_rx, nothing_rx, ending_rx):
        hits = [m.span() for m in rx.finditer(low)]
        found.append(bool(hits))
        spans.extend(hits)
    left = low
    # Known flaw, kept because the shipped weights and the recorded test scores were made with it: where two
    # signs overlap ("not really, i've said it all"), the second cut is measured on the already shortened text
    # and can leave a fragment ("l"). Cutting by a character mask fixes it; do that at the next retraining.
    for start, end in sorted(spans, reverse=True):
        left = left[:start] + " " + left[end:]
    return NonAnswer(found[0], found[1], found[2], found[3], left=left)


def first_clause(low: str) -> str:
    """The answer up to its first clause break ("no, the quote was late" -> "no")."""
    m = _CLAUSE.search(low)
    return low[: m.start()] if m else low
