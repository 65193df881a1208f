"""A service of the offer, and the ideas it came from (the indicator's traceability)."""

import enum
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideas.accounts.models import User
from ideas.extensions import db, str_enum
from ideas.ideation.models import Idea
from ideas.reference.models import Territory
from ideas.utils import utcnow


class ServiceType(enum.StrEnum):
    TRAINING = "formation"
    RESOURCE = "ressource"
    PLATFORM = "plateforme"
    SUPPORT = "accompagnement"
    EVENT = "evenement"
    OTHER = "autre"


class ServiceStatus(enum.StrEnum):
    PLANNED = "planned"
    LAUNCHED = "launched"
    RETIRED = "retired"


service_ideas = Table(
    "service_ideas",
    db.metadata,
    Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
    Column("idea_id", ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Service(db.Model):
    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[ServiceType] = mapped_column(str_enum(ServiceType, 20))
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territories.id"), index=True)
    launch_date: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[ServiceStatus] = mapped_column(str_enum(ServiceStatus, 20),
                                                  default=ServiceStatus.PLANNED)
    # Why a service that came from no idea exists (national order, partner, internal team…):
    # without it the 70 % share would mean nothing.
    stated_origin: Mapped[str | None] = mapped_column(String(300))
    external_ref: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]

    territory: Mapped[Territory | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    ideas: Mapped[list[Idea]] = relationship(secondary=service_ideas, order_by=Idea.id)

    @property
    def is_from_communities(self) -> bool:
        return bool(self.ideas)

    def __str__(self) -> str:
        return self.name
