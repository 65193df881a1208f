"""Read-side queries for follows."""

from sqlalchemy import or_
from sqlalchemy.orm import joinedload

from ideas.communities.models import Community, Membership, MembershipStatus
from ideas.extensions import db
from ideas.follows.models import CommunityFollow, IdeaFollow
from ideas.ideation.models import Idea


def followed_idea_ids(user, idea_ids) -> set[int]:
    """Which of these ideas the user follows: one query for a whole list page."""
    if not getattr(user, "is_authenticated", False) or not idea_ids:
        return set()
    return set(db.session.scalars(db.select(IdeaFollow.idea_id).where(
        IdeaFollow.user_id == user.id, IdeaFollow.idea_id.in_(list(idea_ids)))))


def follows_community(user, community: Community) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.get(CommunityFollow, (user.id, community.id)) is not None


def _readable_community_ids(user):
    """Subquery: the communities whose content the user may read (`can_read_content` as SQL)."""
    members_of = db.select(Membership.community_id).where(
        Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
    return db.select(Community.id).where(or_(Community.is_private.is_(False),
                                             Community.id.in_(members_of)))


def followed_ideas(user) -> list[Idea]:
    """The ideas the user follows and may still see, last followed first, in one query.
    An idea of a private community they left stays followed but is not listed."""
    stmt = (db.select(Idea).join(IdeaFollow, IdeaFollow.idea_id == Idea.id)
            .where(IdeaFollow.user_id == user.id)
            .options(joinedload(Idea.community))
            .order_by(IdeaFollow.created_at.desc(), Idea.id.desc()))
    if not user.is_manager:
        stmt = stmt.where(Idea.community_id.in_(_readable_community_ids(user)))
    return list(db.session.scalars(stmt))


def followed_communities(user) -> list[Community]:
    """The communities the user follows, by name, in one query."""
    return list(db.session.scalars(
        db.select(Community).join(CommunityFollow, CommunityFollow.community_id == Community.id)
        .where(CommunityFollow.user_id == user.id)
        .options(joinedload(Community.territory))
        .order_by(Community.name)))
