"""The daily activity aggregates (ideas/dashboard/daily.py) agree with the live computation from
the events after every kind of write: posting, supporting, commenting, withdrawing, deleting,
hiding and showing again, merging, erasing an account; and at the Paris day's edges."""

from datetime import date, datetime, timedelta

from ideas.accounts.models import User
from ideas.comments import services as comments
from ideas.comments.models import Comment
from ideas.dashboard import activity, daily
from ideas.dashboard.indicators import Period
from ideas.dashboard.models import ActivityAgent, ActivityDay, ActivityDirty
from ideas.dashboard.periods import today_in_paris
from ideas.extensions import db as _db
from ideas.ideation.models import IdeaStatus
from ideas.moderation import services as moderation
from ideas.privacy.erasure import erase_account
from ideas.votes import services as votes
from ideas.votes.models import Vote
from ideas.workflow import services as workflow
from tests.factories import CommunityFactory, IdeaFactory, MembershipFactory, UserFactory


def _figures(period: Period) -> dict:
    """{community: (ideas, comments, supports, active agents)} from the aggregates, after
    checking they give exactly what the events give (same rows, same order)."""
    stored, live = activity.vitality(period), activity.live_vitality(period)
    assert stored == live
    kept = _rows()  # kept up to date day by day, they are what a full rebuild gives
    daily.rebuild()
    assert _rows() == kept
    return {row.community_name: (row.ideas, row.comments, row.supports, row.active_agents)
            for row in stored}


def _rows() -> tuple[list, list]:
    return (_db.session.execute(_db.select(ActivityDay.__table__).order_by(
                ActivityDay.day, ActivityDay.community_id)).all(),
            _db.session.execute(_db.select(ActivityAgent.__table__).order_by(
                ActivityAgent.day, ActivityAgent.community_id, ActivityAgent.user_id)).all())


def _this_year() -> Period:
    return Period.year(today_in_paris().year)


def _setup():
    """Two communities, a facilitator of both, an author and three members."""
    a, b = CommunityFactory(name="A"), CommunityFactory(name="B")
    facilitator, author, u1, u2, u3 = (UserFactory() for _ in range(5))
    for community in (a, b):
        MembershipFactory(user=facilitator, community=community, role="facilitator")
        for user in (author, u1, u2, u3):
            MembershipFactory(user=user, community=community)
    return a, b, facilitator, author, u1, u2, u3


def test_supports_comments_withdrawals_and_deletions_show_at_once(db):
    a, _b, _facilitator, author, u1, u2, _u3 = _setup()
    idea = IdeaFactory(community=a, author=author, created_at=datetime.utcnow())
    db.session.commit()
    year = _this_year()
    assert _figures(year) == {"A": (1, 0, 0, 1), "B": (0, 0, 0, 0)}

    votes.cast_vote(u1, idea)
    votes.cast_vote(u2, idea)
    comment = comments.post_comment(u1, idea, "Bonne idée")
    db.session.commit()
    assert _figures(year) == {"A": (1, 1, 2, 3), "B": (0, 0, 0, 0)}

    votes.withdraw_vote(u2, idea)
    comments.delete_comment(u1, comment)
    db.session.commit()
    assert _figures(year) == {"A": (1, 0, 1, 2), "B": (0, 0, 0, 0)}
    assert _figures(Period(today_in_paris(), today_in_paris()))["A"] == (1, 0, 1, 2)


def test_hiding_an_idea_takes_its_comments_and_supports_along(db):
    a, _b, facilitator, author, u1, u2, _u3 = _setup()
    # Activity spread over several days, before today: the hide must mark those days too.
    posted = datetime.utcnow() - timedelta(days=3)
    idea = IdeaFactory(community=a, author=author, created_at=posted)
    db.session.add_all([
        Vote(idea_id=idea.id, user_id=u1.id, created_at=posted + timedelta(days=1)),
        Comment(idea_id=idea.id, author_id=u2.id, body="…", created_at=posted + timedelta(days=2)),
    ])
    db.session.commit()
    period = Period(today_in_paris() - timedelta(days=10), today_in_paris())
    assert _figures(period)["A"] == (1, 1, 1, 3)

    moderation.hide_item(facilitator, idea, "Hors charte")
    db.session.commit()
    assert _figures(period)["A"] == (0, 0, 0, 0)

    moderation.restore_item(facilitator, idea)
    db.session.commit()
    assert _figures(period)["A"] == (1, 1, 1, 3)

    comment = db.session.scalar(db.select(Comment).where(Comment.idea_id == idea.id))
    moderation.hide_item(facilitator, comment, "Hors sujet")
    db.session.commit()
    assert _figures(period)["A"] == (1, 0, 1, 2)


def test_merging_moves_supports_to_the_target_community(db):
    a, b, facilitator, author, u1, u2, u3 = _setup()
    now = datetime.utcnow()
    source = IdeaFactory(community=a, author=author, created_at=now)
    target = IdeaFactory(community=b, author=u3, created_at=now)
    db.session.commit()
    votes.cast_vote(u1, source)
    votes.cast_vote(u2, source)
    votes.cast_vote(u2, target)  # supports both: counts once after the merge
    db.session.commit()
    year = _this_year()
    assert _figures(year) == {"A": (1, 0, 2, 3), "B": (1, 0, 1, 2)}

    workflow.move_idea(facilitator, source, IdeaStatus.MERGED, merge_into=target,
                       answer="Même proposition.")
    db.session.commit()
    assert _figures(year) == {"A": (1, 0, 0, 1), "B": (1, 0, 2, 3)}


def test_a_deleted_account_counts_its_contributions_not_as_an_agent(db):
    """Erasure keeps the (anonymised) account; a row deleted outright sets the author to NULL
    and removes its supports by cascade: the triggers see database cascades too."""
    a, _b, _facilitator, author, u1, u2, _u3 = _setup()
    idea = IdeaFactory(community=a, author=author, created_at=datetime.utcnow())
    db.session.commit()
    comments.post_comment(u1, idea, "Je contribue")
    votes.cast_vote(u2, idea)
    db.session.commit()
    year = _this_year()
    assert _figures(year)["A"] == (1, 1, 1, 3)

    erase_account(u1)  # anonymised, still one (anonymous) agent
    db.session.commit()
    assert _figures(year)["A"] == (1, 1, 1, 3)

    db.session.execute(db.delete(User).where(User.id.in_([author.id, u2.id])))
    db.session.commit()
    assert _figures(year)["A"] == (1, 1, 0, 1)


def test_paris_day_edges_and_partial_periods(db):
    community = CommunityFactory(name="A")
    u1, u2 = UserFactory(), UserFactory()
    # 31 December 2024 23:30 UTC is 1 January 2025 in Paris; 30 June 22:30 UTC is 1 July (summer).
    IdeaFactory(community=community, author=u1, created_at=datetime(2024, 12, 31, 23, 30))
    idea = IdeaFactory(community=community, author=u1, created_at=datetime(2024, 12, 31, 22, 30))
    db.session.add_all([
        Vote(idea_id=idea.id, user_id=u2.id, created_at=datetime(2025, 6, 30, 22, 30)),
        Vote(idea_id=idea.id, user_id=u1.id, created_at=datetime(2025, 6, 30, 21, 30))])
    db.session.commit()
    assert _figures(Period.year(2024))["A"] == (1, 0, 0, 1)
    assert _figures(Period.year(2025))["A"] == (1, 0, 2, 2)
    assert _figures(Period(date(2025, 7, 1), date(2025, 7, 1)))["A"] == (0, 0, 1, 1)
    assert _figures(Period(date(2025, 6, 30), date(2025, 6, 30)))["A"] == (0, 0, 1, 1)
    # The same agent on several days of the period counts once.
    assert _figures(Period(date(2025, 1, 1), date(2025, 7, 1)))["A"] == (1, 0, 2, 2)


def test_reads_write_nothing_once_up_to_date_and_rebuild_gives_the_same_rows(db):
    community = CommunityFactory(name="A")
    user = UserFactory()
    IdeaFactory(community=community, author=user, created_at=datetime(2025, 3, 1, 10))
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(ActivityDirty)) > 0
    assert daily.refresh() >= 2  # the UTC date and the Paris day after it
    assert daily.refresh() == 0
    db.session.commit()

    incremental = _rows()
    assert incremental[0] == [(date(2025, 3, 1), community.id, 1, 0, 0)]
    assert incremental[1] == [(community.id, user.id, date(2025, 3, 1), None)]
    assert daily.rebuild() > 0
    assert _rows() == incremental


def test_an_agent_active_today_who_gets_an_earlier_day_is_linked_to_it(db):
    """Today's row keeps its place on a refresh; a day added before it must become its
    previous day (and leaving that day again, the older one)."""
    a, _b, _facilitator, author, u1, _u2, _u3 = _setup()
    old = IdeaFactory(community=a, author=author, created_at=datetime.utcnow() - timedelta(days=9))
    recent = IdeaFactory(community=a, author=author, created_at=datetime.utcnow())
    db.session.commit()
    votes.cast_vote(u1, old)
    votes.cast_vote(u1, recent)
    db.session.commit()
    db.session.execute(_db.update(Vote).where(Vote.idea_id == old.id)
                       .values(created_at=datetime.utcnow() - timedelta(days=9)))
    db.session.commit()
    year = _this_year()
    _figures(year)
    earlier = today_in_paris() - timedelta(days=4)
    comment = comments.post_comment(u1, recent, "Je reviens")
    db.session.commit()
    db.session.execute(_db.update(Comment).where(Comment.id == comment.id)
                       .values(created_at=datetime.combine(earlier, datetime.min.time())
                               + timedelta(hours=12)))
    db.session.commit()
    _figures(year)
    rows = db.session.execute(_db.select(ActivityAgent.day, ActivityAgent.prev_day)
                              .where(ActivityAgent.user_id == u1.id)
                              .order_by(ActivityAgent.day)).all()
    assert [(day, prev) for day, prev in rows][-2:] == [
        (earlier, rows[0].day), (today_in_paris(), earlier)]
    comments.delete_comment(u1, comment)
    db.session.commit()
    _figures(year)
    assert db.session.scalar(_db.select(ActivityAgent.prev_day).where(
        ActivityAgent.user_id == u1.id, ActivityAgent.day == today_in_paris())) == rows[0].day
