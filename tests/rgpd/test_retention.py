"""The retention job (SECURITY-CHECKLIST item 52; RGPD art. 5.1.e): what is past its configured
period goes, what is not stays, a second run does nothing, a period of 0 keeps everything; the
command shows each step and a summary."""

from datetime import timedelta

import pytest
from sqlalchemy import inspect

from ideas.accounts.models import Invitation, User
from ideas.extensions import db
from ideas.moderation.models import ActionKind, ModerationAction, Report, ReportReason, Suspension
from ideas.notifications.kinds import Frequency, Kind
from ideas.notifications.models import EmailStatus, Notification, OutboxEmail, OutboxStatus
from ideas.privacy import retention
from ideas.utils import utcnow
from tests.factories import IdeaFactory, UserFactory
from tests.helpers import count

pytestmark = pytest.mark.checklist(52, asvs="8.3.8")

NOW = utcnow()


def days_ago(days: int):
    return NOW - timedelta(days=days)


def _notification(user, created_days, read_days=None, email=EmailStatus.SKIPPED):
    row = Notification(user_id=user.id, kind=Kind.NEW_IDEA_IN_COMMUNITY,
                       created_at=days_ago(created_days),
                       read_at=days_ago(read_days) if read_days is not None else None,
                       email_frequency=Frequency.WEEKLY, email_status=email)
    db.session.add(row)
    return row


def _email(user, status, days, key):
    row = OutboxEmail(user_id=user.id, recipient=user.email, kind="mention", subject="s",
                      text="t", html="h", status=status, dedup_key=key,
                      created_at=days_ago(days),
                      sent_at=days_ago(days) if status == OutboxStatus.SENT else None)
    db.session.add(row)
    return row


def _invitation(email, created_days, accepted_days=None):
    row = Invitation(email=email, token_hash=email, created_at=days_ago(created_days),
                     expires_at=days_ago(created_days - 14),
                     accepted_at=days_ago(accepted_days) if accepted_days is not None else None)
    db.session.add(row)
    return row


@pytest.fixture
def aged(db, open_community):
    """For each kind of data, one row just past its default period and one just inside it."""
    agent = UserFactory(display_name="Agent Actif")
    idea = IdeaFactory(community=open_community)
    rows = {
        "old_invitation": _invitation("vieille@reseau-canope.fr", 60),  # expired 46 days ago
        "new_invitation": _invitation("recente@reseau-canope.fr", 20),  # expired 6 days ago
        "old_accepted": _invitation("acceptee@reseau-canope.fr", 100, accepted_days=95),
        "read_old": _notification(agent, 120, read_days=91),
        "read_recent": _notification(agent, 120, read_days=10),
        "unread_old": _notification(agent, 366),
        "unread_old_email_due": _notification(agent, 400, email=EmailStatus.PENDING),
        "unread_recent": _notification(agent, 300),
        "sent_old": _email(agent, OutboxStatus.SENT, 31, "a"),
        "failed_old": _email(agent, OutboxStatus.FAILED, 31, "b"),
        "sent_recent": _email(agent, OutboxStatus.SENT, 29, "c"),
        "pending_old": _email(agent, OutboxStatus.PENDING, 31, "d"),
        "log_old": ModerationAction(action=ActionKind.LOCK, idea_id=idea.id,
                                    created_at=days_ago(1826)),
        "log_recent": ModerationAction(action=ActionKind.LOCK, idea_id=idea.id,
                                       created_at=days_ago(1000)),
        "report_old": Report(item_key="i1", idea_id=idea.id, community_id=open_community.id,
                             reporter_id=agent.id, reason=ReportReason.SPAM,
                             created_at=days_ago(2000), resolved_at=days_ago(1900)),
        "report_open": Report(item_key="i2", idea_id=idea.id, community_id=open_community.id,
                              reporter_id=None, reason=ReportReason.SPAM,
                              created_at=days_ago(2000)),
        "suspension_old": Suspension(user_id=agent.id, reason="r", created_at=days_ago(2000),
                                     ends_at=days_ago(1900)),
        "suspension_forever": Suspension(user_id=agent.id, reason="r",
                                         created_at=days_ago(2000)),
    }
    db.session.add_all(rows.values())
    rows["never_activated"] = UserFactory(password_hash=None, display_name="Importé Jamais",
                                          created_at=days_ago(181))
    rows["recently_invited"] = UserFactory(password_hash=None, created_at=days_ago(30))
    rows["agent"] = agent
    IdeaFactory(community=open_community, author=rows["never_activated"],
                title="Une idée importée")
    db.session.commit()
    return rows


def _exists(row) -> bool:
    # The identity, not `row.id`: reading an attribute of a deleted row raises.
    return db.session.get(type(row), inspect(row).identity) is not None


GONE = ("old_invitation", "old_accepted", "read_old", "unread_old", "sent_old", "failed_old",
        "log_old", "report_old", "suspension_old")
KEPT = ("new_invitation", "read_recent", "unread_old_email_due", "unread_recent",
        "sent_recent", "pending_old", "log_recent", "report_open", "suspension_forever")


def test_what_is_past_its_period_goes_and_the_rest_stays(aged):
    outcomes = list(retention.run(NOW, commit=db.session.commit))
    db.session.expire_all()
    assert [name for name in GONE if _exists(aged[name])] == []
    assert [name for name in KEPT if not _exists(aged[name])] == []
    never = db.session.get(User, aged["never_activated"].id)
    assert never.is_erased and never.display_name == "Agent supprimé"
    assert count(User, id=never.id) == 1  # anonymised, not deleted: its idea keeps an author
    assert not db.session.get(User, aged["recently_invited"].id).is_erased
    assert not db.session.get(User, aged["agent"].id).is_erased
    assert sum(outcome.count for outcome in outcomes) == len(GONE) + 1


def test_a_second_run_purges_nothing(aged):
    list(retention.run(NOW, commit=db.session.commit))
    assert sum(outcome.count for outcome in retention.run(NOW, commit=db.session.commit)) == 0


def test_a_dry_run_counts_and_deletes_nothing(aged):
    due = sum(outcome.count for outcome in retention.run(NOW, dry_run=True))
    assert due == len(GONE) + 1
    db.session.expire_all()
    assert all(_exists(aged[name]) for name in GONE)


def test_periods_come_from_the_configuration_and_zero_keeps(app, aged):
    saved = dict(app.config)
    app.config.update(RETENTION_MODERATION_LOG_DAYS=0, RETENTION_READ_NOTIFICATION_DAYS=5)
    try:
        list(retention.run(NOW, commit=db.session.commit))
    finally:
        app.config.update(saved)
    db.session.expire_all()
    assert _exists(aged["log_old"]) and _exists(aged["report_old"])
    assert not _exists(aged["read_recent"])  # read 10 days ago, past 5 days


def test_the_command_shows_each_step_and_a_summary(app, aged):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "run", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Notifications lues" in dry.output and "due" in dry.output
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert f"Retention: {len(GONE) + 1} row(s) purged." in result.output
    assert "Journal de modération" in result.output and "1825 d" in result.output
    again = runner.invoke(args=["retention", "run"])
    assert "Retention: nothing past its period." in again.output
