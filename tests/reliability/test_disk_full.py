"""R8: the disk fills up under SQLite (SQLite's own fault model: `max_page_count` makes every
write past it fail with "database or disk is full") → the agent gets the 503 page, nothing is
half-written, `PRAGMA integrity_check` is ok, and writes work again once there is room."""

import sqlite3

import pytest
from sqlalchemy import event, make_url

from ideas.extensions import db
from tests.conftest import Client
from tests.reliability.conftest import KIND
from tests.reliability.server import PASSWORD, Probe

BODY = "Un commentaire assez long pour remplir la place qui reste. " * 150  # ~9 kB


@pytest.mark.checklist("R8")
@pytest.mark.skipif(KIND != "sqlite", reason="SQLite's fault model; the SQLite run covers it")
def test_a_full_disk_is_a_503_and_leaves_the_database_whole(site):
    app = site.app()
    room = {"pages": 12}  # about 48 kB more than the database holds now

    with app.app_context():
        def small_disk(dbapi_connection, _record):
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages + room['pages']}")

        event.listen(db.engine, "connect", small_disk)
        db.engine.dispose()
    try:
        client = Client(app.test_client())
        response = client.post("/connexion", {"email": site.emails[1], "password": PASSWORD})
        assert response.status_code == 302
        idea_id = site.idea_ids[0]
        statuses = []
        for _ in range(20):
            response = client.post(f"/idees/{idea_id}/commentaires", {"body": BODY}, htmx=True)
            statuses.append(response.status_code)
            if response.status_code != 200:
                break
        assert statuses[-1] == 503, statuses
        assert "Service momentanément indisponible" in response.text
        assert statuses.count(200) >= 1  # it did write until the disk was full

        probe = Probe(site.url)
        try:
            assert probe.counter_mismatches() == []
            assert probe.orphan_rows() == []
            written = probe.scalar("SELECT count(*) FROM comments WHERE body = :b",
                                   b=BODY.strip())
            assert written == statuses.count(200)
        finally:
            probe.close()
        check = sqlite3.connect(make_url(site.url).database)
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        check.close()

        room["pages"] = 10_000  # room again (an operator freed the disk)
        with app.app_context():
            db.engine.dispose()
        again = client.post(f"/idees/{idea_id}/commentaires", {"body": "Ça repart."}, htmx=True)
        assert again.status_code == 200
    finally:
        with app.app_context():
            event.remove(db.engine, "connect", small_disk)
            db.engine.dispose()
