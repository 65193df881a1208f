"""Sessions (SECURITY-CHECKLIST items 29 and 31; ASVS 3.2.1, 3.3.1, 3.3.2, 3.3.3, 3.4.1–3.4.3,
3.4.4): a new session at login, logout and a password change end every copy of the old session
and remember-me cookies, idle and absolute timeouts, production cookie flags and `__Host-`."""

import secrets
import time
from datetime import timedelta

import pytest
from flask_login.utils import encode_cookie

from ideas import create_app
from ideas.extensions import db
from tests.conftest import Client
from tests.factories import PASSWORD, UserFactory
from tests.helpers import location, redirects_to_login

SESSION, REMEMBER = "session", "remember_token"
NEW_PASSWORD = "une toute autre phrase de passe"


def _cookie(client: Client, name: str) -> str | None:
    cookie = client.raw.get_cookie(name)
    return cookie.value if cookie else None


def _browser_with(app, **cookies) -> Client:
    """Another browser holding copies of these cookies (and nothing else)."""
    other = Client(app.test_client())
    for name, value in cookies.items():
        if value is not None:
            other.raw.set_cookie(name, value)
    return other


def _signed_in(client: Client) -> bool:
    return client.get("/profil").status_code == 200


def _session(client: Client) -> dict:
    with client.raw.session_transaction() as session:
        return dict(session)


@pytest.mark.checklist(29, asvs="3.2.1")
def test_login_starts_a_new_session_and_drops_what_the_anonymous_one_held(client, agent):
    client.post("/langue", {"locale": "en", "next": "/connexion"})
    with client.raw.session_transaction() as session:
        session["planted"] = "by an attacker"  # a fixation attempt
    before = _cookie(client, SESSION)
    client.login(agent)
    after = _cookie(client, SESSION)
    assert after and after != before
    kept = _session(client)
    assert "planted" not in kept
    assert kept["locale"] == "en"  # the language chosen before logging in stays
    assert kept["_user_id"].startswith(agent.session_token + ".")
    # and the cookie held before login does not carry the login
    assert not _signed_in(_browser_with(client.raw.application, session=before))


@pytest.mark.checklist(29, asvs="3.3.1")
def test_logout_ends_every_copy_of_the_session_and_remember_me_cookies(app, client, agent):
    client.post("/connexion", {"email": agent.email, "password": PASSWORD, "remember": "y"})
    copied_session, copied_remember = _cookie(client, SESSION), _cookie(client, REMEMBER)
    assert copied_session and copied_remember
    assert _signed_in(_browser_with(app, session=copied_session))
    assert _signed_in(_browser_with(app, remember_token=copied_remember))

    response = client.logout()
    assert response.status_code == 302
    assert not _signed_in(client)
    assert _cookie(client, REMEMBER) is None  # deleted in this browser
    assert not _signed_in(_browser_with(app, session=copied_session))
    assert not _signed_in(_browser_with(app, remember_token=copied_remember))
    assert not _signed_in(_browser_with(app, session=copied_session,
                                        remember_token=copied_remember))


@pytest.mark.checklist(29, 32, asvs="3.3.3")
def test_password_change_ends_the_other_sessions_and_keeps_this_one(app, client, make_client,
                                                                    agent):
    elsewhere = make_client()
    elsewhere.post("/connexion", {"email": agent.email, "password": PASSWORD, "remember": "y"})
    copies = {"session": _cookie(elsewhere, SESSION),
              "remember_token": _cookie(elsewhere, REMEMBER)}
    client.post("/connexion", {"email": agent.email, "password": PASSWORD, "remember": "y"})
    response = client.post("/profil/mot-de-passe", {
        "current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client)  # this device: signed in again, remember-me renewed
    assert _signed_in(_browser_with(app, remember_token=_cookie(client, REMEMBER)))
    assert not _signed_in(elsewhere)
    for name, value in copies.items():
        assert not _signed_in(_browser_with(app, **{name: value})), name


@pytest.mark.checklist(29, asvs="3.3.1")
def test_a_password_reset_ends_every_session(app, client, make_client, agent):
    from ideas.accounts.services import make_reset_token

    other = make_client(agent)
    token = make_reset_token(agent)
    response = client.post(f"/mot-de-passe/reinitialiser/{token}",
                           {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert not _signed_in(other)


# -- Timeouts -------------------------------------------------------------------------------

@pytest.fixture
def timeouts(app):
    saved = {key: app.config[key] for key in ("SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS")}
    yield app.config
    app.config.update(saved)


def _age(client: Client, **seconds_ago) -> None:
    """Move the session's clocks back, as if time had passed (the login time in the
    remember-me cookie too, when there is one: both carry the same identity)."""
    now = int(time.time())
    with client.raw.session_transaction() as session:
        if "seen" in seconds_ago:
            session["_seen_at"] = now - seconds_ago["seen"]
        if "login" in seconds_ago:
            token = session["_user_id"].rpartition(".")[0]
            session["_user_id"] = identity = f"{token}.{now - seconds_ago['login']}"
    if "login" in seconds_ago and _cookie(client, REMEMBER):
        with client.raw.application.test_request_context():
            client.raw.set_cookie(REMEMBER, encode_cookie(identity))


@pytest.mark.checklist(31, asvs="3.3.2")
def test_an_idle_session_ends_with_a_message(client, agent, timeouts):
    timeouts["SESSION_IDLE_MINUTES"] = 30
    client.login(agent)
    _age(client, seen=29 * 60)
    assert _signed_in(client)  # activity just now: the clock starts again
    _age(client, seen=31 * 60)
    response = client.get("/profil")
    assert redirects_to_login(response)
    assert "_user_id" not in _session(client)
    page = client.get(location(response)).get_data(as_text=True)
    assert "pris fin après une période d&#39;inactivité" in page


@pytest.mark.checklist(31, asvs="3.3.2")
def test_polling_is_no_activity(client, agent, timeouts):
    """The bell polls every few seconds: an open, forgotten tab must still time out."""
    timeouts["SESSION_IDLE_MINUTES"] = 30
    client.login(agent)
    _age(client, seen=20 * 60)
    seen = _session(client)["_seen_at"]
    assert client.get("/notifications/compteur", headers={"HX-Request": "true"}).status_code == 200
    assert _session(client)["_seen_at"] == seen
    _age(client, seen=31 * 60)
    assert client.get("/notifications/compteur",
                      headers={"HX-Request": "true"}).status_code == 286  # polling stops


@pytest.mark.checklist(31, asvs="3.3.2")
def test_an_ended_session_reloads_an_htmx_page_instead_of_swapping_the_login_form(
        client, agent, open_community, timeouts):
    client.login(agent)
    _age(client, seen=timeouts["SESSION_IDLE_MINUTES"] * 60 + 5)
    response = client.get(f"/communautes/{open_community.slug}/idees",
                          headers={"HX-Request": "true"})
    assert response.status_code == 401 and response.headers["HX-Refresh"] == "true"


@pytest.mark.checklist(31, asvs="3.3.2")
def test_stay_signed_in_survives_idle_time_but_not_the_absolute_limit(app, client, agent,
                                                                     timeouts):
    client.post("/connexion", {"email": agent.email, "password": PASSWORD, "remember": "y"})
    _age(client, seen=3 * 3600)
    assert _signed_in(client)
    _age(client, login=timeouts["SESSION_MAX_HOURS"] * 3600 + 60)
    assert not _signed_in(client)


@pytest.mark.checklist(31, asvs="3.3.2")
def test_the_absolute_limit_holds_however_active_the_session(client, agent, timeouts):
    timeouts["SESSION_MAX_HOURS"] = 12
    client.login(agent)
    _age(client, login=11 * 3600)
    assert _signed_in(client)
    _age(client, login=12 * 3600 + 60)
    assert not _signed_in(client)


@pytest.mark.checklist(31, asvs="3.3.2")
def test_an_old_remember_me_cookie_is_refused_by_the_server(app, agent, timeouts):
    """The browser forgets the cookie at its expiry; a copy kept past it is refused here."""
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(hours=timeouts[
        "SESSION_MAX_HOURS"])
    with app.test_request_context():
        old = encode_cookie(f"{agent.session_token}.{int(time.time()) - 13 * 3600}")
        fresh = encode_cookie(f"{agent.session_token}.{int(time.time()) - 60}")
        forged = encode_cookie(agent.session_token)  # the format before login times
    assert not _signed_in(_browser_with(app, remember_token=old))
    assert not _signed_in(_browser_with(app, remember_token=forged))
    assert _signed_in(_browser_with(app, remember_token=fresh))


@pytest.mark.checklist(29, asvs="3.3.1")
def test_a_tampered_session_is_nobody(app, agent, client):
    client.login(agent)
    tampered = _cookie(client, SESSION)[:-2] + "xx"  # the signature no longer matches
    assert not _signed_in(_browser_with(app, session=tampered))
    _age(client, login=-3600)  # a login time an hour ahead: not one we wrote
    assert not _signed_in(client)


# -- Production cookies ---------------------------------------------------------------------

@pytest.mark.checklist(31, 13, asvs="3.4.1")
def test_production_cookies_are_host_prefixed_secure_httponly_and_lax(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_DIR", str(tmp_path))
    app = create_app("production", SECRET_KEY=secrets.token_hex(32),
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/prod.sqlite3",
                     SEARCH_INDEX_DIR=str(tmp_path / "index"), RATE_LIMITS_ENABLED=False)
    with app.app_context():
        db.create_all()
        from ideas.reference.seed import seed_reference

        seed_reference()
        email = "prod@reseau-canope.fr"
        from ideas.accounts.services import create_user

        create_user(email, "Agent Prod", PASSWORD)
        db.session.commit()
        client = Client(app.test_client())
        https = {"base_url": "https://fabrique.example"}
        token = client.raw.get("/connexion", **https).get_data(as_text=True)
        csrf = token.split('"X-CSRFToken": "')[1].split('"')[0]
        response = client.raw.post("/connexion", data={
            "email": email, "password": PASSWORD, "remember": "y", "csrf_token": csrf},
            headers={"Referer": "https://fabrique.example/connexion"}, **https)
        assert response.status_code == 302
        cookies = {header.split("=", 1)[0]: header
                   for header in response.headers.getlist("Set-Cookie")}
        assert set(cookies) == {"__Host-session", "__Host-remember"}
        for header in cookies.values():
            for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
                assert flag in header, header
            assert "Domain=" not in header  # __Host- forbids it; browsers would drop the cookie
        assert app.config["SESSION_IDLE_MINUTES"] == 30 and app.config["SESSION_MAX_HOURS"] == 12
        db.session.remove()
        db.engine.dispose()


@pytest.mark.checklist(31, asvs="3.3.2")
def test_unusable_user_rows_give_no_session(app, client):
    deactivated = UserFactory(is_active=False)
    with app.test_request_context():
        cookie = encode_cookie(f"{deactivated.session_token}.{int(time.time())}")
    assert not _signed_in(_browser_with(app, remember_token=cookie))
