"""Moderation fixtures: an idea in the open community with a comment on it, their authors, a
reporter, and a facilitator of another community."""

import pytest

from ideas.comments.services import post_comment
from ideas.extensions import db as _db
from tests.factories import CommunityFactory, IdeaFactory, MembershipFactory, UserFactory


@pytest.fixture
def author(db):
    return UserFactory(display_name="Autrice de l'idée")


@pytest.fixture
def commenter(db):
    return UserFactory(display_name="Auteur du commentaire")


@pytest.fixture
def reporter(db):
    return UserFactory(display_name="Agent vigilant")


@pytest.fixture
def idea(open_community, author):
    return IdeaFactory(community=open_community, author=author,
                       title="Covoiturage entre ateliers", body="Partager les trajets.",
                       body_html="<p>Partager les trajets.</p>")


@pytest.fixture
def comment(idea, commenter):
    comment = post_comment(commenter, idea, "Un commentaire hors de propos sur les trajets")
    _db.session.commit()
    return comment


@pytest.fixture
def other_community(db):
    return CommunityFactory(name="Autre communauté")


@pytest.fixture
def other_facilitator(other_community):
    """Facilitates another community only."""
    user = UserFactory(display_name="Animateur d'ailleurs")
    MembershipFactory(user=user, community=other_community, role="facilitator")
    return user


def reporters(n: int) -> list:
    return [UserFactory(display_name=f"Signaleur {i}") for i in range(n)]
