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

# Not knowing: a negation, then (within a few words) a verb of knowing, remembering or judging; or an
# admission that an answer would be a guess. The guards let a match start only where a sign can (a word start
# with one of the letters signs begin with, or "n't"): the same matches, several times faster.
_EN_UNSURE = re.compile(
    r"(?:(?<!\w)(?=[abcdghijmnopstuw])|(?=n't))(?:"
    r"(?:\bnot|n't|\bnever|\bno|\bhardly|\bbarely|\b(?:can|don|didn|won|couldn|haven|isn|wasn|doesn|wouldn)t)\b"
    r"[\w\s']{0,20}?\b(?:know|knew|sure|tell|say|decided|thought|counted|idea|explain|remember|recall|clue|certain|"
    r"aware|noticed|checked|measured|describe|judge|comment|answer|pin|think of|come up with|heard|seen|looked|"
    r"figured|worked out|given it|put (?:my )?finger|view|opinion|feelings?|answer for)\b|"
    r"\b(?:hard|difficult|tough|impossible|tricky)\s+(?:one|question|to\s+(?:say|tell|explain|describe|pin|judge|"
    r"answer|put|quantify|know|remember|think|estimate|pick|choose|single|guess))\b|"
    r"\b(?:it |that )?depends\b|\bbeats me\b|\bidk\b|\bdunno\b|\bwho knows\b|\bgood (?:question|one)\b|"
    r"\bno opinion\b|\bno (?:idea|clue)\b|\b(?:can'?t|cannot|couldn'?t) (?:really )?(?:say|tell)\b|"
    r"\bdrawing a blank\b|\bmind(?:'s| is) blank\b|\b(?:be|just|only|a wild) guess(?:ing)?\b|\bguessing\b|"
    r"\bwouldn'?t know where to (?:start|begin)\b|\bnot (?:really )?(?:sure|certain)\b|\bunsure\b|"
    r"\bpass\b(?! (?:it|them|the|on|through|to))|\bno strong (?:view|opinion|feelings?)\b|"
    r"\bstill (?:being )?(?:working it out|worked out|figuring|open|undecided|to be decided)\b|"
    r"\bhaven'?t (?:really )?(?:thought|given)\b|\bnever (?:really )?(?:thought|counted|measured|noticed)\b)")
_ZH_UNSURE = re.compile(
    "不(?:太|是很|大|怎么|很|是太)?(?:知道|清楚|确定|了解|懂|记得|晓得|晓的|好说|好讲|好判断|好估计|好回答|好形容|"
    "好描述|一定|熟|造)|没(?:办)?法(?:回答|说|讲|判断|估计)|回答不了|"
    "记不(?:太|大|很)?(?:清|得|住|起)|说不(?:太|大|很)?(?:准|好|清|上来|定|出)|讲不(?:太|大)?(?:清|好|出)|"
    "(?:得|要|再|让我|我)想(?:想|一想|一下)|想不(?:太)?(?:到|出|起)|"
    "答不(?:上|出|了)|拿不(?:准|定)|(?:很|挺|比较|太)?难(?:说|讲|估计|判断|回答|形容|描述)|"
    "没(?:怎么|太|有)?(?:想过|想好|想到|算过|数过|统计|注意|留意|关注|听说|概念|印象|头绪|研究过|了解过|考虑过|"
    "对比过|比较过|想那么)|只能(?:瞎)?猜|瞎猜|猜不|一时(?:半会儿?)?(?:想不|说不|答不)|不知(?:从何|从哪|怎么)|"
    "谁知道|天知道|看情况|(?:还)?没(?:定|决定|确定)|还在(?:考虑|想|讨论|评估)|布吉岛|"
    "idk|dunno|i don'?t know|not sure|no idea")
# Someone else's area, or a look-up first: the person cannot answer it now. Said as who would know ("the
# controller would know"), whose job it is ("not my area", "finance handles that"), or a promise to check.
_EN_DEFER = re.compile(
    r"(?:(?<!\w)(?=[abcdfghiklmnorstw])|(?='d))(?:"
    r"\b(?:ask|asking|check with|talk to|speak to) (?:my|the|someone|somebody|our|their|them|him|her|anyone|"
    r"whoever|[a-z]+ (?:in|from|at))\b|\b(?:my|a|our|the) (?:colleague|boss|manager|team lead)s? (?:does|do|would "
    r"know|knows|handles?)\b|\bnot (?:really |exactly |quite )?(?:my|our) (?:area|department|side|job|call|"
    r"decision|team|field|thing|responsibility|remit|patch)\b|\bnot (?:really )?(?:involved|part of)\b|"
    r"\b(?:have|need|i'?d have) to "
    r"(?:check|look|ask)\b|\bbefore my time\b|\bolder than me\b|\b(?:i'?d|i would|i'?ll|i will) (?:have|need) to "
    r"(?:think|check|look|ask|find out)\b|\b(?:i'?d|i would) need (?:the|my|someone|somebody)\b|"
    r"\b(?:would|will|should|might|could|may|'d) know\b|\bknows? (?:better|more about)\b|"
    r"\b(?:better|right|best|wrong) (?:person|people|one|guy) to ask\b|"
    r"\bnot (?:the )?(?:right|best|best-placed) person\b|"
    r"\bfor (?:the|my|our) [a-z]+ to (?:decide|say|answer)\b|\babove my (?:pay ?grade|head)\b|"
    r"\b(?:handles?|handled|runs?|owns?|deals? with|decides?) (?:that|this|it|all)\b|\bget back to you\b|"
    r"\blook (?:it|that) up\b|\bnot something i (?:deal|work|handle)\b|\bwasn'?t (?:around|there|involved)\b|"
    r"\bi'?m (?:new|only|just) (?:here|on|in)\b|\bi (?:only|just) (?:do|see|handle)\b)")
_ZH_DEFER = re.compile(
    "不归我|不是我(?:负责|管|这边|们部门|定的|做的|对接|的事|能定)|我只(?:负责|管)|不在我|我不管|不关我|说了不算|"
    "(?:得|要|需要|可以|去|还是)?(?:问|找)(?:问|一下|下)?(?:我们|他们|你们)?(?:的)?(?:领导|老板|主管|经理|同事|上面|"
    "IT|it|财务|采购|销售|客服|运维|数据组|供应商|调度)|你问|得问|要问|问一下|问问|"
    "(?:得|要|需要)(?:先)?查(?:一下)?|(?:得|要)看(?:一下)?(?:合同|情况|数据|系统)|我来之前|来之前的|我刚来|"
    "(?:他们|那边|同事|应该|可能)(?:更|比较|最)?(?:清楚|知道|了解)|才知道|"
    "接触(?:得)?不多|没(?:怎么)?(?:接触|参与)|回头(?:查|再|告诉)|再告诉你")
# "not really" is a bare no when nothing follows it in its clause, unlike "not really sure what they'd use it for"
# or "not really my department".
_NOT_UNSURE = r"(?!\s+(?!no\b|nothing\b|thanks?\b)[a-z])"
# A bare "no" or "nothing" opening the answer.
_EN_NOTHING = re.compile(rf"^{_EN_FILLER}(?:no|nope|nah|not really{_NOT_UNSURE}|not much|not a lot|nothing|"
                         r"none|nobody|no one|never|n/a|na|not that i know|not at the moment|not yet)\b")
_ZH_NOTHING = re.compile(f"^{_ZH_FILLER}(?:没有?|木有|无|没啥|没什么|没多少|不多|还没|没得|并没有|"
                         "no|nope|nothing|none)")
# Nothing (more) to add.
_EN_ENDING = re.compile(
    r"(?<!\w)(?=[a-z])(?:\bthat(?:'?s| is| was| would be) (?:all|it|everything|about it|enough|"
    r"the main (?:one|thing)|the one)\b|"
    r"\bnothing (?:else|more|further|to add)\b|\bno(?:thing)? more\b|\b(?:i'?ve|i have) said\b|\bsaid (?:what|all|"
    r"everything)\b|\bcovers it\b|\b(?:i'?m|all) done\b|\bnothing (?:comes|springs) to mind\b|\bthat'?s about it\b|"
    rf"\bi'?m good\b|\bno,? thanks?\b|\bno thank you\b|\bnot really\b{_NOT_UNSURE}|"
    r"\b(?:i )?don'?t think so\b|\b(?:you'?ve|you have|i'?ve|i have|we'?ve) (?:covered|got) (?:it|everything)\b|"
    r"\bthat(?:'?s| is| was) (?:really|pretty much|basically|about|just|more or less) (?:all|it|everything)\b|"
    r"\bthe whole story\b|\bthat'?s the (?:big|main|only) one\b|"
    r"\b(?:i'?d |i would )?(?:rather|prefer to) not\b|\bleave it (?:there|at that)\b|\bnot going to (?:go|get) into\b)")
_ZH_ENDING = re.compile("就这些|就这样|就这么多|没别的|没有别的|没其他|没有其他|其他没有|其他的?没|说完了|"
                        "没(?:有|什么|啥)?(?:要|好|可以|可)?补充|就是?这么回事|"
                        "没什么要补充|没有更多|差不多了|够了|也就这些|想不到别的|暂时(?:就|没)|没(?:什么|啥)了|没了|"
                        "不(?:多|再|想|便|方便)?(?:说|讲|展开|谈)了|就(?:说|讲|聊)?到这|算了|"
                        "就是?(?:这个|这|那个|那)(?:一[个点条次])?吧?[。.!！]?$|that'?s all|that'?s it|nothing else")
_CLAUSE = re.compile(r"[.!?;,。！？；，、\n]")
# A shrug says "I don't know" without a word: the emoji (with its gender and skin-tone marks) or the kaomoji.
_SHRUG = re.compile("\U0001f937[\u200d\u2640\u2642\ufe0f\U0001f3fb-\U0001f3ff]*|\u00af\\\\?_\\(\u30c4\\)_/\u00af")

# Words of the grammar above that typing often mangles; an unknown word one edit away from one of them
# ("knw", "shure", "idae", "thougt") is read as that word (core.judge_features checks it is unknown).
_MENDABLE = ("know", "sure", "idea", "remember", "recall", "think", "thought", "really", "nothing", "clue",
             "tell", "certain", "anything", "honestly", "decided")


def _one_edit(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    return deletes | swaps | {a + c + b[1:] for a, b in splits if b for c in letters} \
        | {a + c + b for a, b in splits for c in letters}


TYPOS: dict[str, str] = {}
for _w in _MENDABLE:
    for _e in sorted(_one_edit(_w)):
        if len(_e) >= 3 and _e not in _MENDABLE:
            TYPOS.setdefault(_e, _w)


def unshrug(text: str) -> str:
    """A shrug (emoji or kaomoji) as the words it stands for."""
    return _SHRUG.sub(" idk ", text) if not text.isascii() or "(" in text else text


@dataclass(frozen=True)
class NonAnswer:
    """The non-answer signs in one (cleaned, lower-cased) answer."""

    unsure: bool  # not knowing: "can't remember", "不太清楚", "hard to say"
    defer: bool  # someone else's area or a look-up first: "ask my team lead", "得查一下合同"
    nothing: bool  # opens with a bare no / nothing: "nope", "not really", "木有", "没什么"
    ending: bool  # nothing more to add: "that's all", "就这些", "没了"
    left: str  # the answer with the signs cut out: what else it says
    last: str = ""  # the sign the answer ends on ("not sure, but that's all I've got" ends on an ending)


def non_answer(low: str, zh: bool) -> NonAnswer:
    """Find the signs; `left` keeps the text outside them, for counting what else the answer carries."""
    unsure_rx, defer_rx, nothing_rx, ending_rx = (_ZH_UNSURE, _ZH_DEFER, _ZH_NOTHING, _ZH_ENDING) if zh else \
        (_EN_UNSURE, _EN_DEFER, _EN_NOTHING, _EN_ENDING)
    spans: list[tuple[int, int]] = []
    found = []
    last, last_end = "", -1
    for kind, rx in (("unsure", unsure_rx), ("defer", defer_rx), ("nothing", nothing_rx), ("ending", ending_rx)):
        hits = [m.span() for m in rx.finditer(low)]
        found.append(bool(hits))
        spans.extend(hits)
        if hits and hits[-1][1] >= last_end:
            last, last_end = kind, hits[-1][1]
    # Cut the signs out by their merged spans: overlapping signs ("not really, i've said it all") leave no
    # fragment behind to count as a rare word.
    pieces, pos = [], 0
    for start, end in sorted(spans):
        if start > pos:
            pieces.append(low[pos:start])
        pos = max(pos, end)
    pieces.append(low[pos:])
    left = " ".join(pieces)
    return NonAnswer(found[0], found[1], found[2], found[3], left=left, last=last)


def first_clause(low: str) -> str:
    """The answer up to its first clause break ("no, the quote was late" -> "no")."""
    m = _CLAUSE.search(low)
    return low[: m.start()] if m else low
