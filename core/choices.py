"""Reading a typed reply to a choice question: numbers (Arabic or Chinese), labels, part of a label, typos."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from core.choice_senses import SENSES, WORDS, another_of_kind, by_sense
from core.choice_sounds import SOUNDS, repaired
from core.choice_words import (
    by_initials,
    by_overlap,
    by_phrase,
    by_start,
    by_words,
    labels_named,
    mostly_named,
    near,
    pointed_at,
)
from core.commands import normalise
from core.hedges import MAX_CHARS as HEDGED_MAX_CHARS
from core.hedges import PARTIAL, clauses, lean, partial, peel
from core.script import Question
from core.yesno_echo import echo

# Extra labels per question and choice, e.g. the same script's labels in the other language:
# {question id: {choice id: ("价格 / 总成本", ...)}}.
Lexicon = Mapping[str, Mapping[str, Sequence[str]]]

YES = frozenset({"yes", "y", "yeah", "yep", "yup", "sure", "ok", "okay", "of course", "certainly", "definitely",
                 "absolutely", "yes please", "fine", "go ahead", "是", "是的", "对", "对的", "有", "好", "好的", "嗯",
                 "可以", "行", "当然", "当然可以", "愿意", "同意", "没问题", "能", "能的", "会", "会的", "要", "要的",
                 "需要", "需要的", "有的", "对啊", "是啊", "没错", "i do", "we do", "yes we do", "yes i do", "1"})
NO = frozenset({"no", "n", "nope", "nah", "not really", "no thanks", "no thank you", "rather not", "never",
                "否", "不",
                "不是", "没有", "无", "不要", "不用", "不需要",
                "i don't", "we don't", "no we don't", "不行", "不可以", "不愿意", "不同意", "算了", "不能", "不会", "0",
                "2"})

_SOFT_NO = re.compile(r"^(?:不太|不怎么|不大|很少|基本不|基本上不|基本没|几乎不|几乎没)"
                      r"(?:需要|要|会|用|能|是|有|去|出去)?(?:吧|呢|啊)?$")
_OFTEN_YES = frozenset({"all the time", "every day", "daily", "constantly", "always", "most days", "very often",
                        "经常", "天天", "每天", "总是", "一直", "经常的", "天天都是", "每天都是"})
_OFTEN_NO = frozenset({"rarely", "hardly ever", "not often", "seldom", "almost never", "not much", "not really often",
                       "very rarely", "hardly"})
# A firm no said some other way, and typed fast ("nop"); a yes that starts by saying how often or how much.
_FIRM_NO = frozenset({"not at all", "absolutely not", "definitely not", "certainly not", "no way", "never ever",
                      "never again", "not again",
                      "nop", "noo", "nooo", "nah not really", "不会了", "不应该", "还不行", "还没有", "完全没有",
                      "完全不", "一点也不", "一点都不", "从来没有", "从没有", "从不", "根本没有", "根本不"})
_MOSTLY_YES = ("天天", "每天", "经常", "总是", "一直", "大部分", "大多数", "基本都", "基本上都", "most of the time",
               "mostly yes", "pretty much always")
_MAYBE = frozenset({"maybe", "possibly", "perhaps", "might", "might do", "we might", "not sure", "depends",
                    "it depends", "也许", "可能", "说不定", "看情况", "不确定", "不一定", "或许", "也许吧", "可能吧",
                    "有可能", "可以考虑", "考虑考虑", "会考虑", "再考虑", "might consider", "would consider",
                    "we'd consider", "i'd consider"})
_PLAIN_YES = frozenset({"yes", "yeah", "yep", "yup", "sure", "yess", "ya", "yah", "yeap"})
_PLAIN_NO = frozenset({"no", "nope", "nah"})
# A clause that makes an exception to a yes or a no, and a clause that turns a yes down for part of it.
_EXCEPTION = re.compile(r"\b(?:except|excluding|apart from|other than|but not)\b|除了|除开")
_NOT_FOR = re.compile(r"(?:but\s+)?not\s+(?:for|in|on|at|with|the|all|every|always|yet)\b")
_NOT_A_NO = frozenset({"idea", "clue", "comment", "answer", "opinion"})  # "no idea" is a don't-know, not a no
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9}
_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
          "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
          "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
# "第三个", "选2", "option 2", "#2", "2号", "7分": the number is what counts.
_NUMBER_WRAP = re.compile(r"^(?:第|选|选项|option|choice|no\.?|number|#)?\s*(.+?)\s*(?:个|项|号|分|个选项|points?)?$")
# "the second one", "2nd one", "the 3rd", "the last one", "最后一个": an option by its place in the list shown.
_PLACE = re.compile(r"^(?:the\s+|just\s+the\s+)?(?P<place>\d+(?:st|nd|rd|th)|[a-z]+)(?:\s+(?:one|option|choice))?"
                    r"(?:\s+please)?$")
_LAST = re.compile(r"^(?:(?:the\s+)?(?:last|bottom)(?:\s+(?:one|option|choice))?(?:\s+please)?"
                   r"|最后(?:一个|那个|一项|那项|个)?(?:吧|呗)?)$")
_FROM_END = re.compile(r"^(?:倒数第(.+?)(?:个|项|那个)?"
                       r"|(?:the\s+)?(?:second|2nd)\s+(?:to|from)\s+(?:the\s+)?last(?:\s+one)?)"
                       r"(?:吧|呗)?$")
_FIRST_N = re.compile(r"^(?:前(.+?)(?:个|项)|(?:the\s+)?(?:first|top)\s+(\w+)(?:\s+(?:ones|options))?)(?:吧|呗)?$")
_LAST_N = re.compile(r"^(?:(?:最)?后(.+?)(?:个|项)|(?:the\s+)?(?:last|bottom)\s+(\w+)(?:\s+(?:ones|options))?)"
                     r"(?:吧|呗)?$")
_ORDINALS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"})
# Where an option named first ends and the person's reason begins: a dash, a colon, a full stop or a comma.
_LEAD_BREAK = re.compile(r"\s+[—–-]+\s+|\s*[—:：。;；!！]\s*|\.\s+|\s*[,，]\s*")
# The "none" option of a question, by its label, and a reply that says none of them applies.
_NONE_LABEL = re.compile(r"^(?:none|nothing|not yet|no\b|以上都没有|目前没有|还没有|暂无|暂时没有)")
_NONE_REPLY = re.compile(r"\b(?:none|nothing|not any|no one|nobody)\b|\bnot yet\b"
                         r"|\b(?:don'?t|do not|doesn'?t|never|not|aren'?t|isn'?t|no)\b[^,.;!?]*\b(?:any|anything)\b"
                         r"|都不|都没|一个都没|一个也没|什么都没|啥都没|啥也没|暂时没|目前没|还没有|暂无|没有定期|没统计|不考核|不统计"
                         # "没有预算", "没有考核", "no budget at all yet", "n/a, no KPIs for us": a no before the thing
                         r"|^没有(?!问题)|^no\s+(?!idea|clue|comment|answer|opinion|problem|worries|way)\w|^n/?a\b")
# Counts said in words: number words and numerals, Chinese pairs (五六) and 十几 / 几十; "at least", and "many".
_COUNT_WORD = re.compile(r"\d+|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty)\b"
                         r"|[一二两三四五六七八九十]?十几|几十|[一二两三四五六七八九十]+")
# A count in words beside a score: a digit, an English number word, a Chinese numeral with a measure word ("五个门店";
# not the 一 of "一般般").
_COUNTED = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty)\b"
                      r"|[一二两三四五六七八九十百千几]+[个家次天年月周台套人条单位]")
_AT_LEAST = re.compile(r"\b(?:at least|more than|over|upwards of)\b|至少|起码|不止|超过|以上|多个")
_MANY = re.compile(r"\b(?:dozens|loads|tons|lots and lots|countless|more than i can count|"
                   r"can'?t count|hundreds)\b|数不过来|数不清|多了去了|多得很|无数")
# A reply torn between options, or that makes the choice depend on something: never one option by shared words.
_TORN = re.compile(r"\b(?:or|both|either|can'?t decide|cannot decide|depends|mix|mixed|half)\b"
                   r"|或者|还是|都行|都可以|都重要|分不出|二选一|看情况|看客户|不一样|不一定|各有|一半")
_EITHER = re.compile(r"或|\bor\b|/")  # "实地考察或当面交流", "做对率 / 返工率": two things, whatever they mean
_LEAD_BREAK_STRONG = re.compile(r"\s+[—–-]+\s+|\s*[—:：。;；!！]\s*|\.\s+")
_LEAD_MAX_CHARS = 300
_ALTERNATIVE = re.compile(r"^(?:or|either|还是|或者|或|也可能|也许是)\b")
# The pseudo choice ids under which a Lexicon gives a scale's end labels in the other language.
SCALE_MIN, SCALE_MAX = "__scale_min__", "__scale_max__"
_SCALE_TRIM = re.compile(r"^(?:(?:hmm+|um+|well|maybe|probably|prob|like|about|around|say|i'?d say|"
                         r"i'?d give (?:it|you)|"
                         r"i guess|i think|a|an|给个|打个|给|打|大概|可能|应该|估计|差不多|我觉得|我给)\s*)+|"
                         r"(?:\s*(?:i guess|i gues|i think|maybe|probably|tbh|honestly|or so|-?ish|吧|把|呗|啊|左右|"
                         r"分吧|的样子|哈哈+|呵呵+|haha+|lol|[!！?？.。~…]|[^\w\s]))+$")  # [^\w\s]: an emoji, a mark
_SCALE_NUMBER = re.compile(r"^(\d+|[a-z]+|[零〇一二两三四五六七八九十]+)\s*(?:分|fen|points?|pts?|stars?|星)?$")
# The middle said in words. Not "so-so", "马马虎虎", "凑合": two new writers (closed test and dev2 sets) left those
# unread on a 1-5 scale (passable, a 2 as much as a 3), so they are asked again rather than taken as 3.
_MIDDLE = frozenset({"average", "neutral", "middling", "in the middle", "right in the middle",
                     "neither", "neither good nor bad", "一般", "一般般", "中等", "不好不坏", "中规中矩"})
# A scale's number and then the reason for it ("2 cuz phone numbers are always outdated", "4 因为偶尔会错").
_NUMBER_BECAUSE = re.compile(r"^(\d+)\s*(?:,\s*)?(?:because|cuz|coz|cos|bc|since|as|因为)\b\s*(.*)$")
# Words that start a remark about a thing rather than another thing.
_REMARK = re.compile(r"\b(?:but|because|cuz|so|which|though|while)\b|但是|但|不过|可是|因为|所以")
# The end of a list said as such ("that's it", "就这俩"), and a single thing said to be the only one.
_ALL_SAID = re.compile(r"[,，、\s]*(?:that'?s it|that'?s all|and that'?s it|就这俩|就这些|就这几个|就这两个"
                       r"|没别的了)\W*$")
_ONLY_ONE = re.compile(r"^(?:just|only)\s+(?:the\s+|our\s+|my\s+|one\s+)?\S+$|^(?:只有|只用|就一个)\S{1,12}$")
_OUT_OF_SAID = re.compile(r"^(\d+)\s*(?:/|out of)\s*(\d+)\b[\s,.!-]+(\D.*)$")
_OUT_OF = re.compile(r"^(.+?)\s*(?:/|out of|of)\s*(\d+)$")
_STRONG = re.compile(r"\s*(?:,|;|、|\+|&)\s*")  # between options, never inside a label's own words
_SPLIT = re.compile(r"\s*(?:,|;|、|\+|&|\band\b|和|与|及|以及|跟|还有|再加上|再加|加上|外加|或者|\bor\b)\s*")
_LABEL_PARTS = re.compile(r"\s*(?:/|\(|\)|（|）|:|：|,|，|、|;|；| - | – | — )\s*")
# "not the price", "不是价格": a reply that says what it is not (narrower than _NEGATION: "交货不及时" is speed).
_DENIAL = re.compile(r"\b(?:not|no|never|isn't|wasn't|without|nothing to do with)\b|不是|并非|没有|无关|跟.{0,6}没关系"
                     # "东西别出问题": a wish that something not happen (not the 别 of 特别有, 区别, 级别)
                     r"|(?<![特区分级类识告个性差])别(?=出|再|让|有|搞)")
# A clause that puts its topic aside: "价格差不多就行", "price is fine", "service matters less"; it names no choice.
_SECONDARY = re.compile(r"差不多就[行好可]|无所谓|倒是其次|是其次|不是问题|不是重点|不重要|没什么要求"
                        r"|还行|还可以|过得去"
                        r"|\b(?:is|was|'s|are|were) (?:fine|ok|okay|secondary|less important|not the point)\b"
                        r"|\b(?:doesn'?t|don'?t) (?:really )?(?:matter|care)\b|\bmatters? less\b")
_CLAUSE_BREAK = re.compile(r"[，,;；。!！?？]|\.\s")
# Where a reply turns from one thing to another: a clause break, or a "but" ("price but also the service").
_NEGATED_VERB = re.compile(r"\b(?:won'?t|can'?t|cannot|don'?t|doesn'?t|didn'?t|wouldn'?t|shouldn'?t|couldn'?t|"
                           r"aren'?t|haven'?t|hasn'?t)\b|不|没|别|无")
_CONTRAST = re.compile(r"[，,;；。!！?？]|\.\s|\bbut\b|\bwhile\b|\bthough\b|但是|但|不过|可是|然而")
_NEGATION = re.compile(r"(?:^|\s)(?:not|no|never|don't|dont|isn't|without)(?:\s|$)|不|没|非|无")
# Words people use for the usual catch-all options, whatever the script's label says exactly.
FAMILIES = (
    frozenset({"don't know", "dont know", "do not know", "i don't know", "not sure", "no idea", "idk", "unsure",
               "不知道", "不清楚", "不确定", "说不清", "不好说", "不了解"}),
    frozenset({"none", "none of these", "none of them", "nothing", "neither", "no one", "nobody",
               "没有", "都没有", "以上都没有", "都不是", "一个都没有"}),
    frozenset({"other", "others", "something else", "another", "其他", "其它", "别的", "其他的"}),
)
_RANGE = (
    (re.compile(r"^(\d+)\s*(?:to|-|–|~|到|至)\s*(\d+)"), lambda a, b: (int(a), int(b))),
    (re.compile(r"^(\d+)\s*个?\s*(?:or more|\+|或更多|以上|及以上|or above)"), lambda a: (int(a), 10**9)),
    (re.compile(r"^(?:more than|over|超过)\s*(\d+)"), lambda a: (int(a) + 1, 10**9)),
    (re.compile(r"^(?:under|less than|fewer than|少于)\s*(\d+)"), lambda a: (0, int(a) - 1)),
)
PARTIAL_MAX_WORDS = 4  # partial or fuzzy matches only for short replies: a sentence is an answer in words
PARTIAL_MAX_CJK = 8
FUZZY_RATIO = 0.78


@dataclass(frozen=True)
class Match:
    """The reply stands for these choice ids. `exact`: a number, a whole label or an id; otherwise the channel
    confirms what it took the reply to mean."""

    values: tuple[str, ...]
    exact: bool
    # Pieces of a typed list that named no option ("site visit" in "site visit, references, trial"): the options
    # found are taken and these words are kept as the person's comment, never dropped.
    rest: tuple[str, ...] = ()


@dataclass(frozen=True)
class Miss:
    """Why the reply did not fit: none, ambiguous, range, one_only, too_many, exclusive; `options` names the
    labels involved (the candidates of an ambiguous reply, the exclusive choice, ...)."""

    reason: str
    options: tuple[str, ...] = ()


def parse_number(text: str) -> int | None:
    """12, "１２", "十二", "第三个", "two", "7分"; None when the text is not one number."""
    t = normalise(text)
    m = _NUMBER_WRAP.match(t)
    core = m.group(1) if m else t
    if core.isdigit() and core.isascii():
        return int(core)
    if core in _WORDS:
        return _WORDS[core]
    return _chinese_number(core)


def _digits(text: str) -> str:
    """Number words as digits, so "four to six" and "四到六个" read as the range "4 to 6"."""
    out = []
    for w in re.split(r"(\s+|到|至|~|-)", text):
        n = None if w.strip() in ("", "到", "至", "~", "-") else parse_number(w)
        out.append(str(n) if n is not None and not w.isdigit() else w)
    return "".join(out)


def _chinese_number(t: str) -> int | None:
    if not t or any(ch not in _DIGITS and ch not in "十百" for ch in t):
        return None
    if all(ch in _DIGITS for ch in t):  # 二三 is not a number people type; 一 / 八 / 〇 are
        return _DIGITS[t] if len(t) == 1 else None
    total, rest = 0, t
    if "百" in rest:
        head, _, rest = rest.partition("百")
        if len(head) != 1 or head not in _DIGITS:
            return None
        total += _DIGITS[head] * 100
        rest = rest.lstrip("零〇")
    if "十" in rest:
        head, _, rest = rest.partition("十")
        if len(head) > 1 or (head and head not in _DIGITS):
            return None
        total += (_DIGITS[head] if head else 1) * 10
    if rest:
        if len(rest) != 1 or rest not in _DIGITS:
            return None
        total += _DIGITS[rest]
    return total


def _cjk(text: str) -> int:
    return sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")


def negated(text: str) -> bool:
    """The reply denies something ("not the price", "不是价格的问题"), so its topic word is not its answer."""
    return _DENIAL.search(normalise(text)) is not None


def short_reply(text: str, labels: Iterable[str] = ()) -> bool:
    """A reply short enough to be an attempt at naming an option, not an answer in words. A Chinese reply may be
    as long as the question's longest label ("所有在途订单的状态" for "所有在途订单或项目的状态")."""
    t = normalise(text)
    cjk = _cjk(t)
    most = max([PARTIAL_MAX_CJK, *(_cjk(label) for label in labels)])
    return cjk <= most and len(t.split()) <= PARTIAL_MAX_WORDS and len(t) <= max(40, most)


def interpret(q: Question, text: str, lexicon: Lexicon | None = None, own_words: bool = True) -> Match | Miss:
    """What a typed reply to a closed question means (choice ids), or why it does not fit. `own_words=False` leaves
    out the last resort, a reply sharing content with one option's label (`own_words_choice`), for a caller that
    tries another reading first."""
    t = normalise(text)
    found = _interpret(q, t, lexicon)
    if isinstance(found, Match) and not found.exact and not found.rest and q.kind in ("single", "scale"):
        # "3 or so, contacts are stale": the number read from the first clause, and the remark after it kept as the
        # person wrote it (it was dropped), when the option comes first and the rest names no other
        lead = _leading(q, t, lexicon)
        if isinstance(lead, Match) and lead.values == found.values and lead.rest:
            found = lead
    if isinstance(found, Miss) and found.reason == "none":
        found = _hedged(q, t, lexicon) or found
    if isinstance(found, Miss) and found.reason in ("none", "ambiguous") and q.kind in ("single", "multi", "scale"):
        found = _leading(q, t, lexicon) or found
    if isinstance(found, Miss) and found.reason == "ambiguous" and q.kind in ("single", "multi"):
        found = _decided_by_reason(q, t, found, lexicon) or found
    if isinstance(found, Miss) and found.reason == "none":
        found = _none_of_them(q, t) or _a_count(q, t) or (_yes_no_options(q, t) if q.kind == "single" else None) \
            or found
    if own_words and isinstance(found, Miss) and found.reason == "none":
        found = own_words_choice(q, text, lexicon) or found
    return found


def torn(text: str) -> bool:
    """The reply hesitates between options or makes the choice depend on something ("quality or service, can't
    decide", "质量跟价格，二选一太难了", "云或者混合都行")."""
    return _TORN.search(normalise(text)) is not None


def own_words_choice(q: Question, text: str, lexicon: Lexicon | None = None) -> Match | None:
    """A reply in the person's own words that shares content with one option's label and no other's (see
    choice_words.by_overlap), confirmed. Not for a denial, a don't-know, a reply torn between options ("quality or
    service, can't decide", "云或者混合都行"), or a long answer in words."""
    t = normalise(text)
    if q.kind not in ("single", "multi") or negated(t) or len(t.split()) > 25 or _cjk(t) > 40 or \
            any(w in t for w in FAMILIES[0]) or (q.kind == "single" and torn(t)) or \
            (q.kind == "multi" and len([p for p in _SPLIT.split(t) if p]) > 1):  # a list: its items decide
        return None
    kept = _without_asides(t)
    aliases = _aliases(q, lexicon)
    # The question's own words say nothing about the option: "上周有个客户的发票开错了…拖了九天" shares only "客户" (in
    # "客户选择我们时最看重什么？") with "能灵活配合客户的需要". (Asking for two shared pieces from a long reply
    # instead cost 7-10 right English readings per set and saved no wrong one.)
    found = by_overlap(aliases, kept, q.text) if kept.strip() else []
    if not found and 0 < _cjk(kept) <= 12:  # "主要靠自己记": no word of a label, but mostly its characters
        found = [cid for cid in aliases if mostly_named(aliases, cid, kept)]
    if len(found) != 1:
        return None
    # "they come for price but stay for the service": a second clause that points only at other options makes the
    # reply torn between them, whichever option has more words of its own.
    # A clause that denies its topic ("compliance won't allow cloud") points nowhere.
    if q.kind == "single" and any((seen := pointed_at(aliases, c)) and found[0] not in seen
                                  for c in _CONTRAST.split(kept) if c.strip() and not _denies(c)):
        return None
    if sense_torn(q, kept, found[0], lexicon):
        return None
    return Match((found[0],), False)


def sense_torn(q: Question, text: str, value: str, lexicon: Lexicon | None) -> bool:
    """A single-choice reply with a clause that says another option than `value` in other words is torn between
    them: "准时交货，价格也要合适" is speed (交货, by sense) and price."""
    if q.kind != "single" or (lexicon or {}).get(SENSES) is None:
        return False
    return any((by := sense_choice(q, c, lexicon)) is not None and by.values != (value,)
               for c in _CONTRAST.split(normalise(text)) if c.strip())


def sense_choice(q: Question, text: str, lexicon: Lexicon | None = None) -> Match | None:
    """A short reply whose words mean what one option's label says in other words ("准时交货" for "响应和交付速度",
    "云上就行" for "云端（SaaS）"), by the sense classes the lexicon gives (core.choice_senses), confirmed. The last
    reading of all: never for a denial, a don't-know, a reply torn between options, a list, or an answer in words
    too long to be naming an option; the catch-all options (other, none, don't know) are never read by sense."""
    senses, words = (lexicon or {}).get(SENSES), (lexicon or {}).get(WORDS)
    if senses is None or words is None or q.kind not in ("single", "multi"):
        return None
    t = normalise(text)
    if negated(t) or torn(t) or any(w in t for w in FAMILIES[0]) or _EITHER.search(t):
        return None
    if len(clauses(t)) > 1:
        return _sense_then_why(q, t, lexicon)
    short = short_reply(t, [c.label for c in q.choices])
    # Naming some organisation takes a few more words than naming an option ("we use an outside firm for it").
    if not (short or (len(t.split()) <= 12 and _cjk(t) <= 20)) or len([p for p in _SPLIT.split(t) if p]) > 1:
        return None
    aliases = {cid: labels for cid, labels in _aliases(q, lexicon).items()
               if not all(_family(label) is not None for label in labels)}  # "another supplier" is no catch-all
    kind = another_of_kind(aliases, text) if q.kind == "single" else None
    found = [kind] if kind else by_sense(aliases, t, q.text, words, senses) if short else []
    if len(found) != 1:
        return None
    # Words the reply shares with other options' labels outrank any sense: "speed" is a kind of going (as in "when
    # something goes wrong"), but it is the word of "Speed of response and delivery"; "SLA达成率" is SLA's.
    seen = pointed_at(_aliases(q, lexicon), t)
    return Match((found[0],), False) if not seen - {found[0]} else None


def _sense_then_why(q: Question, t: str, lexicon: Lexicon | None) -> Match | None:
    """An option said in other words first, then why ("准时交货，客户打电话来都是问这个"): the option, confirmed, the
    reply kept as the person's words, as for an option named first (`_leading`); not when the rest names an option."""
    m = (_LEAD_BREAK_STRONG if q.kind == "multi" else _LEAD_BREAK).search(t)
    if m is None or len(t) > _LEAD_MAX_CHARS:
        return None
    head, tail = peel(t[:m.start()]), t[m.end():].strip()
    one = sense_choice(q, head, lexicon) if head and tail and not _ALTERNATIVE.match(tail) else None
    if one is None or pointed_at(_aliases(q, lexicon), tail) - set(one.values):
        return None
    return Match(one.values, False, (tail,))


def _denies(clause: str) -> bool:
    """The clause says no to something: a denial ("not the price", "不是价格") or a negated verb ("won't allow")."""
    return negated(clause) or _NEGATED_VERB.search(clause) is not None


def _without_asides(t: str) -> str:
    """The reply without its clauses that put a topic aside ("价格还行，主要是要有人接电话" → "主要是要有人接电话").
    Only beside another clause: alone, "email is fine" to "how should we contact you?" is the choice."""
    parts = [c for c in _CLAUSE_BREAK.split(t) if c.strip()]
    kept = [c for c in parts if not _SECONDARY.search(c)]
    return t if not kept or len(kept) == len(parts) else ", ".join(kept)


def _a_count(q: Question, t: str) -> Match | None:
    """A count said in words, where the options are counts: "估计有五个", "五六个" (both in "4 to 6"), "at least ten",
    "十几个", and "dozens" / "数不过来" for the open-ended top option. The one option that holds every number said."""
    if not _counts(q) or len(t.split()) > 12 or _cjk(t) > 20:
        return None
    ranges = {c.id: r for c in q.choices if (r := _label_range(c.label)) is not None}
    top = [cid for cid, (_lo, hi) in ranges.items() if hi >= 10**9]
    if _MANY.search(t):
        return Match((top[0],), False) if len(top) == 1 else None
    numbers: list[int] = []
    at_least = _AT_LEAST.search(t)
    for m in _COUNT_WORD.finditer(t):
        w = m.group()
        if w.endswith("几") or w.startswith("几"):  # 十几 (11-19), 几十 (20 or more)
            numbers += [11, 19] if w.endswith("几") else [20]
        elif _cjk(w) == 2 and all(ch in _DIGITS for ch in w) and _DIGITS[w[1]] == _DIGITS[w[0]] + 1:
            numbers += [_DIGITS[w[0]], _DIGITS[w[1]]]  # 五六个, 七八个: one or the other
        elif (n := parse_number(w)) is not None:
            numbers.append(n)
    if not numbers:
        numbers = _places_listed(t)  # "the CRM and my inbox, that's it": as many places as it names
    if not numbers:
        return None
    lo_said, hi_said = min(numbers), (10**9 if at_least else max(numbers))
    hits = [cid for cid, (lo, hi) in ranges.items() if lo <= lo_said and hi_said <= hi]
    return Match((hits[0],), False) if len(hits) == 1 else None


def _places_listed(t: str) -> list[int]:
    """A count answered by naming the things counted: a list of two or more ("SAP, Excel, Outlook, the shared drive
    and Dave's notebook", "CRM加我邮箱，就这俩"), or one thing said to be the only one ("just the ERP", "只有ERP")."""
    # Not a shrug with a reason: "no idea, honestly", "dunno, nobody has ever counted", "不清楚，没统计过"
    if _NEGATION.search(t) or _NONE_REPLY.search(t) or any(w in t for w in FAMILIES[0]):
        return []
    if _REMARK.search(t):
        return []  # "Excel, but it's a mess": a thing and a remark, not two things
    items = [p for p in _SPLIT.split(_ALL_SAID.sub("", t)) if p.strip()]
    if len(items) >= 2 and all(short_reply(p) and peel(p) for p in items):
        return [len(items)]
    return [1] if items and _ONLY_ONE.match(t) else []


def _none_of_them(q: Question, t: str) -> Match | None:
    """"we don't track any of that", "nothing yet", "一个都没统计", "暂时没有": the question's own "none" option
    (exclusive, or labelled none / nothing yet / 以上都没有 / 还没有), confirmed. Only a short reply, and only
    where the question has one such option."""
    nones = [c.id for c in q.choices if c.exclusive or _family(normalise(c.label)) is FAMILIES[1]
             or _NONE_LABEL.match(normalise(c.label))]
    if len(nones) != 1 or len(t.split()) > 15 or _cjk(t) > 25:
        return None
    return Match((nones[0],), False) if _NONE_REPLY.search(t) else None


def _leading(q: Question, t: str, lexicon: Lexicon | None) -> Match | None:
    """An option named first and then explained ("speed — when a line goes down we need someone within the hour",
    "flexibility. our orders change every week", "服务与支持吧，出问题的时候"): the option, confirmed, the whole
    reply kept as the person's words. The head must name the option on its own, hedges peeled, and neither deny it
    nor put it aside."""
    # In a multi question's reply a comma separates options, not an option from its reason.
    m = (_LEAD_BREAK_STRONG if q.kind == "multi" else _LEAD_BREAK).search(t)
    if m is None or len(t) > _LEAD_MAX_CHARS:
        return None
    head, tail = peel(t[:m.start()]), t[m.end():].strip()
    if not head or not tail or negated(head) or _SECONDARY.search(t[:m.start()]):  # "price is fine, …": aside
        return None
    one = _interpret(q, head, lexicon)
    if not isinstance(one, Match) and (leaning := _hedged(q, head, lexicon)) is not None:
        one = leaning
    if not isinstance(one, Match):
        return None
    # "maybe 3, or 4", "质量跟价格，二选一太难了": a reason never names another option.
    if _ALTERNATIVE.match(tail) or any(isinstance(other := _interpret(q, c, lexicon), Match)
                                       and other.values != one.values for c in clauses(tail[:HEDGED_MAX_CHARS])):
        return None
    return Match(one.values, False, (tail,))


def _hedged(q: Question, t: str, lexicon: Lexicon | None) -> Match | Miss | None:
    """A hedged reply ("not sure... maybe 3", "不清楚，应该是吧", "probably not") read for the option it leans to, and
    a yes/no answered by echoing the question ("差不多吧，稍微便宜一点" to "…比我们便宜吗？").
    Never exact: the channel says what it took the reply to mean, so a wrong guess is one "back" away."""
    if q.kind == "yesno" and (whole := lean(t) or echo(q.text, t)):
        return Match((whole,), False)
    if q.kind != "yesno" and any(t.startswith(w) for w in PARTIAL) and peel(t) in YES:
        return None  # "算是有吧" to "有，已经批准 / 有估算，尚未批准": a half yes names neither
    seen: set[tuple[str, ...]] = set()
    unclear: list[Miss] = []
    other: list[str] = []
    said = clauses(_without_asides(t))
    if q.kind == "yesno" and len(said) > 1 and any(partial(c) for c in said):
        return None  # "partly, for the webinars only": a yes with an exception, asked again
    for clause in said:
        leaning = (lean(clause) or echo(q.text, clause)) if q.kind == "yesno" else None
        one = Match((leaning,), False) if leaning else _interpret(q, clause, lexicon)
        if isinstance(one, Match):
            seen.add(one.values)
        elif one.reason == "ambiguous":
            unclear.append(one)
        else:
            other.append(clause)
    # Two clauses naming different options ("maybe 3, or 4") are not a lean: the question asks again.
    if len(seen) == 1 and q.kind == "yesno" and _excepted(t, next(iter(seen))[0]):
        return None  # "yes for orders, not for projects"
    if len(seen) == 1:
        # A multi question's other clauses are the person's words, kept beside the option ("crm, mostly my head"),
        # unless they outnumber it: "CRM, Mailchimp, LinkedIn" is a list of three, not CRM and two remarks.
        if q.kind == "multi" and len(other) > 1:
            return None
        if sense_torn(q, ", ".join(other), next(iter(seen))[0], lexicon):
            return None  # "准时交货，价格也要合适": another option in other words beside it
        # The other clauses are kept as the person wrote them ("3 or so, contacts are stale": 3, and the remark).
        return Match(seen.pop(), False, tuple(other))
    # "应该是服务吧" where two options say 服务: ask which one, as for the bare word.
    return unclear[0] if not seen and len(unclear) == 1 else None


def _decided_by_reason(q: Question, t: str, unclear: Miss, lexicon: Lexicon | None) -> Match | None:
    """A word two labels hold, and beside it a reason that says which of the two ("服务吧，出问题能有人管": 服务 is in
    "产品或服务质量" and "出了问题时的服务与支持"; the reason shares 问题 with the second only). Confirmed."""
    said = clauses(_without_asides(t))
    readings = [_interpret(q, c, lexicon) for c in said]
    if len(said) < 2 or any(isinstance(r, Match) for r in readings):
        return None
    aliases = _aliases(q, lexicon)
    among = {c.id: aliases[c.id] for c in q.choices if c.label in unclear.options}
    found = {cid for c, r in zip(said, readings, strict=True)
             if isinstance(r, Miss) and r.reason == "none" and not _denies(c) for cid in by_overlap(among, c)}
    return Match((found.pop(),), False) if len(found) == 1 else None


def _interpret(q: Question, t: str, lexicon: Lexicon | None) -> Match | Miss:
    if q.kind == "yesno":
        return _yes_no(t)
    if q.kind == "scale":
        return _scale(q, t, lexicon)
    aliases = _aliases(q, lexicon)
    whole = _exact(q, aliases, t)
    if whole is not None:
        return _check(q, (whole,), True)
    place = _place(q, t)
    if place is not None:
        return _check(q, (place,), False)
    phrase = by_phrase(aliases, t)
    if len(phrase) == 1:  # "服务与支持", "on time": a label's own words, before "与" / "and" could cut them in two
        return _check(q, (phrase[0],), False)
    parts = [p for p in _SPLIT.split(t) if p]
    if len(parts) == 1 and all(parse_number(w) is not None for w in t.split()):
        parts = t.split()  # "1 3"
    places = _places(q, t) if q.kind == "multi" else None
    if places and len(parts) == 1:  # "前两个", "the first two"
        return _check(q, places, False)
    if len(parts) > 1:
        found = _many(q, aliases, t, parts, lexicon)
        if isinstance(found, Miss) and places:  # "2nd and 3rd", "第一个和最后一个"
            return _check(q, places, False)
        if isinstance(found, Miss) and q.kind == "multi" and _STRONG.search(t):
            return _copied(q, aliases, t, lexicon) or found
        return found
    one = _one(q, aliases, t)
    return one if isinstance(one, Miss) else _check(q, one.values, one.exact)


def _place(q: Question, t: str) -> str | None:
    """An option named by its place in the list ("the second one", "2nd", "the last one", "最后一个", "倒数第二个").
    Where the options are counts ("2 to 3"), a number word is the count ("four"), never a place; "the fourth" is."""
    if not q.choices:
        return None
    if _LAST.match(t):
        return q.choices[-1].id
    if m := _FROM_END.match(t):
        n = parse_number(m.group(1)) if m.group(1) else 2
        return q.choices[-n].id if n is not None and 1 <= n <= len(q.choices) else None
    m = _PLACE.match(t)
    word = m.group("place") if m else ""
    if word in _WORDS and word not in _ORDINALS and _counts(q):
        return None
    n = int(word[:-2]) if word[:1].isdigit() else _WORDS.get(word) if word != "one" else None
    return q.choices[n - 1].id if n is not None and 1 <= n <= len(q.choices) else None


def _places(q: Question, t: str) -> tuple[str, ...] | None:
    """Several options by place: "2nd and 3rd", "the fourth and the second", "第一个和最后一个", "前两个" / "first
    two" (the first n); None unless every piece is a place."""
    if m := _FIRST_N.match(t):
        n = parse_number(m.group(1) or m.group(2))
        return tuple(c.id for c in q.choices[:n]) if n is not None and 2 <= n <= len(q.choices) else None
    if m := _LAST_N.match(t):  # "后两个", "the last two"
        n = parse_number(m.group(1) or m.group(2))
        return tuple(c.id for c in q.choices[-n:]) if n is not None and 2 <= n <= len(q.choices) else None
    pieces = [p for p in _SPLIT.split(t) if p]
    if len(pieces) < 2:
        return None
    found = [_position(q, p.removeprefix("the ").strip()) for p in pieces]
    return tuple(dict.fromkeys(f for f in found if f)) if all(found) else None


def _position(q: Question, piece: str) -> str | None:
    """One piece of a list of places: "2nd", "最后一个", or "第一个" / "3" where the options are not counts."""
    found = _place(q, piece)
    n = parse_number(piece) if found is None and not _counts(q) else None
    return found or (q.choices[n - 1].id if n is not None and 1 <= n <= len(q.choices) else None)


def _counts(q: Question) -> bool:
    """The options are counts ("One", "2 to 3", "7 or more"): a number names the count, not a place."""
    return sum(_label_range(c.label) is not None for c in q.choices) >= 2


def _many(q: Question, aliases: dict[str, list[str]], t: str, parts: list[str],
          lexicon: Lexicon | None = None) -> Match | Miss:
    """Several options in one reply ("1, 3", "crm, spreadsheets, email", "重复来电及原因、未结工单"). A piece between
    commas is first tried whole, so a label that itself says "and" / "及" is not cut in two."""
    pieces = parts
    if _STRONG.search(t):
        pieces = []
        for chunk in (c for c in _STRONG.split(t) if c):
            whole = _whole(q, aliases, chunk)
            pieces.extend([chunk] if whole else [p for p in _SPLIT.split(chunk) if p])
    chosen: list[str] = []
    exact = True
    rest: list[str] = []
    for p in pieces:
        # No label inside a part: a clause of a sentence ("the budget is fixed, ...") is not an option.
        one = _one(q, aliases, p, contained=False)
        if isinstance(one, Miss) and one.reason == "none" and (bare := peel(p)) and bare != p:
            one = _one(q, aliases, bare, contained=False)  # "价格和速度吧": 速度, not an unknown "速度吧"
        if isinstance(one, Miss) and one.reason == "none" and q.kind == "multi":
            one = _hedged_piece(q, aliases, p) or _item(q, aliases, p, lexicon) or one
        if isinstance(one, Miss):
            if one.reason in ("ambiguous", "range"):
                return one
            rest.append(p)
            continue
        chosen.extend(v for v in one.values if v not in chosen)
        exact = exact and one.exact
    unsure = {c.id for c in q.choices if dont_know_option(c.label)}
    if len(chosen) > 1 and unsure & set(chosen):  # "说不清，可能4到6个吧": the don't-know only hedges the guess
        chosen, exact = [v for v in chosen if v not in unsure], False
    if rest:
        return _partly(q, tuple(chosen), tuple(rest), t, aliases, len(pieces) - len(rest))
    return _check(q, tuple(chosen), exact)


def _item(q: Question, aliases: dict[str, list[str]], piece: str, lexicon: Lexicon | None) -> Match | None:
    """A list item read as loosely as a short reply on its own: it holds a part of one label ("企业微信", "teams
    chat" for "Chat apps (Slack, WeChat, ...)"), says mostly what one label says in its own words ("上门考察" for
    "实地考察或当面交流", "a clear quote" for "A clear price quote"), or is an input-method homophone of one ("油件"
    for 邮件). Only a short item without a negation; confirmed like any loose reading."""
    labels = [c.label for c in q.choices]
    if not short_reply(piece, labels) or _NEGATION.search(piece) or _SECONDARY.search(piece):
        return None
    inside = by_start(aliases, piece, _by_label_in_reply(aliases, piece))
    if len(inside) == 1:
        return Match((inside[0],), False)
    shared = by_overlap(aliases, piece) if not inside else []
    if len(shared) == 1 and mostly_named(aliases, shared[0], piece):
        return Match((shared[0],), False)
    if inside or shared:
        return None  # the item's words are in several labels, or only beside its own subject: it names none
    # "线索数": its two-character words are in two labels, but its characters mostly in one ("新线索或新商机数量")
    covered = [cid for cid in aliases if _cjk(piece) and mostly_named(aliases, cid, piece)]
    if len(covered) == 1:
        return Match((covered[0],), False)
    fixed = repaired(piece, [label for ls in aliases.values() for label in ls], (lexicon or {}).get(SOUNDS))
    one = _one(q, aliases, fixed, contained=False) if fixed else None
    return Match(one.values, False) if isinstance(one, Match) else None


def _hedged_piece(q: Question, aliases: dict[str, list[str]], piece: str) -> Match | None:
    """A list item with a hedge around it ("maybe the support tool? not sure"): the option its words name."""
    found = [one for c in clauses(piece) if isinstance(one := _one(q, aliases, c, contained=False), Match)]
    return Match(found[0].values, False) if len(found) == 1 else None


def _partly(q: Question, chosen: tuple[str, ...], rest: tuple[str, ...], t: str,
            aliases: dict[str, list[str]], named: int) -> Match | Miss:
    """A typed list where most items name options and a few do not ("ERP, spreadsheets, email, whatsapp"): a
    colleague ticks the ones they recognise and keeps the rest as written, rather than asking for the whole
    list again. Only for a list of short items (commas or 、), never a sentence, and only when the items that
    name options outnumber the rest: "Salesforce + excel exports", "Outlook, Jira Service Desk and the Shopify
    store" name one option in two or three, and ticking it alone records a list the person did not give. The
    "Other" option is ticked for the rest where the question has one."""
    if q.kind != "multi" or not chosen or not _STRONG.search(t) or named <= len(rest) or \
            not all(short_reply(r, [c.label for c in q.choices]) for r in rest):
        return Miss("none")
    other = [cid for cid, labels in aliases.items() if any(_family(label) is FAMILIES[2] for label in labels)]
    values = chosen + tuple(cid for cid in other[:1] if cid not in chosen)
    found = _check(q, values, False)
    return Match(found.values, False, rest) if isinstance(found, Match) else found


def _copied(q: Question, aliases: dict[str, list[str]], t: str, lexicon: Lexicon | None) -> Match | None:
    """A list of labels copied whole, commas inside them and all ("聊天工具（微信、Slack等）"), then the rest."""
    named, rest = labels_named(aliases, t)
    if not named:
        return None
    rest = _STRONG.sub(",", rest).strip(" ,")
    more = _interpret(q, rest, lexicon) if rest else Match((), True)
    found = _check(q, tuple(dict.fromkeys([*named, *more.values])), more.exact) if isinstance(more, Match) else None
    return found if isinstance(found, Match) else None


def _whole(q: Question, aliases: dict[str, list[str]], chunk: str) -> bool:
    """The chunk names one option as it stands: a whole label, a part of one, or all of its words."""
    return _exact(q, aliases, chunk) is not None or len(_by_part(aliases, chunk)) == 1 or \
        len(by_words(aliases, chunk)) == 1


def _yes_no_options(q: Question, t: str) -> Match | None:
    """A single question whose options are yes / maybe / no ("Would you consider us again?") answered as a yes/no
    is ("yes definitely, we miss working with you", "不会了"), or with a maybe ("possibly, I'd have to see")."""
    ids = {c.id for c in q.choices}
    if not {"yes", "no"} <= ids:
        return None
    head = re.split(r"[,.;!?，。；！？…]", t, maxsplit=1)[0].strip()
    maybe = [c.id for c in q.choices if c.id == "maybe"]
    if maybe and (head in _MAYBE or peel(head) in ("", *_MAYBE)) and lean(head) is None:
        return Match((maybe[0],), False)
    found = _yes_no(t)
    if not isinstance(found, Match) and (bare := peel(t)) != t:  # "never again tbh"
        found = _yes_no(bare)
    return Match(found.values, False) if isinstance(found, Match) else None


def _yes_no(t: str) -> Match | Miss:
    """A yes or a no, unless a later clause makes an exception to it ("yes for orders, not for projects", "mostly
    yes, except invoices", "有，除了发票"): part yes and part no, which a colleague asks about again."""
    found = _yes_no_head(t)
    return Miss("none") if isinstance(found, Match) and _excepted(t, found.values[0]) else found


def _excepted(t: str, value: str) -> bool:
    """A clause after the first makes an exception to the yes or no the reply starts with."""
    later = re.split(r"[,.;!?，。；！？]", t, maxsplit=1)[1:]
    return bool(later) and (_EXCEPTION.search(later[0]) is not None or
                            (value == "yes" and _NOT_FOR.match(later[0].strip()) is not None))


def _yes_no_head(t: str) -> Match | Miss:
    # "yes, of course" / "没有，谢谢": the words before the first comma or full stop decide.
    head = re.split(r"[,.;!?，。；！？]", t, maxsplit=1)[0].strip()
    for words, value in ((YES, "yes"), (NO, "no")):
        if t in words or head in words:
            return Match((value,), True)
    # "当然要", "对，是的": two yes words run together are a yes (Chinese typed without a comma).
    if _cjk(head) and any(head.startswith(a) and head[len(a):] in YES for a in YES if _cjk(a) and len(a) < len(head)):
        return Match(("yes",), True)
    # "对对对", "是的是的", "嗯嗯", "没有没有": a Chinese yes or no said twice or more is still that yes or no.
    for words, value in ((YES, "yes"), (NO, "no")):
        if any(len(w) < len(head) and head == w * (len(head) // len(w)) for w in words if _cjk(w)):
            return Match((value,), True)
    # "不太需要", "不怎么会": a softened no; "all the time", "rarely": how often, to a question that asks it.
    if _SOFT_NO.match(head) or head in _OFTEN_NO or head in _FIRM_NO:
        return Match(("no",), False)
    if head in _OFTEN_YES or any(head.startswith(w) for w in _MOSTLY_YES):
        return Match(("yes",), False)
    # "I think so, sales at least": a lean, then a detail; not a partial one ("sort of, for some campaigns").
    if (leaning := lean(head)) is not None and head != t and not partial(head):
        return Match((leaning,), False)
    # "yes definitely", "yes a bit", "no not at all": a plain yes or no first, and nothing after it that says
    # the other; confirmed, like a hedge.
    first, _, rest = head.partition(" ")
    for words, other, value in ((_PLAIN_YES, NO, "yes"), (_PLAIN_NO, YES, "no")):
        if rest and first in words and not any(w in other for w in rest.split()) and "but" not in rest.split() \
                and rest.split()[0] not in _NOT_A_NO:
            return Match((value,), False)
    return Miss("none")


def _scale(q: Question, t: str, lexicon: Lexicon | None = None) -> Match | Miss:
    assert q.scale is not None
    lo, hi = q.scale.min, q.scale.max
    m = _OUT_OF.match(t)
    if m and int(m.group(2)) == hi:
        t = m.group(1)
    elif (m := _OUT_OF_SAID.match(t)) and int(m.group(2)) == hi and not _COUNT_WORD.search(m.group(3)):
        said = int(m.group(1))  # "9/10 would recommend": the score out of the scale's top, then words
        return Match((str(said),), False) if lo <= said <= hi else Miss("range", (str(lo), str(hi)))
    n = parse_number(t)
    if n is None:
        try:
            f = float(t)
        except ValueError:
            return _scale_words(q, t, lexicon) or Miss("none", (str(lo), str(hi)))
        if f != int(f):
            return Miss("range", (str(lo), str(hi)))
        n = int(f)
    if not lo <= n <= hi:
        return Miss("range", (str(lo), str(hi)))
    return Match((str(n),), True)


def _scale_words(q: Question, t: str, lexicon: Lexicon | None) -> Match | Miss | None:
    """A scale answered in words: an end's own label ("Very satisfied", "完全不信任", the other language's too), a
    number with words around it ("a 3 I guess", "3-ish", "4分吧", "sevn"), or the middle ("average", "一般般") on a
    scale with one. Confirmed, never exact: the channel says which number it took."""
    assert q.scale is not None
    lo, hi = q.scale.min, q.scale.max
    bare = _SCALE_TRIM.sub("", t).strip()
    ends = {str(lo): [q.scale.min_label or ""], str(hi): [q.scale.max_label or ""]}
    other = (lexicon or {}).get(q.id) or {}
    ends[str(lo)] += list(other.get(SCALE_MIN, ()))
    ends[str(hi)] += list(other.get(SCALE_MAX, ()))
    for value, labels in ends.items():
        # Exactly: the ends differ by a few letters ("satisfied" / "dissatisfied", "完全信任" / "完全不信任").
        if any(label and bare == normalise(label).rstrip(".。!！") for label in labels):
            return Match((value,), False)
    if (spelt := _end_misspelt(bare, ends)) is not None:
        return Match((spelt,), False)
    if _cjk(bare) >= 3:  # "完全不信" for "完全不信任": the start of one end's label and of no other
        starts = [v for v, labels in ends.items()
                  if any(label and normalise(label).startswith(bare) for label in labels)]
        if len(starts) == 1:
            return Match((starts[0],), False)
    if m := _SCALE_NUMBER.match(bare):
        word = m.group(1)
        n = parse_number(word)
        if n is None and word.isalpha() and word.isascii():  # a number word misspelt: "sevn", "fuor"
            close = difflib.get_close_matches(word, [w for w in _WORDS if _WORDS[w] <= 10], n=1, cutoff=0.75)
            n = _WORDS[close[0]] if close else None
        if n is not None:
            return Match((str(n),), False) if lo <= n <= hi else Miss("range", (str(lo), str(hi)))
    if bare in _MIDDLE and (hi - lo) % 2 == 0:
        return Match((str((lo + hi) // 2),), False)
    if (m := _NUMBER_BECAUSE.match(bare)) and (n := parse_number(m.group(1))) is not None and lo <= n <= hi \
            and not _COUNT_WORD.search(m.group(2)):
        return Match((str(n),), False)  # "2 cuz phone numbers are always outdated": the number, then why
    if (n := _the_clause_number(bare)) is not None:
        return Match((str(n),), False) if lo <= n <= hi else Miss("range", (str(lo), str(hi)))
    inside = [v for v, labels in ends.items() if any(_says_end(bare, label) for label in labels if label)]
    if len(inside) == 1 and len(bare.split()) <= 6 and _cjk(bare) <= 12 and not _NEGATION.search(bare) \
            and not _CONTRAST.search(bare):  # "对服务非常满意但价格太贵" is not a 5
        return Match((inside[0],), False)  # "I trust it completely": one end's label said in a short sentence
    return None


def _the_clause_number(bare: str) -> int | None:
    """A score said in a clause of its own beside words about it ("一般般，2分", "pretty happy overall, 4", "3吧，不太满
    意"): the one clause that is only a number, when no other clause counts anything (not "2, we have 3 sites")."""
    clauses = [c.strip() for c in _CLAUSE_BREAK.split(bare) if c.strip()]
    if len(clauses) < 2:
        return None
    said = []
    for c in clauses:
        m = _SCALE_NUMBER.match(_SCALE_TRIM.sub("", c).strip())
        said.append(parse_number(m.group(1)) if m else None)
    numbers = [i for i, n in enumerate(said) if n is not None]
    if numbers not in ([0], [len(clauses) - 1]):
        return None
    if any(_COUNTED.search(c) for i, c in enumerate(clauses) if i != numbers[0]):
        return None
    return said[numbers[0]]


def _says_end(reply: str, label: str) -> bool:
    """The reply holds an end's whole label: as words in Latin script ("completely"), as characters in Chinese."""
    label = normalise(label).rstrip(".。!！")
    if _cjk(label):
        return label in reply
    return re.search(r"(?<![a-z])" + re.escape(label) + r"(?![a-z])", reply) is not None


def _end_misspelt(bare: str, ends: dict[str, list[str]]) -> str | None:
    """A Latin end label misspelt ("completly", "completley" for "Completely"): as many words as the label, near it
    in spelling and clearly nearer than to the other end. Chinese typos of an end are homophones, repaired before
    (core.choice_sounds)."""
    if _cjk(bare) or len(bare) < 5:
        return None
    score = {value: max((difflib.SequenceMatcher(None, bare, normalise(label)).ratio() for label in labels
                         if label and len(normalise(label).split()) == len(bare.split())), default=0.0)
             for value, labels in ends.items()}
    best = max(score, key=lambda v: score[v])
    others = [n for v, n in score.items() if v != best]
    return best if score[best] >= 0.85 and all(score[best] - n >= 0.08 for n in others) else None


def _aliases(q: Question, lexicon: Lexicon | None) -> dict[str, list[str]]:
    """choice id -> its normalised labels (this script's first, then the lexicon's)."""
    out: dict[str, list[str]] = {c.id: [normalise(c.label)] for c in q.choices}
    for cid, labels in ((lexicon or {}).get(q.id) or {}).items():
        if cid in out:
            out[cid].extend(normalise(label) for label in labels if label)
    return out


def _label_range(label: str) -> tuple[int, int] | None:
    """The numbers an option like "2 to 3", "7 or more", "一个" or "4到6个" stands for."""
    t = normalise(label)
    for regex, make in _RANGE:
        m = regex.match(t)
        if m:
            return make(*m.groups())  # type: ignore[operator]
    n = parse_number(t)
    return (n, n) if n is not None else None


def _by_number(q: Question, n: int) -> Match | Miss:
    """A typed number: the option whose own numbers include it when the options are counts ("2 to 3"), else
    the option at that position."""
    ranges = {c.id: _label_range(c.label) for c in q.choices}
    if sum(r is not None for r in ranges.values()) >= 2:
        hits = [cid for cid, r in ranges.items() if r is not None and r[0] <= n <= r[1]]
        if len(hits) == 1:
            label = q.choice_label(hits[0])
            return Match((hits[0],), normalise(label) == str(n))
        return Miss("none")
    if 1 <= n <= len(q.choices):
        return Match((q.choices[n - 1].id,), True)
    return Miss("range", ("1", str(len(q.choices))))


def _exact(q: Question, aliases: dict[str, list[str]], token: str) -> str | None:
    n = parse_number(token)
    if n is not None:
        m = _by_number(q, n)
        return m.values[0] if isinstance(m, Match) and m.exact else None
    for c in q.choices:
        if token == c.id.lower() or token in aliases[c.id]:
            return c.id
    return None


def _one(q: Question, aliases: dict[str, list[str]], token: str, contained: bool = True) -> Match | Miss:
    """One option named by a token: exactly, by a part of its label, or by a near spelling."""
    n = parse_number(token)
    if n is not None:
        return _by_number(q, n)
    exact = _exact(q, aliases, token)
    if exact is not None:
        return Match((exact,), True)
    if (span := _label_range(_digits(token))) is not None and span[0] != span[1]:
        same = [c.id for c in q.choices if _label_range(c.label) == span]  # "4-6" for "4 to 6"
        if len(same) == 1:
            return Match((same[0],), True)
    labels = {c.id: c.label for c in q.choices}
    finders = (_by_part, _by_family, by_phrase, by_words, by_initials, _by_reply_in_label, _by_label_in_reply,
               _by_spelling) if contained else \
        (_by_part, _by_family, by_phrase, by_words, by_initials, _by_reply_in_label, _by_spelling)
    for finder in finders:
        # by_words needs every word of the reply in the label, a "no" included ("no preference" → "No preference
        # yet"), so it is as safe as a part.
        if finder not in (_by_part, _by_family, by_phrase, by_words, by_initials) and \
                (not short_reply(token, labels.values()) or _NEGATION.search(token)):
            break  # "not the price" must not be read as "Price"; a sentence is an answer in words
        found = by_start(aliases, token, finder(aliases, token))
        if len(found) > 1 and finder is _by_spelling:  # "servcie": the label that starts with "service"
            found = _starting_near(aliases, token, found)
        if len(found) == 1:
            return Match((found[0],), False)
        if len(found) > 1:
            return Miss("ambiguous", tuple(labels[c] for c in found))
    return Miss("none")


def _parts(label: str) -> list[str]:
    """'price / total cost' -> ['price', 'total cost', 'price' (first word)]."""
    pieces = [p for p in _LABEL_PARTS.split(label) if p]
    words = [w.strip(",.;:，。") for w in label.split()]
    if len(words) > 1 and len(words[0]) >= 3:
        pieces.append(words[0])
    return pieces


def _by_part(aliases: dict[str, list[str]], token: str) -> list[str]:
    """The token is one part of a label (a segment between slashes or brackets, or its first word)."""
    return [cid for cid, labels in aliases.items() if any(token == p for label in labels for p in _parts(label))]


def _family(label: str) -> frozenset[str] | None:
    for family in FAMILIES:
        for p in _parts(label) + [label]:
            if p in family or any(_cjk(w) >= 2 and w in p for w in family) or any(
                    not _cjk(w) and (p == w or p.startswith(w + " ")) for w in family):
                return family
    return None


def dont_know_option(label: str) -> bool:
    """The option is the question's "I don't know" / "说不清"."""
    return _family(normalise(label)) is FAMILIES[0]


def _by_family(aliases: dict[str, list[str]], token: str) -> list[str]:
    """"不知道" for "说不清", "none" for "None of these / not measured", "其它" for "其他"."""
    return [cid for cid, labels in aliases.items() if any(token in (_family(label) or ()) for label in labels)]


def _by_label_in_reply(aliases: dict[str, list[str]], token: str) -> list[str]:
    """The reply contains a label part ("主要是价格"); only for short replies without a negation."""
    return [cid for cid, labels in aliases.items()
            if any(len(p) >= (2 if _cjk(p) else 4) and p in token for label in labels for p in _parts(label))]


def _by_reply_in_label(aliases: dict[str, list[str]], token: str) -> list[str]:
    """The reply is a word of a label, or a label part starts with it ("forecast", "邮件", "pric")."""
    if len(token) < (2 if _cjk(token) else 4):
        return []
    found = []
    for cid, labels in aliases.items():
        for p in (p for label in labels for p in _parts(label)):
            if p.startswith(token) or (token in p if _cjk(token) else token in p.split()):
                found.append(cid)
                break
    return found


def _by_spelling(aliases: dict[str, list[str]], token: str) -> list[str]:
    """Near spellings of a label, a part or a word of it ("pirce" for "price", "所有在途订单的状态" for
    "所有在途订单或项目的状态"); the best one only when clear."""
    if len(token) < 4:
        return []
    scores: dict[str, float] = {}
    for cid, labels in aliases.items():
        # Chinese has no spaces: a reply is compared with whole label parts ("所有在途订单的状态").
        candidates = {p for label in labels for p in _parts(label) if len(p) >= 4} if _cjk(token) else \
            {w.replace("-", "") if "-" not in token else w
             for label in labels for p in _parts(label) for w in (p, *p.split(), *re.findall(r"[a-z]{4,}", p))
             if len(w) >= 4}  # the Latin words inside a Chinese label too: "excle" for "Excel等电子表格"
        best = max((near(token, w, FUZZY_RATIO) for w in candidates), default=0.0)
        if best >= FUZZY_RATIO:
            scores[cid] = best
    if not scores:
        return []
    ranked = sorted(scores, key=lambda c: -scores[c])
    if len(ranked) > 1 and scores[ranked[0]] - scores[ranked[1]] < 0.08:
        return ranked[:2]
    return ranked[:1]


def _starting_near(aliases: dict[str, list[str]], token: str, found: list[str]) -> list[str]:
    """Of several options near a misspelt reply, the one whose label starts with the word it is near ("servcie" →
    "Service and support…", not "Quality of the product or service"); all of them when that does not decide."""
    starting = [cid for cid in found if any(label.split() and near(token, label.split()[0], FUZZY_RATIO) >= FUZZY_RATIO
                                            for label in aliases[cid])]
    return starting if len(starting) == 1 else found


def _check(q: Question, values: tuple[str, ...], exact: bool) -> Match | Miss:
    """The rules of the question: one choice for single; max_choices and exclusive choices for multi."""
    if not values:
        return Miss("none")
    if q.kind == "single" and len(values) != 1:
        return Miss("one_only")
    if q.kind == "multi":
        if q.max_choices is not None and len(values) > q.max_choices:
            return Miss("too_many", (str(q.max_choices),))
        exclusive = [c for c in q.choices if c.exclusive and c.id in values]
        if exclusive and len(values) > 1:
            return Miss("exclusive", (exclusive[0].label,))
    return Match(values, exact)


def check_values(q: Question, values: tuple[str, ...]) -> Miss | None:
    """Why clicked values break the question's rules (too many, an exclusive one with others), else None."""
    found = _check(q, values, True)
    return found if isinstance(found, Miss) else None
