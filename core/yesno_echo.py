"""Yes/no replies that echo the question's predicate ("稍微便宜一点", "不便宜", "a bit cheaper") → yes / no."""

from __future__ import annotations

import re

# Chinese answers a yes/no question by echoing its predicate, not with a word for "yes": "新的供应商比我们便宜吗？"
# → "便宜一点" (yes) / "不便宜" (no). The predicate is read from the end of the question, where Chinese puts it
# ("…比我们便宜吗", "…方便吗", "…及时吗"): the longest ending of 2-4 characters that the reply repeats.
_ZH_QUESTION_END = re.compile(r"[吗么嘛呢吧]?[?？。!！\s]*$")
# What may stand before an echoed predicate: words of degree ("稍微便宜一点") or a negation ("不太便宜", "一点也不贵").
_ZH_DEGREE = r"(?:稍微|稍稍|略微|略|有点|有一点|有些|比较|挺|很|蛮|还|更|真|确实|是|都|也|要|那么|太|算)*"
_ZH_YES = re.compile(f"^{_ZH_DEGREE}$")
_ZH_NOT = r"(?:不|没|没有|并不|并没有|不太|不怎么|没那么|不算|不是很|没有很)"
_ZH_NO = re.compile(f"^(?:一点|一点儿)?{_ZH_DEGREE}{_ZH_NOT}{_ZH_DEGREE}$")
# Words after it that only say how much: "便宜一点", "便宜很多".
_ZH_DEGREE_TAIL = re.compile(r"(?:一点点|一点|一些|点|些|很多|不少|多了|得多|的|了|啊|呀|吧|呢|哈)*$")
_EN_DEGREE = frozenset({"a", "bit", "little", "slightly", "somewhat", "much", "way", "lot", "far", "quite", "yes",
                        "yeah", "definitely", "really", "more", "they", "it", "is", "are", "was", "were", "they're",
                        "it's", "its", "theyre", "tad", "marginally", "considerably"})
_EN_NEGATION = frozenset({"not", "no", "never", "isn't", "aren't", "wasn't", "weren't", "hardly", "nope"})
_EN_WORD = re.compile(r"[a-z][a-z'’-]*")
MAX_CLAUSE = 12  # an echo is a short clause; a longer one is an answer in words


def echo(question: str, clause: str) -> str | None:
    """"yes" / "no" when a short clause repeats the question's predicate (negated or not), else None."""
    c = clause.strip(" .。!！~…")
    if not c or len(c) > MAX_CLAUSE * 3:
        return None
    if any("\u4e00" <= ch <= "\u9fff" for ch in c):
        return _zh(question, c)
    return _en(question, c)


# A verb and its result ("看到", "查到", "看出"), asked about with 能不能 / 能否: answered "看不到" / "查不到" /
# "看不出来" (no) or "看得到" (yes), the potential form Chinese puts 不 or 得 inside. The results are a closed class.
_ZH_RESULT = "到出见懂清完上住开"
_ZH_POTENTIAL_BEFORE = re.compile(r"^(?:完全|根本|压根|都|也|还|就|确实|真的|基本上?|我们|我)*$")


def _zh_potential(question: str, c: str) -> str | None:
    """"no" / "yes" for a clause that is the question's verb and result with 不 / 得 inside ("看不到"), else None."""
    for m in re.finditer(f"([\u4e00-\u9fff])([{_ZH_RESULT}])", question):
        verb, result = m.groups()
        found = re.search(f"{verb}([不得]){result}[来去]?", c)
        # "完全看不出来", "看不到啊": only words of degree around it; "发票看不到" says what cannot be seen
        if found and _ZH_POTENTIAL_BEFORE.match(c[:found.start()]) and _ZH_DEGREE_TAIL.fullmatch(c[found.end():]):
            return "no" if found.group(1) == "不" else "yes"
    return None


def _zh(question: str, c: str) -> str | None:
    stem = _ZH_QUESTION_END.sub("", question.strip())
    if len(c) > MAX_CLAUSE:
        return None
    if (potential := _zh_potential(question, c)) is not None:
        return potential
    for size in (4, 3, 2):
        pred = stem[-size:]
        if len(pred) < size or not all("\u4e00" <= ch <= "\u9fff" for ch in pred):
            continue
        at = c.find(pred)
        if at < 0:
            continue
        before, after = c[:at], c[at + size:]
        if _ZH_DEGREE_TAIL.sub("", after):
            return None  # more words after the predicate: a sentence, not an echo
        if _ZH_YES.match(before):
            return "yes"
        if _ZH_NO.match(before):
            return "no"
        return None  # "差不多便宜", "供应商便宜": something else stands before it
    return None


def _en(question: str, c: str) -> str | None:
    """Only comparatives and adjectives the question ends on ("…cheaper than us?", "…easy to use?"): "a bit
    cheaper" / "not cheaper". A reply made of the predicate and words of degree only."""
    words = _EN_WORD.findall(c.lower())
    q_words = _EN_WORD.findall(question.lower())
    if not words or len(words) > 5 or not q_words:
        return None
    # The predicate: a comparative before "than", else the question's last word.
    pred = q_words[q_words.index("than") - 1] if "than" in q_words[1:] else q_words[-1]
    if len(pred) < 4 or pred not in words:
        return None
    rest = [w for w in words if w != pred]
    negated = any(w in _EN_NEGATION for w in rest)
    if any(w not in _EN_DEGREE and w not in _EN_NEGATION for w in rest):
        return None
    return "no" if negated else "yes"
