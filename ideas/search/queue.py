"""The retry queue (`search_queue`): ideas whose index update failed.

Entries are written in their own transaction (the user's has already committed), processed by
`search check --fix`, and drained opportunistically after the next successful index write.
"""

import logging
from collections.abc import Iterable

from sqlalchemy import delete, func, insert, select

from ideas.search.models import SearchQueueEntry

log = logging.getLogger(__name__)

DRAIN_BATCH = 500


def enqueue(engine, idea_ids: Iterable[int], reason: str) -> None:
    rows = [{"idea_id": idea_id, "reason": reason[:200]} for idea_id in sorted(set(idea_ids))]
    if not rows:
        return
    try:
        with engine.begin() as connection:
            connection.execute(insert(SearchQueueEntry), rows)
    except Exception:
        # The database refusing too is beyond repair here; `search check` still finds the drift.
        log.exception("could not queue %s ideas for indexing", len(rows))


def count(connection) -> int:
    return connection.scalar(select(func.count()).select_from(SearchQueueEntry))


def has_entries(connection) -> bool:
    return connection.scalar(select(SearchQueueEntry.id).limit(1)) is not None


def clear(connection, entry_ids: Iterable[int] | None = None) -> None:
    statement = delete(SearchQueueEntry)
    if entry_ids is not None:
        statement = statement.where(SearchQueueEntry.id.in_(list(entry_ids)))
    connection.execute(statement)


def drain(engine, backend, limit: int = DRAIN_BATCH) -> int:
    """Index up to `limit` queued ideas; their entries go only once the index took them."""
    with engine.begin() as connection:
        rows = connection.execute(
            select(SearchQueueEntry.id, SearchQueueEntry.idea_id)
            .order_by(SearchQueueEntry.id).limit(limit)).all()
        if not rows:
            return 0
        backend.index_ideas(connection, {row.idea_id for row in rows})
        clear(connection, [row.id for row in rows])
    log.info("search queue: %s entries indexed", len(rows))
    return len(rows)
