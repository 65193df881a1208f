"""Two app servers on one PostgreSQL database, as when the app runs on several machines
(SEARCH_BACKEND=postgres): an idea posted through one is found by search on the other at once,
with no index to copy or refresh — its search document is written in the idea's own transaction.

Each server is its own `create_app` with its own engine, served over HTTP on its own port; the
agents sign in and post through the forms, like a browser. Only on the PostgreSQL run (the
test is absent on SQLite, where there is no such deployment)."""

import html
import re
import threading
import urllib.parse
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar

from werkzeug.serving import make_server

from ideas import create_app
from ideas.reference.models import Theme
from tests import factories
from tests.conftest import CSRF_PATTERN
from tests.search.conftest import ON_POSTGRES

HIDDEN_INPUT = re.compile(r'<input[^>]*type="hidden"[^>]*>')


@contextmanager
def serving(database_url: str):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, SEARCH_BACKEND="postgres")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            from ideas.extensions import db

            db.engine.dispose()


class Browser:
    """Cookies, the CSRF token and the form's hidden fields, over real HTTP."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str, headers: dict | None = None) -> str:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, fields: list[tuple[str, str]]) -> str:
        page = self.get(path if not path.startswith("/connexion") else "/connexion")
        hidden = []
        for tag in HIDDEN_INPUT.findall(page):
            name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
            if name and name.group(1) not in ("next", "csrf_token"):
                hidden.append((name.group(1), html.unescape(value.group(1) if value else "")))
        token = CSRF_PATTERN.search(page).group(1)
        data = urllib.parse.urlencode([("csrf_token", token), *hidden, *fields]).encode()
        with self.opener.open(self.base + path, data=data, timeout=30) as response:
            return response.geturl()

    def log_in(self, email: str) -> None:
        landed = self.post("/connexion", [("email", email), ("password", factories.PASSWORD)])
        assert "/connexion" not in landed, "login failed"

    def search(self, query: str) -> str:
        return self.get("/recherche?" + urllib.parse.urlencode({"q": query}))


if ON_POSTGRES:  # the test exists on the PostgreSQL run only

    def test_an_idea_posted_on_one_server_is_found_on_the_other(app, db):
        community = factories.CommunityFactory(name="Mobilités partagées")
        first_agent = factories.UserFactory(display_name="Agente du premier serveur")
        second_agent = factories.UserFactory(display_name="Agent du second serveur")
        theme = db.session.scalar(db.select(Theme.id).where(Theme.code == "experimentation"))
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        if not isinstance(url, str):
            url = url.render_as_string(hide_password=False)
        with serving(url) as first, serving(url) as second:
            assert first != second
            one, two = Browser(first), Browser(second)
            one.log_in(first_agent.email)
            two.log_in(second_agent.email)
            assert "0 idée trouvée" in html.unescape(two.search("trottinettes"))

            landed = one.post(f"/communautes/{community.slug}/idees/nouvelle", [
                ("title", "Des trottinettes partagées entre sites"),
                ("body", "Prêter des trottinettes électriques pour les trajets courts."),
                ("theme_ids", str(theme))])
            idea_id = int(re.search(r"/idees/(\d+)$", landed).group(1))

            found = html.unescape(two.search("trottinette"))  # at once: no wait, no refresh
            assert "1 idée trouvée" in found and f'href="/idees/{idea_id}"' in found
            assert "<mark>trottinettes</mark>" in found
            suggestions = two.get("/recherche/suggestions?q=trotti", {"HX-Request": "true"})
            assert f'data-href="/idees/{idea_id}"' in suggestions

            # And back: what the second server writes, the first one finds.
            two_posted = two.post(f"/communautes/{community.slug}/idees/nouvelle", [
                ("title", "Un atelier de réparation de trottinettes"),
                ("body", "Entretenir la flotte nous-mêmes."), ("theme_ids", str(theme))])
            assert re.search(r"/idees/\d+$", two_posted)
            assert "2 idées trouvées" in html.unescape(one.search("trottinettes"))
