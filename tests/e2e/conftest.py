"""Run the real `cna` command as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Cli:
    def __init__(self, cwd: Path, db_url: str):
        self.cwd = cwd
        self.db_url = db_url

    def __call__(self, *args: str, input: str | None = None, db: bool = True, timeout: float = 120,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "CNA_DATABASE_URL": self.db_url, "PYTHONIOENCODING": "utf-8", **(env or {})}
        return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=self.cwd, input=input,
                              capture_output=True, text=True, timeout=timeout, env=full_env)


@pytest.fixture
def cna(tmp_path: Path) -> Cli:
    env_pythonpath = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = f"{ROOT}{os.pathsep}{env_pythonpath}" if env_pythonpath else str(ROOT)
    return Cli(tmp_path, f"sqlite:///{tmp_path}/cna.db")
