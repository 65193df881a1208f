"""Reports on ideas and comments, the moderation log, and suspensions of agents."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideas.accounts.models import User
from ideas.communities.models import Community
from ideas.extensions import db, str_enum
from ideas.utils import utcnow

DETAILS_MAX = 1000
REASON_MAX = 500  # the hiding reason the author reads (ideas.hidden_reason is 500 long)
SUMMARY_MAX = 200


class ReportReason(enum.StrEnum):
    OFF_TOPIC = "off_topic"
    DUPLICATE = "duplicate"
    DISRESPECTFUL = "disrespectful"
    PERSONAL_DATA = "personal_data"
    SPAM = "spam"
    OTHER = "other"  # details required


class Resolution(enum.StrEnum):
    """How the reports on an item were closed."""

    HIDDEN = "hidden"
    RESTORED = "restored"
    DISMISSED = "dismissed"
    MERGED = "merged"


def item_key(kind: str, item_id: int) -> str:
    """"i12" for idea 12, "c34" for comment 34: one column for "one report per agent per item"
    (a unique constraint over a NULL comment_id would not hold) and for grouping the queue."""
    return f"{'i' if kind == 'idea' else 'c'}{item_id}"


class Report(db.Model):
    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("reporter_id", "item_key"),
        # The queue and the badge: open reports of some communities.
        Index("ix_reports_community_open", "community_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_key: Mapped[str] = mapped_column(String(20), index=True)
    # The idea reported, or the idea of the comment reported.
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"),
                                                   index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                    index=True)
    reason: Mapped[ReportReason] = mapped_column(str_enum(ReportReason, 20))
    details: Mapped[str] = mapped_column(String(DETAILS_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    resolution: Mapped[Resolution | None] = mapped_column(str_enum(Resolution, 20))

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class ActionKind(enum.StrEnum):
    HIDE = "hide"
    AUTO_HIDE = "auto_hide"
    RESTORE = "restore"
    DISMISS = "dismiss"
    LOCK = "lock"
    UNLOCK = "unlock"
    PIN = "pin"
    UNPIN = "unpin"
    MERGE = "merge"
    EDIT_TITLE = "edit_title"
    SUSPEND = "suspend"
    LIFT_SUSPENSION = "lift_suspension"


class ModerationAction(db.Model):
    """One line of the audit log: who did what to which item, when and why."""

    __tablename__ = "moderation_actions"
    __table_args__ = (Index("ix_moderation_actions_community_created", "community_id",
                            "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[ActionKind] = mapped_column(str_enum(ActionKind, 30), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                 index=True)  # NULL: automatic
    # NULL for suspensions, which concern the whole platform (admins only see them).
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id",
                                                                ondelete="SET NULL"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"),
                                                index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    # What the item was when acted on (title, or the start of the comment): readable later.
    summary: Mapped[str] = mapped_column(String(SUMMARY_MAX), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    report_count: Mapped[int] = mapped_column(default=0)  # open reports it closed
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    target_user: Mapped[User | None] = relationship(foreign_keys=[target_user_id])
    community: Mapped[Community | None] = relationship()


class Suspension(db.Model):
    """An agent who may read but not post, comment, support or report, until `ends_at`
    (NULL: until lifted)."""

    __tablename__ = "suspensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime | None]
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def is_active_at(self, moment: datetime) -> bool:
        return self.lifted_at is None and (self.ends_at is None or self.ends_at > moment)
