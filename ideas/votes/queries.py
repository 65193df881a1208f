"""Read-side queries for supports."""

from ideas.extensions import db
from ideas.votes.models import Vote


def voted_idea_ids(user, idea_ids) -> set[int]:
    """Which of these ideas the user supports: one query for a whole list page."""
    if not getattr(user, "is_authenticated", False) or not idea_ids:
        return set()
    return set(db.session.scalars(db.select(Vote.idea_id).where(
        Vote.user_id == user.id, Vote.idea_id.in_(list(idea_ids)))))
