"""The outbox: emails wait in the database and leave through `notifications send`. A refusing
SMTP server (451) makes them wait with a growing delay, then each arrives exactly once; a claimed
row is sent by one sender only; a sender that died mid-send is taken over after its lease; a
permanent refusal or too many attempts mark the row failed, in the log."""

import logging
import smtplib
from datetime import timedelta

from ideas.comments.services import post_comment
from ideas.extensions import db
from ideas.notifications import dispatch, outbox
from ideas.notifications.models import OutboxEmail, OutboxStatus
from ideas.utils import utcnow
from tests.factories import UserFactory
from tests.helpers import count


def _three_emails(idea):
    """Three immediate notifications for the idea's author, written into the outbox."""
    for n in range(3):
        post_comment(UserFactory(display_name=f"Agent {n}"), idea, f"Avis numéro {n}.")
    db.session.commit()
    assert dispatch.build_immediate() == 3


def _rows() -> list[OutboxEmail]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(OutboxEmail).order_by(OutboxEmail.id)))


def test_a_web_request_never_talks_to_smtp(make_client, idea, author, smtp):
    client = make_client(UserFactory())
    client.post(f"/idees/{idea.id}/commentaires", {"body": "Posté depuis le site."})
    assert smtp.messages == [] and count(OutboxEmail) == 0


def test_refused_then_accepted_each_message_arrives_exactly_once(idea, author,
                                                                   refusing_smtp, caplog):
    mailbox = refusing_smtp(2)
    _three_emails(idea)
    now = utcnow()
    first = outbox.deliver_due(now)
    assert (first.sent, first.retried, first.failed) == (1, 2, 0)
    rows = _rows()
    assert [r.status for r in rows] == [OutboxStatus.PENDING, OutboxStatus.PENDING,
                                        OutboxStatus.SENT]
    assert all("451" in r.last_error and r.attempts == 1 for r in rows[:2])
    assert all(r.next_attempt_at >= now + timedelta(seconds=60) for r in rows[:2])
    assert "refused (attempt 1)" in caplog.text

    # Not due yet: nothing is sent again.
    assert outbox.deliver_due(now + timedelta(seconds=30)).sent == 0
    second = outbox.deliver_due(now + timedelta(minutes=2))
    assert (second.sent, second.retried) == (2, 0)
    assert outbox.deliver_due(now + timedelta(days=1)).sent == 0

    bodies = sorted(m.get_body(("plain",)).get_content() for m in mailbox.messages)
    assert len(bodies) == 3
    assert [sum(f"Avis numéro {n}." in b for b in bodies) for n in range(3)] == [1, 1, 1]
    assert all(m["To"] == author.email for m in mailbox.messages)
    assert len({m["Message-ID"] for m in mailbox.messages}) == 3
    assert {r.status for r in _rows()} == {OutboxStatus.SENT}


def test_the_delay_doubles_up_to_the_cap(app):
    with app.app_context():
        assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
        assert outbox.backoff(30) == timedelta(hours=6)


def test_too_many_attempts_mark_the_email_failed_and_logged(app, idea, refusing_smtp, caplog):
    refusing_smtp(100)
    app.config["EMAIL_MAX_ATTEMPTS"] = 3
    try:
        post_comment(UserFactory(), idea, "Un avis.")
        db.session.commit()
        dispatch.build_immediate()
        moment = utcnow()
        for _attempt in range(3):
            moment += timedelta(days=1)
            outbox.deliver_due(moment)
    finally:
        app.config["EMAIL_MAX_ATTEMPTS"] = 8
    [row] = _rows()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 3)
    with caplog.at_level(logging.ERROR):
        assert "failed for good after 3 attempt(s)" in caplog.text
    assert outbox.deliver_due(moment + timedelta(days=10)).sent == 0


def test_a_permanent_refusal_fails_at_once(idea, refusing_smtp, app):
    from tests.notifications.conftest import RefusingMailbox

    mailbox = refusing_smtp(0)

    async def refuse(server, session, envelope):
        return "550 5.1.1 No such mailbox"

    mailbox.handle_DATA = refuse
    assert isinstance(mailbox, RefusingMailbox)
    post_comment(UserFactory(), idea, "Un avis.")
    db.session.commit()
    dispatch.build_immediate()
    report = outbox.deliver_due(utcnow())
    assert report.failed == 1
    assert _rows()[0].status == OutboxStatus.FAILED and "550" in _rows()[0].last_error


def test_an_unreachable_server_is_retried(app, idea):
    from tests.conftest import free_port

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nobody listens
    try:
        post_comment(UserFactory(), idea, "Un avis.")
        db.session.commit()
        dispatch.build_immediate()
        report = outbox.deliver_due(utcnow())
    finally:
        app.config.update(MAIL_SERVER=None)
    assert report.retried == 1
    assert _rows()[0].status == OutboxStatus.PENDING


def test_a_claimed_row_is_not_claimed_twice(idea, smtp):
    post_comment(UserFactory(), idea, "Un avis.")
    db.session.commit()
    dispatch.build_immediate()
    [row] = _rows()
    now = utcnow()
    assert outbox.claim(row.id, now) is True
    # Another sender, at the same moment, gets nothing to do.
    assert outbox.claim(row.id, now) is False
    assert outbox.deliver_due(now).sent == 0
    assert smtp.messages == []


def test_a_sender_that_died_mid_send_is_taken_over_after_its_lease(idea, smtp):
    post_comment(UserFactory(), idea, "Un avis.")
    db.session.commit()
    dispatch.build_immediate()
    [row] = _rows()
    now = utcnow()
    assert outbox.claim(row.id, now)  # … and the process was killed before sending
    assert outbox.deliver_due(now + timedelta(minutes=5)).sent == 0  # lease still running
    assert outbox.deliver_due(now + timedelta(minutes=11)).sent == 1
    assert len(smtp.messages) == 1
    assert _rows()[0].attempts == 2


def test_the_same_notification_is_never_written_twice(idea, smtp):
    post_comment(UserFactory(), idea, "Un avis.")
    db.session.commit()
    assert dispatch.build_immediate() == 1
    assert dispatch.build_immediate() == 0
    assert count(OutboxEmail) == 1


def test_a_mail_server_disconnect_opens_a_new_connection(app, idea, smtp, monkeypatch):
    """smtplib raising mid-batch must not doom the rest of the batch."""
    _three_emails(idea)
    original = smtplib.SMTP.send_message
    calls = {"n": 0}

    def flaky(self, message, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            self.close()
            raise smtplib.SMTPServerDisconnected("connection lost")
        return original(self, message, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "send_message", flaky)
    report = outbox.deliver_due(utcnow())
    assert (report.sent, report.retried) == (2, 1)
    assert len(smtp.messages) == 2
