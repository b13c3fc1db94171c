"""The report's words in English and Chinese, by key (formatting lives in reports/labels.py)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "CRM Needs Assessment", "round": "Round {n}", "report_of": "Report", "prepared": "Data as of",
        "scope": "Scope", "scope.enterprise": "Enterprise (strategic)", "scope.department": "Department (tactical)",
        "opened": "Opened", "closed": "Closed", "still_open": "still open", "contents": "Contents",
        "summary": "Summary", "s.completed": "interviews completed", "s.respondents": "respondents",
        "respondents_cap": "Respondents (people)",
        "s.answers": "answers (with follow-ups)", "s.shortlist": "projects on the short list",
        "s.refresh": "next assessment due",
        "framing": "Questions, scope and goals", "key_questions": "Key questions this CNA answers",
        "goals": "Goals", "no_goals": "No goals recorded.", "no_key_questions": "No key questions recorded.",
        "smart_ok": "SMART", "smart_warn": "Check",
        "participation": "Participation", "segment": "Segment", "invited": "Invited",
        "in_progress": "In progress", "completed": "Completed", "declined": "Declined / expired",
        "completion": "Completion", "total": "Total", "staff": "Staff", "customers": "Customers",
        "themes": "Top themes by segment", "themes_intro": "Themes raised most often in each segment, "
        "counted in people: the share is of the people in the segment who were asked a question about the theme; "
        "people who raised it unprompted and anonymous answers (which cannot be tied to a person) are counted "
        "beside it. Each theme has a representative answer and the follow-up ladder that reached it.",
        "respondents_n": "{n} people", "of": "of", "quote_from": "Answer from",
        "quote_assisted": "as noted by the interviewer on a call",
        "ladder": "How the need was reached",
        "probe": "Follow-up", "why": "why", "no_themes": "No coded answers yet.",
        "gap": "Internal belief vs customer reality", "gap_intro": "Only themes both staff and customers were asked "
        "about are compared. Each side's share is of the people asked a question about the theme (by the "
        "question's code hints) who raised it in any answer. A positive gap means staff rate it higher than "
        "customers do; a negative gap is a customer need the company may be underrating.", "theme": "Theme",
        "internal_share": "Staff", "customer_share": "Customers", "gap_col": "Gap", "gap_staff": "staff overrate",
        "gap_customer": "customers raise more",
        "no_gap": "A gap needs answers from both staff and customers.",
        "agreement": "Coding agreement", "agreement_intro": "Cohen's kappa between the automatic coder and the "
        "reviewers, per code and pooled over every code, on answer x code units. Only answers a person finished "
        "count: at least one decision on a codebook code and a decision on every automatic proposal; a proposal "
        "left standing is never counted as agreement. 95% confidence intervals: large-sample for a code, "
        "jackknife over answers for the pooled value.", "code": "Code",
        "reviewed": "Reviewed", "both": "Both", "auto_only": "Auto only", "human_only": "Human only",
        "kappa": "Kappa", "band": "Agreement", "no_agreement": "No answers reviewed by a person yet.",
        "k.poor": "poor", "k.slight": "slight", "k.fair": "fair", "k.moderate": "moderate",
        "k.substantial": "substantial", "k.almost_perfect": "almost perfect", "k.undefined": "n/a",
        "pooled_kappa": "Pooled kappa", "finished": "Answers counted (finished)",
        "unfinished": "Reviewed but not finished (not counted)", "cases": "Cases", "ci": "95% CI",
        "k.too_few_answers": "not enough reviewed answers", "k.too_few_cases": "too few cases ({n} < {min})",
        "agreement_none": "Not enough reviewed answers for a kappa: {n} finished, {need} needed.",
        "low_kappa": "codes below 0.4: review their cues before relying on automatic coding",
        "opportunities": "Prioritised opportunities", "opp_intro": "CRM projects scored 1-5 on "
        "the method's criteria (cost and culture change count inverted) and ranked by weighted score (0-100). The "
        "short list holds the fully scored projects the lead put on it, best first, up to the limit of {limit}; "
        "\"why\" shows the points each criterion adds to the score.", "rank": "#", "project": "Project",
        "score": "Score", "phase": "Phase", "dates": "Dates",
        "linked_themes": "Themes", "warnings": "Watch-outs", "parked": "Parked (not on the short list)",
        "weights": "Weights", "no_opps": "No opportunities recorded yet.",
        "c.benefit": "Benefit", "c.cost": "Cost", "c.strategic_fit": "Strategic fit",
        "c.culture_change": "Culture change", "c.unit_support": "Unit support",
        "c.competitive_position": "Competitive position",
        "roadmap": "Roadmap", "roadmap_intro": "Short-listed projects by phase.", "unscheduled": "Not scheduled",
        "no_roadmap": "No project has dates yet.", "starts": "Start", "ends": "End",
        "next_refresh": "Next assessment", "refresh_text": "Markets and the business change: the next CNA round "
        "is due on {date} ({months} months after this round opened).", "overdue": "overdue",
        "memos": "Appendix: memos", "memos_intro": "Notes the review lead wrote during the analysis and marked "
        "for this report.", "memo_round": "The round", "memo_theme": "Theme: {name}",
        "memo_opportunity": "Opportunity: {name}", "memo_answer": "Answer #{id} ({segment}, {question})",
        "memo_by": "by {author}, {date}",
        "method": "Method", "scripts_used": "Interview scripts", "script": "Script", "version": "Version",
        "language": "Language", "audience": "Audience", "interviews": "Interviews", "fieldwork": "Fieldwork",
        "first_answer": "First answer", "last_answer": "Last answer", "sample": "Sample",
        "m.participants": "Respondents", "m.ladders": "Answers to questions", "m.steps": "Answers incl. follow-ups",
        "m.probed": "Open answers that needed a follow-up", "m.depth": "Average follow-ups per probed answer",
        "m.auto": "Automatic code proposals", "m.reviewed": "Answers reviewed by a person",
        "m.withheld": "Restricted answers not shown to this reader", "m.anonymous": "Anonymous answers",
        "team": "CNA team", "team_text": "{n} members, {internal} internal ({pct}).", "no_team": "No team recorded.",
        "method_text": "Internal stakeholders and customers were interviewed with structured scripts. Open "
        "answers that stayed on the surface (price, speed, \"better service\", \"fine\") got short follow-up "
        "questions that climb from attribute to consequence to value. Every answer was coded automatically and "
        "reviewed by the CNA lead; themes are counted once per respondent.",
        "comparison": "Compared with the previous round", "comparison_intro": "Share of customers who raised each "
        "theme in round {prev} and in this round.", "before": "Previous", "after": "Now", "change": "Change",
        "new": "new", "no_previous": "This is the first round.", "prev_round": "Previous round",
        "anonymous": "anonymous", "restricted": "restricted", "page": "Page",
        "footer": "Pseudonymous: respondents are shown by segment only.",
        "phase_legend": "Phases", "today_marker": "Next assessment",
        "smart.no_number": "no number: make it measurable", "smart.no_date": "no date: make it time-bound",
        "findings": "Key findings", "f.customer_gap": "Customers raise \u201c{theme}\u201d far more often than "
        "staff do ({c} of customers, {s} of staff).", "f.staff_gap": "Staff rate \u201c{theme}\u201d higher than "
        "customers do ({s} of staff, {c} of customers).", "f.top_theme": "The theme customers raise most: "
        "\u201c{theme}\u201d ({c} of customers).", "f.top_project": "Top priority: {title} (score {score}).",
        "f.wishlist": "{n} projects on the short list (limit {limit}): it is becoming a wish list; budget and "
        "culture let a company do only a few things well.", "f.kappa": "Automatic coding agrees with the reviewer "
        "at a median kappa of {k} ({band}).", "team_warning": "Team check",
        "w.costs": "costs more than it returns", "w.culture": "needs a lot of culture change",
        "w.strategy": "does not fit the strategy", "w.support": "lacks support from the business unit",
        "w.unscored": "not scored: {what}", "anon_mentions": "+{n} anonymous",
        "recommended": "Recommended projects, in priority order",
        "refresh_done": "Round {n} followed; it opened on {date}.",
    },
    "zh": {
        "title": "CRM 需求评估", "round": "第 {n} 轮", "report_of": "报告", "prepared": "数据截至",
        "scope": "范围", "scope.enterprise": "全公司（战略）", "scope.department": "部门（战术）",
        "opened": "开始", "closed": "结束", "still_open": "进行中", "contents": "目录",
        "summary": "摘要", "s.completed": "完成的访谈", "s.respondents": "受访者", "respondents_cap": "受访者",
        "s.answers": "回答（含追问）", "s.shortlist": "入选项目", "s.refresh": "下次评估",
        "framing": "问题、范围与目标", "key_questions": "本次评估要回答的关键问题", "goals": "目标",
        "no_goals": "尚未记录目标。", "no_key_questions": "尚未记录关键问题。", "smart_ok": "SMART",
        "smart_warn": "请检查",
        "participation": "参与情况", "segment": "群体", "invited": "已邀请", "in_progress": "进行中",
        "completed": "已完成", "declined": "拒绝 / 过期", "completion": "完成率", "total": "合计",
        "staff": "内部员工", "customers": "客户",
        "themes": "各群体的主要主题", "themes_intro": "每个群体中被提及最多的主题（每位受访者只计一次），"
        "附代表性回答及得出该需求的追问过程。", "respondents_n": "{n} 位受访者", "of": "/",
        "quote_from": "回答来自", "quote_assisted": "访谈者通话时记录",
        "ladder": "需求是如何问出来的", "probe": "追问", "why": "原因",
        "no_themes": "尚无已编码的回答。",
        "gap": "内部认知与客户现实", "gap_intro": "提及各主题的员工与客户比例。正差距表示员工比客户更看重；"
        "负差距表示客户需要、但公司可能低估的方面。", "theme": "主题", "internal_share": "员工",
        "customer_share": "客户", "gap_col": "差距", "gap_staff": "员工高估", "gap_customer": "客户更常提及",
        "no_gap": "需要同时有员工和客户的回答才能比较。",
        "agreement": "编码一致性", "agreement_intro": "在人工审核过的回答中，自动编码与审核人的一致程度"
        "（每个代码的 Cohen's kappa）。", "code": "代码", "reviewed": "已审核", "both": "两者一致",
        "auto_only": "仅自动", "human_only": "仅人工", "kappa": "Kappa", "band": "一致程度",
        "no_agreement": "尚无人工审核的回答。", "k.poor": "差", "k.slight": "轻微", "k.fair": "一般",
        "k.moderate": "中等", "k.substantial": "较高", "k.almost_perfect": "几乎完全", "k.undefined": "无",
        "median_kappa": "Kappa 中位数", "low_kappa": "个代码低于 0.4：依赖自动编码前请检查其线索词",
        "opportunities": "优先级排序的机会", "opp_intro": "候选 CRM 项目按方法中的标准打分（1-5 分，成本和文化变革"
        "反向计分），并按加权得分（0-100）排序。", "rank": "#", "project": "项目", "score": "得分",
        "phase": "阶段", "dates": "日期", "linked_themes": "主题", "warnings": "注意事项",
        "parked": "暂缓（未入选）", "weights": "权重", "no_opps": "尚未记录机会。",
        "c.benefit": "收益", "c.cost": "成本", "c.strategic_fit": "战略契合", "c.culture_change": "文化变革",
        "c.unit_support": "部门支持", "c.competitive_position": "竞争地位",
        "roadmap": "路线图", "roadmap_intro": "入选项目按阶段排列。", "unscheduled": "未排期",
        "no_roadmap": "尚无项目设定日期。", "starts": "开始", "ends": "结束",
        "next_refresh": "下次评估", "refresh_text": "市场和业务都在变化：下一轮 CNA 应于 {date} 开始"
        "（本轮开始后 {months} 个月）。", "overdue": "已逾期",
        "memos": "附录：备忘录", "memos_intro": "评审负责人在分析过程中写下并选入本报告的备注。",
        "memo_round": "本轮评估", "memo_theme": "主题：{name}", "memo_opportunity": "机会：{name}",
        "memo_answer": "回答 #{id}（{segment}，{question}）", "memo_by": "{author}，{date}",
        "method": "方法", "scripts_used": "访谈脚本", "script": "脚本", "version": "版本", "language": "语言",
        "audience": "对象", "interviews": "访谈", "fieldwork": "访谈期", "first_answer": "首个回答",
        "last_answer": "最后回答", "sample": "样本", "m.participants": "受访者", "m.ladders": "问题回答",
        "m.steps": "回答（含追问）", "m.probed": "需要追问的开放式回答", "m.depth": "每个被追问回答的平均追问次数",
        "m.auto": "自动编码建议", "m.reviewed": "经人工审核的回答", "m.withheld": "本读者无权查看的受限回答",
        "m.anonymous": "匿名回答", "team": "CNA 团队", "team_text": "共 {n} 人，其中内部 {internal} 人（{pct}）。",
        "no_team": "尚未记录团队。",
        "method_text": "我们用结构化脚本访谈了内部相关人员和客户。停留在表面的开放式回答（价格、速度、“更好的服务”、"
        "“还行”）会得到简短的追问，从属性追问到后果再到价值。每个回答都先自动编码，再由 CNA 负责人审核；"
        "主题按受访者计数，每人只计一次。",
        "comparison": "与上一轮比较", "comparison_intro": "第 {prev} 轮与本轮中提及各主题的客户比例。",
        "before": "上一轮", "after": "本轮", "change": "变化", "new": "新", "no_previous": "这是第一轮评估。",
        "prev_round": "上一轮", "anonymous": "匿名", "restricted": "受限", "page": "页",
        "footer": "匿名化：受访者只按群体显示。", "phase_legend": "阶段", "today_marker": "下次评估",
        "smart.no_number": "没有数字：请使其可衡量", "smart.no_date": "没有日期：请设定期限",
        "findings": "主要发现", "f.customer_gap": "客户提及“{theme}”的比例远高于员工（客户 {c}，员工 {s}）。",
        "f.staff_gap": "员工比客户更看重“{theme}”（员工 {s}，客户 {c}）。",
        "f.top_theme": "客户提及最多的主题：“{theme}”（客户 {c}）。",
        "f.top_project": "首要项目：{title}（得分 {score}）。",
        "f.wishlist": "入选项目已有 {n} 个（上限 {limit}）：清单正在变成愿望清单；预算和文化只允许公司做好少数几件事。",
        "f.kappa": "自动编码与审核人的一致程度：kappa 中位数 {k}（{band}）。", "team_warning": "团队检查",
        "w.costs": "成本高于回报", "w.culture": "需要大量文化变革", "w.strategy": "与战略不符",
        "w.support": "缺乏业务部门支持", "w.unscored": "未打分：{what}",
        "anon_mentions": "另有 {n} 条匿名回答", "recommended": "建议项目（按优先级）",
        "refresh_done": "第 {n} 轮已于 {date} 开始。",
    },
}

# Figures: every share says its base, units are named, small bases are marked (see docs/reports.md, "Figures").
TEXT["en"].update({
    "summary_people": "{s} staff · {c} customers",
    "unprompted": "+{n} unprompted",
    "anon_mentions": "+{n} anonymous answers",
    "anon_mention": "+{n} anonymous answer",
    "not_asked": "not asked",
    "share": "{p} ({k} of {n})",
    "indicative_note": "† fewer than {min} people in the base: indicative only, not a finding.",
    "people_asked": "people asked",
    "gap_people": "People with answers: {s} staff, {c} customers.",
    "internal_only": "Asked of staff only (not compared)",
    "customer_only": "Asked of customers only (not compared)",
    "only_intro": "No question put these themes to the other side, so a difference would only reflect the scripts.",
    "untied": "Raised without a question about them",
    "untied_intro": "Themes no question's code hints cover (for example a theme without a parent code): people who "
    "raised them, not a share.",
    "staff_people": "Staff (people)",
    "customer_people": "Customers (people)",
    "anonymous_col": "Anonymous answers",
    "paired": "The same forced choice, staff and customers",
    "paired_intro": "One question asked of staff and of customers with the same options (staff answer it for their "
    "customers), so what staff believe sits beside what customers pick. Share of the people who answered.",
    "person": "{n} person",
    "people_n": "{n} people",
    "closed_q": "Ratings and choices",
    "closed_intro": "Closed questions (single and multiple choice, yes/no, scales) in people who answered; n per "
    "column. A 0-10 likelihood question also gets a Net Promoter score: % promoters (9-10) minus % detractors (0-6).",
    "option": "Answer",
    "no_closed": "No closed questions answered.",
    "q.mean": "Mean",
    "q.median": "Median",
    "q.nps": "Net Promoter score",
    "q.nps_parts": "{p} promoters · {m} passives · {d} detractors",
    "kind.single": "single choice",
    "kind.multi": "multiple choice (shares add up to more than 100%)",
    "kind.yesno": "yes / no",
    "kind.scale": "scale",
    "yn.yes": "Yes",
    "yn.no": "No",
    "f.customer_gap": "Customers raise “{theme}” far more often than staff do: {c} of customers, {s} of staff asked "
    "about it.",
    "f.staff_gap": "Staff rate “{theme}” higher than customers do: {s} of staff, {c} of customers asked about it.",
    "f.top_theme": "The theme customers raise most: “{theme}”, {c} of the customers asked about it.",
    "f.nps": "Net Promoter score of {who}: {score} (n = {n}).",
    "f.kappa": "Automatic coding agrees with the reviewers at a pooled kappa of {k} ({band}; 95% CI {ci}; {n} "
    "finished answers).",
    "f.kappa_none": "Coding agreement cannot be measured yet: {n} answers fully reviewed, {need} needed.",
    "f.small": "{n} further differences of 15 points or more rest on fewer than {min} people on one side; they are "
    "shown in section 5, marked as indicative.",
    "f.wishlist": "{n} projects were put on the short list (limit {limit}): the {held} lowest-scored are held back. "
    "It is becoming a wish list; budget and culture let a company do only a few things well.",
    "why": "why",
    "basis": "Why it is here",
    "over_limit": "Held back by the limit",
    "candidates": "Candidates (not scored on every criterion; not prioritised)",
    "missing": "Still to score",
    "no_short": "Nothing is on the short list yet: score an opportunity on every criterion, then put it there.",
    "method_text": "Internal stakeholders and customers were interviewed with structured scripts. Open answers that "
    "stayed on the surface (price, speed, \"better service\", \"fine\") got short follow-up questions that climb from "
    "attribute to consequence to value. Every free-text answer was coded automatically; themes are counted once per "
    "person.",
    "method_none": "No answer has been reviewed by a person yet: every code in this report is one of the automatic "
    "coder's {p} proposals.",
    "method_review": "{r} of {n} free-text answers were reviewed by {people} reviewer(s): of {p} automatic "
    "proposals, {a} were accepted, {rj} rejected and {u} not yet reviewed (they count until a person decides); "
    "reviewers added {add} codes the coder had not proposed.",
    "m.participants": "Respondents (people)",
    "m.anonymous": "Anonymous answers",
    "m.anonymous_v": "{n} (answers to anonymous questions, follow-ups included; not counted as people)",
    "m.reviewed": "Free-text answers reviewed by a person",
    "m.reviewed_v": "{r} of {n}, by {people} reviewer(s); {f} finished (every proposal decided)",
    "m.auto": "Automatic code proposals",
    "m.auto_v": "{p}: {a} accepted, {rj} rejected, {u} not yet reviewed ({w} weaker ones ignored)",
    "m.added": "Added by a person",
    "m.added_v": "{add} codes, {th} theme tags",
    "comparison_intro": "Share of the customers asked about each theme who raised it, in round {prev} and now.",
})
TEXT["zh"].update({
    "respondents_cap": "受访者（人）",
    "respondents_n": "{n} 人",
    "themes_intro": "按人数统计：比例的分母是该群体中被问到相关问题的人数；未被问到却主动提及的人、以及无法对应到个"
    "人的匿名回答另行列出。每个主题附代表性回答及得出该需求的追问过程。",
    "gap_intro": "只比较员工和客户都被问到的主题。每一方的比例 = 提及该主题的人数 / 被问到相关问题（按问题的代码提示"
    "）的人数。正差距表示员工比客户更看重；负差距表示客户需要、但公司可能低估的方面。",
    "agreement_intro": "自动编码与审核人之间的 Cohen's kappa，按代码计算并汇总所有代码（单位：回答 × 代码）。只统计"
    "审核完成的回答：至少对一个代码本代码作出决定，且对每个自动建议都作了决定；未处理的建议不算作一致。95% 置信区间"
    "：单个代码用大样本近似，汇总值用按回答的刀切法。",
    "pooled_kappa": "汇总 kappa",
    "finished": "计入的回答（已审核完成）",
    "unfinished": "已审核但未完成（不计入）",
    "cases": "案例",
    "ci": "95% 置信区间",
    "k.too_few_answers": "已审核的回答不足",
    "k.too_few_cases": "案例太少（{n} < {min}）",
    "agreement_none": "已审核的回答不足，无法计算 kappa：已完成 {n} 条，需要 {need} 条。",
    "opp_intro": "CRM 项目按方法中的标准打分（1-5 分，成本和文化变革反向计分），并按加权得分（0-100）排序。入选清单"
    "只包含已完整打分、并由负责人列入的项目，按得分排序，最多 {limit} 个；“原因”列出每项标准为得分贡献的分数。",
    "summary_people": "员工 {s} 人 · 客户 {c} 人",
    "unprompted": "另有 {n} 人主动提及",
    "anon_mentions": "另有 {n} 条匿名回答",
    "anon_mention": "另有 {n} 条匿名回答",
    "not_asked": "未被问到",
    "share": "{p}（{k}/{n}）",
    "indicative_note": "† 分母少于 {min} 人：仅供参考，不作为结论。",
    "people_asked": "被问到的人数",
    "gap_people": "有回答的人数：员工 {s} 人，客户 {c} 人。",
    "internal_only": "只问了员工（不作比较）",
    "customer_only": "只问了客户（不作比较）",
    "only_intro": "没有任何问题向另一方问及这些主题，比较的差异只会反映脚本的不同。",
    "untied": "没有相关问题却被提及",
    "untied_intro": "没有任何问题的代码提示覆盖这些主题（例如没有上级代码的主题）：列出提及的人数，不计算比例。",
    "staff_people": "员工（人）",
    "customer_people": "客户（人）",
    "anonymous_col": "匿名回答",
    "paired": "同一道选择题：员工与客户",
    "paired_intro": "同一道题、同样的选项分别问员工和客户（员工替客户作答），把员工的判断和客户自己的选择放在一起。"
    "比例的分母是作答人数。",
    "person": "{n} 人",
    "people_n": "{n} 人",
    "closed_q": "评分与选择题",
    "closed_intro": "封闭式问题（单选、多选、是/否、量表），按作答人数统计；每列注明 n。0-10 分的推荐可能性问题另计"
    "净推荐值：推荐者（9-10 分）比例减去贬损者（0-6 分）比例。",
    "option": "回答",
    "no_closed": "尚无封闭式问题的回答。",
    "q.mean": "平均值",
    "q.median": "中位数",
    "q.nps": "净推荐值",
    "q.nps_parts": "推荐者 {p} · 中立者 {m} · 贬损者 {d}",
    "kind.single": "单选",
    "kind.multi": "多选（比例之和超过 100%）",
    "kind.yesno": "是 / 否",
    "kind.scale": "量表",
    "yn.yes": "是",
    "yn.no": "否",
    "f.customer_gap": "客户提及“{theme}”的比例远高于员工：被问到的客户中 {c}，员工中 {s}。",
    "f.staff_gap": "员工比客户更看重“{theme}”：被问到的员工中 {s}，客户中 {c}。",
    "f.top_theme": "客户提及最多的主题：“{theme}”，被问到的客户中 {c}。",
    "f.nps": "{who}的净推荐值：{score}（n = {n}）。",
    "f.kappa": "自动编码与审核人的一致程度：汇总 kappa {k}（{band}；95% 置信区间 {ci}；{n} 条审核完成的回答）。",
    "f.kappa_none": "编码一致性尚无法衡量：已完整审核 {n} 条回答，需要 {need} 条。",
    "f.small": "另有 {n} 项 15 个百分点以上的差异，其中一方不足 {min} 人；见第 5 节，标为仅供参考。",
    "f.wishlist": "已有 {n} 个项目被列入清单（上限 {limit}）：得分最低的 {held} 个暂不入选。清单正在变成愿望清单；预"
    "算和文化只允许公司做好少数几件事。",
    "basis": "入选原因",
    "over_limit": "因上限暂不入选",
    "candidates": "候选项目（尚未完整打分，不参与排序）",
    "missing": "待打分",
    "no_short": "入选清单还是空的：先把机会按每项标准打分，再列入清单。",
    "method_text": "我们用结构化脚本访谈了内部相关人员和客户。停留在表面的开放式回答（价格、速度、“更好的服务”、“还"
    "行”）会得到简短的追问，从属性追问到后果再到价值。每个开放式回答都先自动编码；主题按人计数，每人只计一次。",
    "method_none": "尚无人工审核：本报告中的每个代码都是自动编码的 {p} 个建议之一。",
    "method_review": "{n} 条开放式回答中有 {r} 条经 {people} 位审核人审核：{p} 个自动建议中，接受 {a} 个，拒绝 {rj} "
    "个，{u} 个尚未审核（在有人决定之前仍计入）；审核人另外添加了 {add} 个自动编码未建议的代码。",
    "m.participants": "受访者（人）",
    "m.anonymous": "匿名回答",
    "m.anonymous_v": "{n} 条（匿名问题的回答，含追问；不计为人数）",
    "m.reviewed": "经人工审核的开放式回答",
    "m.reviewed_v": "{n} 条中 {r} 条，审核人 {people} 位；{f} 条已审核完成（每个建议都已决定）",
    "m.auto": "自动编码建议",
    "m.auto_v": "{p} 个：接受 {a}，拒绝 {rj}，未审核 {u}（另有 {w} 个置信度较低的建议不计）",
    "m.added": "人工添加",
    "m.added_v": "{add} 个代码，{th} 个主题标记",
    "comparison_intro": "在被问到相关问题的客户中提及各主题的比例：第 {prev} 轮与本轮。",
})
