"""Sending email through SMTP (a real server, also in tests); the log stands in when none is set.

The one place that talks SMTP: account emails call `send_email`; the notification outbox sends
its batches through one `SmtpSession`. An account email (password reset, invitation) is tried at
once, for at most REQUEST_TIMEOUT seconds; if the SMTP server is down, slow or refusing, it goes
to the outbox (`flask notifications send` retries it): the request neither fails nor loses it."""

import json
import logging
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template

log = logging.getLogger(__name__)
REQUEST_TIMEOUT = 3  # seconds an account email may hold its web request (SMTP greets in ms)


def build_message(to: str, subject: str, template: str, **context) -> EmailMessage:
    """Plain text and HTML parts from `templates/email/<template>.txt|.html`."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = str(subject)
    message.set_content(render_template(f"email/{template}.txt", **context))
    message.add_alternative(render_template(f"email/{template}.html", **context),
                            subtype="html")
    return message


class SmtpSession:
    """One SMTP connection for several messages, opened on the first one. After an error the
    connection is dropped and the next message opens a new one. Without MAIL_SERVER, messages
    are written to the log instead."""

    def __init__(self, timeout: float = 10):
        self.config = current_app.config
        self.timeout = timeout
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=self.timeout)
        try:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except Exception:
            smtp.close()
            raise
        return smtp

    def send(self, message: EmailMessage) -> None:
        if not self.config.get("MAIL_SERVER"):
            log.warning("MAIL_SERVER not set; email not sent:\n%s", message)
            return
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(message)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
            # The server refused this message: smtplib has reset the transaction and the
            # connection serves the next message.
            raise
        except Exception:
            self.close()  # a broken connection: the next message opens a new one
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


def send(message: EmailMessage) -> None:
    with SmtpSession() as session:
        session.send(message)


def send_email(to: str, subject: str, template: str, **context) -> None:
    """An account email, now if the SMTP server answers within REQUEST_TIMEOUT, else through
    the outbox."""
    _deliver(build_message(to, subject, template, **context), template)


def send_email_after_response(response, to: str, subject: str, template: str,
                              **context) -> None:
    """An account email written now and sent once `response` has gone out: the answer takes
    as long whether an email is sent or not (no account enumeration by timing)."""
    message = build_message(to, subject, template, **context)
    app = current_app._get_current_object()

    def deliver() -> None:
        with app.app_context():
            _deliver(message, template)

    response.call_on_close(deliver)


def _deliver(message: EmailMessage, template: str) -> None:
    try:
        with SmtpSession(timeout=REQUEST_TIMEOUT) as session:
            session.send(message)
    except (smtplib.SMTPException, OSError) as error:
        log.warning("email to %s not sent now (%s): queued in the outbox", message["To"], error)
        _queue(message, template, error)


def _queue(message: EmailMessage, template: str, error: Exception) -> None:
    """The message in the outbox, committed on its own connection (the request's transaction,
    if any, has committed already or is none of its business)."""
    from ideas.extensions import db
    from ideas.notifications.models import OutboxEmail
    from ideas.utils import utcnow

    domain = message["From"].addresses[0].domain if message["From"] else None
    with db.engine.begin() as connection:
        connection.execute(db.insert(OutboxEmail).values(
            user_id=None, recipient=message["To"], kind=f"account:{template}"[:60],
            subject=message["Subject"], text=message.get_body(("plain",)).get_content(),
            html=message.get_body(("html",)).get_content(),
            headers=json.dumps({"Message-ID": make_msgid(domain=domain)}),
            dedup_key=f"account:{uuid.uuid4().hex}", next_attempt_at=utcnow(),
            last_error=f"{type(error).__name__}: {error}"[:2000]))
