"""Property-based (hypothesis) tests of the interview engine and the HTTP endpoint."""
