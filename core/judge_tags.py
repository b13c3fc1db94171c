"""The shape of an answer as word classes: n-grams of its words' parts of speech, for the sense block (issue 13).

Each new writer declines, defers and puts off in words no training answer used ("这题我弃权", "到时候再说吧",
"pass on this one"), so words, n-grams and even thesaurus classes miss them; their *shape* recurs: a pronoun, a negated
verb and a modal particle ("我 不 评论 了" r d v ul), a bare verb-object with a particle ("看 单子 吧" v n y), a
time word and "再说" ("到时候 再说 吧" l c y). The parts of speech come from jieba's dictionary for Chinese (its
tags: n, v, d, r, y…) and, for English, from a closed list of function words (pronouns, auxiliaries, modals,
negations…) and WordNet's first part of speech for the rest (a verb after a pronoun, modal or "to"). The tags of an
answer's clauses, with its start, its end and each clause break, are cut into 1-3-grams; like the sense classes
(core.judge_senses) they are one block, each of n grams counting 1/sqrt(n), read by the gated sense block only.
Leaving one writer's file out (docs/probing.md), they raised the non-answers of writers never seen in both
languages; inside the class model they moved answers between surface and specific, as the sense classes did.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Protocol

from core.judge_senses import SENSE

TAGS = "t:"  # the sub-prefix of a tag gram inside the sense block ("k:t:zh:r_d_v")
_CLAUSE = re.compile(r"[.!?;,。！？；，、\n…~～]+")
_HAN = re.compile("^[\u4e00-\u9fff]")
_LATIN = re.compile("^[a-z]")
_SIZES = (1, 2, 3)

# English function words by class: the closed classes WordNet does not list.
_EN_CLOSED: dict[str, str] = {w: tag for tag, words in {
    "prp": "i me my mine myself we us our ours you your yours he him his she her they them their it its",
    "dem": "this that these those",
    "neg": "not no never nothing none nobody nope nah cannot dont cant wont didnt isnt wasnt doesnt havent couldnt "
           "wouldnt",
    "aux": "we'll i'll you'll they'll he'll she'll it'll be am is are was were been being do does did have has had "
           "i'm i've i'd it's that's there's we're we've they're you're he's she's what's",
    "md": "can could will would shall should may might must",
    "wh": "what who whom whose why how when where which",
    "dt": "the a an some any every each all both either neither another other",
    "in": "in on at to for of with from by about into over after before until since than as like without",
    "cc": "and but or so because if though although unless while",
    "uh": "yes yeah yep hmm um uh er erm lol ok okay well oh ah hey sorry thanks please",
    "rb": "just only really very too also still yet maybe probably perhaps even already",
}.items() for w in words.split()}
_VERB_AFTER = frozenset(("prp", "md", "aux", "neg", "to"))


class Lexicon(Protocol):
    """What is read of the words here (app.lexicon.Lexicon has it; not imported: no cycle in core)."""

    def words(self, text: str) -> Sequence[str]: ...

    def classes(self, word: str, lang: str) -> Sequence[str]: ...

    def zh_tag(self, word: str) -> str | None: ...


def _zh_tag(w: str, lex: Lexicon) -> str:
    tag = lex.zh_tag(w)
    if tag:
        return tag
    return "m" if w.isdigit() else "eng" if _LATIN.match(w) else "unk" if _HAN.match(w) else "sym"


def _en_tag(w: str, prev: str, lex: Lexicon) -> str:
    tag = _EN_CLOSED.get(w)
    if tag:
        return tag
    if w.endswith("n't"):
        return "neg"
    if w.isdigit():
        return "m"
    if _HAN.match(w):
        return "zh"
    # WordNet's parts of speech, most frequent first per word as its index lists them (noun, verb, adj, adv).
    pos = [c[2] for c in lex.classes(w, "en") if c.startswith("l:")]
    if "v" in pos and prev in _VERB_AFTER:
        return "v"
    return pos[0] if pos else "unk"


def tag_sequence(low: str, zh: bool, lex: Lexicon) -> list[str]:
    """The parts of speech of a cleaned, lower-cased answer's words in order, "|" at each clause break."""
    seq: list[str] = []
    for clause in _CLAUSE.split(low):
        if not clause.strip():
            continue
        if seq:
            seq.append("|")
        prev = ""
        for w in lex.words(clause):
            if zh:
                seq.append(_zh_tag(w, lex))
            else:
                tag = _en_tag(w, "to" if w == "to" else prev, lex)
                prev = "to" if w == "to" else tag
                seq.append(tag)
    return seq


def tag_grams(low: str, zh: bool, lex: Lexicon) -> set[str]:
    """The distinct 1-3-grams of the answer's tags with its start (^) and end ($), keyed by language ("t:zh:d_v")."""
    seq = ["^", *tag_sequence(low, zh, lex), "$"]
    head = f"{TAGS}{'zh' if zh else 'en'}:"
    return {head + "_".join(seq[i:i + n]) for n in _SIZES for i in range(len(seq) - n + 1)}


def tag_value(n: int) -> float:
    """Each of an answer's n distinct tag grams counts 1/sqrt(n), apart from its sense classes."""
    return 1.0 / math.sqrt(n) if n else 0.0


def tag_features(low: str, zh: bool, lex: Lexicon) -> dict[str, float]:
    """The tag grams as sense-block features, for training (the judge reads them from its own table: core.judge)."""
    gs = tag_grams(low, zh, lex)
    v = tag_value(len(gs))
    return {SENSE + g: v for g in gs}
