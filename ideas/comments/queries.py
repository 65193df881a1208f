"""Read-side queries for comments."""

from sqlalchemy.orm import joinedload

from ideas.comments.models import Comment
from ideas.extensions import db


def thread_of(idea) -> list[tuple[Comment, list[Comment]]]:
    """Top-level comments oldest first, each with its replies oldest first.

    One query whatever the number of comments: authors come in the same SELECT (a LEFT JOIN,
    since a deleted account leaves `author_id` NULL), the tree is built in Python.
    """
    comments = db.session.scalars(
        db.select(Comment).where(Comment.idea_id == idea.id)
        .options(joinedload(Comment.author)).order_by(Comment.created_at, Comment.id)).all()
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [(c, replies.get(c.id, [])) for c in comments if c.parent_id is None]


def get_comment(comment_id: int) -> Comment | None:
    return db.session.get(Comment, comment_id, options=[joinedload(Comment.author)])
