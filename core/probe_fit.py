"""Whether a follow-up's words fit the answer: what the answer tells (a use, a problem, a wish), what a wording needs.

A thoughtful interviewer does not ask "the last time that happened?" after "we use it for order tracking", nor "who
would you like to be able to reach?" after "we used your after-sales maintenance": the first presumes an event, the
second a wish to reach someone. The answer's kind is read from its grammar; what a wording presumes from its words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from core.question_asks import CLAUSE_BREAK as _CLAUSE_BREAK
from core.question_asks import missing_part

USE, PROBLEM, WISH, HEARSAY, PRACTICE, PLAN = "use", "problem", "wish", "hearsay", "practice", "plan"

# A statement of what the person uses, buys or did with us: "we use it for order tracking", "we've been buying
# packaging from you", "mainly support", "我们之前用你们的售后维保", "主要是买耗材". Not "easy to use", "好用", "没用".
_USE = {
    "en": re.compile(
        r"\b(?:we|i)(?:'ve| have| had)?(?: been)?(?: (?:mainly|mostly|just|only|always|still|originally))?"
        r" (?:use|used|using|buy|bought|buying|order|ordered|ordering|rent|rented|lease|leased|source|sourced)"
        r"\b(?! to be\b)"
        r"|\b(?:use|used|using|rely on|relied on) (?:it|you|them|your|you guys|the \w+)(?: \w+)? (?:for|to)\b"),
    "zh": re.compile(
        r"(?:我们|我|公司)(?:之前|以前|一直|现在|目前|平时|主要|原来|当时|已经|也)?(?:都|是|就)?(?:在)?"
        r"(?:用|买|采购|租|订)(?!户|起来|不了|得|的人)"
        r"|^(?:之前|以前|一直|现在|目前|平时|主要|原来|当时)(?:都|是|就)?(?:在)?(?:用|买|采购|租|订)"
        r"|(?:用|买|采购|订)了(?:[一二两三四五六七八九十几\d]+|好几)(?:年|个月)|(?:主要|基本)(?:是|就是)?(?:买|采购|租|订)"),
}
# A question that asks what the person uses us for: a short answer naming a product or a service is a use.
_ASKS_USE = {
    "en": re.compile(r"\b(?:you|your team) (?:use|used|rely on|relied on) (?:us|our \w+)\b"
                     r"|\bwhat (?:do|did) you (?:use|buy)\b"),
    "zh": re.compile(r"您(?:主要|当时)?(?:用|依靠)我们|用我们的(?:产品|服务)"),
}
# A question that asks for a wish ("if you could change one thing…", "what would you want…"): an answer with no
# sign of its own is a wish; one that asks what goes wrong ("where do deals stall?", "what do they complain about?"):
# a problem.
_ASKS_WISH = {
    "en": re.compile(r"\bif you (?:could|had)\b|\bwhat would you (?:want|change|like|do)|\bwould you want\b"
                     r"|\bone thing\b"),
    "zh": re.compile(r"如果(?:可以|能|明天|有)|假如|希望|想要|改变一件|改一件|最想|会怎么做|会做什么"),
}
# A question about what is coming ("over the next year or two", "三年以后", "未来一两年").
_ASKS_FUTURE = {
    "en": re.compile(r"\b(?:over the next|next (?:year|few years)|in (?:two|three|five) years|years' time|"
                     r"in the future|the years ahead)\b"),
    "zh": re.compile(r"未来|今后|将来|几年以后|三年以后|两年以后|三年后|两年后|明年"),
}
# A question that asks how something is done now ("walk me through…", "how does the customer get handed over?",
# "一般是什么样的过程？"): an answer with no sign of its own describes the practice, not a wish to picture.
_ASKS_PRACTICE = {
    "en": re.compile(r"\bwalk me through\b|\bhow (?:does|do|is|are)\b|\bwhat happens (?:from|when|after)\b"
                     # and what is there now: "which people need it, on what devices?", "who can see what?"
                     r"|\bwho (?:needs|uses|can see|sees|owns|is responsible)\b|\bwhat devices\b"
                     r"|\bwhich (?:people|users|roles|systems?|devices?|data)\b(?! would\b)"
                     r"|\bhow do you (?:find out|know|decide)\b|\bwhere does that (?:belief )?come from\b"),
    "zh": re.compile(r"什么样的过程|是怎么(?!说|讲|评价|看)|怎么(?:做|处理|交接|统计|定|决定)|如何|经历了什么|流程是"
                     r"|哪些人|用什么设备|谁能看到|由谁负责|谁负责|哪些(?:用户|岗位|角色|系统|设备|数据)"
                     r"|会怎么样|怎么知道|从哪里来|哪里来的"),
}
# The candid questions ask for what is hard to say ("what does management not want to hear…", "anything you would not
# say to your account manager directly?"): an answer to them is an uncomfortable truth, not a wish to picture.
_ASKS_PROBLEM = {
    "en": re.compile(r"\b(?:stall|complain|go(?:es)? wrong|problems?|issues?|frustrat|break|fail|late|mistakes?|errors?"
                     r"|missing|(?:is|are) wrong|delayed|get lost|gets lost"
                     r"|fixed first)"
                     r"|\b(?:not want|hardest(?: \w+){0,4}) to hear\b|\bnever told us\b|\bnot say to\b"),
    "zh": re.compile(r"卡住|卡在|抱怨|投诉|出问题|问题最多|出错|不满|不愿意听|难听进去|不方便当面|没有告诉过"
                     r"|缺了?什么|缺失|不对|丢掉|延误|耽误|断掉|断了|流失"),
}
_CUSTOMERS = re.compile(r"customer|client|客户|顾客")
# Words of waiting or speed in an answer: only then does a wording about waiting times fit.
_WAITING = {
    "en": re.compile(r"\b(?:wait\w*|slow\w*|late|long|days?|hours?|weeks?|ages|forever|quick\w*|fast\w*|speed\w*|"
                     r"respon\w*|reply|replies|back to (?:me|us)|on hold)\b"),
    "zh": re.compile(r"等|慢|久|快|及时|回复|响应|回电|天|小时|拖"),
}
# A comparison already made ("便宜点但是质量不稳定，你们贵一点但靠谱", "cheaper than you but…"): "compared with what?"
# asks what was just said.
_COMPARED = {
    "en": re.compile(r"\b(?:than|compared (?:to|with)|versus|vs\.?|whereas)\b|\b(?:cheaper|pricier|better|worse)\b.*"
                     r"\bbut\b"),
    "zh": re.compile(r"比(?:我们|你们|他们|别家|那家|这家|之前|以前)|相比|不如"
                     r"|(?:便宜|贵|好|差)(?:一)?点.{0,8}(?:但|可是|不过)"),
}


def compared(low: str, lang: str) -> bool:
    """Whether the answer already makes a comparison."""
    return bool(_COMPARED.get(lang, _COMPARED["en"]).search(low))


# A question that fixes both sides of the comparison ("What does your new supplier do better than we did?", "If we
# had matched their price…", "新的供应商比我们便宜吗？"): "compared with what?" would ask what the question said. Not
# "Who else have you looked at? Where are they better than us?": there "one other company" leaves the name to ask.
_QUESTION_COMPARES = {
    "en": re.compile(r"\bnew supplier\b|\btheir price\b"),
    "zh": re.compile(r"新的供应商|新供应商|他们的价格|对方的价格|[和跟]他们一样"),
}


def question_compares(question: str, lang: str) -> bool:
    """Whether the question itself names what is compared (its text; the intent after it is not read)."""
    return bool(_QUESTION_COMPARES.get(lang, _QUESTION_COMPARES["en"]).search(question.split("\n", 1)[0].lower()))
# A question that asks what customers need or value ("what do they value most?", "他们真正看重的是什么？").
_ASKS_VALUE = {
    "en": re.compile(r"\b(?:need and value|value most|really need|care about most|matters most|what do(?:es)? (?:our )?"
                     r"customers? (?:need|want|value))\b"),
    "zh": re.compile(r"最看重|最需要|真正需要|真正看重|真正想要|最在乎|最在意"),
}
# A want: "better service", "need it to work", "just answer the phone", "希望快点", "能不能便宜点".
_WISH = {
    "en": re.compile(
        r"\b(?:need|needs|needed|want|wants|wanted|would like|'d like|wish|should|hope|hoping|would love|please"
        r"|(?:better|more|faster|quicker|easier|cheaper|simpler|less|fewer|lower|higher)\b(?! than\b))\b"
        r"|^(?:just |please )?(?:answer|call|give|make|let|fix|stop|send|tell|show|keep|get)\b"),
    "zh": re.compile(
        r"希望|想要|要是能|能不能|可不可以|最好|应该|得要|需要|要有|就好了|就行了?|"
        r"(?:更|再)[^，。,.\s]{0,4}|(?:快|好|便宜|方便|简单|及时|准|稳定|省事)(?:一)?(?:点|些)"),
}
# What is planned or coming: "next year we're opening two more sites", "明年想做高端系列".
_PLAN = {
    "en": re.compile(r"\b(?:next (?:year|quarter|month|spring|summer|autumn|fall|winter)|plan(?:ning)? to|"
                     r"we'?re going to|we'?ll be|in the (?:coming|next) (?:year|months?)|over the next)\b"),
    "zh": re.compile(r"明年|后年|下半年|今年下半年|打算|计划|准备(?:要|做|开|上)|将来|以后要|接下来要"),
}
# What goes wrong now: "contacts are out of date", "the account manager changes too often", "客服态度有点敷衍".
_PROBLEM = {
    "en": re.compile(
        r"\b(?:not|no|never|nobody|nothing|wrong|out of date|outdated|missing|broken|breaks?|fails?|failed|late"
        r"|slow|too|always|keeps?|often|sometimes|hard to|can't|cannot|don't|doesn't|didn't|isn't|aren't|wasn't"
        r"|won't|lost|lose|messy|mess|mistakes?|errors?|worse|stuck|confusing|chase|chasing|waiting"
        # a complaint in evaluative words: "the portal is a pain", "it's clunky", "support is useless"
        r"|pain|painful|nightmare|hassle|clunky|awful|terrible|horrible|useless|rubbish|annoying|frustrating|buggy"
        r"|unreliable|sucks?|poor|bad|crap|meh|hate|dreadful|tedious|a joke"
        # nothing comes of it: "it goes into a black hole", "we never hear back"
        r"|black hole|goes nowhere|go nowhere|disappears?|vanish(?:es)?|falls? through the cracks|never hear back"
        # something that used to happen and no longer does: "you stopped caring", "they quit calling"
        r"|stopped|quit|gave up)\b"
        r"|n't\b"),
    "zh": re.compile(
        r"不准|不对|不全|不清|出错|错|老是|总是|经常|动不动|没人|不知道|找不到|打不通|慢|卡|乱|敷衍|重复|"
        r"差(?!不多|不离)|烂|脏|难|麻烦|拖|等|催|漏|丢|坏|不行|不好|没法|不能|没有"
        r"|石沉大海|没下文|没消息|不了了之|没回音|杳无音信|不再|不管了|不理|晚到|晚了|晚交|晚发|延期|延误|推迟|耽误"),
}
# The word quality said: only then does a wording name it ("the last time quality let you down?").
_QUALITY = {"en": re.compile(r"\bquality\b"), "zh": re.compile(r"质量|品质|质素")}
# No change said: "same as now", "差不多吧，不会有啥变化".
_STEADY = {
    "en": re.compile(r"\b(?:same|no change|not much|nothing (?:much )?(?:will )?change|won't change|stay the same|"
                     r"as it is|as now)\b"),
    "zh": re.compile(r"差不多|没啥变化|没什么变化|不会变|变化不大|和现在一样|跟现在一样|还是老样子|一样"),
}
# Goods that arrive ("faster shipping", "发货快一点"): their speed is a wait on the person's side, not working time of
# theirs that a faster process would give back ("What would you do with the time you saved?" does not fit).
_DELIVERED = {
    "en": re.compile(r"\b(?:ship\w*|deliver\w*|dispatch\w*|arriv\w*|lead times?|freight|parcels?|"
                     r"orders? (?:come|arrive)|stock|spare parts|parts)\b"),
    "zh": re.compile(r"发货|送货|到货|交货|供货|出货|物流|配送|快递|运输|备件|配件|货期"),
}
# A supposition ("If you weren't there we'd import it", "要是没有你们就只能自己进口"): nothing happened to
# recall, so "the last time that happened?" does not fit (found as a current customer).
_SUPPOSED = {
    "en": re.compile(r"\b(?:if|unless|otherwise|without you)\b.{0,60}\b(?:we'd|i'd|they'd|would|wouldn't|could|might)\b"
                     r"|\b(?:we'd|i'd|they'd) (?:have to|need to|probably|just|go|use|buy|import|switch)\b"),
    "zh": re.compile(r"(?:如果|要是|假如|假设|万一|没有你们|不然)[^。！？]{0,20}(?:就|得|会|只能|只好|要)"),
}
# Another supplier or option named ("We use AeroStock for consumables, cheaper…", "在京东买更便宜"): asking which one
# the price is compared with asks what was just said (a blind rater's pair: "Which other option are you comparing the
# price with?" after the person named it). One not named ("one other company", "别家") is still asked which.
_NAMES_ALTERNATIVE = {
    "en": re.compile(r"\b(?:we|they|i) (?:use|used|buy from|bought from|order from|ordered from|switched to|went with|"
                     r"go with|went to|moved to|get \w+ from|got \w+ from) (?!you\b|your\b|it\b|them\b|us\b|the same\b|"
                     r"a lot\b|lots\b|another\b|other\b|others\b|one\b|some\b|a\b|an\b)\w+|"
                     r"\bthan (?!you\b|before\b|now\b|today\b|usual\b|that\b|this\b|ours?\b|we\b|it\b|expected\b|"
                     r"planned\b|others?\b|another\b|the others?\b|other\b|most\b|some\b|a\b|an\b|anyone\b)\w+|"
                     r"\b(?:versus|vs)\b"),
    "zh": re.compile(r"[在从跟和找向比](?!别|另|其他|其它|那|这|哪|同行|竞)[^，。,.\s]{1,6}(?:家|公司|厂)(?!里|的人)|"
                     r"京东|淘宝|1688|拼多多|天猫|亚马逊"),
}
# Words of reaching someone: only then does "who would you like to be able to reach?" fit.
_CONTACT = {
    "en": re.compile(r"\b(?:reach|contact|get hold of|get through|call(?:s|ed)? back|answer(?:s|ed)? the phone|"
                     r"talk to|speak to|a (?:real )?(?:person|human)|someone to|nobody (?:answers|picks up))\b"),
    "zh": re.compile(r"联系|找不到人|打不通|没人接|找人|对接人|专人|找谁|接电话|回电话"),
}

# What a wording presumes, read from its words (the rule files' templates and any added later):
# - an event to recall ("the last time that happened"), which a use or a wish is not;
# - a wish to picture in place ("if it were in place", "what would that look like", "如果已经做到了"), which a
#   problem or a use is not;
# - a problem that affects work ("which recent deal did that affect?"), which a wish or a use is not;
# - someone to reach ("who would you like to be able to reach?"), only after words of reaching someone;
# - a need for help ("the last time you needed help"), which a statement of use is not.
_PRESUMES = {
    "en": {
        "event": re.compile(r"the last time that happened|example of when that came up|when did that last come up"
                            r"|when did you last see that happen"),
        "wish": re.compile(r"in place|if (?:it|that|this) were|if this worked|what would .{0,16}look like"
                           r"|what would it let you do|what would be different|would .{0,12}change first"
                           r"|would it have gone|what would you be doing|take one task|feel the difference"
                           r"|aren't like that yet|gain most from|biggest gap between|do with it that it can't"
                           r"|who would use|would use it|missed having|without it\b|can't be done in time"
                           r"|would .{0,20}\bbenefit\b|could only do one thing"),
        "problem": re.compile(r"did that affect|how often does that come up|where does that show up"),
        "contact": re.compile(r"who would you like to be able to reach"),
        "help": re.compile(r"the last time you needed help|the next time you need help"),
        "parts": re.compile(r"the question also asked|^and \{cue\}"),
        "customers": re.compile(r"true for the customers as well|for customers too"),
        "wait": re.compile(r"how long do you usually wait|when help comes late|support is slow"),
        "saved": re.compile(r"time you saved|that time came back|the time back"),
        "coming": re.compile(r"when that happens|once that happens"),
        "quality": re.compile(r"time quality let you down|level of quality"),
        "steady": re.compile(r"what could change that"),
        "alternative": re.compile(r"which other option|compared with what|what are you comparing with"),
        "own_work": re.compile(r"one task from this week|normal working day|monday morning|of all your tasks"),
        "fault": re.compile(r"let you down|went wrong|goes wrong|go wrong|a mistake on our side|typical error"
                            r"|fewer mistakes|mistake slips|falls short|wasn't enough|ran short|ran out"
                            r"|does not work well|doesn't work well"),
    },
    "zh": {
        "event": re.compile(r"最近发生的例子|上一次在工作中出现|最近一次是什么时候"),
        "wish": re.compile(r"如果已经做到了|做到以后|做到了|如果做到|做到您说的|理想的情况|会是什么样子|会有什么不同"
                           r"|有了.{0,8}(?:之后|以后)|已经有了|已经实现了|先会改变|会改变|感觉到区别|还做不到|获益最多|最大的差距"
                           r"|现在做不到|主要给谁用|谁会用|会有多少人用|特别需要|现在没有|没能及时做成|只能把一件事做好|特别希望有|有什么好处"),
        "problem": re.compile(r"受了这个影响|这种情况大概会出现几次|体现在哪儿"),
        "contact": re.compile(r"希望能联系到谁"),
        "help": re.compile(r"最近一次需要帮助|下次需要帮助"),
        "parts": re.compile(r"问题里(?:还有|另外|还问)|^那\{cue\}|^另外，\{cue\}"),
        "customers": re.compile(r"对客户来说也是这样"),
        "wait": re.compile(r"要等多久|支持不及时|等多久"),
        "saved": re.compile(r"省下来的时间|省出来的时间|时间省下来"),
        "coming": re.compile(r"到那时|到了那时"),
        "quality": re.compile(r"质量让您失望|质量水平"),
        "steady": re.compile(r"会让这一点发生变化"),
        "alternative": re.compile(r"和哪家的价格比较|还是和正在考虑的其他方案比|和别家的报价比|和别的供应商比"
                                  r"|还是和以前比"),
        "own_work": re.compile(r"这周的一项工作|平常的一个工作日|周一早上|您的各项工作"),
        "fault": re.compile(r"失望|差错|出错|出问题|没做好|做得不好|出一次问题|不够用"),
    },
}
# Hearsay: what the person heard from others ("heard your support is slow", "听说你们售后很慢"), or an answer to a
# question that asks what they heard. It is not their own experience: "the last time you needed help" or "which
# deal did that affect?" presume one they may never have had.
_HEARSAY = {
    "en": re.compile(r"(?:\b(?:i|we)(?:'ve| have)? (?:heard|hear)|^(?:heard|hear)|\b(?:people|they|others|everyone|"
                     r"folks) (?:say|said|tell|told|reckon|mention))\b(?! back)|\brumou?rs?\b|\breputation\b|"
                     r"\bword is\b|\bapparently\b"),
    "zh": re.compile(r"听说|听人说|据说|听别人|别人说|有人说|大家都说|传言|口碑|名声|风评|听朋友|朋友说|同行说"),
}
_ASKS_HEARSAY = {
    "en": re.compile(r"\bheard (?:about|of) us\b|\bfrom others\b|\bpeople say\b"),
    "zh": re.compile(r"听说过|听到过|别人.{0,4}(?:说|评价)|口碑"),
}
_OWN_EXPERIENCE = frozenset({"event", "problem", "contact", "help"})

# Presumptions each kind of answer rules out.
_RULES_OUT = {
    USE: frozenset({"event", "wish", "problem", "contact", "help"}),
    PROBLEM: frozenset({"wish", "contact"}),
    WISH: frozenset({"event", "problem", "contact"}),
    PRACTICE: frozenset({"wish", "problem", "contact", "help"}),
    # "明年想做高端系列，需要更多定制件": what is coming, not a fault, an event or a problem to recall
    PLAN: frozenset({"event", "problem", "contact", "help", "fault"}),
    "": frozenset({"contact"}),
}


@lru_cache(maxsize=512)  # read on every surface decision; a script has a few dozen questions
def asks_practice(question: str, qlang: str) -> bool:
    """The question's first ask is how something is done now ("walk me through…", "是怎么走下来的？")."""
    first = re.split(r"[?？]", question.lower(), maxsplit=1)[0]
    return bool(_ASKS_PRACTICE.get(qlang, _ASKS_PRACTICE["en"]).search(first))


def asks_hearsay(question: str, qlang: str) -> bool:
    """The question asks what the person has heard about us from others."""
    return bool(_ASKS_HEARSAY.get(qlang, _ASKS_HEARSAY["en"]).search(question.lower()))


def answer_kind(low: str, lang: str, question: str = "", qlang: str | None = None) -> str:
    """What the answer tells: a use (what they use or buy us for), a wish, a problem, a practice (how it is done,
    to a question that asks), or "" (none of these).
    `question` (its text and intent, in `qlang`, else the answer's language) settles an answer with no sign."""
    lang = lang if lang in _USE else "en"
    ql = qlang if qlang in _USE else lang
    if (_PLAN[lang].search(low) or (question and _ASKS_FUTURE[ql].search(question.lower()))) \
            and not _PROBLEM[lang].search(low):
        # "more sites", "same as now" to "how will what you need change over the next year or two?": what is coming
        return PLAN
    wish = bool(_WISH[lang].search(low))
    if not wish and _USE[lang].search(low):  # "we use X but need Y" is a wish
        return USE
    if not wish and question and _ASKS_USE[ql].search(question.lower()) and not _PROBLEM[lang].search(low):
        return USE  # "support mostly", "主要是设备的配件和售后" to "what do you rely on us for?"
    if wish:
        return WISH
    if _PROBLEM[lang].search(low):
        return PROBLEM
    q = question.lower()
    # A question that asks two things ("线索是在哪里断掉的？如果能看清楚，您会…？"): an answer with no sign of its own
    # answers the first; the whole question settles it only when its first ask says nothing of a kind.
    first = re.split(r"[?？]", q, maxsplit=1)[0]
    for asked in (first, q):
        if asked and _ASKS_WISH[ql].search(asked):
            return WISH
        # "这个需求是怎么一路传到落地的？通常卡在哪里？": an answer with no sign of a problem tells how it goes.
        if asked and _ASKS_PRACTICE[ql].search(asked):
            return PRACTICE
        if asked and _ASKS_PROBLEM[ql].search(asked):
            return PROBLEM
    return ""


@lru_cache(maxsize=8192)  # streams and interviews repeat answers: each is read once per question and language
def fit_for(low: str, heard: str, say: str, question: str) -> tuple[str, Callable[[str], bool]]:
    """The answer's kind (HEARSAY before the others: what it tells is what others say) and the test of a wording for
    it, remembered for repeated answers."""
    kind = answer_kind(low, heard, question, say)
    hearsay = bool(_HEARSAY.get(heard, _HEARSAY["en"]).search(low)
                   or (question and _ASKS_HEARSAY.get(say, _ASKS_HEARSAY["en"]).search(question.lower())))
    parts = missing_part(low, question)
    values = bool(_ASKS_VALUE.get(say, _ASKS_VALUE["en"]).search(question.lower()))
    customers = not question or bool(_CUSTOMERS.search(question.lower()))
    # the question itself (not its intent) asks what customers need or value
    theirs = values and bool(_CUSTOMERS.search(question.split("\n", 1)[0].lower()))
    return (HEARSAY if hearsay else kind), fitting(low, heard, say, kind, hearsay, parts, values, customers, theirs,
                                                   bool(question) and question_compares(question, say))


def fitting(low: str, heard: str, say: str, kind: str, hearsay: bool = False,
            parts: bool = False, values: bool = False, customers: bool = True,
            theirs: bool = False, fixed: bool = False) -> Callable[[str], bool]:
    """A test of a wording in language `say` (its template text): False when it presumes what this answer, written
    in language `heard`, is not (`hearsay`: what others say, not the person's own experience; `parts`: the question
    asked several things, so "the question also asked…" fits)."""
    out = set(_RULES_OUT.get(kind, ())) | (_OWN_EXPERIENCE if hearsay else set()) | (set() if parts else {"parts"})
    if not _WAITING.get(heard, _WAITING["en"]).search(low):
        # "每次换个客服要重新说一遍" is about repeating oneself, not about waiting: no "how long do you wait?"
        out.add("wait")
    if not _QUALITY.get(heard, _QUALITY["en"]).search(low):  # "reliable delivery" is not asked about "quality"
        out.add("quality")
    steady = bool(_STEADY.get(heard, _STEADY["en"]).search(low))
    if kind != PLAN or steady:  # "When that happens, what will you need from us…?" asks after something coming
        out.add("coming")
    if not steady:  # "What could change that?" asks after no change ("same as now")
        out.add("steady")
    if _DELIVERED.get(heard, _DELIVERED["en"]).search(low):
        out.add("saved")
    if _SUPPOSED.get(heard, _SUPPOSED["en"]).search(low):
        out.add("event")
    if fixed or _NAMES_ALTERNATIVE.get(heard, _NAMES_ALTERNATIVE["en"]).search(low):
        # the answer names what it compares with, or the question fixed both sides ("your new supplier … than we did")
        out.add("alternative")
    if not customers:  # "还可以" to "how well do IT and the business work together?": not a question about customers
        out.add("customers")
    if values and kind in (WISH, ""):
        # "客户需要我们懂他们的行业" to "what do customers value most?" is a value, not a fault to recall.
        out.add("fault")
    if theirs:
        # "They want predictability" to "what do customers complain about most? What does that tell you about what
        # they need?": the customers' want, not a change to the person's own day ("Take one task from this week…").
        # Not "假如明天您最需要的那张报表就摆在面前…": the person's own need, about their own work.
        out.add("own_work")
    if _CONTACT.get(heard, _CONTACT["en"]).search(low) and not hearsay:
        out.discard("contact")
    checks = [p for name, p in _PRESUMES.get(say, _PRESUMES["en"]).items() if name in out]

    @lru_cache(maxsize=256)
    def fits(template: str) -> bool:
        t = template.lower()
        return not any(p.search(t) for p in checks)

    return fits


# A cue said to be beside the point: "问题不在钱", "价格一样我们也会走", "it's not about the price", "price wasn't the
# issue". The follow-up must not ask about it ("如果价格更低…" after "问题不在钱").
_DENIED_BEFORE = {
    "en": re.compile(r"(?:\bnot|n't|\bnever)(?: really| just| so much| only| even)?(?: about| because of| for)?"
                     r"(?: the| our| your| a| any)?\s*$"),
    "zh": re.compile(r"(?:不在于?|不是|不光是|不只是|不单是|无关|不因为|不为了?)(?:钱|因为|为了|在)?$"
                     r"|(?:一样|同样)的$"),
}
# Read with .match(low, end): no "^" (which would only ever match at the start of the answer, never after the cue).
_DENIED_AFTER = {
    "en": re.compile(r"\s*(?:(?:is|was|'s)(?:n't| not) (?:the |an? |really )?(?:main )?"
                     r"(?:issue|problem|reason|point|thing|it\b)"
                     r"|(?:does|did)(?:n't| not) (?:really )?matter|aside|apart|was fine|is fine|was ok"
                     # "if you'd been cheaper I still would have gone": the price would not have changed it
                     r"|,?\s*(?:i|we|they)(?:'d| would)? still\b)"),
    "zh": re.compile(r"(?:一样|都一样|差不多|不是问题|不是主要|倒是其次|是其次|其次|无所谓|还行|没问题|不重要|也没用)"),
}


def denied(low: str, start: int, end: int, lang: str) -> bool:
    """Whether the cue at low[start:end] is said to be beside the point ("问题不在钱", "not about the price")."""
    lang = lang if lang in _DENIED_BEFORE else "en"
    return bool(_DENIED_BEFORE[lang].search(low[max(0, start - 24):start]) or _DENIED_AFTER[lang].match(low, end))


# A cue inside a result clause is what followed, not what is wanted: "we pay for fairs and ads and then the leads sit
# there for weeks, so the money is just gone", "拖了两个月，结果钱也没了" (issue 13: a consequence that mentions
# money or time gets no price or speed follow-up). The clause is read from its last break up to the cue.
_RESULT_OPENS = {
    "en": re.compile(r"^\s*(?:and )?(?:so(?: that)?|which means|that means|meaning|otherwise|or else|as a result|"
                     r"then|so now|in the end|we end up|ends? up|ended up)\b"),
    "zh": re.compile(r"^\s*(?:所以|结果|导致|于是|不然|否则|这样|到头来|最后|搞得|弄得|害得|以至于)"),
}


def outcome(low: str, start: int, lang: str) -> bool:
    """Whether the cue starting at low[start] sits in a clause opened by a result connective: an outcome."""
    lang = lang if lang in _RESULT_OPENS else "en"
    before = low[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if not breaks:
        return False  # the first clause of the answer says what it is about
    return bool(_RESULT_OPENS[lang].search(before[breaks[-1].end():]))


# A price word used as a verb says what something costs them, a consequence, not a wish about price: "because downtime
# costs us", "it cost me two customers", "每次返工都花我们好几千" (not a cue: no bare price word).
_COSTS_SOMEONE = re.compile(r"(?:cost|costs|costing)\s+(?:us|me|them|you|him|her|the (?:company|business|team)|our|"
                            r"my|their|a (?:lot|fortune|ton))\b")


def costs_someone(low: str, start: int) -> bool:
    """Whether the cue at low[start] is "cost" as a verb with someone as its object ("downtime costs us")."""
    return bool(_COSTS_SOMEONE.match(low, start))


# Steps told as a list ("线索-拜访-报价-谈判-签", "lead > demo > quote > sign"): each item is a step of the process,
# and "报价" among them is not a word about price. Three items or more, each short, joined by arrows, dashes or 、.
# A hyphen or a slash inside a Latin word ("answer-sentinel", "and/or") joins words, not steps.
_STEP_JOIN = re.compile(r"\s*(?:->|→|=>|>|—|–|、)\s*|\s+[-/]\s+|(?<=[\u4e00-\u9fff])\s*[-/]|[-/]\s*(?=[\u4e00-\u9fff])")
_STEP_SHORT = {"en": 3, "zh": 5}  # words per English item, characters per Chinese item


def in_a_list_of_steps(low: str, start: int, end: int, lang: str, process: bool = False) -> bool:
    """Whether the cue at low[start:end] is one item of a list of short steps. With `process` (the question asks how
    something is done), items set off by commas count too ("打电话，报价，签单", "谈、报价、下单"), when the cue is an
    item on its own: "价格贵，质量差，服务慢" is three complaints, not steps."""
    clause = _CLAUSE_BREAK.split(low[:start])[-1] + low[start:end] + _CLAUSE_BREAK.split(low[end:])[0]
    items = [i for i in _STEP_JOIN.split(clause.strip()) if i.strip()]
    size = (lambda i: len(i.split())) if lang == "en" else len
    if len(items) >= 3 and all(size(i.strip()) <= _STEP_SHORT.get(lang, 3) for i in items):
        return True
    if not process:
        return False
    before = _SENTENCE_END.split(low[:start])[-1]
    after = _SENTENCE_END.split(low[end:])[0]
    left = [i.strip() for i in _LIST_JOIN.split(before)]
    right = [i.strip() for i in _LIST_JOIN.split(after)]
    if left[-1] or right[0]:  # the cue is not an item on its own ("报价太慢")
        return False
    short = _STEP_SHORT.get(lang, 3)
    run = [low[start:end].strip()]
    for side in (left[-2::-1], right[1:]):
        for item in side:
            if not item or size(item) > short:
                break
            run.append(item)
    return len(run) >= 3 and len(set(run)) == len(run)  # "price, price, price" is one thing said three times


_SENTENCE_END = re.compile(r"[.!?;。！？；\n]")
_LIST_JOIN = re.compile(r"\s*(?:->|→|=>|>|—|–|、|,|，|/|\band\b|\bthen\b|和|然后|再)\s*")


# A topic word as what is looked up, entered or sent ("查报价和库存", "look up the price list"): a thing handled, not a
# word about price or service.
_HANDLED_BEFORE = {
    "en": re.compile(r"\b(?:check|checking|look up|looking up|find|finding|see|pull|pulling|enter|entering|print|"
                     r"send|sending|update|updating)(?: the| our| a| their)?(?: old| previous| past| last| latest|"
                     r" current| customer| customer's| client's)?"
                     # the second thing of two looked up: "check stock and prices"
                     r"(?:\s+[a-z']+(?: [a-z']+)?\s*(?:,|and|&)(?: the| our)?)?\s*$"),
    # "看看以前的报价", "查一下客户的价格": the thing looked up may carry a short modifier with 的; not "看你们的服务"
    # (看 + whose: "it depends on your service")
    "zh": re.compile(r"(?:查|看|找|翻|调|录入?|填|导出?|打印|发|改|更新)(?:一下|下|看|查|翻|一查|一看|一翻)?"
                     r"(?:(?![你我他她咱您])[^，。,.!?！？\s]{1,4}的)?"
                     # the second thing of two looked up: "查库存和价格", "看订单、报价"
                     r"(?:(?![你我他她咱您])[^，。,.!?！？\s和跟与及、]{1,6}(?:和|跟|与|及|、))?$"),
}


# A topic word that names the kind of a process or a thing ("报价审批", "the pricing approval", "quote template"): the
# process is the subject, not the price.
_MODIFIES = {
    "en": re.compile(r"\s*(?:approvals?|process(?:es)?|workflows?|templates?|forms?|sign[- ]offs?|steps?|tools?|"
                     r"systems?|sheets?|lists?)\b"),
    "zh": re.compile(r"(?:审批|流程|环节|模板|系统|单据?|表格?|签字|审核)"),
}


# A topic word said not to match ("价格对不上", "pricing mismatches", "the prices don't match the quote"): a
# consistency problem between documents or systems, not a wish about the price itself.
_MISMATCH = {
    "en": re.compile(r"\s*(?:mismatch\w*|(?:do|does|did)(?:n't| not) match|inconsisten\w*|(?:is|are|was|were) wrong|"
                     r"differ\w*|out of sync)\b"),
    "zh": re.compile(r"(?:总是|老是|经常|常常)?(?:对不上|不一致|不对|错了|出错|不符|两样)"),
}


def mismatched(low: str, end: int, lang: str) -> bool:
    """Whether the topic word ending at low[end] is said not to match something."""
    return bool(_MISMATCH.get(lang, _MISMATCH["en"]).match(low, end))


def modifies(low: str, end: int, lang: str) -> bool:
    """Whether the topic word ending at low[end] is followed by a process noun it only qualifies."""
    return bool(_MODIFIES.get(lang, _MODIFIES["en"]).match(low, end))


def handled(low: str, start: int, lang: str) -> bool:
    """Whether the topic word at low[start] is the object of a verb of looking up or handling."""
    rx = _HANDLED_BEFORE.get(lang, _HANDLED_BEFORE["en"])
    return bool(rx.search(low[max(0, start - 16):start]))
