"""A comment or a reply (one level: a reply's parent is always a top-level comment)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideas.accounts.models import User
from ideas.extensions import db
from ideas.utils import utcnow

COMMENT_MAX = 10_000


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_idea_created", "idea_id", "created_at"),
                      # Dashboard vitality: the comments of a period, read from the index alone.
                      Index("ix_comments_created", "created_at", "idea_id", "author_id",
                            "deleted_at"),
                      # One comment per submitted form (ideas.idempotency).
                      UniqueConstraint("author_id", "submission_token"))

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                  index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"),
                                                  index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    submission_token: Mapped[str | None] = mapped_column(String(64))
    # Soft delete: the thread keeps a "comment deleted" placeholder and its replies.
    deleted_at: Mapped[datetime | None]
    # Moderation (ideas.moderation): the thread shows "Masqué par la modération" instead of the
    # text, but to its author and the community's moderators; `hidden_by_id` is NULL when it
    # was hidden automatically (reports).
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None
