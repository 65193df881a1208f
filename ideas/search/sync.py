"""Apply what a committed transaction changed to the Whoosh index, or queue it.

Runs in `after_commit`: the user's data is safe whatever happens here, so every failure ends in
the queue and a log line, never in an exception reaching the request. What may wait (support
counts, retries, merges) is the background writer's (`ideas.search.writer`).
"""

import logging

from flask import current_app
from sqlalchemy import select

from ideas.extensions import db
from ideas.ideation.models import Idea, idea_tags, idea_themes
from ideas.search import queue, writer
from ideas.search.documents import count_ideas
from ideas.search.engine import SearchUnavailable
from ideas.search.hooks import Pending

log = logging.getLogger(__name__)


def expand_ids(connection, found: Pending) -> set[int]:
    """The ideas noted, plus every idea of a renamed community, theme or tag."""
    ids = set(found.ideas)
    if found.communities:
        ids.update(connection.scalars(
            select(Idea.id).where(Idea.community_id.in_(found.communities))))
    if found.themes:
        ids.update(connection.scalars(
            select(idea_themes.c.idea_id).where(idea_themes.c.theme_id.in_(found.themes))))
    if found.tags:
        ids.update(connection.scalars(
            select(idea_tags.c.idea_id).where(idea_tags.c.tag_id.in_(found.tags))))
    return ids


def index_after_commit(backend, found: Pending) -> None:
    """Index the changed documents now (their author finds them on the next page); leave the
    rest to the background writer: what `hooks` queued (counters), failed writes, merges."""
    background = current_app.config.get("SEARCH_BACKGROUND_WRITER", False)
    if found and not _index_now(backend, found, merge=not background):
        return
    if not writer.wake() and found:  # no background writer: the next write catches up
        _drain_quietly(backend)


def _index_now(backend, found: Pending, merge: bool) -> bool:
    ids = set(found.ideas)
    try:
        with db.engine.connect() as connection:
            ids = expand_ids(connection, found)
            try:
                backend.index_ideas(connection, ids, merge=merge)
            except SearchUnavailable:
                if not _rebuild_if_small(backend, connection):
                    raise
    except SearchUnavailable as error:
        log.warning("search index not updated, %s ideas queued: %s", len(ids), error)
        queue.enqueue(db.engine, ids, str(error))
        return False
    except Exception as error:
        log.exception("search index update failed, %s ideas queued", len(ids))
        queue.enqueue(db.engine, ids, repr(error))
        return False
    return True


def _rebuild_if_small(backend, connection) -> bool:
    """A missing index (first start, deleted directory) of a small database is simply rebuilt:
    a few seconds, and search works again without an operator."""
    limit = current_app.config.get("SEARCH_AUTO_REBUILD_MAX", 0)
    if backend.index.exists() or count_ideas(connection) > limit:
        return False
    log.warning("search index missing: rebuilding it (%s ideas at most)", limit)
    backend.rebuild(connection)
    return True


def _drain_quietly(backend) -> None:
    try:
        with db.engine.connect() as connection:
            if not queue.has_entries(connection):
                return
        queue.drain(db.engine, backend)
    except Exception:
        log.warning("search queue not drained", exc_info=True)


def drain_queue() -> int:
    """Public: index what is queued (CLI, start-up)."""
    from ideas.search.registry import get_backend

    backend = get_backend(current_app)
    total = 0
    while (done := queue.drain(db.engine, backend)):
        total += done
    return total



def check_at_startup(app) -> str | None:
    """Before serving (gunicorn's master, gunicorn.conf.py): reconcile the index with the
    database when that is cheap (at most SEARCH_AUTO_REBUILD_MAX ideas), else index what is
    queued. A failure is logged and the server starts anyway (search then says it is
    unavailable; `search check --fix` repairs). Returns what it did, for the log."""
    from ideas.search.registry import get_backend

    with app.app_context():
        try:
            with db.engine.connect() as connection:
                ideas = count_ideas(connection)
            if ideas > app.config["SEARCH_AUTO_REBUILD_MAX"]:
                return f"search queue at start-up: {drain_queue()} ideas indexed"
            with db.engine.begin() as connection:
                report = get_backend(app).check(connection, fix=True)
            return f"search check at start-up: {report.summary()}"
        except Exception:
            log.exception("search check at start-up failed")
            return None
        finally:
            db.engine.dispose()  # no connection inherited by the forked workers


def warm_worker(app) -> None:
    """In each gunicorn worker before its first request (gunicorn.conf.py): the search
    backend's caches, so that no user waits for them. A failure only leaves them cold."""
    from ideas.search.registry import get_backend

    if "search" not in getattr(app, "extensions", {}):  # another app (the bench's hello-world)
        return
    with app.app_context():
        try:
            get_backend(app).warm()
        except Exception:
            log.warning("search caches not warmed at worker start", exc_info=True)
