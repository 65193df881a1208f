"""Erasure after a real restore (SECURITY-CHECKLIST item 51 with section 3 item 10): an account
erased after the last backup comes back when that backup is restored; `restore` erases it again
from the erasure log — on the database and in the rebuilt index — and `flask erasures reapply`
run afterwards changes nothing more."""

import os
from pathlib import Path

import flask_migrate
import pytest

from ideas import create_app
from ideas.accounts.models import User
from ideas.extensions import db
from ideas.ideation import services as ideation
from ideas.reference.models import Theme
from ideas.reference.seed import seed_reference
from ideas.search import queries as search
from tests.factories import CommunityFactory, UserFactory
from tests.reliability.server import fresh_database

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")
SERVER_URL = os.environ.get("TEST_DATABASE_URL", "")
KIND = "postgresql" if SERVER_URL.startswith("postgresql") else "sqlite"


def _app(url: str, directory: Path, log: Path):
    return create_app("testing", SQLALCHEMY_DATABASE_URI=url, ERASURE_LOG=str(log),
                      SEARCH_INDEX_DIR=str(directory / "index"), SEARCH_BACKEND="whoosh")


@pytest.mark.checklist(51, "R10")
def test_an_erasure_is_applied_again_after_restoring_an_older_backup(tmp_path):
    log, saved = tmp_path / "erasures.log", tmp_path / "sauvegarde"
    first, second = tmp_path / "avant", tmp_path / "apres"
    first.mkdir(), second.mkdir()
    with fresh_database(KIND, SERVER_URL, first) as old_url, \
            fresh_database(KIND, SERVER_URL, second) as new_url:
        old = _app(old_url, first, log)
        with old.app_context():
            flask_migrate.upgrade(directory=MIGRATIONS)
            seed_reference()
            alice = UserFactory(display_name="Alice Zéphyrine")
            admin = UserFactory(role="admin")
            ideation.post_idea(alice, CommunityFactory(), title="Des gourdes pour tous",
                               body="Signé Alice Zéphyrine.",
                               theme_ids=[db.session.scalar(db.select(Theme.id).limit(1))])
            db.session.commit()
            alice_id, admin_id = alice.id, admin.id
            runner = old.test_cli_runner()
            backed_up = runner.invoke(args=["backup", str(saved)])
            assert backed_up.exit_code == 0, backed_up.output
            erased = runner.invoke(args=["erasures", "erase", str(alice_id), "--yes"])
            assert erased.exit_code == 0, erased.output
            assert log.read_text().count(f'"user_id": {alice_id}') == 1
            db.session.remove()
            db.engine.dispose()

        new = _app(new_url, second, log)
        with new.app_context():
            runner = new.test_cli_runner()
            restored = runner.invoke(args=["restore", str(saved)])
            assert restored.exit_code == 0, restored.output
            assert "1 account(s) erased again, 0 already erased" in restored.output
            admin = db.session.get(User, admin_id)
            alice = db.session.get(User, alice_id)
            assert alice.is_erased and alice.display_name == "Agent supprimé"
            assert search.search_ideas(admin, "Zéphyrine").total == 0
            reapplied = runner.invoke(args=["erasures", "reapply"])
            assert reapplied.exit_code == 0, reapplied.output
            assert "0 account(s) erased again, 1 already erased" in reapplied.output
            assert search.search_ideas(admin, "gourdes").total == 1
            db.session.remove()
            db.engine.dispose()
