"""The app as production runs it, for the reliability tests and bench/load: a fresh database
(SQLite file, or a PostgreSQL database of its own) migrated with Alembic and seeded through the
services, gunicorn with gunicorn.conf.py and FLASK_CONFIG=production on a free port, and
agents speaking plain HTTP with their own cookies and CSRF token.

Loopback only; every process started here is stopped by its context manager."""

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import flask_migrate
from sqlalchemy import create_engine, make_url, text

from tests.helpers import scratch_postgres_database

REPO = Path(__file__).resolve().parents[2]
MIGRATIONS = str(REPO / "migrations")
PASSWORD = "fiabilite-charge-2026"  # test accounts on a throwaway database
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
TOKEN = re.compile(r'name="submission_token"[^>]*value="([^"]+)"|'
                   r'value="([^"]+)"[^>]*name="submission_token"')
# Rate limits are per client address and every agent here is 127.0.0.1: out of the way.
RATE_LIMIT_NAMES = ("login_ip", "login_account", "signup_ip", "password_reset_ip",
                    "password_reset_account", "idea_ip", "idea_account", "comment_ip",
                    "comment_account", "support_ip", "support_account", "report_ip",
                    "report_account", "export_account")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- Databases

@contextlib.contextmanager
def fresh_database(kind: str, postgres_url: str | None, directory: Path):
    """The URL of an empty database of this kind, dropped afterwards (PostgreSQL: a database
    of its own on the server of `postgres_url`, never that database itself)."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'site.sqlite3'}"
        return
    with scratch_postgres_database(postgres_url, "reliability") as url:
        yield url


@dataclass
class Site:
    """A migrated, seeded database and its instance directory (search index)."""

    url: str
    directory: Path
    emails: list[str] = field(default_factory=list)
    idea_ids: list[int] = field(default_factory=list)
    slug: str = ""
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    search_backend: str = "whoosh"

    @property
    def index_dir(self) -> Path:
        return self.directory / "search-index"

    def app(self):
        from ideas import create_app

        return create_app("testing", SQLALCHEMY_DATABASE_URI=self.url,
                          SEARCH_INDEX_DIR=str(self.index_dir),
                          SEARCH_BACKEND=self.search_backend)

    def search_check(self, fix: bool = False):
        """The search index against the database (`search check [--fix]`'s report)."""
        from ideas.extensions import db
        from ideas.search.registry import get_backend

        app = self.app()
        with app.app_context():
            try:
                with db.engine.begin() as connection:
                    return get_backend(app).check(connection, fix=fix)
            finally:
                db.engine.dispose()

    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("PYTEST", "TEST_DATABASE"))}
        env.update(FLASK_CONFIG="production", SECRET_KEY=self.secret_key,
                   DATABASE_URL=self.url, INSTANCE_DIR=str(self.directory),
                   SEARCH_INDEX_DIR=str(self.index_dir), SEARCH_BACKEND=self.search_backend,
                   ARGON2_TIME_COST="1", ARGON2_MEMORY_COST="8192",
                   GUNICORN_ACCESSLOG="", PYTHONUNBUFFERED="1")
        env.pop("MAIL_SERVER", None)
        env.pop("FLASK_DEBUG", None)
        for name in RATE_LIMIT_NAMES:
            env[f"RATE_LIMIT_{name.upper()}"] = "1000000 per hour"
        return env


def prepare(url: str, directory: Path, agents: int = 20, ideas: int = 10,
            search_backend: str = "whoosh") -> Site:
    """Alembic up from empty, reference data, `agents` accounts (password PASSWORD) members of
    one open community, `ideas` ideas posted through the service by one more member (so every
    agent may support every idea); the search index built."""
    from ideas.accounts import services as accounts
    from ideas.communities import services as communities
    from ideas.extensions import db
    from ideas.ideation import services as ideation
    from ideas.reference.models import Theme
    from ideas.reference.seed import seed_reference
    from ideas.search.registry import get_backend

    directory.mkdir(parents=True, exist_ok=True)
    site = Site(url=url, directory=directory, search_backend=search_backend)
    app = site.app()
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS)
        seed_reference()
        password_hash = accounts.hash_password(PASSWORD)  # one hash, the same cost as the server
        users = []
        for n in range(agents + 1):
            user = accounts.create_user(f"agent{n}@charge.reseau-canope.fr", f"Agent {n}", None)
            user.password_hash = password_hash
            users.append(user)
        theme = db.session.scalars(db.select(Theme).where(Theme.is_active)).first()
        community = communities.create_community(
            users[0], name="Fiabilité", description="Charge et pannes.", is_private=False,
            territory_id=None, theme_ids=[theme.id])
        for user in users:
            communities.join(user, community)
        for n in range(ideas):
            idea = ideation.post_idea(
                users[-1], community, title=f"Idée de charge numéro {n}",
                body="Une idée pour éprouver le serveur.", theme_ids=[theme.id], tags="charge")
            site.idea_ids.append(idea.id)
        db.session.commit()
        site.emails = [user.email for user in users[:-1]]
        site.slug = community.slug
        with db.engine.begin() as connection:
            get_backend(app).rebuild(connection)
        db.session.remove()
        db.engine.dispose()
    return site


class Probe:
    """Looks at the database from outside the app, on a connection of its own."""

    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")
        self.sqlite_path = make_url(url).database if url.startswith("sqlite") else None
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
        from ideas.integrity import counter_mismatches

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


# -- Faults

class InFlight:
    """A request sent from a thread; `result` is its response or the connection error."""

    def __init__(self, send):
        self.result = None
        self.thread = threading.Thread(target=self._run, args=(send,), daemon=True)
        self.thread.start()

    def _run(self, send):
        try:
            self.result = send()
        except (OSError, http.client.HTTPException) as error:
            self.result = error

    def done(self) -> bool:
        return not self.thread.is_alive()

    def wait(self, seconds: float = 60):
        self.thread.join(seconds)
        assert self.done(), "the request never ended"
        return self.result


def hold_lock(probe, idea_id: int):
    """Block writers from outside; returns the release. PostgreSQL: the idea's row (the
    support's INSERT goes through, its counter UPDATE waits); SQLite: the database's write lock
    (the worker waits at its first write)."""
    if probe.sqlite_path:
        connection = sqlite3.connect(probe.sqlite_path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
    else:
        connection = probe.engine.raw_connection()
        connection.driver_connection.autocommit = False
        connection.cursor().execute(
            "SELECT id FROM ideas WHERE id = %s FOR NO KEY UPDATE", (idea_id,))

    def release():
        connection.rollback()
        connection.close()

    return release


def signed_in(server, site, n: int) -> "Agent":
    agent = Agent(server.port)
    agent.login(site.emails[n])
    return agent


# -- gunicorn

def child_pids(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid …: comm may hold spaces, so split after its closing parenthesis.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            children.append(int(entry.name))
    return sorted(children)


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py wsgi:app` on a free port; output in `log_path`. `app`:
    another WSGI app under the same settings (bench/perf's hello-world)."""

    def __init__(self, site: Site, workers: int = 4, timeout: int = 30,
                 graceful_timeout: int = 30, env: dict | None = None, app: str = "wsgi:app"):
        self.app = app
        self.site = site
        self.workers = workers
        self.timeout = timeout
        self.graceful_timeout = graceful_timeout
        self.extra_env = env or {}
        self.port = free_port()
        self.log_path = site.directory / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Gunicorn":
        command = [sys.executable, "-m", "gunicorn", "-c", str(REPO / "gunicorn.conf.py"),
                   "-b", f"127.0.0.1:{self.port}", "-w", str(self.workers),
                   "--timeout", str(self.timeout),
                   "--graceful-timeout", str(self.graceful_timeout), self.app]
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, cwd=REPO, env={**self.site.env(), **self.extra_env}, stdout=self._log,
            stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_ready()
        return self

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log()}"
            if len(self.worker_pids()) == self.workers:
                try:
                    if Agent(self.port).get("/connexion").status == 200:
                        return
                except OSError:
                    pass
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not start:\n{self.log()}")

    def worker_pids(self) -> list[int]:
        return child_pids(self.process.pid) if self.process else []

    def wait_for_new_worker(self, gone: int, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pids = self.worker_pids()
            if gone not in pids and len(pids) == self.workers:
                return
            time.sleep(0.05)
        raise AssertionError(f"no worker replaced {gone}:\n{self.log()}")

    def log(self, tail: int | None = 5000) -> str:
        text = self.log_path.read_text(errors="replace")
        return text[-tail:] if tail else text

    def stop(self) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(self.graceful_timeout + 15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        # Workers orphaned by a killed master would hold the port: end the whole group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self._log.close()
        return self.process.returncode

    def __enter__(self) -> "Gunicorn":
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()


# -- Clients

@dataclass
class Response:
    status: int
    headers: dict
    text: str


class Agent:
    """One browser: its cookies (Secure ones too: this is loopback) and CSRF token."""

    def __init__(self, port: int, timeout: float = 60):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.csrf_token: str | None = None

    def request(self, method: str, path: str, form: dict | None = None,
                htmx: bool = False) -> Response:
        headers = {"Accept-Language": "fr"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if htmx:
            headers["HX-Request"] = "true"
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            content = raw.read().decode("utf-8", errors="replace")
            for value in raw.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            response = Response(raw.status, dict(raw.headers.items()), content)
        finally:
            connection.close()
        found = CSRF.search(response.text)
        if found:
            self.csrf_token = found.group(1)
        return response

    def get(self, path: str, htmx: bool = False) -> Response:
        return self.request("GET", path, htmx=htmx)

    def post(self, path: str, form: dict | None = None, htmx: bool = False) -> Response:
        if self.csrf_token is None:
            self.get("/connexion")
        return self.request("POST", path, {"csrf_token": self.csrf_token, **(form or {})},
                            htmx=htmx)

    def login(self, email: str, password: str = PASSWORD) -> None:
        response = self.post("/connexion", {"email": email, "password": password})
        assert response.status == 302, (response.status, response.text[:500])
        self.get("/idees")  # a signed-in page: the session's new CSRF token

    @staticmethod
    def submission_token(response: Response) -> str:
        found = TOKEN.search(response.text)
        assert found, "no submission_token in the form"
        return found.group(1) or found.group(2)
