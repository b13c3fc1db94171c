"""The running service and the CLI: Slack app, terminal channel, scheduler wiring, settings."""
