"""A typed reply that means one option in other words: its words' sense classes against the option labels' words.

"准时交货" to a question with the option "响应和交付速度" shares no word with it, but Cilin puts 交货 and 交付 in one
sense class; "朋友介绍的" and "别人推荐", "an ad" and "Advertising" likewise (Cilin for Chinese words, WordNet for
English ones). Both thesauri are read in app/ and passed in through the lexicon (`SENSES`: a word → its sense classes;
`WORDS`: a text → its words, Chinese segmented by jieba), as the homophone readings are (core.choice_sounds).

A reading by sense is a last resort (after every reading by the labels' own words) and is always confirmed in the
channel. It must point at exactly one option: a word related to two options' labels, or two words related to two
different options, leave the reply unread (asked again), which is safer than a wrong option.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from core.choice_words import STOP, ZH_FUNCTION

SENSES = "__senses__"  # the lexicon's entry: a word -> its sense classes ('c5:Hi27A', 's:n945401', 'h:n407535')
WORDS = "__words__"  # the lexicon's entry: a text -> its words in reading order, lower-cased, Chinese segmented

# How close two words' senses must be to count as the same meaning. Cilin: the same level-4 group ('c5:Hi27A': 交货 /
# 交付 / 交割), or for activities the same level-3 group ('c4:Hi16': 介绍 / 推荐 / 引荐). WordNet: the same noun synset
# ("ad" and "advertising"). Coarser groups relate words that mean different things in a survey: Cilin's level 3 outside
# activities read "客户终身价值" as price (价值 / 价格) and "服务成本" as profit; WordNet's hypernyms are general words
# ("accuracy" is a kind of "quality", "speed" a kind of "go", as in "when something goes wrong").
_ZH_KINDS = ("c5:", "c4:H")
# Cilin's quantities and degrees (Dn: 速度, 长度, 份额, 满意度) say how much of something, not what: "客户满意度" is not
# "响应和交付速度".
_ZH_MEASURES = ("c5:Dn",)
# Words that say nothing about which option is meant, whatever the question: the choice reader's own stop words,
# people and firms, fillers and two-letter chat shorthand ("ad" is not one: an advertisement).
_EN_STOP = STOP | frozenset({
    "actually", "ah", "anybody", "anyone", "anything", "atm", "aw", "bc", "client", "clients", "company",
    "customer", "customers", "eh", "everybody", "everyone", "everything", "fine", "go", "good", "great", "ha",
    "hi", "hm", "i'm", "id", "im", "it's", "kind", "make", "mean", "need", "oh", "people", "person", "persons",
    "pretty", "quite", "re", "right", "somebody", "someone", "something", "sort", "sure", "team", "that's",
    "they're", "time", "uh", "um", "up", "ur", "use", "used", "vs", "want", "way", "we're", "ya", "yo",
})
_ZH_STOP = frozenset({"我们", "你们", "他们", "一个", "一家", "一些", "这个", "那个", "就是", "还是", "时候", "主要",
                      "现在", "目前", "可能", "应该", "觉得", "感觉", "一下", "有个", "没有", "不是", "已经", "什么",
                      "怎么", "比较", "其实", "反正", "之前", "以后", "自己", "就行", "可以", "还行", "东西", "客户",
                      "公司", "业务", "我", "你", "他", "她", "它", "大家", "这样", "那样", "一直", "一般", "然后",
                      "因为", "所以", "但是", "不过", "还有", "比如", "时", "行", "就", "做", "用", "看", "说", "弄",
                      "搞", "觉", "多", "少", "大", "小", "好", "最", "更", "挺", "蛮", "真", "事", "家", "里", "情况",
                      "事情", "方面"})
_CJK = re.compile("[\u3400-\u9fff]")


def _content(words: Sequence[str]) -> list[str]:
    """The words of a text that could name an option: no function word, filler, number or punctuation."""
    out = []
    for w in words:
        w = w.strip().lower()
        if not w or not any(ch.isalpha() for ch in w) or w.isdigit():
            continue
        if _CJK.search(w):
            if w in _ZH_STOP or all(ch in ZH_FUNCTION for ch in w):
                continue
        elif w in _EN_STOP or len(w) < 2:
            continue
        out.append(w)
    return out


def _heads(content: list[str]) -> list[str]:
    """The word of a short reply that says what it is about: its last content word, the head of a Chinese phrase
    ("准时交货" is about 交货, "东莞一家厂" about 厂, "专门对接的人" about 人, not 对接; "现有的CRM" about CRM) and
    of most short English ones ("LinkedIn ad I think" is about an ad). A reply of single characters is one word
    jieba does not know, cut apart ("交期", delivery dates, as 交 / 期): all of them. A single character after a word
    is a verb whose manner the word says ("见面聊": 聊 is chat's, 见面 says in person): nothing is read."""
    if not content or len(content[-1]) > 1 or not _CJK.search(content[-1]):
        return content[-1:]
    return content if all(len(w) == 1 and _CJK.search(w) for w in content) else []


def _related(word: str, mine: Sequence[str], label_word: str, theirs: Sequence[str]) -> bool:
    """Two words' sense classes say the same meaning (see _ZH_KINDS). A Chinese word of one character is read in many
    senses (上 is also "to hand over", 交货's group): it relates only to a label word that holds it (云 and 云端)."""
    if not mine or not theirs or word == label_word:
        return False
    own = set(mine)
    if _CJK.search(word) and len(label_word) > 1 and (len(word) > 1 or label_word.startswith(word)) and \
            any(c.startswith(_ZH_KINDS) and not c.startswith(_ZH_MEASURES) and c in own for c in theirs):
        return True
    synsets = {c for c in theirs if c.startswith("s:n")}
    return any(c in synsets for c in mine)


def by_sense(aliases: Mapping[str, Sequence[str]], token: str, ignore: str,
             words: Mapping[str, Sequence[str]], senses: Mapping[str, Sequence[str]]) -> list[str]:
    """Options whose labels hold a word of the same meaning as the reply's head word ("交货" and 交付, "ad" and
    advertising), when it points at one option; [] when it points at none or at several (unless one of them is that
    meaning and nothing else, `_main_words`). Words of `ignore` (the question's own) say nothing; a word the reply
    shares with a label outright is the caller's to weigh (core.choices.sense_choice)."""
    said = set(_content(words.get(ignore, ()))) if ignore else set()
    mine = _heads([w for w in dict.fromkeys(_content(words.get(token, ()))) if w not in said])
    if not mine:
        return []
    label_words = {cid: {w for label in labels for w in _content(words.get(label, ()))} - said
                   for cid, labels in aliases.items()}
    found: set[str] = set()
    # A Chinese word the thesaurus lacks ("交期", delivery dates) is read by its characters, each of which relates
    # only to a label word holding it (_related): 交 to 交付.
    mine = [p for w in mine for p in ([w] if senses.get(w) or not _CJK.search(w) or len(w) == 1 else
                                      [ch for ch in w if ch not in ZH_FUNCTION and ch not in _ZH_STOP])]
    for w in mine:
        classes = senses.get(w, ())
        if not classes:
            continue
        related = {cid: {t for t in theirs if _related(w, classes, t, senses.get(t, ()))}
                   for cid, theirs in label_words.items()}
        hits = {cid for cid, ts in related.items() if ts}
        if len(hits) > 1:
            # "云上就行": 云 is near 云端, which both "云端（SaaS）" and "混合部署：部分在云端，部分在本地" hold; the
            # option whose label's first part is that word and nothing else is the one the reply says in full.
            whole = [cid for cid in hits if any(_main_words(label, words) <= related[cid] for label in aliases[cid])]
            if len(whole) != 1:
                return []  # one word, two options: a colleague would ask which
            hits = set(whole)
        found |= hits
    return sorted(found)


def _main_words(label: str, words: Mapping[str, Sequence[str]]) -> set[str]:
    """The content words of a label's first part, before a bracket, colon or slash ("云端" of "云端（SaaS）")."""
    head = re.split(r"[（(:：/]", label, maxsplit=1)[0]
    return set(_content(words.get(head, ()))) or {"\0"}


# "The other kind of the same thing": an option that is another organisation of the kind the question is about
# ("Another supplier", "换了另一家供应商"), and a reply that names some organisation doing it ("换了东莞一家厂", "外包给
# 一家公司在做", "we use an outside firm for it"). Cilin puts 厂 (factories), 公司 (firms) and 供应商 (traders) in
# different branches, and WordNet a firm (a group) and a supplier (a person), so no sense class joins them.
_ANOTHER = re.compile(r"另一家|另外一家|别家|其他供应商|其他厂家|\banother\b|\bcompetitor")
# Some organisation, not the person's own ("全公司", "the whole company" is theirs): one named as another, outside or
# indefinite ("一家厂", "别的公司", "an outside firm"), or work given out ("外包", "outsourced").
_ORGANISATION = re.compile(
    r"外包|代工|第三方|(?:一家|一个|另一家|另外一家|别家|别的|其他|外面的|外部的?)\S{0,4}?(?:厂|公司|企业|供应商|服务商)"
    r"|\b(?:outsourc\w*|third[- ]part(?:y|ies)|(?:a|an|another|other|some|outside|external)\s+(?:\w+\s+)?"
    r"(?:suppliers?|vendors?|providers?|firms?|compan(?:y|ies)|agenc(?:y|ies)|contractors?))\b")
# A company named by its name: "Acme Services", "Foo Ltd" (the reply as typed, capitals kept).
_COMPANY_NAME = re.compile(r"\b[A-Z][\w&-]*\s+(?:Services|Solutions|Ltd|GmbH|Inc|LLC|Group|AG|Co)\b")
# The person's own side beside it: a mix, not another organisation ("两者都有，一部分外包", "a supplier for the heavy
# stuff and we do the rest"), or the person's own firm ("we're a small company", "我们是一家小厂").
_OWN_SIDE = re.compile(r"自己|内部|两者|都有|一部分|部分|我们是|我们公司|本公司"
                       r"|\b(?:our own|ourselves|in[- ]house|we do|both|mix|mixed|part|partly|rest|we'?re|we are|i'?m"
                       r"|our company|our firm)\b")


def another_of_kind(labels: Mapping[str, Sequence[str]], text: str) -> str | None:
    """The one option that is "another supplier" when the reply names an organisation (a factory, a firm, an outside
    company, a company's name) and nothing of the person's own side; None otherwise."""
    others = [cid for cid, ls in labels.items() if any(_ANOTHER.search(label.lower()) for label in ls)]
    low = text.lower()
    if len(others) != 1 or _OWN_SIDE.search(low):
        return None
    return others[0] if _ORGANISATION.search(low) or _COMPANY_NAME.search(text) else None
