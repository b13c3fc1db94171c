"""A typed reply that names an option in its own words: "my phone" for "My own phone or memory", "订单状态"."""

from __future__ import annotations

import difflib
import re

_WORD = re.compile(r"[a-z0-9]+")
# Words that carry no choice of their own: "my phone" names the phone option whatever the possessive.
_FILLER = frozenset({"a", "an", "the", "my", "our", "your", "of", "and", "or", "by", "for", "to", "in", "on",
                     "with", "at", "its", "their", "all", "own", "some", "etc"})


def words(text: str) -> frozenset[str]:
    """Content words, spelling-folded: hyphens dropped ("e-mail" = "email"), a plural's s dropped."""
    out = set()
    for w in _WORD.findall(text.replace("-", "")):
        if w in _FILLER:
            continue
        out.add(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return frozenset(out)


def by_words(aliases: dict[str, list[str]], token: str) -> list[str]:
    """Options whose label holds every content word of the reply ("open orders status" for "Status of all open
    orders or projects"); Latin-script replies only (Chinese has its own part and prefix rules)."""
    mine = words(token)
    if len(mine) > 1:
        mine -= {"one"}  # "the funnel one": the option people point at, not the number
    if not mine or any("\u3400" <= ch <= "\u9fff" for ch in token):
        return []
    # An option's id is written by the script's author and often says what the label spells out ("campaign_roi"
    # for "Revenue and return per campaign"), so its words count beside the label's.
    return [cid for cid, labels in aliases.items()
            if any(mine <= words(label) | words(cid.replace("_", " ")) for label in labels)]


def by_phrase(aliases: dict[str, list[str]], token: str) -> list[str]:
    """Options whose label holds the reply as it stands, word for word ("on time" in "On-time delivery"; "服务与支持"
    in "出了问题时的服务与支持"): a stronger hint than shared words, so it is asked first. Latin replies of two or more
    words, Chinese replies of three or more characters (a shorter one is a part or a word of several labels)."""
    cjk = sum(1 for ch in token if "\u3400" <= ch <= "\u9fff")
    if (cjk and len(token) < 3) or (not cjk and len(token.split()) < 2):
        return []
    needle = token.replace("-", " ")
    pattern = re.compile(re.escape(needle) if cjk else r"(?<![a-z0-9])" + re.escape(needle) + r"(?![a-z0-9])")
    return [cid for cid, labels in aliases.items() if any(pattern.search(label.replace("-", " ")) for label in labels)]


def by_start(aliases: dict[str, list[str]], token: str, found: list[str]) -> list[str]:
    """Of several options that contain the reply, the one whose label starts with it ("邮件" → "邮件和日历", not
    "营销或邮件群发工具"); all of them when that does not decide."""
    starting = [cid for cid in found if any(label.startswith(token) for label in aliases[cid])]
    return starting if len(starting) == 1 else found


def near(token: str, label: str, floor: float) -> float:
    """How near a reply is to a label: the spelling ratio; for Chinese, a reply that keeps a third or more of a
    label's characters in their order ("在途订单的状态", "订单状态" for "所有在途订单或项目的状态"), an abbreviation,
    counts as near (`floor`)."""
    ratio = difflib.SequenceMatcher(None, token, label).ratio()
    cjk = sum(1 for ch in token if "\u3400" <= ch <= "\u9fff")
    if cjk >= 3 and 3 * len(token) >= len(label) and _in_order(token, label):
        return max(ratio, floor)
    return ratio


def _in_order(token: str, label: str) -> bool:
    rest = iter(label)
    return all(ch in rest for ch in token)


def labels_named(aliases: dict[str, list[str]], text: str) -> tuple[list[str], str]:
    """Whole labels written out in a list reply, longest first, before the reply is cut at its commas: a label may
    hold commas of its own ("聊天工具（微信、Slack等）", "Paper: delivery notes, job sheets"). The options in the
    order they were written, and the rest of the reply with each label cut out."""
    rest = text.replace("-", " ")
    found: list[tuple[int, str]] = []
    for cid, label in sorted(((c, lb.replace("-", " ")) for c, labels in aliases.items() for lb in labels),
                             key=lambda x: -len(x[1])):
        at = rest.find(label)
        if len(label) >= 4 and at >= 0 and cid not in (c for _, c in found):
            found.append((at, cid))
            rest = rest[:at] + "、" + " " * (len(label) - 1) + rest[at + len(label):]
    return [cid for _, cid in sorted(found)], rest


# Words that say nothing about which option is meant, whatever the question (function words, fillers, pronouns).
STOP = frozenset({
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "into",
    "we", "us", "our", "ours", "you", "your", "yours", "they", "them", "their", "i", "me", "my", "mine", "it", "its",
    "he", "she", "his", "her", "this", "that", "these", "those", "there", "here", "is", "are", "was", "were", "be",
    "been", "am", "do", "does", "did", "done", "have", "has", "had", "will", "would", "can", "could", "should",
    "just", "only", "really", "mostly", "mainly", "probably", "maybe", "now", "then", "still", "also", "too", "very",
    "so", "some", "any", "all", "more", "most", "much", "many", "one", "get", "got", "what", "which", "who", "when",
    "how", "not", "no", "yes", "if", "about", "like", "thing", "things", "stuff", "lot", "lots", "bit", "tbh", "lol",
    "honestly", "guess", "think", "say", "well", "yeah", "ok", "okay", "please", "thanks", "first", "again",
})
# Chinese two-character pieces that carry no option of their own.
_ZH_STOP = frozenset({"我们", "你们", "他们", "一个", "一家", "一些", "这个", "那个", "就是", "还是", "时候", "的时",
                      "主要", "现在", "目前", "可能", "应该", "觉得", "感觉", "一下", "有个", "没有", "不是", "已经",
                      "什么", "怎么", "比较", "其实", "反正", "之前", "以后", "自己"})
# Characters that make no option's content: a two-character piece made only of them ("还没", "就是") says nothing.
ZH_FUNCTION = frozenset("的了是在有就都也很太要会能把被给让还没不和与或及我你他她它们这那个些一上下中里"
                         "吧呢啊吗呀哦嗯么着过到说得地为对从向跟同而且但")
# The people every question is about: a reply that mentions customers names no option by it.
_DOMAIN = frozenset({"customer", "customers", "client", "clients"})
_ZH_DOMAIN = frozenset({"客户", "公司", "业务"})
_LATIN = re.compile(r"[a-z][a-z0-9]+")


def _stems(text: str) -> set[str]:
    """Latin content words cut to a stem people share across forms ("recommended" / "recommendation" →
    "recommend", "profitable" / "profitability" → "profitab"): the first 8 letters, or the whole word."""
    words = (w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
             for w in _LATIN.findall(text.replace("-", "")))
    return {w[:8] for w in words if w not in STOP and w not in _DOMAIN and len(w) >= 3}


_PARTICLE = frozenset("的了吗吧呢啊呀么")


def _bigrams(text: str) -> set[str]:
    """Chinese two-character pieces inside runs of Chinese, the empty ones dropped."""
    out: set[str] = set()
    for run in re.findall("[\u3400-\u9fff]+", text):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    # A piece half made of a particle ("户的" in "客户的") joins two words by grammar, not by meaning.
    return {b for b in out if not (b[0] in ZH_FUNCTION and b[1] in ZH_FUNCTION) and not _PARTICLE & set(b)} \
        - _ZH_STOP - _ZH_DOMAIN


def _pieces(text: str) -> set[str]:
    return _stems(text) | _bigrams(text)


def _shares(mine: set[str], theirs: set[str]) -> set[str]:
    """The pieces of a reply found in a label: the same, or a Latin stem of 4+ letters that starts a label's word
    ("prem" in "premise") or that a label's word starts ("profitab" in "profitable")."""
    out = mine & theirs
    for m in mine - theirs:
        if m.isascii() and len(m) >= 4 and any(t.isascii() and len(t) >= 4 and (t.startswith(m) or m.startswith(t))
                                               for t in theirs):
            out.add(m)
    return out


def _id_pieces(cid: str) -> set[str]:
    """An option id's words, and the id closed up as people write the compound ("in_house": "house" and "inhouse",
    which "in-house" is once its hyphen is dropped)."""
    return _pieces(cid.replace("_", " ")) | (_stems(cid.replace("_", "")) if "_" in cid else set())


def by_overlap(aliases: dict[str, list[str]], token: str, ignore: str = "") -> list[str]:
    """Options a reply in the person's own words shares content with ("met your team at a trade show" → "A trade
    fair or event", "we hired someone and do it ourselves" → "We do it ourselves now", "出了问题能有人管" → "出了问题时
    的服务与支持"): only pieces that one option's labels have and no other option's count, and an option is found
    when it has more of them than any other. Pieces of `ignore` (the question's own words: "客户"
    in "客户选择我们时最看重什么？") say nothing about the option. The caller confirms what it took."""
    mine = _pieces(token) - (_pieces(ignore) if ignore else set())
    if not mine:
        return []
    pieces = {cid: set().union(*(_pieces(label) | _id_pieces(cid) for label in labels))
              for cid, labels in aliases.items()}
    score: dict[str, int] = {}
    for cid, theirs in pieces.items():
        others = set().union(*(p for c, p in pieces.items() if c != cid))
        own = {m for m in _shares(mine, theirs) if not _shares({m}, others)}
        if own:
            score[cid] = len(own)
    if not score:
        return []
    best = max(score.values())
    return [c for c, n in score.items() if n == best]


def pointed_at(aliases: dict[str, list[str]], token: str) -> set[str]:
    """Every option whose labels share a content piece with the reply, shared with other options or not ("the
    service" points at both "Quality of the product or service" and "Service and support")."""
    mine = _pieces(token)
    if not mine:
        return set()
    return {cid for cid, labels in aliases.items()
            if any(_shares(mine, _pieces(label) | _id_pieces(cid)) for label in labels)}


def mostly_named(aliases: dict[str, list[str]], cid: str, item: str) -> bool:
    """A list item read in its own words says mostly what the label says, not only a word beside its own subject:
    more than half of a Chinese item's content characters are the label's ("试点" for "试用或试点", not "电话系统的
    通话记录" for "纸质记录", nor "老板的脑子" for "自己的手机或记在脑子里"); a Latin item's last content word, its
    head, is one of the label's ("a clear quote", not "an agent leaderboard" for "Workload per agent"), beside no
    abbreviation the label lacks."""
    labels = aliases[cid]
    han = [ch for ch in item if "\u3400" <= ch <= "\u9fff" and ch not in ZH_FUNCTION]
    if han:  # and more of them than any other option's ("开票准确率" is as near "发票一次开对率" as "预测准确率")
        cover = {c: sum(ch in "".join(ls) for ch in han) for c, ls in aliases.items()}
        return cover[cid] >= 2 and 2 * cover[cid] > len(han) and all(n < cover[cid] for c, n in cover.items()
                                                                     if c != cid)
    content = [w for w in _LATIN.findall(item.replace("-", "")) if w not in STOP]
    # A short word no label has is an abbreviation of its own subject: "QA scores" are not "Customer satisfaction
    # score".
    known = " ".join(labels).replace("-", "")
    if any(len(w) <= 3 and not re.search(rf"\b{w}\b", known) for w in content):
        return False
    return bool(content) and bool(_shares(_stems(content[-1]), set().union(*(_stems(label) for label in labels))))


def by_initials(aliases: dict[str, list[str]], token: str) -> list[str]:
    """Options whose label, or a part of it, the reply abbreviates by its words' first letters ("aht" for "Average
    handling time", "otd" for "On-time delivery", "clv" for "Customer lifetime value"): a reply of one short Latin
    word that is no word of any label."""
    if not (2 <= len(token) <= 5 and token.isascii() and token.isalpha()) or token in STOP:
        return []  # "no", "ok", "yes" are words, never initials
    found = []
    for cid, labels in aliases.items():
        for label in labels:
            if re.search(rf"\b{token}\b", label):
                return []  # a word of a label ("sla" in "SLA compliance") is read as that word, elsewhere
            parts = [label, *re.split(r"\s*[/(),:;]\s*", label)]
            if any(_initials(p) == token for p in parts if p):
                found.append(cid)
                break
    return found


def _initials(text: str) -> str:
    """The first letters of a text's words, hyphenated words counted apart ("On-time delivery" → "otd")."""
    return "".join(w[0] for w in re.findall(r"[a-z0-9]+", text.lower()))
