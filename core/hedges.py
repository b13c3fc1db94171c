"""Hedged replies to closed questions: "not sure... maybe 3", "应该是吧", "probably not" → the lean they carry."""

from __future__ import annotations

import re

# A whole hedged reply that still leans one way on a yes/no question. The channel confirms what it took it to
# mean ("I took that as Yes"), so a lean is enough: re-asking "yes or no?" after "probably" reads like a form.
LEAN_YES = frozenset({
    "probably", "likely", "most likely", "very likely", "i think so", "i guess so", "i believe so", "think so",
    "guess so", "kind of", "kinda", "sort of", "somewhat", "partly", "more or less", "mostly", "i'd say so",
    "a bit", "a little", "a little bit", "slightly", "a tad",
    "应该", "应该是", "应该有", "应该会", "应该可以", "好像是", "好像有", "可能是", "可能有", "估计是", "估计有",
    "大概是", "大概有", "算是", "差不多", "基本上是", "基本是", "我觉得是", "我觉得有", "感觉是", "感觉有", "也许是",
})
LEAN_NO = frozenset({
    "probably not", "likely not", "i think not", "think not", "unlikely", "not likely", "i don't think so",
    "i dont think so", "don't think so", "dont think so", "i doubt it", "doubt it", "hardly", "not really",
    "i guess not",
    "应该不是", "应该没有", "应该不会", "应该不能", "好像不能", "可能不能", "应该不", "好像没有", "好像不是",
    "可能没有", "可能不是", "估计没有",
    "估计不是", "大概没有", "大概不是", "不太会", "不太有", "不太是", "我觉得没有", "我觉得不是", "感觉没有",
    "感觉不是", "基本没有", "基本上没有",
})

# Words around the answer that only say how sure the person is. Peeled from the edges of a short clause.
_EN_HEDGE = re.compile(
    r"^(?:(?:i'?m |i am )?not (?:really |totally |entirely |100% )?sure|no idea|dunno|idk|don'?t know|"
    r"hmm+|um+|uh+|erm|well|maybe|perhaps|probably|possibly|likely|i think so|i guess so|i believe so|i think|"
    r"i guess|i'd say|i would say|"
    r"i believe|i suppose|let'?s say|say|roughly|about|around|prob|a bit|a little|kind of|kinda|sort of|"
    r"somewhat|mostly)(?:[\s,]+|$)")
_EN_TAIL = re.compile(r"(?:[\s,]+(?:i think so|i guess so|i believe so|i guess not|i think not|i think|i guess|"
                      r"maybe|probably|or so|ish|i suppose|i'd say|lol|haha|is fine|would do|will do|works for me|"
                      r"tbh|honestly|to be honest|tbf|really|obviously|of course|clearly))+$")
_ZH_HEDGE = re.compile(
    # "应该是质量吧" names 质量; "应该是吧" alone is a lean to yes and keeps its 是.
    r"^(?:(?:应该|可能|大概|估计|好像|也许|我觉得|感觉)是(?=[^吧呢啊的了，,。\s])|不太清楚|不清楚|不太确定|不确定|说不好|不好说|说不清|说不准|讲不清|不知道|不晓得|应该|可能|大概|估计|好像|"
    r"也许|或许|我觉得|"
    r"我想|感觉|算是|差不多|嗯+|呃+|额+|emm+|这个)[，,、\s]*")
# "微信就行" (WeChat will do): the tail says the option is enough, not which one.
_ZH_TAIL = re.compile(r"[，,\s]*(?:吧|呗|呢|啊|吧我觉得|左右|上下|的样子|应该是|可能|"
                      r"就行了?|就好了?|就可以了?|就够了|即可)+$")
# Alternatives ("3 or 4", "2还是3") split too, so that two options named are not read as a lean to one.
_CLAUSES = re.compile(r"\s*(?:\.{2,}|…+|[,;!?，。；！？]|\s-\s|\bor\b|或者|还是|也可能是|也可能|也许是)\s*")
MAX_CHARS = 60  # a longer message is an answer in words, not a hedged option


def clauses(text: str) -> list[str]:
    """The clauses of a short normalised reply, each with its hedges peeled off; empty ones dropped."""
    if len(text) > MAX_CHARS:
        return []
    out = []
    for part in _CLAUSES.split(text):
        peeled = peel(part)
        if peeled:
            out.append(peeled)
    return out


def peel(clause: str) -> str:
    """One clause without the words that only hedge it: "maybe 3" → "3", "应该是吧" → "是"."""
    t = clause.strip(" .。!！")
    while True:
        before = t
        t = _EN_TAIL.sub("", _EN_HEDGE.sub("", t)).strip()
        t = _ZH_TAIL.sub("", _ZH_HEDGE.sub("", t)).strip()
        if t == before:
            return t


# A lean that only goes part of the way ("sort of", "差不多吧"): alone it is a yes, but with a detail beside it
# ("partly, for the webinars only", "差不多吧，就是发票看不到") it is a "yes, except", which a colleague asks about.
PARTIAL = frozenset({"sort of", "kind of", "kinda", "somewhat", "partly", "a bit", "a little", "a little bit",
                     "slightly", "a tad", "more or less", "差不多", "算是", "有一点", "有点"})


def partial(text: str) -> bool:
    """The text is a lean that only goes part of the way ("partly", "差不多吧", "有一点吧")."""
    t = text.strip(" .。!！?？~…")
    return t in PARTIAL or _ZH_TAIL.sub("", t).strip() in PARTIAL


def lean(text: str) -> str | None:
    """"yes" / "no" for a whole reply that leans one way ("probably", "应该没有吧"), else None."""
    t = text.strip(" .。!！?？~…")
    for candidate in (t, _ZH_TAIL.sub("", t).strip()):
        if candidate in LEAN_YES:
            return "yes"
        if candidate in LEAN_NO:
            return "no"
    return None
