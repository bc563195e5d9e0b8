"""The writer thread: blocking writes done in order off the reactor's thread, and a thread
that never outlives the reactor. Each case runs a reactor in a process of its own (a
reactor cannot be restarted, and the test process must not install one)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from crawler.writer_thread import on_reactor, reactor_running

ROOT = Path(__file__).resolve().parent.parent

_SCRIPT = """
import threading
from scrapy.utils.reactor import install_reactor
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
from twisted.internet import reactor
from crawler.writer_thread import WriterThread, on_reactor, reactor_running

seen = []

def write(n):
    seen.append((n, threading.current_thread() is threading.main_thread()))
    on_reactor(lambda: seen.append(("reported", threading.current_thread().name)))
    return n

def start():
    assert reactor_running()
    writer = WriterThread("test-writer")
    for n in range(5):
        writer.run(write, n)
    last = writer.run(write, 5)
    last.addCallback(lambda n: print("answered", n, "on", threading.current_thread().name))
    # No writer.stop(): the reactor's shutdown must end the thread, or this never exits.
    last.addCallback(lambda _: reactor.callLater(0.1, reactor.stop))

reactor.callWhenRunning(start)
reactor.run()
writes = [n for n, on_main in seen if n != "reported"]
print("order", writes)
print("on main thread", any(on_main for n, on_main in seen if n != "reported"))
print("reports on", sorted({name for n, name in seen if n == "reported"}))
"""


def run(script: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_writes_run_in_order_off_the_reactor_and_answer_on_it() -> None:
    out = run(_SCRIPT)
    assert "order [0, 1, 2, 3, 4, 5]" in out
    assert "on main thread False" in out
    assert "answered 5 on MainThread" in out
    assert "reports on ['MainThread']" in out  # what a write hands back runs on the reactor


def test_without_a_running_reactor_everything_happens_in_the_caller() -> None:
    assert not reactor_running()  # so pipelines driven by hand (tests, tools) write inline
    called: list[int] = []
    on_reactor(called.append, 1)
    assert called == [1]
