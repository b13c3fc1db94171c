"""Use cases every channel shares: interviews, rounds, catalog, phrases, settings, the scheduler."""
