"""Small assertions shared by the server-side tests (no fixtures here: see conftest.py)."""

import contextlib
import html
import re
import uuid

import sqlalchemy as sa

from ideas.extensions import db

_ALERT = re.compile(r'<div class="fr-alert fr-alert--error[^"]*"[^>]*>(.*?)</div>', re.S)


def text(response) -> str:
    """The body with HTML entities decoded, so French apostrophes compare as typed."""
    return html.unescape(response.get_data(as_text=True))


def error_alerts(response) -> list[str]:
    """The inner HTML of the page's error alerts (form-level errors)."""
    return [block.strip() for block in _ALERT.findall(text(response))]


def count(model, **filters) -> int:
    stmt = db.select(db.func.count()).select_from(model)
    for name, value in filters.items():
        stmt = stmt.where(getattr(model, name) == value)
    return db.session.scalar(stmt)


def location(response) -> str:
    return response.headers.get("Location", "")


def redirects_to_login(response) -> bool:
    return response.status_code == 302 and location(response).startswith("/connexion")


@contextlib.contextmanager
def scratch_postgres_database(postgres_url: str, prefix: str):
    """The URL of a new, empty database on the server of `postgres_url` (never that database
    itself), dropped afterwards even if connections are still open."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    server = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()
