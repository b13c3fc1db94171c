"""The rule-based prober: surface cues, non-answers, specific answers, ladders and rule-file validation."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from core.probe_types import ProbeDecision
from core.probing import EXHAUSTED, SURFACE_FAMILIES, RuleProber, parse_rules
from core.script import PROBE_FAMILIES
from core.script_parse import ScriptError
from interview_scripts import probe_rules_path

TEXTS = {lang: probe_rules_path(lang).read_text(encoding="utf-8") for lang in ("en", "zh")}
RULES = {lang: parse_rules(text, f"probes.{lang}.yaml", lang) for lang, text in TEXTS.items()}
PROBER = RuleProber(RULES)


def template_of(key: str) -> str:
    """The raw template behind a probe key such as 'en.price.contrast.1'."""
    lang, situation, family, n = key.split(".")
    spec = RULES[lang]["surface"][situation] if situation in SURFACE_FAMILIES else RULES[lang][situation]
    template: str = spec["probes"][family][int(n) - 1]
    return template


def assert_probe(d: ProbeDecision, reason: str) -> None:
    assert d.reason == reason, d
    assert d.fires and d.probe and d.key and d.family in PROBE_FAMILIES, d
    assert d.probe.strip() == d.probe and "{" not in d.probe, d
    if "{cue}" in template_of(d.key):
        assert d.cue and d.cue in d.probe, d


# ---------------------------------------------------------------- surface cues

SURFACE = {
    ("en", "price"): ["Lower price.", "Cheaper", "Better pricing", "The price is too high", "Too expensive",
                      "Lower costs", "A better deal", "Affordable",
                      "I would like the price to be a bit lower"],
    ("en", "speed"): ["Faster", "Quicker", "Speed", "It's too slow", "Quick response", "Save time",
                      "Real-time updates", "More efficient", "It should be faster and easier"],
    ("en", "quality"): ["Better quality", "Quality", "More reliable", "Stable system", "Fewer bugs",
                        "Accurate data", "Better security"],
    ("en", "service"): ["Better service", "Good support", "Friendlier staff", "Customer service",
                        "A dedicated account manager", "Someone to call", "Faster support",
                        "We just want better service from you guys"],
    ("en", "ease"): ["Easier to use", "Simple", "More intuitive", "User-friendly", "Less complicated",
                     "Fewer clicks", "Everything in one place", "Honestly the system should be simpler"],
    ("en", "feature"): ["We need a mobile app", "A mobile app", "Dashboards", "We want better reports",
                       "It would be nice to have a dashboard", "We could use better reports",
                        "Integration with Outlook", "I'd like an API", "Automation", "We need a chatbot"],
    ("en", "more"): ["More features", "More options", "More flexibility", "Better visibility",
                     "More information", "Extra fields", "More control", "Customizable"],
    ("zh", "price"): ["价格再低一点", "便宜一点", "价格合理一些", "性价比高", "太贵了", "费用低一点",
                      "降价", "价格"],
    ("zh", "speed"): ["更快", "快一点", "速度快", "效率高一点", "太慢了", "节省时间", "实时同步"],
    ("zh", "quality"): ["质量好", "稳定", "准确一点", "少出错", "数据安全", "质量要可靠"],
    ("zh", "service"): ["服务好一点", "客服", "售后好一点", "服务态度好", "专人对接", "技术支持及时一点",
                        "更好的服务"],
    ("zh", "ease"): ["简单好用", "简单", "方便一点", "容易上手", "操作太复杂", "界面直观一点", "一站式",
                     "不要太麻烦"],
    ("zh", "feature"): ["要一个APP", "需要一个小程序", "要有报表", "希望有提醒功能", "要能和企业微信对接",
                        "仪表盘", "想要移动端", "缺个导出功能", "要是有个报表就好了", "希望能有移动端"],
    ("zh", "more"): ["更多功能", "更灵活", "多一些选项", "可以自定义", "更多的数据", "增加字段", "个性化"],
}
SURFACE_CASES = [(lang, family, text) for (lang, family), texts in SURFACE.items() for text in texts]


def test_every_surface_family_has_at_least_six_examples_per_language() -> None:
    for lang in ("en", "zh"):
        for family in SURFACE_FAMILIES:
            assert len(SURFACE[(lang, family)]) >= 6, (lang, family)


@pytest.mark.parametrize(("lang", "family", "text"), SURFACE_CASES)
def test_surface_cue_is_probed_with_its_family(lang: str, family: str, text: str) -> None:
    d = PROBER.decide(text, lang)
    assert_probe(d, f"surface:{family}")
    assert d.key is not None and d.key.startswith(f"{lang}.{family}.")
    assert d.cue and d.cue.lower() in text.lower()


def test_the_documented_examples_read_naturally() -> None:
    d = PROBER.decide("Lower price.", "en")
    assert d.cue == "lower price"
    assert d.probe == ("When you say “lower price”, compared with what: what you pay today, "
                       "or an alternative you are looking at?")
    assert PROBER.decide("Faster", "en").probe == (
        "When you say “faster”, faster than what? Roughly how long does it take today?")
    assert PROBER.decide("We need a mobile app", "en").cue == "a mobile app"
    zh = PROBER.decide("价格再低一点", "zh")
    assert zh.probe == "您说“价格再低一点”，是和现在付的价格比，还是和正在考虑的其他方案比？"
    assert PROBER.decide("要一个APP", "zh").probe == "有了APP，您能做哪些现在做不到的事？"


# ---------------------------------------------------------------- answers that are not probed

SPECIFIC = {
    "en": [
        "Lower price because our budget is fixed per quarter",
        "Faster, so reps can call back the same day",
        "Faster: it takes 3 days to get a quote approved",
        "Easier to use, for example entering a new lead takes 12 fields",
        "Better service, last week nobody answered for two days",
        "We need a mobile app because reps are on the road all day",
        "Lower price, otherwise we will switch suppliers",
        "More reliable, which means no more lost orders",
        "A cheaper plan would let us add five more users",
        "Better reports so that managers can plan the week",
        "Cheaper by 20%",
        "Reps waste the afternoon copying orders from email",
        "I don't know exactly, but last month we lost 3 deals because quotes were slow",
        "Our reps need to see every open quote and the last call notes before they phone a customer, "
        "and today that means opening the ERP, the mailbox and a spreadsheet",
    ],
    "zh": [
        "价格低一点，因为我们的预算每个季度是固定的",
        "因为报价要两天，客户等不及就走了",
        "价格低一点，这样我们就能多招一个销售",
        "比如上周一个客户等了三天才收到报价",
        "上个月有百分之三十的线索没人跟进",
        "每次开会都要手工汇总数据",
        "响应慢导致客户投诉",
        "便宜20%",
        "客户不知道怎么用这个系统",
        "上个月丢了三个单子",
    ],
}


@pytest.mark.parametrize(("lang", "text"), [(lang, t) for lang, ts in SPECIFIC.items() for t in ts])
def test_answer_with_reason_consequence_example_or_number_is_not_probed(lang: str, text: str) -> None:
    d = PROBER.decide(text, lang)
    assert d == ProbeDecision(None, "specific")


@pytest.mark.parametrize(("lang", "surface", "deeper"), [
    ("en", "Cheaper", "Cheaper because the budget is tight"),
    ("en", "Faster", "Faster, which means fewer angry calls"),
    ("en", "Better service", "Better service, for example a named contact"),
    ("en", "Easier to use", "Easier to use so that new reps need no training"),
    ("en", "Faster quotes", "Faster quotes than the two we get now"),
    ("en", "More reliable", "More reliable, we lose orders when it crashes"),
    ("zh", "更快", "更快，因为客户等不及"),
    ("zh", "便宜一点", "便宜一点，所以预算够用"),
    ("zh", "服务好一点", "服务好一点，比如有专人对接"),
    ("zh", "简单好用", "简单好用，上次培训新人花了很久"),
    ("zh", "更快", "更快，现在要两天"),
    ("zh", "稳定一点", "稳定一点，出问题就会丢单"),
])
def test_one_marker_turns_a_surface_answer_into_a_specific_one(lang: str, surface: str, deeper: str) -> None:
    assert PROBER.decide(surface, lang).reason.startswith("surface:")
    assert PROBER.decide(deeper, lang).reason == "specific"


STOPS = {
    "en": ["That's all", "that's it", "Nope, that's it", "No, that's all, thanks", "Nothing else",
           "nothing more", "No more", "Nothing else to add", "I think that's it", "ok that's all", "Nope"],
    "zh": ["没有了", "就这些", "没别的了", "嗯，暂时没有了，谢谢", "没有了，谢谢", "就这样吧",
           "没什么要补充的", "暂时没有"],
}


@pytest.mark.parametrize(("lang", "text"), [(lang, t) for lang, ts in STOPS.items() for t in ts])
def test_stop_phrase_ends_the_ladder(lang: str, text: str) -> None:
    assert PROBER.decide(text, lang, depth=1) == ProbeDecision(None, "stop_phrase")


@pytest.mark.parametrize("text", ["No more double entry", "Nothing works on mobile, we lose orders"])
def test_stop_words_inside_a_real_answer_do_not_stop(text: str) -> None:
    assert PROBER.decide(text, "en").reason != "stop_phrase"


@pytest.mark.parametrize("text", ["", "   ", "...", "？？", "\n\t"])
def test_empty_answer(text: str) -> None:
    assert PROBER.decide(text, "en") == ProbeDecision(None, "empty")


# ---------------------------------------------------------------- non-answers that are probed

DONT_KNOW = {
    "en": ["I don't know", "not sure", "No idea really", "I'm not sure", "Hard to say", "I really don't know",
           "Dunno", "I haven't thought about it", "I don’t know"],
    "zh": ["不知道", "不清楚", "说不好", "我也不太清楚", "没想过", "我也说不好", "这个我不太清楚", "不确定",
           "说不上来"],
}


@pytest.mark.parametrize(("lang", "text"), [(lang, t) for lang, ts in DONT_KNOW.items() for t in ts])
def test_dont_know_gets_a_dont_know_technique(lang: str, text: str) -> None:
    d = PROBER.decide(text, lang)
    assert_probe(d, "dont_know")
    assert d.family == "dont_know"


def test_dont_know_techniques_do_not_repeat_and_fall_back_when_the_family_is_not_allowed() -> None:
    asked: list[str] = []
    for depth in range(3):
        d = PROBER.decide("I don't know", "en", depth=depth, max_depth=5, asked=asked)
        assert d.family == "dont_know" and d.key not in asked
        asked.append(d.key or "")
    d = PROBER.decide("不知道", "zh", families=("example", "clarify"))
    assert_probe(d, "dont_know")
    assert d.family == "example"


GENERIC = {
    "en": ["fine", "It's fine I guess", "ok", "Pretty good overall", "ok thanks", "Not bad", "So-so",
           "All good, no complaints", "Good", "Nothing special"],
    "zh": ["还行", "挺好", "一般", "还可以", "不错", "马马虎虎", "就那样吧", "满意", "嗯，还行吧"],
}


@pytest.mark.parametrize(("lang", "text"), [(lang, t) for lang, ts in GENERIC.items() for t in ts])
def test_generic_answer_is_probed(lang: str, text: str) -> None:
    assert_probe(PROBER.decide(text, lang), "generic")


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Yes"), ("en", "Pipeline view"), ("en", "The old one"), ("en", "hm"), ("en", "The blue one"),
    ("zh", "系统"), ("zh", "客户"), ("zh", "销售跟进"), ("zh", "看情况"),
])
def test_too_short_answer_is_probed(lang: str, text: str) -> None:
    d = PROBER.decide(text, lang)
    assert_probe(d, "too_short")
    assert d.cue and d.cue.lower() == text.lower()


def test_four_plain_words_are_enough_in_english_and_six_characters_in_chinese() -> None:
    assert PROBER.decide("Something with the customers", "en").reason == "specific"
    assert PROBER.decide("销售跟进客户信息", "zh").reason == "specific"


# ---------------------------------------------------------------- depth, ladders, families

def test_max_depth_stops_before_anything_else_but_empty() -> None:
    assert PROBER.decide("Cheaper", "en", depth=3, max_depth=3) == ProbeDecision(None, "max_depth")
    assert PROBER.decide("that's all", "en", depth=3, max_depth=3).reason == "max_depth"
    assert PROBER.decide("", "en", depth=3, max_depth=3).reason == "empty"
    assert PROBER.decide("Cheaper", "en", depth=2, max_depth=3).fires
    assert PROBER.decide("更快", "zh", depth=0, max_depth=0).reason == "max_depth"


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Lower price."), ("en", "Faster"), ("en", "Better service"), ("en", "We need a mobile app"),
    ("en", "fine"), ("en", "Yes"), ("zh", "价格再低一点"), ("zh", "更快"), ("zh", "简单好用"), ("zh", "还行"),
])
def test_a_ladder_of_three_climbs_and_never_repeats(lang: str, text: str) -> None:
    asked: list[str] = []
    probes: list[str] = []
    families: list[str] = []
    for depth in range(3):
        d = PROBER.decide(text, lang, depth=depth, max_depth=3, asked=tuple(asked))
        assert d.fires and d.key and d.probe and d.family
        asked.append(d.key)
        probes.append(d.probe)
        families.append(d.family)
    assert len(set(asked)) == 3 and len(set(probes)) == 3
    assert families[0] in ("clarify", "example", "number", "contrast")
    assert families[2] in ("ladder_up", "consequence")
    assert PROBER.decide(text, lang, depth=3, max_depth=3, asked=tuple(asked)).reason == "max_depth"


def test_price_ladder_goes_from_comparison_to_consequence_to_value() -> None:
    asked: tuple[str, ...] = ()
    got = []
    for depth in range(3):
        d = PROBER.decide("Lower price.", "en", depth=depth, asked=asked)
        asked += (d.key or "",)
        got.append(d.family)
    assert got == ["contrast", "consequence", "ladder_up"]
    assert d.probe == "Why does the cost matter so much to you right now?"


@pytest.mark.parametrize(("lang", "text"),
                         [("en", "Cheaper"), ("en", "Yes"), ("zh", "更快"), ("zh", "不知道")])
def test_a_long_ladder_runs_out_instead_of_repeating(lang: str, text: str) -> None:
    asked: list[str] = []
    seen: set[str] = set()
    for depth in range(100):
        d = PROBER.decide(text, lang, depth=depth, max_depth=1000, asked=asked)
        if not d.fires:
            assert d.reason == EXHAUSTED
            break
        assert d.key not in asked and d.probe not in seen
        asked.append(d.key or "")
        seen.add(d.probe or "")
    else:
        pytest.fail("the ladder never ran out of probes")
    assert len(asked) >= 7  # at least one probe per family before giving up


@pytest.mark.parametrize("allowed", [("ladder_up",), ("number",), ("example", "consequence"), ("contrast",)])
def test_families_restriction_is_honoured(allowed: tuple[str, ...]) -> None:
    for lang, text in (("en", "Better service"), ("zh", "服务好一点"), ("en", "ok"), ("zh", "太短")):
        for depth in range(3):
            d = PROBER.decide(text, lang, depth=depth, families=allowed)
            assert d.family in allowed, (text, depth, d)


def test_no_allowed_family_means_no_probe() -> None:
    assert PROBER.decide("Cheaper", "en", families=()) == ProbeDecision(None, EXHAUSTED, cue="cheaper")


# ---------------------------------------------------------------- text handling

def test_full_width_case_and_punctuation_do_not_matter() -> None:
    assert PROBER.decide("要一个ＡＰＰ", "zh") == PROBER.decide("要一个APP", "zh")
    assert PROBER.decide("ＦＡＳＴＥＲ！", "en").reason == "surface:speed"
    assert PROBER.decide("BETTER SERVICE!!!", "en").reason == "surface:service"
    assert PROBER.decide("  better   service  ", "en").cue == "better service"
    assert PROBER.decide("更快，１０％", "zh").reason == "specific"
    assert PROBER.decide("Better support, 24/7", "en").reason == "surface:service"


def test_answer_language_picks_the_cues_and_the_script_language_the_words() -> None:
    d = PROBER.decide("价格再低一点", "en")
    assert d.reason == "surface:price" and d.key is not None and d.key.startswith("en.")
    d = PROBER.decide("Faster", "zh")
    assert d.reason == "surface:speed" and d.key is not None and d.key.startswith("zh.")
    for lang in (None, "auto", "xx"):
        assert (PROBER.decide("更快", lang).key or "").startswith("zh.")  # type: ignore[arg-type]
        assert (PROBER.decide("Faster", lang).key or "").startswith("en.")  # type: ignore[arg-type]
    assert (PROBER.decide("更快", "zh-Hans").key or "").startswith("zh.")
    assert PROBER.decide("我们需要一个dashboard", "zh").reason == "surface:feature"


def test_same_input_same_decision_and_question_ids_vary_the_wording() -> None:
    a = PROBER.decide("Better service", "en", question_id="q1")
    assert a == PROBER.decide("Better service", "en", question_id="q1")
    wordings = {PROBER.decide("Better service", "en", question_id=f"q{i}").probe for i in range(20)}
    assert len(wordings) > 1


# ---------------------------------------------------------------- rule files

MINI = r"""lang: en
limits: {too_short: 3, short_answer: 8, long_answer: 20}
stop: ['that''s all']
specific: ['\bbecause\b']
dont_know: {match: ['\bno idea\b'], probes: {dont_know: ["Ask a colleague?"]}}
generic: {match: ['fine'], probes: {contrast: ["From {cue} to great?"]}}
too_short: {probes: {clarify: ["More about {cue}?"]}}
any:
  probes:
    ladder_up: ["Why?"]
    clarify: ["Like what?"]
    example: ["When?"]
    number: ["How many?"]
    consequence: ["So?"]
    contrast: ["Than what?"]
    dont_know: ["Colleague?"]
surface:
  price:
    match: ['\bcheap(?:er)?\b', 'costs? (?P<cue>less)']
    probes: {contrast: ["Cheaper than what?", "{cue} than what?"]}
"""


def mini_prober() -> RuleProber:
    return RuleProber.from_texts({"en": MINI})


def test_shipped_rule_files_are_valid() -> None:
    for lang in ("en", "zh"):
        assert RULES[lang]["lang"] == lang
        assert set(RULES[lang]["surface"]) == set(SURFACE_FAMILIES)


def test_situation_templates_come_first_then_the_fallback() -> None:
    p = mini_prober()
    first = p.decide("cheaper", "en")
    assert (first.probe, first.key) == ("Cheaper than what?", "en.price.contrast.1")
    second = p.decide("cheaper", "en", depth=1, asked=[first.key or ""])
    assert (second.key, second.probe) == ("en.price.contrast.2", "cheaper than what?")
    third = p.decide("cheaper", "en", depth=2, asked=[first.key or "", second.key or ""])
    assert third.key is not None and third.key.startswith("en.any.")
    assert p.decide("it costs less", "en").cue == "less"


def problems_for(text: str) -> list[Any]:
    with pytest.raises(ScriptError) as exc:
        parse_rules(text, "probes.en.yaml")
    return exc.value.problems


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_unknown_key_names_file_line_and_a_hint() -> None:
    text = MINI.replace("specific:", "specfic:")
    problems = problems_for(text)
    unknown = next(p for p in problems if "unknown key 'specfic'" in p.message)
    assert unknown.file == "probes.en.yaml" and unknown.line == line_of(text, "specfic:")
    assert "did you mean 'specific'" in unknown.hint
    assert any("missing key 'specific'" in p.message for p in problems)


def test_bad_regex_names_file_line_and_a_hint() -> None:
    text = MINI.replace(r"'\bcheap(?:er)?\b'", r"'\bcheap(?:er\b'")
    [problem] = problems_for(text)
    assert problem.file == "probes.en.yaml" and problem.line == line_of(text, "cheap(?:er")
    assert "bad regular expression" in problem.message and "brackets" in problem.hint
    assert str(problem).startswith(f"probes.en.yaml:{problem.line}: ")


@pytest.mark.parametrize(("old", "new", "message", "hint"), [
    ('{contrast: ["Cheaper', '{contrst: ["Cheaper', "unknown probe family 'contrst'", "mean 'contrast'"),
    ("  price:\n", "  prize:\n", "unknown surface family 'prize'", "did you mean 'price'"),
    ("From {cue} to great?", "From {answer} to great?", "unknown slot", "only slot is {cue}"),
    ("From {cue} to great?", "From {cue to great?", "bad question template", "{{"),
    (r"'\bno idea\b'", r"'\bNo idea\b'", "upper-case letters never match", "lower case"),
    ("['fine']", "['fine|']", "can match empty text", "required"),
    ("['fine']", "['(?P<word>fine)']", "named groups", "(?P<cue>"),
    ("['fine']", "[no]", "non-empty text", "quote it"),
    ("too_short: 3", "too_short: 0", "at least 1", ""),
    ('    dont_know: ["Colleague?"]\n', "", "no question for dont_know", "every family"),
    ("limits: {too_short: 3,", "limits: {too_short: 3, too_long: 4,", "unknown key 'too_long'", "allowed"),
    ("lang: en", "lang: fr", "unknown language 'fr'", "'en' or 'zh'"),
    ("stop: ['that''s all']", "stop: ['that''s all']\nstop: [done]", "appears twice", "merge"),
    ("surface:", "surface: [", "not valid YAML", "indentation"),
])
def test_rule_file_errors_are_reported(old: str, new: str, message: str, hint: str) -> None:
    text = MINI.replace(old, new, 1)
    assert text != MINI
    problems = problems_for(text)
    match = [p for p in problems if message in p.message]
    assert match, problems
    assert match[0].file == "probes.en.yaml" and match[0].line >= 1 and hint in match[0].hint


def test_rules_loaded_under_the_wrong_language_are_refused() -> None:
    with pytest.raises(ScriptError, match="loaded for 'zh'"):
        RuleProber.from_texts({"zh": MINI})


def test_prober_validates_dicts_too() -> None:
    data = yaml.safe_load(MINI)
    data["surface"]["speed"] = {"match": ["("], "probes": {}}
    with pytest.raises(ScriptError, match="bad regular expression"):
        RuleProber({"en": data})
    with pytest.raises(ScriptError, match="no probe rules"):
        RuleProber({})
