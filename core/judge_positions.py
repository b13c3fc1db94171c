"""More of the grammar of a non-answer: not being placed to answer, declining, waiting on others, no one answer.

Issue 13's writer-aware estimate (`cna train prober --by-file`) showed two later writers' don't-knows read at 69-85%
by a model that never saw them, most with no sign the grammar knew. These constructions are written from how people
say they cannot or will not answer, as classes rather than the writers' phrases:
- *not placed to answer*: the question does not apply to me, I'm not the one to ask, someone else holds it, I came in
  after, it's my predecessor's ("doesn't really apply to me", "the CFO has the breakdown, I don't", "这题不太适用我",
  "到期时间我这没有", "那是我前任的事了");
- *declining*: "I'd rather not", "keep that one to myself", "a sensitive one", "不太想聊这个", "我先不回答了",
  "点到为止";
- *waiting on others or on a decision*: "still being debated at board level", "HR would need to lead on that",
  "还在定", "这个要董事会讨论", "领导定吧", "等看到报表再说";
- *no one answer*: "every deal is different", "no two go the same way", "见仁见智", "一概而论", "总结不出来";
- *no sense of it*: "no sense of it", "a mystery to me", "wish I knew", "我记性不行", "没细问过".

And (issue 13's boundary work) being out of reach of it ("I never see how the day orders go", "no access to the
back-end", "我这边接触不到", "没对接过"), waiting on a decision ("can't give a number until the budget is approved"),
not wanting to go back over it ("不想再提了"), futility ("what's the point", "说了又能咋样"), the question handed to the
asker's team ("isn't that for your project team to decide?", "这不是应该你们项目组来定吗"), and the handover: who
does it, said instead of how it is done ("是财务的张总在做", "一般是应收组的小刘在跟"; `HANDOVER`, not counted when the
question asks who: then naming someone is the answer).
"""

from __future__ import annotations

import re

EN_UNSURE_MORE = re.compile(
    r"\b(?:have |has )?no (?:real )?(?:sense|feel|feeling|picture) (?:of|for)\b|\bput (?:it|that|this) into words\b|"
    r"\bnothing to compare\b|\bcan'?t (?:really )?compare\b|\bmemory(?:'s| is) (?:not|isn'?t) (?:great|good)\b|"
    r"\b(?:nope|no),? gone\b|\b(?:a )?(?:mystery|black box) to (?:me|us)\b|\bwish i knew\b|"
    r"\bisn'?t that (?:exactly |just |precisely )?what\b|\bno two (?:\w+ )?(?:are|go|look)\b|"
    r"\bevery (?:\w+ )?is different\b|\bthere (?:isn'?t|is no|'s no) (?:really )?(?:a )?typical\b|"
    r"\b(?:i'?d|i would) rather not\b|\bkeep (?:that|this|it)(?: one)? to myself\b|\bstay out of (?:that|this|it)\b|"
    r"\b(?:can'?t|cannot|won'?t|couldn'?t) (?:really )?(?:share|disclose|go into)\b|"
    r"\bnot (?:something )?(?:i'?m|i am) comfortable\b|\bi'?ll (?:leave|pass on|skip|sit out) (?:it|that|this)\b|"
    r"\b(?:sensitive|touchy|delicate) (?:one|topic|question|subject)\b|\bpre-?empt\b|\bcan we skip\b|"
    r"\b(?:think about|consider) (?:that|it|this) (?:properly|more|first) before\b|"
    r"\bmove (?:too|to|so) fast to (?:say|tell|plan|predict)\b|\bhard to (?:predict|forecast)\b|"
    r"\btoo early for\b|\bdon'?t feel (?:i|like i) can (?:speak|say|comment)\b|\bcouldn'?t give you\b|"
    r"\bnever (?:timed|tracked|clocked)\b|\b(?:they'?re|it'?s) all (?:a bit )?meh\b|"
    r"\bi (?:don'?t|do not|never) (?:really |actually )?(?:see|get to see) (?:what happens|how (?:it|they)|the middle|"
    r"that part|any of (?:it|that))\b|"
    r"\b(?:i|we) (?:never|don'?t|do not|rarely|hardly ever) (?:really |actually |even )?(?:get to )?(?:see|hear) "
    r"(?:how|what (?:happens|goes on)|that (?:side|part|end)|much of)\b|"
    r"\b(?:don'?t|do not|would rather not|never) (?:really )?(?:want|wish|care) to (?:go back over|revisit|relive|"
    r"talk about|get into|dig into|go into|think about)\b|\bwhat'?s the point\b|"
    r"\b(?:nobody|no ?one) (?:listens|cares)\b")
EN_DEFER_MORE = re.compile(
    r"\b(?:doesn'?t|does not|don'?t|do not) (?:really )?apply to (?:me|us|my)\b|"
    r"\b(?:not )?the (?:right |best )?(?:ones?|person|people) to ask\b|\bwould be your (?:guy|person|best bet)\b|"
    r"\b(?:get|have) a better answer from\b|\bwould know (?:that |this |it )?better\b|"
    r"\bsomeone else'?s (?:area|job|call|department|side|thing)\b|"
    r"\b(?:i|we) don'?t (?:have|hold|keep) (?:it|that|those|them|the (?:\w+ )?(?:numbers?|figures?|dates?|"
    r"breakdown|details?|data|deck|file|contracts?))(?: to hand| with me| in front of me| on me)?\b|"
    r",\s*i don'?t\s*[.!]?$|(?<=[,;] )(?:we'?re|i'?m|we are|i am) [a-z]+ only\s*[.!]?$|"
    r"\bstill being (?:debated|discussed|decided|worked out|modell?ed|agreed|reviewed)\b|"
    r"\bstill (?:modell?ing|debating|deciding|discussing|reviewing) (?:it|that|this)\b|"
    r"\b(?:would|will|'d) need to lead\b|\bnot something i'?d decide\b|\blet'?s see what\b|\bcame in after\b|"
    r"\bwasn'?t my (?:run|job|shift|account|deal|call|project|case|area)\b|"
    r"\b(?:i|we) (?:don'?t|do not|never) (?:have|get|got) (?:any )?access\b|\bno access to\b|"
    r"\b(?:nobody|no ?one) (?:ever )?(?:tells|told|informs|shows|asks) (?:us|me)\b|"
    r"\buntil (?:the |our |it )?(?:[a-z]+ )?(?:is|are|gets?|has been|have been) (?:approved|signed(?: off)?|decided|"
    r"agreed|finali[sz]ed|confirmed|through)\b|"
    r"\bisn'?t (?:that|this|it) (?:for|up to|something for|a question for) (?:your|you)\b")
ZH_UNSURE_MORE = re.compile(
    "晓不得|我怎么(?:知道|晓得)|谁(?:能)?说得(?:准|清)|记性不(?:行|好)|(?:总结|选|点|挑|分|排)不出(?:来)?|"
    "一概而论|见仁见智|没(?:个|有)?固定的|没(?:有)?(?:一个)?判断|"
    "不(?:太)?想(?:聊|说|谈|讲|回答|评价|展开|多说)|(?:就|先|还是|我)不(?:回答|评价|展开|多说|细说)了|"
    "(?<!没什么)(?<!没有)不方便(?:在这里|在这儿|这里)?(?:说|讲|透露|回答|评价)|(?:还是)?别了吧|点到为止|选择跳过|"
    "(?<![a-z])pass(?![a-z])|(?:这个|这|问题|话题|这块|这题)(?:问题|话题)?(?:有点|比较|挺|太|很)?敏感|不好(?:表态|给结论|定调|评价|下结论)|"
    "还在(?:定|研究|讨论|评估|测算|商量)|(?:还)?没(?:最终)?定(?:下来)?(?=[，。！？,.…]|$)|"
    "等[^，。！？,.]{1,10}(?:再说|才有数|才知道|再看)|(?:有点|还太|为时)早|没(?:啥|什么)?意义|变化(?:太|这么)快|"
    "没(?:细|仔细|具体)(?:问|看|研究)过?|没遇到过|没(?:啥|什么)好说|^呵呵+[。！!…~～]*$|"
    "不(?:太)?想再?(?:提|回忆|翻)|说了(?:又|也)?能(?:咋样|怎样|怎么样|改变什么)|(?:又)?能(?:咋样|怎么样)呢")
ZH_DEFER_MORE = re.compile(
    "不(?:太)?(?:适合|适用)(?:于)?我|到不了我(?:们)?这|(?:我们|我|俺们)(?:一般)?不(?:参与|掌握|接触|经手)|前任|"
    "我接手(?:的时候|之前|前)|(?:要|得|还要|需要)[^，。！？,.]{0,8}(?:讨论|研究|测算|评估|商量|牵头)|"
    "(?:这)?得看[^，。！？,.]{1,8}(?:结果|意思|决定)|(?:领导|老板|上面|上头|公司|总部)(?:定|决定|安排)(?:吧|呗)|"
    "听(?:领导|老板|上面|公司)(?:的)?安排|说了(?:也)?不算|"
    "(?:问|找)[\u4e00-\u9fffa-z]{0,4}?(?:长|员|总|经理|主管|部|组|同事|姐|哥|cfo|ceo|hr)(?=吧|比较|去|[，。,.]|$)|"
    "找(?:他们|她们|他|她)要|(?:我|我们)?(?:这|这边|这里|这儿)(?:也)?没(?:有)?(?!问题|了)[^，。！？,.]{0,6}(?=[。.!！]|$)|"
    "(?:我们|俺们)(?:就|也)?只(?:负责|管)|(?:我们|我|俺们)(?:就|也)?只是(?:按|执行|负责|个)|我(?:就|只)是(?:个|一个)|"
    "(?:的事|这块|这个|那块)(?:情)?(?:都|一直)?(?:是)?(?!我)[\u4e00-\u9fffa-z]{1,6}?(?:在(?:看|管|做|跟|弄|负责)|管着)|"
    "(?:接触|碰|摸|够)不(?:到|着)|没(?:有)?(?:对接|接触|参与|经手|跟进|跟)过|没(?:有)?权限|"
    "(?:我|我们|俺|俺们)(?:这边|这儿|这里)?(?:一般|从来|也|都|基本)?不(?:对接|负责|跟|参与|接触|经手)(?=[，。！？,.…这那]|$)|"
    "(?:不是|难道不是)(?:应该)?(?:你们|您们|贵司)[^，。！？,.]{0,8}(?:定|决定|考虑|负责|安排)(?:的)?(?:吗|嘛|么)|"
    # new to the job, said of oneself with words between (issue 13's last-cell round): "我上周才转岗过来",
    # "我刚从审计那边轮岗过来一个月", "我是后来才进公司的"; not "我要开三个新客户才补得回来" (来 as a direction)
    "(?:我|俺)(?:是|也|就|其实|还)?[^，。！？,.；;]{0,8}?(?:刚刚|刚|才)(?!才|能|知道|会|发现|行|对|好|是)[^，。！？,.；;]{0,6}?"
    "(?:(?<![回下出起上过进得])来|入职|转岗|转过来|调过来|调到|轮岗|接手|加入|进公司|到岗|上任|换到)")
# Who does it, said instead of how it is done: "是财务的张总在做", "一般是应收组的小刘在跟", "反正是controller在对". Not
# the speaker ("是我们自己在做" answers) and not counted when the question asks who (core.judge_signs).
ZH_HANDOVER = re.compile(
    "(?:^|(?<=[，,。；;、\\s]))(?:这块|这个|那块|这些)?(?:一般|都|主要|其实|基本上?|反正|好像|听说)?(?:是|归|由)"
    "(?![^，。！？,.；;]*(?:我|咱))[^，。！？,.；;]{1,12}?(?:在|来)(?:做|跟|管|弄|负责|用|对|看|搞|处理|操作|对接|定)"
    "(?:的)?(?:吧|呢|啊|呀)?\\s*(?=[，。！？,.…!?；;]|$)|"
    "(?:^|(?<=[，,。；;、\\s]))(?![^，。！？,.；;]*(?:我|咱))[^，。！？,.；;]{1,10}?(?:那边|那块|部门|部|组|团队)(?:一直)?"
    "(?:在|来)?(?:管|负责|做|弄|跟|定|处理)(?:的)?(?:吧|呢)?\\s*(?=[，。！？,.…!?；;]|$)")
EN_HANDOVER = re.compile(
    r"(?:^|(?<=[,;.] ))(?:it'?s |that'?s )?(?:all |mostly |really )?(?!i\b|we\b)(?:[a-z]+'s |the )?[a-z]+"
    r"(?: team| dept| department| people| folks)? "
    r"(?:does|do|handles?|owns?|runs?|deals? with|looks? after|takes care of) "
    r"(?:that|it|this|those|them|all (?:that|of that))(?: side| part| stuff)?\s*[.!]?$")
