"""Words stored outside a script's questions: afterthoughts after an interview, and how reviewers see them."""

from __future__ import annotations

ADDENDUM = "_addendum"  # the question id of an afterthought ("oh, one more thing..."); never a script's id
LABELS = {"en": "Added after the interview (in the person's own words)", "zh": "访谈结束后的补充（受访者原话）"}


def question_label(question_id: str, lang: str | None, fallback: str | None = None) -> str:
    """What to show for a question id: the script's text when known, the addendum's label for afterthoughts."""
    if fallback is not None and fallback != question_id:
        return fallback
    if question_id == ADDENDUM:
        return LABELS.get(lang or "en", LABELS["en"])
    return fallback or question_id
