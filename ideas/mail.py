"""Sending email through SMTP (a real server, also in tests); the log stands in when none is set."""

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


def send(message: EmailMessage) -> None:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        log.warning("MAIL_SERVER not set; email not sent:\n%s", message)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def send_email(to: str, subject: str, template: str, **context) -> None:
    send(build_message(to, subject, template, **context))
