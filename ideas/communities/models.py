"""Communities, their themes, and memberships (where the facilitator role lives)."""

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideas.accounts.models import User
from ideas.extensions import db, str_enum
from ideas.reference.models import Territory, Theme
from ideas.utils import utcnow

community_themes = Table(
    "community_themes",
    db.metadata,
    Column("community_id", ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)


class Community(db.Model):
    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(90), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    is_private: Mapped[bool] = mapped_column(default=False)
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territories.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]
    # Kept exact by the membership services with SQL increments, so lists need no COUNT per row.
    member_count: Mapped[int] = mapped_column(default=0)

    territory: Mapped[Territory | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=community_themes, order_by=Theme.position)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def __str__(self) -> str:
        return self.name


class MemberRole(enum.StrEnum):
    MEMBER = "member"
    FACILITATOR = "facilitator"


class MembershipStatus(enum.StrEnum):
    ACTIVE = "active"
    PENDING = "pending"  # a join request waiting for a facilitator (private communities)


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MemberRole] = mapped_column(
        str_enum(MemberRole, 20),
        default=MemberRole.MEMBER,
    )
    status: Mapped[MembershipStatus] = mapped_column(
        str_enum(MembershipStatus, 20),
        default=MembershipStatus.ACTIVE,
    )
    message: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    community: Mapped[Community] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE

    @property
    def is_facilitator(self) -> bool:
        return self.is_active and self.role == MemberRole.FACILITATOR
