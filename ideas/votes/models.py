"""A support: the unique constraint is what guarantees one per agent per idea."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ideas.extensions import db
from ideas.utils import utcnow


class Vote(db.Model):
    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("idea_id", "user_id"),
        Index("ix_votes_idea_created", "idea_id", "created_at"),  # trending: last 14 days
        # Dashboard vitality: the supports of a period, read from the index alone.
        Index("ix_votes_created", "created_at", "idea_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
