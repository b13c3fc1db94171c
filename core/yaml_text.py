"""YAML parsing through libyaml when PyYAML was built with it: the pure-Python parser cost `cna probe` a
third of its start-up reading the probe rules."""

from __future__ import annotations

from typing import Any

import yaml

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str) -> yaml.Node | None:
    """The node tree (with line marks), for messages that point at a line."""
    return yaml.compose(text, Loader=_Loader)


def load(text: str) -> Any:
    """The data, loaded safely (plain scalars, lists and mappings only)."""
    return yaml.load(text, Loader=_Loader)
