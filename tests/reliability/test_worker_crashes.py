"""R1, R2 and item 38 against gunicorn as in production: a worker killed with SIGKILL while it
holds an open write transaction (posting an idea, a comment, a support), or killed after its
commit before the client heard back, or killed by gunicorn's timeout while blocked inside its
transaction → gunicorn starts another; nothing half-written, every counter equal to its rows,
the search index never ahead of the database; the client's retry of the same form gives one
row.

"In the middle" is made certain from outside, without any hook in the app: the probe sees a
write transaction open, the worker is stopped (SIGSTOP), the probe still sees it open (a stopped
process cannot commit), then the worker gets SIGKILL."""

import os
import random
import signal
import time
from pathlib import Path

import pytest

from tests.reliability.server import Agent, Gunicorn, InFlight, hold_lock, signed_in

ATTEMPTS = 25


@pytest.fixture(scope="module")
def server(site):
    with Gunicorn(site, workers=1) as server:
        yield server


def stop(pid: int) -> None:
    """SIGSTOP, and wait until the process is really stopped (delivery is asynchronous)."""
    os.kill(pid, signal.SIGSTOP)
    deadline = time.monotonic() + 5
    while Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in "tT":
        assert time.monotonic() < deadline, "the worker did not stop"
        time.sleep(0.0001)


def kill_mid_transaction(server, probe, send) -> bool:
    """Send the request, then sample the worker: stopped, is a write transaction open? Twice,
    a moment apart (a COMMIT already sent finishes meanwhile)? Then SIGKILL. False if the
    request ended before a sample fell inside its transaction (nothing killed then)."""
    worker = server.worker_pids()[0]
    request = InFlight(send)
    deadline = time.monotonic() + 30
    while not request.done() and time.monotonic() < deadline:
        stop(worker)
        if probe.writing() and (time.sleep(0.02) or probe.writing()):
            os.kill(worker, signal.SIGKILL)
            request.wait()  # the client sees the connection drop
            server.wait_for_new_worker(worker)
            return True
        os.kill(worker, signal.SIGCONT)
        time.sleep(random.uniform(0, 0.001))
    request.wait()
    return False


def assert_consistent(site, probe):
    assert probe.counter_mismatches() == []
    assert probe.orphan_rows() == []
    report = site.search_check()
    assert report.orphans == [], "the index is ahead of the database"
    if report.has_drift:  # behind is allowed (queued or missing): the repair catches up
        site.search_check(fix=True)
        assert not site.search_check().has_drift


def _post_comment(agent, idea_id, token, body):
    return lambda: agent.post(f"/idees/{idea_id}/commentaires",
                              {"body": body, "submission_token": token}, htmx=True)


def _post_idea(agent, site, theme, token, title):
    return lambda: agent.post(
        f"/communautes/{site.slug}/idees/nouvelle",
        {"title": title, "body": "Écrite pendant une panne.", "theme_ids": theme,
         "tags": "panne", "submission_token": token})


def _theme_id(probe) -> str:
    return str(probe.scalar("SELECT theme_id FROM idea_themes ORDER BY idea_id LIMIT 1"))


@pytest.mark.checklist("R1", 38)
def test_kill_9_while_posting_a_comment_then_the_retry_posts_it_once(server, site, probe):
    agent = signed_in(server, site, 1)
    idea_id = site.idea_ids[0]
    for attempt in range(ATTEMPTS):
        token = Agent.submission_token(agent.get(f"/idees/{idea_id}"))
        body = f"Commentaire interrompu {attempt}"
        if kill_mid_transaction(server, probe, _post_comment(agent, idea_id, token, body)):
            break
    else:
        pytest.fail("no kill landed inside the transaction")
    # All or nothing (a worker stopped after writing SQLite's commit frame has committed).
    assert probe.scalar("SELECT count(*) FROM comments WHERE submission_token = :t",
                        t=token) in (0, 1)
    assert_consistent(site, probe)

    retry = _post_comment(agent, idea_id, token, body)()
    assert retry.status == 200 and body in retry.text
    assert _post_comment(agent, idea_id, token, body)().status == 200  # and once more
    assert probe.scalar("SELECT count(*) FROM comments WHERE submission_token = :t",
                        t=token) == 1
    assert_consistent(site, probe)


@pytest.mark.checklist("R1", 38)
def test_kill_9_while_posting_an_idea_then_the_retry_posts_it_once(server, site, probe):
    agent = signed_in(server, site, 2)
    theme = _theme_id(probe)
    for attempt in range(ATTEMPTS):
        page = agent.get(f"/communautes/{site.slug}/idees/nouvelle")
        token, title = Agent.submission_token(page), f"Idée interrompue numéro {attempt}"
        if kill_mid_transaction(server, probe, _post_idea(agent, site, theme, token, title)):
            break
    else:
        pytest.fail("no kill landed inside the transaction")
    assert probe.scalar("SELECT count(*) FROM ideas WHERE submission_token = :t",
                        t=token) in (0, 1)
    assert_consistent(site, probe)

    for _ in range(2):
        assert _post_idea(agent, site, theme, token, title)().status == 302
    assert probe.scalar("SELECT count(*) FROM ideas WHERE submission_token = :t", t=token) == 1
    assert_consistent(site, probe)


@pytest.mark.checklist("R1")
def test_kill_9_while_supporting_then_the_retry_supports_once(server, site, probe):
    agent = signed_in(server, site, 3)
    for attempt in range(ATTEMPTS):
        idea_id = site.idea_ids[attempt % len(site.idea_ids)]
        if probe.scalar("SELECT count(*) FROM votes v JOIN users u ON u.id = v.user_id "
                        "WHERE v.idea_id = :i AND u.email = :e", i=idea_id, e=site.emails[3]):
            agent.post(f"/idees/{idea_id}/retirer-soutien", htmx=True)
        send = lambda i=idea_id: agent.post(f"/idees/{i}/soutenir", htmx=True)  # noqa: E731
        if kill_mid_transaction(server, probe, send):
            break
    else:
        pytest.fail("no kill landed inside the transaction")
    assert_consistent(site, probe)
    for _ in range(2):  # the retry, and a double click: one support
        assert agent.post(f"/idees/{idea_id}/soutenir", htmx=True).status == 200
    assert probe.scalar("SELECT count(*) FROM votes v JOIN users u ON u.id = v.user_id "
                        "WHERE v.idea_id = :i AND u.email = :e", i=idea_id,
                        e=site.emails[3]) == 1
    assert_consistent(site, probe)


@pytest.mark.checklist("R1", 38)
def test_kill_9_after_the_commit_then_the_retry_finds_the_comment(server, site, probe):
    """The worker dies once the comment is committed, before or while answering: the client
    saw nothing (or an error) and posts again; it gets its comment, not a second one."""
    agent = signed_in(server, site, 4)
    idea_id = site.idea_ids[1]
    token = Agent.submission_token(agent.get(f"/idees/{idea_id}"))
    worker = server.worker_pids()[0]
    request = InFlight(_post_comment(agent, idea_id, token, "Publié juste avant la panne"))
    deadline = time.monotonic() + 30
    while not probe.scalar("SELECT count(*) FROM comments WHERE submission_token = :t",
                           t=token):
        assert time.monotonic() < deadline, "the comment was never committed"
        time.sleep(0.0005)
    os.kill(worker, signal.SIGKILL)
    request.wait()
    server.wait_for_new_worker(worker)
    retry = _post_comment(agent, idea_id, token, "Publié juste avant la panne")()
    assert retry.status == 200 and "Publié juste avant la panne" in retry.text
    assert probe.scalar("SELECT count(*) FROM comments WHERE submission_token = :t",
                        t=token) == 1
    assert_consistent(site, probe)


@pytest.mark.checklist("R2")
def test_a_worker_killed_by_the_timeout_inside_its_transaction_leaves_nothing(site, probe):
    """A support blocked inside its transaction (a lock held by the test: PostgreSQL lets its
    INSERT through and holds the counter's UPDATE; SQLite holds the write itself) past
    gunicorn's --timeout: the arbiter kills the worker, the transaction is rolled back."""
    idea_id = site.idea_ids[2]
    with Gunicorn(site, workers=1, timeout=2) as server:
        agent = signed_in(server, site, 5)
        worker = server.worker_pids()[0]
        release = hold_lock(probe, idea_id)
        try:
            request = InFlight(lambda: agent.post(f"/idees/{idea_id}/soutenir", htmx=True))
            server.wait_for_new_worker(worker, seconds=30)  # killed by the arbiter
        finally:
            release()
        result = request.wait()
        assert not hasattr(result, "status") or result.status >= 500 or result.status == 200
        assert "WORKER TIMEOUT" in server.log(tail=None)
        assert probe.counter_mismatches() == []
        assert probe.scalar("SELECT count(*) FROM votes v JOIN users u ON u.id = v.user_id "
                            "WHERE v.idea_id = :i AND u.email = :e", i=idea_id,
                            e=site.emails[5]) == 0
        assert agent.post(f"/idees/{idea_id}/soutenir", htmx=True).status == 200
        assert probe.counter_mismatches() == []
        assert_consistent(site, probe)
