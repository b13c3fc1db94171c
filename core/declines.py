"""A reply that declines to answer ("I'd rather not say", "无可奉告"): respected, never probed.

Not knowing invites help (a don't-know technique); declining does not. A thoughtful interviewer who hears "prefer not
to say" or "这个不方便说" says "no problem" and moves on: another push, or "what would a colleague say?", reads as
pressing someone who has just said no. These constructions describe declining as grammar (a first-person verb of
declining or withholding, "confidential" said of the topic, asking to move on), and the reply counts only when little
else is left once they are cut out: "I'd rather not say exact numbers, but we lost 3 deals to them" is an answer.
"""

from __future__ import annotations

import re
from functools import lru_cache

from core.judge_nonanswer import cut_out

_EN = re.compile(
    r"(?:\b(?:i'?d|i would|we'?d|we would) (?:much |really )?(?:rather|prefer) not(?: to)?|"
    r"\b(?:i|we) (?:would )?(?:prefer|want|wish|choose) not to|^(?:prefer|rather) not(?: to)?)"
    r"(?= (?:say|answer|comment|share|discuss|talk|get into|go into|disclose|divulge|reveal|elaborate|specify|"
    r"be drawn|name|give|go through|relive|revisit|rehash|drag (?:it|that|all that) up|dig (?:it|that) up|"
    r"get back into|go back (?:over|into))\b|\s*[,.!;:]|\s*$)|"
    r"\bno comments?\b|\bnone of your business\b|"
    r"\b(?:i'?ll|i will|i'?m going to|i'?m gonna|gonna|i'?m going to have to|i have to|i must|i'?d like to) "
    r"(?:pass|skip|sit (?:this|that) one out|decline)\b|"
    r"\bpass(?:ing)? on (?:this|that|it)\b|\b(?:can|could|may) (?:we|i) (?:please )?(?:skip|pass on|move on)\b|"
    r"\b(?:let'?s|can we) (?:move on|not go (?:there|into (?:it|that)))\b|\bnext question\b|"
    r"\b(?:not|never) (?:really )?(?:comfortable|at liberty|allowed|permitted|free) (?:to )?"
    r"(?:say(?:ing)?|shar(?:e|ing)|discuss(?:ing)?|disclos(?:e|ing)|comment(?:ing)?|answer(?:ing)?|talk(?:ing)? "
    r"about|go(?:ing)? into|get(?:ting)? into)\b|"
    r"\b(?:can'?t|cannot|won'?t|will not|not going to|am not going to|couldn'?t) (?:really )?"
    r"(?:share|disclose|discuss|comment(?: on)?|go into|get into|divulge|reveal|talk about)\b|"
    r"\b(?:won'?t|will not|not going to|am not going to) answer\b|"
    r"\b(?:don'?t|do not) (?:really )?(?:want|wish|care|feel like) (?:to )?"
    r"(?:say|answer|comment|share|discuss|talk about|get into|go into|disclose)\b|"
    r"\b(?:that'?s|it'?s|that is|it is|this is|those are|these are|figures are|numbers are) (?:strictly |a bit |"
    r"rather |quite )?(?:confidential|private|classified|commercially sensitive|under nda|internal only)\b|"
    r"\bunder (?:an )?nda\b|\bkeep (?:that|this|it)(?: one)? to myself\b|\bno thanks?,? (?:i'?ll|i will) pass\b")
_ZH = re.compile(
    "(?<!没什么)(?<!没有)(?<!没啥)不(?:太|很|是很|大)?(?:方便|便)(?:在这里|在这儿|这里|跟你|和你|对外)?(?:说|讲|透露|回答|评价|细说|多说|谈|公开|告诉|答)|"
    "无可奉告|不予(?:置评|评论|回答|透露)|恕不(?:回答|透露|评论)|"
    "(?:不想|不太想|不大想|不愿意|不愿|不打算|不准备)(?:多|再)?(?:说|讲|谈|聊|回答|细说|透露|评价|答|展开|提|回忆|"
    "回想|重提|翻)|别再?提了(?=[，。！？,.!?~～…\\s]|$)|不提也罢|"
    "(?:就|先|暂|暂时|还是|我)?不(?:回答|评价|细说|多说|透露|答|展开|谈|说)了|弃权|"
    "(?:跳过|略过|pass)(?:吧|哈|了)?(?=[，。！？,.!?~～…\\s]|$)|下一题|换(?:个|一个|一)(?:问题|题)|"
    "(?:涉及|属于|算是|这是|都是|是)(?:我们)?(?:公司|商业|内部)?(?:的)?(?:机密|秘密|隐私)|"
    "(?:这个|这些|这块|这|数字|数据|价格)(?:是|都是|属于)?保密(?:的)?|保密(?:哈|吧|啦|呢|的)|"
    "(?<![能可])不能(?:说|讲|透露|告诉你|公开|外传)(?=[，。！？,.!?~～…\\s吧哈啊了]|$)|"
    "关你(?:什么|啥)事|与你(?:们)?无关")

# What may stand beside the decline without being an answer: fillers, apologies, pointers to the question.
_EN_FILLER = re.compile(
    r"\b(?:i|i'?m|we|me|my|sorry|apologies|thanks|thank|you|that|this|it|one|on|the|to|just|really|but|ok|okay|"
    r"well|um+|uh+|hmm+|so|please|pls|actually|honestly|tbh|question|here|at|all|for|now|a|bit|is|if|mind|afraid|"
    r"about|of|topic|subject|area|part|say|said|any|more|detail|details|further|on|right|too|bad|sadly|"
    r"unfortunately|lol|haha|hah|yeah|yes|no|nah|nope|then|there|those|these|them|that'?s|it'?s|i'?ll|one's)\b")
_ZH_FILLER = re.compile(
    "这个问题|这道题|这一题|这题|这个|这块|这方面|这些|具体的|具体|细节|的|吧|呢|啊|哈+|嗯+|呃+|额+|哦|喔|我们|我|"
    "就|先|还是|了|不好意思|抱歉|sorry|说实话|老实说|实在|真的|确实|哈哈|嘿嘿|呵呵|这|那|那个|也|都|吗|呀|"
    "你|你们|问|其他|别的|好|吧|啦|嘛|emm+|em|um|哎|唉|算了|真|太|有点|啥|什么")
_PUNCT = re.compile(r"[\s\W_]+")
# Someone else declining is content, a problem to hear about: "他们不愿意说预算", "the reps won't share their pipeline".
_OTHERS = re.compile(r"(?:\b(?:they|he|she|customers?|clients?|people|reps?|staff|users?|buyers?|suppliers?|vendors?)"
                     r"\b|"
                     "他们|她们|他|她|客户|对方|人家|用户|供应商|厂家|销售|同事|老板|领导)[^,，。.;；!！?？]*$")


@lru_cache(maxsize=8192)  # interviews and streams repeat short replies ("no comment", "不方便说", "fine")
def declines(text: str) -> bool:
    """The reply declines to answer and says little else: respect it and move on."""
    low = text.lower().replace("’", "'").replace("‘", "'")
    spans = [m.span() for rx in (_EN, _ZH) for m in rx.finditer(low) if not _OTHERS.search(low[:m.start()])]
    if not spans:
        return False
    left = _ZH_FILLER.sub(" ", _EN_FILLER.sub(" ", cut_out(low, spans)))
    left = _PUNCT.sub(" ", left).strip()
    han = sum(1 for c in left if "\u4e00" <= c <= "\u9fff")
    words = len(re.findall(r"[a-z0-9]+", left))
    # A short reason beside the decline ("it's a sore point", "涉及合同") is still declining; a clause with
    # content of its own ("…but we lost 3 deals to them") is an answer, for the judge to read.
    return words + (han + 1) // 2 <= 3
