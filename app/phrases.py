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
        # After a reply that declines to answer ("I'd rather not say"), before the next question; varied by turn.
        "let_go.0": "No problem, we'll leave that one.",
        "let_go.1": "That's fine, we can skip that one.",
        "let_go.2": "Of course, no need to go into it.",
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
        # Slack
        "commands_hint": "Type *help*, *skip*, *back* or *pause* at any time.",
        "select.placeholder": "Choose one…",
        "multi.placeholder": "Choose any…",
        "button.start": "Start",
        "button.resume": "Resume",
        "button.later": "Later",
        "button.decline": "No, thanks",
        "button.submit": "Submit",
        "button.yes": "Yes",
        "button.no": "No",
        "invite.minutes": ("About {minutes} minutes, one question at a time. You can stop and come back "
                           "whenever you like."),
        "invite.started": "Started: the first question is below.",
        "invite.later": "You chose to do this later.",
        "invite.declined": "You declined this interview.",
        "later.phrase": "tomorrow",
        "later": "No problem, I'll remind you later. Type *start* here whenever you're ready.",
        "chose": "You answered: {answer}",
        "multi.none": "Tick at least one box, then press Submit (or type the numbers, e.g. 1,3).",
        "edited": "Got it, I updated your answer.",
        "edit.unknown": "I could not find an answer for that message, so nothing was changed.",
        "not_yours": "That button belongs to someone else's interview, so nothing was changed.",
        "no_interview": "You have no interview open right now. Thank you! If you were expecting one, ask the CNA team.",
        "start_first": "Press *Start* on the invitation above (or type *start*) when you are ready.",
        "assisted.probe": "Suggested follow-up: {probe}",
        "assisted.intro": ("You are interviewing *{who}* with “{title}”. Read them the introduction and consent "
                           "below, then type what they say here, one answer at a time; I will suggest follow-ups. "
                           "Type *pause* to stop and run `/cna assist` again to carry on."),
        "reminder": ("A gentle reminder: your interview *{title}* is still waiting for you. It takes about "
                     "{minutes} minutes; press the button or reply here when you have a moment."),
        "home.title": "Your CNA interviews",
        "home.none": "No interviews are waiting for you. Thank you!",
        "home.item": "*{title}*: {status}",
        "home.status.invited": "not started",
        "home.status.in_progress": "in progress ({answered} answered)",
        "home.status.paused": "paused ({answered} answered)",
        "home.round": "Round progress: {name}",
        # Typed choices (Slack): the hint names only what the message shows.
        "hint.buttons": "Press a button, or just type your answer.",
        "hint.menu": "Pick one from the menu, or just type it.",
        "hint.checkboxes": "Tick all that apply and press *Submit*, or type them, separated by commas.",
        "hint.multimenu": "Pick from the menu and press *Submit*, or type them, separated by commas.",
        "hint.yesno": "Press *Yes* or *No*, or type it.",
        "hint.scale": "Press a number from {min} to {max}, or type it.",
        "interpreted": "I took that as “{labels}”. Reply *back* to change it.",
        "interpreted.kept": ("I took that as “{labels}” and kept “{kept}” as you wrote it. Reply *back* to "
                             "change it."),
        "rejected.noted": "Thanks, I've kept what you wrote. Which of the options fits best? (Or type *skip*.)",
        "rejected.noted.yesno": "Thanks, I've kept what you wrote. On the whole, would you say yes or no? (Or type "
                                "*skip*.)",
        "rejected.noted.options": "Thanks, I've kept what you wrote. The options: {options}. Which fits best? (Or "
                                  "type *skip*.)",
        "rejected.noted.scale": "Thanks, I've kept what you wrote. What number from {lo} to {hi} would you give? "
                                "(Or type *skip*.)",
        "choice.none.scale": "I couldn't find a number from {lo} to {hi} in that. Which number would you give? "
                             "(Or type *skip*.)",
        "choice.none": "I couldn't match that to one of the options.",
        "choice.options": "The options: {options}.",
        "choice.ambiguous": "That could be {options}: which one do you mean?",
        "choice.range": "Please give a number from {lo} to {hi}.",
        "choice.one_only": "Please choose just one option.",
        "choice.too_many": "Please pick at most {n}.",
        "choice.exclusive": "“{label}” can't be ticked together with other options.",
        "choice.again": "Type part of an option, or *skip*.",
        "choice.yesno": "Would you say yes or no? (Or type *skip*.)",
        "choice.dont_know": ("No problem. If one of the options comes close, type it; if not, type *skip* and we'll "
                             "move on."),
        "rejected.range": "Please give a number in the range shown.",
        "rejected.not_declined": "You're already taking part. Thank you!",
        "rejected.finished.expired": ("This round of interviews has closed, so this interview can't continue. "
                                      "Thank you for your answers!"),
        "rejected.finished.declined": "You declined this interview. Changed your mind? Type *start*.",
        "summary.short": "In short, here is what you told us (type *my data* for everything I keep):",
        "summary.more": "(+{n} follow-up answer(s))",
        # Declining, and changing one's mind
        "button.reconsider": "Changed my mind",
        "reconsider.hint": "Changed your mind? Press the button within {days} days, or type *start* here.",
        "reconsider.expired": "This button has expired. If you'd still like to take part, type *start* here.",
        "reconsider.closed": "This round of interviews has closed, so it can't be restarted. Thank you anyway!",
        "reconsidered": "Thank you for taking part after all!",
        "reconsider.done": "You changed your mind: the interview continues below.",
        "declined.note": ("You declined this interview, so I'm not keeping what you write here. Changed your mind? "
                          "Type *start*."),
        # After the interview: afterthoughts, a closed round
        "addendum.thanks": "Thank you, I've added that to your interview answers.",
        "thread.added": ("Thanks, I've added that to your answer to “{question}”. The question we're on is still open "
                         "whenever you're ready."),
        "thread.added_after": "Thank you, I've added that to your answer to “{question}”.",
        "addendum.closed": ("The interview round *{name}* has closed, so there are no more questions. I've kept what "
                            "you wrote with your answers; if you'd rather I didn't, press *Don't keep it*."),
        "button.discard": "Don't keep it",
        "addendum.discarded": "Done: that message is deleted from your answers.",
        "addendum.discard_gone": "That message is no longer among your answers.",
        "closed.not_started": ("The interview round *{name}* has closed, so this interview can no longer be started. "
                               "Thank you!"),
        "closed.notice": ("The interview round *{name}* has closed, so I won't ask you any more questions. Thank you: "
                          "your answers so far are kept. If you'd still like to add something, just write it here."),
        "reopened.notice": ("The interview round *{name}* is open again. Type *resume* whenever you'd like to carry "
                            "on where you stopped."),
        "welcome": "You're welcome!",
        "done.command": ("Your interview is finished, thank you! If something else comes to mind, just write it "
                         "here."),
        "opted_out": ("You asked for your data to be erased, so I'm not keeping anything you write here. The "
                      "erasure will be done by {due}, and I'll tell you here when it is."),
        "start_first.kept": ("Press *Start* on the invitation above (or type *start*) when you are ready. I only keep "
                             "answers once you've started."),
        # Files
        "file.noted": "[Attached file: {names}]",
        "file.describe": ("Thanks for the file ({names}). I can't open files here, so I've only noted its name: "
                          "could you tell me in a few words what it shows?"),
        # Edits
        "edit.unmatched": "I couldn't match your edit to an option, so your answer stays “{answer}”.",
        "edited.choice": "Got it, I updated your answer to “{answer}”.",
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
        "let_go.0": "没问题，这题我们就不谈了。",
        "let_go.1": "好的，这个可以不说，我们接着往下。",
        "let_go.2": "理解，这题先放一放。",
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
        # Slack
        "commands_hint": "随时可以输入 *帮助*、*跳过*、*返回* 或 *暂停*。",
        "select.placeholder": "请选择…",
        "multi.placeholder": "可多选…",
        "button.start": "开始",
        "button.resume": "继续",
        "button.later": "稍后",
        "button.decline": "不参加",
        "button.submit": "提交",
        "button.yes": "是",
        "button.no": "否",
        "invite.minutes": "大约需要 {minutes} 分钟，一次一个问题。随时可以暂停，之后再继续。",
        "invite.started": "已开始：第一个问题在下面。",
        "invite.later": "您选择了稍后再做。",
        "invite.declined": "您已谢绝本次访谈。",
        "later.phrase": "明天",
        "later": "好的，我稍后再提醒您。准备好了随时在这里输入 *开始*。",
        "chose": "您的回答：{answer}",
        "multi.none": "请至少勾选一项再点“提交”（也可以直接输入编号，例如 1,3）。",
        "edited": "收到，已更新您的回答。",
        "edit.unknown": "没有找到这条消息对应的回答，因此没有修改。",
        "not_yours": "这个按钮属于别人的访谈，因此没有做任何修改。",
        "no_interview": "您目前没有待完成的访谈，谢谢！如果您在等待邀请，请联系 CNA 项目组。",
        "start_first": "准备好后，请点击上面邀请中的 *开始*（或输入 *开始*）。",
        "assisted.probe": "建议追问：{probe}",
        "assisted.intro": ("您正在用“{title}”访谈 *{who}*。请先向对方宣读下面的介绍和同意说明，然后把对方的回答逐条"
                           "输入这里，我会建议追问。输入 *暂停* 可中途停止，再次运行 `/cna assist` 即可继续。"),
        "reminder": ("温馨提醒：您的访谈 *{title}* 还在等您，大约需要 {minutes} 分钟。"
                     "方便时点按钮或直接在这里回复即可。"),
        "home.title": "您的 CNA 访谈",
        "home.none": "目前没有等您完成的访谈，谢谢！",
        "home.item": "*{title}*：{status}",
        "home.status.invited": "尚未开始",
        "home.status.in_progress": "进行中（已回答 {answered} 题）",
        "home.status.paused": "已暂停（已回答 {answered} 题）",
        "home.round": "本轮进度：{name}",
        "hint.buttons": "点按钮，或直接输入您的选择。",
        "hint.menu": "从菜单中选一项，或直接输入。",
        "hint.checkboxes": "勾选所有适用的选项后点 *提交*，或直接输入（用逗号分开）。",
        "hint.multimenu": "从菜单中选择后点 *提交*，或直接输入（用逗号分开）。",
        "hint.yesno": "点“是”或“否”，或直接输入。",
        "hint.scale": "点 {min} 到 {max} 之间的数字，或直接输入。",
        "interpreted": "我理解为“{labels}”。如需修改，请回复 *返回*。",
        "interpreted.kept": "我理解为“{labels}”，“{kept}”按您写的原样保存。如需修改，请回复 *返回*。",
        "rejected.noted": "谢谢，您写的内容已保存。哪个选项最贴切？（也可以输入 *跳过*。）",
        "rejected.noted.yesno": "谢谢，您写的内容已保存。总的来说，您会选“是”还是“否”？（也可以输入 *跳过*。）",
        "rejected.noted.options": "谢谢，您写的内容已保存。选项有：{options}。哪个最贴切？（也可以输入 *跳过*。）",
        "rejected.noted.scale": "谢谢，您写的内容已保存。从 {lo} 到 {hi}，您打几分？（也可以输入 *跳过*。）",
        "choice.none.scale": "没能从这条回复里读出 {lo} 到 {hi} 的分数。您打几分？（也可以输入 *跳过*。）",
        "choice.none": "没能把这条回复对应到某个选项。",
        "choice.options": "选项有：{options}。",
        "choice.ambiguous": "这可能是 {options}，您指的是哪一个？",
        "choice.range": "请输入 {lo} 到 {hi} 之间的数字。",
        "choice.one_only": "请只选一项。",
        "choice.too_many": "最多选 {n} 项。",
        "choice.exclusive": "“{label}”不能和其他选项同时选。",
        "choice.again": "可以输入选项中的几个字，或输入 *跳过*。",
        "choice.yesno": "总的来说，您会选“是”还是“否”？（也可以输入 *跳过*。）",
        "choice.dont_know": "没关系。如果有哪个选项比较接近，输入它就行；实在说不上来，输入 *跳过*，我们接着往下聊。",
        "rejected.range": "请输入显示范围内的数字。",
        "rejected.not_declined": "您已经在参加访谈了，谢谢！",
        "rejected.finished.expired": "本轮访谈已经结束，这次访谈无法继续。感谢您的回答！",
        "rejected.finished.declined": "您已谢绝本次访谈。如果改变主意，请输入 *开始*。",
        "summary.short": "简要回顾您的回答（输入 *我的数据* 可查看保存的全部内容）：",
        "summary.more": "（另有 {n} 条追问回答）",
        "button.reconsider": "我改主意了",
        "reconsider.hint": "改变主意了？{days} 天内点这个按钮，或在这里输入 *开始* 即可。",
        "reconsider.expired": "这个按钮已过期。如果您仍想参加，请在这里输入 *开始*。",
        "reconsider.closed": "本轮访谈已经结束，无法重新开始。仍然感谢您！",
        "reconsidered": "谢谢您改变主意参加！",
        "reconsider.done": "您改变了主意：访谈在下面继续。",
        "declined.note": "您已谢绝本次访谈，因此这里写的内容不会保存。如果改变主意，请输入 *开始*。",
        "addendum.thanks": "谢谢，已把这条补充加入您的访谈回答。",
        "thread.added": "谢谢，已补充到您对“{question}”的回答里。当前的问题还在等您，随时回复即可。",
        "thread.added_after": "谢谢，已补充到您对“{question}”的回答里。",
        "addendum.closed": ("访谈轮次 *{name}* 已经结束，不会再有新的问题。您写的内容已和您的回答保存在一起；"
                            "如果不希望保存，请点 *不要保存*。"),
        "button.discard": "不要保存",
        "addendum.discarded": "好的，已从您的回答中删除这条消息。",
        "addendum.discard_gone": "这条消息已经不在您的回答中了。",
        "closed.not_started": "访谈轮次 *{name}* 已经结束，这次访谈无法再开始。谢谢！",
        "closed.notice": ("访谈轮次 *{name}* 已经结束，我不会再问您新的问题。谢谢！您目前的回答都已保存。"
                          "如果还想补充什么，直接在这里写就可以。"),
        "reopened.notice": "访谈轮次 *{name}* 重新开放了。想继续时输入 *继续*，就能从上次停下的地方接着回答。",
        "welcome": "不客气！",
        "done.command": "您的访谈已经完成，谢谢！之后想到什么，直接在这里写就可以。",
        "opted_out": "您已申请删除数据，因此这里写的内容都不会保存。删除会在 {due} 之前完成，完成后我会在这里告诉您。",
        "start_first.kept": "准备好后，请点击上面邀请中的 *开始*（或输入 *开始*）。开始之后的回答才会保存。",
        "file.noted": "[附件：{names}]",
        "file.describe": ("谢谢您发来的文件（{names}）。我在这里打不开文件，只记下了文件名："
                          "能用几句话说说它显示的内容吗？"),
        "edit.unmatched": "没能把您修改后的内容对应到某个选项，因此您的回答保持为“{answer}”。",
        "edited.choice": "收到，已把您的回答更新为“{answer}”。",
    },
}


LET_GO = 3  # wordings of the kind word after a decline (let_go.0 ...)


def let_go(lang: str, turn: int) -> str:
    """The kind word after a decline; consecutive questions never get the same one."""
    return say(lang, f"let_go.{turn % LET_GO}")


def say(lang: str, key: str, **kwargs: object) -> str:
    table = PHRASES.get(lang, PHRASES["en"])
    return table.get(key, PHRASES["en"].get(key, key)).format(**kwargs)
