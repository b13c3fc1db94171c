"""`cna serve` exactly as shipped, plus one background loop (bench.loop_probe) that records event-loop lag."""

from __future__ import annotations

import sys

import bot.serve
from bench.loop_probe import run_probe
from bot.cli import main


async def lag_probe(_deps: object) -> None:
    await run_probe()


if __name__ == "__main__":
    # BACKGROUND is the serve loop's own list of background coroutines ("add a loop with one line here").
    bot.serve.BACKGROUND.append(lag_probe)
    sys.argv = ["cna", "serve", *sys.argv[1:]]
    main()
