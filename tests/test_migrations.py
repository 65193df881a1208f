"""Migrations on a fresh database: upgrade from empty, every step down and up again with the
data of earlier steps kept, down to base and up again; and no drift between the models and
the migrated schema (Alembic autogenerate finds nothing to do).

SQLite always (a temporary file); PostgreSQL too when TEST_DATABASE_URL points at one — in a
database of its own, created and dropped here, never the shared test tables."""

import itertools
import logging
import os
from pathlib import Path

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from ideas import create_app
from ideas.extensions import NAMING_CONVENTION, db
from tests.helpers import scratch_postgres_database

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")
FOUNDATION = "0001_foundation"


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    """The URL of an empty database of the given kind, removed afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    server_url = _postgres_url()
    if server_url is None:
        pytest.skip("TEST_DATABASE_URL is not PostgreSQL")
    with scratch_postgres_database(server_url, "test_migrations") as url:
        yield url


@pytest.fixture
def migrating_app(empty_database):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _revisions() -> list[str]:
    """Revision ids from the first to the head."""
    script = ScriptDirectory(MIGRATIONS)
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def _current() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _add_foundation_rows() -> None:
    """A territory, an agent, a community and a membership, straight in SQL (no model code,
    which follows the head schema)."""
    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO territories (id, code, name, kind, position) "
            "VALUES (1, 'siege', 'Siège', 'siege', 0)"))
        connection.execute(text(
            "INSERT INTO users (id, email, display_name, role, territory_id, is_active, "
            "session_token, created_at) VALUES (1, 'agent@reseau-canope.fr', 'Agent', "
            "'agent', 1, :yes, 'jeton', '2026-01-01 00:00:00')"), {"yes": True})
        connection.execute(text(
            "INSERT INTO communities (id, slug, name, description, is_private, created_at, "
            "member_count) VALUES (1, 'sobriete', 'Sobriété', '', :no, "
            "'2026-01-01 00:00:00', 1)"), {"no": False})
        connection.execute(text(
            "INSERT INTO memberships (id, user_id, community_id, role, status, message, "
            "created_at) VALUES (1, 1, 1, 'member', 'active', '', '2026-01-01 00:00:00')"))


def _foundation_rows() -> tuple:
    with db.engine.connect() as connection:
        return tuple(connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
                     for table in ("territories", "users", "communities", "memberships"))


def test_upgrade_from_empty_then_down_and_up_step_by_step(migrating_app):
    revisions = _revisions()
    assert revisions[0] == FOUNDATION
    assert _tables() == set()

    flask_migrate.upgrade(directory=MIGRATIONS, revision=FOUNDATION)
    _add_foundation_rows()
    for previous, revision in itertools.pairwise(revisions):
        flask_migrate.upgrade(directory=MIGRATIONS, revision=revision)
        tables_at_revision = _tables()
        flask_migrate.downgrade(directory=MIGRATIONS, revision=previous)
        assert _current() == previous
        assert _foundation_rows() == (1, 1, 1, 1), f"data lost going down from {revision}"
        flask_migrate.upgrade(directory=MIGRATIONS, revision=revision)
        assert _tables() == tables_at_revision, f"{revision} is not reversible"
        assert _foundation_rows() == (1, 1, 1, 1), f"data lost going up to {revision}"
    assert _current() == revisions[-1]
    assert set(db.metadata.tables) <= _tables()

    flask_migrate.downgrade(directory=MIGRATIONS, revision="base")
    assert _tables() == set()
    flask_migrate.upgrade(directory=MIGRATIONS)
    assert set(db.metadata.tables) <= _tables()
    assert _foundation_rows() == (0, 0, 0, 0)
    # env.py's logging setup must leave the app's loggers alone (the rest of the run uses them)
    assert not logging.getLogger("ideas.authz").disabled


def test_models_and_migrations_do_not_drift(migrating_app):
    flask_migrate.upgrade(directory=MIGRATIONS)
    assert db.metadata.naming_convention == NAMING_CONVENTION
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "compare_server_default": False,
            "render_as_batch": connection.dialect.name == "sqlite"})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "models and migrations differ; run `flask db migrate`:\n" + (
        "\n".join(map(str, differences)))


def _snapshot() -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table's column names and rows (values as text, so a column whose type a batch
    migration rebuilt compares equal), read in SQL."""
    snapshot = {}
    with db.engine.connect() as connection:
        for table in _tables():
            columns = [column["name"] for column in inspect(connection).get_columns(table)]
            rows = connection.execute(text(f'SELECT * FROM "{table}"')).all()
            snapshot[table] = (columns, [tuple(map(str, row)) for row in rows])
    return snapshot


def _lost(before: dict, after: dict) -> list[str]:
    """Tables present on both sides whose rows differ on the columns both sides have."""
    lost = []
    for table in before.keys() & after.keys():
        (columns_before, rows_before), (columns_after, rows_after) = before[table], after[table]
        common = [c for c in columns_before if c in columns_after]

        def project(columns, rows, common=common):
            positions = [columns.index(c) for c in common]
            return sorted(tuple(row[p] for p in positions) for row in rows)

        if project(columns_before, rows_before) != project(columns_after, rows_after):
            lost.append(f"{table} ({len(rows_before)} rows before, {len(rows_after)} after)")
    return lost


@pytest.mark.checklist("R9")
def test_a_populated_database_goes_down_to_the_foundation_and_up_with_its_data(migrating_app):
    """The demo data (every domain: ideas, comments, supports, follows, workflow, services,
    research, notifications …) at the head; then one step down at a time to the foundation
    and one step up at a time back to the head: at each step, every row of every table the
    two revisions share keeps every value the two schemas share (a downgrade drops only what
    its own upgrade added). SQLite rebuilds a table for most of these steps: this is where
    data could silently go."""
    from ideas.demo import seed_demo

    flask_migrate.upgrade(directory=MIGRATIONS)
    seed_demo()
    db.session.commit()
    db.session.remove()
    snapshot = _snapshot()
    assert sum(len(rows) for _columns, rows in snapshot.values()) > 1000
    path = _revisions()
    for revision in [*reversed(path[:-1]), *path[1:]]:
        move = flask_migrate.downgrade if path.index(revision) < path.index(_current()) else (
            flask_migrate.upgrade)
        move(directory=MIGRATIONS, revision=revision)
        assert _current() == revision
        after = _snapshot()
        assert _lost(snapshot, after) == [], f"data changed moving to {revision}"
        snapshot = after
    assert _current() == path[-1]
    with db.engine.connect() as connection:
        foundation_users = connection.scalar(text("SELECT COUNT(*) FROM users"))
    assert foundation_users > 10  # the foundation's rows made the whole round trip
