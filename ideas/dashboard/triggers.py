"""Database triggers that mark in `activity_dirty` the dates whose activity figures changed.

Triggers rather than calls in the services: supports and comments are written by Core
statements (support toggle, merge moving supports), by cascades (an erased account, a deleted
idea) and by bulk loaders; a trigger sees every one of them. They only note a date (one
primary-key insert); ideas/dashboard/daily.py recomputes those dates' rows before the next read.

An idea's own update of `vote_count`, `comment_count` or its text does not fire them: only the
columns the figures depend on (hidden, community, author, date)."""

from sqlalchemy import event, text

from ideas.extensions import db

# (table, columns whose update moves a figure) for SQLite's AFTER UPDATE OF.
_WATCHED = (("votes", "idea_id, user_id, created_at"),
            ("comments", "idea_id, author_id, created_at, deleted_at, hidden_at"),
            ("ideas", "hidden_at, community_id, author_id, created_at"))
_IDEA_CHANGED = ("OLD.hidden_at IS NOT NEW.hidden_at OR OLD.community_id IS NOT NEW.community_id"
                 " OR OLD.author_id IS NOT NEW.author_id OR OLD.created_at IS NOT NEW.created_at")
# Hidden, shown again or moved: the days of the idea's comments and supports change too.
_IDEA_EVENTS = ("SELECT date(created_at) AS day FROM votes WHERE idea_id = NEW.id "
                "UNION SELECT date(created_at) FROM comments WHERE idea_id = NEW.id")
# Not INSERT OR IGNORE: inside a trigger, the conflict policy of the statement that fired it
# wins, and a foreign key's ON DELETE SET NULL aborts on the duplicate instead of ignoring it.
_ADD_NEW_DAYS = ("INSERT INTO activity_dirty (day) SELECT day FROM ({days}) "
                 "WHERE day NOT IN (SELECT day FROM activity_dirty);")


def _mark(row: str) -> str:
    return _ADD_NEW_DAYS.format(days=f"SELECT date({row}.created_at) AS day")


def _sqlite_triggers() -> list[str]:
    found = []
    for table, columns in _WATCHED:
        update_when, update_also = "", ""
        if table == "ideas":  # not on each vote_count or comment_count increment
            update_when = f"WHEN {_IDEA_CHANGED} "
            update_also = _ADD_NEW_DAYS.format(days=_IDEA_EVENTS)
        prefix = f"CREATE TRIGGER IF NOT EXISTS activity_{table}"
        found += [
            f"{prefix}_insert AFTER INSERT ON {table} BEGIN {_mark('NEW')} END",
            f"{prefix}_delete AFTER DELETE ON {table} BEGIN {_mark('OLD')} END",
            f"{prefix}_update AFTER UPDATE OF {columns} ON {table} {update_when}"
            f"BEGIN {_mark('OLD')} {_mark('NEW')} {update_also} END"]
    return found


_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION activity_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO activity_dirty (day) VALUES (OLD.created_at::date) ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO activity_dirty (day) VALUES (NEW.created_at::date) ON CONFLICT DO NOTHING;
    END IF;
    IF TG_TABLE_NAME = 'ideas' AND TG_OP = 'UPDATE' THEN  -- hidden, shown or moved
        INSERT INTO activity_dirty (day)
        SELECT created_at::date FROM votes WHERE idea_id = NEW.id
        UNION SELECT created_at::date FROM comments WHERE idea_id = NEW.id
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$"""


def _postgresql_triggers() -> list[str]:
    changed = _IDEA_CHANGED.replace(" IS NOT ", " IS DISTINCT FROM ")
    found = [_PG_FUNCTION]
    for table, columns in _WATCHED:
        when = f"WHEN ({changed}) " if table == "ideas" else ""
        found += [
            f"CREATE OR REPLACE TRIGGER activity_{table} AFTER INSERT OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION activity_mark()",
            f"CREATE OR REPLACE TRIGGER activity_{table}_update AFTER UPDATE OF {columns} "
            f"ON {table} FOR EACH ROW {when}EXECUTE FUNCTION activity_mark()"]
    return found


def install(connection) -> None:
    """Create the triggers (the tables exist): by create_all and by migration 0014."""
    statements = (_postgresql_triggers() if connection.dialect.name == "postgresql"
                  else _sqlite_triggers())
    for statement in statements:
        connection.execute(text(statement))


def uninstall(connection) -> None:
    is_postgresql = connection.dialect.name == "postgresql"
    for table, _columns in _WATCHED:
        names = ("", "_update") if is_postgresql else ("_insert", "_delete", "_update")
        for name in names:
            on = f" ON {table}" if is_postgresql else ""
            connection.execute(text(f"DROP TRIGGER IF EXISTS activity_{table}{name}{on}"))
    if is_postgresql:
        connection.execute(text("DROP FUNCTION IF EXISTS activity_mark()"))


@event.listens_for(db.metadata, "after_create")
def _after_create_all(_metadata, connection, **_kw) -> None:
    install(connection)
