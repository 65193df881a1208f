"""Community use cases, without HTTP. After every operation, `member_count` must equal the
number of active memberships: `assert_count_exact` checks it against a real COUNT."""

import pytest

from ideas.accounts import services as accounts
from ideas.communities import services
from ideas.communities.models import (
    Community,
    MemberRole,
    Membership,
    MembershipStatus,
)
from ideas.errors import DomainError
from ideas.reference.models import Territory, Theme
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.helpers import count


def assert_count_exact(db, community, expected: int) -> None:
    stored = db.session.scalar(
        db.select(Community.member_count).where(Community.id == community.id))
    active = count(Membership, community_id=community.id, status=MembershipStatus.ACTIVE)
    assert stored == active == expected


def _membership(db, user, community):
    return db.session.scalar(db.select(Membership).filter_by(user_id=user.id,
                                                             community_id=community.id))


def test_join_open_community_is_idempotent(db, agent, open_community):
    first = services.join(agent, open_community)
    assert first.is_active and first.role == MemberRole.MEMBER
    assert_count_exact(db, open_community, 1)
    assert services.join(agent, open_community) == first
    assert_count_exact(db, open_community, 1)


def test_join_private_community_is_refused(db, agent, private_community):
    with pytest.raises(DomainError):
        services.join(agent, private_community)
    assert _membership(db, agent, private_community) is None
    assert_count_exact(db, private_community, 0)


def test_archived_community_takes_no_new_members(db, agent, open_community,
                                                 private_community):
    services.archive_community(open_community)
    services.archive_community(private_community)
    with pytest.raises(DomainError, match="archivée"):
        services.join(agent, open_community)
    with pytest.raises(DomainError, match="archivée"):
        services.request_to_join(agent, private_community)
    assert count(Membership, user_id=agent.id) == 0
    services.restore_community(open_community)
    services.join(agent, open_community)
    assert_count_exact(db, open_community, 1)


def test_request_then_approve(db, agent, private_community):
    request = services.request_to_join(agent, private_community, "  Bonjour, je souhaite "
                                                                 "participer. ")
    assert request.status == MembershipStatus.PENDING
    assert request.message == "Bonjour, je souhaite participer."
    assert_count_exact(db, private_community, 0)
    assert services.request_to_join(agent, private_community) == request  # no duplicate
    assert_count_exact(db, private_community, 0)

    services.approve_request(private_community, request.id)
    assert request.is_active and request.decided_at is not None
    assert_count_exact(db, private_community, 1)
    with pytest.raises(DomainError):
        services.approve_request(private_community, request.id)  # already decided
    assert_count_exact(db, private_community, 1)


def test_request_to_join_an_open_community_joins_it(db, agent, open_community):
    assert services.request_to_join(agent, open_community).is_active
    assert_count_exact(db, open_community, 1)


def test_reject_request(db, agent, private_community):
    request = services.request_to_join(agent, private_community)
    services.reject_request(private_community, request.id)
    assert _membership(db, agent, private_community) is None
    assert_count_exact(db, private_community, 0)
    with pytest.raises(DomainError):
        services.reject_request(private_community, request.id)


def test_a_request_is_decided_only_in_its_own_community(db, agent, private_community):
    other = CommunityFactory(is_private=True)
    request = services.request_to_join(agent, private_community)
    for decide in (services.approve_request, services.reject_request):
        with pytest.raises(DomainError):
            decide(other, request.id)
    assert request.status == MembershipStatus.PENDING
    assert_count_exact(db, private_community, 0)
    assert_count_exact(db, other, 0)


def test_leave(db, agent, open_community, private_community):
    services.join(agent, open_community)
    services.request_to_join(agent, private_community)
    services.leave(agent, open_community)
    assert_count_exact(db, open_community, 0)
    services.leave(agent, private_community)  # withdraws the pending request
    assert _membership(db, agent, private_community) is None
    assert_count_exact(db, private_community, 0)
    services.leave(agent, open_community)  # not a member: nothing happens
    assert_count_exact(db, open_community, 0)


def test_remove_member_only_from_its_community(db, open_community):
    member = MembershipFactory(community=open_community)
    other = CommunityFactory()
    MembershipFactory(community=other)
    with pytest.raises(DomainError):
        services.remove_member(other, member.id)
    assert_count_exact(db, open_community, 1)
    assert_count_exact(db, other, 1)
    services.remove_member(open_community, member.id)
    assert db.session.get(Membership, member.id) is None
    assert_count_exact(db, open_community, 0)
    with pytest.raises(DomainError):
        services.remove_member(open_community, 999_999)


def test_appoint_and_relieve_facilitators(db, agent, private_community):
    appointed = services.set_facilitator(private_community, agent, True)  # not yet a member
    assert appointed.is_facilitator
    assert_count_exact(db, private_community, 1)
    services.set_facilitator(private_community, agent, False)
    assert appointed.is_active and not appointed.is_facilitator
    assert_count_exact(db, private_community, 1)

    requester = UserFactory()
    request = services.request_to_join(requester, private_community)
    services.set_facilitator(private_community, requester, True)  # appointing approves
    assert request.is_facilitator
    assert_count_exact(db, private_community, 2)


def test_invite_an_existing_agent_adds_them(db, agent, admin, private_community):
    assert services.invite(private_community, agent.email.upper(), admin) == ("added", None)
    assert _membership(db, agent, private_community).is_active
    assert_count_exact(db, private_community, 1)
    with pytest.raises(DomainError, match="déjà membre"):
        services.invite(private_community, agent.email, admin)
    assert_count_exact(db, private_community, 1)


def test_invite_approves_a_pending_request(db, agent, admin, private_community):
    services.request_to_join(agent, private_community)
    services.invite(private_community, agent.email, admin)
    assert _membership(db, agent, private_community).is_active
    assert_count_exact(db, private_community, 1)


def test_invite_refuses_a_deactivated_account(db, agent, admin, private_community):
    accounts.deactivate(agent)
    with pytest.raises(DomainError):
        services.invite(private_community, agent.email, admin)
    assert_count_exact(db, private_community, 0)


def test_invitation_of_a_newcomer_joins_on_acceptance(db, admin, private_community):
    outcome, token = services.invite(private_community, "nouveau@reseau-canope.fr", admin)
    assert outcome == "invited" and token
    assert_count_exact(db, private_community, 0)
    invitation = accounts.invitation_for_token(token)
    user = accounts.register("nouveau@reseau-canope.fr", "Nouveau", "une phrase de passe",
                             territory_id=None, locale="fr", invitation=invitation)
    accounts.accept_invitation(invitation, user)
    assert _membership(db, user, private_community).is_active
    assert_count_exact(db, private_community, 1)


def test_invitation_into_an_archived_community_adds_no_member(db, admin, private_community):
    _outcome, token = services.invite(private_community, "tard@reseau-canope.fr", admin)
    services.archive_community(private_community)
    invitation = accounts.invitation_for_token(token)
    user = accounts.register("tard@reseau-canope.fr", "Tard", "une phrase de passe",
                             territory_id=None, locale="fr", invitation=invitation)
    accounts.accept_invitation(invitation, user)
    assert _membership(db, user, private_community) is None
    assert_count_exact(db, private_community, 0)


def _fields(db, **changes):
    territory = db.session.scalar(db.select(Territory).limit(1))
    themes = db.session.scalars(db.select(Theme.id).order_by(Theme.position).limit(2)).all()
    fields = {"name": "  Mobilité   durable ", "description": " Covoiturage. ",
              "is_private": False, "territory_id": territory.id, "theme_ids": themes}
    fields.update(changes)
    return fields


def test_create_and_update_community(db, manager):
    community = services.create_community(manager, **_fields(db))
    assert (community.name, community.description, community.slug) == (
        "Mobilité durable", "Covoiturage.", "mobilite-durable")
    assert len(community.themes) == 2
    assert community.member_count == 0
    services.update_community(community, **_fields(db, name="Mobilité durable",
                                                   theme_ids=[], is_private=True))
    assert community.themes == [] and community.is_private


def test_community_names_are_unique_whatever_the_case(db, manager):
    services.create_community(manager, **_fields(db))
    with pytest.raises(DomainError) as error:
        services.create_community(manager, **_fields(db, name="MOBILITÉ DURABLE"))
    assert error.value.field == "name"
    assert count(Community) == 1


def test_slugs_stay_unique(db, manager):
    CommunityFactory(name="Ancienne", slug="mobilite-durable")
    community = services.create_community(manager, **_fields(db))
    assert community.slug == "mobilite-durable-2"
