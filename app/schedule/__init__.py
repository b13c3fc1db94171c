"""The schedule: plan what is due, sweep it, say it, and the APScheduler job that runs the sweep."""
