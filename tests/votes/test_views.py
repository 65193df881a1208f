"""Support routes over HTTP: the htmx fragment, the plain form post, and every refusal leaving
the count as it was."""

import re

import pytest
from flask import render_template
from flask_login import login_user

from ideas.communities.permissions import forget_memberships
from ideas.extensions import db
from ideas.ideation.models import IdeaStatus
from ideas.votes.models import Vote
from tests.factories import IdeaFactory, MembershipFactory
from tests.helpers import count, location, redirects_to_login, text


@pytest.fixture
def idea(open_community):
    return IdeaFactory(community=open_community)


def support_url(idea) -> str:
    return f"/idees/{idea.id}/soutenir"


def unsupport_url(idea) -> str:
    return f"/idees/{idea.id}/retirer-soutien"


def stored_count(idea) -> int:
    db.session.expire(idea)
    return idea.vote_count


def pressed(response) -> str:
    return re.search(r'aria-pressed="(true|false)"', text(response)).group(1)


def test_htmx_support_returns_the_component_with_the_new_count(idea, agent, make_client):
    client = make_client(agent)
    response = client.post(support_url(idea), htmx=True)
    assert response.status_code == 200
    body = text(response)
    assert f'id="soutien-{idea.id}"' in body
    assert "<html" not in body  # a fragment, not a page
    assert pressed(response) == "true"
    assert "1 soutien · dont le vôtre" in body
    # The next click withdraws, and screen readers hear what happened in the page's live region.
    assert f'hx-post="/idees/{idea.id}/retirer-soutien"' in body
    announce = f'hx-swap-oob="innerHTML:#soutien-{idea.id}-annonce">'
    assert f"{announce}Vous soutenez cette idée. 1 soutien" in body
    assert "HX-Request" in response.headers["Vary"]
    assert stored_count(idea) == 1


def test_htmx_unsupport_returns_the_component_unpressed(idea, agent, make_client):
    client = make_client(agent)
    client.post(support_url(idea), htmx=True)
    response = client.post(unsupport_url(idea), htmx=True)
    assert response.status_code == 200
    assert pressed(response) == "false"
    assert "0 soutien" in text(response)
    assert "Votre soutien est retiré. 0 soutien" in text(response)
    assert f'hx-post="/idees/{idea.id}/soutenir"' in text(response)
    assert count(Vote, idea_id=idea.id) == 0
    assert stored_count(idea) == 0


def test_plain_post_supports_and_returns_to_the_page_at_the_button(idea, agent, make_client):
    client = make_client(agent)
    response = client.post(support_url(idea), {"next": "/communautes/sobriete-numerique"})
    assert response.status_code == 302
    assert location(response) == f"/communautes/sobriete-numerique#soutien-{idea.id}"
    assert stored_count(idea) == 1
    response = client.post(unsupport_url(idea))
    assert location(response) == f"/idees/{idea.id}#soutien-{idea.id}"
    assert stored_count(idea) == 0


def test_plain_post_never_redirects_off_site(idea, agent, make_client):
    response = make_client(agent).post(support_url(idea), {"next": "//evil.example/"})
    assert location(response).startswith("/#")


def test_the_htmx_component_keeps_the_page_to_return_to(idea, agent, make_client):
    response = make_client(agent).post(support_url(idea), {"next": "/idees?tri=soutiens"},
                                       htmx=True)
    assert 'name="next" value="/idees?tri=soutiens"' in text(response)


@pytest.mark.parametrize("htmx", [False, True])
def test_supporting_twice_counts_once(idea, agent, make_client, htmx):
    client = make_client(agent)
    client.post(support_url(idea), htmx=htmx)
    response = client.post(support_url(idea), htmx=htmx)  # replayed request, second tab
    assert response.status_code in (200, 302)
    if htmx:
        assert pressed(response) == "true"
        assert "Vous soutenez déjà cette idée." in text(response)
    assert count(Vote, idea_id=idea.id) == 1
    assert stored_count(idea) == 1


def test_the_author_cannot_support_their_own_idea(idea, make_client):
    client = make_client(idea.author)
    response = client.post(support_url(idea))
    assert response.status_code == 403
    assert "Vous ne pouvez pas soutenir votre propre idée." in text(response)
    response = client.post(support_url(idea), htmx=True)
    assert response.status_code == 403
    # htmx: the error lands in the page's alert region, the button stays as it was.
    assert response.headers["HX-Retarget"] == "#htmx-alerts"
    assert "votre propre idée" in text(response)
    assert count(Vote, idea_id=idea.id) == 0
    assert stored_count(idea) == 0


def test_a_withdrawn_idea_takes_no_support(open_community, agent, make_client):
    idea = IdeaFactory(community=open_community, status=IdeaStatus.WITHDRAWN)
    response = make_client(agent).post(support_url(idea), htmx=True)
    assert response.status_code == 403
    assert "retirée" in text(response)
    assert stored_count(idea) == 0


def test_a_withdrawn_idea_keeps_its_supports(open_community, agent, make_client):
    idea = IdeaFactory(community=open_community)
    client = make_client(agent)
    client.post(support_url(idea))
    idea.status = IdeaStatus.WITHDRAWN
    db.session.commit()
    assert client.post(unsupport_url(idea)).status_code == 403
    assert count(Vote, idea_id=idea.id) == 1
    assert stored_count(idea) == 1


def test_a_private_idea_is_not_found_for_non_members(private_community, agent, make_client):
    idea = IdeaFactory(community=private_community)
    client = make_client(agent)
    assert client.post(support_url(idea)).status_code == 404
    assert client.post(support_url(idea), htmx=True).status_code == 404
    assert stored_count(idea) == 0


def test_management_reads_private_ideas_but_members_support_them(private_community, manager,
                                                                  agent, make_client):
    idea = IdeaFactory(community=private_community)
    response = make_client(manager).post(support_url(idea))
    assert response.status_code == 403
    assert "Seuls les membres" in text(response)
    MembershipFactory(user=agent, community=private_community)
    assert make_client(agent).post(support_url(idea)).status_code == 302
    assert stored_count(idea) == 1


def test_a_forged_idea_id_is_not_found(agent, make_client):
    client = make_client(agent)
    assert client.post("/idees/999999/soutenir").status_code == 404
    assert client.post("/idees/999999/retirer-soutien", htmx=True).status_code == 404
    assert client.post("/idees/abc/soutenir").status_code == 404


def test_get_on_a_support_route_is_not_allowed(idea, agent, make_client):
    client = make_client(agent)
    assert client.get(support_url(idea)).status_code == 405
    assert client.get(unsupport_url(idea)).status_code == 405
    assert stored_count(idea) == 0


def test_a_post_without_csrf_token_changes_nothing(idea, agent, make_client):
    response = make_client(agent).post(support_url(idea), csrf=False)
    assert response.status_code == 400
    assert stored_count(idea) == 0


def test_anonymous_visitors_are_sent_to_login(idea, client):
    assert redirects_to_login(client.post(support_url(idea)))
    assert stored_count(idea) == 0


# -- The component as pages include it


def render_component(app, user, idea, voted=False) -> str:
    with app.test_request_context(f"/idees/{idea.id}"):
        forget_memberships()
        login_user(user)
        return render_template("votes/_support.html", idea=idea, voted=voted)


def test_the_component_as_included_by_a_page(app, idea, agent):
    html = render_component(app, agent, idea)
    assert 'aria-pressed="false"' in html
    assert 'name="next" value="/idees/' in html
    assert f'id="soutien-{idea.id}-annonce" class="fr-sr-only" role="status"' in html
    assert "hx-swap-oob" not in html


def test_the_author_sees_the_count_and_why_there_is_no_button(app, idea):
    html = render_component(app, idea.author, idea)
    assert "<button" not in html
    assert "0 soutien" in html
    assert "Vous ne pouvez pas soutenir votre propre idée." in html


def test_a_closed_idea_shows_the_count_and_the_reason(app, open_community, agent):
    idea = IdeaFactory(community=open_community, status=IdeaStatus.MERGED, vote_count=3)
    html = render_component(app, agent, idea)
    assert "<button" not in html
    assert "3 soutiens" in html
    assert "fusionnée" in html
