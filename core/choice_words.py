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
