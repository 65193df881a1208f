"""Rate limits (checklist items 25, 26, 49 and §3 item 12; ASVS 2.2.1, 11.1.4): each limited
action lets N requests through then answers 429 with Retry-After and a translated page or htmx
fragment; logins count per address and per normalised login; the lock ends with its window;
with Redis, four gunicorn workers share one count.

Limits are off in the Testing config (other tests post freely); `limits` turns them on with small
amounts and forgets every counter before and after."""

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ideas import ratelimits
from ideas.ideation.models import Idea
from ideas.reference.models import Theme
from tests import factories
from tests.conftest import CSRF_PATTERN, free_port
from tests.helpers import count, text

TWO = "2 per minute"
WRONG = "un mauvais mot de passe"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def limits(app, db):
    saved = app.config["RATE_LIMITS"]
    app.config["RATE_LIMITS_ENABLED"] = True
    ratelimits.reset(app)

    def set_limits(**amounts):
        app.config["RATE_LIMITS"] = {**saved, **amounts}

    yield set_limits
    ratelimits.reset(app)
    app.config.update(RATE_LIMITS_ENABLED=False, RATE_LIMITS=saved)


def _login(client, email, password=WRONG, ip="192.0.2.1", **kwargs):
    return client.post("/connexion", {"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip}, **kwargs)


def _assert_too_many(response, htmx=False):
    assert response.status_code == 429, response.status_code
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 61
    body = text(response)
    assert "Vous avez effectué trop de requêtes." in body
    assert re.search(r"Vous pourrez réessayer dans \d+ minutes?\.", body)
    if htmx:
        assert response.headers["HX-Retarget"] == "#htmx-alerts"
        assert "<html" not in body
    else:
        assert "<html" in body
        assert response.headers["X-Request-ID"] in body


# -- Logins

@pytest.mark.checklist(25, asvs="2.2.1")
def test_spellings_of_one_login_share_a_count_from_any_address(client, limits):
    limits(login_account="3 per minute")
    factories.UserFactory(email="alice@x.fr")
    statuses = [_login(client, login, ip=f"198.51.100.{n}").status_code
                for n, login in enumerate(["Alice", " alice ", "ALICE@x.fr", "alice@x.fr"])]
    assert statuses == [422, 422, 422, 429]
    # Another login from the same addresses is not concerned.
    assert _login(client, "bob@x.fr", ip="198.51.100.1").status_code == 422


@pytest.mark.checklist(25, asvs="2.2.1")
def test_one_address_trying_many_logins_is_stopped(client, limits):
    limits(login_ip=TWO)
    assert [_login(client, f"agent{n}@x.fr").status_code for n in range(3)] == [422, 422, 429]
    _assert_too_many(_login(client, "agent9@x.fr"))
    assert _login(client, "agent9@x.fr", ip="192.0.2.77").status_code == 422


@pytest.mark.checklist(25, asvs="2.2.1")
def test_the_refusal_is_a_page_a_fragment_and_english_too(client, limits):
    limits(login_ip="1 per minute")
    _login(client, "a@x.fr")
    _assert_too_many(_login(client, "a@x.fr"))
    _assert_too_many(_login(client, "a@x.fr", htmx=True), htmx=True)
    english = _login(client, "a@x.fr", headers={"Accept-Language": "en"})
    assert english.status_code == 429
    assert "too many requests" in text(english)
    assert re.search(r"You can try again in \d+ minutes?\.", text(english))


@pytest.mark.checklist(25, 58, asvs="7.2.2")
def test_a_refusal_is_logged_once_with_its_limit(client, limits, caplog):
    limits(login_ip="1 per minute")
    _login(client, "a@x.fr")
    caplog.clear()
    caplog.set_level("INFO")
    assert _login(client, "a@x.fr").status_code == 429
    lines = [r.getMessage() for r in caplog.records if "429" in r.getMessage()
             or "rate" in r.getMessage().lower()]
    assert len(lines) == 1, lines
    assert "event=rate_limited" in lines[0] and "limit=" in lines[0]
    assert "1 per 1 minute" in lines[0]


@pytest.mark.checklist(25, 26, asvs="2.2.1")
def test_successful_logins_do_not_count_and_the_victim_gets_back_in(client, make_client,
                                                                   limits):
    """Only failures count per login; the window moves on: a lock is never for ever."""
    victim = factories.UserFactory(email="victime@x.fr")
    limits(login_account="2 per 2 seconds")
    for _ in range(3):
        agent_browser = make_client()
        assert _login(agent_browser, victim.email, factories.PASSWORD).status_code == 302
    attacker = make_client()
    assert [_login(attacker, "Victime", ip="203.0.113.9").status_code
            for _ in range(3)] == [422, 422, 429]
    locked = _login(make_client(), victim.email, factories.PASSWORD)
    _assert_too_many(locked)
    time.sleep(int(locked.headers["Retry-After"]) + 0.2)
    assert _login(make_client(), victim.email, factories.PASSWORD).status_code == 302


@pytest.mark.checklist(26, asvs="2.2.1")
def test_unknown_email_and_wrong_password_answer_alike(client, limits):
    known = factories.UserFactory(email="connu@x.fr")
    limits(login_account="2 per minute")
    answers = {}
    for email in (known.email, "inconnu@x.fr"):
        first = _login(client, email)
        answers[email] = (first.status_code, _form_error(first))
        _login(client, email)
        answers[email] += (_login(client, email).status_code,)
    assert answers[known.email] == answers["inconnu@x.fr"] == (
        422, "Adresse électronique ou mot de passe incorrect.", 429)


@pytest.mark.checklist(26, asvs="2.2.1")
def test_unknown_email_and_wrong_password_take_similar_time(app, client):
    """With the production hash cost, an unknown address pays for a hash too: without the
    dummy hash it would answer in a fraction of the time, telling who has an account."""
    from ideas.accounts.services import hash_password

    app.config.update(ARGON2_TIME_COST=3, ARGON2_MEMORY_COST=65536)
    try:
        factories.UserFactory(email="connu@x.fr",
                              password_hash=hash_password("un mot de passe de production"))
        timings = {"connu@x.fr": [], "inconnu@x.fr": []}
        for _ in range(5):  # interleaved, so that load from elsewhere hits both alike
            for email, measured in timings.items():
                started = time.perf_counter()
                assert _login(client, email).status_code == 422
                measured.append(time.perf_counter() - started)
    finally:
        app.config.update(ARGON2_TIME_COST=1, ARGON2_MEMORY_COST=8192)
    known, unknown = (sorted(t)[2] for t in timings.values())  # medians
    assert 0.6 < unknown / known < 1.67, (known, unknown)


def _form_error(response) -> str:
    match = re.search(r'class="fr-alert fr-alert--error[^"]*"[^>]*>\s*<p>(.*?)</p>',
                      text(response), re.S)
    return match.group(1).strip() if match else ""


@pytest.mark.checklist(26, asvs="2.2.1")
def test_password_reset_answers_alike_and_is_limited_per_address_typed(client, limits, smtp):
    factories.UserFactory(email="connue@x.fr")
    limits(password_reset_account=TWO)
    answers = []
    for email in ("connue@x.fr", "inconnue@x.fr"):
        response = client.post("/mot-de-passe/oubli", {"email": email})
        answers.append((response.status_code, response.headers["Location"]))
    assert answers[0] == answers[1] == (302, "/connexion")
    assert len(smtp.messages) == 1
    assert client.post("/mot-de-passe/oubli", {"email": "Connue@x.fr"}).status_code == 302
    _assert_too_many(client.post("/mot-de-passe/oubli", {"email": " CONNUE@autre.fr "}))
    assert len(smtp.messages) == 2


@pytest.mark.checklist(26, asvs="2.2.1")
def test_the_reset_email_leaves_after_the_response(client, smtp):
    """The answer does not wait for the SMTP server, so it takes the same time whether the
    address has an account or not."""
    factories.UserFactory(email="connue@x.fr")
    token = client.csrf_token()
    with client.raw.application.app_context():
        response = client.raw.post("/mot-de-passe/oubli",
                                   data={"email": "connue@x.fr", "csrf_token": token})
    assert response.status_code == 302 and smtp.messages == []
    response.close()  # what the WSGI server does once the answer is sent
    assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == "connue@x.fr"


@pytest.mark.checklist(25, asvs="2.2.1")
def test_sign_up_is_limited_per_address(client, limits):
    limits(signup_ip=TWO)
    statuses = [client.post("/inscription", {"email": f"new{n}@reseau-canope.fr"}).status_code
                for n in range(3)]
    assert statuses == [422, 422, 429]


# -- Writes of a signed-in agent

@pytest.fixture
def member(db, open_community):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, community=open_community)
    return user


def _ideas(community, n):
    return [factories.IdeaFactory(community=community) for _ in range(n)]


@pytest.mark.checklist(25, asvs="11.1.4")
def test_posting_ideas_counts_what_was_published_not_previews(client, db, limits, member,
                                                              open_community):
    limits(idea_account=TWO)
    theme = db.session.scalars(db.select(Theme).where(Theme.is_active)).first()
    client.login(member)
    url = f"/communautes/{open_community.slug}/idees/nouvelle"

    def post(n, **extra):
        return client.post(url, {"title": f"Une idée numéro {n}", "body": "Du texte utile.",
                                 "theme_ids": [theme.id], **extra})

    assert post(0, preview="1").status_code == 200
    assert post(0, preview="1").status_code == 200
    assert [post(1).status_code, post(2).status_code] == [302, 302]
    _assert_too_many(post(3))
    assert count(Idea, author_id=member.id) == 2


@pytest.mark.checklist(25, asvs="11.1.4")
def test_comments_supports_and_reports_are_limited_per_agent(client, limits, member,
                                                             open_community):
    limits(comment_account=TWO, support_account=TWO, report_account=TWO)
    ideas = _ideas(open_community, 3)
    client.login(member)
    comments = [client.post(f"/idees/{idea.id}/commentaires", {"body": "Bonne idée"},
                            htmx=True).status_code for idea in ideas]
    assert comments == [200, 200, 429]
    supports = [client.post(f"/idees/{idea.id}/soutenir").status_code for idea in ideas]
    assert supports == [302, 302, 429]
    reports = [client.post(f"/idees/{idea.id}/signaler",
                           {f"i{idea.id}-reason": "spam"}).status_code for idea in ideas]
    assert reports == [302, 302, 429]


@pytest.mark.checklist(25, asvs="11.1.4")
def test_a_colleague_on_the_same_network_is_not_blocked_by_another(client, make_client,
                                                                  limits, member,
                                                                  open_community):
    limits(support_account="1 per minute")
    idea = _ideas(open_community, 1)[0]
    client.login(member)
    assert client.post(f"/idees/{idea.id}/soutenir").status_code == 302
    assert client.post(f"/idees/{idea.id}/retirer-soutien").status_code == 429
    colleague = factories.UserFactory()
    factories.MembershipFactory(user=colleague, community=open_community)
    assert make_client(colleague).post(f"/idees/{idea.id}/soutenir").status_code == 302


@pytest.mark.checklist(49, asvs="11.1.4")
def test_exports_are_limited_per_account_and_every_export_route_is(app, client, limits,
                                                                   manager):
    assert {"dashboard.ideas_export", "dashboard.review_export", "moderation_log.export"
            } <= set(ratelimits.export_endpoints(app))
    limits(export_account=TWO)
    client.login(manager)
    statuses = [client.get("/pilotage/idees.csv").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.checklist(25, asvs="2.2.1")
def test_every_limited_route_exists_and_reads_its_amount_from_config(app):
    for endpoint, rules in ratelimits.LIMITS.items():
        assert endpoint in app.view_functions
        for rule in rules:
            assert re.fullmatch(r"\d+ per (\d+ )?\w+", app.config["RATE_LIMITS"][rule.setting])


# -- Storage

@pytest.mark.checklist(25, "R12", asvs="2.2.1")
def test_redis_down_falls_back_to_memory_without_an_error(db):
    """A Redis that does not answer must not turn every login into a 500."""
    from ideas import create_app

    app = create_app("testing", RATE_LIMITS_ENABLED=True, WTF_CSRF_ENABLED=False,
                     RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{free_port()}/0")
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "login_ip": TWO}
    browser = app.test_client()
    statuses = [browser.post("/connexion", data={"email": "a@x.fr", "password": WRONG}
                             ).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_url():
    if not _redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required under CI ({REDIS_URL})")
        pytest.skip(f"no Redis at {REDIS_URL}")
    return REDIS_URL


class _Browser:
    """One agent's browser against the gunicorn server: cookies, CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(f"{base}/connexion", timeout=30).read().decode()
        self.token = CSRF_PATTERN.search(page).group(1)

    def login(self, email: str) -> int:
        data = urllib.parse.urlencode({"csrf_token": self.token, "email": email,
                                       "password": WRONG}).encode()
        try:
            return self.opener.open(f"{self.base}/connexion", data, timeout=30).status
        except urllib.error.HTTPError as error:
            return error.code


@pytest.fixture
def gunicorn(app, db, redis_url, tmp_path):
    """`gunicorn -w 4` on the test database, limits in Redis under a prefix of its own."""
    port, prefix = free_port(), f"fabrique-test-{uuid.uuid4().hex[:8]}"
    access_log = tmp_path / "access.log"
    env = {**os.environ, "FLASK_CONFIG": "development", "FLASK_DEBUG": "0",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": redis_url,
           "RATELIMIT_KEY_PREFIX": prefix, "RATE_LIMIT_LOGIN_IP": "6 per minute",
           "RATE_LIMIT_LOGIN_ACCOUNT": "1000 per minute",
           "SEARCH_INDEX_DIR": str(tmp_path / "index"), "ARGON2_TIME_COST": "1",
           "ARGON2_MEMORY_COST": "65536"}
    gunicorn_bin = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    # A config of our own: the project's gunicorn.conf.py (read by default) is production's.
    settings = tmp_path / "gunicorn.conf.py"
    settings.write_text(f"workers = 4\nbind = '127.0.0.1:{port}'\ntimeout = 120\n"
                        f"accesslog = {str(access_log)!r}\n"
                        "access_log_format = '%(p)s %(m)s %(s)s'\n")
    errors = tmp_path / "gunicorn.err"
    with errors.open("wb") as stderr:
        server = subprocess.Popen([gunicorn_bin, "-c", str(settings), "wsgi:app"], cwd=ROOT,
                                  env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/sante", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("gunicorn did not start: " + errors.read_text()[-2000:])
            time.sleep(0.3)
    yield base, access_log
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
    import redis

    store = redis.Redis.from_url(redis_url)
    for key in store.scan_iter(f"{prefix}*"):
        store.delete(key)


@pytest.mark.checklist(25, "R12", asvs="11.1.4")
def test_four_gunicorn_workers_share_one_count_in_redis(gunicorn):
    """24 login attempts from 24 browsers at once, on 4 workers: exactly 6 get through (per
    worker memory would let up to 24 through)."""
    base, access_log = gunicorn
    browsers = [_Browser(base) for _ in range(24)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda pair: pair[1].login(f"agent{pair[0]}@x.fr"),
                                 enumerate(browsers)))
    assert sorted(statuses) == [422] * 6 + [429] * 18
    time.sleep(0.5)  # the access log is written after the response
    workers = {line.split()[0] for line in access_log.read_text().splitlines()
               if " POST " in f" {line} "}
    assert len(workers) >= 2, "the requests all reached one worker: the test proves nothing"
