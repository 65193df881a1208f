"""Sending email through SMTP (a real server, also in tests); the log stands in when none is set.

The one place that talks SMTP: account emails call `send_email`; the notification outbox sends
its batches through one `SmtpSession`."""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app, render_template

log = logging.getLogger(__name__)


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

    def __init__(self):
        self.config = current_app.config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10)
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
    send(build_message(to, subject, template, **context))
