"""Codebook parsing and validation (with line numbers), hierarchy helpers, and coder v1 behaviour."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from core.coding import Code, Codebook, CodeHit, Coder, _prefixes, parse_codebook
from core.script_parse import ScriptError

ROOT = Path(__file__).resolve().parents[2]

SMALL = """\
version: 1
codes:
  - id: value
    label: {en: Customer value, zh: 客户价值}
    description: {en: What customers value., zh: 客户看重的东西。}
  - id: price
    parent: value
    colour: "#b1254f"
    label: {en: Price, zh: 价格}
    description: {en: Price and cost., zh: 价格与成本。}
    cues:
      en: ['pric(e|es|ing)', 'costs?', 'cheap(er)?', 'discounts?', 'total cost of ownership', 'fee']
      zh: [价格, 便宜, 折扣, 贵]
  - id: speed
    parent: value
    label: {en: Speed, zh: 速度}
    description: {en: How fast., zh: 快慢。}
    cues:
      en: ['fast(er)?', 'slow(ly)?', 'wait(ing)?']
      zh: [速度, 太慢, 等了]
  - id: budget-cycle
    parent: price
    label: {en: Budget cycle, zh: 预算周期}
    description: {en: Fixed budgets per period., zh: 按期固定的预算。}
    cues:
      en: ['budget(s)?']
      zh: [预算]
"""


def problems(text: str) -> list[tuple[int, str]]:
    with pytest.raises(ScriptError) as exc:
        parse_codebook(text, "book.yaml")
    assert all(p.file == "book.yaml" for p in exc.value.problems)
    return [(p.line, p.message) for p in exc.value.problems]


@pytest.fixture(scope="module")
def small() -> Codebook:
    return parse_codebook(SMALL, "small.yaml")


@pytest.fixture(scope="module")
def coder(small: Codebook) -> Coder:
    return Coder(small)


# ------------------------------------------------------------------------------------------ parsing


def test_hierarchy_helpers(small: Codebook) -> None:
    assert small.ids() == ("value", "price", "speed", "budget-cycle")
    assert [c.id for c in small.roots()] == ["value"]
    assert [c.id for c in small.children("value")] == ["price", "speed"]
    assert [c.id for c in small.children("speed")] == []
    assert [c.id for c in small.ancestors("budget-cycle")] == ["price", "value"]
    assert small.ancestors("value") == ()
    assert small.get("price").label.get("zh") == "价格"
    assert small.get("price").colour == "#b1254f"
    assert "speed" in small and "nope" not in small
    with pytest.raises(KeyError, match="nope"):
        small.get("nope")
    with pytest.raises(KeyError):
        small.children("nope")


def test_unknown_key_points_at_its_line() -> None:
    text = SMALL.replace('    colour: "#b1254f"\n', '    colour: "#b1254f"\n    weight: 3\n')
    [(line, message)] = problems(text)
    assert line == 9 and "weight" in message and "price" in message


def test_duplicate_id_reported_at_the_second() -> None:
    text = SMALL.replace("  - id: speed\n", "  - id: price\n")
    found = problems(text)
    assert (14, "duplicate code id 'price'") in found


def test_unknown_parent() -> None:
    [(line, message)] = problems(SMALL.replace("parent: price", "parent: pricing"))
    assert line == 22 and "'pricing' does not exist" in message


def test_cycle_reported_once_with_its_path() -> None:
    text = SMALL.replace("  - id: value\n", "  - id: value\n    parent: budget-cycle\n")
    found = problems(text)
    assert len(found) == 1
    line, message = found[0]
    assert line == 4 and "value -> budget-cycle -> price -> value" in message


def test_self_parent_is_a_cycle() -> None:
    [(_, message)] = problems(
        SMALL.replace("    parent: value\n    label: {en: Speed", "    parent: speed\n    label: {en: Speed")
    )
    assert "speed -> speed" in message


def test_invalid_regex_points_at_the_cue() -> None:
    text = SMALL.replace(
        "      en: ['fast(er)?', 'slow(ly)?', 'wait(ing)?']",
        "      en:\n        - 'fast(er)?'\n        - 'slow(ly'\n        - 'wait(ing)?'",
    )
    [(line, message)] = problems(text)
    assert line == 21 and "not a valid regular expression" in message and "slow(ly" in message


def test_cue_matching_empty_text_is_rejected() -> None:
    [(line, message)] = problems(SMALL.replace("'budget(s)?'", "'(budget)?'"))
    assert line == 26 and "empty text" in message


def test_zh_cue_with_word_boundary_is_rejected() -> None:
    [(line, message)] = problems(SMALL.replace("zh: [预算]", "zh: ['\\b预算']"))
    assert line == 27 and "\\b" in message


def test_missing_chinese_label() -> None:
    [(line, message)] = problems(SMALL.replace("label: {en: Speed, zh: 速度}", "label: {en: Speed}"))
    assert line == 16 and "label.zh" in message and "speed" in message


def test_blank_label_and_bad_colour() -> None:
    text = SMALL.replace("zh: 速度}", "zh: ' '}").replace('"#b1254f"', "red")
    found = problems(text)
    assert {line for line, _ in found} == {8, 16}


def test_every_problem_is_reported_together() -> None:
    text = SMALL.replace("parent: price", "parent: pricing").replace("'slow(ly)?'", "'slow(ly'")
    assert len(problems(text)) == 2


def test_duplicate_yaml_key() -> None:
    text = SMALL.replace("    label: {en: Budget cycle", "    cues: {en: [x]}\n    label: {en: Budget cycle")
    [(line, message)] = problems(text)
    assert line == 26 and "'cues' appears twice" in message


def test_not_yaml_and_not_a_mapping() -> None:
    [(line, message)] = problems("codes:\n  - id: [unclosed\n")
    assert line == 3 and "not valid YAML" in message
    [(line, message)] = problems("- just\n- a list\n")
    assert line == 1 and "mapping" in message
    assert problems("version: 1\ncodes: []\n")[0][0] == 2


def test_codebook_built_in_code_is_validated_too() -> None:
    label = {"en": "A", "zh": "甲"}
    a = Code(id="a", parent="b", label=label, description=label)
    b = Code(id="b", parent="a", label=label, description=label)
    with pytest.raises(ValidationError, match="own ancestor"):
        Codebook(codes=(a, b))


# ------------------------------------------------------------------------------------------ coder


def ids(hits: list[CodeHit]) -> list[str]:
    return [h.code_id for h in hits]


def test_english_hit_carries_cue_confidence_and_rule(coder: Coder) -> None:
    [hit] = coder.code("Your Prices went up again.", "en")
    assert hit == CodeHit("price", "Prices", hit.confidence, "en:pric(e|es|ing)")
    assert 0 < hit.confidence < 1


def test_chinese_hit(coder: Coder) -> None:
    assert ids(coder.code("价格还可以，但是交货太慢了。", "zh")) == ["price", "speed"]


def test_language_detection(coder: Coder) -> None:
    assert ids(coder.code("折扣太少了")) == ["price"]
    assert ids(coder.code("折扣太少了", "auto")) == ["price"]
    assert ids(coder.code("折扣太少了", "zh-Hans")) == ["price"]
    assert ids(coder.code("我们的 Excel 表格里记着折扣")) == ["price"]  # Latin words in a Chinese answer
    assert ids(coder.code("The discount from 王经理 was fine")) == ["price"]
    with pytest.raises(ValueError, match="unknown language"):
        coder.code("price", "fr")


def test_whole_words_in_english(coder: Coder) -> None:
    assert coder.code("The costume party was fun", "en") == []
    assert ids(coder.code("costs rose", "en")) == ["price"]


@pytest.mark.parametrize(
    "text",
    [
        "For us it's not about price at all.",
        "It is not really about the price.",
        "Price isn't the issue.",
        "The price was never a problem.",
        "Cost doesn't matter much to us.",
        "This has nothing to do with discounts.",
    ],
)
def test_denied_topic_is_dropped_in_english(coder: Coder, text: str) -> None:
    assert coder.code(text, "en") == []


@pytest.mark.parametrize(
    "text", ["根本不是价格问题。", "不是因为价格。", "价格倒无所谓。", "折扣不是重点", "跟价格没关系"]
)
def test_denied_topic_is_dropped_in_chinese(coder: Coder, text: str) -> None:
    assert coder.code(text, "zh") == []


def test_denial_covers_only_its_clause(coder: Coder) -> None:
    assert ids(coder.code("It's not about price, it's about how slowly you reply.", "en")) == ["speed"]
    assert ids(coder.code("不是价格问题，是你们太慢。", "zh")) == ["speed"]


@pytest.mark.parametrize(("text", "lang"), [("It is not cheap.", "en"), ("不是很便宜", "zh"), ("不够便宜", "zh")])
def test_negative_opinion_is_still_the_topic(coder: Coder, text: str, lang: str) -> None:
    assert ids(coder.code(text, lang)) == ["price"]


def test_one_hit_per_code_and_more_cues_mean_more_confidence(coder: Coder) -> None:
    one = coder.code("The price is high.", "en")
    three = coder.code("The price is high, the discount small and everything costs extra.", "en")
    assert ids(three) == ["price"]
    assert three[0].confidence > one[0].confidence
    same_cue_twice = coder.code("price, price, price", "en")
    assert same_cue_twice[0].confidence == one[0].confidence


def test_short_cues_are_less_certain(coder: Coder) -> None:
    [short] = coder.code("There is a fee.", "en")
    [long] = coder.code("Look at the total cost of ownership.", "en")
    assert short.confidence < long.confidence
    assert long.cue == "total cost of ownership"  # the longest cue wins over 'cost' inside it
    [one_char] = coder.code("太贵", "zh")
    [two_chars] = coder.code("价格高", "zh")
    assert one_char.confidence < two_chars.confidence


def test_sorted_by_confidence_then_id(coder: Coder) -> None:
    hits = coder.code("Prices and discounts matter, and being fast, and budgets.", "en")
    assert ids(hits) == ["price", "budget-cycle", "speed"]
    assert [h.confidence for h in hits] == sorted((h.confidence for h in hits), reverse=True)
    tied = coder.code("slow budgets", "en")
    assert tied[0].confidence == tied[1].confidence and ids(tied) == ["budget-cycle", "speed"]


def test_any_level_with_cues_but_never_a_group_without(coder: Coder) -> None:
    assert ids(coder.code("our budget", "en")) == ["budget-cycle"]
    assert "value" not in ids(coder.code("price speed budget value", "en"))


def test_deterministic(small: Codebook) -> None:
    text = "Cheaper, faster, and the budget is fixed; not about discounts."
    first = Coder(small).code(text)
    assert all(Coder(small).code(text) == first for _ in range(3))


def test_min_confidence_filters(small: Codebook) -> None:
    assert Coder(small, min_confidence=0.5).code("There is a fee.", "en") == []


def test_empty_and_huge_answers(coder: Coder) -> None:
    assert coder.code("", "en") == [] and coder.code("   ", None) == []
    huge = ("We keep waiting for weeks. " * 2000)[:40_000]
    assert ids(coder.code(huge)) == ["speed"]


# ------------------------------------------------------------------------------------------ prefix index


@pytest.mark.parametrize(
    ("pattern", "k", "expected"),
    [
        ("pric(e|es)", 3, {"pri"}),
        ("(a|bc)d", 3, {"ad", "bcd"}),
        ("(unit|day) rates?", 3, {"uni", "day"}),
        ("(?<!on the )(smart)?phones?", 3, {"sma", "pho"}),
        ("ui", 3, {"ui"}),
        ("[cs]ost", 3, {"cos", "sos"}),
        ("(?<![宝珍])贵(?!公司)", 2, {"贵"}),
        ("服务(?!合同)", 2, {"服务"}),
        ("expens\\w*", 3, {"exp"}),
        ("x\\w", 3, {"x"}),
        ("\\d+ dollars", 3, None),
        ("(cost)?", 3, None),
        ("a{2,3}b", 3, {"aab", "aaa"}),
    ],
)
def test_prefixes(pattern: str, k: int, expected: set[str] | None) -> None:
    assert _prefixes(pattern, k) == (None if expected is None else frozenset(expected))


def test_prefix_index_finds_exactly_what_a_full_scan_finds() -> None:
    """The index is only a shortcut: every cue must match at the same places as trying it everywhere."""
    codebook = parse_codebook((ROOT / "interview_scripts" / "codebook.yaml").read_text(encoding="utf-8"))
    coder = Coder(codebook)
    for lang in ("en", "zh"):
        rows = (ROOT / "tests" / "data" / f"codebook_eval.{lang}.jsonl").read_text("utf-8").splitlines()
        texts = [json.loads(row)["text"].lower() for row in rows]
        texts += ["$120 per seat, 3 dollars, 24/7 portal", "SLA 4-hour response, ERP, 360° view"]
        cues = coder._langs[lang]
        for text in texts:
            indexed = {(n, m.start(), m.end()) for n, m in cues.matches(text)}
            scanned = {
                (n, m.start(), m.end())
                for n, cue in enumerate(cues.cues)
                for i in range(len(text) + 1)
                if (m := cue.regex.match(text, i))
            }
            assert indexed == scanned, text


def test_no_cue_in_the_shipped_codebook_needs_a_full_scan_except_numbers() -> None:
    codebook = parse_codebook((ROOT / "interview_scripts" / "codebook.yaml").read_text(encoding="utf-8"))
    coder = Coder(codebook)
    for lang in ("en", "zh"):
        slow = [coder._langs[lang].cues[n].pattern for n in coder._langs[lang].always]
        assert all(re.search(r"\\d|\[\$", p) for p in slow), slow
