"""Read-side queries for comments."""

from dataclasses import dataclass

from sqlalchemy import and_, func, or_
from sqlalchemy.orm import joinedload

from ideas.comments.models import Comment
from ideas.extensions import db

THREADS_PER_PAGE = 20  # top-level comments (each with all its replies) per page of the thread


@dataclass
class ThreadPage:
    """One page of an idea's thread: top-level comments oldest first, each with its replies
    oldest first. Hidden and deleted comments count like the others (the page shows their
    placeholder), so a comment is on the same page for every reader."""

    threads: list[tuple[Comment, list[Comment]]]
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def size(self) -> int:
        """Comments on the page, replies included."""
        return sum(1 + len(replies) for _, replies in self.threads)


def _top_level(idea_id: int):
    return db.select(Comment).where(Comment.idea_id == idea_id, Comment.parent_id.is_(None))


def thread_page(idea, page: int = 1, per_page: int = THREADS_PER_PAGE) -> ThreadPage:
    """Two queries whatever the number of comments: the page's top-level comments, then their
    replies; authors come in the same SELECTs (a LEFT JOIN: a deleted account leaves
    `author_id` NULL). A page past the end (an old link) shows the last page."""
    ordered = _top_level(idea.id).options(joinedload(Comment.author)).order_by(
        Comment.created_at, Comment.id)
    tops = db.session.scalars(ordered.offset((page - 1) * per_page).limit(per_page + 1)).all()
    if not tops and page > 1:
        count = db.session.scalar(db.select(func.count()).select_from(
            _top_level(idea.id).subquery()))
        page = max(1, -(-count // per_page))
        tops = db.session.scalars(ordered.offset((page - 1) * per_page).limit(per_page)).all()
    has_next, tops = len(tops) > per_page, tops[:per_page]
    replies: dict[int, list[Comment]] = {}
    if tops:
        for reply in db.session.scalars(
                db.select(Comment).where(Comment.parent_id.in_([c.id for c in tops]))
                .options(joinedload(Comment.author)).order_by(Comment.created_at, Comment.id)):
            replies.setdefault(reply.parent_id, []).append(reply)
    return ThreadPage([(c, replies.get(c.id, [])) for c in tops], page, has_next)


def page_of(comment: Comment, per_page: int = THREADS_PER_PAGE) -> int:
    """The page of the thread that shows this comment (a reply: its parent's page)."""
    top = comment if comment.parent_id is None else db.session.get(Comment, comment.parent_id)
    before = db.session.scalar(db.select(func.count()).select_from(
        _top_level(top.idea_id).where(or_(
            Comment.created_at < top.created_at,
            and_(Comment.created_at == top.created_at, Comment.id < top.id))).subquery()))
    return before // per_page + 1


def get_comment(comment_id: int) -> Comment | None:
    return db.session.get(Comment, comment_id, options=[joinedload(Comment.author)])
