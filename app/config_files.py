"""A config file's text and the codebook, read without the rest of the catalog (`cna code` starts on these alone)."""

from __future__ import annotations

import os
from pathlib import Path

from core.coding import Codebook, parse_codebook
from core.script_parse import Problem, ScriptError
from interview_scripts import CODEBOOK


def read_config(path: Path, what: str) -> str:
    """A data file's text; a missing or unreadable one is a ScriptError like a malformed one (one line)."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScriptError([Problem(str(path), 1, f"no such file ({what})", "check the path, or unset the "
                                   "variable to use the shipped file" if what.startswith("CNA_") else
                                   "reinstall cna or restore the file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptError([Problem(str(path), 1, f"cannot read it ({what}): {exc}", "save it as UTF-8 and "
                                   "check its permissions")]) from None


def load_codebook(path: Path | None = None) -> Codebook:
    env = os.environ.get("CNA_CODEBOOK")
    p = path or Path(env or CODEBOOK)
    what = "--codebook" if path else "CNA_CODEBOOK" if env else "the shipped codebook"
    return parse_codebook(read_config(p, what), str(p))
