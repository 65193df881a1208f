"""Follow routes over HTTP (htmx fragment and plain form post), the community page button, and
the "Mes suivis" page, whose query count does not grow with the number of follows."""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from ideas.extensions import db
from ideas.follows import services
from ideas.follows.models import CommunityFollow, IdeaFollow
from tests.factories import CommunityFactory, IdeaFactory, MembershipFactory, UserFactory
from tests.helpers import count, location, redirects_to_login, text


@pytest.fixture
def idea(open_community):
    return IdeaFactory(community=open_community)


def stored_followers(idea) -> int:
    db.session.expire(idea)
    return idea.follower_count


def pressed(response) -> str:
    return re.search(r'aria-pressed="(true|false)"', text(response)).group(1)


# -- Ideas


def test_htmx_follow_returns_the_component_with_the_new_count(idea, agent, make_client):
    response = make_client(agent).post(f"/idees/{idea.id}/suivre", htmx=True)
    assert response.status_code == 200
    body = text(response)
    assert "<html" not in body
    assert pressed(response) == "true"
    assert "1 personne suit cette idée" in body
    assert f'hx-post="/idees/{idea.id}/ne-plus-suivre"' in body
    assert f'hx-swap-oob="innerHTML:#suivi-{idea.id}-annonce">Vous suivez cette idée.' in body
    assert stored_followers(idea) == 1


def test_htmx_unfollow_and_replays(idea, agent, make_client):
    client = make_client(agent)
    client.post(f"/idees/{idea.id}/suivre", htmx=True)
    client.post(f"/idees/{idea.id}/suivre", htmx=True)  # replayed: still one follow
    assert stored_followers(idea) == 1
    response = client.post(f"/idees/{idea.id}/ne-plus-suivre", htmx=True)
    assert pressed(response) == "false"
    assert "0 personne suit cette idée" in text(response)
    response = client.post(f"/idees/{idea.id}/ne-plus-suivre", htmx=True)
    assert "Vous ne suiviez pas cette idée." in text(response)
    assert count(IdeaFollow, idea_id=idea.id) == 0
    assert stored_followers(idea) == 0


def test_plain_post_follows_and_returns_to_the_button(idea, agent, make_client):
    client = make_client(agent)
    response = client.post(f"/idees/{idea.id}/suivre")
    assert location(response) == f"/idees/{idea.id}#suivi-{idea.id}"
    response = client.post(f"/idees/{idea.id}/ne-plus-suivre", {"next": "/profil/suivis"})
    assert location(response) == f"/profil/suivis#suivi-{idea.id}"
    assert stored_followers(idea) == 0


def test_a_private_idea_is_not_found_for_non_members(private_community, agent, make_client):
    idea = IdeaFactory(community=private_community)
    client = make_client(agent)
    assert client.post(f"/idees/{idea.id}/suivre").status_code == 404
    assert client.post(f"/idees/{idea.id}/suivre", htmx=True).status_code == 404
    assert stored_followers(idea) == 0


def test_forged_ids_and_get_requests(idea, agent, make_client):
    client = make_client(agent)
    assert client.post("/idees/999999/suivre").status_code == 404
    assert client.post("/idees/999999/ne-plus-suivre").status_code == 404
    assert client.get(f"/idees/{idea.id}/suivre").status_code == 405
    assert client.get(f"/idees/{idea.id}/ne-plus-suivre").status_code == 405
    assert stored_followers(idea) == 0


def test_anonymous_visitors_are_sent_to_login(idea, open_community, client):
    assert redirects_to_login(client.post(f"/idees/{idea.id}/suivre"))
    assert redirects_to_login(client.post(f"/communautes/{open_community.slug}/suivre"))
    assert redirects_to_login(client.get("/profil/suivis"))


# -- Communities


def test_the_community_page_has_a_follow_button(open_community, agent, make_client):
    client = make_client(agent)
    page = text(client.get(f"/communautes/{open_community.slug}"))
    assert "Suivre la communauté" in page
    assert f'action="/communautes/{open_community.slug}/suivre"' in page
    assert 'aria-pressed="false"' in page
    services.follow_community(agent, open_community)
    db.session.commit()
    page = text(client.get(f"/communautes/{open_community.slug}"))
    assert f'action="/communautes/{open_community.slug}/ne-plus-suivre"' in page


def test_htmx_follow_community(open_community, agent, make_client):
    client = make_client(agent)
    response = client.post(f"/communautes/{open_community.slug}/suivre", htmx=True)
    assert response.status_code == 200
    assert pressed(response) == "true"
    assert "Vous suivez cette communauté." in text(response)
    assert count(CommunityFollow, user_id=agent.id) == 1
    response = client.post(f"/communautes/{open_community.slug}/ne-plus-suivre", htmx=True)
    assert pressed(response) == "false"
    assert count(CommunityFollow, user_id=agent.id) == 0


def test_plain_post_follow_community(open_community, agent, make_client):
    response = make_client(agent).post(f"/communautes/{open_community.slug}/suivre")
    assert location(response) == (
        f"/communautes/{open_community.slug}#suivi-communaute-{open_community.id}")
    assert count(CommunityFollow, user_id=agent.id) == 1


def test_a_private_community_is_followed_by_members_only(private_community, agent,
                                                        make_client):
    client = make_client(agent)
    page = text(client.get(f"/communautes/{private_community.slug}"))
    assert "Suivre la communauté" not in page
    response = client.post(f"/communautes/{private_community.slug}/suivre", htmx=True)
    assert response.status_code == 403
    assert "Seuls les membres" in text(response)
    assert count(CommunityFollow) == 0


def test_unknown_community_and_get(open_community, agent, make_client):
    client = make_client(agent)
    assert client.post("/communautes/n-existe-pas/suivre").status_code == 404
    assert client.get(f"/communautes/{open_community.slug}/suivre").status_code == 405


# -- "Mes suivis"


def test_the_profile_links_to_the_followed_lists(agent, make_client):
    assert 'href="/profil/suivis"' in text(make_client(agent).get("/profil"))


def test_my_follows_page_lists_ideas_and_communities(open_community, private_community,
                                                      agent, make_client):
    followed = IdeaFactory(community=open_community, title="Covoiturage entre ateliers")
    IdeaFactory(community=open_community, title="Idée que je ne suis pas")
    secret = IdeaFactory(community=private_community, title="Idée d'un cercle fermé")
    membership = MembershipFactory(user=agent, community=private_community)
    for idea in (followed, secret):
        services.follow_idea(agent, idea)
    services.follow_community(agent, open_community)
    db.session.commit()
    db.session.delete(membership)  # left the private community: its idea is no longer shown
    db.session.commit()
    page = text(make_client(agent).get("/profil/suivis"))
    assert "Covoiturage entre ateliers" in page
    assert "Idée que je ne suis pas" not in page
    assert "Idée d'un cercle fermé" not in page
    assert open_community.name in page
    assert f'action="/idees/{followed.id}/ne-plus-suivre"' in page
    assert f'action="/communautes/{open_community.slug}/ne-plus-suivre"' in page


def test_my_follows_page_when_empty(agent, make_client):
    page = text(make_client(agent).get("/profil/suivis"))
    assert "Vous ne suivez aucune idée pour l'instant." in page
    assert "Vous ne suivez aucune communauté pour l'instant." in page


@contextmanager
def counted_queries():
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _follow_many(user, number: int) -> None:
    for _ in range(number):
        community = CommunityFactory()
        services.follow_community(user, community)
        services.follow_idea(user, IdeaFactory(community=community, author=UserFactory()))
    db.session.commit()


def test_my_follows_page_queries_do_not_grow_with_follows(agent, make_client):
    client = make_client(agent)
    _follow_many(agent, 2)
    with counted_queries() as few:
        assert client.get("/profil/suivis").status_code == 200
    _follow_many(agent, 10)
    with counted_queries() as many:
        page = client.get("/profil/suivis")
    assert text(page).count("Suivre l'idée") == 12
    assert len(many) == len(few)
