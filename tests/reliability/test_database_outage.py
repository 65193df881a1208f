"""R3: the database goes away (PostgreSQL restarted, network cut) → pages and htmx fragments
get a translated 503 with Retry-After, nothing is half-written, and the same app serves normally
once it is back (`pool_pre_ping` drops the dead connections). SQLite's equivalent, a write
lock held past the busy timeout, is a 503 too, never a 500.

The outage is a TCP proxy cut between the app and PostgreSQL (tests/reliability/proxy.py): the
real server, other people's databases and connections untouched."""

import os
import sqlite3
import time

import pytest
from sqlalchemy import make_url

from ideas import create_app
from ideas.extensions import db
from ideas.integrity import counter_mismatches
from ideas.votes.models import Vote
from tests import factories
from tests.conftest import Client
from tests.helpers import count, text
from tests.reliability.proxy import TcpProxy

DATABASE_URL = os.environ["TEST_DATABASE_URL"]
ON_POSTGRES = DATABASE_URL.startswith("postgresql")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def proxy():
    url = make_url(DATABASE_URL)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    yield proxy
    proxy.close()


@pytest.fixture
def proxied_app(proxy, app):
    """The app as production runs it, but reaching PostgreSQL through the proxy."""
    url = make_url(DATABASE_URL).set(host="127.0.0.1", port=proxy.port)
    proxied = create_app("testing", SQLALCHEMY_DATABASE_URI=url.render_as_string(
        hide_password=False), SEARCH_INDEX_DIR=app.config["SEARCH_INDEX_DIR"])
    yield proxied
    with proxied.app_context():
        db.engine.dispose()


def assert_unavailable(response, language="fr"):
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    title = ("Service momentanément indisponible" if language == "fr"
             else "Service temporarily unavailable")
    assert title in text(response)
    assert "Traceback" not in text(response)


@pytest.mark.checklist("R3")
@pytest.mark.skipif(not ON_POSTGRES, reason="the PostgreSQL run covers it (TEST_DATABASE_URL)")
def test_postgresql_outage_gives_a_clean_503_then_recovers(proxy, proxied_app, db, agent,
                                                           open_community):
    idea = factories.IdeaFactory(community=open_community)
    factories.MembershipFactory(user=agent, community=open_community)
    db.session.commit()
    client = Client(proxied_app.test_client())
    client.login(agent)
    assert client.get(f"/idees/{idea.id}").status_code == 200
    token = client.csrf_token()

    proxy.cut()
    assert_unavailable(client.get(f"/idees/{idea.id}"))
    english = client.get(f"/idees/{idea.id}", headers={"Accept-Language": "en"})
    assert_unavailable(english, "en")
    fragment = client.post(f"/idees/{idea.id}/soutenir", {"csrf_token": token}, htmx=True)
    assert_unavailable(fragment)
    assert fragment.headers["HX-Retarget"] == "#htmx-alerts"
    assert "<html" not in fragment.text
    assert count(Vote, idea_id=idea.id) == 0

    proxy.restore()
    # The pool's connections died with the cut: pre-ping replaces them, no request fails.
    for _ in range(3):
        assert client.get(f"/idees/{idea.id}").status_code == 200
    assert client.post(f"/idees/{idea.id}/soutenir", {"csrf_token": token},
                       htmx=True).status_code == 200
    assert count(Vote, idea_id=idea.id) == 1
    with db.engine.connect() as connection:
        assert counter_mismatches(connection) == []


@pytest.mark.checklist("R3")
@pytest.mark.skipif(not ON_POSTGRES, reason="the PostgreSQL run covers it (TEST_DATABASE_URL)")
def test_a_cut_in_the_middle_of_a_transaction_leaves_nothing(proxy, proxied_app, db, agent,
                                                             open_community, monkeypatch):
    """The connection dies between the support's INSERT and its counter's UPDATE: PostgreSQL
    rolls the transaction back, the user gets a 503, and the retry counts once."""
    idea = factories.IdeaFactory(community=open_community)
    factories.MembershipFactory(user=agent, community=open_community)
    db.session.commit()
    client = Client(proxied_app.test_client())
    client.login(agent)
    token = client.csrf_token()

    from ideas.votes import services

    original = services._add_to_count

    def cut_then_count(*args, **kwargs):
        proxy.cut()
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_add_to_count", cut_then_count)  # the real one still runs
    assert_unavailable(client.post(f"/idees/{idea.id}/soutenir", {"csrf_token": token}))
    monkeypatch.undo()
    proxy.restore()
    assert count(Vote, idea_id=idea.id) == 0
    assert client.post(f"/idees/{idea.id}/soutenir", {"csrf_token": token}).status_code == 302
    assert count(Vote, idea_id=idea.id) == 1
    with db.engine.connect() as connection:
        assert counter_mismatches(connection) == []


@pytest.mark.checklist("R3", "R4")
@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's own lock; the PostgreSQL run has the proxy")
def test_sqlite_locked_past_the_busy_timeout_is_a_503_not_a_500(client, db, agent,
                                                                open_community):
    idea = factories.IdeaFactory(community=open_community)
    factories.MembershipFactory(user=agent, community=open_community)
    db.session.commit()
    client.login(agent)
    token = client.csrf_token()
    holder = sqlite3.connect(make_url(DATABASE_URL).database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # a writer that never finishes
    try:
        started = time.monotonic()
        response = client.post(f"/idees/{idea.id}/soutenir", {"csrf_token": token}, htmx=True)
        assert time.monotonic() - started >= 4  # it waited for the lock (busy_timeout, 5 s)
        assert_unavailable(response)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert client.post(f"/idees/{idea.id}/soutenir", {"csrf_token": token},
                       htmx=True).status_code == 200
    assert count(Vote, idea_id=idea.id) == 1


@pytest.mark.checklist("R3")
@pytest.mark.skipif(not ON_POSTGRES, reason="the PostgreSQL run covers it (TEST_DATABASE_URL)")
def test_gunicorn_workers_ride_out_a_postgresql_outage_under_load(site, proxy):
    """Agents keep reading and supporting on 2 workers while PostgreSQL goes away for two
    seconds: during the cut only 200s and 503s, never a 500 nor a dropped connection; after
    it, every request succeeds again (no worker left with a dead connection)."""
    import dataclasses
    import threading

    from tests.reliability.server import Gunicorn, Probe, signed_in

    through_proxy = make_url(site.url).set(host="127.0.0.1", port=proxy.port)
    proxied = dataclasses.replace(site, url=through_proxy.render_as_string(hide_password=False))
    statuses, errors, stop = [], [], threading.Event()
    with Gunicorn(proxied, workers=2) as server:
        agents = [signed_in(server, proxied, n) for n in range(4)]

        def work(agent, idea_id):
            while not stop.is_set():
                try:
                    statuses.append(agent.get(f"/idees/{idea_id}").status)
                    statuses.append(agent.post(f"/idees/{idea_id}/soutenir", htmx=True).status)
                    statuses.append(agent.post(f"/idees/{idea_id}/retirer-soutien",
                                               htmx=True).status)
                except OSError as error:
                    errors.append(error)

        threads = [threading.Thread(target=work, args=(agent, site.idea_ids[n % 2]))
                   for n, agent in enumerate(agents)]
        for thread in threads:
            thread.start()
        time.sleep(1)
        proxy.cut()
        time.sleep(2)
        proxy.restore()
        time.sleep(2)
        stop.set()
        for thread in threads:
            thread.join(60)
        after = [agents[0].get(f"/idees/{site.idea_ids[0]}").status for _ in range(20)]
        log = server.log(tail=None)
    assert errors == []
    assert set(statuses) <= {200, 503}
    assert 503 in statuses  # the cut was felt, and answered cleanly
    assert after == [200] * 20
    assert "unhandled error" not in log
    probe = Probe(site.url)
    try:
        assert probe.counter_mismatches() == []
    finally:
        probe.close()
