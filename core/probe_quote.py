"""Echoing the person's own words in a follow-up: the cue that triggered it, or the consequence they just gave."""

from __future__ import annotations

import re
import unicodedata

from core.judge_nonanswer import unshrug
from core.probe_alike import content

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
TRIM = " \t\"'.,;:!?…-—()[]。，、；：！？“”‘’（）《》【】"
_MAX_CUE = 60
CJK_RE = re.compile("[\u3400-\u9fff]")
_FULL_WIDTH = str.maketrans({",": "，", "?": "？", "!": "！", ";": "；", ":": "："})


def clean(text: str) -> str:
    """NFKC folds full-width letters, digits and punctuation (ＡＰＰ，１０％) into their plain forms."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", unshrug(text)).translate(_QUOTES)
    return " ".join(text.split())


# Discourse words around what the person said are not theirs to have quoted back: "您提到“就是系统不统一啊”" reads
# as mimicry; "您提到“系统不统一”" as listening. Only at the edges, and never down to nothing.
_LEAD = re.compile(r"^(?:(?:就是|其实|反正|说白了|说实话|老实说|我觉得|感觉|嗯+|呃+|那个|主要是|还是|而且|并且|另外|也|"
                   r"还有就是|(?:well|so|just|basically|honestly|i mean|like|um+|uh+|erm|tbh|and also|also|plus)\b)"
                   r"[\s,，、]*)+", re.I)
_TAIL = re.compile(r"(?:[\s,，、]*(?:啊|吧|呢|呀|啦|嘛|哦|哈+|呗|咯|"
                   r"\b(?:tbh|i guess|i think|lol|really|honestly|haha+|mostly|maybe|probably|perhaps)))+$",
                   re.I)


def _unhedged(said: str) -> str:
    bare = _TAIL.sub("", _LEAD.sub("", said)).strip(TRIM)
    return bare if len(bare) >= 2 else said


def cue(clean_text: str, low: str, start: int, end: int) -> str:
    """The answer's words from start to end, as the person typed them, ready to sit inside “…”."""
    # Echo the person's own casing when lower-casing kept offsets aligned (it nearly always does).
    source = clean_text if len(clean_text) == len(low) else low
    said = _unhedged(source[start:end].strip(TRIM))
    if len(said) > _MAX_CUE:
        said = said[:_MAX_CUE].rsplit(" ", 1)[0] + "…"
    if CJK_RE.search(said):
        said = said.translate(_FULL_WIDTH)  # NFKC made "，" a ","; give Chinese its own punctuation back
    # A capital that only marks the start of the answer reads oddly mid-question; keep acronyms ("CRM").
    # A name stays capitalised: "Ferris Tools", "Henry Schein" (two capitalised words in a row).
    name = (len(said.split()) > 1 and said.split()[1][:1].isupper()) or any(c.isupper() for c in said.split()[0][1:])
    if said[:1].isupper() and not said[1:2].isupper() and not name and source[:start].strip(TRIM) == "":
        said = said[0].lower() + said[1:]
    return said


# A vague answer is echoed back only when it names a thing ("something slicker", "更智能一点"). Said about the
# person or with a negation ("not something I've been involved in", "我也说不好"), it is no thing to picture: a
# template like "Picture “…” in place on a Monday morning" would read it back as if it were a feature.
_PERSONAL = re.compile(r"\b(?:i|i'm|im|i'd|i've|i'll|me|my|mine|we|we're|we'd|we've|us|our|you|you're|your|"
                       r"not|no|never|nothing|dunno|idk)\b|n't|[我你您俺咱不没]")


# A capability or an obligation ("能知道该盯哪几单", "to be able to see it") is not a thing to picture in place:
# "如果已经有了“能知道该盯哪几单”" reads as nonsense.
_ABILITY = re.compile(r"^(?:能|可以|会|要|得|需要|希望|想|to |be able|being able|able to|knowing |know )", re.I)


# A statement is not a thing either: "这个问题很大" inside "如果已经有了“…”" reads as nonsense.
_STATEMENT = re.compile(r"很|太|挺|是|有|在|了|\b(?:is|are|was|were|has|have|had|does|did|gets?|got|varies|vary|"
                        r"depends)\b", re.I)
# Nor an amount or a moment: "a lot", "right after the handover" read back as a thing ("how many customers does “a
# lot” affect?") was what a blind rater of held-out interviews found most often wrong with quoting.
_NO_THING = re.compile(r"^(?:(?:a lot|lots|loads|many|much|more|most|some|plenty|right|just|after|before|when|during|"
                       r"until|since|it|this|that|there|every|each|always|never|sometimes|usually)\b|很多|好多|一些|有些|"
                       r"之后|以后|之前|以前|每次|有时|一直|总是)", re.I)


def names_a_thing(said: str) -> bool:
    """Whether a short vague answer can stand inside a follow-up as the thing it names."""
    return bool(said) and not any(m in said for m in "?？,，;；") and not _PERSONAL.search(said.lower()) \
        and not _ABILITY.match(said) and not _STATEMENT.search(said) and not _NO_THING.match(said)


# Words that name nothing by themselves ("just faster please", "better service overall", "速度快一点就行"): wanting,
# degree, evaluation and the topics' own generic nouns. With only these in the clause, the person has not said *which
# part* they mean, so a follow-up asking that is still the right question.
_UNNAMED = frozenset(w[:4] for w in """please lot bit way everything anything something stuff overall general generally
mostly honestly guess maybe well okay ok yeah yes sure all whole need needs needed want wants wanted should ought gotta
gonna would better easier faster quicker cheaper simpler lower higher fair fairer good great best fast quick slow slower
speed speedy response responsive time times price prices pricing cost costs service support quality""".split())
_UNNAMED_ZH = re.compile("速度|响应|反应|效率|价格|价钱|价位|费用|成本|收费|服务|态度|支持|质量|"
                         "就行|可以|一点|一些|比较|有点|便宜|及时|迅速|方便|简单|稳定|"
                         "[快慢好坏贵高低多少准省再更太很要能点些吧啊呢了]")
_CLAUSE = re.compile(r"[.;:!?。；：！？,，、\n]|\b(?:but|and then|because)\b|但是|不过|因为")


def names_what(low: str, start: int, end: int, lang: str) -> bool:
    """Whether the clause of a cue names what it is about ("faster quotes", "报价快一点", "售后慢"), not only its
    topic."""
    clause = _CLAUSE.split(low[:start])[-1] + low[start:end] + _CLAUSE.split(low[end:])[0]
    if lang == "zh":
        return bool(content(_UNNAMED_ZH.sub(" ", clause), "zh"))
    return any(stem not in _UNNAMED for stem in content(clause, "en"))


# Where a stated consequence begins ("…, so the customer goes quiet", "这样我不用到处翻"): the value question echoes
# that clause, which keeps it about what this person said (and keeps its wording new in a long interview).
_CONSEQUENCE_RE = re.compile(
    r"(?:\b(?:so that|so|which means|meaning|otherwise|that way|and then|then|in order to|or else)\s+"
    r"|(?:这样|所以|不然|否则|那样|要不然|结果|导致)[，,]?)")
# A clause ends at punctuation or before a linking word; a quoted phrase is never cut (its marks are ends too).
_CLAUSE_END_RE = re.compile(r"[.;:!?。；：！？,，、\"「」『』]|\s(?:because|but|since)\s|因为|但是|可是")
# Where a clause too long to quote may be split into a shorter one that still reads whole.
# "and"/"or" join clauses only before a new subject ("…twice and we stop…"); elsewhere they join words ("the portal
# or email"), and cutting there would quote half a phrase.
_SUB_CLAUSE_RE = re.compile(r"\s(?:and|or|but)\s(?=(?:we|i|they|he|she|it|you|nobody|everyone|people)\b)|"
                            r"\s(?:when|if|which|while|until|so)\s|"
                            # "the day before", "a week after": a time phrase, not a linking word
                            r"(?<!\bday)(?<!\bweek)(?<!\bmonth)(?<!\byear)(?<!\bnight)(?<!\bhour)(?<!\btime)"
                            r"\s(?:before|after)\s|而且|并且|然后|还要|还得|的时候")
_QUOTE_MARKS = re.compile("[\"「」『』《》]")
_MAX_WORDS, _MAX_CHARS, _MAX_CJK = 10, 60, 18
_MIN_WORDS, _MIN_CJK = 2, 4
_WORD_RE = re.compile(r"\S+")


_PARTICLES = frozenset({"out", "up", "off", "back", "down", "away"})


# A clause that only introduces an example ("Ferris Tools for example", "比如华东那家") is no consequence to quote.
_EXAMPLE_ONLY = re.compile(r"(?:\bfor (?:example|instance)|\be\.g\.?)$|^(?:比如|例如|譬如|就比如|举个例子)", re.I)


def _fits(body: str, start: int, end: int) -> bool:
    part = body[start:end].strip(TRIM)
    if not part or _QUOTE_MARKS.search(part) or _EXAMPLE_ONLY.search(part):
        return False
    if CJK_RE.search(part):
        return _MIN_CJK <= len(part) <= _MAX_CJK
    # "we find out" (cut from "we find out when the customer calls") says nothing quoted alone: two content words.
    return _MIN_WORDS <= len(_WORD_RE.findall(part)) <= _MAX_WORDS and len(part) <= _MAX_CHARS \
        and len(content(part, "en") - _PARTICLES) >= 2


def _inside_quote(body: str, at: int) -> bool:
    """Whether position `at` lies between an opening and a closing quotation mark."""
    marks = _QUOTE_MARKS.findall(body[:at])
    straight = sum(1 for m in marks if m == '"')
    opened = sum(1 for m in marks if m in "「『《") - sum(1 for m in marks if m in "」』》")
    return straight % 2 == 1 or opened > 0


_JOIN_RE = re.compile(r"\s(?:and|or|but|when|if|which|while|until|before|after|so)\s|而且|并且|然后|还有|或者")
_SET_AGAINST = re.compile(r"而不是|而非|不是|rather than\b|instead of\b|not\b|but not\b")
_REASON = re.compile(r"\s(?:because|since)\s|因为|由于")


def _last_clause(body: str) -> tuple[int, int] | None:
    """Without a word that marks the consequence, a reply told in order ends on what followed ("…waited 9 days
    for a quote, they went with Apex", "停一天工人就得干等着，老板还要骂他"): its last clause, unless that clause
    gives a reason ("…, because the quotes are slow") or sits inside a quotation."""
    ends = [m for m in _CLAUSE_END_RE.finditer(body) if m.end() < len(body)]
    if not ends or _QUOTE_MARKS.search(body):
        return None
    sep = ends[-1]
    if _REASON.match(sep.group()):
        return None
    start = sep.end()
    while start < len(body) and body[start] in TRIM:
        start += 1
    if _SET_AGAINST.match(body, start):
        return None  # "…，而不是直接发涨价通知": what it should not be; the want came first
    if _fits(body, start, len(body)):
        return start, len(body)
    # Too long: its first part up to a linking word ("the po number is missing | or the price doesn't match…").
    cut = next((m.start() for m in _JOIN_RE.finditer(body, start) if _fits(body, start, m.start())), None)
    return (start, cut) if cut is not None else None


def consequence_span(low: str) -> tuple[int, int] | None:
    """The span of a whole clause to quote back in the value question: the consequence clause (after "so",
    "otherwise", "这样", "不然"…), else the last clause of a reply told in order, else the first clause; a shorter
    part of it split at a linking word when the clause is too long; None when nothing fits whole (the question is
    then asked without a quote)."""
    body = low.rstrip(TRIM)
    marker = next((m for m in _CONSEQUENCE_RE.finditer(body) if not _inside_quote(body, m.start())), None)
    if marker is None and (last := _last_clause(body)) is not None:
        return last
    start = marker.end() if marker else 0
    while start < len(body) and body[start] in TRIM:
        start += 1
    stop = _CLAUSE_END_RE.search(body, start)
    end = stop.start() if stop else len(body)
    if stop and _QUOTE_MARKS.match(stop.group()) and not _inside_quote(body, end):
        return None  # the clause introduces a quotation ("客户说“…”"): the words around it are not the point
    if _fits(body, start, end):
        return start, end
    # Too long: the longest leading part that ends at a linking word and still fits.
    splits = [m.start() for m in _SUB_CLAUSE_RE.finditer(body, start, end)]
    for cut in reversed(splits):
        if _fits(body, start, cut):
            return start, cut
    return None
