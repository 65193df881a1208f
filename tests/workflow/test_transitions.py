"""Every (state, target, role) triple: allowed moves succeed and are recorded, the others are
refused with a message and change nothing. The expectations are written out from DOMAIN.md,
independently of ideas/workflow/transitions.py."""

import itertools

import pytest

from ideas.errors import DomainError
from ideas.extensions import db
from ideas.ideation.models import Idea, IdeaStatus
from ideas.offer.models import Service, ServiceType
from ideas.workflow import services
from ideas.workflow.models import StatusChange
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

S = IdeaStatus
FACILITATOR, MANAGER, ADMIN, AUTHOR, AGENT, OTHER_FACILITATOR = (
    "facilitator", "manager", "admin", "author", "agent", "other_facilitator")
ROLES = (FACILITATOR, MANAGER, ADMIN, AUTHOR, AGENT, OTHER_FACILITATOR)

# (from, to) → roles allowed. Admins may do everything managers and facilitators may.
EXPECTED = {
    (S.SUBMITTED, S.IN_REVIEW): {FACILITATOR, MANAGER, ADMIN},
    (S.SUBMITTED, S.DECLINED): {FACILITATOR, MANAGER, ADMIN},
    (S.IN_REVIEW, S.DECLINED): {FACILITATOR, MANAGER, ADMIN},
    (S.IN_REVIEW, S.SELECTED): {MANAGER, ADMIN},
    (S.SELECTED, S.PILOTING): {MANAGER, ADMIN},
    (S.SELECTED, S.ADOPTED): {MANAGER, ADMIN},
    (S.PILOTING, S.ADOPTED): {MANAGER, ADMIN},
    (S.SELECTED, S.DECLINED): {MANAGER, ADMIN},
    (S.PILOTING, S.DECLINED): {MANAGER, ADMIN},
    (S.SUBMITTED, S.MERGED): {FACILITATOR, MANAGER, ADMIN},
    (S.IN_REVIEW, S.MERGED): {FACILITATOR, MANAGER, ADMIN},
    (S.SELECTED, S.MERGED): {MANAGER, ADMIN},
    (S.PILOTING, S.MERGED): {MANAGER, ADMIN},
    (S.SUBMITTED, S.WITHDRAWN): {AUTHOR},
    (S.IN_REVIEW, S.WITHDRAWN): {AUTHOR},
}

CASES = [(source, target, role) for source, target in itertools.product(S, S)
         if source != target for role in ROLES]


@pytest.fixture
def world(db):
    community = CommunityFactory(name="Communauté du workflow")
    other = CommunityFactory(name="Autre communauté")
    people = {
        FACILITATOR: UserFactory(), MANAGER: UserFactory(role="manager"),
        ADMIN: UserFactory(role="admin"), AUTHOR: UserFactory(), AGENT: UserFactory(),
        OTHER_FACILITATOR: UserFactory(),
    }
    MembershipFactory(user=people[FACILITATOR], community=community, role="facilitator")
    MembershipFactory(user=people[OTHER_FACILITATOR], community=other, role="facilitator")
    MembershipFactory(user=people[AUTHOR], community=community)
    return community, people


def _idea(community, author, status, title="Une idée à faire avancer"):
    idea = Idea(community_id=community.id, author_id=author.id, title=title,
                body="Corps de l'idée", status=status)
    db.session.add(idea)
    db.session.commit()
    return idea


@pytest.mark.parametrize("source, target, role", CASES,
                         ids=[f"{s.value}->{t.value}-{r}" for s, t, r in CASES])
def test_every_state_role_pair(world, source, target, role):
    community, people = world
    idea = _idea(community, people[AUTHOR], source)
    extra = {"answer": "Réponse officielle de la direction."}
    if target == S.ADOPTED:
        service = Service(name="Service issu d'une idée", type=ServiceType.TRAINING)
        db.session.add(service)
        db.session.flush()
        extra["service"] = service
    if target == S.MERGED:
        extra["merge_into"] = _idea(community, people[AGENT], S.SUBMITTED, "Idée cible")
    allowed = role in EXPECTED.get((source, target), set())
    if allowed:
        change = services.move_idea(people[role], idea, target, **extra)
        db.session.commit()
        assert db.session.get(Idea, idea.id).status == target
        assert (change.from_status, change.to_status, change.actor_id) == (
            source, target, people[role].id)
    else:
        with pytest.raises(DomainError) as refused:
            services.move_idea(people[role], idea, target, **extra)
        assert str(refused.value.message)
        db.session.rollback()
        assert db.session.get(Idea, idea.id).status == source
        assert db.session.scalar(db.select(db.func.count()).select_from(StatusChange)) == 0


@pytest.mark.parametrize("target", [S.SELECTED, S.DECLINED, S.ADOPTED])
def test_official_answer_is_required(world, target):
    community, people = world
    source = S.IN_REVIEW if target != S.ADOPTED else S.SELECTED
    idea = _idea(community, people[AUTHOR], source)
    service = Service(name="Service", type=ServiceType.RESOURCE)
    db.session.add(service)
    db.session.flush()
    with pytest.raises(DomainError) as refused:
        services.move_idea(people[MANAGER], idea, target, answer="  ", service=service)
    assert refused.value.field == "answer"


def test_adopting_needs_a_service_and_links_it(world):
    community, people = world
    idea = _idea(community, people[AUTHOR], S.SELECTED)
    with pytest.raises(DomainError) as refused:
        services.move_idea(people[MANAGER], idea, S.ADOPTED, answer="Adoptée.")
    assert refused.value.field == "service"
    service = Service(name="Parcours de formation", type=ServiceType.TRAINING)
    db.session.add(service)
    db.session.flush()
    services.move_idea(people[MANAGER], idea, S.ADOPTED, answer="Adoptée.", service=service)
    db.session.commit()
    assert [i.id for i in db.session.get(Service, service.id).ideas] == [idea.id]


def test_stale_expected_state_is_a_conflict(world):
    community, people = world
    idea = _idea(community, people[AUTHOR], S.SUBMITTED)
    services.move_idea(people[MANAGER], idea, S.IN_REVIEW)
    db.session.commit()
    with pytest.raises(services.WorkflowConflict):
        services.move_idea(people[FACILITATOR], idea, S.DECLINED, answer="Non.",
                           expected=S.SUBMITTED)


def test_history_keeps_every_move_in_order(world):
    community, people = world
    idea = _idea(community, people[AUTHOR], S.SUBMITTED)
    for target, answer in [(S.IN_REVIEW, ""), (S.SELECTED, "Retenue pour 2027.")]:
        services.move_idea(people[MANAGER], idea, target, answer=answer)
    db.session.commit()
    moves = [(c.from_status, c.to_status, c.answer) for c in services.history(idea)]
    assert moves == [(S.SUBMITTED, S.IN_REVIEW, ""),
                     (S.IN_REVIEW, S.SELECTED, "Retenue pour 2027.")]
