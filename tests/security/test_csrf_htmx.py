"""CSRF and htmx (checklist items 10–13; ASVS 4.2.2, 13.2.3, 3.4.3), on top of
tests/test_csrf.py (no token, another session's token, forged token on every POST route):
a token from a session that has ended, the header-only token htmx sends, no state change by
GET, a foreign origin over HTTPS, and the cookie's SameSite. Routes come from `app.url_map`
(through the permission matrix), so routes added later are covered."""

import pytest

from ideas.errors import CSRF_MESSAGE
from ideas.extensions import csrf
from tests.conftest import Client
from tests.helpers import text
from tests.test_csrf import FORM_FIELDS, _post_urls, _snapshot
from tests.test_permissions_matrix import IGNORED_ENDPOINTS, ROWS, _as, build_world

# Posted by mail clients with no session (RFC 8058); its signed token is the credential.
EXEMPT = {"notifications.unsubscribe"}
CSRF_TEXT = "Votre session a expiré ou le formulaire n'est plus valide."


@pytest.fixture
def admin_browser(app, db):
    world = build_world(db)
    client = Client(app.test_client())
    _as(client, world["users"]["admin"])
    return client, world


def _is_csrf_refusal(response) -> bool:
    return response.status_code == 400 and CSRF_TEXT in text(response)


@pytest.mark.checklist(10, asvs="4.2.2")
def test_a_token_from_an_ended_session_is_refused_everywhere(app, db, admin_browser):
    """The token of a session that logged out (or expired) is worthless in the next one."""
    client, world = admin_browser
    old_token = client.csrf_token()
    admin = world["users"]["admin"]
    with client.raw.session_transaction() as session:
        session.clear()  # what logout and the session timeouts do
    _as(client, admin)
    assert client.csrf_token() != old_token
    before = _snapshot(db)
    wrong = []
    for endpoint, url in _post_urls(app, world).items():
        if endpoint in EXEMPT:
            continue
        for htmx in (False, True):
            response = client.post(url, dict(FORM_FIELDS, csrf_token=old_token), csrf=False,
                                   htmx=htmx, headers={"X-CSRFToken": old_token})
            if not _is_csrf_refusal(response):
                wrong.append(f"{endpoint} (htmx={htmx}): {response.status_code}")
    assert not wrong, "a stale token was accepted:\n" + "\n".join(wrong)
    assert _snapshot(db) == before


@pytest.mark.checklist(11, asvs="13.2.3")
def test_the_header_token_alone_passes_on_every_post_route(app, admin_browser):
    """htmx sends the token in X-CSRFToken (base.html's hx-headers), never as a field: every
    POST route must accept it. Logout goes last (it ends the session the token belongs to)."""
    client, world = admin_browser
    token = client.csrf_token()
    urls = _post_urls(app, world)
    refused = []
    for endpoint in sorted(urls, key=lambda e: e == "accounts.logout"):
        response = client.post(urls[endpoint], {}, csrf=False, htmx=True,
                               headers={"X-CSRFToken": token})
        if _is_csrf_refusal(response):
            refused.append(endpoint)
    assert not refused, f"header token refused by: {refused}"


@pytest.mark.checklist(11, asvs="13.2.3")
def test_the_only_csrf_exempt_view_is_authenticated_by_its_own_token(app):
    """RFC 8058 one-click unsubscribe is posted by mail clients, with no session: its signed
    token is the credential. Nothing else may be exempt."""
    assert {name.replace("ideas.", "", 1).replace(".views.", ".")
            for name in csrf._exempt_views} == EXEMPT
    assert not csrf._exempt_blueprints


def _post_only_rules(app):
    """POST routes whose URL serves no GET (a GET there must be a 405); a URL that also serves a
    page, like an idea's comments, is read-only on GET: the query-string test covers it."""
    rules = list(app.url_map.iter_rules())
    readable = {rule.rule for rule in rules if "GET" in rule.methods}
    return [rule for rule in rules if rule.endpoint not in IGNORED_ENDPOINTS
            and "GET" not in rule.methods and rule.rule not in readable]


@pytest.mark.checklist(12, asvs="4.2.2")
def test_get_on_every_state_changing_route_is_405(app, db, admin_browser):
    client, world = admin_browser
    urls = {row.endpoint: row.url.format(**world) for row in ROWS if row.method == "POST"}
    rules = _post_only_rules(app)
    assert len(rules) >= 30
    before = _snapshot(db)
    wrong = []
    for rule in rules:
        url = urls[rule.endpoint]
        response = client.get(f"{url}{'&' if '?' in url else '?'}confirm=1&vote=1")
        if response.status_code != 405 or "POST" not in response.headers.get("Allow", ""):
            wrong.append(f"{rule.endpoint} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert _snapshot(db) == before


@pytest.mark.checklist(12, asvs="4.2.2")
def test_query_strings_on_pages_change_nothing(app, db, admin_browser):
    """`?vote=1`, `?delete=1`… on every page an admin can open: nothing is written."""
    client, world = admin_browser
    before = _snapshot(db)
    for row in (r for r in ROWS if r.method == "GET"):
        url = row.url.format(**world)
        client.get(f"{url}{'&' if '?' in url else '?'}vote=1&delete=1&status=adopted&hide=1")
    assert _without_bookkeeping(_snapshot(db)) == _without_bookkeeping(before)


BOOKKEEPING = {"notifications", "activity_days", "activity_agents", "activity_dirty"}


def _without_bookkeeping(snapshot: dict) -> dict:
    """Reading pages may note what was read (notifications) and bring the dashboard's derived
    daily aggregates up to date (recomputed from the data), and nothing else."""
    return {table: rows for table, rows in snapshot.items() if table not in BOOKKEEPING}


@pytest.mark.checklist(13, asvs="4.2.2")
def test_a_foreign_origin_is_refused_over_https_even_with_a_token(app, db, admin_browser):
    """Over HTTPS, Flask-WTF also checks that the Referer is this site (WTF_CSRF_SSL_STRICT)."""
    client, world = admin_browser
    token = client.csrf_token()
    url = f"/communautes/{world['open']}/rejoindre"
    foreign = client.post(url, {"csrf_token": token}, csrf=False, base_url="https://localhost",
                          headers={"Referer": "https://evil.example/page"})
    assert _is_csrf_refusal(foreign)
    missing = client.post(url, {"csrf_token": token}, csrf=False, base_url="https://localhost")
    assert _is_csrf_refusal(missing)
    same_site = client.post(url, {"csrf_token": token}, csrf=False,
                            base_url="https://localhost",
                            headers={"Referer": "https://localhost/communautes/"})
    assert same_site.status_code == 302


@pytest.mark.checklist(13, 31, asvs="3.4.3")
def test_the_session_cookie_is_samesite_lax_and_httponly(client, agent):
    response = client.login(agent)
    cookies = [value for name, value in response.headers.items() if name == "Set-Cookie"]
    session_cookie = next(c for c in cookies if "session=" in c.split(";")[0])
    attributes = {part.strip().lower() for part in session_cookie.split(";")[1:]}
    assert "samesite=lax" in attributes
    assert "httponly" in attributes


@pytest.mark.checklist(10, asvs="4.2.2")
def test_csrf_message_is_the_one_shown(app):
    """Guard for CSRF_TEXT above: the tests look for this message's French text."""
    with app.test_request_context():
        assert str(CSRF_MESSAGE).startswith(CSRF_TEXT)
