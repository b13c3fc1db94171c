"""The words about a typed closed reply, shared by Slack and the terminal: hints that say what would work."""

from __future__ import annotations

from app.replies import interpreted_text, rejection_text
from core.events import Interpreted, Rejected


def test_an_unmatched_reply_lists_a_few_options_and_the_way_out_in_each_language() -> None:
    ev = Rejected("bad_choice", "none", ("Price", "Speed <fast>"))
    en = rejection_text(ev, "en", escape=lambda s: s.replace("<", "&lt;").replace(">", "&gt;"))
    assert en == ("I couldn't match that to one of the options. The options: Price · Speed &lt;fast&gt;. "
                  "Type part of an option, or *skip*.")
    zh = rejection_text(Rejected("bad_choice", "none", ("价格", "速度")), "zh")
    assert zh == "没能把这条回复对应到某个选项。选项有：价格 · 速度。可以输入选项中的几个字，或输入 *跳过*。"


def test_many_or_numeric_options_are_not_listed_and_other_reasons_have_their_own_words() -> None:
    many = rejection_text(Rejected("bad_choice", "none", tuple(f"o{i}" for i in range(9))), "en")
    assert "The options" not in many
    assert rejection_text(Rejected("bad_choice", "range", ("1", "5")), "en") != \
        rejection_text(Rejected("bad_choice", "none", ("1", "5")), "en")
    assert rejection_text(Rejected("stale", None), "en") == "That question was already answered."


def test_an_interpreted_reply_names_what_was_kept_as_typed() -> None:
    ev = Interpreted("q", ("erp",), ("ERP",), ("whatsapp",))
    assert interpreted_text(ev, "en") == ("I took that as “ERP” and kept “whatsapp” as you wrote it. "
                                          "Reply *back* to change it.")


def test_a_scale_asks_for_a_number_not_for_an_option() -> None:
    # Found by trying the bot: "就是省心吧" to a 1-5 satisfaction question got "可以输入选项中的几个字", and a comment
    # kept on it "哪个选项最贴切？"; a scale has numbers, not options to type part of.
    assert rejection_text(Rejected("bad_choice", "none", ("1", "5")), "en") == (
        "I couldn't find a number from 1 to 5 in that. Which number would you give? (Or type *skip*.)")
    assert rejection_text(Rejected("noted", "scale", ("1", "5")), "zh") == (
        "谢谢，您写的内容已保存。从 1 到 5，您打几分？（也可以输入 *跳过*。）")
    assert "选项" not in rejection_text(Rejected("bad_choice", "none", ("0", "10")), "zh")
    assert rejection_text(Rejected("noted", "single", ("Price", "Speed")), "en") == (
        "Thanks, I've kept what you wrote. The options: Price · Speed. Which fits best? (Or type *skip*.)")
    assert rejection_text(Rejected("noted", "single", ()), "en") == (
        "Thanks, I've kept what you wrote. Which of the options fits best? (Or type *skip*.)")
