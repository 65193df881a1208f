"""Who may see and do what in a community. Memberships come from `membership_of`, which loads
all of the user's memberships once per request, so templates can ask freely."""

from flask import g

from ideas.accounts.permissions import is_signed_in
from ideas.communities.models import Community, Membership
from ideas.extensions import db


def memberships_by_community(user) -> dict[int, Membership]:
    if not is_signed_in(user):
        return {}
    cache = g.setdefault("_memberships", {})
    if user.id not in cache:
        rows = db.session.scalars(db.select(Membership).filter_by(user_id=user.id))
        cache[user.id] = {m.community_id: m for m in rows}
    return cache[user.id]


def forget_memberships() -> None:
    """Call after changing memberships within a request."""
    g.pop("_memberships", None)


def membership_of(user, community: Community) -> Membership | None:
    return memberships_by_community(user).get(community.id)


def is_member(user, community: Community) -> bool:
    membership = membership_of(user, community)
    return membership is not None and membership.is_active


def is_facilitator(user, community: Community) -> bool:
    membership = membership_of(user, community)
    return membership is not None and membership.is_facilitator


def can_manage_communities(user) -> bool:
    """Create communities; edit, archive and appoint facilitators anywhere."""
    return is_signed_in(user) and user.is_manager


def can_view_community(user, community: Community) -> bool:
    """The card and description: every agent, so private communities can be asked to join."""
    return is_signed_in(user)


def can_read_content(user, community: Community) -> bool:
    """Ideas, members, discussions: open communities, or members; management sees everything."""
    if not is_signed_in(user):
        return False
    return (not community.is_private) or is_member(user, community) or user.is_manager


def can_join(user, community: Community) -> bool:
    return (is_signed_in(user) and not community.is_private and not community.is_archived
            and membership_of(user, community) is None)


def can_request_to_join(user, community: Community) -> bool:
    return (is_signed_in(user) and community.is_private and not community.is_archived
            and membership_of(user, community) is None)


def can_leave(user, community: Community) -> bool:
    return membership_of(user, community) is not None


def can_edit_community(user, community: Community) -> bool:
    return can_manage_communities(user)


def can_manage_members(user, community: Community) -> bool:
    """Approve join requests, invite, remove members: facilitators and management."""
    return can_manage_communities(user) or is_facilitator(user, community)


def can_appoint_facilitators(user, community: Community) -> bool:
    return can_manage_communities(user)


def can_moderate(user, community: Community) -> bool:
    return is_signed_in(user) and (user.is_admin or is_facilitator(user, community))
