"""`seed-demo`: idempotent, and its ideas, comments, supports and follows are consistent data
(every denormalised counter equals the rows it counts)."""

from datetime import timedelta

import pytest

from ideas.accounts.models import User
from ideas.comments.models import Comment
from ideas.communities.models import Community, Membership, MembershipStatus
from ideas.demo import seed_demo
from ideas.demo_ideas import DEMO_IDEAS
from ideas.extensions import db
from ideas.follows.models import CommunityFollow, IdeaFollow
from ideas.ideation.models import Idea, IdeaSdg, IdeaStatus, Tag, idea_tags, idea_themes
from ideas.utils import utcnow
from ideas.votes.models import Vote

COUNTED = [User, Community, Membership, Idea, IdeaSdg, Tag, Comment, Vote, IdeaFollow,
           CommunityFollow]


def _counts() -> dict[str, int]:
    counts = {model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
              for model in COUNTED}
    for table in (idea_themes, idea_tags):
        counts[table.name] = db.session.scalar(db.select(db.func.count()).select_from(table))
    return counts


@pytest.fixture
def seeded(db):
    seed_demo()
    db.session.commit()
    return _counts()


def _mismatches(counter, rows_query) -> list:
    actual = dict(db.session.execute(rows_query).all())
    return [(idea.id, getattr(idea, counter), actual.get(idea.id, 0))
            for idea in db.session.scalars(db.select(Idea))
            if getattr(idea, counter) != actual.get(idea.id, 0)]


def test_seed_demo_twice_creates_nothing_twice_and_counters_equal_rows(seeded):
    assert seeded["Idea"] == len(DEMO_IDEAS) >= 30
    assert seeded["Comment"] > 40 and seeded["Vote"] > 100 and seeded["CommunityFollow"] > 0

    seed_demo()
    db.session.commit()

    assert _counts() == seeded
    assert _mismatches("vote_count", db.select(Vote.idea_id, db.func.count())
                       .group_by(Vote.idea_id)) == []
    assert _mismatches("comment_count", db.select(Comment.idea_id, db.func.count())
                       .where(Comment.deleted_at.is_(None)).group_by(Comment.idea_id)) == []
    assert _mismatches("follower_count", db.select(IdeaFollow.idea_id, db.func.count())
                       .group_by(IdeaFollow.idea_id)) == []
    active = dict(db.session.execute(
        db.select(Membership.community_id, db.func.count())
        .where(Membership.status == MembershipStatus.ACTIVE).group_by(Membership.community_id)
    ).all())
    assert {c.id: c.member_count for c in db.session.scalars(db.select(Community))} == {
        community_id: active.get(community_id, 0)
        for community_id in db.session.scalars(db.select(Community.id))}


def test_demo_ideas_are_valid_and_varied(seeded):
    ideas = list(db.session.scalars(db.select(Idea)))
    now = utcnow()
    assert {idea.status for idea in ideas} >= {
        IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW, IdeaStatus.SELECTED, IdeaStatus.PILOTING,
        IdeaStatus.ADOPTED, IdeaStatus.DECLINED, IdeaStatus.WITHDRAWN}
    assert len({idea.community_id for idea in ideas}) == 10
    for idea in ideas:
        assert idea.themes and idea.body_html.startswith("<")
        assert now - timedelta(days=731) < idea.created_at < now
        # The author follows their idea and never supports it.
        assert db.session.get(IdeaFollow, (idea.author_id, idea.id)) is not None
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote).join(
        Idea, Idea.id == Vote.idea_id).where(Vote.user_id == Idea.author_id)) == 0
    # Withdrawn ideas take no support nor comment; comments come after their idea.
    for idea in ideas:
        if idea.status == IdeaStatus.WITHDRAWN:
            assert idea.vote_count == 0 and idea.comment_count == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Comment).join(
        Idea, Idea.id == Comment.idea_id).where(Comment.created_at < Idea.created_at)) == 0
    replies = db.session.scalars(db.select(Comment).where(Comment.parent_id.is_not(None)))
    for reply in replies:
        assert db.session.get(Comment, reply.parent_id).created_at < reply.created_at
    # The demo agent still has a join request to approve, and ideas of her own.
    agent = db.session.scalar(db.select(User).filter_by(email="agent@demo.reseau-canope.fr"))
    pending = db.session.scalar(db.select(db.func.count()).select_from(Membership).filter_by(
        user_id=agent.id, status=MembershipStatus.PENDING))
    assert pending == 1  # the private community she asked to join: something to approve
    assert db.session.scalar(db.select(db.func.count()).select_from(Idea).filter_by(
        author_id=agent.id)) >= 3
