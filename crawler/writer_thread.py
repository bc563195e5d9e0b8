"""One thread that does a crawl's blocking writes, in order, off the reactor's thread.

A save to the database or a WARC record's fsync waits for a server or a disk. On the
reactor's thread that wait stops every download's clock with it, and AutoThrottle reads
the time a response sat unread as the server's latency: each host is then paced slower
than it answers. The writes run here instead, one at a time (one thread: their order is
the order they were asked for), and the caller awaits them as it awaited the write itself.
Only while a reactor runs: a pipeline or middleware driven by hand (tests, tools) writes
in the caller, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from scrapy.utils.reactor import is_reactor_installed
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThreadPool
from twisted.python import threadable
from twisted.python.threadpool import ThreadPool

_T = TypeVar("_T")


class WriterThread:
    def __init__(self, name: str) -> None:
        from twisted.internet import reactor

        self._pool = ThreadPool(minthreads=1, maxthreads=1, name=name)
        self._pool.start()
        self._stopped = False
        # Its thread is not a daemon: a reactor stopped without the spider closing (a
        # second Ctrl-C) must still end it, or the process would never exit.
        reactor.addSystemEventTrigger("during", "shutdown", self.stop)  # type: ignore[arg-type]

    def run(self, work: Callable[..., _T], *args: Any) -> Deferred[_T]:
        """``work(*args)`` on this thread once what was asked before it is done."""
        from twisted.internet import reactor

        return deferToThreadPool(reactor, self._pool, work, *args)

    def stop(self) -> None:
        """Wait for what is queued, then end the thread (once; later calls do nothing)."""
        if not self._stopped:
            self._stopped = True
            self._pool.stop()


def reactor_running() -> bool:
    """Whether a crawl's reactor runs (importing ``reactor`` otherwise would install one)."""
    if not is_reactor_installed():
        return False
    from twisted.internet import reactor

    return bool(getattr(reactor, "running", False))


def on_reactor(work: Callable[..., object], *args: Any) -> None:
    """``work(*args)`` on the reactor's thread: now if this is it, else as soon as it can."""
    if threadable.isInIOThread() or not reactor_running():
        work(*args)
        return
    from twisted.internet import reactor

    reactor.callFromThread(work, *args)
