"""Ctrl-C reaches a terminal interview that waits for a line, even when the kernel hands SIGINT to another thread."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# In a child process: the main thread waits for a line on a pseudo-terminal nobody types into; another thread
# takes the SIGINT (as the database driver's thread can when Ctrl-C is pressed).
CHILD = textwrap.dedent("""
    import os, signal, sys, threading, time
    from cli.tty_lines import TtyLines
    signal.signal(signal.SIGINT, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    master, slave = os.openpty()
    threading.Thread(target=lambda: (time.sleep(0.3), signal.pthread_kill(threading.get_ident(), signal.SIGINT)),
                     daemon=True).start()
    start = time.monotonic()
    try:
        {read}
        print("no interrupt")
    except KeyboardInterrupt:
        print(f"interrupted after {{time.monotonic() - start:.1f}} s")
""")


def run(read: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CHILD.format(read=read)], capture_output=True, text=True, timeout=30)


def test_a_sigint_taken_by_another_thread_interrupts_the_wait_for_a_line() -> None:
    r = run("TtyLines(slave).read('')")
    assert r.stdout.startswith("interrupted after"), r.stdout + r.stderr
    assert float(r.stdout.split()[2]) < 3


def test_a_line_and_end_of_input_are_read_as_typed() -> None:
    r = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import os
        from cli.tty_lines import TtyLines
        r, w = os.pipe()
        os.write(w, "价格 first\\r\\nsecond\\nthird without newline".encode()); os.close(w)
        lines = TtyLines(r)
        print([lines.read(''), lines.read(''), lines.read(''), lines.read('')])
    """)], capture_output=True, text=True, timeout=30)
    assert r.stdout.strip() == "['价格 first', 'second', 'third without newline', None]", r.stdout + r.stderr
