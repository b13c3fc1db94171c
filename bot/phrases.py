"""What the bot says around the questions (progress, help, errors, thanks) in English and Chinese."""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "progress": "Question {position} of {total}",
        "anonymous": "This answer is anonymous: it is stored without your name, only with your group.",
        "choose_one": "Reply with a number, or use the buttons.",
        "choose_many": "Reply with one or more numbers, e.g. 1,3.",
        "scale": "Reply with a number from {min} to {max}.",
        "yesno": "Reply yes or no.",
        "open": "Type your answer in your own words.",
        "help": ("Answer in your own words; there are no wrong answers. You can type *skip* to leave a "
                 "question out, *back* to change your previous answer, *pause* to stop and come back later, "
                 "and *help* to see this again."),
        "paused": "Paused. Your answers so far are saved; type *resume* whenever you want to carry on.",
        "resumed": "Welcome back, let's continue where we left off.",
        "declined": "No problem, thank you for letting us know. You will not be asked again for this round.",
        "completed": "That's everything. Thank you, your answers really help.",
        "summary_title": "Here is what you told us:",
        "skipped": "Skipped.",
        "went_back": "Sure, let's go back.",
        "rejected.bad_choice": "I didn't catch that choice.",
        "rejected.empty": "That looked empty; please type an answer (or *skip*).",
        "rejected.stale": "That question was already answered.",
        "rejected.duplicate": "Already got that one.",
        "rejected.finished": "This interview is already finished. Thank you!",
        "rejected.not_started": "Start the interview first.",
        "rejected.not_in_progress": "The interview is not running right now.",
        "rejected.nothing_before": "This is the first question; there is nothing to go back to.",
        "truncated": "(Your answer was very long; we kept the first 40,000 characters.)",
    },
    "zh": {
        "progress": "第 {position} 题，共 {total} 题",
        "anonymous": "本题匿名：您的回答不会与您的姓名关联，只记录所属群体。",
        "choose_one": "请回复选项编号，或直接点按钮。",
        "choose_many": "可回复一个或多个编号，例如 1,3。",
        "scale": "请回复 {min} 到 {max} 之间的数字。",
        "yesno": "请回复“是”或“否”。",
        "open": "请用您自己的话回答。",
        "help": ("请按自己的真实想法回答，没有对错之分。随时可以输入 *跳过* 略过本题，*返回* 修改上一题，"
                 "*暂停* 稍后再继续，*帮助* 再次查看本说明。"),
        "paused": "已暂停。您目前的回答都已保存，想继续时输入 *继续* 即可。",
        "resumed": "欢迎回来，我们接着上次的地方继续。",
        "declined": "好的，感谢告知。本轮不会再打扰您。",
        "completed": "问题都问完了，非常感谢！您的回答对我们很有帮助。",
        "summary_title": "以下是您的回答摘要：",
        "skipped": "已跳过。",
        "went_back": "好的，我们回到上一题。",
        "rejected.bad_choice": "没能识别这个选项。",
        "rejected.empty": "回答是空的，请输入内容（或输入 *跳过*）。",
        "rejected.stale": "这道题已经回答过了。",
        "rejected.duplicate": "这条已经收到了。",
        "rejected.finished": "本次访谈已经结束，谢谢！",
        "rejected.not_started": "请先开始访谈。",
        "rejected.not_in_progress": "访谈当前没有在进行。",
        "rejected.nothing_before": "这已经是第一题，没有上一题了。",
        "truncated": "（回答太长，我们保留了前 40,000 个字符。）",
    },
}


def say(lang: str, key: str, **kwargs: object) -> str:
    table = PHRASES.get(lang, PHRASES["en"])
    return table.get(key, PHRASES["en"].get(key, key)).format(**kwargs)
