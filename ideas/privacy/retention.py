"""The retention job (RGPD art. 5.1.e; SECURITY-CHECKLIST item 52): what is past its period is
deleted, or anonymised when others' content depends on it. `flask --app wsgi retention run`.

Each step is one condition on dates, so running the job again deletes nothing more (idempotent),
and a step whose period is 0 keeps everything. Periods come from config.py (RETENTION_*) and
are stated on the privacy page.

- Invitations (their token is the only stored token: password reset and unsubscribe links are
  signed, never stored): accepted or expired for RETENTION_INVITATION_DAYS.
- Accounts never activated (invited or imported, no password, never signed in) for
  RETENTION_UNACTIVATED_ACCOUNT_DAYS: erased like a deletion (ideas.privacy.erasure), since
  imported ideas may name them as author.
- Notifications read for RETENTION_READ_NOTIFICATION_DAYS, any after
  RETENTION_NOTIFICATION_DAYS (never one whose email is still due).
- Emails sent or given up for RETENTION_EMAIL_DAYS.
- The moderation log, closed reports and ended suspensions after RETENTION_MODERATION_LOG_DAYS
  (five years: decisions an agent may contest), not the security logs' year.
- Security logs (logins, denials, 429s…) are not in the database: they go to the application
  log, whose rotation keeps RETENTION_SECURITY_LOG_DAYS (README).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, func, or_, select

from ideas.accounts.models import Invitation, User
from ideas.extensions import db
from ideas.moderation.models import ModerationAction, Report, Suspension
from ideas.notifications.models import EmailStatus, Notification, OutboxEmail, OutboxStatus
from ideas.privacy.erasure import erase_account
from ideas.utils import utcnow


@dataclass
class Step:
    setting: str
    label: str
    count: Callable[[datetime], int]
    purge: Callable[[datetime], int]


def _cutoff(setting: str, now: datetime) -> datetime | None:
    days = int(current_app.config[setting])
    return now - timedelta(days=days) if days > 0 else None


def _deleting(model, condition: Callable[[datetime], object]) -> tuple[Callable, Callable]:
    def count(cutoff: datetime) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(
            condition(cutoff)))

    def purge(cutoff: datetime) -> int:
        return db.session.execute(delete(model).where(condition(cutoff))
                                  .execution_options(synchronize_session=False)).rowcount

    return count, purge


def _never_activated(cutoff: datetime):
    return select(User).where(User.password_hash.is_(None), User.erased_at.is_(None),
                              User.last_login_at.is_(None), User.created_at < cutoff)


def _count_never_activated(cutoff: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(
        _never_activated(cutoff).subquery()))


def _erase_never_activated(cutoff: datetime) -> int:
    users = db.session.scalars(_never_activated(cutoff).order_by(User.id)).all()
    return sum(erase_account(user) for user in users)


def steps() -> list[Step]:
    email_done = Notification.email_status != EmailStatus.PENDING
    return [
        Step("RETENTION_INVITATION_DAYS", _l("Invitations acceptées ou expirées"), *_deleting(
            Invitation, lambda cut: or_(Invitation.accepted_at < cut, and_(
                Invitation.accepted_at.is_(None), Invitation.expires_at < cut)))),
        Step("RETENTION_UNACTIVATED_ACCOUNT_DAYS", _l("Comptes jamais activés (anonymisés)"),
             _count_never_activated, _erase_never_activated),
        Step("RETENTION_READ_NOTIFICATION_DAYS", _l("Notifications lues"), *_deleting(
            Notification, lambda cut: and_(Notification.read_at < cut, email_done))),
        Step("RETENTION_NOTIFICATION_DAYS", _l("Notifications anciennes, lues ou non"),
             *_deleting(Notification, lambda cut: and_(Notification.created_at < cut,
                                                        email_done))),
        Step("RETENTION_EMAIL_DAYS", _l("Courriels envoyés ou abandonnés"), *_deleting(
            OutboxEmail, lambda cut: and_(
                OutboxEmail.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED]),
                func.coalesce(OutboxEmail.sent_at, OutboxEmail.created_at) < cut))),
        Step("RETENTION_MODERATION_LOG_DAYS", _l("Journal de modération"), *_deleting(
            ModerationAction, lambda cut: ModerationAction.created_at < cut)),
        Step("RETENTION_MODERATION_LOG_DAYS", _l("Signalements traités"), *_deleting(
            Report, lambda cut: Report.resolved_at < cut)),
        Step("RETENTION_MODERATION_LOG_DAYS", _l("Suspensions terminées"), *_deleting(
            Suspension, lambda cut: or_(Suspension.lifted_at < cut, Suspension.ends_at < cut))),
    ]


@dataclass
class Outcome:
    label: str
    days: int
    count: int  # deleted (or anonymised); with dry_run, what would be


def run(now: datetime | None = None, *, dry_run: bool = False,
        commit: Callable[[], None] | None = None) -> Iterator[Outcome]:
    """Apply each step in turn, yielding its outcome as soon as it is done (the command shows
    progress); `commit` ends each step's transaction, so a long run holds no lock for long.
    With `dry_run`, only count."""
    now = now or utcnow()
    for step in steps():
        days = int(current_app.config[step.setting])
        cutoff = _cutoff(step.setting, now)
        if cutoff is None:
            yield Outcome(str(step.label), days, 0)
            continue
        count = step.count(cutoff) if dry_run else step.purge(cutoff)
        if commit is not None and not dry_run:
            commit()
        yield Outcome(str(step.label), days, count)
