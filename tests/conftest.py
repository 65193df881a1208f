"""Shared fixtures: one app per session on a real database (SQLite file, or PostgreSQL when
TEST_DATABASE_URL says so), emptied between tests; reference data loaded once."""

import os
import re
import tempfile
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="fabrique-tests-"))
os.environ.setdefault("INSTANCE_DIR", str(_TMP / "instance"))
os.environ.setdefault("TEST_DATABASE_URL", f"sqlite:///{_TMP / 'test.sqlite3'}")

from ideas import create_app  # noqa: E402 - the environment above must be set first
from ideas.extensions import db as _db  # noqa: E402
from ideas.reference.seed import seed_reference  # noqa: E402
from tests import factories  # noqa: E402
from tests.catalogs import compile_stale_catalogs  # noqa: E402

KEPT_TABLES = {"territories", "themes"}  # reference data, loaded once per session
CSRF_PATTERN = re.compile(r'"X-CSRFToken": "([^"]+)"')


@pytest.fixture(scope="session")
def app():
    compile_stale_catalogs()  # i18n: a bare `pytest` must not silently run without English
    app = create_app("testing", **_fast_database_options())
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        seed_reference()
        _db.session.commit()
        yield app
        _db.session.remove()
        _db.drop_all()


def _fast_database_options() -> dict:
    """PostgreSQL without waiting for each commit to reach the disk: factories commit every
    row, and fsync made the suite several times slower. Durability is moot for test data."""
    if not os.environ["TEST_DATABASE_URL"].startswith("postgresql"):
        return {}
    return {"SQLALCHEMY_ENGINE_OPTIONS": {
        "pool_pre_ping": True, "connect_args": {"options": "-c synchronous_commit=off"}}}


def _empty_tables() -> None:
    _db.session.rollback()
    tables = [t for t in _db.metadata.sorted_tables if t.name not in KEPT_TABLES]
    # DELETE, children first, on both databases: PostgreSQL's TRUNCATE of every table took
    # ~0.4 s per test (it replaces each table's files), DELETE of a few rows a few ms.
    for table in reversed(tables):
        _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture
def db(app):
    # A fresh app context per test: its own `g` (Flask-Login's cached user, the memberships
    # cache) and its own database session, as each request has in production.
    with app.app_context():
        yield _db
        _empty_tables()
        _db.session.remove()


class Client:
    """A test client that fetches and sends the CSRF token like a browser would."""

    def __init__(self, flask_client):
        self.raw = flask_client
        self.user = None

    def _request(self, method: str, *args, **kwargs):
        # Under the test's app context, Flask 3.1 would reuse it for the request, so `g` (and
        # with it `current_user`) would leak from one request, or one client, to the next.
        # Buffered: the body is read and the response closed, as a WSGI server does (what runs
        # once the response has gone out, like an email, runs then).
        kwargs.setdefault("buffered", True)
        with self.raw.application.app_context():
            return getattr(self.raw, method)(*args, **kwargs)

    def csrf_token(self) -> str:
        page = self.get("/accessibilite")
        return CSRF_PATTERN.search(page.text).group(1)

    def get(self, url, **kwargs):
        return self._request("get", url, **kwargs)

    def post(self, url, data=None, htmx=False, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf and "csrf_token" not in data:
            data["csrf_token"] = self.csrf_token()
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        return self._request("post", url, data=data, headers=headers, **kwargs)

    def login(self, user, password=factories.PASSWORD):
        response = self.post("/connexion", {"email": user.email, "password": password})
        assert response.status_code == 302, response.text
        self.user = user
        return response

    def logout(self):
        return self.post("/deconnexion")


@pytest.fixture
def client(app, db):
    return Client(app.test_client())


@pytest.fixture
def make_client(app, db):
    """More browsers: `make_client(user)` returns a client logged in as that user."""

    def make(user=None):
        new = Client(app.test_client())
        if user is not None:
            new.login(user)
        return new

    return make


@pytest.fixture
def agent(db):
    return factories.UserFactory(display_name="Agent Test")


@pytest.fixture
def manager(db):
    return factories.UserFactory(role="manager", display_name="Direction Test")


@pytest.fixture
def admin(db):
    return factories.UserFactory(role="admin", display_name="Admin Test")


@pytest.fixture
def open_community(db):
    return factories.CommunityFactory(name="Sobriété numérique")


@pytest.fixture
def private_community(db):
    return factories.CommunityFactory(name="Réseau privé", is_private=True)


@pytest.fixture
def facilitator(db, open_community, private_community):
    """Facilitates both the open and the private community."""
    user = factories.UserFactory(display_name="Animatrice Test")
    factories.MembershipFactory(user=user, community=open_community, role="facilitator")
    factories.MembershipFactory(user=user, community=private_community, role="facilitator")
    return user


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """Messages received by a real SMTP server (aiosmtpd) on loopback."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def last_text(self) -> str:
        return self.messages[-1].get_body(("plain",)).get_content()


@pytest.fixture
def smtp(app):
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield mailbox
    controller.stop()
    app.config.update(MAIL_SERVER=None)
