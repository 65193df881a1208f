"""Suspensions: admins only; the agent reads but writes nothing until the end or the lifting."""

from datetime import timedelta

import pytest

from ideas.comments.services import CommentRefused, post_comment
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.ideation import permissions as idea_permissions
from ideas.moderation import suspension_services as suspensions
from ideas.moderation.models import ActionKind, ModerationAction, Suspension
from ideas.moderation.services import ModerationConflict, ModerationRefused
from ideas.moderation.suspensions import active_suspension, forget_suspensions, is_suspended
from ideas.utils import utcnow
from ideas.votes.services import cast_vote


def test_a_suspended_agent_reads_but_does_not_write(idea, agent, admin, open_community):
    suspensions.suspend_user(admin, agent, "Messages agressifs répétés", None)
    db.session.commit()
    assert is_suspended(agent)
    assert idea_permissions.can_view_idea(agent, idea)
    assert not idea_permissions.can_post_idea(agent, open_community)
    assert not idea_permissions.can_take_part(agent, idea)
    with pytest.raises(CommentRefused, match="suspendu"):
        post_comment(agent, idea, "Bonjour")
    with pytest.raises(DomainError, match="suspendu"):
        cast_vote(agent, idea)
    entry = db.session.scalar(db.select(ModerationAction))
    assert (entry.action, entry.target_user_id, entry.community_id) == (
        ActionKind.SUSPEND, agent.id, None)


def test_a_suspension_ends_by_itself(agent, admin, open_community):
    suspension = suspensions.suspend_user(admin, agent, "Une semaine",
                                          utcnow() + timedelta(days=7))
    db.session.commit()
    assert active_suspension(agent).id == suspension.id
    suspension.ends_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    forget_suspensions()
    assert not is_suspended(agent)
    assert idea_permissions.can_post_idea(agent, open_community)


def test_lifting(agent, admin):
    suspension = suspensions.suspend_user(admin, agent, "Erreur", None)
    db.session.commit()
    suspensions.lift_suspension(admin, suspension)
    db.session.commit()
    assert not is_suspended(agent)
    with pytest.raises(ModerationConflict):
        suspensions.lift_suspension(admin, suspension)
    assert [e.action for e in db.session.scalars(db.select(ModerationAction)
                                                 .order_by(ModerationAction.id))] == [
        ActionKind.SUSPEND, ActionKind.LIFT_SUSPENSION]


def test_refusals(agent, admin, manager, facilitator):
    for user in (agent, manager, facilitator):
        with pytest.raises(ModerationRefused) as refused:
            suspensions.suspend_user(user, agent, "Non", None)
        assert refused.value.status == 403
    for target in (admin,):  # oneself, and so any admin
        with pytest.raises(ModerationRefused):
            suspensions.suspend_user(admin, target, "Non", None)
    with pytest.raises(ModerationRefused) as refused:
        suspensions.suspend_user(admin, agent, "  ", None)
    assert refused.value.field == "reason"
    with pytest.raises(ModerationRefused) as refused:
        suspensions.suspend_user(admin, agent, "Passé", utcnow() - timedelta(days=1))
    assert refused.value.field == "ends_on"
    suspensions.suspend_user(admin, agent, "Une fois", None)
    with pytest.raises(ModerationConflict, match="déjà suspendu"):
        suspensions.suspend_user(admin, agent, "Deux fois", None)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Suspension)) == 0
