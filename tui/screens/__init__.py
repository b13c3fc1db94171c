"""The review app's screens: dashboard, answers, themes, agreement, opportunities, and dialogs."""
