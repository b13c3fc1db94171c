"""The engine's second process (`python -m app.engine_child`): InterviewService.decide for batches, no database.

Frames on stdin and stdout (app/engine_process.py): a 4-byte length and a pickle. It loads the catalog from the
same files and environment as `cna serve`, says which coder model it codes with, then answers requests until
its stdin closes (the serve process stopped or died: the child ends with it).
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import struct
import sys
from types import SimpleNamespace
from typing import Any, BinaryIO

HEADER = struct.Struct(">I")


def read_frame(src: BinaryIO) -> Any:
    """One pickled message, or None at end of input."""
    head = src.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    size = HEADER.unpack(head)[0]
    body = src.read(size)
    if len(body) < size:
        return None
    return pickle.loads(body)


def write_frame(dst: BinaryIO, msg: Any) -> None:
    body = pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL)
    dst.write(HEADER.pack(len(body)) + body)
    dst.flush()


def model_id(coder: Any) -> str | None:
    return getattr(getattr(coder, "model", None), "id", None)


def serve(src: BinaryIO, dst: BinaryIO) -> None:
    from app.catalog import load_catalog
    from app.coder import build_coder
    from app.interviews import InterviewService
    from app.lexicon import warm_judge

    catalog = load_catalog()
    warm_judge(catalog.prober)
    service = InterviewService(None, catalog)  # type: ignore[arg-type]  # decide() never touches the database
    gc.collect()
    gc.freeze()  # as `cna serve` does: full collections no longer scan the catalog and the word lists
    write_frame(dst, ("ready", model_id(catalog.coder), os.getpid()))
    while (msg := read_frame(src)) is not None:
        kind = msg[0]
        if kind == "coder":  # the lead retrained the coder into the database: code with the same model
            catalog.coder = build_coder(catalog.codebook, msg[1], shipped=False)
            write_frame(dst, ("ok", model_id(catalog.coder)))
        elif kind == "decide":
            _, scripts, jobs = msg
            service._scripts.update(scripts)
            write_frame(dst, [_decide(service, *job) for job in jobs])
        else:
            write_frame(dst, ("error", f"unknown request {kind!r}"))


def _decide(service: Any, iv: dict[str, Any], sv_id: int, inp: Any, source: str | None, now: Any) -> Any:
    """One input's Decision, or ("error", type, text) when the engine failed on it alone."""
    try:
        return service.decide(SimpleNamespace(**iv), service._scripts[sv_id], inp, source, now)
    except Exception as exc:  # this input alone fails; the parent sends it down the retry path
        return ("error", type(exc).__name__, str(exc)[:200])


def main() -> None:
    # Ctrl-C in a terminal reaches the whole process group: the serve process shuts down and closes our stdin,
    # which ends this loop; a KeyboardInterrupt here would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    # The frames own stdout: anything printed by a library goes to stderr instead.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.stdin.buffer, out)


if __name__ == "__main__":
    main()
