"""Benchmarks: `python -m bench [--quick]` runs the Slack bot under load against a bare Bolt baseline."""
