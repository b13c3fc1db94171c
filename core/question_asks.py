"""What a question asks, and which of its asks a short answer took: the part left out is asked in the question's words.

Script questions often ask two or three things ("Which department first, and why there? How will you stop…?"); a
short first answer takes one. An interviewer asks for the part not answered, once, and not for a part the answer took
in other words ("老板拍板" answers "怎么做决定？").
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from core.probe_alike import content

__all__ = ["CLAUSE_BREAK", "answered_by_kind", "answers_an_ask", "asks_why", "episode_left", "missing_part",
           "next_ask", "opens_with_yes_or_no", "single_clause"]

# Clause breaks in an answer: punctuation, and "then" between steps.
CLAUSE_BREAK = re.compile(r"[,;:.!?，。；：！？、\n]|\band then\b|\bthen\b")

# An answer's clauses for matching them to asks: "数字化、智能化" is one clause listing two things, not two answers.
_ANSWER_CLAUSE = re.compile(r"[,;:.!?，。；：！？\n]|\band then\b|\bthen\b")
_ZH_WH = re.compile("什么|哪|是否|怎么|怎样|如何|多少|多久|多长|谁|有没有|是不是|会不会|能不能")
# Characters that say nothing alone: "不少" shares 不 with "不愿意" but answers nothing by it.
_ZH_NOT = frozenset("不没别无非可以很太挺较最更好几次个点些多少大小用做说看人")
_FEW_ZH = 3  # characters: a clause this short is read by its one-character verbs too

_COMMON = {"zh": frozenset("客户 公司 现在 需要 时候 最近 一次 一般 事情 东西 工作 问题".split()),
           "en": frozenset("custom compan today people thing things really usuall work throug".split())}
# A yes-or-no ask in Chinese echoes its verb in the answer: "对得上吗？" — "对不上", "基本对得上".
_ZH_YES_NO_VERB = re.compile("([\u4e00-\u9fff]{1,4})吗[？?]")

# The kinds of thing an ask asks for, and what an answer of that kind looks like.
# An ask for how one finds out ("您通常是怎么发现的？", "how do you find out?").
_FINDS_OUT = {"zh": re.compile("怎么发现|怎么知道|如何发现|如何得知|怎么得知|从哪里知道"),
              "en": re.compile(r"\bhow (?:do|does|did) (?:you|they|we)(?: usually| normally| first)? (?:find out|know|"
                               r"notice|hear|learn)\b")}
_KINDS = {
    "zh": (
        # how much, how long, how often
        (re.compile("多少|多久|多长|多频繁|几[个次天周月年小]"),
         re.compile(r"\d|[两三四五六七八九十百千万半]|一[个次天周月年半些点]|不少|很多|挺多|蛮多|好多|太多|(?<!差)不多|"
                    "很少|挺少|大部分|大半|一部分|几乎|"
                    # "好几年了" is how long
                    "几[个十百千万次天周月年]|多年|很久|挺久|好久|一阵子|一段时间|没多久|刚开始")),
        # who
        (re.compile("谁|哪些人|哪位|什么人|哪个部门|哪些部门|哪个团队"),
         re.compile("老板|领导|经理|主管|总监|老总|财务|销售|采购|客服|技术|运营|同事|部门|团队|总部|董事|理事|"
                    "委员会|股东|合伙人|一起|"
                    "负责人|it|师傅|司机|工程师|业务员|技术员|仓库|文员|前台|大家|所有人|全员")),
        # on what devices
        (re.compile("什么设备|哪些设备|哪种设备"), re.compile("手机|电脑|平板|笔记本|ipad|pad|pc")),
        # how it is decided
        (re.compile("决定|决策|拍板|定下来"), re.compile("拍板|决定|说了算|定的|来定|定$|商量|审批|批准|签字")),
        # how one finds out: "一般是客户催了我们才知道" to "您通常是怎么发现的？" (found as an operations planner)
        (_FINDS_OUT["zh"],
         re.compile("知道|发现|得知|看到|听说|催|找上门|投诉")),
        # how it is done: by what means
        (re.compile("怎么|怎样|如何"),
         re.compile("打电话|打个电话|电话问|电话联系|打给|微信|邮件|短信|表格|excel|本子|笔记|记在|手机|群里|靠(?!谱)|"
                    # "周会上问一下销售" tells how one finds out
                    "问一下|问问|问了|去问|一问|后台|系统里|报表|[周月例]会|开会")),
        # which steps: two steps of work named ("销售下单我们排产发货", a blind rater's pair: "那经过哪些步骤？")
        (re.compile("^(?!.*(?:哪些人|谁)).*(?:步骤|环节|阶段|流程)"),  # not "每一步有哪些人参与": the who is left
         re.compile("(?:(?:下单|排产|发货|报价|签单|签合同|审批|开票|收款|安装|验收|拜访|谈判|录入|派单|生产|采购|打款|对账|"
                    "送货|配送|出库|入库|报修|上门|维修|回访|催款|跟进|建档)[^，。,.]{0,8}){2,}|然后|之后|再|->|→")),
        # when
        (re.compile("什么时候|何时|哪天|哪年|哪个月"),
         re.compile(r"\d|年|月|季度|明年|今年|下个|下次|以后|马上|到期|年底|年初|随时|说不定")),
    ),
    "en": (
        (re.compile(r"\bhow (?:much|many|often)\b|\bwhat (?:share|proportion|percentage)\b"),
         re.compile(r"\d|\b(?:a lot|lots|loads|tons|plenty|most of|half|a few|few|hardly|barely|hours?|days?|"
                    r"minutes?|weeks?|too much|too many|a bit|constantly|every)\b")),
        (re.compile(r"\bhow long\b"),
         re.compile(r"\d|\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|ages|a while|forever|long time|"
                    r"quick|quickly|no time|since)\b")),
        (re.compile(r"\bwho\b|\bwhich (?:people|teams?|departments?|roles?)\b"),
         re.compile(r"\b(?:boss|owner|owners|manager|managers|director|ceo|cfo|coo|cto|sales|"
                    r"finance|procurement|purchasing|team|department|head|board|ops|operations|partners?|techs?|"
                    r"technicians?|engineers?|drivers?|reps?|staff|agents?|everyone|everybody|admin|warehouse|field)\b")),
        (re.compile(r"\b(?:which|what) devices?\b"),
         re.compile(r"\b(?:phones?|laptops?|tablets?|ipads?|mobiles?|pcs?|desktops?|computers?)\b")),
        (re.compile(r"\bdecid|\bdecision"),
         re.compile(r"\bdecid|\b(?:calls? the shots|makes? the call|signs? off|approv\w*|final say)\b")),
        (_FINDS_OUT["en"],
         re.compile(r"\b(?:find out|found out|notices?|noticed|hear|heard|know|knew|learn\w*|chases?|chased|"
                    r"complain\w*|calls? (?:us|in|up))\b")),
        (re.compile(r"^how\b(?! much| many| long| often)|\bhow (?:do|does|did|is|are)\b"),
         re.compile(r"\b(?:phone|calls?|email|e-mails?|emails|excel|spreadsheets?|whatsapp|slack|teams|notebook|"
                    r"paper|crm|texts?|ask|asking|portal)\b")),
        (re.compile(r"^(?!.*\bwho\b).*\b(?:steps?|stages?)\b"),
         re.compile(r"(?:\b(?:quote|quotes|order|orders|ship|ships|invoice|invoices|approve|approves|sign|signs|install|"
                    r"deliver|delivers|schedule|book|books|pick|picks|pack|packs|dispatch)\b.{0,30}){2,}|\bthen\b|->|→")),
        (re.compile(r"\bwhere\b"),
         re.compile(r"\b(?:places?|sites?|office|warehouse|yard|depot|stage|step|phase|inbox|folders?|drives?)\b"
                    r"|\bin (?:the |a |our |my )?\w+")),
        (re.compile(r"\bwhen\b"),
         re.compile(r"\d|\b(?:years?|months?|weeks?|quarter|next|soon|renewal|contract|end of|spring|summer|autumn|"
                    r"fall|winter)\b")),
    ),
}

# A yes-or-no ask ("有没有需要反复催…？", "Do the sales figures agree with the books?") and a clause that is only a yes
# or a no ("没有", "No. Never"): the no answers that ask, and is no clause of content taking another.
_YES_NO_ASK = {"zh": re.compile("有没有|是否|是不是|会不会|能不能|要不要|吗[？?]"),
               "en": re.compile(r"^(?:do|does|did|is|are|was|were|have|has|can|could|would|will|must|should)\b")}
_BROAD = {"zh": re.compile("什么样的过程|是怎么(?:走|进行|推进|流转|运作)|怎么走下来|经历了什么|一般是怎么"),
          "en": re.compile(r"^walk me through|\bhow does (?:it|that|this)(?: usually| normally)? go\b"
                           r"|^what happens (?:to|from|when)")}
_TYPED_ASK = {"zh": re.compile("多少|多久|多长|什么时候|何时|谁"),
              "en": re.compile(r"\bhow (?:much|many|long|often)\b|\bwhen\b|\bwho\b")}
_BARE = {"zh": re.compile("(?:有|有的|没有|没|木有|没得|不会|会|是|是的|不是|对|不对|要|不用|经常|偶尔|从来没有|从没有|"
                          "从不|从来不|当然|肯定|一直|很少|根本没有|一次都没有|每次都是|每次都要|经常要)"
                          "[啊呀吧呢的哈]*[!！~～]*"),
         "en": re.compile(r"(?:yes|yeah|yep|yup|no|nope|nah|never|not really|not at all|not ever|sometimes|always|"
                          r"often|rarely|of course|definitely|absolutely|not even close|far from it|no way|not once|"
                          r"all the time|every time|constantly)[!~]*")}
# A clause of hedging alone ("Packaging film, mostly", "主要是包装膜吧，我觉得") answers no ask: it is not counted.
_HEDGE_ONLY = {"zh": re.compile("(?:主要|大概|可能|应该|估计|其实|一般|基本上?|差不多|我觉得|我感觉|我想|感觉|好像|"
                                "吧|啊|呀|呢|嗯+|哈+|就这些|反正)+"),
               "en": re.compile(r"(?:\s*\b(?:mostly|mainly|usually|generally|probably|maybe|perhaps|basically|"
                                r"really|honestly|i guess|i think|i suppose|i'd say|tbh|imo|i reckon|mind you|though|"
                                r"anyway|i mean|or so|and so on|etc|mostly anyway)\b\s*)+")}
# A no ("没有", "nope"), after which an ask that presumes the thing happened ("当时发生了什么？", "What happened?") does
# not apply: "有没有某个时刻让您下定了决心？" — "没有" leaves nothing that happened to tell.
_NEGATIVE = {"zh": re.compile("没|木有|不|从来没|从没|从不|根本没|一次都没|很少"),
             "en": re.compile(r"no\b|nope|nah|never|not|far from|rarely")}
_PRESUMES_EVENT = {"zh": re.compile("发生了什么|当时|那次|那一次|怎么回事"),
                   "en": re.compile(r"what happened|that time|the last one|at the time")}

# "Who needs it, on which devices, and must it work offline?": more asks inside one English sentence.
# Not "When sales hands it over, what is missing?": a clause that sets the scene is no ask of its own.
_EN_MORE_ASKS = re.compile(r",\s*(?:(?:and|or) (?:(?:on|in|for|with|from) )?(?:who|whom|what|which|when|where|how|why|"
                          r"must|do|does|did|is|are|can|should|would)|(?:on|in|for|with|from) (?:which|what|whom))\b",
                          re.I)


_ASK_END = re.compile(r"[^?？]*[?？][\"”’」』]?")
# A closing request that holds asks ("请讲讲这个决定是怎么做出的、什么时候做的、有哪些人参与。", "Tell me how it was
# decided and who was involved."): asks too, though it ends in a full stop.
_TOLD_ASKS = re.compile(r"\s*(?:请(?:讲讲|说说|描述一下|介绍一下)|(?:tell me|walk me through|describe)\b)[^?？]*"
                        r"(?:怎么|怎样|如何|什么时候|哪些|哪个|谁|\b(?:how|when|who|which|what|where)\b)[^?？]*[。.]\s*$",
                        re.I)


@lru_cache(maxsize=512)  # a script has a few dozen questions
def _ask_sentences(question: str) -> tuple[str, ...]:
    """The question's asking sentences, each up to its question mark; the intent after the text (on its own line, as
    the interview passes it: an intent may hold a "?") is not read."""
    question = question.split("\n", 1)[0]
    end = max(question.rfind("?"), question.rfind("？"))
    end += 1 if question[end + 1:end + 2] in ('"', "”", "’", "」", "』") else 0  # '…"where is my order?"'
    told = _TOLD_ASKS.fullmatch(question[end + 1:]) if end >= 0 else None
    return tuple(a.strip() for a in _ASK_END.findall(question[:end + 1])) + ((told.group().strip(),) if told else ())


def _clauses(low: str) -> int:
    """How many clauses the answer has ("数字化、智能化" is one: a list)."""
    return len(_answer_clauses(low))


def _answer_clauses(low: str) -> list[str]:
    """The answer's clauses that can answer an ask: not empty, not hedging alone ("mostly", "我觉得")."""
    return [c.strip() for c in _ANSWER_CLAUSE.split(low)
            if c.strip() and not _HEDGE_ONLY[_lang(c)].fullmatch(c.strip())]


def _asks(question: str) -> int:
    """How many things the question asks ("哪些人需要、用什么设备、是否需要离线使用？…有哪些安全规定？" asks four)."""
    return sum(_sub_asks(sentence) for sentence in _ask_sentences(question))


def missing_part(low: str, question: str) -> bool:
    """The question asks several things and the answer has fewer clauses than it has asks, or left an ask out (a
    yes-or-no ask not answered): a part is missing."""
    asks = _asks(question)
    return asks >= 2 and (_clauses(low) < asks or bool(next_ask(question, low)))


_ZH_LIGHT = frozenset("的了吗呢吧么是这那个一您你我们他她它会有在和与对就还也都要能"
                      "怎样什呀啊哪些里儿之其得地着过把被让给从向为")


def _units(text: str, lang: str) -> frozenset[str]:
    """What an answer and an ask share when one answers the other: Chinese character pairs with at least one character
    of content ("现在"), English stems of six letters ("expertise" is not "experience"); words nearly every question
    holds ("客户", "customer") are not shared content."""
    if lang != "zh":
        return content(text, "en", 6) - _COMMON["en"]
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    return frozenset(a + b for a, b in pairwise(chars) if a not in _ZH_LIGHT or b not in _ZH_LIGHT) - _COMMON["zh"]


def _shares(ask: str, low: str, said: frozenset[str], lang: str) -> bool:
    """The ask and the answer share a content word; a Chinese clause of a few characters ("要催") shares a character of
    content with it ("有没有需要反复催…？"): Chinese verbs are often one character."""
    if _units(ask.lower(), lang) & said:
        return True
    chars = [c for c in low if "\u4e00" <= c <= "\u9fff"]
    # A yes-or-no ask is met by its verb in a longer clause too ("得催好几次" to "有没有需要反复催…？").
    few = _FEW_ZH * 2 if _YES_NO_ASK["zh"].search(ask) else _FEW_ZH
    return lang == "zh" and len(chars) <= few and any(c in ask for c in chars
                                                      if c not in _ZH_LIGHT and c not in _ZH_NOT)


def answered_by_kind(ask: str, low: str, lang: str) -> bool:
    """Whether the answer is the kind of thing the ask asks for: "不少" to "有多少时间花在…？" (a quantity),
    "老板拍板" to "怎么做决定？" (who decides), "打电话问公司" to "现在是怎么解决的？" (a way of doing it), "对不太上"
    to "和账面对得上吗？" (the yes-or-no ask's own verb)."""
    ask = ask.lower()
    if lang == "zh" and (m := _ZH_YES_NO_VERB.search(ask)):
        verb = [c for c in m.group(1) if c not in _ZH_LIGHT and c not in _ZH_NOT and c != "得"]
        if any(c in low for c in verb):
            return True
    return any(asks.search(ask) and answers.search(low) for asks, answers in _KINDS.get(lang, ()))


# An English ask after a comma without "and"/"or" ("Who is involved…, how is it decided, and when…?"), in a sentence
# that opens with an ask of its own; "When you need something from us (…), how does it usually go?" opens with a clause
# that sets the scene.
_EN_BARE_PART = re.compile(r",\s*(?=(?:how|who|which|when|where|why|what)\b)", re.I)
_EN_ASKING = re.compile(r"\b(?:who|what|which|when|where|why|how)\b|^(?:do|does|did|is|are|can|could|would|will|"
                        r"have|has)\b", re.I)
_LEAD = re.compile(r"^[\s,，、]*(?:(?:and|or)\s+)?", re.I)
_EN_SCENE = re.compile(r"^(?:when|whenever|if|once|after|before|while|as|from|since|thinking|looking|apart)\b", re.I)


@lru_cache(maxsize=512)
def _parts(sentence: str) -> tuple[tuple[str, str], ...]:
    """One asking sentence as its asks: each ask's own words, and the rest of the sentence from it (what is asked again
    when it is left out). "Who is involved…, how is it decided, and when is your next chance to change?" → "How is it
    decided, and when…?", "When is your next chance to change?"; "在外面的时候，您需要查些什么、记些什么？" →
    "记些什么？". A Chinese part set off by 、 is an ask of its own only when it and the part before have a question
    word: options listed ("法规要求、数据存放地限制…，还是成本？") and paired verbs ("真正需要、真正看重的是什么") are
    one ask."""
    cuts: list[int] = []
    if _ZH_WH.search(sentence) and "、" in sentence:
        head = ""
        pos = 0
        for seg in sentence.split("、"):
            if pos and _ZH_WH.search(head) and _ZH_WH.search(seg):
                cuts.append(pos)
                head = ""
            head += seg
            pos += len(seg) + 1
    else:
        # not a wh-word set off by commas ("What could we have done, and when, that would have kept you?")
        cuts = [m.start() for m in _EN_MORE_ASKS.finditer(sentence) if not sentence[m.end():].lstrip().startswith(",")]
        if not _EN_SCENE.match(sentence):
            # only after an ask ("Who is involved…, how…"), not after "Today," or inside options listed after a colon
            cuts += [m.start() for m in _EN_BARE_PART.finditer(sentence)
                     if _EN_ASKING.search(sentence[:m.start()]) and ":" not in sentence[:m.start()]]
    bounds = [0, *sorted(set(cuts)), len(sentence)]
    parts = []
    for start, end in pairwise(bounds):
        rest = re.sub(r"^(?:and|or)\s+", "", sentence[start:].lstrip("、,， "), flags=re.I) if start else sentence
        parts.append((sentence[start:end], rest[:1].upper() + rest[1:]))
    return tuple(parts)


def _sub_asks(sentence: str) -> int:
    """How many things one asking sentence asks: "哪些人需要、用什么设备、是否需要离线使用？" three, "Who needs it,
    on which devices, and must it work offline?" three."""
    return len(_parts(sentence))


def _lang(question: str) -> str:
    return "zh" if any("\u4e00" <= c <= "\u9fff" for c in question) else "en"


def opens_with_yes_or_no(question: str, low: str) -> bool:
    """The answer opens with a bare yes or no ("没有，挺顺的", "No. Never") and the question has a yes-or-no ask:
    an answer to that ask, not a bare "nothing" to the question."""
    lang = _lang(question)
    first = CLAUSE_BREAK.split(low.strip(), maxsplit=1)[0].strip()
    return bool(_BARE[lang].fullmatch(first)) and any(_YES_NO_ASK[lang].search(_LEAD.sub("", own).lower())
                                                      for s in _ask_sentences(question) for own, _ in _parts(s))


def next_ask(question: str, low: str) -> str:
    """The ask an answer most likely left out, in the question's own words. Each clause of the answer is matched to
    the asks it answers: one that shares a content word ("现在都是打电话回公司问" answers "现在是怎么解决的？") or is
    the kind of thing the ask asks for (a quantity, a person, a way of doing it: `answered_by_kind`); a bare yes or no
    answers the yes-or-no ask. A clause that matches nothing fills a gap before the last ask answered ("不少" to
    "客户现在是怎么了解进度的？您的团队有多少时间花在…？" leaves the first). With nothing matched, an answer of k
    clauses took the first k asks ("还可以" to "配合得怎么样？请回想最近一个…项目" leaves the second). A "why?" is
    taken as answered beside a first clause. An ask inside a sentence is asked with the rest of its sentence ("me and
    the owner" leaves "How is it decided, and when is your next chance to change?"). "" when no ask is left."""
    sentences = _ask_sentences(question)
    parts = [part for sentence in sentences for part in _parts(sentence)]
    if len(parts) < 2:
        return ""
    of = [n for n, sentence in enumerate(sentences) for _ in _parts(sentence)]  # each ask's sentence
    # an ask is matched by its own words ("and must it work offline" → "must it work offline"), asked with the rest
    own = [_LEAD.sub("", o) for o, _ in parts]
    asks = [rest for _, rest in parts]
    lang = _lang(question)
    clauses = _answer_clauses(low)
    bare = [c for c in clauses if _BARE[lang].fullmatch(c)]
    content_clauses = [c for c in clauses if not _BARE[lang].fullmatch(c)]
    answered: set[int] = set()
    free = 0
    # only a question's opening ask is one for how it goes ("What led to the decision to stop? Walk me through how
    # and when it was decided…" asks for facts; "…, or what happens when it is missing?" for a consequence)
    broad = {0} if own and _BROAD[lang].search(own[0].lower()) else set()
    for clause in content_clauses:
        said = _units(clause, lang)
        # an ask for how it goes in general ("how does it usually go?", "一般是什么样的过程？") is answered by any
        # clause that tells something ("have to chase", "挺顺的")
        hits = broad | {i for i, s in enumerate(own)
                        if _shares(s, clause, said, lang) or answered_by_kind(s, clause, lang)}
        answered |= hits
        free += not hits
    if bare:
        answered |= {next((i for i, s in enumerate(own) if _YES_NO_ASK[lang].search(s.lower())), 0)}
    k = len(content_clauses)
    if answered:
        gaps = [i for i in range(max(answered)) if i not in answered][:free]
        negative = any(_NEGATIVE[lang].match(c) for c in bare)
        candidates = [i for i in range(len(asks)) if i not in answered and i not in gaps
                      and not (negative and i > min(answered) and _PRESUMES_EVENT[lang].search(own[i].lower()))]
    else:
        # A yes-or-no ask is answered by a yes or a no, or by naming what it asks about; the other asks are taken in
        # order, one for each clause ("还行吧，一般发微信" answers how it goes, not "有没有需要反复催…？").
        # Asks of one sentence ("查些什么、记些什么？") go together: a clause that took the first took the sentence.
        # An ask for one kind of thing (yes or no, how long, when, who) is answered only by that kind of thing: "还行
        # 吧，一般发微信" does not answer "有没有需要反复催…？", "a local guy, plus we fix stuff" not "How long…?".
        yes_no = {i for i, ask in enumerate(own) if i and (_YES_NO_ASK[lang].search(ask.lower())
                                                           or _TYPED_ASK[lang].search(ask.lower()))}
        slots = [of[i] for i in range(len(asks)) if i not in yes_no]
        k = max(1, k)
        start = max(1, slots[k]) if k < len(slots) else len(sentences)
        candidates = [i for i in range(1, len(asks)) if of[i] >= start or i in yes_no]
    for i in candidates:
        ask = asks[i]
        if any(j in answered for j in range(i + 1, len(asks)) if of[j] == of[i]):
            # a later ask of its sentence was answered ("next march" to "Who is involved…, how…, and when…?"): only
            # the asks before it
            ask = _own_ask(parts, i, answered, of)
        if len(ask) > 120 or (k >= 2 and _ASKS_WHY.search(own[i])):
            continue
        return ask
    return ""


def _own_ask(parts: list[tuple[str, str]], i: int, answered: set[int], of: list[int]) -> str:
    """The asks of one sentence from the i-th, up to the first one answered, as a question of their own."""
    words = ""
    for j in range(i, len(parts)):
        if of[j] != of[i] or j in answered:
            break
        words += parts[j][0]
    words = _LEAD.sub("", words).rstrip(" ,，、?？")
    zh = any("\u4e00" <= c <= "\u9fff" for c in words)
    return words[:1].upper() + words[1:] + ("？" if zh else "?")


# A left-out ask that is itself a question follows on from the answer as a person would ask it: "And how long have you
# worked this way?", "那您通常是怎么发现的？". One that begins with an instruction ("Think of the last deal…",
# "请回想…") cannot take "and"/"那" and keeps a frame ("The question also asked: …", "另外，…"). Blind raters found
# "The question also asked:" before every left-out ask stiff, like a form reading itself out.
_FLOWS = {
    "en": re.compile(r"(?:what|which|who|whom|whose|where|when|why|how|is|are|was|were|do|does|did|can|could|would|"
                     r"will|should|must|have|has|if|in|on|at|for|from|with|once|since|before|after)\b", re.I),
    "zh": re.compile(r"(?!请|另外|还有)"),
}
_ZH_THEN = re.compile(r"^那(?:么)?[，,\s]*(?=.)")  # the question's own "那您需要…": its "那" is the one asked with


def follow_on(part: str) -> tuple[str, bool]:
    """A left-out ask as it follows on from the answer: the ask with its first letter lowered where "And " goes before
    it (not an acronym: "CRM", "IT"), and whether it flows on (True) or needs a frame (False)."""
    lang = _lang(part)
    if lang == "zh":
        # a closing request asked on its own reads as a command with its full stop: asked as a question
        part = _ZH_THEN.sub("", part).removesuffix("。") + ("？" if part.endswith("。") else "")
    if not _FLOWS[lang].match(part):
        return part, False
    if lang == "en":
        first = part.split(maxsplit=1)[0]
        if not (len(first) > 1 and first.isupper()):
            part = part[:1].lower() + part[1:]
    return part, True


def single_clause(low: str) -> bool:
    """The answer is one clause ("客户数据统一"): if the question asked why, that is what it left out."""
    return _clauses(low) <= 1


_ASKS_WHY = re.compile(r"为什么|\bwhy\b", re.I)


def asks_why(question: str) -> bool:
    """The question's own text asks why (the intent after it is not read): the ladder will ask it anyway."""
    question = question.split("\n", 1)[0]
    end = max(question.rfind("?"), question.rfind("？"))
    return bool(_ASKS_WHY.search(question[:end + 1]))


# An ask for one real episode: "Think of the last deal that dragged on…: what happened?", "您最近一次直接听客户讲这些是
# 什么时候？", the script's own way to make an answer concrete.
_EPISODE = {"en": re.compile(r"\b(?:think of the last|the last time|(?:the )?last (?:deal|one|case|time|invoice|"
                             r"campaign)|most recent|when did you last|recall)\b", re.I),
            "zh": re.compile("最近一次|上一次|请回想|回想一下|最近一个|最近一单|最近一张|最近一场")}


def episode_left(question: str, low: str) -> bool:
    """The ask left out of the question asks for one real episode: a first answer with a cue word ("pricing mostly",
    "客户要的是靠谱") is asked for it in the question's own words before any other follow-up."""
    ask = next_ask(question, low) if missing_part(low, question) else ""
    return bool(ask) and bool(_EPISODE[_lang(question)].search(ask))


def fact_asked(question: str, clause: str) -> bool:
    """The clause is only a fact one of the question's asks asked for ("we decided in march" to "…how and when it was
    decided, and who was involved"): said in a reply, it is no consequence to climb from."""
    lang = _lang(question)
    clause = clause.strip()
    return _short_fact(clause, lang) and any(
        answered_by_kind(o, clause, lang) for sentence in _ask_sentences(question) for o, _ in _parts(sentence)
        if _FACT_ASK[lang].search(o.lower()))


def fills_asks(question: str, low: str) -> bool:
    """Every clause of the reply is the kind of thing one of the question's asks asks for ("老板定的，今年三月份" to
    "…这个决定是怎么做出的、什么时候做的、有哪些人参与"): facts the question asked for, no consequence to climb from."""
    lang = _lang(question)
    own = [o for sentence in _ask_sentences(question) for o, _ in _parts(sentence)
           if _FACT_ASK[lang].search(o.lower())]
    clauses = _answer_clauses(low)
    return bool(clauses and own) and all(_short_fact(c, lang) and any(answered_by_kind(ask, c, lang) for ask in own)
                                         for c in clauses)


# Asks for a plain fact: who, who decided, when. A quantity or a way of doing it ("about 2 hours a week", "we ring
# round") can be the consequence the ladder climbs from; these cannot. "What happens when it is missing?" asks no when.
_FACT_ASK = {"zh": re.compile("谁|哪些人|哪位|什么人|哪个部门|哪些部门|决定|决策|拍板|什么时候|何时|哪年|哪个月"),
             "en": re.compile(r"\bwho\b|\bdecid|\bdecision|^when\b|"
                              r"\bwhen (?:is|was|did|do|does|will|would|are|were)\b")}


def _short_fact(clause: str, lang: str) -> bool:
    """A clause short enough to be only the fact ("今年三月份", "the owner decided"), not a story around it
    ("门店经理天天来找我投诉", "after the third missed visit in two months")."""
    return len(clause) <= 8 if lang == "zh" else len(clause.split()) <= 5


def answers_an_ask(question: str, low: str) -> bool:
    """The reply is the kind of thing one of the question's later asks asks for ("about four years now" to "How long
    have you worked this way?"): said after the bot asked for the part left out, it completes the question."""
    lang = _lang(question)
    own = [_LEAD.sub("", o) for sentence in _ask_sentences(question) for o, _ in _parts(sentence)]
    # How one finds out, told in reply to a follow-up ("we find out when the customer rings us"), is a consequence to
    # climb from, not the question made whole.
    return any(answered_by_kind(ask, low, lang) for ask in own[1:] if not _FINDS_OUT[lang].search(ask.lower()))

