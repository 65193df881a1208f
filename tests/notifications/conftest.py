"""Fixtures for the notification tests: an idea with its author (who follows it, as after
posting), a follower, and an SMTP server that refuses the first messages it is given."""

import pytest

from ideas.extensions import db
from ideas.follows.services import follow_idea
from ideas.notifications.models import Notification
from tests.conftest import Mailbox, free_port
from tests.factories import IdeaFactory, MembershipFactory, UserFactory


@pytest.fixture
def author(db, open_community):
    user = UserFactory(display_name="Claire Autrice")
    MembershipFactory(user=user, community=open_community)
    return user


@pytest.fixture
def idea(author, open_community):
    idea = IdeaFactory(community=open_community, author=author,
                       title="Éteindre les écrans la nuit")
    follow_idea(author, idea)
    db.session.commit()
    return idea


@pytest.fixture
def follower(idea):
    user = UserFactory(display_name="Paul Suiveur")
    follow_idea(user, idea)
    db.session.commit()
    return user


@pytest.fixture
def private_idea(private_community):
    author = UserFactory(display_name="Membre Privée")
    MembershipFactory(user=author, community=private_community)
    idea = IdeaFactory(community=private_community, author=author,
                       title="Une idée réservée aux membres")
    follow_idea(author, idea)
    db.session.commit()
    return idea


def notifications_of(user) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Notification).filter_by(user_id=user.id)
                                   .order_by(Notification.id)))


def kinds_of(user) -> list[str]:
    return [str(n.kind) for n in notifications_of(user)]


class RefusingMailbox(Mailbox):
    """Says "451 try again" to the first `refusals` messages, then accepts."""

    def __init__(self, refusals: int):
        super().__init__()
        self.refusals = refusals
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.refusals:
            self.refused += 1
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def refusing_smtp(app):
    """`refusing_smtp(n)` starts a server refusing the first n messages."""
    from aiosmtpd.controller import Controller

    controllers = []

    def start(refusals: int) -> RefusingMailbox:
        mailbox = RefusingMailbox(refusals)
        port = free_port()
        controller = Controller(mailbox, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        return mailbox

    yield start
    for controller in controllers:
        controller.stop()
    app.config.update(MAIL_SERVER=None)
