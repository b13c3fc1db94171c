"""Widgets and renderers the review screens share: filters, the ladder pane, bars and the roadmap."""
