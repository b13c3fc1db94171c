"""Chinese non-answers said without a verb of knowing: put off, handed back, too big to answer, or handed to others.

Issue 13's last cell (J14): leaving one writer out, most Chinese don't-knows still read as surface carried no sign the
grammar knew, and were short, so the class model read their few words as a shallow want. Read by kind, they say
"not now", "not me", or "no answer" in constructions the grammar lacked, not in words of knowing:
- *put off*: a later time, then 再说 ("到时候再说吧", "明年的事明年再说吧", "看到了再说呗"; not a plan: "跑得通再说"),
  one step at a time (走一步看一步), not yet the time (还没到考虑换的时候);
- *it depends on X, and nothing else*: 看 and a short noun as the whole clause ("看单子吧");
- *the question too big*: "这个问题太大了", "这题好深奥" (said of the question, not of a problem: "数据问题有点大"
  names one);
- *a tautology*: "重要就是重要呗" says nothing about why;
- *no judgement to give*: a potential complement of judging, estimating or naming (估不出来, 判断不了, 叫不出来),
  不好解释, going away to think (我得回去想想), declining to give a view (不发表意见);
- *declining with a wink or asking to move on*: "你猜😏", "你懂的", "skip吧", "下一个";
- *someone else*: a colleague by name or role who knows better (老周比较清楚, 财务那边可能有数), their own call
  (要业务自己判断吧), "ask them" (你去问他们),
  "not me to ask" (不该问我), not touching it (我就不管了, 我不碰这个, 不太接触), and a cleft naming who is at work on
  it (报表都是小吴在导, 分群是小林在系统里设的: a handover, not counted when the question asks who).
"""

from __future__ import annotations

import re

from core.judge_elsewhere import _NOT_HIRED, _WHO

# Someone by role or name, a familiar name also right after the verb of a cleft or of asking ("是小吴在导").
_WHO_AFTER = _WHO.replace("(?<![\u4e00-\u9fff])", "(?:(?<![\u4e00-\u9fff])|(?<=[是由找问]))")[:-1] + \
    "|会计|专员|工程师|秘书|文员|下面人|下面的人)"
# The clause ends: punctuation, an emoji or the answer's end ("重要就是重要呗😅").
_END = "\\s*(?![\u4e00-\u9fffa-z0-9])"
_CLAUSE_START = "(?:^|(?<=[，,。；;、\\s？?！!…]))"
_NOT_ME = "(?![^，。！？,.；;]*(?:我|咱))"
# Not a negation or a question in the clause: "就是业务根本不理解IT在干嘛" states a problem.
_NOT_ASKED = "(?![^，。！？,.；;]*(?:[不没]|干嘛|什么|啥))"

ZH_EVADE_UNSURE = re.compile(
    # put off: "到时候再说吧", "看到了再说呗" (再说 after words of its own clause; not "懒得再说", not "再说，价格也贵")
    "(?:到时候|以后|回头|改天|下次|将来|之后|后面|明年|下半年|年后|看看|看到|等)[^，。！？,.；;]{0,8}?"
    f"(?<!有)再(?:说|看|议|定)(?:吧|呗|了|啦|哈)?{_END}|走一步看一步|"
    "还没到[^，。！？,.；;]{0,8}?(?:时候|地步|阶段|那一步)|"
    f"(?<=[\u4e00-\u9fffa-z])(?:太|为时过|还太|有点|还有点)早(?:了|吧|啦|呢)?{_END}|"
    # it depends on X, and nothing else in the clause: "看单子吧", "还是看客户呗"
    f"{_CLAUSE_START}(?:要|得|就|还是|主要)?看[\u4e00-\u9fffa-z]{{1,4}}(?:吧|呗|啦){_END}|"
    # the question too big or deep: "这个问题太大了", "这题好深奥"
    "(?:这个|这|这种|你这)(?:问题|题)(?:问得)?(?:有点|太|好|挺|真|比较|很|也太)?(?:大|深|深奥|宽泛|抽象|笼统|宏观|高深|"
    "空)了?(?:吧|啊|哈|呀)?(?![\u4e00-\u9fff])|"
    # a tautology as the whole clause: "重要就是重要呗"
    f"{_CLAUSE_START}(?P<taut>[\u4e00-\u9fff]{{1,3}})就是(?P=taut)(?:呗|嘛|吧|啊|了|啦)?{_END}|"
    # no judgement to give: "估不出来", "判断不了", "名字叫不出来", "不好解释", "我得回去想想", "不发表意见"
    "(?:估|判断|评估|预估|估算|叫)不(?:出|了|上)(?:来)?|不(?:太)?好解释|"
    f"(?:怎么|咋)说(?:呢|好|嘞)?{_END}|(?:你|您|你们)[\u4e00-\u9fff]{{1,3}}?(?:觉得|认为|怎么看)(?:呢|嘞|咧)|"
    "(?:得|要|再|让我|我)(?:回去|回头)(?:好好|仔细|再)?想(?:想|一想|一下)|不(?:发表|表达|给)(?:意见|看法|评论|观点)|"
    # declining with a wink or asking to move on: "你猜😏", "呵呵，你懂的", "skip吧", "难，下一个"
    f"{_CLAUSE_START}(?:你猜|(?:我)?(?:skip|跳过|略过)|下一(?:个|题))(?:吧|呗|哈|啦|了)?{_END}|"
    # "你懂的" alone or after a word or two, not as a tag after content ("价格再有竞争力一些嘛，你懂的")
    f"^(?:[^，。！？,.；;]{{0,5}}[，,。\\s…]+)?你懂的(?:吧|呗|哈|啦)?{_END}")

ZH_EVADE_DEFER = re.compile(
    # someone by name or role knows better: "老周比较清楚", "财务那边更有数"
    f"{_WHO}(?:那边|他们|她|他)?(?:(?:应该|可能|估计|大概)(?:更|比较|最|才)?|更|比较|最|才)"
    f"(?:清楚|知道|了解|懂|有数|熟)(?:些|点|一点|一些)?(?:吧|呢)?{_END}|"
    # someone else's call: "这个要业务自己判断吧"
    f"(?:要|得|让|由)[\u4e00-\u9fffa-z]{{1,6}}?自己(?:判断|定|决定|拿主意|看着办)(?:吧|呗)?{_END}|"
    # ask them: "你去问他们", "问问她吧"
    f"(?:去|你|得|要|可以|还是)问(?:问|一下|下)?(?:他们|她们|他|她)(?:吧|呗|去)?{_END}|"
    # not me to ask: "不该问我吧", "别问我"
    "(?:不该|不应该|别|不要|不用)问我|"
    # not touching it: "我就不管了", "我不碰这个", "客户那边不太接触"
    "(?:我|俺)(?:们)?(?:就|也|都|从来|根本|一般|平时)*不(?:管|碰|经手)(?:这|那|了|的)|不(?:太|怎么|大)(?:接触|碰)|"
    "没(?:有)?(?:直接|亲自|具体|真正|实际)(?:参与|接触|对接|经手|负责|跟)")

# A cleft naming who is at work on it, with any verb: "报表都是小吴在导", "分群是小林在系统里设的" (a handover).
ZH_EVADE_HANDOVER = re.compile(
    f"{_CLAUSE_START}[^，。！？,.；;]{{0,6}}?(?:是|由){_NOT_ME}{_NOT_HIRED}{_NOT_ASKED}[^，。！？,.；;]{{0,8}}?{_WHO_AFTER}在[^，。！？,.；;]{{0,6}}?"
    f"[\u4e00-\u9fff](?:的)?(?:吧|呢)?{_END}")

# English says the same in its own constructions: someone else's call or the one to ask ("that's HR's call", "you'd want
# Marcus for that"), not involved or still training ("I don't get involved in purchasing", "I'm still in training"),
# not seeing that side ("I don't really see the customer side", "never see where it comes from"), no number to give
# until a decision ("can't give you numbers until…"), no one answer ("it changes every time", "it's a blur"), and
# declining with a wink ("ask me an easier one", "nice try", "next").
EN_EVADE_UNSURE = re.compile(
    r"(?:(?<!\w)(?=[acdhijklnstw]))(?:"
    r"\bit (?:changes|varies|depends) (?:every|each|from) (?:time|job|day|week|one|case)\b|"
    r"\b(?:it'?s|it is|all) (?:a bit of )?a blur\b|\bask me an easier one\b|\bnice try\b|"
    r"^(?:ha+|lol|haha)?[\s,]*(?:next|skip)(?: (?:one|question|please))?\s*[.!]*$|^just because\s*[.!]*$|"
    r"\b(?:don'?t|do not|never) (?:really )?keep track\b|\bcase by case\b|\btoo many to (?:pick|choose|name|single)\b|"
    r"\bwhere (?:to|do i|would i|do you) (?:even )?(?:begin|start)\b|"
    r"\bno (?:real |particular )?reason(?: in particular)?\s*[.!]*$|"
    r"\bnot comfortable (?:going into|getting into|talking about|discussing)\b|\bdun+o+\b|"
    r"\b(?:can'?t|cannot|couldn'?t) (?:really )?give you (?:a |any )?"
    r"(?:number|numbers|figure|figures|estimate|answer)\b)")
EN_EVADE_DEFER = re.compile(
    r"(?:(?<!\w)(?=[iyntw]))(?:"
    r"\b(?:that'?s|it'?s|that is|it is) (?:really |more |probably |all )?(?:[a-z]+'s|their|his|her) call\b|"
    r"\byou'?d (?:want|need) [a-z]+(?: [a-z]+)? (?:for|on) (?:that|this)\b|"
    r"\b(?:i|we) (?:don'?t|do not|never) (?:really )?(?:get involved|deal with [a-z]+ directly)\b|"
    r"\bi'?m (?:still )?in training\b|\b(?:that'?s|it'?s) with (?:the |our |my )?[a-z]+\s*[.!]*$|"
    r"\bi'?m (?:more|mostly|mainly) (?:on|in) the [a-z]+ side\b|^whatever [a-z]+ (?:thinks|decides|wants|says)\b|"
    r"\b(?:i'?d|i would) have to see (?:the |our )?[a-z]+ first\b|"
    r"\b(?:i|we) (?:don'?t|do not|never) (?:really )?(?:see|get to see) (?:where (?:it|they) (?:comes?|go(?:es)?)|"
    r"the [a-z]+ side)\b)")
