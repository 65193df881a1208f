"""The background index writer (Whoosh): one thread per process, off the request path.

Requests leave it what can wait: support counts (marked in `search_queue` by the transaction
of the support itself, see `hooks`), writes that failed, and the merging of the small segments
that the requests' own writes leave (they commit without merging). Woken after a commit, it waits
`SEARCH_WRITER_DELAY` seconds so that the supports of that moment go in one Whoosh commit, then
empties the queue (`queue.drain`: rows read under the index lock, entries deleted once the index
took them) and merges small segments. Whoosh's lock keeps it and the other processes' writers in
turn. A crash loses nothing: the entries stay in the table for the next wake, the start-up
check or `search check --fix`.

Started on the first wake in each process (gunicorn's workers, after the fork); off when
`SEARCH_BACKGROUND_WRITER` is false (the test suite) and in CLI commands (`seed-scale`, imports:
the process may exit before the thread writes, and the index may not exist yet): the caller then
drains the queue itself, or it waits for the next synchronous write or `search check --fix`.
"""

import logging
import os
import threading
import time

import click
from flask import Flask, current_app

log = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds: an index that failed (locked by a rebuild, read-only) is not hammered
MAX_SEGMENTS = 12  # more small ones (a request's write adds one), and they are merged
_creating = threading.Lock()


class BackgroundWriter:
    def __init__(self, app: Flask, delay: float):
        self.app = app
        self.delay = delay
        self._pid = None
        self._thread = None
        self._wake = threading.Event()

    def wake(self) -> None:
        if self._pid != os.getpid() or not self._thread.is_alive():
            self._start()
        self._wake.set()

    def _start(self) -> None:
        # A forked worker inherits the object but not the thread: a fresh event, a new thread.
        self._pid, self._wake = os.getpid(), threading.Event()
        self._thread = threading.Thread(target=self._run, name="search-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        wake = self._wake
        while True:
            wake.wait()
            time.sleep(self.delay)  # the supports of the next moment join this commit
            wake.clear()
            with self.app.app_context():
                try:
                    write_deferred()
                except Exception:
                    log.warning("search: deferred index updates not written (kept queued)",
                                exc_info=True)
                    time.sleep(RETRY_AFTER)


def write_deferred() -> int:
    """Index what is queued, then merge small segments if there are many. Returns the number
    of entries indexed."""
    from ideas.search.registry import get_backend
    from ideas.search.sync import drain_queue

    done = drain_queue()
    backend = get_backend()
    if not done and backend.name == "whoosh":
        backend.index.merge_small_segments(MAX_SEGMENTS)
    return done


def init_app(app: Flask) -> None:
    app.config.setdefault("SEARCH_BACKGROUND_WRITER", os.environ.get(
        "SEARCH_BACKGROUND_WRITER", "0" if app.testing else "1") not in {"0", "false", "off"})
    app.config.setdefault("SEARCH_WRITER_DELAY",
                          float(os.environ.get("SEARCH_WRITER_DELAY", 0.2)))
    app.extensions["search_writer"] = None


def wake(app: Flask | None = None) -> bool:
    """Have the writer run soon; False when this app has none (the caller then does it)."""
    app = app or current_app._get_current_object()
    if not app.config.get("SEARCH_BACKGROUND_WRITER"):
        return False
    if click.get_current_context(silent=True) is not None:  # a CLI command, not a server
        return False
    with _creating:  # threaded servers: one writer per app and process
        writer = app.extensions.get("search_writer")
        if writer is None:
            writer = app.extensions["search_writer"] = BackgroundWriter(
                app, app.config["SEARCH_WRITER_DELAY"])
        writer.wake()
    return True
