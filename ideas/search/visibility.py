"""Which communities' ideas a user may find: computed from the database, never from the index.

The same rule as `ideas.ideation.queries.visible_ideas_filter` (and `can_view_idea`): open
communities, private ones where the user is an active member, everything for management.
Archived communities stay readable, so their ideas stay findable. Ideas hidden by the
moderation are found only where the user moderates (facilitators; admins everywhere), as in
`unhidden_ideas_filter`.
"""

from sqlalchemy import or_, select

from ideas.accounts.permissions import is_signed_in
from ideas.communities.models import Community
from ideas.extensions import db
from ideas.ideation.queries import member_community_ids
from ideas.ideation.queries import moderated_community_ids as _moderated


def allowed_community_ids(user) -> list[int]:
    if not is_signed_in(user):
        return []
    query = select(Community.id)
    if not user.is_manager:
        query = query.where(or_(Community.is_private.is_(False),
                                Community.id.in_(member_community_ids(user))))
    return list(db.session.scalars(query.order_by(Community.id)))


def moderated_community_ids(user) -> list[int]:
    if not is_signed_in(user):
        return []
    if user.is_admin:
        return list(db.session.scalars(select(Community.id).order_by(Community.id)))
    return list(db.session.scalars(_moderated(user)))
