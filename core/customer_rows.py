"""A customer list as a table: which column holds which field, and each row checked into a customer record,
with every bad value named by row and column."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

FIELDS = ("key", "organisation", "contact", "slack", "email", "segment")
REQUIRED = ("key", "segment")
SEGMENTS = ("current", "past", "prospective")
# Header names CRM exports use for each field (compared case- and space-insensitively), English, Chinese, German.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "key": ("key", "customer key", "customer id", "customer_id", "id", "account id", "crm id", "customer no",
            "customer number", "客户编号", "客户id", "客户代码", "编号", "kundennummer"),
    "organisation": ("organisation", "organization", "company", "account", "account name", "customer",
                     "customer name", "公司", "公司名称", "客户名称", "单位", "firma"),
    "contact": ("contact", "contact name", "name", "person", "联系人", "联系人姓名", "姓名", "ansprechpartner"),
    "slack": ("slack", "slack id", "slack user", "slack user id", "slack channel", "slack connect"),
    "email": ("email", "e-mail", "mail", "email address", "邮箱", "电子邮件", "电子邮箱"),
    "segment": ("segment", "customer type", "type", "status", "客户类型", "类型", "客户状态", "kundentyp"),
}
SEGMENT_WORDS: dict[str, tuple[str, ...]] = {
    "current": ("current", "active", "existing", "customer", "client", "现有", "现有客户", "当前", "当前客户",
                "在用", "活跃", "aktiv", "bestandskunde"),
    "past": ("past", "former", "lost", "churned", "inactive", "ex-customer", "以前", "过去", "流失", "流失客户",
             "前客户", "老客户", "ehemalig"),
    "prospective": ("prospective", "prospect", "lead", "potential", "潜在", "潜在客户", "意向客户", "interessent"),
}
SLACK_USER = re.compile(r"^(?:<@)?([UW][A-Z0-9]{2,})(?:\|[^>]*)?>?$")
SLACK_CHANNEL = re.compile(r"^(?:<#)?([CG][A-Z0-9]{2,})(?:\|[^>]*)?>?$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_LEN = {"key": 200, "organisation": 200, "contact": 200, "email": 320}


class MappingError(ValueError):
    """A column mapping that does not fit the file, with the columns it has."""


def norm(name: str) -> str:
    return " ".join(name.replace("_", " ").replace("\ufeff", "").split()).casefold()


def attribute_name(header: str) -> str:
    """A header as an attribute name for --by: 'Revenue band' -> 'revenue_band' (Chinese stays as written)."""
    return "_".join(norm(header).replace("-", " ").replace("/", " ").split())


def parse_pairs(text: str | None, what: str) -> dict[str, str]:
    """'segment=Kundentyp,region=Gebiet' -> {'segment': 'Kundentyp', 'region': 'Gebiet'}."""
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, eq, value = part.partition("=")
        if not eq or not name.strip() or not value.strip():
            raise MappingError(f"{what} {part.strip()!r} is not NAME=VALUE; write e.g. segment=Kundentyp")
        out[name.strip().casefold()] = value.strip()
    return out


def _find(headers: Sequence[str], wanted: str) -> int | None:
    """The column whose header is `wanted`, or whose last part is (merged headers read 'Contact / Email')."""
    w = norm(wanted)
    for i, h in enumerate(headers):
        if norm(h) == w:
            return i
    for i, h in enumerate(headers):
        if norm(h.rsplit("/", 1)[-1]) == w:
            return i
    if w.isdigit() and 1 <= int(w) <= len(headers):
        return int(w) - 1  # a column number, for files without usable headers
    return None


@dataclass
class ColumnMap:
    """Field or attribute name -> column index."""

    fields: dict[str, int]
    attributes: dict[str, int]

    def missing(self) -> list[str]:
        return [f for f in REQUIRED if f not in self.fields]


def map_columns(headers: Sequence[str], explicit: Mapping[str, str]) -> ColumnMap:
    """Explicit pairs first (a name that is not a field is a stratification attribute), then each field by its
    usual header names; every other non-empty column becomes an attribute under its own header."""
    fields: dict[str, int] = {}
    attributes: dict[str, int] = {}
    shown = ", ".join(repr(h) for h in headers if h)
    for name, column in explicit.items():
        i = _find(headers, column)
        if i is None:
            raise MappingError(f"--map {name}={column}: the file has no column {column!r}; its columns are {shown}")
        target = fields if name in FIELDS else attributes
        target[name if name in FIELDS else attribute_name(name)] = i
    used = set(fields.values()) | set(attributes.values())
    for f in FIELDS:
        if f in fields:
            continue
        for syn in SYNONYMS[f]:
            i = _find(headers, syn)
            if i is not None and i not in used:
                fields[f] = i
                used.add(i)
                break
    for i, h in enumerate(headers):
        if i not in used and h.strip():
            attributes.setdefault(attribute_name(h), i)
    return ColumnMap(fields, attributes)


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}: {self.message}"


@dataclass
class CustomerRecord:
    key: str
    segment: str
    row: int
    organisation: str | None = None
    contact: str | None = None
    slack_user: str | None = None
    slack_channel: str | None = None
    email: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)

    def same_as(self, other: CustomerRecord) -> bool:
        return (self.segment, self.organisation, self.contact, self.slack_user, self.slack_channel, self.email,
                self.attributes) == (other.segment, other.organisation, other.contact, other.slack_user,
                                     other.slack_channel, other.email, other.attributes)


@dataclass
class Checked:
    records: list[CustomerRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # notes on repeated keys (the first row is kept)
    blank_rows: int = 0


def segment_of(value: str, extra: Mapping[str, str]) -> str | None:
    v = norm(value)
    for word, seg in extra.items():
        if norm(word) == v:
            return seg
    for seg, words in SEGMENT_WORDS.items():
        if v in (norm(w) for w in words):
            return seg
    return None


def check_rows(headers: Sequence[str], rows: Sequence[tuple[int, Sequence[str]]], cmap: ColumnMap,
               segment_values: Mapping[str, str] | None = None) -> Checked:
    """Each row (with its number in the file) into a record; problems name row and column and say how to fix."""
    extra = {k: v.casefold() for k, v in (segment_values or {}).items()}
    for word, named in extra.items():
        if named not in SEGMENTS:
            raise MappingError(f"--segment-values {word}={named}: the segment must be one of {', '.join(SEGMENTS)}")
    out = Checked()
    seen: dict[str, CustomerRecord] = {}
    for number, cells in rows:
        def cell(i: int | None, cells: Sequence[str] = cells) -> str:
            return cells[i].strip() if i is not None and i < len(cells) and cells[i] is not None else ""

        if not any(str(c or "").strip() for c in cells):
            out.blank_rows += 1
            continue
        col = {f: headers[i] or f"#{i + 1}" for f, i in cmap.fields.items()}
        before = len(out.problems)
        key = cell(cmap.fields.get("key"))
        if not key:
            out.problems.append(Problem(number, col["key"], "the customer key is empty; every customer needs one"))
        raw_seg = cell(cmap.fields.get("segment"))
        seg = segment_of(raw_seg, extra) if raw_seg else None
        if not raw_seg:
            out.problems.append(Problem(number, col["segment"], "the segment is empty; write current, past or "
                                                                "prospective"))
        elif seg is None:
            out.problems.append(Problem(number, col["segment"], f"segment {raw_seg!r} is not current, past or "
                                        f"prospective; fix the file or map it: --segment-values "
                                        f"'{raw_seg}=current'"))
        rec = CustomerRecord(key=key, segment=seg or "", row=number,
                             organisation=cell(cmap.fields.get("organisation")) or None,
                             contact=cell(cmap.fields.get("contact")) or None,
                             email=cell(cmap.fields.get("email")) or None)
        for f in ("key", "organisation", "contact", "email"):
            value = getattr(rec, f)
            if value and len(value) > MAX_LEN[f]:
                out.problems.append(Problem(number, col[f], f"{len(value)} characters, more than {MAX_LEN[f]}"))
        if rec.email and not EMAIL.match(rec.email):
            out.problems.append(Problem(number, col["email"], f"{rec.email!r} is not an e-mail address "
                                                              "(name@example.com); correct it or leave it empty"))
        slack = cell(cmap.fields.get("slack"))
        if slack:
            if m := SLACK_USER.match(slack):
                rec.slack_user = m.group(1)
            elif m := SLACK_CHANNEL.match(slack):
                rec.slack_channel = m.group(1)
            else:
                out.problems.append(Problem(number, col["slack"], f"{slack!r} is not a Slack user id (U…) or a "
                                            "Slack Connect channel id (C…); copy it from the profile or leave it "
                                            "empty"))
        rec.attributes = {name: cell(i) for name, i in cmap.attributes.items()}
        if len(out.problems) > before:
            continue
        first = seen.get(key.casefold())
        if first is not None:
            how = "the same values" if first.same_as(rec) else "different values"
            out.duplicates.append(f"row {number} repeats key {key!r} of row {first.row} with {how}; row "
                                  f"{first.row} is kept")
            continue
        seen[key.casefold()] = rec
        out.records.append(rec)
    return out
