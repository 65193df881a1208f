"""Reliability fixtures: a site (fresh database of the run's kind, migrated and seeded) served
by gunicorn as in production, and a probe that sees, from outside, whether a worker holds an
open write transaction. The SQLite run tests SQLite, the PostgreSQL run (TEST_DATABASE_URL)
PostgreSQL, in a database of its own created and dropped here."""

import os
import sqlite3

import pytest
from sqlalchemy import create_engine, make_url, text

from ideas.integrity import counter_mismatches
from tests.reliability.server import fresh_database, prepare

DATABASE_URL = os.environ["TEST_DATABASE_URL"]
KIND = "postgresql" if DATABASE_URL.startswith("postgresql") else "sqlite"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    directory = tmp_path_factory.mktemp("site")
    with fresh_database(KIND, DATABASE_URL, directory) as url:
        yield prepare(url, directory, agents=8, ideas=4)


class Probe:
    """Looks at the database from outside the app, on a connection of its own."""

    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")
        self.sqlite_path = make_url(url).database if KIND == "sqlite" else None
        if self.sqlite_path:
            self._sqlite = sqlite3.connect(self.sqlite_path, timeout=0, isolation_level=None)
        else:
            self._postgres = self.engine.connect()

    def writing(self) -> bool:
        """Is some other connection inside a write transaction right now?"""
        if self.sqlite_path:
            try:
                self._sqlite.execute("BEGIN IMMEDIATE")  # fails at once while a writer holds it
            except sqlite3.OperationalError:
                return True
            self._sqlite.execute("ROLLBACK")
            return False
        return bool(self._postgres.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL").scalar())

    def scalar(self, sql: str, **params):
        with self.engine.connect() as connection:
            return connection.scalar(text(sql), params)

    def counter_mismatches(self) -> list[str]:
        with self.engine.connect() as connection:
            return counter_mismatches(connection)

    def orphan_rows(self) -> list[str]:
        """Half-written ideas: without a theme, or not followed by their author."""
        with self.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT id FROM ideas i WHERE NOT EXISTS (SELECT 1 FROM idea_themes t "
                "WHERE t.idea_id = i.id) OR NOT EXISTS (SELECT 1 FROM idea_follows f "
                "WHERE f.idea_id = i.id AND f.user_id = i.author_id)")).scalars().all()
        return [f"idea #{row} half-written" for row in rows]

    def close(self) -> None:
        if self.sqlite_path:
            self._sqlite.close()
        else:
            self._postgres.close()
        self.engine.dispose()


@pytest.fixture
def probe(site):
    probe = Probe(site.url)
    yield probe
    probe.close()
