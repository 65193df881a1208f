"""Merging moves supports and followers to the target once each, and links both ways."""

from ideas.extensions import db
from ideas.follows.models import IdeaFollow
from ideas.ideation.models import Idea, IdeaStatus
from ideas.votes.models import Vote
from ideas.workflow import services
from tests.factories import CommunityFactory, MembershipFactory, UserFactory


def _count(model, **where):
    return db.session.scalar(db.select(db.func.count()).select_from(model).filter_by(**where))


def test_merge_moves_supports_and_followers_once(db):
    community = CommunityFactory()
    facilitator = UserFactory()
    MembershipFactory(user=facilitator, community=community, role="facilitator")
    author_a, author_b, both, only_a, only_b = (UserFactory() for _ in range(5))
    source = Idea(community_id=community.id, author_id=author_a.id, title="Doublon",
                  body="x", vote_count=3, follower_count=2)
    target = Idea(community_id=community.id, author_id=author_b.id, title="Originale",
                  body="y", vote_count=2, follower_count=2)
    db.session.add_all([source, target])
    db.session.flush()
    # author_b supports the duplicate: moving it would make them support their own idea.
    db.session.add_all([Vote(idea_id=source.id, user_id=u.id) for u in (both, only_a, author_b)]
                       + [Vote(idea_id=target.id, user_id=u.id) for u in (both, only_b)]
                       + [IdeaFollow(idea_id=source.id, user_id=u.id) for u in (author_a, both)]
                       + [IdeaFollow(idea_id=target.id, user_id=u.id) for u in (author_b, both)])
    db.session.commit()

    services.move_idea(facilitator, source, IdeaStatus.MERGED, merge_into=target,
                       answer="Même proposition que l'idée originale.")
    db.session.commit()

    source, target = db.session.get(Idea, source.id), db.session.get(Idea, target.id)
    assert source.status == IdeaStatus.MERGED and source.merged_into_id == target.id
    assert {v for v in db.session.scalars(db.select(Vote.user_id).filter_by(
        idea_id=target.id))} == {both.id, only_a.id, only_b.id}
    assert target.vote_count == _count(Vote, idea_id=target.id) == 3
    assert source.vote_count == _count(Vote, idea_id=source.id) == 0
    assert target.follower_count == _count(IdeaFollow, idea_id=target.id) == 3
    assert source.follower_count == _count(IdeaFollow, idea_id=source.id) == 0
    # The merged idea stays readable and points to its target.
    assert source.body == "x" and source.merged_into.title == "Originale"
