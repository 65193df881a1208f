"""Read-side queries for follows."""

from ideas.extensions import db
from ideas.follows.models import IdeaFollow


def followed_idea_ids(user, idea_ids) -> set[int]:
    """Which of these ideas the user follows: one query for a whole list page."""
    if not getattr(user, "is_authenticated", False) or not idea_ids:
        return set()
    return set(db.session.scalars(db.select(IdeaFollow.idea_id).where(
        IdeaFollow.user_id == user.id, IdeaFollow.idea_id.in_(list(idea_ids)))))
