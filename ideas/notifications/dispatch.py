"""What `flask notifications send` does: write the emails that are due into the outbox (one per
notification to send at once; one digest per user and period), then deliver the outbox.

Whether a notification may still be seen is checked again here, when its email is written: an
agent removed from a private community since, or an item hidden or deleted since, gets nothing.

Digests: the daily one covers what arrived before today's NOTIFICATIONS_DIGEST_HOUR (Paris time)
and goes out at the first run after that hour; the weekly one likewise from the
NOTIFICATIONS_WEEKLY_DAY (0 = Monday) at that hour. One digest per user and period at most
(the outbox's dedup key). Like the outbox, this module commits after each email written."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy.orm import selectinload

from ideas.accounts.models import User
from ideas.communities.permissions import forget_memberships
from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.notifications import emails, outbox
from ideas.notifications.kinds import Frequency
from ideas.notifications.models import EmailStatus, Notification
from ideas.notifications.permissions import can_see_notification
from ideas.utils import utcnow

PARIS = ZoneInfo("Europe/Paris")
_LOADS = (selectinload(Notification.user), selectinload(Notification.actor),
          selectinload(Notification.community),
          selectinload(Notification.idea).selectinload(Idea.community),
          selectinload(Notification.comment), selectinload(Notification.status_change),
          selectinload(Notification.service))


def _can_receive(user: User) -> bool:
    """Active accounts that have signed up (an invited account never asked for our emails)."""
    return bool(user.is_active and not user.is_invited and user.email)


def _set_status(ids: list[int], status: EmailStatus) -> None:
    if ids:
        db.session.execute(
            db.update(Notification).where(Notification.id.in_(ids),
                                          Notification.email_status == EmailStatus.PENDING)
            .values(email_status=status).execution_options(synchronize_session=False))


def build_immediate(limit: int = 1000, progress=None) -> int:
    """An email for each pending notification its reader wants at once."""
    forget_memberships()  # decided on the memberships of now, not of earlier in this context
    items = list(db.session.scalars(
        db.select(Notification).where(Notification.email_status == EmailStatus.PENDING,
                                      Notification.email_frequency == Frequency.IMMEDIATELY)
        .options(*_LOADS).order_by(Notification.id).limit(limit)))
    written = 0
    for notification in items:
        if progress is not None:
            progress(1)
        user = notification.user
        if not _can_receive(user) or not can_see_notification(user, notification):
            _set_status([notification.id], EmailStatus.SKIPPED)
        else:
            email = emails.notification_email(notification)
            if outbox.enqueue(user, str(notification.kind), email,
                              f"notification:{notification.id}"):
                written += 1
            _set_status([notification.id], EmailStatus.QUEUED)
        db.session.commit()
    return written


def period_start(frequency: Frequency, now: datetime) -> datetime:
    """The start of the digest period `now` (naive UTC) falls in, as naive UTC."""
    hour = int(current_app.config["NOTIFICATIONS_DIGEST_HOUR"])
    local = now.replace(tzinfo=UTC).astimezone(PARIS)
    start = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if frequency == Frequency.WEEKLY:
        weekday = int(current_app.config["NOTIFICATIONS_WEEKLY_DAY"])
        start -= timedelta(days=(local.weekday() - weekday) % 7)
        if start > local:
            start -= timedelta(days=7)
    elif start > local:
        start -= timedelta(days=1)
    # Rebuilt from the wall-clock time, so a daylight-saving change keeps the hour.
    start = datetime(start.year, start.month, start.day, hour, tzinfo=PARIS)
    return start.astimezone(UTC).replace(tzinfo=None)


@dataclass
class DigestPlan:
    frequency: Frequency
    start: datetime
    user_ids: list[int]

    def key(self, user_id: int) -> str:
        return f"digest:{self.frequency}:{user_id}:{self.start:%Y-%m-%dT%H}"


def plan_digests(now: datetime) -> list[DigestPlan]:
    plans = []
    for frequency in (Frequency.DAILY, Frequency.WEEKLY):
        start = period_start(frequency, now)
        user_ids = list(db.session.scalars(
            db.select(Notification.user_id).where(
                Notification.email_status == EmailStatus.PENDING,
                Notification.email_frequency == frequency, Notification.created_at < start)
            .distinct().order_by(Notification.user_id)))
        plans.append(DigestPlan(frequency, start, user_ids))
    return plans


def build_digest(plan: DigestPlan, user_id: int) -> bool:
    items = list(db.session.scalars(
        db.select(Notification).where(
            Notification.user_id == user_id, Notification.email_status == EmailStatus.PENDING,
            Notification.email_frequency == plan.frequency,
            Notification.created_at < plan.start)
        .options(*_LOADS).order_by(Notification.created_at, Notification.id)))
    if not items:
        return False
    user = items[0].user
    shown = [n for n in items if _can_receive(user) and can_see_notification(user, n)]
    _set_status([n.id for n in items if n not in shown], EmailStatus.SKIPPED)
    written = False
    if shown:
        email = emails.digest_email(user, plan.frequency, shown)
        written = outbox.enqueue(user, f"digest:{plan.frequency}", email,
                                 plan.key(user_id)) is not None
        if written:
            _set_status([n.id for n in shown], EmailStatus.QUEUED)
    db.session.commit()
    return written


@dataclass
class RunReport:
    immediate: int
    digests: int
    delivery: outbox.DeliveryReport


def build_digests(now: datetime, progress=None) -> int:
    forget_memberships()
    written = 0
    for plan in plan_digests(now):
        for user_id in plan.user_ids:
            if progress is not None:
                progress(1)
            written += build_digest(plan, user_id)
    return written


def run_once(now: datetime | None = None) -> RunReport:
    """Everything due at `now`: immediate emails, digests, then delivery."""
    now = now or utcnow()
    immediate, digests = build_immediate(), build_digests(now)
    # What was just written is due too (written after `now`).
    return RunReport(immediate, digests, outbox.deliver_due(max(now, utcnow())))
