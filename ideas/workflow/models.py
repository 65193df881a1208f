"""Every status change of an idea is kept: who, when, from, to, the official answer."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideas.accounts.models import User
from ideas.extensions import db, str_enum
from ideas.ideation.models import IdeaStatus
from ideas.utils import utcnow


class StatusChange(db.Model):
    __tablename__ = "status_changes"
    __table_args__ = (Index("ix_status_changes_idea_created", "idea_id", "created_at"),
                      # Dashboard funnel and delays: idea_id too, so the index answers alone.
                      Index("ix_status_changes_to_created_idea", "to_status", "created_at",
                            "idea_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[IdeaStatus] = mapped_column(str_enum(IdeaStatus, 20))
    to_status: Mapped[IdeaStatus] = mapped_column(str_enum(IdeaStatus, 20))
    answer: Mapped[str] = mapped_column(Text, default="")
    answer_html: Mapped[str] = mapped_column(Text, default="")
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id",
                                                                  ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship()
