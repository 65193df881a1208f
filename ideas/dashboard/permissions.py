"""Who reads the management pages: the dashboard is for management (managers, admins); the
review of ideas to decide on is theirs too, and each facilitator reviews their own communities."""

from ideas.accounts.permissions import is_signed_in
from ideas.communities.permissions import memberships_by_community


def can_view_dashboard(user) -> bool:
    return is_signed_in(user) and user.is_manager


def facilitated_community_ids(user) -> set[int]:
    return {community_id for community_id, membership
            in memberships_by_community(user).items() if membership.is_facilitator}


def can_review_ideas(user) -> bool:
    """Managers and admins see every community's ideas to decide on; a facilitator, those of
    the communities they facilitate (the query applies the same scope)."""
    return is_signed_in(user) and (user.is_manager or bool(facilitated_community_ids(user)))
