"""Settings: production refuses to run unsafely and says why; development's SQLite is set up
(WAL, foreign keys, busy timeout) on every real connection."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

import config
from ideas import create_app
from ideas.extensions import db

GOOD_KEY = secrets.token_hex(32)
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("settings, complaint", [
    ({"SECRET_KEY": config.DEFAULT_SECRET_KEY}, "SECRET_KEY must be set to a random value"),
    ({"SECRET_KEY": "x" * 31}, "at least 32 characters"),
    ({"SECRET_KEY": ""}, "SECRET_KEY"),
    ({"SECRET_KEY": None}, "SECRET_KEY"),
    ({"SECRET_KEY": GOOD_KEY, "DEBUG": True}, "DEBUG must be off in production"),
    ({"SECRET_KEY": GOOD_KEY, "TESTING": True}, "TESTING must be off in production"),
])
def test_check_production_refuses_with_a_clear_message(settings, complaint):
    with pytest.raises(config.UnsafeConfiguration) as error:
        config.check_production(settings)
    assert complaint in str(error.value)
    assert str(error.value).startswith("Refusing to start in production")


def test_check_production_lists_every_problem_at_once():
    with pytest.raises(config.UnsafeConfiguration) as error:
        config.check_production({"SECRET_KEY": "court", "DEBUG": True})
    assert "SECRET_KEY" in str(error.value) and "DEBUG" in str(error.value)


def test_check_production_accepts_a_safe_configuration():
    config.check_production({"SECRET_KEY": GOOD_KEY, "DEBUG": False, "TESTING": False})


@pytest.mark.parametrize("overrides", [
    {"SECRET_KEY": config.DEFAULT_SECRET_KEY},
    {"SECRET_KEY": "trop-court"},
    {"SECRET_KEY": GOOD_KEY, "DEBUG": True},
])
def test_create_app_production_refuses(overrides, tmp_path):
    with pytest.raises(config.UnsafeConfiguration):
        create_app("production", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/p.sqlite3",
                   **overrides)


def test_production_cookies_are_secure_httponly_and_lax(tmp_path):
    app = create_app("production", SECRET_KEY=GOOD_KEY,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/p.sqlite3")
    assert not app.debug
    response = app.test_client().get("/connexion", base_url="https://fabrique.example")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")  # HTTPS only, this host only
    for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert flag in cookie
    assert app.config["REMEMBER_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_HTTPONLY"]


def test_flask_debug_in_the_environment_stops_production(tmp_path):
    """`FLASK_DEBUG=1 flask run` would open the debugger console: refuse to start instead."""
    env = {**os.environ, "FLASK_CONFIG": "production", "FLASK_DEBUG": "1",
           "SECRET_KEY": GOOD_KEY, "INSTANCE_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite3"}
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0
    assert "DEBUG must be off in production" in result.stderr


def test_development_sqlite_uses_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    app = create_app("development",
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/dev.sqlite3")
    with app.app_context():
        with db.engine.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") == 5000
            assert connection.exec_driver_sql("SELECT lower('ÉNERGIE')").scalar() == "énergie"
        db.create_all()
        from ideas.communities.models import Membership

        db.session.add(Membership(user_id=12345, community_id=67890))
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            db.session.commit()
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()


def test_development_defaults_to_a_sqlite_file_in_the_instance_folder():
    if "DATABASE_URL" in os.environ:
        pytest.skip("DATABASE_URL overrides the default here")
    url = config.DevelopmentConfig.SQLALCHEMY_DATABASE_URI
    assert url == f"sqlite:///{config.INSTANCE_DIR / 'fabrique.sqlite3'}"
