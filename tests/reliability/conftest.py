"""Reliability fixtures: a site (fresh database of the run's kind, migrated and seeded) served
by gunicorn as in production, and a probe that sees, from outside, whether a worker holds an
open write transaction. The SQLite run tests SQLite, the PostgreSQL run (TEST_DATABASE_URL)
PostgreSQL, in a database of its own created and dropped here."""

import os

import pytest

from tests.reliability.server import Probe, fresh_database, prepare

DATABASE_URL = os.environ["TEST_DATABASE_URL"]
KIND = "postgresql" if DATABASE_URL.startswith("postgresql") else "sqlite"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    directory = tmp_path_factory.mktemp("site")
    with fresh_database(KIND, DATABASE_URL, directory) as url:
        yield prepare(url, directory, agents=8, ideas=4)


@pytest.fixture
def probe(site):
    probe = Probe(site.url)
    yield probe
    probe.close()
