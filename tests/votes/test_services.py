"""Supports without HTTP: one per agent per idea, the counter equal to the rows, refusals that
change nothing."""

import pytest

from ideas.communities.permissions import forget_memberships
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.ideation.models import IdeaStatus
from ideas.utils import utcnow
from ideas.votes import services
from ideas.votes.models import Vote
from ideas.votes.permissions import can_vote
from tests.factories import IdeaFactory, MembershipFactory, UserFactory
from tests.helpers import count


def stored_count(idea) -> int:
    """The counter as the database holds it, committed by the service's caller."""
    db.session.expire(idea)
    return idea.vote_count


@pytest.fixture
def idea(open_community):
    return IdeaFactory(community=open_community)


def test_cast_vote_adds_one_support_and_counts_it(idea, agent):
    assert services.cast_vote(agent, idea) is True
    db.session.commit()
    assert count(Vote, idea_id=idea.id, user_id=agent.id) == 1
    assert stored_count(idea) == 1
    assert services.has_voted(agent, idea)


def test_casting_twice_keeps_one_support(idea, agent):
    services.cast_vote(agent, idea)
    db.session.commit()
    assert services.cast_vote(agent, idea) is False
    db.session.commit()
    assert count(Vote, idea_id=idea.id) == 1
    assert stored_count(idea) == 1


def test_a_lost_insert_keeps_the_rest_of_the_transaction(idea, agent):
    """The duplicate INSERT fails inside its savepoint: another agent's support in the same
    transaction survives, and so does the counter."""
    other = UserFactory()
    services.cast_vote(agent, idea)
    assert services.cast_vote(agent, idea) is False
    assert services.cast_vote(other, idea) is True
    db.session.commit()
    assert count(Vote, idea_id=idea.id) == 2
    assert stored_count(idea) == 2


def test_a_support_and_its_counter_roll_back_together(idea, agent):
    """On SQLite, releasing a savepoint used to COMMIT the row apart from its counter."""
    services.cast_vote(agent, idea)
    db.session.rollback()
    assert count(Vote, idea_id=idea.id) == 0
    assert stored_count(idea) == 0


def test_withdraw_vote_removes_the_support_once(idea, agent):
    services.cast_vote(agent, idea)
    db.session.commit()
    assert services.withdraw_vote(agent, idea) is True
    db.session.commit()
    assert services.withdraw_vote(agent, idea) is False
    db.session.commit()
    assert count(Vote, idea_id=idea.id) == 0
    assert stored_count(idea) == 0


def test_withdrawing_someone_elses_support_is_impossible(idea, agent):
    other = UserFactory()
    services.cast_vote(other, idea)
    db.session.commit()
    assert services.withdraw_vote(agent, idea) is False
    db.session.commit()
    assert count(Vote, idea_id=idea.id, user_id=other.id) == 1
    assert stored_count(idea) == 1


def test_set_vote_reaches_the_wanted_state_whatever_the_replays(idea, agent):
    assert services.set_vote(agent, idea, True) is True
    assert services.set_vote(agent, idea, True) is False
    db.session.commit()
    assert stored_count(idea) == 1
    assert services.set_vote(agent, idea, False) is True
    assert services.set_vote(agent, idea, False) is False
    db.session.commit()
    assert stored_count(idea) == 0
    assert count(Vote, idea_id=idea.id) == 0


def test_toggle_vote_flips(idea, agent):
    assert services.toggle_vote(agent, idea) is True
    db.session.commit()
    assert stored_count(idea) == 1
    assert services.toggle_vote(agent, idea) is False
    db.session.commit()
    assert stored_count(idea) == 0


def _assert_refused(user, idea, words: str) -> None:
    with pytest.raises(DomainError) as refused:
        services.cast_vote(user, idea)
    assert words in str(refused.value.message)
    db.session.rollback()
    with pytest.raises(DomainError):
        services.withdraw_vote(user, idea)
    db.session.rollback()
    assert count(Vote, idea_id=idea.id) == 0
    assert stored_count(idea) == 0


def test_the_author_cannot_support_their_own_idea(idea):
    _assert_refused(idea.author, idea, "votre propre idée")


@pytest.mark.parametrize(("status", "words"), [
    (IdeaStatus.WITHDRAWN, "retirée"),
    (IdeaStatus.MERGED, "fusionnée"),
])
def test_closed_ideas_take_no_support(open_community, agent, status, words):
    idea = IdeaFactory(community=open_community, status=status)
    _assert_refused(agent, idea, words)


def test_ideas_further_in_the_workflow_still_take_supports(open_community, agent):
    idea = IdeaFactory(community=open_community, status=IdeaStatus.SELECTED)
    assert services.cast_vote(agent, idea) is True


def test_archived_community_takes_no_support(open_community, agent):
    idea = IdeaFactory(community=open_community)
    open_community.archived_at = utcnow()
    db.session.commit()
    _assert_refused(agent, idea, "archivée")


def test_private_community_support_is_for_members(private_community, agent, manager):
    idea = IdeaFactory(community=private_community)
    _assert_refused(agent, idea, "Vous n'avez pas accès")
    # Management reads private communities but only members take part.
    _assert_refused(manager, idea, "Seuls les membres")
    MembershipFactory(user=agent, community=private_community)
    forget_memberships()
    assert services.cast_vote(agent, idea) is True


def test_a_pending_join_request_is_not_membership(private_community, agent):
    idea = IdeaFactory(community=private_community)
    MembershipFactory(user=agent, community=private_community, status="pending")
    _assert_refused(agent, idea, "Vous n'avez pas accès")


def test_the_refusal_reason_agrees_with_can_vote(open_community, private_community, agent,
                                                 manager):
    ideas = [IdeaFactory(community=open_community),
             IdeaFactory(community=open_community, author=agent),
             IdeaFactory(community=open_community, status=IdeaStatus.WITHDRAWN),
             IdeaFactory(community=private_community)]
    for user in (agent, manager):
        for idea in ideas:
            assert (services.vote_refusal(user, idea) is None) == can_vote(user, idea)
