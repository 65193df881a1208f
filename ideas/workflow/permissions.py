"""Who may move an idea: the workflow table decides, given the user's actor roles."""

from ideas.accounts.permissions import is_signed_in
from ideas.communities.permissions import is_facilitator
from ideas.ideation.models import Idea
from ideas.ideation.permissions import can_view_idea
from ideas.workflow.transitions import Actor, targets_for


def actor_roles(user, idea: Idea) -> set[Actor]:
    if not is_signed_in(user):
        return set()
    roles = set()
    if idea.author_id == user.id:
        roles.add(Actor.AUTHOR)
    if user.is_admin or is_facilitator(user, idea.community):
        roles.add(Actor.FACILITATOR)
    if user.is_manager:
        roles.add(Actor.MANAGER)
    return roles


def allowed_targets(user, idea: Idea) -> list:
    if not can_view_idea(user, idea):
        return []
    return targets_for(idea.status, actor_roles(user, idea))


def is_reviewer(user, idea: Idea) -> bool:
    """A facilitator of its community or management: whoever may ever move this idea, whatever
    its state now (the author's withdrawal aside)."""
    return can_view_idea(user, idea) and bool(
        actor_roles(user, idea) & {Actor.FACILITATOR, Actor.MANAGER})


def can_move_idea(user, idea: Idea) -> bool:
    """Show the workflow form: some move other than the author's withdrawal is possible."""
    return any(actor_roles(user, idea) & {Actor.FACILITATOR, Actor.MANAGER}) and bool(
        allowed_targets(user, idea))


def can_see_status_history(user, idea: Idea) -> bool:
    return can_view_idea(user, idea)
