"""Whether a follow-up's wording asks again what was just asked: by another probe, or by the question itself.

"What has that meant for your business?" followed by "What would that mean for the business?" is the same question
twice to the person answering, though the words differ; so is "Think of the last time this came up for you" after
"I don't know" to a question that began "Think of the last time something went wrong". The comparison is of content
words: English words cut to their first four letters (meant/mean, business/businesses), Chinese character pairs,
both without function words and without the person's own words quoted in the wording.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Collection
from functools import lru_cache

# Function words carry no topic: two wordings that share only these ask different things.
_EN_FUNCTION = frozenset("""
a an the and or but if then so of to in on at for from with by about as into over after before than
what which who whom whose when where why how that this these those it its there here
do does did done doing is are was were be been being has have had having would will shall should could can may might
must you your yours we our us i me my they them their he she his her one ones any some more most much many
just also even still again already ever really quite very too not no nor don't doesn't didn't isn't aren't wasn't
weren't can't won't tell say said think thing things like get got make made let
""".split())
_ZH_FUNCTION = frozenset("的了吗呢吧么是这那个一您你我们他她它会有在和与对就还也都要能"
                         "怎样什呀啊哪些里儿之其得地着过把被让给从向为")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|\{cue\}")
_EN_WORD = re.compile(r"[a-z][a-z']+")

# How much of a wording must recur for it to count as asked already. Chinese pairs of characters are stricter
# than English stems, so they need less. Read against every template of both rule files: at these lines the pairs
# found are rewordings ("这对业务会带来什么？" / "这给您的业务带来了什么？"), not neighbours on the same topic.
_SAME = {"en": 0.5, "zh": 0.4}  # Jaccard between two probes
_ECHO = {"en": 0.6, "zh": 0.5}  # share of a wording found in the question

# The don't-know techniques, each a way into a question the person could not answer (docs/probing.md): recall a
# moment, picture it gone, take someone else's view, compare with the past, change one thing. A question that
# itself asks in one of these ways was not answered that way, so a technique of the same kind asks it again.
_FRAMES = {
    "en": {
        "recall": re.compile(r"\blast (?:time|one|customer|deal|case|order|week|month|few)\b|\bthink (?:back|of a)\b"
                             r"|\brecent(?:ly)?\b|\bremember\b|\bpast few (?:weeks|months)\b"),
        "absent": re.compile(r"\btomorrow\b|\bdisappeared\b|\bwere gone\b|\bwithout (?:it|us)\b"),
        "others": re.compile(r"\bcolleagues?\b|\bif we asked\b|\bwhat would they say\b|\bwere asked\b"),
        "past": re.compile(r"\ba year ago\b|\blast year\b|\bused to\b|\bbefore\b"),
        "one_change": re.compile(r"\bone thing\b|\bjust one\b|\bif you could change\b|\bwhat would have to change\b"),
    },
    "zh": {
        "recall": re.compile(r"回想|最近一次|最近一[两二]周|上一次|上次|过去几个月"
                             r"|最近.{0,6}(?:例子|一单|那单|接触|碰到)"),
        "absent": re.compile(r"明天|不在了|没有了"),
        "others": re.compile(r"同事|如果问|会怎么说"),
        "past": re.compile(r"一年前|去年|以前|之前"),
        "one_change": re.compile(r"一件事|只能改|改变一件|改一件|哪些改变|做出.{0,4}改变"),
    },
}


@lru_cache(maxsize=4096)  # the rule files hold a few hundred templates; questions are few
def content(text: str, lang: str, stem: int = 4) -> frozenset[str]:
    """The content of a wording: English stems (the first `stem` letters) or Chinese character pairs, no function
    words or quotes."""
    t = _QUOTED.sub(" ", text.lower())
    if lang == "zh":
        chars = "".join(c for c in t if "\u4e00" <= c <= "\u9fff" and c not in _ZH_FUNCTION)
        return frozenset(chars[i:i + 2] for i in range(len(chars) - 1))
    return frozenset(w[:stem] for w in _EN_WORD.findall(t) if w not in _EN_FUNCTION)


def heard(text: str, lang: str) -> frozenset[int]:
    """Fingerprints of a reply's content words, to notice a later reply that only says it again (not the words)."""
    return frozenset(zlib.crc32(unit.encode()) for unit in content(text, lang))


def restates(reply: str, before: Collection[int], lang: str) -> bool:
    """Whether a reply adds nothing to the replies already given on the question ("就是系统不统一啊" after
    "系统不统一"): every content word of it was said before. A reply with no content word ("yes", "不知道") is
    not a restatement."""
    now = heard(reply, lang)
    return bool(now) and bool(before) and now <= set(before)


def same_ask(a: str, b: str, lang: str) -> bool:
    """Whether wordings `a` and `b` (templates or texts in `lang`) ask the same thing in other words."""
    x, y = content(a, lang), content(b, lang)
    if len(x) < 2 or len(y) < 2:  # "Why does that matter?" says too little to be called a repeat
        return False
    return len(x & y) / len(x | y) >= _SAME.get(lang, _SAME["en"])


@lru_cache(maxsize=4096)
def frames(text: str, lang: str) -> frozenset[str]:
    """The don't-know techniques a wording (or a question) uses: recall, absent, others, past, one_change."""
    t = _QUOTED.sub(" ", text.lower())
    return frozenset(name for name, p in _FRAMES.get(lang, _FRAMES["en"]).items() if p.search(t))


def echoes(wording: str, question: str, lang: str) -> bool:
    """Whether `wording` asks again what `question` already asked (after "I don't know" to it, it would not help):
    the same technique ("think of the last time…" to a question that asked for the last time), or most of its
    content words."""
    if frames(wording, lang) & frames(question, lang):
        return True
    x = content(wording, lang)
    if len(x) < 2:
        return False
    return len(x & content(question, lang)) / len(x) >= _ECHO.get(lang, _ECHO["en"])
