"""R13: SIGTERM to gunicorn while requests are in flight (each worker inside a support, held
by a lock from the test) → both finish with their answer, the server exits cleanly within
graceful_timeout, and what they wrote is exact."""

import signal
import time

import pytest

from tests.reliability.server import Gunicorn, InFlight, hold_lock, signed_in

GRACEFUL = 10


@pytest.mark.checklist("R13")
def test_sigterm_lets_the_requests_in_flight_finish(site, probe):
    idea_id = site.idea_ids[3]
    with Gunicorn(site, workers=2, graceful_timeout=GRACEFUL) as server:
        agents = [signed_in(server, site, n) for n in (6, 7)]
        release = hold_lock(probe, idea_id)
        try:
            requests = []
            for agent in agents:  # one per worker: a busy sync worker accepts nothing
                requests.append(InFlight(
                    lambda a=agent: a.post(f"/idees/{idea_id}/soutenir", htmx=True)))
                time.sleep(0.5)
            stopped_at = time.monotonic()
            server.process.send_signal(signal.SIGTERM)
            time.sleep(1)
            assert all(not request.done() for request in requests), "not in flight"
        finally:
            release()
        for request in requests:
            response = request.wait()
            assert getattr(response, "status", response) == 200
        assert server.process.wait(GRACEFUL + 5) == 0
        assert time.monotonic() - stopped_at < GRACEFUL + 1
    assert probe.scalar("SELECT vote_count FROM ideas WHERE id = :i", i=idea_id) == 2
    assert probe.counter_mismatches() == []
