"""Follows without HTTP: idempotent, the follower counter equal to the rows, refusals that change
nothing, and the "followed" lists."""

import pytest

from ideas.communities.models import Membership
from ideas.communities.permissions import forget_memberships
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.follows import queries, services
from ideas.follows.models import CommunityFollow, IdeaFollow
from ideas.ideation.models import Idea
from tests.factories import CommunityFactory, IdeaFactory, MembershipFactory
from tests.helpers import count


def stored_followers(idea) -> int:
    db.session.expire(idea)
    return idea.follower_count


@pytest.fixture
def idea(open_community):
    return IdeaFactory(community=open_community)


def test_follow_idea_is_idempotent_and_counted(idea, agent):
    assert services.follow_idea(agent, idea) is True
    assert services.follow_idea(agent, idea) is False
    db.session.commit()
    assert count(IdeaFollow, idea_id=idea.id) == 1
    assert stored_followers(idea) == 1
    assert queries.followed_idea_ids(agent, [idea.id]) == {idea.id}


def test_unfollow_idea_is_idempotent_and_counted(idea, agent):
    services.follow_idea(agent, idea)
    db.session.commit()
    assert services.unfollow_idea(agent, idea) is True
    assert services.unfollow_idea(agent, idea) is False
    db.session.commit()
    assert count(IdeaFollow, idea_id=idea.id) == 0
    assert stored_followers(idea) == 0


def test_the_author_follows_an_idea_posted_in_the_same_transaction(open_community, agent):
    """Posting calls follow_idea before the idea is even flushed."""
    idea = Idea(community=open_community, author=agent, title="Une idée toute neuve",
                body="Texte", body_html="<p>Texte</p>")
    db.session.add(idea)
    assert services.follow_idea(agent, idea) is True
    db.session.commit()
    assert stored_followers(idea) == 1


def test_a_follow_and_its_counter_roll_back_together(idea, agent):
    services.follow_idea(agent, idea)
    db.session.rollback()
    assert count(IdeaFollow, idea_id=idea.id) == 0
    assert stored_followers(idea) == 0


def test_following_a_private_idea_needs_membership(private_community, agent):
    idea = IdeaFactory(community=private_community)
    with pytest.raises(DomainError, match="accès"):
        services.follow_idea(agent, idea)
    db.session.rollback()
    assert count(IdeaFollow, idea_id=idea.id) == 0
    assert stored_followers(idea) == 0


def test_unfollowing_works_even_after_leaving_a_private_community(private_community, agent):
    idea = IdeaFactory(community=private_community)
    membership = MembershipFactory(user=agent, community=private_community)
    services.follow_idea(agent, idea)
    db.session.delete(db.session.get(Membership, membership.id))
    db.session.commit()
    forget_memberships()
    assert services.unfollow_idea(agent, idea) is True
    db.session.commit()
    assert stored_followers(idea) == 0


def test_follow_community_is_idempotent(open_community, agent):
    assert services.follow_community(agent, open_community) is True
    assert services.follow_community(agent, open_community) is False
    db.session.commit()
    assert count(CommunityFollow, community_id=open_community.id) == 1
    assert queries.follows_community(agent, open_community)
    assert services.unfollow_community(agent, open_community) is True
    assert services.unfollow_community(agent, open_community) is False
    db.session.commit()
    assert count(CommunityFollow, community_id=open_community.id) == 0
    assert not queries.follows_community(agent, open_community)


def test_following_a_private_community_needs_membership(private_community, agent):
    with pytest.raises(DomainError, match="Seuls les membres"):
        services.follow_community(agent, private_community)
    db.session.rollback()
    assert count(CommunityFollow) == 0
    MembershipFactory(user=agent, community=private_community)
    forget_memberships()
    assert services.follow_community(agent, private_community) is True


def test_followed_ideas_lists_only_what_the_user_may_still_see(open_community,
                                                               private_community, agent,
                                                               manager):
    first = IdeaFactory(community=open_community)
    secret = IdeaFactory(community=private_community)
    last = IdeaFactory(community=open_community)
    IdeaFactory(community=open_community)  # not followed
    membership = MembershipFactory(user=agent, community=private_community)
    for idea in (first, secret, last):
        services.follow_idea(agent, idea)
        db.session.commit()
    assert [i.id for i in queries.followed_ideas(agent)] == [last.id, secret.id, first.id]
    db.session.delete(db.session.get(Membership, membership.id))
    db.session.commit()
    assert [i.id for i in queries.followed_ideas(agent)] == [last.id, first.id]
    services.follow_idea(manager, secret)  # management reads every community
    db.session.commit()
    assert [i.id for i in queries.followed_ideas(manager)] == [secret.id]


def test_followed_communities_by_name(agent):
    zebra = CommunityFactory(name="Zéro déchet")
    alpha = CommunityFactory(name="Achats responsables")
    CommunityFactory(name="Biodiversité")  # not followed
    for community in (zebra, alpha):
        services.follow_community(agent, community)
    db.session.commit()
    assert [c.name for c in queries.followed_communities(agent)] == [
        "Achats responsables", "Zéro déchet"]
