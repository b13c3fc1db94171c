"""The review read/write model shared by the review app and the reports (see docs/review-app.md)."""

# Use it inside a unit of work and commit writes; every answer query applies the reviewer's department
# restriction in SQL:
#     async with db.uow() as uow:
#         scope = ReviewScope(round_id, reviewer_from_env(os.environ))
#         page = await list_answers(uow.session, scope, AnswerFilter(segment="customer", search="invoice"))
#         await apply_code(uow.session, scope, page.rows[0].id, "price")
#         await uow.commit()

from storage.review.answers import (
    PAGE,
    AnswerFilter,
    AnswerPage,
    AnswerRow,
    CodingView,
    FilterChoices,
    Ladder,
    LadderStep,
    check_visible,
    codings_of,
    count_answers,
    excerpts,
    filter_choices,
    get_ladder,
    list_answers,
    question_texts,
)
from storage.review.coding import (
    Change,
    CodingChange,
    accept_all,
    accept_code,
    apply_code,
    clear_decision,
    create_theme,
    merge_themes,
    reject_code,
    remove_code,
    rename_theme,
    undo,
)
from storage.review.dashboard import (
    Dashboard,
    RoundInfo,
    SegmentProgress,
    dashboard,
    default_round,
    record_names_shown,
    rounds,
)
from storage.review.insights import (
    AnswerCodes,
    Disagreement,
    Quote,
    RoundCoding,
    ThemeCard,
    load_round_coding,
    quotes,
    round_comparison,
)
from storage.review.opportunities import (
    OpportunityView,
    Ranking,
    create_opportunity,
    delete_opportunity,
    get_weights,
    link_theme,
    ranking,
    set_score,
    set_weights,
    shortlist_limit,
    unlink_theme,
    update_opportunity,
)
from storage.review.scope import Codebook, CodeInfo, NotVisible, ReviewError, ReviewScope, load_codebook

__all__ = [
    "PAGE", "AnswerCodes", "AnswerFilter", "AnswerPage", "AnswerRow", "Change", "CodeInfo", "Codebook",
    "CodingChange", "CodingView", "Dashboard", "Disagreement", "FilterChoices", "Ladder", "LadderStep",
    "NotVisible", "OpportunityView", "Quote", "Ranking", "ReviewError", "ReviewScope", "RoundCoding",
    "RoundInfo", "SegmentProgress", "ThemeCard", "accept_all", "accept_code", "apply_code",
    "check_visible", "clear_decision", "codings_of", "count_answers", "create_opportunity",
    "create_theme", "dashboard", "default_round", "delete_opportunity", "excerpts", "filter_choices",
    "get_ladder", "get_weights", "link_theme", "list_answers", "load_codebook", "load_round_coding",
    "merge_themes", "question_texts", "quotes", "ranking", "record_names_shown", "reject_code",
    "remove_code", "rename_theme", "round_comparison", "rounds", "set_score", "set_weights",
    "shortlist_limit", "undo", "unlink_theme", "update_opportunity",
]
