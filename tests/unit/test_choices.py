"""Typed replies to closed questions: numbers, labels in either language, parts of labels, near spellings, counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.interviews import other_language_labels
from bot.render import outcome_messages
from core.choice_sounds import repaired
from core.choices import Match, Miss, interpret, negated, parse_number
from core.events import Answered, Interpreted, Reconsidered, Rejected
from core.inputs import Decline, Reconsider, Reply, Start
from core.interview import COMMENT, InterviewState, read_choice, step
from core.probe_types import ProbeDecision
from core.script_parse import parse_script

MINI = parse_script((Path(__file__).parent.parent / "fixtures" / "mini.en.yaml").read_text(), "mini.en.yaml")
CATALOG = load_catalog()


class NeverProbes:
    def decide(self, text, lang, **_kw):  # type: ignore[no-untyped-def]
        return ProbeDecision(None, "specific")


def q(script_id: str, lang: str, qid: str):  # type: ignore[no-untyped-def]
    return CATALOG.get(script_id, lang).question(qid)


def other_labels(script_id: str, lang: str) -> dict[str, dict[str, tuple[str, ...]]]:
    other = CATALOG.get(script_id, "zh" if lang == "en" else "en")
    return {x.id: {c.id: (c.label,) for c in x.choices} for x in other.questions if x.choices}


@pytest.mark.parametrize(("text", "n"), [("7", 7), ("７", 7), ("八", 8), ("十二", 12), ("二十一", 21), ("两", 2),
                                         ("第三个", 3), ("two", 2), ("7分", 7), ("option 2", 2), ("price", None),
                                         ("二三", None), ("", None)])
def test_numbers_in_digits_words_and_chinese(text: str, n: int | None) -> None:
    assert parse_number(text) == n


@pytest.mark.parametrize(("lang", "text", "values", "exact"), [
    ("en", "Price / total cost", ("price",), True),
    ("en", "price", ("price",), True),  # the choice id
    ("en", "total cost", ("price",), False),  # a part of the label
    ("en", "pirce", ("price",), False),  # a near spelling
    ("en", "价格", ("price",), False),  # the label in the script's other language
    ("zh", "价格", ("price",), False),  # the first word of "价格 / 总成本"
    ("zh", "主要是价格", ("price",), False),
    ("zh", "八", ("flexibility",), True),  # the 8th option of a menu
    ("en", "1", ("price",), True),
])
def test_single_choice_typed_in_many_ways(lang: str, text: str, values: tuple[str, ...], exact: bool) -> None:
    got = interpret(q("internal-sales", lang, "top_value"), text, other_labels("internal-sales", lang))
    assert got == Match(values, exact)


@pytest.mark.parametrize("text", ["not the price", "不是价格", "The budget is fixed at the start of the year",
                                  "预算是年初定死的，超了就要找老板重新批"])
def test_negations_and_sentences_are_not_read_as_options(text: str) -> None:
    lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"
    assert isinstance(interpret(q("internal-sales", lang, "top_value"), text, other_labels("internal-sales", lang)),
                      Miss)


def test_counts_are_read_as_values_not_positions() -> None:
    systems = q("internal-sales", "en", "systems_count")  # One, 2 to 3, 4 to 6, 7 or more, I don't know
    assert interpret(systems, "3") == Match(("two_three",), False)
    assert interpret(systems, "12") == Match(("seven_plus",), False)
    assert interpret(systems, "not sure") == Match(("dont_know",), False)
    assert interpret(q("internal-sales", "zh", "systems_count"), "三个") == Match(("two_three",), False)
    assert interpret(q("internal-sales", "zh", "systems_count"), "不知道") == Match(("dont_know",), False)


def test_multi_choice_lists_and_exclusive_none() -> None:
    kpis = q("internal-sales", "en", "kpis")
    lex = other_labels("internal-sales", "en")
    assert interpret(kpis, "win rate and renewal", lex) == Match(("win_rate", "renewal"), True)
    assert interpret(kpis, "一和三", lex) == Match(("new_leads", "cycle_length"), True)
    assert interpret(kpis, "1 3", lex) == Match(("new_leads", "cycle_length"), True)
    assert interpret(kpis, "new", lex) == Miss("ambiguous", ("New leads or opportunities",
                                                              "New customers won (acquisition rate)"))
    assert interpret(kpis, "Win rate, none of these", lex) == Miss("exclusive", ("None of these / not measured",))
    assert interpret(q("internal-sales", "zh", "kpis"), "以上都没有") == Match(("none",), False)


def test_every_shipped_none_of_these_is_exclusive() -> None:
    for (sid, lang), script in CATALOG.scripts.items():
        for question in script.questions:
            for c in question.choices if question.kind == "multi" else ():
                if c.id == "none" or c.label.lower().startswith("none of") or c.label.startswith("以上都没有"):
                    assert c.exclusive, f"{sid}.{lang} {question.id}: {c.label!r} must be exclusive: true"


@pytest.mark.parametrize(("text", "value"), [("yeah", "yes"), ("是的", "yes"), ("可以", "yes"),
                                             ("yes, of course", "yes"), ("没有，谢谢", "no"), ("不用", "no")])
def test_yes_and_no_in_both_languages(text: str, value: str) -> None:
    assert interpret(MINI.question("more"), text) == Match((value,), True)


@pytest.mark.parametrize(("text", "value"), [
    ("probably", "yes"), ("I think so", "yes"), ("不清楚，应该是吧", "yes"), ("算是吧", "yes"), ("应该吧", "yes"),
    ("probably not", "no"), ("i don't think so", "no"), ("应该没有吧", "no"), ("好像没有", "no"),
    ("not sure, no", "no"), ("i think so yes", "yes")])
def test_a_hedged_yes_or_no_is_read_as_its_lean_and_confirmed(text: str, value: str) -> None:
    assert interpret(MINI.question("more"), text) == Match((value,), False)


@pytest.mark.parametrize("text", ["maybe", "not sure", "no idea", "不好说", "maybe yes maybe no", "是还是不是呢"])
def test_a_hedge_with_no_lean_is_asked_again(text: str) -> None:
    assert interpret(MINI.question("more"), text) == Miss("none")


@pytest.mark.parametrize(("text", "value"), [("not sure... maybe 3", "3"), ("大概4吧", "4"), ("about 2", "2"),
                                             ("3 I guess", "3")])
def test_a_hedged_number_is_taken_and_confirmed(text: str, value: str) -> None:
    assert interpret(MINI.question("sat"), text) == Match((value,), False)


@pytest.mark.parametrize("text", ["maybe 3, or 4", "3还是4吧", "3 or 4 i guess"])
def test_two_hedged_options_are_not_a_lean(text: str) -> None:
    assert isinstance(interpret(MINI.question("sat"), text), Miss)


def test_a_hedged_choice_in_an_interview_is_recorded_and_said_back() -> None:
    state, _ = run([Start()])
    state, events = run([Reply("not sure… probably no, we left")], state)
    assert any(isinstance(e, Interpreted) and e.labels == ("No, we left",) for e in events)
    assert state.cursor == "why_left"


@pytest.mark.parametrize(("script", "lang", "qid", "text", "labels"), [
    ("internal-sales", "en", "data_where", "crm, spreadsheets, email, my phone",
     ["A CRM system", "Spreadsheets", "E-mail and calendar", "My own phone or memory"]),
    ("internal-operations", "en", "reports", "open orders status and late orders",
     ["Status of all open orders or projects", "Late or at-risk orders"]),
    ("internal-service", "en", "reports", "repeat contacts and causes, open cases by age",
     ["Repeat contacts and their causes", "Open cases and backlog by age"]),
    ("internal-it", "en", "hosting", "no preference", ["No preference yet"]),
    ("internal-it", "en", "systems_count", "4-6", ["4 to 6"]),
    ("internal-service", "zh", "reports", "重复来电及原因、未结工单", ["重复来电及原因", "未结工单及积压时长"]),
    ("internal-it", "zh", "data_where", "ERP，财务和开票系统，网上商城，邮件",
     ["ERP（订单、库存）", "财务和开票系统", "网上商城或客户门户", "邮件和日历"]),
    ("internal-it", "zh", "systems_count", "说不清，可能4到6个吧", ["4到6个"]),
    ("internal-service", "zh", "customer_history", "不能", ["no"]),
    ("internal-operations", "zh", "status_visible", "应该不能", ["no"]),
])
def test_options_named_in_the_persons_own_words(script: str, lang: str, qid: str, text: str,
                                                labels: list[str]) -> None:
    """Replies written by people who never saw the reader (bench/replay on respondents2): each option is found
    by all its words, a range in other notation, a label that itself says "and"/"及", or the label it starts."""
    question = q(script, lang, qid)
    found = interpret(question, text)
    assert isinstance(found, Match), found
    assert [question.choice_label(v) if question.choices else v for v in found.values] == labels


@pytest.mark.parametrize(("text", "value"), [
    ("差不多吧，稍微便宜一点", "yes"), ("便宜一点", "yes"), ("便宜了不少吧", "yes"), ("不便宜", "no"),
    ("一点也不便宜", "no"), ("不太便宜", "no")])
def test_a_chinese_yes_or_no_given_by_echoing_the_question_is_read_and_confirmed(text: str, value: str) -> None:
    """Chinese answers "…便宜吗？" with the predicate, not a word for yes (respondents2: "差不多吧，稍微便宜一点")."""
    assert interpret(q("customer-past", "zh", "competitor_cheaper"), text) == Match((value,), False)


@pytest.mark.parametrize(("text", "value"), [("a bit cheaper", "yes"), ("slightly cheaper", "yes"),
                                             ("not cheaper", "no"), ("a bit", "yes")])
def test_an_english_echo_of_the_comparative_is_read_and_confirmed(text: str, value: str) -> None:
    assert interpret(q("customer-past", "en", "competitor_cheaper"), text) == Match((value,), False)


@pytest.mark.parametrize("text", ["供应商便宜", "没有便宜多少", "they are cheaper but worse", "价格"])
def test_an_echo_with_more_words_around_it_is_not_a_yes_or_no(text: str) -> None:
    assert interpret(q("customer-past", "zh" if any(ord(c) > 127 for c in text) else "en", "competitor_cheaper"),
                     text) == Miss("none")


@pytest.mark.parametrize(("text", "label"), [("所有在途订单的状态", "所有在途订单或项目的状态"),
                                             ("订单状态", "所有在途订单或项目的状态"),
                                             ("延误订单", "已延误或有延误风险的订单")])
def test_a_chinese_label_shortened_in_order_names_its_option(text: str, label: str) -> None:
    """respondents2's "所有在途订单的状态" (9 characters, once too long to be read as naming an option)."""
    question = q("internal-operations", "zh", "reports")
    found = interpret(question, text)
    assert isinstance(found, Match) and not found.exact, found
    assert [question.choice_label(v) for v in found.values] == [label]


@pytest.mark.parametrize(("script", "lang", "qid", "text", "n"), [
    ("internal-sales", "zh", "data_where",
     "CRM系统、Excel等电子表格、邮件和日历、聊天工具（微信、Slack等）、自己的手机或记在脑子里", 5),
    ("internal-operations", "zh", "data_where", "ERP或订单系统、纸质单据：送货单、派工单、聊天工具（微信、Slack等）",
     3),
    ("customer-current", "zh", "channels",
     "在线聊天或即时通讯（如微信）、固定的客户经理、网上自助：自己查订单、发票、提交工单", 3),
    ("internal-operations", "en", "reports", "late or at risk orders, capacity and workload", 2),
])
def test_labels_copied_whole_into_a_list_are_read_with_the_commas_inside_them(script: str, lang: str, qid: str,
                                                                              text: str, n: int) -> None:
    """respondents4 (the interviewer's later test set): labels that hold "、" or ":" themselves, copied into a list."""
    found = interpret(q(script, lang, qid), text)
    assert isinstance(found, Match) and len(found.values) == n, found


def test_a_chinese_shortening_two_labels_share_is_ambiguous() -> None:
    found = interpret(q("internal-operations", "zh", "reports"), "订单")
    assert isinstance(found, Miss) and found.reason == "ambiguous"


@pytest.mark.parametrize(("qid", "text"), [("reports", "not the forecast"), ("data_where", "crm and my cat")])
def test_words_that_are_not_all_in_one_label_name_no_option(qid: str, text: str) -> None:
    assert isinstance(interpret(q("internal-sales", "en", qid), text), Miss)


def test_scale_accepts_chinese_numerals_and_out_of() -> None:
    sat = MINI.question("sat")
    assert interpret(sat, "四") == Match(("4",), True)
    assert interpret(sat, "4/5") == Match(("4",), True)
    assert interpret(sat, "八") == Miss("range", ("1", "5"))


def run(inputs, state=None):  # type: ignore[no-untyped-def]
    state = state or InterviewState()
    out = []
    for inp in inputs:
        state, events = step(MINI, state, inp, NeverProbes())
        out.extend(events)
    return state, out


def test_a_near_match_is_confirmed_and_a_sentence_is_kept_as_a_comment() -> None:
    state, _ = run([Start()])
    state, events = run([Reply("still a customer")], state)
    assert any(isinstance(e, Interpreted) and e.labels == ("Yes, still a customer",) for e in events)
    state, _ = run([Reply("back")], state)
    said = "We are thinking about leaving because the invoices are wrong every month"
    new, events = run([Reply(said)], state)
    comment = next(e for e in events if isinstance(e, Answered))
    assert comment.text == said and comment.decision == COMMENT and comment.values == ()
    assert isinstance(events[-1], Rejected) and events[-1].why == "noted" and new.cursor == "status"


def test_changed_my_mind_goes_back_to_where_they_were() -> None:
    state, _ = run([Start(), Reply("1"), Decline()])
    state, events = run([Reconsider()], state)
    assert isinstance(events[0], Reconsidered) and state.status == "in_progress" and state.cursor == "need"
    fresh, events = run([Decline(), Reconsider()])
    assert fresh.status == "in_progress" and fresh.cursor == "status"
    _, events = run([Reconsider()], fresh)
    assert events == [Rejected("not_declined", "in_progress")]


@pytest.mark.parametrize(("text", "value"), [("yes I think so", "yes"), ("a bit yes", "yes"), ("要", "yes"),
                                             ("需要的", "yes"), ("不需要", "no"), ("we do", "yes"),
                                             ("no i guess not", "no")])
def test_a_yes_or_no_with_its_hedge_after_or_before_it_is_read(text: str, value: str) -> None:
    """Dev respondents typed "yes i think so" and "a bit yes" (respondents3, respondents5) and were asked again."""
    found = interpret(MINI.question("more"), text)
    assert isinstance(found, Match) and found.values == (value,), found


@pytest.mark.parametrize(("script", "lang", "qid", "text", "labels", "kept"), [
    ("internal-operations", "en", "data_where", "ERP, spreadsheets, email, paper, whatsapp",
     ["ERP or order system", "Spreadsheets", "E-mail", "Paper: delivery notes, job sheets"], ("whatsapp",)),
    ("internal-marketing", "en", "data_where", "crm, spreadsheets, email tool, web forms, event lists",
     # "web forms" is the id's "web" and the label's "forms": "Website forms and analytics".
     ["A CRM system", "Spreadsheets and exported lists", "E-mail marketing tool", "Website forms and analytics",
      "Event lists, badges, business cards"], ()),
    ("internal-it", "en", "data_where", "ERP, email, spreadsheets, maybe the support tool? not sure",
     ["ERP (orders, stock)", "E-mail and calendar", "Spreadsheets and shared drives", "Support or ticket tool"], ()),
    ("internal-sales", "en", "data_where", "crm, spreadsheets, my cat", ["A CRM system", "Spreadsheets"],
     ("my cat",)),
    ("internal-sales", "en", "data_where", "crm, but honestly mostly in my head",
     ["A CRM system"], ("but honestly mostly in my head",)),
    ("internal-sales", "zh", "data_where", "CRM系统，Excel，微信，老板的脑子", ["CRM系统", "Excel等电子表格",
                                                                   "聊天工具（微信、Slack等）"], ("老板的脑子",)),
])
def test_a_typed_list_takes_the_options_it_names_and_keeps_the_rest(script: str, lang: str, qid: str, text: str,
                                                                    labels: list[str], kept: tuple[str, ...]) -> None:
    """A list where one item names no option was refused whole (respondents4: "ERP, spreadsheets, email, paper,
    whatsapp"), so the person typed it all again. Now the named options are taken and the rest is kept."""
    question = q(script, lang, qid)
    found = interpret(question, text)
    assert isinstance(found, Match) and not found.exact, found
    assert [question.choice_label(v) for v in found.values][:len(labels)] == labels
    assert found.rest == kept


# "crm, my cat, my dog" was taken as CRM with two remarks; new writers' lists like "CRM, Mailchimp, LinkedIn" showed
# that one item named in three records a list the person did not give (closed sets, 2026-12-07): asked again.
@pytest.mark.parametrize("text", ["crm and my cat", "my cat, my dog", "crm, my cat, my dog",
                                  "spreadsheets, the thing Bob built, that other tool we had in 2019 and never "
                                  "turned off"])
def test_a_list_mostly_of_unknown_items_or_a_sentence_is_not_taken_in_part(text: str) -> None:
    assert isinstance(interpret(q("internal-sales", "en", "data_where"), text), Miss)


def test_a_hedged_word_two_options_share_asks_which_one() -> None:
    found = interpret(q("customer-current", "zh", "top_value"), "应该是服务吧")
    assert isinstance(found, Miss) and found.reason == "ambiguous" and len(found.options) == 2
    assert interpret(q("customer-current", "zh", "top_value"), "应该是质量吧") == Match(("quality",), False)


def test_the_items_a_list_did_not_name_are_stored_as_a_comment_and_said_back() -> None:

    script = CATALOG.get("internal-operations", "en")
    state = InterviewState(status="in_progress", cursor="data_where")
    typed = "ERP, spreadsheets, email, paper, whatsapp"
    new, events = step(script, state, Reply(typed), NeverProbes())
    comment = next(e for e in events if isinstance(e, Answered) and e.decision == COMMENT)
    assert comment.text == typed
    chosen = next(e for e in events if isinstance(e, Answered) and e.decision != COMMENT)
    assert chosen.values == ("erp", "spreadsheets", "email", "paper") and new.cursor != "data_where"
    said = next(e for e in events if isinstance(e, Interpreted))
    assert said.kept == ("whatsapp",)
    text = " ".join(m.text for m in outcome_messages(1, events, "en"))
    assert "whatsapp" in text and "back" in text


@pytest.mark.parametrize(("script", "lang", "qid", "text", "values"), [
    # Number words in a range, as a count option spells it with digits.
    ("internal-it", "en", "systems_count", "four to six", ("four_six",)),
    ("internal-it", "zh", "systems_count", "四到六个", ("four_six",)),
    # A label's own words in order win over options that only share a word ("on time" vs "lead time").
    ("internal-operations", "en", "kpis", "on time", ("on_time",)),
    ("internal-operations", "en", "kpis", "on time, first time right, complaints",
     ("on_time", "first_time_right", "complaints")),
    # "与" inside a label's own words does not cut the reply in two.
    ("customer-current", "zh", "top_value", "服务与支持", ("service",)),
    # The option's id names it too, and "the … one" points at an option.
    ("internal-marketing", "en", "reports", "campaign ROI and the funnel one", ("campaign_roi", "funnel")),
    # "… will do" says the option is enough, not which one.
    ("customer-current", "zh", "channels", "微信就行", ("chat",)),
    ("customer-current", "en", "channels", "email is fine", ("email",)),
])
def test_everyday_ways_of_naming_an_option_are_read(script: str, lang: str, qid: str, text: str,
                                                     values: tuple[str, ...]) -> None:
    found = interpret(q(script, lang, qid), text)
    assert isinstance(found, Match) and found.values == values, found


def test_a_phrase_two_labels_share_still_asks_which_one() -> None:
    # "time" alone is in three labels; a phrase only decides when one label holds it.
    found = interpret(q("internal-operations", "en", "kpis"), "time")
    assert isinstance(found, Miss)


@pytest.mark.parametrize(("lang", "text", "values"), [
    ("en", "second one", ("speed",)), ("en", "the 2nd", ("speed",)), ("en", "third one please", ("quality",)),
    ("en", "the last one", ("flexibility",)), ("zh", "最后一个", ("flexibility",)), ("zh", "第二个吧", ("speed",)),
])
def test_an_option_named_by_its_place_in_the_list(lang: str, text: str, values: tuple[str, ...]) -> None:
    # "second one" used to read as two numbers (2 and 1) and was refused as two choices.
    assert interpret(q("internal-sales", lang, "top_value"), text) == Match(values, False)
    assert interpret(q("internal-sales", "en", "systems_count"), "the 4th") == Match(("seven_plus",), False)
    assert interpret(q("internal-sales", "en", "systems_count"), "2") == Match(("two_three",), False)


@pytest.mark.parametrize(("lang", "text"), [("en", "dunno"), ("en", "depends"), ("zh", "说不清"),
                                            ("zh", "这个我说不好")])
def test_a_dont_know_to_a_closed_question_gets_a_kind_way_on_not_the_options_again(lang: str, text: str) -> None:
    script = CATALOG.get("internal-sales", lang)
    state = InterviewState(status="in_progress", cursor="top_value")
    new, events = step(script, state, Reply(text), CATALOG.prober)
    assert events == [Rejected("bad_choice", "dont_know", ())] and new == state
    said = " ".join(m.text for m in outcome_messages(1, events, lang))
    assert ("skip" if lang == "en" else "跳过") in said and ("Price" not in said and "价格" not in said)
    # A reply that is neither an option nor a non-answer still gets the options, and its words are kept.
    said = "so we look good" if lang == "en" else "办公室离得近"
    _, events = step(script, state, Reply(said), CATALOG.prober)
    assert isinstance(events[0], Answered) and events[0].text == said and events[0].values == ()
    assert isinstance(events[-1], Rejected) and events[-1].why == "noted"
    hint = " ".join(m.text for m in outcome_messages(1, events, lang))
    assert ("Price" in hint or "价格" in hint) and ("kept what you wrote" in hint or "已保存" in hint), hint


@pytest.mark.parametrize(("lang", "text", "value"), [
    ("zh", "送货有时候慢", "speed"), ("zh", "交货不及时", "speed"), ("zh", "售后要跟上", "service"),
    ("en", "faster delivery", "speed"), ("en", "support when things break", "service"),
    ("zh", "不是价格的问题", None), ("en", "not the price", None), ("en", "they just work", None),
])
def test_a_short_answer_in_words_is_read_as_the_option_its_topic_names(lang: str, text: str, value: str | None) -> None:
    # No option's words are in "送货有时候慢", but a colleague hears "speed": the judge's surface family, where an
    # option has that id, is the option, confirmed in one line. A denial is never read as its topic.
    script = CATALOG.get("customer-current", lang)
    state = InterviewState(status="in_progress", cursor="top_value")
    new, events = step(script, state, Reply(text), CATALOG.prober)
    if value is None:
        assert isinstance(events[-1], Rejected) and new == state
    else:
        said = next(e for e in events if isinstance(e, Interpreted))
        assert said.values == (value,) and new.cursor != "top_value"


@pytest.mark.parametrize(("lang", "text"), [("en", "no idea honestly"), ("en", "dunno"), ("zh", "这个真不好说")])
def test_a_dont_know_is_the_questions_own_i_dont_know_option_where_it_has_one(lang: str, text: str) -> None:
    script = CATALOG.get("internal-sales", lang)
    state = InterviewState(status="in_progress", cursor="systems_count")
    new, events = step(script, state, Reply(text), CATALOG.prober)
    said = next(e for e in events if isinstance(e, Interpreted))
    assert said.values == ("dont_know",) and new.cursor != "systems_count"


@pytest.mark.parametrize(("text", "found"), [
    ("yes definitely", Match(("yes",), False)), ("yes a bit", Match(("yes",), False)),
    ("no not at all", Match(("no",), False)), ("yes but rarely", Miss("none")), ("yes no", Miss("none")),
    ("no idea really", Miss("none")),
])
def test_a_plain_yes_or_no_with_a_word_after_it(text: str, found: Match | Miss) -> None:
    assert interpret(q("internal-sales", "en", "field_work"), text) == found


@pytest.mark.parametrize(("text", "found"), [
    ("对对对", Match(("yes",), True)), ("是的是的", Match(("yes",), True)), ("嗯嗯", Match(("yes",), True)),
    ("有的", Match(("yes",), True)), ("没有没有", Match(("no",), True)), ("不不不", Match(("no",), True)),
    ("不太需要", Match(("no",), False)), ("很少", Match(("no",), False)), ("一半一半", Miss("none")),
])
def test_chinese_chat_yes_and_no_said_twice_or_softened(text: str, found: Match | Miss) -> None:
    assert interpret(q("internal-sales", "zh", "field_work"), text) == found


@pytest.mark.parametrize(("lang", "text", "value"), [
    ("en", "all the time", "yes"), ("en", "hardly ever", "no"), ("zh", "天天", "yes"),
    ("en", "sometimes", None), ("zh", "一半一半", None),
])
def test_how_often_answers_a_how_often_yes_no_and_an_unclear_one_is_asked_as_yes_or_no(
        lang: str, text: str, value: str | None) -> None:
    script = CATALOG.get("internal-sales", lang)
    state = InterviewState(status="in_progress", cursor="field_work")
    _, events = step(script, state, Reply(text), CATALOG.prober)
    if value:
        assert next(e for e in events if isinstance(e, Interpreted)).values == (value,)
    else:
        # A word alone is asked about again; words said ("一半一半", half and half) are kept as the person's comment.
        kept = [e.text for e in events if isinstance(e, Answered)]
        assert kept == ([] if text == "sometimes" else [text])
        assert events[-1] == (Rejected("bad_choice", "yesno_none", ()) if not kept else Rejected("noted", "yesno", ()))
        said = " ".join(m.text for m in outcome_messages(1, events, lang))
        assert ("yes or no" if lang == "en" else "“是”还是“否”") in said


@pytest.mark.parametrize(("lang", "said"), [("en", "only the field techs"), ("en", "some of them do"),
                                            ("zh", "只有外勤需要"), ("zh", "有些人需要")])
def test_a_yes_with_its_scope_is_kept_and_the_yes_or_no_asked_for(lang: str, said: str) -> None:
    # Before, "only the field techs" to "Do staff need customer data on the road?" got "Would you say yes or no?" and
    # the words were gone; now they are the person's comment on the question, and the yes or no is asked for.
    script = CATALOG.get("internal-it", lang)
    state = InterviewState(status="in_progress", cursor="mobile_need")
    state, events = step(script, state, Reply(said), CATALOG.prober)
    (kept,) = [e for e in events if isinstance(e, Answered)]
    assert kept.text == said and kept.values == () and events[-1] == Rejected("noted", "yesno", ())
    text = " ".join(m.text for m in outcome_messages(1, events, lang))
    assert ("kept what you wrote" if lang == "en" else "已保存") in text
    assert state.cursor == "mobile_need"


@pytest.mark.parametrize(("lang", "said"), [("en", "dunno really, I just sell"),
                                            ("zh", "不太清楚，这块一直是老板在管")])
def test_a_shrug_with_a_reason_to_a_closed_question_is_a_dont_know_and_its_words_are_kept(lang: str, said: str) -> None:
    # Found by trying the bot as a sales rep: a five-word shrug was thanked as "what you wrote" and the options read
    # out again; an interviewer says it is fine and offers the way on, and keeps the reason.
    script = CATALOG.get("internal-sales", lang)
    state = InterviewState(status="in_progress", cursor="top_value")
    new, events = step(script, state, Reply(said), CATALOG.prober)
    comment = next(e for e in events if isinstance(e, Answered))
    assert comment.text == said and comment.decision == COMMENT
    assert events[-1] == Rejected("bad_choice", "dont_know", ()) and new.cursor == "top_value"
    # an answer in words of the same length is still kept and the options asked for
    _, events = step(script, state, Reply("the budget is fixed at the start of the year" if lang == "en"
                                          else "预算每年年初就定死了，后面很难再加"), CATALOG.prober)
    assert events[-1].why == "noted", events
    # an answer in words that only happens to be negative is not a shrug
    _, events = step(script, state, Reply("never had to chase a delivery, that's rare" if lang == "en"
                                          else "送货一直很准时，从来没让我们催过，这在供应商里很少见"), CATALOG.prober)
    assert events[-1].why == "noted", events


@pytest.mark.parametrize(("lang", "said", "value"), [
    ("en", "price is fine, what they want is someone who picks up the phone", None),
    ("zh", "价格还行，主要是要有人接电话", None),
    ("zh", "客户最在乎的其实是交期，价格差不多就行", None),
    ("zh", "价格无所谓，关键是出了问题能有人管", "service"),
    ("en", "price, mostly", "price"),
])
def test_an_option_put_aside_is_not_the_choice(lang: str, said: str, value: str | None) -> None:
    # Found by trying the bot: "客户最在乎的其实是交期，价格差不多就行" was read as Price. A topic put aside ("is fine",
    # "还行", "无所谓", "差不多就行") names no option; the rest of the reply still may.
    script = CATALOG.get("internal-sales", lang)
    found = read_choice(CATALOG.prober, script, script.question("top_value"), said)
    assert (found.values if isinstance(found, Match) else None) == ((value,) if value else None), found


def test_an_input_method_homophone_still_names_its_option() -> None:
    # Dev writers typed "质亮" for 质量 and "利润分洗" for 利润分析: pinyin input puts homophones one keystroke apart.
    sounds = {"质": ("zhi",), "量": ("liang",), "亮": ("liang",), "两": ("liang",), "和": ("he",), "合": ("he",)}
    assert repaired("质亮", ["产品或服务质量"], sounds) == "质量"
    assert repaired("质亮", ["产品或服务质量", "两周内"], sounds) is None  # two label characters sound so: no guess
    assert repaired("质量", ["产品或服务质量"], sounds) is None and repaired("quality", ["质量"], sounds) is None
    assert repaired("价格和质量", ["合同", "质量"], sounds) is None  # a function character is never a typo
    script = CATALOG.get("internal-sales", "zh")
    lexicon = other_language_labels(CATALOG.scripts, script)
    found = read_choice(CATALOG.prober, script, script.question("top_value"), "质亮", lexicon)
    assert isinstance(found, Match) and found.values == ("quality",) and not found.exact, found


def _read(script_id: str, lang: str, qid: str, said: str) -> tuple[str, ...] | None:
    """A typed reply read as the interview reads it, with the other language's labels and the characters' sounds."""
    script = CATALOG.get(script_id, lang)
    found = read_choice(CATALOG.prober, script, script.question(qid), said,
                        other_language_labels(CATALOG.scripts, script))
    return found.values if isinstance(found, Match) else None


@pytest.mark.parametrize(("script_id", "lang", "qid", "said"), [
    ("internal-marketing", "en", "systems_count", "depends on the customer"),  # was "I don't know"
    ("internal-marketing", "en", "top_value", "they come for price but stay for the service"),  # was Price
    ("internal-marketing", "en", "closed_loop", "partly, for the webinars only"),  # was Yes
    ("internal-service", "zh", "customer_history", "差不多吧，就是发票看不到"),  # was Yes
    ("internal-operations", "en", "status_visible", "yes for orders, not for projects"),  # was Yes
    ("internal-service", "en", "customer_history", "mostly yes, except invoices"),  # was Yes
    ("internal-leadership", "zh", "budget", "算是有吧"),  # was 有，已经批准
    ("internal-marketing", "en", "data_trust", "so-so"),  # was 3
    ("customer-prospective", "zh", "current_satisfaction", "凑合"),  # was 3
])
def test_a_reply_a_colleague_would_ask_about_again_is_not_an_option(script_id: str, lang: str, qid: str,
                                                                     said: str) -> None:
    # A new writer's replies (closed test set, 2026-12-07): a choice that hangs on something is not "I don't know";
    # a second clause pointing at another option makes a reply torn; a partial yes with an exception is not a yes;
    # "so-so" / "凑合" on a 1-5 scale is passable, a 2 as much as a 3 (two writers left it unread).
    assert _read(script_id, lang, qid, said) is None


@pytest.mark.parametrize(("script_id", "lang", "qid", "said", "values"), [
    ("internal-it", "en", "hosting", "on prem, compliance won't allow cloud", ("on_premise",)),  # a denied clause
    ("customer-current", "zh", "satisfaction", "一般般吧", ("3",)),  # the middle, said as the middle
    ("internal-marketing", "en", "closed_loop", "sort of", ("yes",)),  # a partial lean alone is still a lean
])
def test_what_stays_read_beside_those(script_id: str, lang: str, qid: str, said: str,
                                      values: tuple[str, ...]) -> None:
    assert _read(script_id, lang, qid, said) == values


@pytest.mark.parametrize(("script_id", "lang", "qid", "said", "values"), [
    # An item holding a part of one label, sharing content with one label, or a homophone of one (closed sets).
    ("internal-service", "en", "data_where", "email, teams chat, and sticky notes", ("email", "chat")),
    ("internal-service", "zh", "data_where", "邮件、企业微信，还有便利贴", ("email", "chat")),
    ("customer-prospective", "zh", "evaluation", "报价；参考客户；上门考察",
     ("price_quote", "references", "site_visit")),
    ("customer-prospective", "en", "evaluation", "a pilot and a clear quote please", ("trial", "price_quote")),
    ("internal-service", "zh", "data_where", "油件、表格", ("email", "spreadsheets")),
    ("customer-prospective", "zh", "evaluation", "demo + trial，再加报价", ("demo", "trial", "price_quote")),
    # An item whose words only sit beside its own subject, or carry an abbreviation no label has, names nothing;
    # it is kept as the person's words.
    ("internal-service", "en", "kpis", "abandoned calls, calls per day, and QA scores", ("abandoned", "calls_per_day")),
    ("internal-service", "zh", "data_where", "工单系统，加上电话系统的通话记录", ("support_tool",)),
    # One list item named in two is not the list: asked again rather than recorded as Spreadsheets alone.
    ("internal-marketing", "en", "data_where", "Salesforce + excel exports", None),
    ("internal-service", "en", "reports", "csat after case, and an agent leaderboard", None),
])
def test_each_item_of_a_typed_list_is_read_like_a_short_reply(script_id: str, lang: str, qid: str, said: str,
                                                              values: tuple[str, ...] | None) -> None:
    # Lists were the weakest style on the new writers' sets: an item in the person's own words ("上门考察"), a
    # product inside a label ("企业微信" for "聊天工具（微信、Slack等）") or a homophone typo ("油件") was dropped,
    # and the list recorded without it (a wrong record).
    got = _read(script_id, lang, qid, said)
    assert (got if got is None else set(got)) == (values if values is None else set(values))


def test_an_item_as_near_one_label_as_another_names_neither() -> None:
    # "开票准确率" shares 准确率 with "预测准确率" and 开票 with "发票一次开对率": no item reading, kept as typed.
    got = _read("internal-finance", "zh", "kpis", "争议发票，开票准确率，还有税务合规")
    assert got is None or "forecast_accuracy" not in got


@pytest.mark.parametrize(("script_id", "lang", "qid", "said", "values"), [
    ("internal-service", "en", "kpis", "AHT, CSAT, abandoned calls", ("handling_time", "csat", "abandoned")),
    ("internal-operations", "en", "kpis", "OTD, backlog, utilisation", ("on_time", "backlog", "utilisation")),
    ("internal-leadership", "en", "kpis", "留存 and CLV", ("retention", "lifetime_value")),
    ("internal-service", "en", "data_where", "emial, spredsheets", ("email", "spreadsheets")),  # "E-mail" misspelt
    ("internal-sales", "zh", "data_where", "Excle和微信", ("spreadsheets", "chat")),  # "Excel" inside "Excel等电子表格"
    ("internal-marketing", "en", "data_where", "CRM, Mailchimp, LinkedIn", None),  # one of three named: asked again
])
def test_abbreviations_and_misspelt_hyphenated_labels(script_id: str, lang: str, qid: str, said: str,
                                                      values: tuple[str, ...] | None) -> None:
    # New writers typed the initials of a label ("AHT" for "Average handling time", "OTD" for "On-time delivery")
    # and "emial" for "E-mail"; each item was dropped and the list recorded without it.
    got = _read(script_id, lang, qid, said)
    assert (got if got is None else set(got)) == (values if values is None else set(values))


@pytest.mark.parametrize(("script_id", "qid", "said", "value"), [
    ("internal-marketing", "closed_loop", "看不出来", "no"),  # 能否看出…？ was read as a don't-know
    ("internal-marketing", "closed_loop", "完全看不出来", "no"),
    ("internal-operations", "status_visible", "查不到", "no"),  # 能不能自己查到…？
    ("internal-service", "customer_history", "看不到，要开三个系统", "no"),
    ("internal-service", "customer_history", "看得到", "yes"),
    ("internal-service", "customer_history", "基本能，发票看不到", None),  # what cannot be seen is part of it
])
def test_a_chinese_yes_or_no_in_the_potential_form_of_the_questions_verb(script_id: str, qid: str, said: str,
                                                                          value: str | None) -> None:
    # "能不能看到…？" is answered "看不到" / "看得到": the question's verb and result with 不 or 得 inside.
    assert _read(script_id, "zh", qid, said) == ((value,) if value else None)


@pytest.mark.parametrize(("script_id", "lang", "qid", "said", "value"), [
    ("internal-finance", "en", "data_trust", "completly", "5"),  # an end label misspelt
    ("internal-finance", "en", "data_trust", "satisfied", None),  # not the end's words: never near enough
    ("customer-current", "en", "satisfaction", "very satisfied 👍", "5"),  # an emoji after it
    ("customer-prospective", "zh", "current_satisfaction", "非常满以", "5"),  # a homophone of an end's character
    ("internal-marketing", "zh", "data_trust", "完全信认", "5"),
    ("internal-finance", "zh", "data_trust", "完全不信任哈哈", "1"),  # laughter after it
    ("customer-current", "zh", "satisfaction", "挺满意的，给个4吧", "4"),
])
def test_a_scale_answered_with_an_end_label_typed_loosely(script_id: str, lang: str, qid: str, said: str,
                                                          value: str | None) -> None:
    # New writers' scale replies asked again although a colleague reads them at once (closed test and dev2 sets).
    assert _read(script_id, lang, qid, said) == ((value,) if value else None)


@pytest.mark.parametrize(("script_id", "lang", "qid", "said", "values"), [
    ("internal-sales", "en", "reports", "the last two", ("profitability", "activity")),
    ("internal-sales", "zh", "reports", "后两个", ("profitability", "activity")),
    ("internal-service", "zh", "top_value", "第一个呗", ("price",)),
    ("internal-service", "en", "top_value", "the first one obviously", ("price",)),
    ("internal-leadership", "en", "budget", "no budget at all yet", ("none",)),
    ("internal-leadership", "zh", "budget", "没有预算", ("none",)),
    ("internal-marketing", "en", "kpis", "n/a, no KPIs for us", ("none",)),
    ("internal-marketing", "zh", "kpis", "没有考核", ("none",)),
    ("internal-marketing", "en", "kpis", "no idea", None),  # a don't-know, not the none option
])
def test_options_by_their_place_from_the_end_and_a_no_before_the_thing_asked(
        script_id: str, lang: str, qid: str, said: str, values: tuple[str, ...] | None) -> None:
    got = _read(script_id, lang, qid, said)
    assert (got if got is None else set(got)) == (values if values is None else set(values))


@pytest.mark.parametrize(("script_id", "qid", "said", "values"), [
    ("internal-sales", "kpis", "线索数、赢单率、续约率", ("new_leads", "win_rate", "renewal")),  # 线索 is in two labels
    ("internal-service", "top_value", "东西别出问题，一次做好", None),  # was 出了问题时的服务与支持
])
def test_a_chinese_item_by_its_characters_and_a_wish_that_something_not_happen(script_id: str, qid: str, said: str,
                                                                                values: tuple[str, ...] | None) -> None:
    got = _read(script_id, "zh", qid, said)
    assert (got if got is None else set(got)) == (values if values is None else set(values))
    assert negated("东西别出问题") and not negated("特别有用") and not negated("用的是别家的")


@pytest.mark.parametrize(("script_id", "qid", "said", "values"), [
    ("customer-past", "where_now", "我们自己招人做了", ("in_house",)),  # 自己…做 of "现在自己做"
    ("internal-service", "data_where", "主要靠自己记", ("personal",)),  # 自己…记 of "自己的笔记或记在脑子里"
    ("internal-sales", "systems_count", "太多了", None),  # one character (多) of "7个或更多" is not enough
    ("internal-leadership", "budget", "算是有吧", None),  # nor 算 of "有估算，尚未批准"
])
def test_a_short_chinese_reply_made_mostly_of_one_labels_characters(script_id: str, qid: str, said: str,
                                                                     values: tuple[str, ...] | None) -> None:
    assert _read(script_id, "zh", qid, said) == values


@pytest.mark.parametrize(("said", "value"), [
    ("I trust it completely", "5"),  # the top end's label in a short sentence
    ("I don't trust it completely", None),  # negated: asked again
    ("2 cuz phone numbers are always outdated", "2"),  # the number, then why
    ("2 cuz 3 of the fields are wrong", None),  # another number in the reason: asked again
    ("pretty happy overall, 4", "4"),  # a clause of words, then the score in its own clause
])
def test_a_scale_answered_in_a_short_sentence(said: str, value: str | None) -> None:
    assert _read("internal-finance", "en", "data_trust", said) == ((value,) if value else None)


@pytest.mark.parametrize(("script_id", "lang", "qid", "said", "values"), [
    # A count answered by naming the things counted
    ("internal-operations", "en", "systems_count", "just the ERP", ("one",)),
    ("internal-sales", "en", "systems_count", "the CRM and my inbox, that's it", ("two_three",)),
    ("internal-finance", "en", "systems_count", "SAP, Excel, Outlook, the shared drive and Dave's notebook",
     ("four_six",)),
    ("internal-finance", "zh", "systems_count", "金蝶、Excel、邮箱、共享盘，再加上老王的本子", ("four_six",)),
    ("internal-it", "en", "systems_count", "dunno, nobody has ever counted", ("dont_know",)),  # a shrug, not a list
    # yes / maybe / no said other ways; a score out of the top with words after it; an id's compound
    ("customer-past", "zh", "come_back", "可以考虑，价格合适的话", ("maybe",)),
    ("customer-past", "en", "come_back", "never again tbh", ("no",)),
    ("internal-finance", "zh", "share_payment_status", "当然要，不然销售还在给欠款客户发货", ("yes",)),
    ("customer-current", "en", "nps", "9/10 would recommend", ("9",)),
    ("customer-past", "en", "where_now", "we hired someone and do it in-house now", ("in_house",)),
])
def test_counts_by_the_things_named_and_other_replies_new_writers_typed(script_id: str, lang: str, qid: str,
                                                                        said: str, values: tuple[str, ...]) -> None:
    assert _read(script_id, lang, qid, said) == values


@pytest.mark.parametrize(("said", "values"), [("servcie", ("service",)), ("servcie and suport", ("service",)),
                                              ("service", ("service",))])
def test_a_misspelt_word_two_labels_hold_is_the_label_it_starts(said: str, values: tuple[str, ...]) -> None:
    # "servcie" was asked "Quality of the product or service / Service and support…?"; typed right it is the
    # label that starts with it, and now misspelt too.
    assert _read("customer-current", "en", "top_value", said) == values


def test_a_reason_beside_a_word_two_labels_hold_says_which() -> None:
    # "服务" is in "产品或服务质量" and "出了问题时的服务与支持": asked which, unless the reason beside it says.
    assert _read("internal-service", "zh", "top_value", "服务吧，出问题能有人管") == ("service",)
    assert _read("internal-service", "zh", "top_value", "服务吧") is None


@pytest.mark.parametrize(("script_id", "lang", "qid", "said", "values"), [
    ("internal-sales", "en", "systems_count", "Excel, but it's a mess", None),  # a thing and a remark: not two
    ("customer-current", "zh", "satisfaction", "对服务非常满意但价格太贵", None),  # an end's label, then a "but"
    ("customer-current", "zh", "satisfaction", "非常满意", ("5",)),
])
def test_guards_on_the_new_readings(script_id: str, lang: str, qid: str, said: str,
                                    values: tuple[str, ...] | None) -> None:
    assert _read(script_id, lang, qid, said) == values
    # a word is never read as initials: "no" is not "New Orders"
    from core.choice_words import by_initials
    assert by_initials({"new_orders": ["new orders"], "other": ["other"]}, "no") == []
    assert by_initials({"new_orders": ["new orders"], "other": ["other"]}, "nwo") == []
    assert by_initials({"handling_time": ["average handling time"], "sla": ["sla compliance"]}, "aht") == [
        "handling_time"]


def test_a_word_of_the_question_itself_does_not_name_an_option() -> None:
    # Found by trying the bot as a service agent: an episode typed to "您觉得客户选择我们时最看重的是什么？" was read as
    # "能灵活配合客户的需要" because both say 客户.
    script = CATALOG.get("internal-service", "zh")
    q = script.question("top_value")
    said = "上周有个客户的发票开错了，财务说要退回重开，来回拖了九天，客户投诉了三次"
    found = read_choice(CATALOG.prober, script, q, said)
    assert not isinstance(found, Match)


@pytest.mark.parametrize(("said", "value"), [
    ("一般般，2分", "2"),  # found by trying the bot as a former customer: asked again, though it says 2
    ("3吧，不太满意", "3"),
])
def test_a_chinese_score_beside_words_about_it(said: str, value: str | None) -> None:
    assert _read("customer-past", "zh", "satisfaction_end", said) == ((value,) if value else None)


@pytest.mark.parametrize(("script_id", "lang", "qid", "said", "value"), [
    # Found by the lead trying the bot: each was asked again, though it means one option in other words.
    ("customer-past", "zh", "where_now", "换了东莞一家厂", "competitor"),  # another organisation of the kind
    ("customer-current", "zh", "top_value", "准时交货", "speed"),  # 交货 and 交付: one Cilin sense group
    ("internal-it", "zh", "hosting", "云上就行", "cloud"),  # 云 begins 云端, the whole first part of 云端（SaaS）
    ("customer-prospective", "zh", "heard_of_us", "朋友介绍的", "referral"),  # 介绍 and 推荐: one group of activities
    ("customer-current", "zh", "top_value", "交期", "speed"),  # a word Cilin lacks, read by its characters
    ("customer-prospective", "zh", "heard_of_us", "百度搜到的", "web"),
    ("customer-prospective", "en", "heard_of_us", "LinkedIn ad I think", "advertising"),  # one WordNet synset
    ("customer-prospective", "en", "current_provider", "we use an outside firm for it at the moment", "competitor"),
    ("customer-prospective", "zh", "current_provider", "外包给一家公司在做", "competitor"),
])
def test_a_reply_in_other_words_is_read_by_sense_and_confirmed(script_id: str, lang: str, qid: str, said: str,
                                                               value: str) -> None:
    script = CATALOG.get(script_id, lang)
    found = read_choice(CATALOG.prober, script, script.question(qid), said,
                        other_language_labels(CATALOG.scripts, script))
    assert isinstance(found, Match) and found.values == (value,) and not found.exact, found  # "I took that as …"


@pytest.mark.parametrize(("script_id", "lang", "qid", "said", "values"), [
    ("customer-current", "zh", "top_value", "客户满意度", None),  # 度 / 速度: a degree, not what is measured
    ("customer-current", "zh", "top_value", "销售周期长度", None),
    ("customer-current", "en", "channels", "someone to call", None),  # "someone" is no "Meetings in person"
    ("customer-current", "zh", "channels", "有个专门对接的人就行", None),  # about 人, not 对接 (≈ 沟通, 当面沟通)
    ("customer-prospective", "zh", "current_provider", "两者都有，一部分外包", None),  # a mix, not another firm
    ("customer-prospective", "en", "current_provider", "a supplier for the heavy stuff and we do the rest", None),
    ("customer-prospective", "en", "current_provider", "the whole company", None),  # their own, not another
    ("customer-past", "en", "where_now", "we're a small company", None),
    ("customer-current", "zh", "channels", "见面聊", None),  # 聊 begins 聊天, but 见面 says in person
    ("customer-past", "zh", "where_now", "我们是一家小厂", None),
    ("customer-current", "en", "top_value", "speed", ("speed",)),  # its own word, though "speed" is a kind of "go"
    ("customer-current", "zh", "top_value", "交期准时", None),  # 交 ≈ 交付, 准时 not: the head decides, and it is not
])
def test_a_reading_by_sense_never_outranks_words_nor_guesses(script_id: str, lang: str, qid: str, said: str,
                                                             values: tuple[str, ...] | None) -> None:
    assert _read(script_id, lang, qid, said) == values


def test_two_options_by_sense_are_asked_about() -> None:
    # core.choice_senses alone, with a made-up thesaurus: a word near two options' labels names neither.
    from core.choice_senses import by_sense
    words = {"送货": ("送货",), "交付速度": ("交付", "速度"), "交货期和价格": ("交货期", "和", "价格"),
             "送货上门": ("送货", "上门"), "q": ()}
    senses = {"送货": ("c5:Hi27A",), "交付": ("c5:Hi27A",), "交货期": ("c5:Hi27A",), "上门": ("c5:Hj01A",),
              "速度": ("c5:Dn01A",)}
    assert by_sense({"speed": ["交付速度"], "visit": ["上门"]}, "送货", "q", words, senses) == ["speed"]
    assert by_sense({"speed": ["交付速度"], "late": ["交货期和价格"]}, "送货", "q", words, senses) == []
    # the question's own words say nothing
    assert by_sense({"speed": ["交付速度"], "visit": ["上门"]}, "送货", "送货上门", words, senses) == []


def test_an_option_in_other_words_then_why() -> None:
    # dev2: the option said in other words first, then the reason; the reason is kept as the person's words.
    script = CATALOG.get("customer-current", "zh")
    found = read_choice(CATALOG.prober, script, script.question("top_value"), "准时交货，客户打电话来都是问这个",
                        other_language_labels(CATALOG.scripts, script))
    assert isinstance(found, Match) and found.values == ("speed",) and found.rest == ("客户打电话来都是问这个",)
    assert _read("customer-current", "zh", "top_value", "准时交货，价格也要合适") is None  # the rest names price


@pytest.mark.parametrize(("lang", "qid", "said"), [("en", "hosting", "whatever is cheapest"),
                                                   ("zh", "hosting", "哪个便宜用哪个"),
                                                   ("zh", "data_trust", "地址经常不对")])
def test_a_short_reply_in_words_is_kept_as_the_persons_comment(lang: str, qid: str, said: str) -> None:
    # Before, a reply of up to four words or eight Chinese characters that named no option was dropped.
    script = CATALOG.get("internal-it", lang)
    state = InterviewState(status="in_progress", cursor=qid)
    new, events = step(script, state, Reply(said), CATALOG.prober)
    assert [e.text for e in events if isinstance(e, Answered)] == [said] and new.cursor == qid
    assert isinstance(events[-1], Rejected) and events[-1].why == "noted"


@pytest.mark.parametrize(("lang", "said", "value", "remark"), [("en", "3 or so, contacts are stale", "3",
                                                                 "contacts are stale"),
                                                                ("zh", "4分吧，地址有些旧", "4", "地址有些旧")])
def test_a_remark_after_a_number_read_from_words_is_kept(lang: str, said: str, value: str, remark: str) -> None:
    script = CATALOG.get("internal-it", lang)
    _, events = step(script, InterviewState(status="in_progress", cursor="data_trust"), Reply(said), CATALOG.prober)
    (took,) = [e for e in events if isinstance(e, Interpreted)]
    assert took.values == (value,) and remark in " ".join(took.kept)
    assert said in [e.text for e in events if isinstance(e, Answered)]
