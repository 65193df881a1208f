"""Configuration, errors and the security log (SECURITY-CHECKLIST items 54, 55, 57, 58; ASVS
14.3.2, 2.10.4, 7.4.1, 7.4.3, 7.1.1–7.3.1): production refuses unsafe settings and has no
debug console, no secret is committed, every error is a translated page or fragment with a
reference and no traceback, and security events are logged safely."""

import logging
import re
import secrets
import subprocess
from pathlib import Path

import pytest
from flask import abort
from flask_babel import force_locale

import config
from ideas import create_app
from ideas.errors import MESSAGES, TITLES
from ideas.security_log import _escape, login_fingerprint, security_event
from tests.conftest import Client
from tests.factories import PASSWORD, IdeaFactory, MembershipFactory
from tests.helpers import text

ROOT = Path(__file__).resolve().parents[2]
HTMX = {"HX-Request": "true"}
GOOD_KEY = secrets.token_hex(32)


# -- 54: production configuration -----------------------------------------------------------

@pytest.mark.checklist(54, asvs="14.3.2")
@pytest.mark.parametrize("settings, complaint", [
    ({"SECRET_KEY": None}, "SECRET_KEY"),
    ({"SECRET_KEY": config.DEFAULT_SECRET_KEY}, "SECRET_KEY"),
    ({"SECRET_KEY": "c" * 31}, "SECRET_KEY"),
    ({"DEBUG": True}, "DEBUG"),
    ({"TESTING": True}, "TESTING"),
    ({"SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE"),
    ({"REMEMBER_COOKIE_SECURE": False}, "REMEMBER_COOKIE_SECURE"),
    ({"SESSION_COOKIE_HTTPONLY": False}, "SESSION_COOKIE_HTTPONLY"),
])
def test_production_refuses_unsafe_settings(tmp_path, settings, complaint):
    with pytest.raises(config.UnsafeConfiguration, match=complaint):
        create_app("production", **{"SECRET_KEY": GOOD_KEY, **settings,
                                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"})


@pytest.fixture
def production_app(tmp_path):
    app = create_app("production", SECRET_KEY=GOOD_KEY,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/p.db")
    yield app


@pytest.mark.checklist(54, asvs="14.3.2")
@pytest.mark.parametrize("path", ["/console", "/console?__debugger__=yes&cmd=resource&f=style.css",
                                  "/?__debugger__=yes&cmd=printpid"])
def test_no_debug_console_in_production(production_app, path):
    assert not production_app.debug
    with production_app.app_context():
        response = production_app.test_client().get(path, base_url="https://fabrique.example")
    assert response.status_code in (404, 302)  # / asks to log in; /console does not exist
    body = response.get_data(as_text=True)
    for console in ("Werkzeug Debugger", "EVALEX", "console.png", "debugger.js"):
        assert console not in body


# -- 55: no secret in the repository --------------------------------------------------------

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY"),
    "AWS key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[baprs]-[A-Za-z0-9-]{10,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "password in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:[^/\s@'\"{}]+@"),
    "hard-coded secret": re.compile(
        r"""(?i)\b(secret_key|mail_password|api_key|access_token|auth_token)\s*[:=]\s*"""
        r"""["'][^"'\s]{12,}["']"""),
}
# Known values that look like secrets and are not: each says why.
ALLOWED = {
    "dev-only-insecure-secret-key": "config.DEFAULT_SECRET_KEY, refused in production",
    "testing-secret-key": "TestingConfig",
    "user:password@": "documentation placeholder",
}
SKIPPED_SUFFIXES = {".png", ".ico", ".svg", ".woff", ".woff2", ".gz", ".zip", ".xlsx", ".mo",
                    ".jpg", ".pdf", ".ttf"}
FORBIDDEN_FILES = re.compile(r"(^|/)(\.env(\..*)?|.*\.pem|.*\.key|id_rsa.*|.*\.p12|"
                             r"instance/.*|.*\.sqlite3?)$")


def _tracked_files() -> list[str]:
    result = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True)
    return [name for name in result.stdout.decode().split("\0") if name]


@pytest.mark.checklist(55, asvs="2.10.4")
def test_no_secret_in_tracked_files():
    found = []
    files = _tracked_files()
    assert len(files) > 100
    for name in files:
        if FORBIDDEN_FILES.search(name) and not name.endswith(".example"):
            found.append(f"{name}: a file that holds secrets or data must not be committed")
        path = ROOT / name
        if path.suffix in SKIPPED_SUFFIXES or not path.is_file() or "vendor/" in name:
            continue
        content = path.read_text(encoding="utf-8", errors="ignore")
        for what, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(content):
                if not any(allowed in match.group(0) for allowed in ALLOWED):
                    line = content.count("\n", 0, match.start()) + 1
                    found.append(f"{name}:{line}: {what}: {match.group(0)[:40]}…")
    assert not found, "\n".join(found)


@pytest.mark.checklist(55, asvs="2.10.4")
def test_secrets_come_from_the_environment():
    source = (ROOT / "config.py").read_text(encoding="utf-8")
    for name in ("SECRET_KEY", "DATABASE_URL", "MAIL_PASSWORD", "REDIS_URL"):
        assert re.search(rf'os\.environ\.get\(\s*"{name}"', source), name


# -- 57: errors ------------------------------------------------------------------------------

@pytest.fixture
def failing_app(db):
    """The app as production runs it (no exception propagated), plus routes that fail with
    each status the checklist names, as a view or an extension would."""
    app = create_app("testing", TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/essai/<int:code>")
    def fail(code: int):
        if code == 500:
            raise RuntimeError("detail: SELECT * FROM users WHERE id=1 in /srv/app/ideas/x.py")
        abort(code)

    return app


def _responses(app, code: int, language: str, htmx: bool):
    client = Client(app.test_client())
    headers = {"Accept-Language": language, **(HTMX if htmx else {})}
    if code == 400:  # a form posted without its CSRF token
        return client.post("/connexion", {"email": "a@b.fr"}, csrf=False, headers=headers)
    if code == 405:
        return client.get("/deconnexion", headers=headers)
    if code == 413:  # bigger than MAX_CONTENT_LENGTH
        return client.post("/connexion", {"body": "x" * (3 * 1024 * 1024)}, csrf=False,
                           headers=headers)
    if code == 404:
        return client.get("/page/qui/n-existe/pas", headers=headers)
    return client.get(f"/essai/{code}", headers=headers)  # 403, 429, 500


@pytest.mark.checklist(57, asvs="7.4.1")
@pytest.mark.parametrize("code", [400, 403, 404, 405, 413, 429, 500])
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_errors_are_translated_with_a_reference_and_no_traceback(failing_app, code, language,
                                                                 htmx, caplog):
    response = _responses(failing_app, code, language, htmx)
    assert response.status_code == code
    body = text(response)
    reference = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{12}", reference) and reference in body
    with failing_app.test_request_context(), force_locale(language):
        title = str(TITLES[code])
        message = str(MESSAGES[code]) if code not in (400,) else None
    assert title in body, (code, language, body[:300])
    if message and code != 400:
        assert message.split(".")[0] in body
    if htmx:
        assert "<html" not in body and response.headers["HX-Retarget"] == "#htmx-alerts"
    else:
        assert f'<html lang="{language}"' in body
    for leak in ("Traceback", "RuntimeError", "SELECT", "/srv/", "File \"", "werkzeug",
                 "sqlalchemy"):
        assert leak not in body, leak
    if code == 500:  # the details go to the log, under the same reference
        assert any(reference in record.getMessage() and record.exc_info
                   for record in caplog.records)


# -- 58: the security log --------------------------------------------------------------------

LINE = re.compile(r'^security( [a-z_]+=("(?:[^"\\]|\\.)*"|[^\s"]+))+$')


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="ideas.security")

    def events(name: str | None = None) -> list[dict]:
        found = []
        for record in caplog.records:
            if record.name != "ideas.security":
                continue
            message = record.getMessage()
            assert "\n" not in message and "\r" not in message, message
            assert LINE.match(message), message
            fields = dict(re.findall(r'([a-z_]+)=("(?:[^"\\]|\\.)*"|[^\s"]+)', message))
            fields["_raw"] = message
            if name is None or fields["event"] == name:
                found.append(fields)
        return found

    return events


def _one(events: list[dict]) -> dict:
    assert len(events) == 1, events
    event = events[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", event["at"])  # UTC
    assert event["ip"] == "127.0.0.1"
    return event


@pytest.mark.checklist(58, asvs="7.1.3")
def test_logins_failures_and_logouts_are_logged_without_secrets(client, agent, security_log):
    client.post("/connexion", {"email": agent.email, "password": "pas le bon mot de passe"})
    failure = _one(security_log("login.failure"))
    assert failure["user"] == str(agent.id)
    assert failure["login"] == login_fingerprint(agent.email)
    assert agent.email not in failure["_raw"] and "pas le bon" not in failure["_raw"]
    client.login(agent)
    assert _one(security_log("login.success"))["user"] == str(agent.id)
    session_cookie = client.raw.get_cookie("session").value
    client.logout()
    assert _one(security_log("logout"))["user"] == str(agent.id)
    everything = " ".join(event["_raw"] for event in security_log())
    for secret in (PASSWORD, "pas le bon mot de passe", session_cookie, agent.session_token):
        assert secret not in everything


@pytest.mark.checklist(58, asvs="7.1.4")
def test_a_forged_line_cannot_break_the_log(app, client, security_log):
    typed = "x@y.fr\r\nsecurity event=login.success user=1 ip=10.0.0.1\u2028at=now"
    client.post("/connexion", {"email": typed, "password": "peu importe"})
    client.post("/mot-de-passe/oubli", {"email": typed})
    with app.test_request_context("/connexion", method="POST"):
        security_event("login.failure", login=typed)
    events = security_log()
    assert all("10.0.0.1" not in event["_raw"].split('"')[0] for event in events)
    forged = security_log("login.failure")[-1]
    assert forged["login"].startswith('"x@y.fr\\u000d\\u000asecurity event=')
    assert [event["event"] for event in events].count("login.success") == 0


@pytest.mark.checklist(58, asvs="7.1.4")
@pytest.mark.parametrize("value, logged", [
    ("simple", "simple"),
    ("deux mots", '"deux mots"'),
    ("a=b", '"a=b"'),
    ('guillemet " et \\', '"guillemet \\" et \\\\"'),
    ("ligne\r\nforgée", '"ligne\\u000d\\u000aforgée"'),
    ("séparateur\u2028ici", '"séparateur\\u2028ici"'),
    ("\u202eevil", '"\\u202eevil"'),
    ("", '""'),
    (None, "-"),
])
def test_values_are_escaped(value, logged):
    assert _escape(value) == logged


@pytest.mark.checklist(58, asvs="7.2.2")
def test_denials_csrf_failures_and_429s_are_logged(make_client, agent, private_community,
                                                    failing_app, security_log):
    client = make_client(agent)
    assert client.get("/communautes/nouvelle").status_code == 403
    denied = _one(security_log("access.denied"))
    assert denied["status"] == "403" and denied["user"] == str(agent.id)
    assert denied["route"] == "/communautes/nouvelle"
    secret_idea = IdeaFactory(community=private_community)
    assert client.get(f"/idees/{secret_idea.id}").status_code == 404
    hidden = security_log("access.denied")[-1]
    assert hidden["status"] == "404" and hidden["check"] == "can_view_idea"

    assert client.post("/deconnexion", csrf=False).status_code == 400
    csrf = _one(security_log("csrf.failure"))
    assert csrf["user"] == str(agent.id) and "token" in csrf["reason"].lower()

    assert Client(failing_app.test_client()).get("/essai/429").status_code == 429
    _one(security_log("rate_limited"))


@pytest.mark.checklist(58, asvs="7.1.3")
def test_status_changes_and_exports_are_logged(make_client, manager, agent, open_community,
                                               security_log):
    from ideas.ideation.models import IdeaStatus

    MembershipFactory(user=agent, community=open_community)
    idea = IdeaFactory(community=open_community, author=agent)
    client = make_client(manager)
    response = client.post(f"/idees/{idea.id}/statut", {
        "status": IdeaStatus.IN_REVIEW.value, "expected": IdeaStatus.SUBMITTED.value,
        "answer": ""})
    assert response.status_code == 303
    moved = _one(security_log("idea.status"))
    assert (moved["idea"], moved["user"]) == (str(idea.id), str(manager.id))
    assert (moved["from_status"], moved["to_status"]) == ("submitted", "in_review")

    export = client.get("/pilotage/revue.csv")
    export.close()
    logged = _one(security_log("export"))
    assert logged["user"] == str(manager.id) and logged["endpoint"] == "dashboard.review_export"
    assert re.fullmatch(r"revue-des-idees-[\d-]+\.csv", logged["file"])


@pytest.mark.checklist(58, asvs="7.1.1")
def test_a_password_reset_link_never_reaches_the_log(client, agent, security_log):
    from ideas.accounts.services import make_reset_token

    token = make_reset_token(agent)
    client.post(f"/mot-de-passe/reinitialiser/{token}",
                {"password": "une toute autre phrase", "confirm": "une toute autre phrase"})
    event = _one(security_log("password.reset"))
    assert event["route"] == "/mot-de-passe/reinitialiser/<token>"
    assert token not in " ".join(e["_raw"] for e in security_log())
