"""Signs of concrete information the judge counts: numbers, amounts, time and episode expressions, past narration."""

from __future__ import annotations

import re

NUM = re.compile(r"\d")
MONEY = re.compile(r"[%$€£¥]|\d\s*(?:k|m|元|块|万|亿|rmb|usd|eur)\b|\d\s*(?:元|块|万|亿)")
EN_NUMBER_WORDS = frozenset("two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
                            "fifty hundred hundreds thousand thousands million dozen dozens half twice".split())
ZH_COUNT = re.compile("[一二两三四五六七八九十百千万几半][个天次年月周位家单台件条份张笔小分秒倍成]")
EN_TIME = re.compile(
    r"\b(?:last|this|next|every|each|that) (?:time|week|month|year|quarter|spring|summer|autumn|fall|winter|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|afternoon|night|day)\b|"
    r"\byesterday\b|\bthe other day\b|\brecently\b|\bago\b|\bonce\b|\bwhen (?:i|we|they|he|she|the|a|our|my)\b|"
    r"\b(?:january|february|march|april|june|july|august|september|october|november|december)\b|"
    r"\b(?:q[1-4]|month-end|year-end|end of (?:the )?(?:month|quarter|year))\b|"
    # how often: "they break monthly", "a nightly sync", "twice a week"
    r"\b(?:hourly|nightly|daily|weekly|fortnightly|monthly|quarterly|yearly|annually)\b|"
    r"\b(?:a|per) (?:day|week|month|year|quarter)\b")
# Past tenses of narration that do not end in -ed ("Raj built our Zapier flows"); not had/did/got/said, which
# non-answers use as much as accounts do ("I had no idea", "I said it all").
EN_IRREGULAR_PAST = frozenset("built sent lost took came went told paid left bought sold broke gave found ran wrote "
                              "spent brought caught fell rang chose drove flew hung kept led meant met sat stood "
                              "taught threw understood won".split())
ZH_TIME = re.compile("上(?:个|一)?(?:月|周|星期|礼拜|次|季度|半年)|去年|前年|昨天|前天|今年|今天|上午|下午|晚上|那次|"
                     "有一次|有次|每次|每(?:个)?(?:天|周|月|年|季度|星期|礼拜|晚)|天天|刚才|之前|以前|后来|当时|"
                     "月底|月初|年底|季度末|旺季|淡季|"
                     "[一二两三四五六七八九十\\d]+(?:月|号|日|点)")

# One real occasion told, not a habit ("fails every week", "每周至少断一次" are habits): a dated or pointed-to past
# time ("last Friday", "上周三", "那次"), or past narration ("the samples arrived late", "转给了对手"). Used to tell
# whether an answer already gave the episode a question asked for. Not a "when" clause alone: "we find out when the
# customer chases us" is a habit.
EN_OCCASION = re.compile(
    r"\b(?:last (?:week|month|year|quarter|time|one|spring|summer|autumn|fall|winter|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|night)|yesterday|the other day|ago|once|"
    r"in (?:january|february|march|april|may|june|july|august|september|october|november|december)|"
    r"on (?:a )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b")
EN_PAST = re.compile(r"\b(?:was|were|had|did|got|[a-z]{3,}ed)\b")
ZH_OCCASION = re.compile("上(?:个|一)?(?:月|周|星期|礼拜|次|季度|半年|回)|去年|前年|昨天|前天|"
                         "那次|那回|有一次|有次|有回|当时|刚才|前几天|前阵子|前段时间|最近(?:丢|输|黄|出|碰|遇|有)|"
                         "[0-9一二三四五六七八九十]+(?:月|号|日)|[周星期礼拜][一二三四五六日天]|[了过](?!吧|啊|呢)")


def tells_occasion(low: str, lang: str) -> bool:
    """The answer tells one real occasion (a dated past time or past narration), not only how things usually go."""
    if lang == "zh":
        return bool(ZH_OCCASION.search(low))
    return bool(EN_OCCASION.search(low) or EN_PAST.search(low))
