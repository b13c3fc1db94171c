"""Report wording in English and Chinese: section titles, column heads, segment and criterion names, dates."""

from __future__ import annotations

from datetime import date, datetime

from core.shares import Share
from reports.label_text import TEXT

LANGS = ("en", "zh")

SHORT_CRITERIA = {"en": {"benefit": "benefit", "cost": "cost", "strategic_fit": "fit", "culture_change": "culture",
                         "unit_support": "unit", "competitive_position": "competitive"},
                  "zh": {"benefit": "收益", "cost": "成本", "strategic_fit": "战略", "culture_change": "文化",
                         "unit_support": "支持", "competitive_position": "竞争"}}

ROLES = {
    "en": {"sales": "Sales", "service": "Customer service", "marketing": "Marketing", "operations": "Operations",
           "finance": "Finance", "it": "IT", "leadership": "Leadership", "other": "Other",
           "current": "current", "past": "past", "prospective": "prospective"},
    "zh": {"sales": "销售", "service": "客户服务", "marketing": "市场", "operations": "运营", "finance": "财务",
           "it": "IT", "leadership": "管理层", "other": "其他", "current": "现有", "past": "流失",
           "prospective": "潜在"},
}
STATUS = {"invited": "invited", "in_progress": "in_progress", "paused": "in_progress", "completed": "completed",
          "declined": "declined", "expired": "declined"}
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def t(lang: str, key: str, **kw: object) -> str:
    """The label in the report language (English when a Chinese label is missing)."""
    s = TEXT.get(lang, TEXT["en"]).get(key) or TEXT["en"].get(key, key)
    return s.format(**kw) if kw else s


def segment_label(segment: str, lang: str) -> str:
    """'internal:sales' -> 'Staff · Sales' / '内部员工 · 销售'."""
    group, _, sub = segment.partition(":")
    head = t(lang, "staff") if group == "internal" else t(lang, "customers") if group == "customer" else group
    return f"{head} · {ROLES.get(lang, ROLES['en']).get(sub, sub)}" if sub else head


def fmt_date(d: date | datetime | None, lang: str) -> str:
    if d is None:
        return "–"
    if isinstance(d, datetime):
        d = d.date()
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def fmt_month(d: date, lang: str) -> str:
    return f"{d.month}月" if lang == "zh" else MONTHS_EN[d.month - 1]


def pct(x: float | None) -> str:
    """A share as whole percent, rounded half up (the same rounding as core.shares.Share.points)."""
    return "–" if x is None else f"{int(100 * x + 0.5)}%"


def share_text(share: Share, lang: str) -> str:
    """'60% (3 of 5)', with a dagger when the base is too small to be a finding; '–' for a share of nobody."""
    if not share.n:
        return "–"
    text = t(lang, "share", p=f"{share.points()}%", k=share.k, n=share.n)
    return text + " †" if share.indicative else text


def people(n: int, lang: str) -> str:
    """'1 person', '3 people'."""
    return t(lang, "person" if n == 1 else "people_n", n=n)


def signed(points: int) -> str:
    return f"{points:+d}"


def criterion_short(criterion: str, lang: str) -> str:
    return SHORT_CRITERIA.get(lang, SHORT_CRITERIA["en"]).get(criterion, criterion)


def kappa_band(k: float | None) -> str:
    """Landis and Koch's bands."""
    if k is None:
        return "k.undefined"
    if k < 0:
        return "k.poor"
    for limit, key in ((0.2, "k.slight"), (0.4, "k.fair"), (0.6, "k.moderate"), (0.8, "k.substantial")):
        if k <= limit:
            return key
    return "k.almost_perfect"
