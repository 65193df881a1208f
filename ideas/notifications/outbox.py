"""The email outbox: messages are written in the database, and sent later by
`flask notifications send`, never during a web request.

Each message is claimed before it is sent (a conditional UPDATE pending → sending, committed), so
two senders never send the same row. A refusal by the SMTP server (4xx, a dropped connection)
puts it back with an exponential delay; a permanent refusal (5xx) or too many attempts mark it
failed, in the log. A sender that dies mid-send leaves the row "sending": it is retried once its
lease has expired, with the same Message-ID.

This module is the command's loop: it commits (each claim, each result) so that what reached
the SMTP server is recorded at once."""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError

from ideas.extensions import db
from ideas.mail import SmtpSession
from ideas.notifications.emails import Email, to_message
from ideas.notifications.models import OutboxEmail, OutboxStatus
from ideas.utils import utcnow

log = logging.getLogger(__name__)


def enqueue(user, kind: str, email: Email, dedup_key: str) -> OutboxEmail | None:
    """Add a message unless one with this key exists (another builder was first). Flushes."""
    if db.session.scalar(db.select(OutboxEmail.id).filter_by(dedup_key=dedup_key)):
        return None
    row = OutboxEmail(user_id=user.id, recipient=email.recipient, kind=kind,
                      subject=email.subject, text=email.text, html=email.html,
                      headers=email.headers_json(), dedup_key=dedup_key, next_attempt_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return None
    return row


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _setting(name: str) -> int:
    return int(current_app.config[name])


def _claimable(now: datetime):
    lease_end = now - timedelta(seconds=_setting("EMAIL_SENDING_LEASE_SECONDS"))
    return or_(
        and_(OutboxEmail.status == OutboxStatus.PENDING, OutboxEmail.next_attempt_at <= now),
        and_(OutboxEmail.status == OutboxStatus.SENDING, OutboxEmail.claimed_at < lease_end))


def due_ids(now: datetime, limit: int) -> list[int]:
    return list(db.session.scalars(db.select(OutboxEmail.id).where(_claimable(now))
                                   .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
                                   .limit(limit)))


def claim(row_id: int, now: datetime) -> bool:
    """Ours only if this UPDATE changed the row: another sender cannot claim it as well."""
    claimed = db.session.execute(
        db.update(OutboxEmail).where(OutboxEmail.id == row_id, _claimable(now))
        .values(status=OutboxStatus.SENDING, claimed_at=max(now, utcnow()),
                attempts=OutboxEmail.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return claimed


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return False


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8… times the base delay, up to the cap."""
    seconds = _setting("EMAIL_RETRY_BASE_SECONDS") * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, _setting("EMAIL_RETRY_MAX_SECONDS")))


def _record_failure(row: OutboxEmail, error: Exception, now: datetime,
                    report: DeliveryReport) -> None:
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.claimed_at = None
    if _is_permanent(error) or row.attempts >= _setting("EMAIL_MAX_ATTEMPTS"):
        row.status = OutboxStatus.FAILED
        report.failed += 1
        log.error("email %s to %s failed for good after %s attempt(s): %s", row.id,
                  row.recipient, row.attempts, row.last_error)
    else:
        row.status = OutboxStatus.PENDING
        row.next_attempt_at = now + backoff(row.attempts)
        report.retried += 1
        log.warning("email %s to %s refused (attempt %s), retried after %s: %s", row.id,
                    row.recipient, row.attempts, row.next_attempt_at, row.last_error)
    report.errors.append(row.last_error)


def deliver_due(now: datetime | None = None, limit: int = 500, progress=None) -> DeliveryReport:
    """Send the messages that are due, each claimed first; commits each result."""
    now = now or utcnow()
    report = DeliveryReport()
    ids = due_ids(now, limit)
    db.session.commit()  # the claims below must not ride on a long transaction
    with SmtpSession() as smtp:
        for row_id in ids:
            if progress is not None:
                progress(1)
            if not claim(row_id, now):
                continue
            row = db.session.get(OutboxEmail, row_id)
            try:
                smtp.send(to_message(row))
            except (smtplib.SMTPException, OSError) as error:
                _record_failure(row, error, now, report)
            else:
                row.status, row.sent_at, row.claimed_at = OutboxStatus.SENT, utcnow(), None
                row.last_error = ""
                report.sent += 1
            db.session.commit()
    return report
