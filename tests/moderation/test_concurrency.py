"""Moderators racing on the same queue item, and agents racing to report: real threads, each
with its own app context, session and connection, on the suite's database (SQLite file or
PostgreSQL). Exactly one decision wins and is logged; the others get a conflict."""

import threading

from ideas.accounts.models import User
from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.moderation import services
from ideas.moderation.models import ModerationAction, Report
from tests.factories import MembershipFactory, UserFactory

THREADS = 8


def _race(app, work) -> tuple[int, list[BaseException]]:
    barrier = threading.Barrier(THREADS)
    lock = threading.Lock()
    outcome = {"won": 0, "errors": []}

    def target(index: int) -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                try:
                    work(index)
                    db.session.commit()
                except services.ModerationConflict:
                    db.session.rollback()
                    return
                except BaseException:
                    db.session.rollback()
                    raise
                finally:
                    db.session.remove()
                with lock:
                    outcome["won"] += 1
        except BaseException as error:
            outcome["errors"].append(error)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return outcome["won"], outcome["errors"]


def test_moderators_hiding_the_same_reported_idea_at_once(app, idea, open_community, reporter):
    moderators = [UserFactory() for _ in range(THREADS)]
    for user in moderators:
        MembershipFactory(user=user, community=open_community, role="facilitator")
    services.report_item(reporter, idea, "spam")
    db.session.commit()
    ids = [user.id for user in moderators]
    idea_id = idea.id
    db.session.close()

    def work(index: int) -> None:
        user, item = db.session.get(User, ids[index]), db.session.get(Idea, idea_id)
        if index % 2:
            services.hide_item(user, item, f"Motif {index}", from_queue=True)
        else:
            services.dismiss_reports(user, item)

    won, errors = _race(app, work)
    assert not errors, errors
    assert won == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(ModerationAction)) == 1
    assert services.open_report_count(db.session.get(Idea, idea_id)) == 0


def test_one_agent_reporting_from_many_tabs_reports_once(app, idea):
    user_id, idea_id = UserFactory().id, idea.id
    db.session.close()

    def work(_index: int) -> None:
        services.report_item(db.session.get(User, user_id), db.session.get(Idea, idea_id),
                             "spam")

    won, errors = _race(app, work)
    assert not errors, errors
    assert won == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Report)) == 1
