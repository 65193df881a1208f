"""A researcher's intervention in a community: talk, workshop, study…"""

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideas.accounts.models import User
from ideas.communities.models import Community
from ideas.extensions import db, str_enum
from ideas.utils import utcnow


class InterventionFormat(enum.StrEnum):
    TALK = "conference"
    WORKSHOP = "atelier"
    STUDY = "etude"
    SUPPORT = "accompagnement"
    SEMINAR = "seminaire"
    OTHER = "autre"


class ResearchIntervention(db.Model):
    __tablename__ = "research_interventions"
    __table_args__ = (Index("ix_research_interventions_community_date",
                            "community_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    researcher: Mapped[str] = mapped_column(String(160))
    institution: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(index=True)
    format: Mapped[InterventionFormat] = mapped_column(str_enum(InterventionFormat, 20))
    topic: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    community: Mapped[Community] = relationship()
    created_by: Mapped[User | None] = relationship()
