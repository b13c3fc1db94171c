"""What the specificity judge sees in an answer: how much concrete information it carries, as named features."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from core.judge_concrete import EN_IRREGULAR_PAST, EN_NUMBER_WORDS, EN_TIME, MONEY, NUM, ZH_COUNT, ZH_TIME
from core.judge_nonanswer import unshrug
from core.judge_signs import FUNCTION_ZIPF, RARE_ZIPF, non_answer_features
from core.lang import lang_from_counts, unit_counts


class Lexicon(Protocol):
    """Words, their frequency and their senses: app.lexicon implements it with jieba, wordfreq and two thesauri."""

    def words(self, text: str) -> Sequence[str]:
        """Lower-cased words in reading order (Chinese segmented)."""
        ...

    def zipf(self, word: str, lang: str) -> float:
        """How common a word is: log10 of its frequency per billion words (unknown words about 2)."""
        ...

    def zipfs(self, words: Iterable[str], lang: str) -> list[float]:
        """zipf() of each word."""
        ...

    def hanzi(self, text: str) -> str:
        """`text` with toneless pinyin read as Chinese characters ("bu zhi dao" → 不知道); `text` itself when it has
        none."""
        ...

    def classes(self, word: str, lang: str) -> Sequence[str]:
        """The word's sense classes in a thesaurus ('c7:Gb08A01' for 知道 and 清楚, 'l:verb.cognition' for know and
        remember); () for a word none lists (core.judge_senses)."""
        ...

    def zh_tag(self, word: str) -> str | None:
        """The word's part of speech in jieba's dictionary ('v', 'd', 'y'…), None for a word it does not list
        (core.judge_tags)."""
        ...


@dataclass(frozen=True)
class Context:
    """What the judge knows besides the answer: the question and who is answering."""

    depth: int = 0  # 0 = first answer to the question, 1.. = answer to a follow-up
    closing: bool = False  # "anything else?": an ending is a fair answer
    audience: str = "customer"  # internal | customer
    question: str = ""  # the question's text and intent, for echo detection


@dataclass(frozen=True)
class RuleHits:
    """What the probe rule files recognise in the answer (core.probing computes them)."""

    stop: bool = False  # the whole answer is a stop phrase ("no, that's all")
    stop_any: bool = False  # a stop phrase somewhere in the answer ("no just the callbacks, nothing more")
    dont_know: bool = False  # a don't-know phrase in a short answer
    generic: bool = False  # the whole answer is fine/ok/good
    surface: int = 0  # surface cues found (price, speed, "better service", ...)
    specific: int = 0  # the old markers of depth (reason, example, number): a feature, no longer a verdict



_EN_CAUSE = re.compile(r"\b(?:because|since|so that|so (?:we|i|they|the|our|it|he|she|you)|which means|meaning|"
                       r"otherwise|in order to|due to|leads? to|led to|results? in|ended up|that'?s why)\b")
_ZH_CAUSE = re.compile("因为|所以|导致|以便|否则|不然|结果|因此|为了|这样(?:就|才|可以)|才能|就会|就得|就要|"
                       "害得|搞得|以至于")
_EN_EXAMPLE = re.compile(r"\b(?:for example|for instance|e\.g\.|such as|like when|like the|say,)\b")
_ZH_EXAMPLE = re.compile("比如|例如|举个例子|像是|譬如")
_EN_WISH = re.compile(r"\b(?:need|needs|want|wants|would like|'d like|wish|should|must|hope|could use|"
                      r"would be (?:nice|good|great)|would love)\b")
_ZH_WISH = re.compile("希望|想要|需要|应该|能不能|可不可以|能否|最好|要是能|得有")
_EN_HEDGE = re.compile(r"\b(?:maybe|perhaps|i guess|i think|kind of|sort of|probably|somehow|some kind of|"
                       r"i suppose|i'd say|stuff|things|whatever|etc)\b")
_ZH_HEDGE = re.compile("可能|也许|大概|应该吧|差不多|之类|什么的|啥的|等等|吧")
_ZH_COMPARATIVE = re.compile("更[^\\s，。,.]|再[^\\s，。,.]{1,2}(?:一)?点|[^\\s，。,.]一点"
                             "|[^\\s，。,.]一些|[^\\s，。,.]点儿|越来越")
# Abstract nouns by their endings (数字化, 一站式; -ization, -ity): a Han character before the Chinese suffix.
_ZH_ABSTRACT = "化式性型感力"
_EN_ABSTRACT = ("ize", "ise", "ization", "isation", "ity", "ive", "ic", "al", "ous", "less", "ful", "able", "ible")
_EN_ACTORS = frozenset("he she they them his her their customer customers client clients rep reps manager boss "
                        "colleague colleagues driver drivers caller callers supplier dealer dealers".split())
_ZH_ACTORS = frozenset("他 她 他们 她们 客户 老板 同事 经理 主管 司机 供应商 经销商 领导 财务 销售 客服 师傅".split())
# Rungs of the ladder: what a change leads to for someone (consequence), and why that matters in the end (value).
_EN_CONSEQUENCE = re.compile(r"\b(?:could|would be able|wouldn'?t have to|won'?t have to|don'?t have to|instead of|"
                             r"saves?|frees? up|less time|stop (?:\w+ing)|no longer|so (?:we|i|they|the team))\b")
_ZH_CONSEQUENCE = re.compile("就可以|就能|不用再?|省得|省下|节省|少跑|避免|不至于|能腾出|这样(?:我们|就)")
_EN_VALUE = re.compile(r"\b(?:customers? (?:stay|keep|come back|trust)|keep (?:our )?customers|trust|grow|growth|"
                       r"revenue|profit|reputation|loyal\w*|peace of mind|stress|bonus|career|survive|competitive|"
                       r"what (?:really )?matters|most important|in the end|at the end of the day|long[- ]term)\b")
_ZH_VALUE = re.compile("信任|增长|业绩|利润|口碑|留住|流失|安心|放心|压力|竞争力|最重要|长期|生存|长远|信誉|忠诚|"
                       "一直(?:跟|和)我们|回头客")
# What a consequence is made of: a result connective opening a clause of its own ("…, so the customer goes quiet",
# "不然停一天线就少出好几百件货"), and what happens to someone (waiting, losing, chasing, redoing; 干等, 白跑, 挨骂).
_EN_RESULT = re.compile(r"\b(?:so that|so|otherwise|which means|that means|meaning|and then|then|ends? up|ended up|"
                        r"or else|as a result|by the time|so now)\b")
_ZH_RESULT = re.compile("不然|否则|这样就?|结果|导致|就得|就要|就会|只能|只好|害得|搞得|弄得|以至于|到时候|等到|"
                        "就知道|就不会|"
                        "(?:就|也)没法|使得|让(?:客户|门店|我们|他们|大家|销售|团队|老板|财务|同事)")
_EN_OUTCOME = re.compile(r"\b(?:los[et]|losing|wait(?:s|ing|ed)?|wast(?:e|es|ed|ing)|miss(?:es|ed|ing)?|late|angry|"
                         r"complain\w*|chas(?:e|es|ed|ing)|redo|re-?enter\w*|overtime|stuck|delay\w*|cancel\w*|"
                         r"(?:has|have|had|doesn'?t have|don'?t have|didn'?t have) to|end(?:s|ed)? up|goes quiet|"
                         r"calls? (?:back|again)|twice|again|stops?|stopped|slips?|sideways|annoyed|upset|furious|"
                         r"blame\w*|look(?:s|ed)? bad|risk\w*|hurts?|suffer\w*|penalt\w+|run(?:s|ning)? out|"
                         r"can'?t (?:get|see|find|plan|close|ship|pay)|nobody|no one)\b")
_ZH_OUTCOME = re.compile("干等|白跑|耽误|浪费|投诉|催|挨骂|骂|丢单|跑掉|跑了|少卖|少出|返工|加班|重新|又得|还得|"
                         "来回|罚款|扣钱|停工|停产|停了|等着|打过来|再打|找不到|对不上|出错|没法|没办法|只能|停在|挂了|"
                         "不耐烦|找别家|别家|没人用|白忙|耽搁|拖着|断了|进不来|发不出|打爆|骂人|折腾|救火")
# A consequence said as a condition and what follows ("if one job runs over, everything after it slips", "要是…就不会"),
# and as less of something bad ("fewer disputes", "no chasing", "少操心", "错也少了"): "faster", "cheaper" are wishes.
_EN_COND = re.compile(r"\b(?:if|when|whenever|unless|every time|each time|once|as soon as)\b")
_ZH_COND = re.compile("如果|要是|假如|一旦|只要|万一|每次|的话|一[^，。,.]{1,6}就")
# (issue 13) and as what one would no longer have to do ("instead of waiting", "不用等投诉", "而不是等丢了才知道").
_EN_LESS = re.compile(r"\b(?:fewer|less|no more|no)\s+[a-z]+(?:ing|s)\b|\b(?:instead of|rather than|without having to|"
                      r"no longer|(?:would|will)(?:n'?t| not) have to)\b")
_ZH_LESS = re.compile("少(?:了|点|些|很多|不少)?[\u4e00-\u9fff]|[\u4e00-\u9fff]也?少了|省(?:了|下|掉|很多|不少)|不会再|"
                      "不用(?!了)(?:再)?|不必|而不是|免得|省得|用不着")
# Words of ends: evidence a reply reached a value (judge.rung_of reads a value only with them, or when it is sure).
_EN_ENDS = re.compile(r"\b(?:trust\w*|confiden\w+|relationship\w*|reputation|credib\w+|image|brand|proud|pride|"
                      r"respect\w*|stress\w*|worr\w+|sleep|peace|safe\w*|secur\w+|stay\w*|loyal\w*|keep\w* "
                      r"(?:them|customers|clients|the customer)|come back|cash|revenue|profit\w*|margin\w*|"
                      r"grow\w*|survive|compet\w+|count on|rely on|look\w* (?:bad|stupid|professional|slow)|"
                      r"who we (?:are|want)|matters?|important|worth|happ(?:y|ier)|feel\w*|career|bonus|"
                      r"(?:my|our|their|his|her) jobs?)\b")
_ZH_ENDS = re.compile("信任|信赖|信心|靠得住|靠谱|放心|安心|省心|踏实|舒服|心里有底|留住|留得住|留下|回头|"
                      "复购|口碑|名声|信誉|面子|形象|专业|尊重|长期|合作|关系|收入|利润|业绩|增长|发展|竞争|"
                      "生存|压力|饭碗|前途|安全|稳定|根本|关键|重要|意义|价值|感觉|感受|满意|开心|难受|丢人|"
                      "体面|资产|证明自己|认可")
_CLAUSE_END = re.compile(r"[.!?;,。！？；，\n]")
_PUNCT_LATIN = re.compile(r"[A-Za-z]")
_LATIN_WORD = re.compile(r"[A-Za-z][\w\-]*")
_LATIN_RUN = re.compile(r"[a-z]{2,}")


def clean(text: str) -> str:
    """NFKC (full-width ＣＲＭ２０％ → CRM20%), curly quotes straightened, a shrug read as "idk", whitespace
    collapsed."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", unshrug(text)).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


def _log(n: float) -> float:
    return math.log1p(n) if n > 0 else 0.0


def _clause_content(low: str, rx: re.Pattern[str], lex: Lexicon, lang: str) -> tuple[int, int]:
    """(markers found, content words in the clauses they open): "because it's important" has a marker, no content."""
    found = content = 0
    for m in rx.finditer(low):
        found += 1
        rest = low[m.end():]
        end = _CLAUSE_END.search(rest, 1)
        clause = rest[: end.start() if end else 80]
        content += sum(1 for z in lex.zipfs(lex.words(clause), lang) if z < FUNCTION_ZIPF - 0.6)
    return found, content


_QUESTION_WORDS: dict[tuple[str, int], frozenset[str]] = {}


def _question_words(question: str, lex: Lexicon) -> frozenset[str]:
    """The question's own words, once per question and lexicon (every answer to it is compared with them)."""
    key = (question, id(lex))
    words = _QUESTION_WORDS.get(key)
    if words is None:
        if len(_QUESTION_WORDS) > 4096:  # a script has tens of questions: this only bounds odd callers
            _QUESTION_WORDS.clear()
        words = _QUESTION_WORDS[key] = frozenset(lex.words(question.lower()))
    return words


def _comparatives_en(words: Iterable[str], lex: Lexicon) -> int:
    """Comparatives such as faster, slicker, easier: the stem is a commoner word than the -er form."""
    n = 0
    for w in words:
        if w in ("better", "more", "less", "worse", "cheaper"):
            n += 1
        elif len(w) > 4 and w.endswith("er"):
            stems = (w[:-2], w[:-3] + "y" if w.endswith("ier") else w[:-1], w[:-3] if w[-3:-2] == w[-4:-3] else "")
            z = lex.zipf(w, "en")
            if any(s and lex.zipf(s, "en") > max(z, 3.0) for s in stems):
                n += 1
    return n


_COMPOUND = re.compile(r"\b[a-z]{2,}(?:-[a-z]{2,})+\b")


def _adverbs_en(words: Iterable[str], lex: Lexicon) -> int:
    """Adverbs made from adjectives (truly, genuinely, seamlessly, simply): an answer that qualifies, not tells."""
    n = 0
    for w in words:
        if len(w) > 5 and w.endswith("ly"):
            stems = (w[:-2], w[:-2] + "e", w[:-3] + "y", w[:-1] + "e")
            if any(len(s) >= 4 and lex.zipf(s, "en") >= 3.0 for s in stems):
                n += 1
    return n


def features(text: str, lex: Lexicon, ctx: Context, hits: RuleHits) -> dict[str, float]:
    """Named feature values for one answer: designed ones, and `w:<word>` for each content word."""
    c = clean(text)
    low = c.lower()
    cjk, latin = unit_counts(low)
    units = cjk + latin
    lang = lang_from_counts(cjk, latin)
    zh = lang == "zh"
    words = lex.words(low)
    zipfs = lex.zipfs(words, lang)
    content = [(w, z) for w, z in zip(words, zipfs, strict=True) if z < FUNCTION_ZIPF and not w.isdigit()]
    rare = [w for w, z in content if z < RARE_ZIPF]
    rarity = sum(max(0.0, FUNCTION_ZIPF - z) for _, z in content)
    asked = _question_words(ctx.question, lex) if ctx.question else frozenset()  # once, not per word
    echoed = sum(1 for w, _ in content if w in asked)
    cause_n, cause_content = _clause_content(low, _ZH_CAUSE if zh else _EN_CAUSE, lex, lang)
    ex_n, ex_content = _clause_content(low, _ZH_EXAMPLE if zh else _EN_EXAMPLE, lex, lang)
    result_content = _clause_content(low, _ZH_RESULT if zh else _EN_RESULT, lex, lang)[1]
    # Named things: acronyms, CamelCase, capitalised words after the first (all-lower words are none of these).
    named = sum(1 for i, w in enumerate(_LATIN_WORD.findall(c))
                if not w.islower() and ((w.isupper() and len(w) >= 2) or any(ch.isupper() for ch in w[1:])
                                        or (i > 0 and w[0].isupper())))
    if zh:
        named += len(_LATIN_RUN.findall(low))  # SAP, Excel, CRM inside a Chinese answer
    numbers = len(NUM.findall(low)) + (len(ZH_COUNT.findall(low)) if zh else
                                         sum(1 for w in words if w in EN_NUMBER_WORDS))
    actors = sum(1 for w in words if w in (_ZH_ACTORS if zh else _EN_ACTORS))
    if zh:
        comparative = len(_ZH_COMPARATIVE.findall(low))
        abstract = sum(1 for w, _ in content if len(w) > 1 and w[-1] in _ZH_ABSTRACT and "\u4e00" <= w[-2] <= "\u9fff")
        past = low.count("了") + low.count("过")
        compound = adverbs = 0
    else:
        comparative = _comparatives_en(words, lex)
        abstract = sum(1 for w, z in content if z < 5.0 and w.endswith(_EN_ABSTRACT))
        past = sum(1 for w in words if (len(w) > 4 and w.endswith("ed")) or w in EN_IRREGULAR_PAST)
        # Buzz-speak: hyphenated compounds of words ("customer-centric", "data-driven", "best-in-class") and
        # adverbs that qualify ("truly", "seamlessly"); a concrete account uses few of either.
        compound, adverbs = len(_COMPOUND.findall(low)), _adverbs_en(words, lex)
    f: dict[str, float] = {
        "bias": 1.0,
        "units": _log(units),
        "very_short": float(units < 4),
        "short": float(units < 8),
        "content": _log(len(content)),
        "rare": _log(len(rare)),
        "rarity": _log(rarity),
        "rare_share": len(rare) / (1 + len(content)),
        "numbers": _log(numbers),
        "money": float(bool(MONEY.search(low))),
        "time": _log(len((ZH_TIME if zh else EN_TIME).findall(low))),
        "named": _log(named),
        "actors": _log(actors),
        "past": _log(past),
        "cause_content": _log(cause_content),
        "cause_empty": float(cause_n > 0 and cause_content <= 1),
        "example_content": _log(ex_content),
        "example_empty": float(ex_n > 0 and ex_content <= 1),
        "consequence_cue": _log(len((_ZH_CONSEQUENCE if zh else _EN_CONSEQUENCE).findall(low))),
        "value_cue": _log(len((_ZH_VALUE if zh else _EN_VALUE).findall(low))),
        "result_content": _log(result_content),
        "outcome": _log(len((_ZH_OUTCOME if zh else _EN_OUTCOME).findall(low))),
        "value_words": _log(len((_ZH_ENDS if zh else _EN_ENDS).findall(low))),
        "conditional": _log(len((_ZH_COND if zh else _EN_COND).findall(low))),
        "less_of": _log(len((_ZH_LESS if zh else _EN_LESS).findall(low))),
        "wish": float(bool((_ZH_WISH if zh else _EN_WISH).search(low))),
        "hedge": _log(len((_ZH_HEDGE if zh else _EN_HEDGE).findall(low))),
        "comparative": _log(comparative),
        "comparative_share": comparative / (1 + len(content)),
        "abstract": _log(abstract),
        "abstract_share": abstract / (1 + len(content)),
        "echo_share": echoed / (1 + len(content)),
        "compound": _log(compound),
        "adverb_share": adverbs / (1 + len(content)),
        "question_mark": float("?" in low),
        "rule_stop": float(hits.stop),
        "rule_stop_any": float(hits.stop_any and units <= 12),
        "stop_any_follow_up": float(hits.stop_any and units <= 12 and (ctx.depth > 0 or ctx.closing)),
        "stop_any_first": float(hits.stop_any and units <= 12 and ctx.depth == 0 and not ctx.closing),
        "rule_dont_know": float(hits.dont_know),
        "rule_generic": float(hits.generic),
        "rule_surface": _log(hits.surface),
        "rule_specific": _log(hits.specific),
        "closing": float(ctx.closing),
        "follow_up": float(ctx.depth > 0),
        "internal": float(ctx.audience == "internal"),
        # An ending is a fair answer to "anything else?" or to a follow-up, a non-answer to a first question.
        "stop_closing": float(hits.stop and ctx.closing),
        "stop_follow_up": float(hits.stop and ctx.depth > 0 and not ctx.closing),
        "stop_first": float(hits.stop and ctx.depth == 0 and not ctx.closing),
        "dont_know_closing": float(hits.dont_know and ctx.closing),
        "latin_in_zh": float(zh and bool(_PUNCT_LATIN.search(low))),
    }
    f.update(non_answer_features(low, zh, units, (words, zipfs), len(content), f["hedge"] > 0, lex, lang, ctx,
                                 hits))
    f["zh"] = float(zh)
    seen: set[str] = set()
    for w, _ in content:
        if w not in seen:
            seen.add(w)
            f[f"w:{w}"] = 1.0
    return f


def with_lang_copies(f: dict[str, float]) -> dict[str, float]:
    """Training rows: each designed feature twice, shared and as the language's own ("zh:rare"), so one model
    learns both what holds everywhere and what each language does differently (Judge folds them back)."""
    lang = "zh" if f.get("zh") else "en"
    return {**f, **{f"{lang}:{k}": v for k, v in f.items() if not k.startswith("w:") and k != "zh"}}
