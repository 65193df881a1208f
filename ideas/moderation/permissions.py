"""Who may report, moderate, read the log and suspend. Facilitators moderate their
communities; admins moderate everything (`communities.permissions.can_moderate`)."""

from ideas.accounts.permissions import is_signed_in
from ideas.comments.models import Comment
from ideas.comments.permissions import can_view_comment
from ideas.communities.models import Community
from ideas.communities.permissions import can_moderate, memberships_by_community
from ideas.ideation.models import Idea, IdeaStatus
from ideas.ideation.permissions import can_view_idea
from ideas.moderation.items import idea_of
from ideas.moderation.suspensions import is_suspended
from ideas.workflow.permissions import allowed_targets


def can_see_item(user, item) -> bool:
    if isinstance(item, Comment):
        return can_view_comment(user, item)
    return can_view_idea(user, item)


def can_report(user, item) -> bool:
    """Someone else's visible idea or comment, not already hidden or deleted, by an agent who
    is not suspended. (Whether they already reported it is the service's business: the unique
    constraint decides.)"""
    if not is_signed_in(user) or is_suspended(user) or not can_see_item(user, item):
        return False
    if item.author_id == user.id or item.hidden_at is not None:
        return False
    return not (isinstance(item, Comment) and item.is_deleted)


def can_moderate_item(user, item) -> bool:
    idea = idea_of(item)
    return idea is not None and can_view_idea(user, idea) and can_moderate(user, idea.community)


def can_moderate_anywhere(user) -> bool:
    """Has a moderation queue: admins, and facilitators of at least one community."""
    if not is_signed_in(user):
        return False
    return user.is_admin or any(m.is_facilitator for m in memberships_by_community(user).values())


def can_moderate_community(user, community: Community) -> bool:
    return can_moderate(user, community)


def can_merge_idea(user, idea: Idea) -> bool:
    """Through the workflow: a facilitator may merge an idea still submitted or in review."""
    return can_moderate_item(user, idea) and IdeaStatus.MERGED in allowed_targets(user, idea)


def can_manage_suspensions(user) -> bool:
    return is_signed_in(user) and user.is_admin


def can_suspend(user, target) -> bool:
    """Admins suspend agents and managers; never themselves nor another admin."""
    return can_manage_suspensions(user) and target.id != user.id and not target.is_admin
