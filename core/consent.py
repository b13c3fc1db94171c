"""Whether an invited person's typed message begins the interview: a start word, or a short yes to consent."""

from __future__ import annotations

from core.choices import YES
from core.commands import parse_command, unwrap

# The invitation ends with the consent question ("Do you agree to take part?"), so a plain yes is consent too.
# Yes-words that say something else on their own ("1", "有": have) are left out.
_CONSENT = (YES - {"1", "有"}) | frozenset({
    "i agree", "agree", "agreed", "i do", "happy to", "happy to help", "let's do it", "let's go", "ready", "i'm ready",
    "sounds good", "go", "sure thing", "我同意", "同意参加", "愿意参加", "没问题", "来吧", "准备好了", "好吧"})


def starts_interview(text: str) -> bool:
    """A start word, or a short yes to the consent question. Anything longer ("yes, our biggest problem is...")
    is not taken as consent: the person is reminded to press Start, and told that answers are kept after it."""
    if parse_command(text) == "resume":
        return True
    word, core = unwrap(text)
    return bool(word) and (word in _CONSENT or core in _CONSENT)
