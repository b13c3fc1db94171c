"""Reports and exports: the Markdown/HTML CNA report, CSV/JSON, and REFI-QDA .qdpx/.qdc exchange."""

from reports.render import render_report

__all__ = ["render_report"]
