"""Lines typed at a terminal, read so that Ctrl-C always reaches the interview (whichever thread the kernel picks)."""

from __future__ import annotations

import os
import select
import sys

# A process-wide SIGINT can be delivered to any thread (the database driver runs its own). Python runs its handler
# only in the main thread, between bytecodes: a main thread blocked in input() would wait for the next key before
# Ctrl-C took effect. Waking this often lets the handler run within a fraction of a second.
WAKE_SECONDS = 0.2


class TtyLines:
    """Lines from a terminal's file descriptor, the kernel's line editing (backspace, Ctrl-U) kept."""

    def __init__(self, fd: int, encoding: str = "utf-8"):
        self.fd = fd
        self.encoding = encoding
        self._pending = b""

    def read(self, prompt: str = "> ") -> str | None:
        """One line without its newline; None at end of input (Ctrl-D on an empty line)."""
        sys.stdout.write(prompt)
        sys.stdout.flush()
        while b"\n" not in self._pending:
            if not select.select([self.fd], [], [], WAKE_SECONDS)[0]:
                continue
            chunk = os.read(self.fd, 4096)
            if not chunk:
                if not self._pending:
                    return None
                break  # Ctrl-D after some words: they are the line
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        return line.decode(self.encoding, errors="replace").rstrip("\r")
