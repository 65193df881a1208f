"""Support counts are not indexed in the request: the toggle marks the idea in `search_queue`
(same transaction) and the process's background writer folds it into the Whoosh index a moment
later; texts (ideas, comments) are still indexed before the page answers. With PostgreSQL a
support rewrites no search document at all. Real index, real thread, real views."""

import shutil
import time

import click
import pytest

from ideas.extensions import db as _db
from ideas.search import writer
from ideas.search.engine import SearchUnavailable
from ideas.search.hooks import DEFERRED_REASON
from ideas.search.models import SearchQueueEntry
from ideas.search.whoosh_index import WhooshIndex
from tests import factories
from tests.search.conftest import ON_POSTGRES, post, use_backend
from tests.search.helpers import assert_in_step, drift, write_deferred


def generation(backend) -> int:
    """The index's commit counter: it moves with every Whoosh write."""
    return backend.index.open().latest_generation()


def queued() -> list[tuple[int, str]]:
    return [tuple(row) for row in _db.session.execute(
        _db.select(SearchQueueEntry.idea_id, SearchQueueEntry.reason))]


def most_supported(backend, community) -> list[int]:
    results = backend.search("vélo", allowed_community_ids=[community.id], sort="votes")
    return [hit.idea_id for hit in results.hits]


@pytest.fixture
def background(app, search_settings):
    """The background writer on, as in production (the suite runs without it)."""
    search_settings["SEARCH_BACKGROUND_WRITER"] = True
    search_settings["SEARCH_WRITER_DELAY"] = 0.05
    yield
    app.config["SEARCH_BACKGROUND_WRITER"] = False
    time.sleep(0.5)  # a write the last wake started ends before the tables are emptied


def wait_until(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the background writer did not catch up"
        time.sleep(0.05)


def test_the_toggle_writes_no_index_and_marks_the_idea(whoosh, make_client, agent,
                                                        open_community):
    first = post(agent, open_community, "Ateliers vélo du jeudi", "Réparer son vélo.")
    second = post(agent, open_community, "Vélo-école pour les agents", "Apprendre le vélo.")
    before = generation(whoosh)
    voter = make_client(factories.UserFactory())

    response = voter.post(f"/idees/{first.id}/soutenir", htmx=True)
    assert response.status_code == 200 and 'aria-pressed="true"' in response.text
    assert generation(whoosh) == before  # nothing written to the index in the request
    assert queued() == [(first.id, DEFERRED_REASON)]  # committed with the support itself
    report = drift(whoosh)
    assert report.stale == [first.id] and report.orphans == []  # behind, never ahead

    assert write_deferred() == 1  # what the background writer runs
    assert queued() == []
    assert_in_step(whoosh)
    assert most_supported(whoosh, open_community) == [first.id, second.id]

    assert voter.post(f"/idees/{first.id}/retirer-soutien", htmx=True).status_code == 200
    assert queued() == [(first.id, DEFERRED_REASON)]
    write_deferred()
    assert_in_step(whoosh)


def test_a_text_change_is_indexed_at_once_with_the_count_it_carries(whoosh, make_client,
                                                                     agent, open_community):
    idea = post(agent, open_community, "Vélos de service", "Des vélos pour les trajets.")
    voter = factories.UserFactory()
    client = make_client(voter)
    assert client.post(f"/idees/{idea.id}/soutenir", htmx=True).status_code == 200
    assert client.post(f"/idees/{idea.id}/commentaires", {"body": "Avec des sacoches étanches."},
                       htmx=True).status_code == 200
    # The comment's write re-read the whole document, count included; the queue followed it.
    hits = whoosh.search("sacoches", allowed_community_ids=[open_community.id]).hits
    assert [hit.idea_id for hit in hits] == [idea.id]
    assert queued() == []
    assert_in_step(whoosh)


def test_the_background_writer_folds_supports_in(whoosh, background, make_client, agent,
                                                 open_community):
    ideas = [post(agent, open_community, f"Vélo partagé n°{n}", "Un vélo de plus.")
             for n in range(3)]
    for n, voter in enumerate(factories.UserFactory.create_batch(3)):
        client = make_client(voter)
        for idea in ideas[:n + 1]:  # the last idea gets 3 supports, the first 1
            assert client.post(f"/idees/{idea.id}/soutenir", htmx=True).status_code == 200

    wait_until(lambda: not drift(whoosh).has_drift)
    assert queued() == []
    assert most_supported(whoosh, open_community) == [i.id for i in ideas]
    assert writer.wake()  # the thread is there, and keeps answering


def test_cli_commands_start_no_background_writer(app, background):
    """A command's process may exit before the thread writes (and `seed-scale` has no index
    yet): the caller drains the queue itself, as in the suite."""
    assert writer.wake(app)  # a server process gets its writer …
    with click.Context(click.Command("seed-scale")):
        assert not writer.wake(app)  # … a CLI command does not


def test_request_writes_leave_segments_the_background_writer_merges(whoosh, background, agent,
                                                                    open_community):
    ideas = [post(agent, open_community, f"Atelier vélo n°{n}", "Réparer ensemble.")
             for n in range(writer.MAX_SEGMENTS + 4)]
    # Every idea was searchable once its request ended, each in its own small segment …
    found = whoosh.search("atelier", allowed_community_ids=[open_community.id], per_page=50)
    assert found.total == len(ideas)
    # … and the background writer, woken after each, merges them a moment later.
    wait_until(lambda: len(whoosh.index.open()._segments()) <= writer.MAX_SEGMENTS)
    assert_in_step(whoosh)


def test_a_failed_background_write_keeps_the_marks(whoosh, make_client, agent, open_community):
    idea = post(agent, open_community, "Vélos cargo", "Pour les livraisons internes.")
    assert make_client(factories.UserFactory()).post(
        f"/idees/{idea.id}/soutenir", htmx=True).status_code == 200
    shutil.rmtree(whoosh.index.directory)
    whoosh.index.forget_searcher()
    with pytest.raises(SearchUnavailable):  # the thread logs it and waits for the next wake
        write_deferred()
    assert queued() == [(idea.id, DEFERRED_REASON)]  # kept for the next run or check --fix


if ON_POSTGRES:  # the PostgreSQL backend exists on the PostgreSQL run only

    def test_a_support_rewrites_no_postgres_document(app, db, search_settings, tmp_path,
                                                     make_client, agent, open_community):
        backend = use_backend(app, "postgres", str(tmp_path / "unused"))
        idea = post(agent, open_community, "Vélos en libre-service", "Trois stations.")
        row = _db.text("SELECT updated_at, fingerprint FROM search_documents WHERE idea_id = :i")
        before = _db.session.execute(row, {"i": idea.id}).one()
        client = make_client(factories.UserFactory())
        assert client.post(f"/idees/{idea.id}/soutenir", htmx=True).status_code == 200
        _db.session.rollback()  # a fresh snapshot
        assert _db.session.execute(row, {"i": idea.id}).one() == before
        assert queued() == []
        assert_in_step(backend)
        results = backend.search("vélos", allowed_community_ids=[open_community.id],
                                 sort="votes")
        assert [hit.idea_id for hit in results.hits] == [idea.id]


def test_merging_small_segments_leaves_the_largest_alone(tmp_path):
    """On a small site the whole index is a "small" segment: merges rewrite the requests'
    segments only, not the index (0.7 s of CPU at 300 ideas, under the lock writes wait for)."""
    index = WhooshIndex(tmp_path / "index")
    index.create()
    with index.writer() as w:
        for n in range(5):
            w.add_document(id=str(n), title=f"Idée {n}")
    for n in range(5, 9):  # each request's write leaves its own segment
        with index.writer(merge=False) as w:
            w.add_document(id=str(n), title=f"Idée {n}")
    largest = index.open()._segments()[0].segment_id()
    assert [s.doc_count_all() for s in index.open()._segments()] == [5, 1, 1, 1, 1]

    assert index.merge_small_segments(most=2)
    segments = index.open()._segments()
    assert sorted(s.doc_count_all() for s in segments) == [4, 5]
    assert largest in {s.segment_id() for s in segments}  # not rewritten
    assert not index.merge_small_segments(most=2)  # nothing left to merge
