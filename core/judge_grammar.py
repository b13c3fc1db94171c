"""The grammar of a non-answer, in English and Chinese: how people say they don't know, defer, or are done.

Each pattern describes a construction, not a phrase: a negation before a verb of knowing ("can't remember",
"不太清楚"), a verb with a potential complement ("说不上来", "举不出", "记不清"), a rhetorical question back
("我哪知道", "谁晓得", "怎么说呢"), a claim that everything has been said ("I've covered it", "该说的都说了"),
"nothing/no" scoped to *else* ("can't think of anything else", "其他的想不起来了": an ending, not a
don't-know). core.judge_nonanswer finds them; the judge weighs them with where they are said.
"""

from __future__ import annotations

import re

_EN_FILLER = (r"(?:(?:well|um+|uh+|erm+|hmm+|oh|ah|honestly|sorry|so|yeah|ok|okay|hm+|i mean|tbh|to be honest)"
              r"[\s,.!…]*)*")
_ZH_FILLER = ("(?:(?:嗯+|呃+|额+|啊+|哦+|唔+|那个|这个|这|那|其实|说实话|老实说|好像|暂时|目前|现在|"
              "真的?|确实|倒是?|也|还|我|我们|ok|嗯嗯)[\\s,，.。!！…、]*)*")

# Not knowing: a negation, then (within a few words) a verb of knowing, remembering or judging; or an
# admission that an answer would be a guess; forgetting; not following the question. The guards let a match
# start only where a sign can (a word start with one of the letters signs begin with, or "n't"): the same
# matches, several times faster.
EN_UNSURE = re.compile(
    r"(?:(?<!\w)(?=[abcdefghijlmnopstuwy])|(?=n't))(?:"
    r"(?:\bnot|n't|\bnever|\bno|\bnobody|\bno one|\bhardly|\bbarely|\b(?:can|don|didn|won|couldn|haven|isn|wasn|doesn|"
    r"wouldn)t)\b(?:(?!enough\b(?! to\b))[\w\s']){0,40}?\b(?:know|knew|sure|tell|say|decided|thought|counted|"
    r"idea|explain|remember|recall|clue|certain|"
    r"aware|noticed|checked|measured|describe|judge|comment|answer|pin|think of|come up with|heard|seen|looked|"
    r"figured|worked out|given it|pick (?:one|out|a)|single (?:one )?out|point to|put (?:my )?finger|view|opinion|"
    r"feelings?|answer for|get it|tracked|kept track|"
    r"paid attention|considered|been told|(?:understand|follow) (?:the question|what you|you|your))\b|"
    r"\b(?:hard|difficult|tough|impossible|tricky)\s+(?:one|question|to\s+(?:say|tell|explain|describe|pin|judge|"
    r"answer|put|quantify|know|remember|think|estimate|pick|choose|single|guess|recall|point))\b|"
    r"\b(?:too|a bit|rather|far|still|way) (?:early|soon)\b(?: (?:for (?:me|us)|yet|days|now|in the process))*"
    r"(?:\s+to\s+(?:say|tell|judge|know|call|comment|answer|give|put|commit|predict|guess|pin|decide)\b|"
    r"(?=\s*(?:$|[,.;!?…])))|\bearly days\b|\bjury'?s (?:still )?out\b|"
    r"\b(?:it |that )?depends\b|\bbeats me\b|\bsearch me\b|\bidk\b|\bdunno\b|\bwho (?:knows|can say|can tell)\b|"
    r"\b(?:good|great|fair|interesting) (?:question|one|q)\b|\bdon'?t no\b|\bno (?:real |particular |strong |"
    r"clear )?(?:opinion|idea|clue|thoughts?|view|"
    r"recollection|memory)\b|\b(?:can'?t|cannot|couldn'?t) (?:really )?(?:say|tell)\b|"
    r"\b(?:drawing|draw|drew) a blank\b|\b(?:mind|head)(?:'s| is| went| just went) blank\b|"
    r"\b(?:be|just|only|a wild|to) guess(?:ing)?\b|"
    r"\bguessing\b|\byour guess\b|\bwouldn'?t know where to (?:start|begin)\b|\bnot (?:really )?(?:sure|certain)\b|"
    r"\bunsure\b|\buncertain\b|^unclear\b|\b(?:it'?s|that'?s|still) unclear\b|\bstumped\b|\bfoggiest\b|"
    r"\bpass\b(?! (?:it|them|the|on|through|to))|"
    r"\bstill (?:being )?(?:working it out|worked out|figuring|open|undecided|to be decided)\b|"
    r"\bhaven'?t (?:really )?(?:thought|given)\b|\bnever (?:really )?(?:thought|counted|measured|noticed)\b|"
    # forgetting, and not following the question
    r"\bi (?:forget|forgot)\b|\b(?:i'?ve|i have|i'?d) forgotten\b|\bforgot(?:ten)? (?:now|already|the details|"
    r"the name|the exact)\b|\bslipped my mind\b|\b(?:hazy|fuzzy) (?:on|memory)\b|"
    r"\bwhat do you mean\b|\bwhat(?:'s| is) the question\b|\bnot following\b|"
    r"\bi'?m (?:a bit |a little |kind of |sort of )?(?:confused|lost)\b|"
    r"\boff the top of my head\b|\bno comment\b|\bmaking (?:it|things|that|something) up\b|"
    # a question handed back, no preference either way, a story too long to tell, reticence
    r"\byou tell me\b|\bwhat do you think\b|\bwhatever(?:'s| is)? (?:easiest|works|you (?:think|want|like))\b|"
    r"\b(?:either|any) (?:way|one|of them) (?:is )?(?:fine|works|really)\b|\bno (?:real )?preference\b|"
    r"\b(?:doesn'?t|does not) (?:really )?matter (?:to me|much)\b|\b(?:it'?s|it is) different (?:every|each) time\b|"
    r"\blong story\b|\bhard to (?:summari[sz]e|sum up)\b|\b(?:i'?d )?better not\b|"
    r"\b(?:don'?t|do not|didn'?t) (?:really )?(?:follow|understand) (?:what|how|why|that|the)\b)")
# The cognitive verbs of Chinese not knowing; a negation before them (degree words allowed) is not knowing.
_ZH_KNOW = ("知道|知到|清(?:楚|除|础|处|触|出)|确定|了解|懂|记得|晓得|晓的|明白|熟悉|熟|"
            "好说|好讲|好判断|好估计?|好回答|好答|好评价|好比|好下结论|好形容|好描述|一定|造|敢说|敢讲|敢保证|在行|"
            "内行|"
            "擅长")
ZH_UNSURE = re.compile(
    f"不(?:太|是很|大|怎么|很|是太|是特别|是那么|咋|是十分)?(?:{_ZH_KNOW})|没(?:办)?法(?:回答|答|说|讲|判断|估计?|"
     "确定|比|评价|验证|核实|核对)|(?:问|难|考)(?:住|倒)(?:我)?了|"
    "回答不了|"
    # a verb with a potential complement: "记不清", "说不上来", "想不起来", "举不出", "搞不懂", "拿不准"
    "记不(?:太|大|很)?(?:清|得|住|起)|说不(?:太|大|很)?(?:准|好|清|上来|上|定|出)|(?:给|拿|报|算)不(?:出|了)|"
    "讲不(?:太|大)?(?:清|好|出|上来)|"
    "想不(?:太)?(?:到|出|起)|答不(?:上|出|了|好)|(?:举|列|写)不出|(?:拿|吃|估)不(?:准|定)|摸不(?:着|清|透)|"
    "(?:搞|弄|分|整)不(?:清|懂|明白)|看不(?:懂|明白|准|透|出来)|猜不(?:到|出|透|准)|"
    # too early to say ("现在说还太早", "为时过早", "还早，说不好")
    "(?:说|讲|判断|下结论|评价|谈)(?:这个)?(?:还|都)?(?:太|为时过|有点|比较)早|为时(?:过|尚)早|"
    "(?:还|太)早[了呢吧]?[，,、]?(?:说不|看不|不好|不知)|"
    "(?:得|要|再|让我|我)(?:好好|仔细|再)?想(?:想|一想|一下)|(?:一点|什么|啥)?(?:头绪|概念|印象|想法)(?:都|也)没有?|"
    "(?:很|挺|比较|太|真|不)?难(?:说|讲|估计|判断|回答|形容|描述|讲清|说清)|不敢(?:乱|瞎|随便|妄)?(?:说|讲|下结论|"
    "保证|肯定|报|估|讲)|"
    # "没想过", "没仔细琢磨过", "没什么概念", "心里没底"
    "没(?:怎么|太|有|仔细|认真|好好|具体|特别|专门|深入|真正)?(?:(?:想|搞|弄|整|说|讲|摸|看|问)(?:清楚|明白|透)|想过|"
    "深究|细究|细看|看过|核过|核对过|核实过|验证过|管过|问过|碰过|过问|跟过|琢磨过|思考过|研究过|了解过|关注过|留意过|"
    "注意过|在意过?|统计过|算过|数过|比较过|比过|对比过|考虑过|调查过|查过|测过|想好|想到|统计|注意|留意|关注|听说|"
    "想那么)|[没木](?:什么|啥|多少|太多|有|太大)?(?:印象|概念|头绪|想法|底|谱|数(?!据|字)|感觉)|(?:一片|脑子|大脑|"
    "脑袋)空白|"
    "印象不(?:深|多|太深)|记忆(?:有点|有些|比较|已经)?模糊|记得不(?:太|大)?清|(?:题|问题)(?:太|好|有点|挺|真|比较)难|"
    "(?:啥|什么)意思|手(?:上|里|头)(?:没有?|没)|"
    "只能(?:瞎)?猜|瞎猜|猜不|一时(?:半会儿?)?(?:想不|说不|答不)|不知(?:从何|从哪|怎么|道)|"
    # forgetting; a rhetorical question back ("我哪知道", "谁晓得呢", "怎么说呢", "你问我我问谁")
    "忘(?:了|记|掉|光|得)|早忘|"
    "哪(?:儿|里)?(?:知道|清楚|晓得|懂|记得|说得清|讲得清|说得准|记得住|想得起)|"
    "(?:谁|天|鬼)(?:知道|晓得|清楚|说得清|说得准)|怎么说(?:呢|好)|(?:该|要|能)?怎么(?:回答|答|说|讲)(?:呢|啊|呀|好|"
    "[?？])|(?:该|要|能)怎么(?:回答|答)|"
    "你问我我问谁|问我也没用|叫我怎么|让我怎么|"
    "(?:没|不)(?:太)?(?:听|看)?(?:懂|明白)(?:你|您)?(?:的意思|的问题|这个问题)?|外行|门外汉|"
    "看情况|(?:还)?没(?:定|决定|确定)|还在(?:考虑|想|讨论|评估|琢磨)|布吉岛|"
    # a question handed back ("你觉得呢？", "你们看过数据了吧"), "good question" (问得好, 我也想知道), no preference
    # either way (都行, 随便, 无所谓), a story too long to tell (一言难尽), futility or reticence (说了也没用, 不方便讲)
    "(?:你|您|你们)(?:觉得|认为|看|说|怎么看)(?:呢|嘞|咧)|"
    "(?:你|您|你们)[^，。,.!！?？]{0,6}(?:看过|知道|清楚|有数|查过|统计过)[^，。,.!！?？]{0,3}(?:了吧|吧|吗)|"
    "问得好|好问题|我也(?:很|挺)?(?:想知道|好奇)|"
    "^(?:都|哪个都|怎样都|怎么都|啥都|什么都)(?:行|可以|好|成|一样|无所谓)|随便|无所谓|"
    "一言难尽|说来话长|(?:说|讲)起来(?:挺|很|比较|太|有点)?复杂|因人而异|不一定|"
    "说了也(?:没用|白说)|(?:说|讲)(?:这个|这些)?(?:也|都)(?:晚了|没用)|(?<!没什么)(?<!没有)不(?:太|是很)?方便(?:说|讲|透露|回答|讲太多)|"
    "bu ?zhi ?dao|bu ?qing ?chu|mei ?xiang ?guo|bu ?zhidao|"
    # dialect: 伐晓得, 勿晓得 (Wu), 唔知, 冇知, 唔系好清楚 (Cantonese); a shrug in words (就那样吧); whether or not
    # someone approves (批不批)
    "(?:伐|勿|弗|唔|冇)(?:晓得|知|清楚|记得)|唔系(?:好|几|太)?(?:清楚|知)|就那样(?:吧|了吧)|"
    "(?:批|同意|给|定|签|点头)不(?:批|同意|给|定|签|点头)|"
    "idk|dunno|i don'?t know|not sure|no idea")
# Someone else's area, or a look-up first: the person cannot answer it now. Said as who would know ("the
# controller would know"), whose job it is ("not my area", "finance handles that"), or a promise to check.
EN_DEFER = re.compile(
    r"(?:(?<!\w)(?=[abcdfghijklmnopqrstuwy])|(?='d))(?:"
    r"\b(?:ask|asking|check with|talk to|speak to) (?:my|the|someone|somebody|our|their|them|him|her|anyone|"
    r"whoever|[a-z]+ (?:in|from|at))\b|\b(?:my|a|our|the) (?:colleague|boss|manager|team lead)s? (?:pulls?|runs?|"
    r"owns?|does|do|would "
    r"know|knows|handles?)\b|\bnot (?:really |exactly |quite )?(?:my|our) (?:area|department|side|job|call|"
    r"decision|team|field|thing|responsibility|remit|patch|wheelhouse|domain|place)\b|\bnot (?:really )?involved\b|"
    r"\b(?:have|need|i'?d have) to "
    r"(?:check|look|ask)\b|\bbefore my time\b|\bolder than me\b|\b(?:i'?d|i would|i'?ll|i will) (?:have|need) to "
    r"(?:think|check|look|ask|find out|dig)\b|\b(?:i'?d|i would) need (?:the|my|someone|somebody)\b|"
    r"(?<!\bi)(?<!\bwe)(?<!\bi )(?<!\bwe )\b(?:would|will|should|might|could|may|'d) know\b|\bknows? (?:better|"
    r"more about)\b|"
    r"\b(?:better|right|best|wrong) (?:person|people|one|guy) to ask\b|\bwrong person\b|"
    r"\bnot (?:the )?(?:right|best|best-placed) person\b|\byou'?d (?:want|need) to (?:ask|talk|check)\b|"
    r"\bfor (?:the|my|our) [a-z]+ to (?:decide|say|answer)\b|\babove my (?:pay ?grade|head|level)\b|"
    r"\b(?:a )?question for (?:my|the|our|someone|somebody|"
    r"them|him|her)\b|\b(?:that'?s|it'?s|that is|it is) (?:one |really |more )?for [\w\s]{1,25}? to (?:decide|say|"
    r"answer|judge)\b|"
    r"\b(?:handles?|handled|runs?|owns?|deals? with|decides?) (?:that|this|it|all)\b|\bget back to you\b|"
    r"\blook (?:it|that) up\b|\bnot something i (?:deal|work|handle)\b|\bwasn'?t (?:around|there|here|involved)\b|"
    r"\btook over after\b|"
    r"\bi'?m (?:new|only|just) (?:here|on|in|to)\b|\b(?:finding my feet|still (?:learning|settling in|"
    r"getting up to speed)"
    r")\b|\bbetter than (?:me|i (?:can|could))\b|\bmore than i do\b|\b(?:give|have) you a (?:much |far )?better "
    r"(?:answer|picture|idea)\b|\bwalk you through\b|\b(?:i'?d|i would|i'?ll|i will)(?: rather|"
    r" happily| just)? leave (?:that|it|this) (?:to|with)\b|\b(?:too|still|pretty|fairly|quite) (?:new|junior|green)\b|"
    r"\bi (?:only|just) (?:joined|started|got here|moved)\b|"
    r"\bjoined (?:recently|last (?:week|month))\b|\bi (?:only|just) (?:do|see|handle)\b|"
    r"\bout of my (?:depth|league|hands)\b|\boutside my\b|\bdon'?t (?:deal|work) (?:with|on) (?:that|this|it)\b|"
    # who does know: "someone in BI pulls them", "that's the sales side"
    r"\b(?:someone|somebody|a guy|a team|people|they) (?:in|from|at|over in|on) (?:the )?[a-z]+ (?:does|do|handles?|"
    r"pulls?|runs?|owns?|deals?|looks? after|sorts?|takes? care|manages?|knows?)\b|"
    r"\bthat'?s (?:the |more |really )?[a-z]+(?:'s)? (?:side|department|team|area|domain|remit|territory|world)\b|"
    # set above me and only carried out ("limits are set above me, I just apply them", "up to management")
    r"\b(?:set|decided|made|agreed|signed off) (?:above|over) (?:me|my head)\b|\bup to (?:management|leadership|"
    r"(?:the|my|our) (?:boss|manager|director|owner|head|board|team lead|client|customer)|them|whoever|"
    r"head office|hq)\b|"
    r"\bi (?:just|only|simply) (?:run|apply|follow|execute|implement|carry out|do) (?:them|it|that|what i'?m told|"
    r"whatever|as (?:told|asked|instructed))\b|\b(?:more of )?an? (?:it|finance|sales|legal|hr|marketing|ops|"
    r"management|tech|technical|procurement|accounts) (?:question|thing|call)\b|"
    r"\b(?:i'?d|i would|we'?d|we would) need [a-z]+ to\b|"
    r"(?<!\bi )(?<!\bwe )\b(?:decides?|decided|sets?|owns?|picks?|picked|chooses|chose)\b[^.;!?]{0,40}?"
    r"\bi (?:just|only|simply) [a-z]+|\byou'?d (?:have|need|want) to (?:ask|talk|check)\b|"
    # issue 13's English deferrals: to a named person or a team ("maybe ask Raj, he does X", "I'd defer to the finance
    # director", "that's more a question for sales", "that's one for the exec team"), a view wanted from others
    # first ("I'd want to hear from the teams first"), later ("ask me again in six months")
    r"(?:^|(?<=[,.;:!?] )|\b(?:maybe|just|better|probably|try|go|you'?d|i'?d|should|could|can|please|say) )ask "
    r"(?!me\b|for\b|customers\b|clients\b|people\b|them to\b)[a-z]+(?: [a-z]+)?(?=\s*(?:$|[,.;!?)]|(?:he|she|they|"
    r"since|as|"
    r"who|about (?:that|this|it)|on (?:that|this|it)|instead|really|tbh|or)\b))|"
    r"\b(?:i'?d |i would |i'?ll |i will |i |we'?d )?defer(?:ring)? to\b|\bquestion (?:for|to put to)\b(?! (?:us|me|"
    r"you)\b)|"
    r"\b(?:that'?s|it'?s|that is|this is|that would be|that'?d be)\s+(?:really |more |probably |definitely |"
    r"honestly |maybe |actually |kind of |more of )*(?:one|a question|a matter|something|a thing) for\b|"
    r"\b(?:want|need|have|like|prefer) to (?:hear from|talk to|speak (?:to|with)|check with|ask|consult|"
    r"run it (?:by|past)|get (?:input|feedback|a view|views) from|see what)\b[^.;!?]{0,40}?\b(?:first|before)\b|"
    r"\bask me (?:again |that )?(?:later|after|in|next|another|some other|when|once)\b|"
    # out of the loop: "not something I've been involved in", "I'm not across the detail", "I wasn't part of it",
    # "I haven't been on a joint project yet", new ("only 3 weeks in", "I've been here three months")
    r"\bnot something (?:i|we)\b[\w\s']{0,25}?\b(?:involved|deal|work|handle|see|touch|get|look|cover|own|do)\w*|"
    r"\b(?:haven'?t|hasn'?t|wasn'?t|weren'?t|not|never)\b (?:really |actually |directly |personally |ever |been "
    r"|much )*(?:involved|part of (?:it|that|this|those|the)|in the loop|across (?:it|that|this|the)|close to (?:it|"
    r"that|this|the)|privy|in (?:those|that|the) (?:meetings?|room|discussions?|conversations?|loop))\b|"
    r"\bout of the loop\b|"
    r"\bi (?:haven'?t|have not|'ve not|have never|'ve never|never)\b (?:really |actually |personally )?(?:been "
    r"(?:on|in|part of|involved)|worked (?:on|with)|dealt with|sat in on|run|done|had|used|seen)\b[^.,;!?]{0,30}?"
    r"\b(?:yet|myself|personally|so far)\b|"
    r"\b(?:only|just) (?:\w+ )?(?:weeks?|months?|days?) in\b|\b(?:i'?ve|i have) (?:only |just )?been (?:here|in (?:the|"
    r"this) (?:job|role|team)) (?:for )?(?:a few |a couple of |about |\w+ )?(?:weeks?|months?|days?)\b)")
_ZH_WHO = ("领导|老板|主管|经理|同事|上面|上级|IT|it|财务|采购|销售|客服|运维|数据组|供应商|调度|总监|老总|技术|"
           "负责人|负责的人|别人|其他人|懂的人|相关部门|那边|部门|专人|[\u4e00-\u9fffA-Za-z]{1,4}?(?:部门?|组|团队|"
           "中心|"
           "那边|的人|同事)")
ZH_DEFER = re.compile(
    "不归我|不是我(?:负责|管|这边|们部门|定的|做的|对接|的事|能定|们管)|我只(?:负责|管)|不在我|我不管|不关我|说了不算|"
    f"我?不(?:太|是很|怎么)?(?:负责|管|参与|经手)(?:这|那)|(?:得|要|需要|可以|去|还是|最好)?(?:问|找|请教|咨询)"
    f"(?:问|一下|下)?(?:我们|他们|你们)?(?:的)?(?:{_ZH_WHO})|你问|得问|要问|问一下|问问|问错人|找错人|"
    "(?:得|要|需要)(?:先|回去|再|去)?(?:(?:和|跟)[^，。,.!！?？]{1,4}?)?(?:(?:查|翻|核对)(?:一下|下)?|(?:统计|核对|算|"
    "对|数)(?:一下|一算|一数))|(?:查|翻|看)(?:一下|下)?(?:系统|记录|合同|资料|数据|账)?"
    "才(?:知道|清楚|能)|(?:得|要)看(?:一下)?(?:合同|情况|数据|系统)|(?:得|要)看(?:上面|领导|老板|公司|总部|上级)|"
    "我来之前|来之前的|我刚来|(?:来|入职|进来|到岗|干)(?:的)?(?:时间)?(?:还|太|比较|有点)短|刚(?:接手|入职|到岗|"
    "调过来|转过来|加入)|还在(?:摸索|熟悉|学习|适应)|"
    "不是我[^，。,.!！?？]{0,6}(?:能|可以|该)(?:回答|说|决定|管)|(?:上面|领导|老板|总部|公司|上级)(?:定|决定|拍板)的|"
    "只(?:管|负责|是)执行|(?:得|要)(?:翻翻|查查|问问|找找)|才能(?:告诉|回答|答复|确定)|(?:他们|那边|同事|应该|"
    "可能)(?:更|比较|最)?(?:清楚|知道|了解)|才知道|"
    f"(?:{_ZH_WHO}|组长|董事会|总监|老总)(?:那边|他们|她|他)?(?:更|比较|最|才|应该)(?:清楚|知道|了解|懂|有数)|"
    "(?:我|阿拉|俺|偶)(?:也|就|只|其实)*只(?:负责|管|看|做|跑)|我?(?:就|只)(?:管|负责|是)?(?:执行|照做|照办|照着做)|"
    "(?:要|得|还得|需要)看[^，。,.!！?？]{1,8}?(?:怎么(?:定|说|安排|批)|批不批|同不同意|定不定|意思|安排|方案|规定|"
    "预算|决定)|"
    "(?:要|得|还得|需要)等[^，。,.!！?？]{1,8}?(?:给|定|算|出|批|决定|确认|通知|拍板)|"
    "没(?:有)?发言权|插不上(?:话|嘴)|轮不到我|接触(?:得)?不多|没(?:怎么)?(?:接触|参与)|不(?:太|怎么)?(?:掺和|参与|"
    "过问)|回头(?:查|再|告诉)|"
    "再(?:告诉|答复|回复|回答)你|做不了主|等[^，。,.!！?？]{1,8}(?:出来|回来|定了?)(?:才|再)")
# "not really" is a bare no when nothing follows it in its clause, unlike "not really sure what they'd use it for"
# or "not really my department".
_NOT_UNSURE = r"(?!\s+(?!no\b|nothing\b|thanks?\b)[a-z])"
# A bare "no" or "nothing" opening the answer.
# "no" only as an interjection: "no, not really", "no idea"; "no follow-up after the sale" and "没人管", "无法登录"
# say something.
EN_NOTHING = re.compile(rf"^{_EN_FILLER}(?:no\b"
                        r"(?=\s*(?:$|[,.!?;:…)\-]|(?:really|much|at all|special|specific|in particular|particularly|"
                        r"else|more(?=\s*(?:$|[,.!?;:…]|to\b|from\b|thanks?\b|really\b|i\b))|comes?|springs?|i|we|"
                        r"that|for|right|yet|so far|thanks?|sorry|honestly|tbh|not|no|"
                        r"nope|nothing|idea|clue|comment|to|of note|worth|major|big|off|\w+ed)\b))|"
                        rf"nope|nah|not really{_NOT_UNSURE}|not much|not a lot|none|never|"
                        # not the subject of a verb: "nobody updates them", "no one tells them what's happening" state
                        # a problem ("nothing comes to mind" is still nothing)
                        r"(?:nothing|nobody|no one)(?!\s+(?!comes\b|springs\b)[a-z]+(?:s|ed)\b(?!\s*(?:$|[,.!?;:])))|"
                        r"n/a|na|not that i know|not at the moment|not yet)\b")
ZH_NOTHING = re.compile(f"^{_ZH_FILLER}(?:(?:没有?|木有|无|还没有?|没得|并没有|暂无)"
                        "(?:(?![\u4e00-\u9fffa-z0-9])|(?=了|啊|啦|吧|呢|哦|诶|耶|呀|哈|的|欸|哇|其实|暂时|特别|什么|"
                        "啥|多少|"
                        "太多|印象|想法|感觉|意见|建议|补充|问题|要求|[\u4e00-\u9fff]{1,3}过))|没啥|没什么|没多少|"
                        "不多|no|nope|nothing|none)")
# Nothing (more) to add: said outright, as "nothing/not" scoped to *else*, as a claim that all has been said
# ("covers it", "sums it up", "该说的都说了"), or as content with the rest ("all good", "其他都还好").
EN_ENDING = re.compile(
    r"(?<!\w)(?=[a-z])(?:\bthat(?:'?s| is| was| would be) (?:all|it|everything|about it|enough|"
    r"the main (?:one|thing)|the one)\b|"
    r"\bnothing (?:else|more|further|to add|new)\b|\bnothing more\b|\bno more\b(?=\s*(?:$|[,.;:!?…]|to (?:add|say)|"
    r"from me|thanks?|really|i think|that i))|\b(?:i'?ve|i have) said\b|\bsaid (?:what|all|"
    r"everything)\b|\bcovers it\b|\b(?:i'?m|all) done\b|\bnothing (?:comes|springs|jumps) to mind\b|"
    rf"\bthat'?s about it\b|\bi'?m good\b|\bno,? thanks?\b|\bno thank you\b|\bnot really\b{_NOT_UNSURE}|"
    r"\b(?:i )?don'?t think so\b|\b(?:you'?ve|you have|i'?ve|i have|we'?ve) (?:covered|got) (?:it|everything)\b|"
    r"\bthat(?:'?s| is| was) (?:really|pretty much|basically|about|just|more or less) (?:all|it|everything)\b|"
    r"\bthe whole story\b|\b(?:the )?(?:full|whole|complete) picture\b|"
    r"\balready (?:answered|said|told you|mentioned|covered)\b|\b(?:like|as) i (?:said|mentioned)\b|"
    r"\bthat'?s the (?:big|main|only) one\b|\bmore to (?:say|add)\b|\bwhat i (?:told you|said|mentioned)\b|"
    r"\blong and (?:the )?short of it\b|"
    r"\b(?:i'?d |i would )?(?:rather|prefer to) not\b|\bleave it (?:there|at that)\b|\bnot going to (?:go|get) into\b|"
    # scoped to else: "can't think of anything else", "not that I can think of", "nothing I haven't said"
    r"\b(?:anything|nothing|not a lot) (?:else|more|further|other)\b|"
    r"\bnot that i (?:can |could )?(?:think of|know of|recall|remember|see)\b|"
    r"\bnothing (?:that )?i (?:haven'?t|didn'?t|have not)\b|"
    r"\bnothing (?:beyond|besides|other than|apart from|more than) (?:what|that|the|those)\b|"
    # all has been said
    r"\b(?:said|told you|covered|mentioned|shared|listed|explained|gone over|went over|given you)\b[\w\s']{0,12}?"
    r"\b(?:all|everything|enough|it all|the (?:main|key|important) (?:points?|things?|stuff|bits))\b|"
    r"\b(?:all|everything)\b[\w\s']{0,8}?\b(?:covered|said|mentioned)\b|\bsums? (?:it|that|things|everything) up\b|"
    r"\bthe gist\b|\bin a nutshell\b|\bmy two cents\b|\bthat'?s (?:my|the) (?:answer|lot|list)\b|"
    # content with the rest
    r"\b(?:all|i'?m|we'?re|i am|we are) (?:good|set|fine|sorted)\b|\b(?:good|fine) for now\b|\bthat'?ll do\b|"
    # done, its subject dropped as chat drops it ("nope, done", "done here", "done 👍"), at the start of a clause
    r"(?:^|(?<=[,.;!?…] )|(?<=[,.;!?…]))done(?: here| now| for (?:now|today)| thanks?| thank you)?\s*[.!]*"
    r"(?=\s*(?:$|[,.;!?…]))|"
    r"\bthat will do\b|\bthat'?s (?:fine|good|ok|okay)(?: for now)?$|"
    # thanks and goodbyes: the person is closing the interview
    r"\b(?:thanks|thank you|thx|cheers|much appreciated|appreciate (?:it|your time)|good luck|bye|all the best|"
    r"have a (?:good|great|nice) (?:day|one|week|weekend))\b)")
ZH_ENDING = re.compile(
    # "就这样" of how things were ("我来的时候就这样了") and "差不多了" as a degree ("忘得差不多了") are no ending
    "就这些|(?<!时候)(?<!以前)(?<!之前)(?<!本来)(?<!一直)(?<!从来)就这样|就这么多|没别的|没有别的|没其他|没有其他|其他没有|其他的?没|说完了|"
    "没(?:有|什么|啥)?(?:要|好|可以|可)?补充|就是?这么回事|"
    "没什么要补充|没有更多|(?<!的)(?<!(?<!觉)得)差不多了|够了|也就这些|想不到别的|暂时(?:就|没)|没(?:什么|啥)了|没了|"
    "不(?:想|愿意?|便|方便)?(?:多|再)?(?:说|讲|展开|谈)了|(?:我)?(?:刚才?|前面|之前|上面)(?:说|讲|提)的?(?:那样|那些|"
    "这些|那个)|"
    "像我(?:刚才?|之前|前面)?(?:说|讲)的|已经(?:回答|说|讲|提)过了?(?=$|[，。,.!！?？~～])|"
    "没(?:什么|啥|有|其他|别的)?(?:意见|建议|要求)了?(?=$|[，。,.!！?？~～])|就(?:说|讲|聊)?到这|算了|"
    "就是?(?:这个|这|那个|那)(?:一[个点条次])?吧?[。.!！]?$|that'?s all|that'?s it|nothing else|"
    # scoped to else: "其他的想不起来了", "不知道还能说啥了", "别的也没啥"
    "(?:别的|其他的?|其它的?|另外的?|更多的?|其余的?|再多)(?:我们|我|就|都|也|倒|暂时|一时|实在|真|还)*(?:没|想不|"
    "说不|不知道|"
    "不清楚|记不|谈不|讲不|无所谓|无)(?:有|起来?|出来?|到|上来|了|啥|什么|得|清|太)*|"
    "(?:想不|说不|不知道|记不|没有?)[^，。,.!！?？;；]{0,4}?(?:别的|其他|其它|还能|还有|更多)"
    "(?:的|了|啥|什么|要|可|好|说|讲|补充|问题|想法|意见)*|"
    # all has been said: "该说的都说了", "都说到了", "刚才说的就是全部了", "说得够多了"
    "(?:都|全|全部)(?:说|讲|聊|提|谈)(?:了|过|到|完)(?:了|吧|啊)?(?=$|[，。,.!！?？~～])|"
    "(?:该说的|能说的|想说的|要说的|知道的)(?:都|也|就|基本|已经)*(?:说|讲|聊|提|谈|告诉你)|"
    "(?:说|讲)(?:得|的)?(?:够|差不多|够多)了|就是全部|全部了|"
    # "就是上面说的" ends; "就上面说的那单，来回多跑了六十公里" points back to something and goes on (issue 13)
    "上面(?:那些|说的|这些|提到的)(?:就是|都是|那些|这些)?(?:了|吧|啦)?(?=$|[，。,.!！?？~～])|"
    "刚才(?:说|讲|提)的(?:就是|那些|这些)|"
    "(?<!时候)(?<!以前)(?<!之前)(?<!本来)(?<!一直)(?<!从来)(?:就是?|大概|基本上?|差不多)(?:就)?(?:是)?(?:这样|这些|这么多)子?"
    "(?:了|吧|啦|而已)*(?=$|[，。,.!！?？~～])|"
    "就是?(?:这个|那个)(?:原因|问题|意思|情况|事儿?)(?:了|吧|啦)?(?=$|[，。,.!！?？~～])|"
    "没(?:有|什么|啥)(?:要|好|可以|可|能)?(?:说|讲|聊|谈)的?了|"
    # content with the rest, or done: "其他都还好", "我这边没问题了", "先这样吧", "不用了"
    "(?:其他|别的|其它|其余)(?:的|方面)?(?:都|也|倒|还|挺|蛮|很)+(?:好|行|可以|满意|不错|ok|正常|顺)|"
    "(?<!时候)(?<!以前)(?<!之前)(?<!本来)(?<!一直)(?<!从来)就(?:这|那)[一两二三几]?[个点条样种项块件](?:了|吧|啦|而已)*"
    "(?=$|[，。,.!！?？~～])|"
    "没(?:什么|啥)?问题了|没(?:什么|啥)(?:要|好|可|需要)?(?:改|改进|提|抱怨|挑剔|不满)的|先(?:这样|到这)|"
    "(?<!就)(?:可以|行)了[吧。.!！～~]*$|不用了|(?:^|(?<=[，,。；;、\\s嗯哦那]))好了[吧。.!！～~]*$|"
    # thanks and goodbyes: the person is closing the interview ("谢谢，辛苦了", "祝你们顺利")
    "谢谢|多谢|感谢|谢啦|辛苦(?:了|啦|你)|祝.{0,6}(?:顺利|成功|好运|愉快)|再见|拜拜")
CLAUSE = re.compile(r"[.!?;,。！？；，、\n]")
# A shrug says "I don't know" without a word: the emoji (with its gender and skin-tone marks) or the kaomoji.
SHRUG = re.compile("\U0001f937[\u200d\u2640\u2642\ufe0f\U0001f3fb-\U0001f3ff]*|\u00af\\\\?_\\(\u30c4\\)_/\u00af")

# Words of the grammar above that typing often mangles; an unknown word one edit away from one of them
# ("knw", "shure", "idae", "thougt") is read as that word (core.judge_features checks it is unknown).
_MENDABLE = ("know", "sure", "idea", "remember", "recall", "think", "thought", "really", "nothing", "clue",
             "tell", "certain", "anything", "honestly", "decided")


def _one_edit(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    return deletes | swaps | {a + c + b[1:] for a, b in splits if b for c in letters} \
        | {a + c + b for a, b in splits for c in letters}


TYPOS: dict[str, str] = {}
for _w in _MENDABLE:
    for _e in sorted(_one_edit(_w)):
        if len(_e) >= 3 and _e not in _MENDABLE:
            TYPOS.setdefault(_e, _w)
