"""Which cna transcript a QDA tool's text source is: by GUID, by the same text, else by equal paragraphs."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from reports.qda_text import Alignment, Normalised, align, paragraphs
from reports.transcript import Transcript

# A source matched by paragraphs must have at least this share of its text in the transcript, so a short
# paragraph that many transcripts share (a question with "Everywhere.") never decides alone.
MIN_SHARE = 0.5


@dataclass
class Match:
    transcript: Transcript
    ours: Normalised  # the transcript's text, normalised as the tool's is
    alignment: Alignment
    how: str  # GUID | same text | paragraphs

    def place(self, theirs: str, start: int, end: int) -> tuple[int, int] | None:
        """[start, end) of the tool's normalised text as a range of our transcript's text."""
        placed = self.alignment.place(start, end, theirs, self.ours.text)
        if placed is None:
            return None
        return self.ours.to_raw(placed[0]), self.ours.to_raw(placed[1], end=True)


class Matcher:
    """The reviewer's transcripts, indexed by GUID, whole text and paragraph."""

    def __init__(self, transcripts: list[Transcript]) -> None:
        self.transcripts = {t.guid: t for t in transcripts}
        self.norm = {t.guid: Normalised(t.text) for t in transcripts}
        self.by_text: dict[str, list[str]] = defaultdict(list)
        self.by_paragraph: dict[str, set[str]] = defaultdict(set)
        for g, n in self.norm.items():
            self.by_text[n.text].append(g)
            for s, e in paragraphs(n.text):
                self.by_paragraph[n.text[s:e]].add(g)

    def _match(self, g: str, how: str, text: str) -> Match:
        return Match(self.transcripts[g], self.norm[g], align(text, self.norm[g].text), how)

    def match(self, source_guid: str, name: str, text: str) -> Match | None:
        """The transcript this source is, or None. `text` is the source's normalised text."""
        if source_guid in self.transcripts:
            m = self._match(source_guid, "GUID", text)
            if m.alignment.matched:
                return m
        same = self.by_text.get(text, [])
        if same:
            named = [g for g in same if self.transcripts[g].name == name]
            return self._match((named or same)[0], "same text", text)
        score: dict[str, int] = defaultdict(int)
        for s, e in paragraphs(text):
            for g in self.by_paragraph.get(text[s:e], ()):
                score[g] += e - s
        if not score:
            return None
        best = max(score.values())
        if best < MIN_SHARE * len(text.strip()):
            return None
        tied = [g for g, n in score.items() if n == best]
        if len(tied) > 1:  # the same ladders: the header (who, which round) or the name tells them apart
            named = [g for g in tied if self.transcripts[g].name == name]
            if len(named) == 1:
                return self._match(named[0], "paragraphs", text)
            head = text.split("\n", 1)[0]
            ratios = sorted(((difflib.SequenceMatcher(None, head, self.norm[g].text.split("\n", 1)[0]).ratio(), g)
                             for g in tied), reverse=True)
            if ratios[0][0] == ratios[1][0]:
                return None
            tied = [ratios[0][1]]
        return self._match(tied[0], "paragraphs", text)
