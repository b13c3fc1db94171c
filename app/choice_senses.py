"""The look-ups a typed reply to a closed question is read with when its words name no option (core.choice_senses): a
word's sense classes (Cilin, WordNet: app.word_senses) and a text's words (jieba for Chinese: app.lexicon).

Both are mappings that look a key up on first use and read the thesauri only then, so a reply matched by its words
never loads them, and `cna serve` does not read them at start."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence


class WordSenses(Mapping[str, Sequence[str]]):
    """A word → its sense classes as the judge reads them ('c5:Hi27A', 's:n945401', 'h:n407535'); () for a word
    neither thesaurus lists."""

    def __getitem__(self, word: str) -> Sequence[str]:
        from app.lexicon import lexicon

        return lexicon().classes(word, "")

    def __iter__(self) -> Iterator[str]:
        return iter(())  # looked up word by word, never listed

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return True  # a look-up that answers every key, never an empty table


class TextWords(Mapping[str, Sequence[str]]):
    """A text → its lower-cased words in reading order, Chinese runs segmented by jieba (app.lexicon)."""

    def __getitem__(self, text: str) -> Sequence[str]:
        from app.lexicon import lexicon

        return lexicon().words(text)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return True  # a look-up that answers every key, never an empty table


WORD_SENSES = WordSenses()
TEXT_WORDS = TextWords()
