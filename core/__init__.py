"""The CNA domain: scripts, interviews, probing, coding and analysis, pure Python with no I/O."""
