"""The ids of the buttons and menus people click: shared by the messages that show them and the listeners."""

ACTION_START = "cna_start_interview"
ACTION_RESUME = "cna_resume_interview"
ACTION_SNOOZE = "cna_snooze_interview"  # value "<interview id>|<phrase>"
ACTION_DECLINE = "cna_decline_interview"
ACTION_CHOICE = "cna_choice"  # buttons: cna_choice.<n>, value "<interview>:<question>:<choice>"
ACTION_SELECT = "cna_select"  # static_select in block "q:<interview>:<question>"
ACTION_MULTI = "cna_multi"  # checkbox / multi-select toggles (not recorded; read on submit)
ACTION_SUBMIT = "cna_submit"  # value "<interview>:<question>"
ACTION_RECONSIDER = "cna_reconsider"  # "Changed my mind" on the decline message, value "<interview>"
ACTION_DISCARD = "cna_discard_note"  # "Don't keep it" on an addendum's acknowledgement, value "<interview>:<answer>"
ACTION_CLOSE_ROUND = "cna_close_round"  # the lead confirms /cna close, value "<round id>"
