"""What the terminal says around an interview, in English and Chinese: no buttons, commands that work here."""

from __future__ import annotations

from app.phrases import say as say_shared

# Keys here win over app/phrases.py in the terminal: Slack's wording mentions buttons and "type resume",
# neither of which a terminal has.
TERMINAL: dict[str, dict[str, str]] = {
    "en": {
        "header": "{title}  (about {minutes} min)",
        "help_hint": "Type help at any time for skip, back and pause.",
        "choose_one": "Reply with a number (or the choice's words).",
        "consent.ask": "Type yes to start, or no if you would rather not take part.",
        "consent.again": "Please type yes or no. (Type no if you would rather not take part.)",
        "consent.help": ("The text above says how your answers are used. Type yes to start the interview, or no "
                         "to leave without anything being stored."),
        "consent.declined": "No problem, thank you for letting us know. Nothing was stored.",
        "consent.no_answer": "No answer to the consent question, so nothing was stored.",
        "stored_as": "Your answers are stored under the pseudonym {pseudonym}.",
        "stored_as.assisted": "{who} is stored under the pseudonym {pseudonym}.",
        "paused": "Paused. Your answers so far are saved.",
        "resume_with": "To carry on where you stopped, run: {command}",
        "interrupted": "Interrupted: the interview is paused and your answers so far are saved.",
        "interrupted.nothing": "Interrupted; nothing was stored.",
        "stopped": "Stopped.",
        "resuming": "Resuming interview {id} for {name} ({pseudonym}) where it stopped.",
        "already": ("{name} already {status} '{title}' in this round (interview {id}); use --participant with "
                    "another name to run it again."),
        "status.completed": "completed",
        "status.declined": "declined",
        "lang.switched": "Interview {id} had no answers yet, so it now continues in {language}.",
        "lang.kept": ("Interview {id} started in {started} and already has answers, so it continues in {started}; "
                      "--lang {asked} applies to new interviews (use --participant with another name)."),
        "lang.en": "English",
        "lang.zh": "Chinese",
        "suggested": "Suggested follow-up: ",
    },
    "zh": {
        "header": "{title}（约 {minutes} 分钟）",
        "help_hint": "随时输入“帮助”查看跳过、返回、暂停等用法。",
        "choose_one": "请回复选项编号（或选项文字）。",
        "consent.ask": "同意请输入“是”开始；如不愿参加，请输入“否”。",
        "consent.again": "请输入“是”或“否”。（不愿参加请输入“否”。）",
        "consent.help": "上面的说明介绍了回答的用途。输入“是”开始访谈；输入“否”则直接离开，不会保存任何内容。",
        "consent.declined": "好的，感谢告知。我们没有保存任何内容。",
        "consent.no_answer": "没有收到是否同意的回答，因此没有保存任何内容。",
        "stored_as": "您的回答以化名 {pseudonym} 保存。",
        "stored_as.assisted": "{who} 的回答以化名 {pseudonym} 保存。",
        "paused": "已暂停，您目前的回答都已保存。",
        "resume_with": "想从停下的地方继续时，请运行：{command}",
        "interrupted": "已中断：访谈已暂停，您目前的回答都已保存。",
        "interrupted.nothing": "已中断，没有保存任何内容。",
        "stopped": "已停止。",
        "resuming": "继续 {name}（{pseudonym}）的访谈 {id}，从上次停下的地方接着问。",
        "already": "{name} 在本轮已经{status}“{title}”（访谈 {id}）；如需再做一次，请用 --participant 换一个名字。",
        "status.completed": "完成了",
        "status.declined": "谢绝了",
        "lang.switched": "访谈 {id} 还没有回答，现已改用{language}继续。",
        "lang.kept": ("访谈 {id} 以{started}开始且已有回答，因此继续使用{started}；--lang {asked} 只对新访谈有效"
                      "（可用 --participant 换一个名字）。"),
        "lang.en": "英文",
        "lang.zh": "中文",
        "suggested": "建议追问：",
    },
}

CONSENT_YES = frozenset({"yes", "y", "yes please", "yes, please", "yeah", "yep", "ok", "okay", "sure", "agree",
                         "i agree", "i do", "go ahead", "start",
                         "是", "是的", "好", "好的", "可以", "同意", "我同意", "愿意", "行", "没问题", "开始"})
CONSENT_NO = frozenset({"no", "n", "nope", "no thanks", "no, thanks", "no thank you", "decline", "i decline",
                        "i do not agree", "i don't agree", "not now", "否", "不", "不要", "不同意", "我不同意",
                        "不愿意", "不参加", "不用了", "算了", "谢绝"})
_NO_STARTS = ("no ", "no,", "not ", "i do not", "i don't", "don't", "不同意", "不愿", "不想", "不参加", "我不")


def say(lang: str, key: str, **kwargs: object) -> str:
    """The terminal's wording for `key`, else the phrase every channel shares."""
    table = TERMINAL.get(lang, TERMINAL["en"])
    if key in table:
        return table[key].format(**kwargs)
    return say_shared(lang, key, **kwargs)


def consent_reply(normalised: str) -> bool | None:
    """True for yes, False for no, None when the reply is neither (ask again). Input is already normalised."""
    if normalised in CONSENT_YES:
        return True
    if normalised in CONSENT_NO or normalised.startswith(_NO_STARTS):
        return False
    return None
