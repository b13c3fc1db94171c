"""Crash tests: kill -9 the running service under load and count what was lost or doubled."""
