"""Who follows which idea or community. Composite primary keys make a follow unique."""

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ideas.extensions import db
from ideas.utils import utcnow


class IdeaFollow(db.Model):
    __tablename__ = "idea_follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommunityFollow(db.Model):
    __tablename__ = "community_follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"),
                                              primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
