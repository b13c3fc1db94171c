"""Ctrl-C in a terminal interview, typed into a real pseudo-terminal (issue 15, case 1).

The interview runs as `cna try` in a child process whose controlling terminal is a pty; the test types into
the pty's master side, so ^C reaches the child as SIGINT through the terminal's line discipline, exactly as
when a person presses Ctrl-C."""

from __future__ import annotations

import os
import pty
import select
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CTRL_C = b"\x03"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


class Pty:
    """`cna ARGS` on a pseudo-terminal: type into it, wait for text, collect its exit status."""

    def __init__(self, db_url: str, cwd: Path, *args: str):
        env = {**os.environ, "CNA_DATABASE_URL": db_url, "PYTHONIOENCODING": "utf-8", "TERM": "dumb",
               "PYTHONPATH": str(ROOT)}
        argv = [sys.executable, "-m", "cli.main", *args]
        pid, fd = pty.fork()
        if pid == 0:  # the child: its controlling terminal is the pty
            try:
                os.chdir(cwd)
                os.execve(sys.executable, argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.output = ""
        self.status: int | None = None

    def _pump(self, timeout: float) -> bool:
        """Read what the child wrote within `timeout`; False once the terminal is closed."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 4096)
        except OSError:  # EIO: the child closed the terminal (it exited)
            return False
        if not data:
            return False
        self.output += data.decode("utf-8", "replace").replace("\r\n", "\n")
        return True

    def expect(self, text: str, timeout: float = 60) -> None:
        start = len(self.output)
        deadline = time.monotonic() + timeout
        while text not in self.output[start:] and text not in self.output:
            if time.monotonic() > deadline or not self._pump(0.2):
                if text in self.output:
                    return
                raise AssertionError(f"{text!r} did not appear; the terminal showed:\n{self.output}")

    def settle(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self._pump(0.05):
            pass

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode("utf-8") + b"\r")

    def press(self, key: bytes) -> None:
        os.write(self.fd, key)

    def wait(self, timeout: float = 30) -> int:
        """The exit status (as a shell shows it: 130 for a program that exits after SIGINT)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._pump(0.1)
            done, raw = os.waitpid(self.pid, os.WNOHANG)
            if done:
                while self._pump(0.05):
                    pass
                os.close(self.fd)
                self.status = os.waitstatus_to_exitcode(raw)
                return self.status
        self.kill()
        raise AssertionError(f"cna did not exit within {timeout} s; the terminal showed:\n{self.output}")

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass


@pytest.fixture
def terminal(tmp_path: Path):
    started: list[Pty] = []

    def start(*args: str) -> Pty:
        p = Pty(f"sqlite:///{tmp_path}/cna.db", tmp_path, *args)
        started.append(p)
        return p

    yield start
    for p in started:
        if p.status is None:
            p.kill()


def rows(tmp_path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(tmp_path / "cna.db") as c:
        return c.execute(sql).fetchall()


TRY = ("try", "--script", "customer-current", "--participant", "Pat Newcomer")


def test_first_ctrl_c_pauses_saves_and_exits_130_with_the_resume_command(terminal, tmp_path):
    t = terminal(*TRY)
    t.expect("Type yes to start")
    t.type("yes")
    t.expect("Question 1 of")
    t.expect("> ")
    t.type("Lower price.")
    t.expect("↳")  # the follow-up on a superficial answer
    t.settle(0.5)
    t.press(CTRL_C)
    assert t.wait(timeout=30) == 130
    assert "Traceback" not in t.output and "CancelledError" not in t.output
    assert "Interrupted: the interview is paused and your answers so far are saved." in t.output
    resume_lines = [ln for ln in t.output.splitlines() if "To carry on where you stopped, run:" in ln]
    assert len(resume_lines) == 1, t.output
    assert "try --script customer-current --participant 'Pat Newcomer'" in resume_lines[0]
    assert rows(tmp_path, "SELECT status FROM interviews") == [("paused",)]
    assert ("Lower price.",) in rows(tmp_path, "SELECT text FROM answers")

    again = terminal(*TRY)
    again.expect("Resuming interview")
    again.expect("> ")
    again.press(CTRL_C)
    assert again.wait(timeout=30) == 130
    assert "Traceback" not in again.output
    assert rows(tmp_path, "SELECT status FROM interviews") == [("paused",)]
    assert rows(tmp_path, "SELECT count(*) FROM interviews") == [(1,)], "resumed, not a second interview"


def test_second_ctrl_c_exits_at_once_even_while_a_write_is_blocked(terminal, tmp_path):
    t = terminal(*TRY)
    t.expect("Type yes to start")
    t.type("yes")
    t.expect("Question 1 of")
    t.expect("> ")
    # Another process holds SQLite's write lock, so the next answer's write waits (up to the busy timeout,
    # 10 s): the first Ctrl-C can only be noted; the second must not wait for the write.
    lock = sqlite3.connect(tmp_path / "cna.db", timeout=0, isolation_level=None)
    try:
        lock.execute("BEGIN IMMEDIATE")
        t.type("Lower price.")
        t.settle(1.0)
        t.press(CTRL_C)
        t.settle(0.5)
        assert t.status is None and "Interrupted" not in t.output, "the first Ctrl-C waits for the write"
        pressed = time.monotonic()
        t.press(CTRL_C)
        status = t.wait(timeout=5)
        took = time.monotonic() - pressed
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert status == 130
    assert took < 5 and "Stopped." in t.output
    assert "Traceback" not in t.output
    # What was committed before stays consistent: the interview exists and the database opens.
    assert rows(tmp_path, "SELECT count(*) FROM interviews") == [(1,)]


def test_ctrl_c_at_the_consent_question_stores_nothing(terminal, tmp_path):
    t = terminal(*TRY)
    t.expect("Type yes to start")
    t.settle(0.3)
    t.press(CTRL_C)
    assert t.wait(timeout=30) == 130
    assert "Interrupted; nothing was stored." in t.output and "Traceback" not in t.output
    assert rows(tmp_path, "SELECT count(*) FROM interviews") == [(0,)]
    assert rows(tmp_path, "SELECT count(*) FROM participants") == [(0,)]


def test_ctrl_c_in_chinese_pauses_in_chinese(terminal, tmp_path):
    t = terminal("try", "--script", "customer-current", "--lang", "zh", "--participant", "王芳")
    t.expect("同意请输入")
    t.type("是")
    t.expect("第 1 题")
    t.expect("> ")
    t.press(CTRL_C)
    assert t.wait(timeout=30) == 130
    assert "已中断：访谈已暂停" in t.output and "想从停下的地方继续时，请运行" in t.output
    assert "Interrupted" not in t.output and "Traceback" not in t.output
    assert rows(tmp_path, "SELECT status, lang FROM interviews") == [("paused", "zh")]
