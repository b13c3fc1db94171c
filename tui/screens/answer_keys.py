"""The Answers screen's keys: coding, probe marks, filters and search (shown in the footer and the palette)."""

from __future__ import annotations

from textual.binding import Binding

KEYS = [
    Binding("t", "tag", "Tag", tooltip="Tag the step (or marked rows) with a code from the fuzzy picker"),
    Binding("a", "accept", "Accept", tooltip="Accept the highlighted auto code"),
    Binding("r", "reject", "Reject", tooltip="Reject the highlighted code"),
    Binding("x", "untag", "Untag", tooltip="Remove the highlighted code from the step"),
    Binding("A", "accept_all", "Accept all", tooltip="Accept every proposed code on the step"),
    Binding("full_stop", "repeat", "Repeat tag", key_display=".", tooltip="Tag with the last code used"),
    Binding("v", "span", "Code a passage",
            tooltip="Select part of the answer (→/← by word) and code just that passage"),
    Binding("i", "memo", "Memo", tooltip="Write a memo (a note) on the answer; it can go in the report's appendix"),
    Binding("T", "theme", "New theme", tooltip="Create a theme from this step (or the marked rows)"),
    Binding("P", "probe_mark('should_probe')", "Should have probed",
            tooltip="Mark the prober's decision on this step: it should have asked a follow-up (again: unmark)"),
    Binding("N", "probe_mark('needless')", "Needless follow-up",
            tooltip="Mark the follow-up after this step as needless (again: unmark); retrains the judge"),
    Binding("space", "mark", "Mark", tooltip="Mark or unmark the row for tagging several at once"),
    Binding("right_square_bracket", "next_code", "Next code", key_display="]", show=False,
            tooltip="Highlight the next code of the step"),
    Binding("left_square_bracket", "prev_code", "Previous code", key_display="[", show=False,
            tooltip="Highlight the previous code of the step"),
    Binding("u", "toggle('uncoded')", "To review",
            tooltip="Show only answers to review: not coded by a person, or with proposals undecided"),
    Binding("d", "toggle('disagree')", "Disagreements",
            tooltip="Show only answers where a person and the auto coder disagree"),
    Binding("slash", "search", "Search", key_display="/", tooltip="Search the answers' text"),
    Binding("s", "pick_filter('segment')", "Segment", show=False,
            tooltip="Filter by role or customer segment (or a whole side)"),
    Binding("p", "pick_filter('script')", "Script", show=False, tooltip="Filter by interview script"),
    Binding("Q", "pick_filter('question')", "Question", show=False, tooltip="Filter by question"),
    Binding("C", "pick_filter('code')", "Code filter", show=False,
            tooltip="Show the answers a code or theme counts for"),
    Binding("down", "move_list(1)", show=False),
    Binding("up", "move_list(-1)", show=False),
    Binding("c", "clear_filters", "Clear filters", tooltip="Show every answer of the round"),
    Binding("m", "more", "More", show=False, tooltip="Load the next 100 answers"),
    Binding("escape", "back", "Back", show=False, tooltip="Leave search, the single-ladder view or marks"),
]
