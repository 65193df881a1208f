"""Read-side queries for follows."""

from sqlalchemy.orm import joinedload

from ideas.communities.models import Community
from ideas.extensions import db
from ideas.follows.models import CommunityFollow, IdeaFollow
from ideas.ideation.models import Idea
from ideas.ideation.queries import visible_ideas_filter


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


def followed_ideas(user) -> list[Idea]:
    """The ideas the user follows and may still see, last followed first, in one query.
    An idea of a private community they left stays followed but is not listed."""
    return list(db.session.scalars(
        db.select(Idea).join(IdeaFollow, IdeaFollow.idea_id == Idea.id)
        .where(IdeaFollow.user_id == user.id, visible_ideas_filter(user))
        .options(joinedload(Idea.community))
        .order_by(IdeaFollow.created_at.desc(), Idea.id.desc())))


def followed_communities(user) -> list[Community]:
    """The communities the user follows, by name, in one query."""
    return list(db.session.scalars(
        db.select(Community).join(CommunityFollow, CommunityFollow.community_id == Community.id)
        .where(CommunityFollow.user_id == user.id)
        .order_by(Community.name)))
