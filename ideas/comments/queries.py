"""Read-side queries for comments."""

from sqlalchemy.orm import selectinload

from ideas.comments.models import Comment
from ideas.extensions import db


def thread_of(idea) -> list[tuple[Comment, list[Comment]]]:
    """Top-level comments oldest first, each with its replies oldest first: one query."""
    comments = db.session.scalars(
        db.select(Comment).where(Comment.idea_id == idea.id)
        .options(selectinload(Comment.author)).order_by(Comment.created_at, Comment.id)).all()
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [(c, replies.get(c.id, [])) for c in comments if c.parent_id is None]
