"""Twenty threads, each with its own app context, session and connection (no test transaction
around them), support and unsupport the same idea at once: the counter must end equal to the
rows. Runs on whichever database the suite uses (SQLite file, or PostgreSQL)."""

import random
import threading

import pytest

from ideas.accounts.models import User
from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.votes import services
from ideas.votes.models import Vote
from tests.factories import IdeaFactory, UserFactory

THREADS = 20
ROUNDS = 8


def _rows(idea_id: int) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Vote)
                             .where(Vote.idea_id == idea_id))


def _run_threads(app, work) -> list[BaseException]:
    """Start every thread on the same barrier so their transactions really overlap."""
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def target(index: int) -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                work(index)
        except BaseException as error:  # reported by the test below, not swallowed
            errors.append(error)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return errors


def _act(user_id: int, idea_id: int, supported: bool) -> None:
    """One request: load, change, commit, as the view does."""
    user = db.session.get(User, user_id)
    idea = db.session.get(Idea, idea_id)
    try:
        services.set_vote(user, idea, supported)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


@pytest.fixture
def contested(db, open_community):
    idea = IdeaFactory(community=open_community)
    # Five agents shared by four threads each: the same user races with itself (two tabs),
    # different users race on the counter.
    users = [UserFactory() for _ in range(5)]
    ids = idea.id, [user.id for user in users]
    db.session.commit()
    db.session.close()  # hold no connection or snapshot while the threads work
    return ids


def test_supporting_and_unsupporting_concurrently_keeps_the_count_exact(app, contested):
    idea_id, user_ids = contested

    def work(index: int) -> None:
        chooser = random.Random(index)
        user_id = user_ids[index % len(user_ids)]
        for _ in range(ROUNDS):
            _act(user_id, idea_id, chooser.random() < 0.6)

    errors = _run_threads(app, work)
    assert errors == []
    idea = db.session.get(Idea, idea_id)
    db.session.refresh(idea)
    assert idea.vote_count == _rows(idea_id)
    assert 0 <= idea.vote_count <= len(user_ids)


def test_one_user_clicking_in_twenty_tabs_supports_once(app, contested):
    idea_id, user_ids = contested
    errors = _run_threads(app, lambda _index: _act(user_ids[0], idea_id, True))
    assert errors == []
    idea = db.session.get(Idea, idea_id)
    db.session.refresh(idea)
    assert _rows(idea_id) == 1
    assert idea.vote_count == 1
