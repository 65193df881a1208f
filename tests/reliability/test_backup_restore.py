"""R10: `flask --app wsgi backup DEST` while agents write, then `restore SRC`
into a fresh instance (new database, no search index): equal row counts and checksums, every
counter equal to its rows (a torn copy would show one counter off), the search index rebuilt
and in step, the SECRET_KEY kept. The commands run as an operator runs them (subprocesses,
production configuration)."""

import json
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import Client
from tests.reliability.conftest import DATABASE_URL, KIND
from tests.reliability.server import PASSWORD, REPO, TOKEN, Probe, Site, fresh_database


def flask(site: Site, *args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=REPO,
                          env={**site.env(), **(env or {})}, capture_output=True, text=True,
                          timeout=300, check=False)


def _write_until(stop: threading.Event, client, site, counts: dict) -> None:
    n = 0
    while not stop.is_set():
        idea_id = site.idea_ids[n % len(site.idea_ids)]
        token = TOKEN.search(client.get(f"/idees/{idea_id}").text)
        client.post(f"/idees/{idea_id}/commentaires",
                    {"body": f"Écrit pendant la sauvegarde {n}",
                     "submission_token": token.group(1) or token.group(2)}, htmx=True)
        path = "soutenir" if n % 2 == 0 else "retirer-soutien"
        client.post(f"/idees/{idea_id}/{path}", htmx=True)
        counts["writes"] = n = n + 1


def signed_in_client(app, email: str) -> Client:
    client = Client(app.test_client())
    assert client.post("/connexion", {"email": email, "password": PASSWORD}).status_code == 302
    return client


@pytest.mark.checklist("R10")
def test_backup_while_writing_then_restore_into_a_fresh_instance(site, tmp_path):
    """Two agents write (comments, supports) from threads of an app on the site's database
    while the operator's `backup` runs in its own process."""
    backup_dir = tmp_path / "sauvegarde"
    app = site.app()
    clients = [signed_in_client(app, site.emails[n]) for n in (1, 2)]
    stop, counts = threading.Event(), {"writes": 0}
    writers = [threading.Thread(target=_write_until, args=(stop, client, site, counts))
               for client in clients]
    for writer in writers:
        writer.start()
    try:
        while counts["writes"] < 2:
            time.sleep(0.05)
        before = counts["writes"]
        result = flask(site, "backup", str(backup_dir))
        during = counts["writes"] - before
    finally:
        stop.set()
        for writer in writers:
            writer.join(60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert during > 0, "nothing was written while the backup ran"
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert manifest["database"] == KIND and manifest["alembic_revision"]
    assert (backup_dir / "secret_key").read_text().strip() == site.secret_key
    assert backup_dir.stat().st_mode & 0o777 == 0o700
    assert all(path.stat().st_mode & 0o077 == 0 for path in backup_dir.iterdir())

    fresh_dir = tmp_path / "nouvelle-instance"
    fresh_dir.mkdir()
    with fresh_database(KIND, DATABASE_URL, fresh_dir) as fresh_url:
        fresh = Site(url=fresh_url, directory=fresh_dir, emails=site.emails,
                     idea_ids=site.idea_ids, secret_key=site.secret_key)
        restored = flask(fresh, "restore", str(backup_dir))
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "counts and checksums equal the backup's" in restored.stdout
        assert "Search index rebuilt" in restored.stdout

        probe = Probe(fresh_url)
        try:
            assert probe.counter_mismatches() == []  # a consistent copy, not a torn one
            assert probe.orphan_rows() == []
            tables = manifest["tables"]
            assert probe.scalar("SELECT count(*) FROM comments") == tables["comments"]["rows"]
            assert tables["comments"]["rows"] > 0
        finally:
            probe.close()
        assert not fresh.search_check().has_drift

        # A restore never overwrites: the instance is no longer empty.
        again = flask(fresh, "restore", str(backup_dir))
        assert again.returncode == 1 and "not empty" in again.stderr

        # The restored instance serves the agents, signed in with their same passwords.
        restored_app = fresh.app()
        client = signed_in_client(restored_app, site.emails[1])
        assert client.get(f"/idees/{site.idea_ids[0]}").status_code == 200
        with restored_app.app_context():
            from ideas.extensions import db

            db.engine.dispose()


@pytest.mark.checklist("R10")
def test_a_damaged_backup_is_refused(site, tmp_path):
    backup_dir = tmp_path / "sauvegarde"
    assert flask(site, "backup", str(backup_dir)).returncode == 0
    manifest_path = backup_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["ideas"]["sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))
    fresh_dir = tmp_path / "instance"
    fresh_dir.mkdir()
    with fresh_database(KIND, DATABASE_URL, fresh_dir) as fresh_url:
        result = flask(Site(url=fresh_url, directory=fresh_dir), "restore", str(backup_dir))
    assert result.returncode == 1
    assert "differs: ideas" in result.stderr
