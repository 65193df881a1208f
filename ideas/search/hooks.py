"""Keep the index in step with the database, from SQLAlchemy session events.

`after_flush` and `do_orm_execute` note which ideas a transaction touched (the idea itself, its
comments, supports, SDGs; a renamed theme, tag or community touches all their ideas); nothing is
indexed then. Whoosh is written once the transaction has committed (`after_commit` takes the
notes, `after_transaction_end` indexes them from a fresh connection reading the committed rows):
uncommitted data is never indexed, a rolled-back transaction indexes nothing, and a crash
between commit and indexing leaves the index behind (never ahead), which `search check` sees.
PostgreSQL documents are rewritten in `before_commit`, inside the transaction itself.

A change of counters only (a support given or withdrawn) is not indexed in the request: with
Whoosh it is marked in `search_queue`, in the same transaction, and the process's background
writer (`ideas.search.writer`) folds it in a moment later, with the others of that moment; with
PostgreSQL it changes no search document at all (counts are read from `ideas`).

Noting too much is harmless: indexing always re-reads the idea from the database (an idea that
is gone is removed from the index).
"""

import logging
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import chain

from flask import current_app, has_app_context
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

from ideas.comments.models import Comment
from ideas.communities.models import Community
from ideas.ideation.models import Idea, IdeaSdg, Tag
from ideas.reference.models import Theme
from ideas.search.models import SearchQueueEntry
from ideas.votes.models import Vote

log = logging.getLogger(__name__)

PENDING = "search_pending"
COMMITTED = "search_committed"
# Tables whose writes change an idea's document, and the column naming the idea in each.
IDEA_COLUMN = {"ideas": "id", "comments": "idea_id", "votes": "idea_id", "idea_sdgs": "idea_id",
               "idea_themes": "idea_id", "idea_tags": "idea_id"}
WATCHED_ATTRIBUTES = {Community: ("name", "is_private", "territory_id"),
                      Theme: ("name_fr", "name_en"), Tag: ("name",)}
# Idea columns no document holds as text or filter: documents keep the support count (the
# "most supported" sort) and nothing of the others, so a change of these alone can wait.
COUNTER_COLUMNS = frozenset({"vote_count", "comment_count", "follower_count"})
DEFERRED_REASON = "counters"  # search_queue.reason of a change left to the background writer


@dataclass
class Pending:
    ideas: set[int] = field(default_factory=set)  # their document changed: index at once
    communities: set[int] = field(default_factory=set)
    themes: set[int] = field(default_factory=set)
    tags: set[int] = field(default_factory=set)
    counters: set[int] = field(default_factory=set)  # only their counters changed: may wait

    def __bool__(self) -> bool:
        return bool(self.ideas or self.communities or self.themes or self.tags)

    def deferred(self) -> set[int]:
        return self.counters - self.ideas


def pending(session: Session) -> Pending:
    return session.info.setdefault(PENDING, Pending())


def register(session_factory) -> None:
    """Listen on the app's session factory (once, whatever the number of apps created)."""
    for name, listener in (("after_flush", _after_flush), ("do_orm_execute", _do_orm_execute),
                           ("before_commit", _before_commit), ("after_commit", _after_commit),
                           ("after_transaction_end", _after_transaction_end)):
        if not event.contains(session_factory, name, listener):
            event.listen(session_factory, name, listener)


def _after_flush(session: Session, _context) -> None:
    found = pending(session)
    dirty = session.dirty
    for obj in chain(session.new, dirty, session.deleted):
        if isinstance(obj, Idea):
            if obj.id is not None:
                counters = obj in dirty and _counters_only(obj)
                (found.counters if counters else found.ideas).add(obj.id)
        elif isinstance(obj, Vote):
            if obj.idea_id is not None:
                found.counters.add(obj.idea_id)
        elif isinstance(obj, Comment | IdeaSdg):
            if obj.idea_id is not None:
                found.ideas.add(obj.idea_id)
        elif type(obj) in WATCHED_ATTRIBUTES and obj.id is not None and _changed(obj):
            target = {Community: found.communities, Theme: found.themes, Tag: found.tags}
            target[type(obj)].add(obj.id)


def _counters_only(idea: Idea) -> bool:
    """A changed idea whose changes are all counters (none seen: reindex, as before)."""
    changed = [attr.key for attr in inspect(idea).attrs if attr.history.has_changes()]
    return bool(changed) and all(key in COUNTER_COLUMNS for key in changed)


def _changed(obj) -> bool:
    """A community whose member count moved keeps its documents; a renamed one does not."""
    state = inspect(obj)
    if state.deleted or state.was_deleted:
        return True
    return any(state.attrs[name].history.has_changes() for name in WATCHED_ATTRIBUTES[type(obj)])


def _do_orm_execute(state) -> None:
    """Statements sent through the session (SQL counter increments, INSERT … of a support, a
    merge moving supports, a comment hidden by its id): note the ideas they concern."""
    if state.is_select:
        return
    statement = state.statement
    table = getattr(statement, "table", None)
    column = IDEA_COLUMN.get(getattr(table, "name", None))
    if column is None:
        return
    ids = _ids_named(statement, column, state.parameters)
    if not ids and table.name == "comments":
        comment_ids = _ids_named(statement, "id", state.parameters)
        if comment_ids:  # a comment changed by its own id: find its idea
            ids = set(state.session.scalars(
                select(Comment.idea_id).where(Comment.id.in_(comment_ids))))
    if ids:
        found = pending(state.session)
        (found.counters if _counters_statement(statement, table.name) else found.ideas).update(ids)
    else:
        log.debug("search: could not tell which ideas %s changes", table.name)


def _counters_statement(statement, table: str) -> bool:
    """A support row written or removed, or an UPDATE of idea counters only."""
    if table == "votes":
        return True
    values = getattr(statement, "_values", None)  # UPDATE … SET: the columns it sets
    return (table == "ideas" and statement.is_update and bool(values)
            and all(getattr(column, "key", column) in COUNTER_COLUMNS for column in values))


def _ids_named(statement, column: str, parameters) -> set[int]:
    """Values compared to `column` in the WHERE clause (= or IN), or given to it as values."""
    ids = set()
    where = getattr(statement, "whereclause", None)
    if where is not None:
        for element in visitors.iterate(where):
            if (isinstance(element, BinaryExpression)
                    and getattr(element.left, "name", None) == column
                    and isinstance(element.right, BindParameter)):
                value = element.right.effective_value
                ids.update(value if isinstance(value, list | tuple | set) else [value])
    for key, value in (getattr(statement, "_values", None) or {}).items():  # VALUES, SET
        if getattr(key, "key", key) == column and isinstance(value, BindParameter):
            ids.add(value.effective_value)
    compiled = {}
    if not ids:  # compiling costs more than the rest of a support's statement: a last resort
        # A statement we cannot compile alone names no idea.
        with suppress(Exception):
            compiled = statement.compile().params
    rows = parameters if isinstance(parameters, list) else [parameters or {}]
    for values in [compiled, *rows]:
        if column in values:
            ids.add(values[column])
    return {int(i) for i in ids if isinstance(i, int)}


def _before_commit(session: Session) -> None:
    # Savepoints fire the commit events too: only the real commit counts.
    if session.in_nested_transaction() or not has_app_context():
        return
    from ideas.search.registry import get_backend

    backend = get_backend(current_app)
    session.flush()  # what is still unflushed is noted by this flush, before we look
    if backend.name == "postgres":
        found = session.info.pop(PENDING, None)
        if found:  # counters only: no document holds them (`ideas` is read at search time)
            backend.update_in_transaction(session, found)
        return
    found = session.info.get(PENDING)
    deferred = found.deferred() if found is not None else ()
    if deferred:  # marked in this very transaction: committed together, or not at all
        session.connection().execute(insert(SearchQueueEntry), [
            {"idea_id": idea_id, "reason": DEFERRED_REASON} for idea_id in sorted(deferred)])


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: nothing is committed yet
        return
    found = session.info.pop(PENDING, None)
    if found is not None and (found or found.counters):
        session.info[COMMITTED] = found


def _after_transaction_end(session: Session, transaction) -> None:
    """The outermost transaction is over and its connection back in the pool (indexing reads
    on another connection: holding two per request could exhaust the pool under load). Index
    what it committed; after a rollback, drop the notes: nothing is indexed. (A savepoint
    rolled back keeps them: re-reading an idea is harmless.)"""
    if transaction.parent is not None:
        return
    session.info.pop(PENDING, None)
    committed = session.info.pop(COMMITTED, None)
    if committed is None or not has_app_context():
        return
    from ideas.search.registry import get_backend
    from ideas.search.sync import index_after_commit

    backend = get_backend(current_app)
    if backend.name == "whoosh":
        index_after_commit(backend, committed)
