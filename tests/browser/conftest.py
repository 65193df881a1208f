"""Real-browser fixtures: the app served on 127.0.0.1 from its own SQLite file, and Debian's
Chromium driven by Playwright's sync API.

Browser tests always use their own SQLite file, even when TEST_DATABASE_URL points the server
tests at PostgreSQL: the server runs in another thread and must not share the session's database.
"""

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from ideas import create_app
from ideas.extensions import db
from ideas.reference.models import Theme
from ideas.reference.seed import seed_reference
from tests import factories

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google; the network is closed.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
SUBRESOURCES = {"stylesheet", "script", "image", "font", "media", "manifest"}
# htmx 2 logs every error status it receives; our 4xx fragments (422 form errors, 409
# conflicts) are swapped into the page on purpose, 5xx are still errors.
HTMX_CLIENT_ERROR = re.compile(r"Response Status Error Code 4\d\d from ")
VIEWPORT = {"width": 1280, "height": 900}


@pytest.hookimpl(tryfirst=True)  # before `-m browser` / `-m "not browser"` deselects
def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _missing(reason: str):
    """Under CI a missing browser is a failure, never a silent skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class World:
    """What the live app holds before any test runs."""

    agent_email: str
    agent_name: str
    open_slug: str
    open_name: str
    private_slug: str
    keyboard_slug: str  # an open community the agent joins with the keyboard


def _compile_translations(target: Path) -> None:
    """Compile translations/*.po into a temp dir so English works without `make translations`."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        out = target / po_path.relative_to(ROOT / "translations").with_suffix(".mo")
        out.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with out.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=True)


def _seed() -> World:
    seed_reference()
    db.session.commit()
    themes = db.session.scalars(db.select(Theme).order_by(Theme.id).limit(2)).all()
    agent = factories.UserFactory(email="agent.navigateur@reseau-canope.fr",
                                  display_name="Agent Navigateur")
    facilitator = factories.UserFactory(email="animatrice.navigateur@reseau-canope.fr",
                                        display_name="Animatrice Navigateur")
    open_community = factories.CommunityFactory(
        name="Sobriété numérique",
        description="Réduire l'empreinte de nos outils numériques, atelier par atelier.",
        themes=themes)
    private_community = factories.CommunityFactory(
        name="Réseau des directions", is_private=True,
        description="Un espace réservé aux équipes de direction.")
    keyboard_community = factories.CommunityFactory(
        name="Tiers-lieux apprenants",
        description="Partager nos pratiques d'animation des tiers-lieux.")
    for community in (open_community, private_community):
        factories.MembershipFactory(user=facilitator, community=community, role="facilitator")
    factories.MembershipFactory(user=agent, community=private_community)
    return World(agent_email=agent.email, agent_name=agent.display_name,
                 open_slug=open_community.slug, open_name=open_community.name,
                 private_slug=private_community.slug, keyboard_slug=keyboard_community.slug)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser")
    _compile_translations(base / "translations")
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{base / 'browser.sqlite3'}",
        SEARCH_INDEX_DIR=str(base / "search-index"),
        BABEL_TRANSLATION_DIRECTORIES=str(base / "translations"),
        WTF_CSRF_ENABLED=True,  # the real browser sends the token, as in production
    )
    with app.app_context():
        db.create_all()
        app.extensions["browser_world"] = _seed()
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def world(live_app) -> World:
    return live_app.extensions["browser_world"]


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed: pip install -e '.[dev]'")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


class ConsoleErrors(list):
    """JavaScript errors seen on a page: console.error messages, uncaught exceptions, and
    sub-resources (CSS, scripts, icons, fonts) of our server that failed to load.

    Chromium logs "Failed to load resource" for every 4xx/5xx response, pages and htmx
    requests included; a page answered 422 (form errors) or 404 is intended, so those
    messages are judged from the responses themselves instead.
    """

    def __init__(self, origin: str):
        super().__init__()
        self.origin = origin

    def watch(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.append(f"uncaught: {error}"))
        page.on("response", self._on_response)

    def _on_console(self, message) -> None:
        if message.type != "error" or message.text.startswith("Failed to load resource"):
            return
        if HTMX_CLIENT_ERROR.search(message.text):  # a 4xx fragment swapped by design
            return
        self.append(f"console.error: {message.text} ({message.location.get('url')})")

    def _on_response(self, response) -> None:
        request = response.request
        if (response.status >= 400 and request.resource_type in SUBRESOURCES
                and response.url.startswith(self.origin)):
            self.append(f"failed load: {response.status} {response.url}")


@pytest.fixture
def console_errors(live_server):
    return ConsoleErrors(live_server)


@pytest.fixture(scope="session")
def browser_context(browser, live_server):
    """One French browser profile for the session, so DSFR's CSS, fonts and scripts load once;
    each test still starts without cookies or storage (see `page`)."""
    from playwright.sync_api import expect

    # Generous waits: the CI machine has two cores and may be busy with other suites.
    expect.set_options(timeout=10_000)
    context = browser.new_context(base_url=live_server, viewport=VIEWPORT, locale="fr-FR")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context, console_errors):
    """A new tab, signed out, in French; fails the test on any JavaScript error."""
    browser_context.clear_cookies()
    page = browser_context.new_page()
    console_errors.watch(page)
    yield page
    if page.url.startswith(console_errors.origin):  # storage is per origin
        page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    page.close()
    browser_context.clear_cookies()
    if console_errors:
        pytest.fail("JavaScript errors on the page:\n" + "\n".join(console_errors),
                    pytrace=False)


def log_in(page, email: str, password: str = factories.PASSWORD) -> None:
    page.goto("/connexion")
    page.get_by_role("textbox", name="Adresse électronique").fill(email)
    page.get_by_role("textbox", name="Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/connexion" not in url)


@pytest.fixture
def no_script_agent_page(browser, live_server, world):
    """A page with JavaScript turned off, signed in as the seeded agent: what htmx enhances
    must still work as plain links and forms."""
    context = browser.new_context(base_url=live_server, viewport=VIEWPORT, locale="fr-FR",
                                  java_script_enabled=False)
    context.set_default_timeout(5000)
    page = context.new_page()
    log_in(page, world.agent_email)
    yield page
    context.close()


@pytest.fixture
def agent_page(page, world):
    """A page signed in as the seeded agent (member of the private community only)."""
    log_in(page, world.agent_email)
    return page


@pytest.fixture
def manager_page(page, live_app):
    """A page signed in as a manager of its own (dashboard, review, workflow decisions)."""
    with live_app.app_context():
        email = factories.UserFactory(role="manager", display_name="Direction Navigateur").email
        db.session.remove()
    log_in(page, email)
    return page
