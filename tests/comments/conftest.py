"""Fixtures for the comment tests: an idea in the open and in the private community, their
authors."""

import pytest

from tests.factories import IdeaFactory, MembershipFactory, UserFactory


@pytest.fixture
def idea(open_community):
    return IdeaFactory(community=open_community, title="Moins d'impressions papier",
                       author=UserFactory(display_name="Autrice de l'idée"))


@pytest.fixture
def other_agent(db):
    return UserFactory(display_name="Autre Agent")


@pytest.fixture
def private_idea(private_community):
    author = UserFactory(display_name="Membre privé")
    MembershipFactory(user=author, community=private_community)
    return IdeaFactory(community=private_community, author=author,
                       title="Une idée réservée aux membres")
