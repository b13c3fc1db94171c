"""What to say about a typed reply to a closed question, in every channel: how it was read, or why it was not."""

from __future__ import annotations

from collections.abc import Callable

from app.phrases import say
from core.events import Interpreted, Rejected

OPTIONS_IN_HINT = 8  # an unmatched reply's hint lists the options when there are at most this many


def _plain(text: str) -> str:
    return text


Say = Callable[..., str]


def interpreted_text(ev: Interpreted, lang: str, escape: Callable[[str], str] = _plain, speak: Say = say) -> str:
    """"I took that as …": the options a loose reply was read as, and what was kept as typed beside them."""
    return speak(lang, "interpreted.kept" if ev.kept else "interpreted",
                 labels=escape(", ".join(ev.labels)), kept=escape(", ".join(ev.kept)))


def rejection_text(ev: Rejected, lang: str, escape: Callable[[str], str] = _plain, speak: Say = say) -> str:
    """What to say about input that could not be used: for a typed choice, one short hint saying why and what
    would work (the options, when there are few), so a person typing in a terminal or a thread is never left
    with a bare "not understood". `escape` makes option labels safe for the channel's markup; `speak` is the
    channel's phrase book."""
    if ev.why == "finished" and ev.detail in ("expired", "declined"):
        return speak(lang, f"rejected.finished.{ev.detail}")
    # A scale's options are its two ends: ask for a number, not for "part of an option" or "the option that fits".
    scale = ev.options if len(ev.options) == 2 and all(o.lstrip("-").isdigit() for o in ev.options) else None
    if scale and (ev.why, ev.detail) in (("noted", "scale"), ("bad_choice", "none")):
        key = "rejected.noted.scale" if ev.why == "noted" else "choice.none.scale"
        return speak(lang, key, lo=scale[0], hi=scale[1])
    if (ev.why, ev.detail) == ("noted", "yesno"):  # words kept; a yes or a no is what is left to ask for
        return speak(lang, "rejected.noted.yesno")
    if ev.why == "noted" and 1 < len(ev.options) <= OPTIONS_IN_HINT:  # words kept; the options to choose from
        return speak(lang, "rejected.noted.options", options=" · ".join(escape(o) for o in ev.options))
    if ev.why != "bad_choice" or ev.detail in (None, "single", "multi", "yesno", "scale", "open"):
        return speak(lang, f"rejected.{ev.why}")
    opts = [escape(o) for o in ev.options]
    if ev.detail == "ambiguous":
        return speak(lang, "choice.ambiguous", options=" / ".join(f"“{o}”" for o in opts))
    if ev.detail == "range" and len(opts) == 2:
        return speak(lang, "choice.range", lo=opts[0], hi=opts[1])
    if ev.detail == "too_many" and opts:
        return speak(lang, "choice.too_many", n=opts[0])
    if ev.detail == "exclusive" and opts:
        return speak(lang, "choice.exclusive", label=opts[0])
    if ev.detail == "dont_know":
        return speak(lang, "choice.dont_know")
    if ev.detail == "yesno_none":
        return speak(lang, "choice.yesno")
    if ev.detail == "one_only":
        return speak(lang, "choice.one_only")
    parts = [speak(lang, "choice.none")]
    if 1 < len(opts) <= OPTIONS_IN_HINT and not all(o.isdigit() for o in opts):
        parts.append(speak(lang, "choice.options", options=" · ".join(opts)))
    parts.append(speak(lang, "choice.again"))
    return ("" if lang == "zh" else " ").join(parts)  # Chinese sentences run on without a space
