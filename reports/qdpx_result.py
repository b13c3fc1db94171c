"""What a REFI-QDA import did (or, in a dry run, would do), per source and in total, in words a researcher reads."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Why a coding in the file did not land on an answer (the keys of `skipped`).
WHOLE_SOURCE = "codings of a whole source (code a passage instead)"
NO_SOURCE = "codings in sources that match no cna transcript"
OUTSIDE = "codings on text outside any answer (a header, question or probe)"
DIFFERS = "codings on text that is not in cna's transcript (edited in the tool, or an answer you may not read)"
NO_CODE = "codings whose code is not in the file's codebook"
NO_TEXT = "codings in sources whose text is not in the file"
AUTO_GONE = "automatic proposals that are not proposals here (never turned into human codings)"
BAD_OFFSETS = "codings on a selection with unusable offsets"
LISTED = 12  # new codings listed one by one up to this many


@dataclass
class SourceReport:
    """One TextSource of the file: which cna transcript it is (if any) and what became of its codings."""

    name: str
    transcript: str | None = None  # the cna transcript's name
    how: str | None = None  # GUID | same text | paragraphs
    codings: int = 0
    mapped: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        where = f"→ {self.transcript} ({self.how})" if self.transcript else "→ no cna transcript has this text"
        skipped = "; ".join(f"{n} {why}" for why, n in sorted(self.skipped.items()))
        return f"  {self.name} {where}: {self.codings} codings, {self.mapped} mapped" + (
            f", skipped {skipped}" if skipped else "")


@dataclass
class NewCoding:
    answer_id: int
    code_id: str
    coder: str
    span: tuple[int, int] | None  # None: the whole answer


@dataclass
class ImportResult:
    origin: str = ""  # the tool that wrote the file
    codings: int = 0  # codings in the file's text sources
    mapped: int = 0  # of them, those that landed on at least one answer
    unchanged: int = 0  # codings the database already has
    created: int = 0  # new human codings
    reapplied: int = 0  # human 'rejected' codings turned into 'applied' (only when asked for)
    rejections_kept: int = 0  # a person's codings on a code a person rejected on that answer: it stays rejected
    proposals_rejected: int = 0  # the automatic coder's codings on a code a person rejected: never reapplied
    proposals_kept: int = 0  # codings by the automatic coder that are still proposals here: they stay proposals
    restored: int = 0  # a person's rejections restored from our selection descriptions
    themes: list[str] = field(default_factory=list)  # codes created in the other tool, now themes
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> count
    missing: int = 0  # human codings of the matched transcripts that the file does not have (left unchanged)
    new: list[NewCoding] = field(default_factory=list)
    sources: list[SourceReport] = field(default_factory=list)

    @property
    def nothing_mapped(self) -> bool:
        """The file held codings and not one of them landed on an answer: a mismatch, not an empty import."""
        return self.codings > 0 and self.mapped == 0

    def _sources_line(self) -> str:
        ways = Counter(s.how for s in self.sources if s.transcript)
        matched = sum(ways.values())
        how = ", ".join(f"{n} by {w}" for w, n in sorted(ways.items()))
        line = f"Sources: {matched} of {len(self.sources)} matched to cna transcripts" + (f" ({how})" if how else "")
        unmatched = [s.name for s in self.sources if not s.transcript]
        if unmatched:
            line += "; no match for " + ", ".join(f"'{n}'" for n in unmatched)
        return line + "."

    def summary(self, per_source: bool = False) -> str:
        by_coder = Counter(n.coder for n in self.new)
        who = f" ({', '.join(f'{c} {n}' for c, n in sorted(by_coder.items()))})" if by_coder else ""
        passages = sum(1 for n in self.new if n.span)
        parts = [f"{self.created} new human codings{who}" + (f", {passages} of them on part of an answer"
                                                            if passages else ""),
                 f"{self.unchanged} codings already here"]
        if self.restored:
            parts.append(f"{self.restored} rejections restored")
        parts.append(f"{len(self.themes)} new themes" + (f" ({', '.join(self.themes)})" if self.themes else ""))
        lines = [f"Imported{' from ' + self.origin if self.origin else ''}: {self.codings} codings in the file; "
                 + ", ".join(parts) + "."]
        lines += [f"  + answer #{n.answer_id} {n.code_id} by {n.coder}"
                  + (f", characters {n.span[0]}-{n.span[1]}" if n.span else "") for n in self.new[:LISTED]]
        if len(self.new) > LISTED:
            lines.append(f"  ... and {len(self.new) - LISTED} more")
        if self.reapplied:
            lines.append(f"Rejections overturned: {self.reapplied} codings a person had rejected are applied now.")
        kept = []
        if self.rejections_kept:
            kept.append(f"{self.rejections_kept} codings by people in the file are on codes rejected here and "
                        "stay rejected (--reapply-rejected applies them)")
        if self.proposals_rejected:
            kept.append(f"{self.proposals_rejected} automatic proposals in the file are on codes a person rejected "
                        "here; the rejections stand")
        if not self.reapplied:
            lines.append("No rejection overturned" + (": " + "; ".join(kept) if kept else "") + ".")
        elif kept:
            lines.append("Kept: " + "; ".join(kept) + ".")
        lines.append("No automatic proposal became a human coding" + (
            f": {self.proposals_kept} came back under the automatic coder and stay proposals."
            if self.proposals_kept else "."))
        if self.sources:
            lines.append(self._sources_line())
        if per_source:
            lines += [s.line() for s in self.sources]
        if self.skipped:
            lines.append("Skipped: " + "; ".join(f"{n} {why}" for why, n in sorted(self.skipped.items())) + ".")
        if self.missing:
            lines.append(f"{self.missing} human codings in cna are not in this file; they were left as they are "
                         "(remove them in the review app if that was meant).")
        if self.nothing_mapped:
            lines.append("None of the file's codings landed on an answer: is it a project exported by cna (or made "
                         "from one), for this database and round?")
        return "\n".join(lines)
