"""`flask seed-scale` at a small volume: the data it writes is data the app could have written
(counters equal to their rows, threads one level deep, a workflow history that leads to each
status, private communities' activity by their members only, the dashboard's daily activity
aggregates computed) and the search index agrees."""

import os
import statistics
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from ideas.comments.models import Comment
from ideas.communities.models import Community
from ideas.dashboard import activity, daily
from ideas.dashboard.indicators import Period
from ideas.dashboard.models import ActivityDirty
from ideas.extensions import db as _db
from ideas.ideation.models import Idea
from ideas.integrity import counter_mismatches
from ideas.offer.models import Service
from ideas.scale.seed import EMAIL_DOMAIN, SCALE_PASSWORD
from ideas.search.registry import get_backend, reset_backend
from ideas.votes.models import Vote

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
BACKENDS = ["whoosh", "postgres"] if ON_POSTGRES else ["whoosh"]
SIZES = {"ideas": 400, "supports": 4000, "comments": 1200, "services": 30, "agents": 60,
         "communities": 8}


@pytest.fixture(params=BACKENDS)
def search_backend(request, app, db, tmp_path):
    saved = {key: app.config[key] for key in ("SEARCH_BACKEND", "SEARCH_INDEX_DIR",
                                               "SEARCH_REBUILD_PROCS")}
    # One process: starting the parallel writers costs more than 400 ideas.
    app.config.update(SEARCH_BACKEND=request.param, SEARCH_INDEX_DIR=str(tmp_path / "index"),
                      SEARCH_REBUILD_PROCS=1)
    reset_backend(app)
    yield get_backend(app)
    app.config.update(saved)
    reset_backend(app)


@pytest.fixture
def seeded(app, db, search_backend):
    args = ["seed-scale", *[f"--{name}={value}" for name, value in SIZES.items()]]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output


def rows(sql: str) -> list:
    return _db.session.execute(text(sql)).all()


def count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def check_volumes_and_exact_counters(seeded):
    assert (count(Idea), count(Vote), count(Comment), count(Service), count(Community)) == (
        SIZES["ideas"], SIZES["supports"], SIZES["comments"], SIZES["services"],
        SIZES["communities"])
    with _db.engine.connect() as connection:
        assert counter_mismatches(connection) == []
    assert "400 ideas" in seeded and f"agent@{EMAIL_DOMAIN}" in seeded


def check_dashboard_activity_is_up_to_date(seeded):
    """The seed ends with the daily aggregates computed: nothing left for a dashboard to do."""
    assert count(ActivityDirty) == 0
    whole = Period(date(2000, 1, 1), date.today() + timedelta(days=1))
    assert activity.vitality(whole) == activity.live_vitality(whole)
    assert daily.refresh() == 0


def check_realistic_shapes(seeded):
    supports = sorted(_db.session.scalars(select(Idea.vote_count)))
    assert statistics.median(supports) <= 10 < supports[-1] / 4  # a long tail
    statuses = dict(rows("SELECT status, count(*) FROM ideas GROUP BY status"))
    assert {"submitted", "in_review", "declined", "adopted", "merged", "withdrawn"} <= set(
        statuses)
    years = rows("SELECT DISTINCT created_at FROM ideas")
    assert len({str(y[0])[:4] for y in years}) >= 8  # spread over the ten years
    titles = _db.session.scalars(select(Idea.title)).all()
    assert len(set(titles)) > 0.95 * len(titles)
    words = {word for title in titles for word in title.lower().split()}
    assert len(words) > 300  # varied vocabulary, not three words repeated


def check_threads_are_one_level_deep_and_in_order(seeded):
    assert rows("SELECT count(*) FROM comments WHERE parent_id IS NOT NULL")[0][0] > 100
    assert rows("""SELECT r.id FROM comments r JOIN comments p ON p.id = r.parent_id
                   WHERE p.idea_id != r.idea_id OR p.parent_id IS NOT NULL
                   OR p.created_at > r.created_at OR p.id > r.id""") == []
    assert rows("""SELECT c.id FROM comments c JOIN ideas i ON i.id = c.idea_id
                   WHERE c.created_at < i.created_at""") == []


def check_workflow_history_leads_to_each_status(seeded):
    # The last change names the idea's status and date; each change starts where the last one
    # ended; an adopted idea is linked to a service, a merged one to an earlier idea.
    assert rows("""SELECT i.id FROM ideas i WHERE i.status != 'submitted' AND NOT EXISTS (
                     SELECT 1 FROM status_changes s WHERE s.idea_id = i.id
                     AND s.to_status = i.status AND s.created_at = i.status_changed_at)""") == []
    assert rows("""SELECT s.id FROM status_changes s WHERE s.from_status != COALESCE((
                     SELECT p.to_status FROM status_changes p WHERE p.idea_id = s.idea_id
                     AND p.created_at < s.created_at ORDER BY p.created_at DESC LIMIT 1),
                     'submitted')""") == []
    assert rows("""SELECT i.id FROM ideas i WHERE i.status = 'adopted' AND NOT EXISTS (
                     SELECT 1 FROM service_ideas l WHERE l.idea_id = i.id)""") == []
    assert rows("""SELECT i.id FROM ideas i JOIN ideas t ON t.id = i.merged_into_id
                   WHERE i.status != 'merged' OR t.community_id != i.community_id
                   OR t.id > i.id OR i.vote_count != 0""") == []
    assert rows("""SELECT s.id FROM status_changes s WHERE s.to_status IN ('selected',
                   'declined') AND s.answer = ''""") == []


def check_private_communities_only_hear_their_members(seeded):
    not_member = """JOIN communities c ON c.id = i.community_id WHERE c.is_private
                    AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = {who}
                    AND m.community_id = c.id AND m.status = 'active')"""
    for sql in ("SELECT i.id FROM ideas i " + not_member.format(who="i.author_id"),
                "SELECT x.id FROM votes x JOIN ideas i ON i.id = x.idea_id "
                + not_member.format(who="x.user_id"),
                "SELECT x.id FROM comments x JOIN ideas i ON i.id = x.idea_id "
                + not_member.format(who="x.author_id")):
        assert rows(sql) == []


def test_data_the_app_could_have_written(seeded):
    check_volumes_and_exact_counters(seeded)
    check_realistic_shapes(seeded)
    check_dashboard_activity_is_up_to_date(seeded)
    check_threads_are_one_level_deep_and_in_order(seeded)
    check_workflow_history_leads_to_each_status(seeded)
    check_private_communities_only_hear_their_members(seeded)


def test_search_index_agrees_with_the_database(seeded, search_backend):
    with _db.engine.begin() as connection:
        report = search_backend.check(connection)
    assert not report.has_drift, report.summary()
    open_ids = _db.session.scalars(select(Community.id).where(
        Community.is_private.is_(False))).all()
    title = _db.session.scalar(select(Idea.title).where(
        Idea.community_id.in_(open_ids), Idea.hidden_at.is_(None),
        Idea.status != "withdrawn").order_by(Idea.id))
    found = search_backend.search(f'"{title}"', allowed_community_ids=open_ids)
    assert found.total >= 1


def test_generated_accounts_sign_in_and_a_second_run_is_refused(seeded, client, app):
    response = client.post("/connexion", {"email": f"agent@{EMAIL_DOMAIN}",
                                          "password": SCALE_PASSWORD})
    assert response.status_code == 302, response.text
    assert client.get("/idees").status_code == 200
    result = app.test_cli_runner().invoke(args=["seed-scale", "--ideas=10"])
    assert result.exit_code == 1
    assert "without ideas" in result.output
    assert count(Idea) == SIZES["ideas"]
