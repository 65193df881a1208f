"""Notifications (the in-app centre), email preferences, resolved mentions, and the email outbox.

A notification points at what it is about (idea, comment, status change, community…) rather than
copying its text: what the reader sees is always the current, permitted state of the item."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideas.accounts.models import User
from ideas.comments.models import Comment
from ideas.communities.models import Community
from ideas.extensions import db, str_enum
from ideas.ideation.models import Idea
from ideas.notifications.kinds import Frequency, Kind
from ideas.offer.models import Service
from ideas.utils import utcnow
from ideas.workflow.models import StatusChange


class EmailStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for `notifications send` (at once, or in a digest)
    QUEUED = "queued"  # written into an outbox message
    SKIPPED = "skipped"  # no email: preference "never", or no longer visible when sent


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_created", "user_id", "created_at"),
        Index("ix_notifications_user_read", "user_id", "read_at"),
        Index("ix_notifications_email", "email_status", "email_frequency", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[Kind] = mapped_column(str_enum(Kind, 40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set for everything that lives in a community: visibility is checked against it.
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"),
                                                index=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    status_change_id: Mapped[int | None] = mapped_column(
        ForeignKey("status_changes.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="SET NULL"), index=True)
    # Moderation: the action taken ("hidden", "restored"…) and the reason the author is given.
    action: Mapped[str] = mapped_column(String(40), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # The email decision, taken from the preference when the notification is created and
    # updated when the preference changes while it is still pending.
    email_frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, 20))
    email_status: Mapped[EmailStatus] = mapped_column(str_enum(EmailStatus, 20),
                                                      default=EmailStatus.PENDING)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    community: Mapped[Community | None] = relationship()
    idea: Mapped[Idea | None] = relationship()
    comment: Mapped[Comment | None] = relationship()
    status_change: Mapped[StatusChange | None] = relationship()
    service: Mapped[Service | None] = relationship()

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(db.Model):
    """Only choices that differ from the defaults of `kinds.DEFAULT_FREQUENCY` are stored."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    kind: Mapped[Kind] = mapped_column(str_enum(Kind, 40), primary_key=True)
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, 20))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommentMention(db.Model):
    """Someone a comment names with `@Prénom Nom` and who may see it: their name is highlighted
    in the comment and they were notified once."""

    __tablename__ = "comment_mentions"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"),
                                            primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender; retried after a lease if that sender died
    SENT = "sent"
    FAILED = "failed"  # gave up after EMAIL_MAX_ATTEMPTS, or refused for good (5xx)


class OutboxEmail(db.Model):
    """An email ready to go. Web requests never talk to SMTP: `flask notifications send` does."""

    __tablename__ = "email_outbox"
    __table_args__ = (Index("ix_email_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                                index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(60))  # a notification kind, or "digest:daily|weekly"
    subject: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    headers: Mapped[str] = mapped_column(Text, default="{}")  # JSON object
    status: Mapped[OutboxStatus] = mapped_column(str_enum(OutboxStatus, 20),
                                                 default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    # One message per notification, per digest period: a second builder cannot add it again.
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
