"""R14: the SMTP server down, or answering nothing, never fails nor holds a request, and never
loses an email: notifications wait in the outbox (web requests do not talk to SMTP), account
emails (password reset) are tried for at most a few seconds then queued there too; when the
server is back, `notifications send` delivers each exactly once. Real SMTP (aiosmtpd) on
loopback, real sockets for the failures."""

import socket
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from ideas import mail
from ideas.extensions import db
from ideas.notifications import dispatch, outbox
from ideas.notifications.models import Notification, OutboxEmail, OutboxStatus
from ideas.utils import utcnow
from tests import factories
from tests.conftest import Mailbox, free_port
from tests.helpers import count, location


@pytest.fixture
def smtp_port(app):
    """A port where the SMTP server will be, nobody listening yet."""
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield port
    app.config.update(MAIL_SERVER=None)


def start_smtp(port: int) -> tuple[Controller, Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, mailbox


def deliver_later(minutes: int = 10):
    db.session.expire_all()
    return outbox.deliver_due(utcnow() + timedelta(minutes=minutes))


@pytest.mark.checklist("R14")
def test_a_comment_while_smtp_is_down_is_saved_and_its_email_arrives_later(
        make_client, open_community, smtp_port):
    author = factories.UserFactory(display_name="Autrice de l'idée")
    idea = factories.IdeaFactory(community=open_community, author=author)
    from ideas.follows.services import follow_idea

    follow_idea(author, idea)
    db.session.commit()
    client = make_client(factories.UserFactory(display_name="Commentatrice"))
    started = time.monotonic()
    response = client.post(f"/idees/{idea.id}/commentaires", {"body": "Bonne idée !"})
    assert response.status_code == 302 and time.monotonic() - started < 2
    assert count(Notification, user_id=author.id) == 1

    assert dispatch.build_immediate() == 1
    report = outbox.deliver_due()  # SMTP down: connection refused
    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    assert db.session.scalar(db.select(OutboxEmail.status)) == OutboxStatus.PENDING

    controller, mailbox = start_smtp(smtp_port)
    try:
        assert deliver_later().sent == 1
        assert deliver_later(60).sent == 0  # once only
    finally:
        controller.stop()
    assert [m["To"] for m in mailbox.messages] == [author.email]
    assert "Bonne idée !" in mailbox.last_text()


@pytest.mark.checklist("R14")
def test_a_password_reset_while_smtp_is_down_is_queued_not_a_500(client, agent, smtp_port):
    started = time.monotonic()
    response = client.post("/mot-de-passe/oubli", {"email": agent.email})
    assert response.status_code == 302 and location(response).startswith("/connexion")
    assert time.monotonic() - started < 2  # refused at once: no wait
    row = db.session.scalar(db.select(OutboxEmail))
    assert row.recipient == agent.email and row.kind == "account:reset_password"
    assert "ConnectionRefusedError" in row.last_error

    controller, mailbox = start_smtp(smtp_port)
    try:
        assert deliver_later().sent == 1
    finally:
        controller.stop()
    assert mailbox.messages[0]["To"] == agent.email
    assert "/mot-de-passe/reinitialiser/" in mailbox.last_text()


@pytest.mark.checklist("R14")
def test_an_smtp_server_that_answers_nothing_holds_a_request_a_few_seconds_at_most(
        app, client, agent):
    """A server that accepts connections and never greets (hung, or a firewall black hole)."""
    silent = socket.create_server(("127.0.0.1", 0))  # listens, never accepts nor speaks
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=silent.getsockname()[1])
    try:
        started = time.monotonic()
        response = client.post("/mot-de-passe/oubli", {"email": agent.email})
        elapsed = time.monotonic() - started
    finally:
        app.config.update(MAIL_SERVER=None)
        silent.close()
    assert response.status_code == 302
    assert mail.REQUEST_TIMEOUT <= elapsed < mail.REQUEST_TIMEOUT + 2
    assert count(OutboxEmail, recipient=agent.email) == 1
