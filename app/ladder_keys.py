"""Ladder keys (16 hex digits from the OS's random source), drawn from a pool of random bytes read 4 KiB at a time.

Each `secrets.token_hex(8)` is one getrandom() call; on this machine's VMs that was 3-4 % of the engine's time per
answer (py-spy, docs/performance.md, sixth round). The bytes are the same kind (os.urandom); a forked child empties
its copy of the pool, so two processes never hand out the same keys.
"""

from __future__ import annotations

import os
import threading

_CHUNK = 4096  # bytes: 512 keys
_pool = bytearray()
_lock = threading.Lock()  # the TUI and the service may ask from more than one thread


def ladder_key() -> str:
    """A new random ladder key, as secrets.token_hex(8) makes them."""
    with _lock:
        if len(_pool) < 8:
            _pool.extend(os.urandom(_CHUNK))
        key = _pool[-8:].hex()
        del _pool[-8:]
    return key


def _forget() -> None:
    _pool.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget)
