"""Script validation: every kind of mistake is reported with file, line and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.script_parse import ScriptError, check_translations, parse_script

MINI = (Path(__file__).parent.parent / "fixtures" / "mini.en.yaml").read_text()


def problems(text: str, code_ids: set[str] | None = None) -> list[str]:
    with pytest.raises(ScriptError) as exc:
        parse_script(text, "s.yaml", code_ids)
    return [str(p) for p in exc.value.problems]


def test_mini_parses():
    s = parse_script(MINI, "mini.en.yaml", {"price"})
    assert s.id == "mini" and len(s.questions) == 8


def test_unknown_key_reports_line_and_hint():
    text = MINI.replace("    intent: segment check\n", "    intent: segment check\n    colour: red\n")
    out = problems(text)
    assert any(p.startswith("s.yaml:13:") and "colour" in p and "hint" in p for p in out), out


def test_duplicate_question_id():
    text = MINI.replace("id: why_left", "id: status")
    out = problems(text)
    assert any("duplicate question id 'status'" in p and p.startswith("s.yaml:") for p in out), out


def test_dangling_branch_target():
    text = MINI.replace("question: status, equals: past", "question: nowhere, equals: past")
    out = problems(text)
    assert any("'nowhere'" in p and "does not exist" in p for p in out), out


def test_branch_to_a_later_question():
    text = MINI.replace("question: sat, max: 3", "question: tools, max: 3")
    out = problems(text)
    assert any("comes later" in p for p in out), out


def test_branch_value_not_a_choice():
    text = MINI.replace("question: status, equals: past", "question: status, equals: gone")
    assert any("'gone' is not a choice" in p for p in problems(text))


def test_unknown_code_id():
    out = problems(MINI, code_ids={"speed"})
    assert any("unknown code id 'price'" in p and p.startswith("s.yaml:26:") for p in out), out


@pytest.mark.parametrize("tag", ["fr", "english", "zh-TW"])
def test_bad_language_tag(tag):
    out = problems(MINI.replace("lang: en", f"lang: {tag}"))
    assert out[0].startswith("s.yaml:2:") and "language" in out[0]


def test_zh_hans_tag_accepted():
    assert parse_script(MINI.replace("lang: en", "lang: zh-Hans"), "s.yaml").lang == "zh"


def test_invalid_yaml_reports_line():
    out = problems(MINI.replace("  - id: need", "  - id: need\n   bad: [indent"))
    assert "not valid YAML" in out[0] and out[0].startswith("s.yaml:")


def test_choice_question_without_choices():
    text = MINI.replace("kind: multi", "kind: open")
    assert any("takes no choices" in p for p in problems(text))


def test_branch_on_anonymous_question_rejected():
    text = MINI.replace("question: sat, max: 3", "question: secret, answered: true")
    text = text.replace("  - id: low_sat", "  - id: low_sat_placeholder\n    kind: open\n    text: x\n    intent: y\n"
                        "  - id: low_sat", 1)
    # move low_sat after secret so the reference is to an earlier question
    lines = text
    out = problems(lines)
    assert any("anonymous" in p or "comes later" in p for p in out)


def test_translations_must_share_ids():
    en = parse_script(MINI, "mini.en.yaml")
    zh = parse_script(MINI.replace("lang: en", "lang: zh").replace("id: more", "id: again"), "mini.zh.yaml")
    out = check_translations([("mini.en.yaml", en), ("mini.zh.yaml", zh)])
    assert out and "missing more" in str(out[0]) and "extra again" in str(out[0])


def test_yaml_yes_label_gets_quote_hint():
    text = MINI.replace('label: "Yes, still a customer"', "label: yes")
    out = problems(text)
    assert any("quotes" in p for p in out), out


def test_translation_that_drops_anonymity_is_an_error():
    en = parse_script(MINI, "mini.en.yaml")
    zh = parse_script(MINI.replace("lang: en", "lang: zh").replace("sensitivity: {anonymous: true}", ""),
                      "mini.zh.yaml")
    out = [str(p) for p in check_translations([("mini.en.yaml", en), ("mini.zh.yaml", zh)])]
    assert any("'secret': sensitivity differs" in p for p in out), out


def test_condition_kinds_are_checked():
    out = problems(MINI.replace("question: status, equals: past", "question: status, min: 2"))
    assert any("not a scale" in p for p in out), out
    out = problems(MINI.replace("question: sat, max: 3", "question: sat, min: 7"))
    assert any("can never hold" in p for p in out), out


def test_unknown_department_is_an_error():
    out = problems(MINI.replace("sensitivity: {anonymous: true}", "sensitivity: {department: fiance}"))
    assert any("unknown department 'fiance'" in p for p in out), out
