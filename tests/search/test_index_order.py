"""Two workers index the same idea one after the other: the index ends with the newest row.

Worker 1 commits a comment and starts indexing; it is held right after reading the idea's rows.
Worker 2 commits another comment and indexes. Reading before taking the index lock, worker 1
then wrote its older document over worker 2's newer one (seen with support counts, when they
were indexed in the request: the count went back until `search check --fix`); read under the
lock, worker 2 waits for worker 1 and writes last."""

import threading

from ideas.accounts.models import User
from ideas.comments.services import post_comment
from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.search import whoosh_backend
from tests.factories import IdeaFactory, UserFactory
from tests.search.helpers import drift


def test_the_last_writer_writes_the_newest_document(app, whoosh, open_community, monkeypatch):
    idea = IdeaFactory(community=open_community)
    first, second = UserFactory(), UserFactory()
    ids = idea.id, first.id, second.id
    db.session.commit()
    db.session.close()
    idea_id, first_id, second_id = ids

    first_read, second_done = threading.Event(), threading.Event()
    real_load = whoosh_backend.load_documents

    def load_documents(connection, *args, **kwargs):
        documents = list(real_load(connection, *args, **kwargs))
        if threading.current_thread().name == "worker-1":
            first_read.set()
            second_done.wait(timeout=2)  # long enough for worker 2 to overtake, if it can
        return documents

    monkeypatch.setattr(whoosh_backend, "load_documents", load_documents)
    errors = []

    def comment(user_id: int, done: threading.Event | None = None):
        try:
            with app.app_context():
                post_comment(db.session.get(User, user_id), db.session.get(Idea, idea_id),
                             f"Avis de l'agent {user_id} sur cette idée.")
                db.session.commit()  # indexed once the transaction has ended
                db.session.remove()
        except BaseException as error:
            errors.append(error)
        finally:
            if done is not None:
                done.set()

    worker_1 = threading.Thread(target=comment, args=(first_id,), name="worker-1")
    worker_1.start()
    assert first_read.wait(timeout=30)
    worker_2 = threading.Thread(target=comment, args=(second_id, second_done), name="worker-2")
    worker_2.start()
    worker_1.join(60)
    worker_2.join(60)
    assert errors == []
    assert db.session.scalar(db.select(Idea.comment_count).where(Idea.id == idea_id)) == 2
    report = drift(whoosh)
    assert report.stale == [] and not report.has_drift, report.summary()
