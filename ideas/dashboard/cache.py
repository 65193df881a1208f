"""A short-lived, in-process memory of the dashboard's activity figures (funnel, delays,
vitality). They aggregate every idea, comment and support of the period — about 80,000 rows a
year at 100,000 ideas — which SQLite needs most of a second for; the page says how fresh they
are. The contract indicators and every drill-down list are never cached.

DASHBOARD_CACHE_SECONDS sets the lifetime (default 300; 0 turns it off, the default under
testing, where each test changes the data). Each worker process keeps its own copy."""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app

DEFAULT_SECONDS = 300
MAX_ENTRIES = 64  # periods; the oldest is dropped first

_entries: OrderedDict = OrderedDict()
_lock = threading.Lock()


def lifetime() -> int:
    app = current_app
    return int(app.config.get("DASHBOARD_CACHE_SECONDS", 0 if app.testing else DEFAULT_SECONDS))


def remembered(key: tuple, compute: Callable):
    """compute(), or its result from less than `lifetime()` seconds ago."""
    seconds = lifetime()
    if seconds <= 0:
        return compute()
    now = time.monotonic()
    with _lock:
        found = _entries.get(key)
        if found and now - found[0] < seconds:
            _entries.move_to_end(key)
            return found[1]
    value = compute()  # outside the lock: two requests may compute at once, both are right
    with _lock:
        _entries[key] = (now, value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def forget() -> None:
    with _lock:
        _entries.clear()
