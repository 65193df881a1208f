"""Community pages through HTTP: list and filters (page and htmx fragment), pagination,
private communities, join requests, facilitators' powers, create/edit refusals."""

import re

import pytest

from ideas.communities.models import Community, Membership, MembershipStatus
from ideas.reference.models import Territory, Theme
from ideas.utils import utcnow
from tests.communities.test_services import assert_count_exact
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.helpers import count, location, redirects_to_login, text

HTMX = {"HX-Request": "true"}


@pytest.fixture
def catalogue(db):
    """Three communities told apart by theme, territory, access and words."""
    themes = db.session.scalars(db.select(Theme).order_by(Theme.position).limit(2)).all()
    territories = db.session.scalars(db.select(Territory).order_by(Territory.id).limit(2)).all()
    return {
        "energy": CommunityFactory(name="Énergie au siège", themes=[themes[0]],
                                   territory=territories[0]),
        "reuse": CommunityFactory(name="Réemploi des ateliers", themes=[themes[1]],
                                  territory=territories[1], is_private=True),
        "wellbeing": CommunityFactory(name="Qualité de vie",
                                      description="Le bien-être au travail, 100 % partagé."),
        "themes": themes, "territories": territories,
    }


def _card(name: str) -> str:
    """A community's card title, not just its name (theme options share some words)."""
    return f">{name}</a></h3>"


def _names(response, catalogue) -> set[str]:
    page = text(response)
    return {key for key in ("energy", "reuse", "wellbeing") if _card(catalogue[key].name) in page}


# -- List and filters

def test_list_filters_as_page_and_as_htmx_fragment(client, agent, catalogue):
    client.login(agent)
    theme, territory = catalogue["themes"][0].id, catalogue["territories"][1].id
    cases = [
        ("", {"energy", "reuse", "wellbeing"}),
        (f"theme={theme}", {"energy"}),
        (f"territory={territory}", {"reuse"}),
        ("visibility=private", {"reuse"}),
        ("visibility=open", {"energy", "wellbeing"}),
        ("q=BIEN-ÊTRE", {"wellbeing"}),
        ("q=énergie", {"energy"}),  # accented capitals fold on SQLite too
        ("q=100 %25", {"wellbeing"}),
        ("q=%25", {"wellbeing"}),  # a typed LIKE wildcard matches itself, not everything
        ("q=_", set()),
        ("visibility=&theme=abc&territory=-3", {"energy", "reuse", "wellbeing"}),
    ]
    for query, expected in cases:
        page = client.get(f"/communautes/?{query}")
        fragment = client.get(f"/communautes/?{query}", headers=HTMX)
        assert page.status_code == fragment.status_code == 200, query
        assert _names(page, catalogue) == _names(fragment, catalogue) == expected, query
        assert "<html" in page.text and "<html" not in fragment.text
        assert "HX-Request" in page.headers["Vary"] and "HX-Request" in fragment.headers["Vary"]
    refused = client.get("/communautes/?visibility=<script>")
    assert refused.status_code == 400 and "<script>" not in refused.text
    assert "Le paramètre « visibility » n'accepte pas cette valeur." in text(refused)


def test_private_community_card_is_listed_but_members_are_hidden(client, agent,
                                                                 private_community):
    client.login(agent)
    assert _card(private_community.name) in text(client.get("/communautes/"))
    page = client.get(f"/communautes/{private_community.slug}")
    assert page.status_code == 200
    assert "réservés à ses membres" in text(page)
    assert "Demander à rejoindre" in text(page)
    assert client.get(f"/communautes/{private_community.slug}/membres").status_code == 404


def test_archived_communities_are_listed_for_management_only(client, agent, manager):
    CommunityFactory(name="Ancienne communauté", archived_at=utcnow())
    client.login(agent)
    assert _card("Ancienne communauté") not in text(client.get("/communautes/?archived=1"))
    client.logout()
    client.login(manager)
    assert _card("Ancienne communauté") in text(client.get("/communautes/?archived=1"))


@pytest.mark.parametrize("page, shown", [("-1", 1), ("abc", 1), ("0", 1), ("2", 2),
                                         ("999999", 2), ("1e3", 1)])
def test_pagination_is_clamped(client, agent, page, shown):
    for n in range(25):
        CommunityFactory(name=f"Communauté {n:02d}")
    client.login(agent)
    response = client.get(f"/communautes/?page={page}")
    assert response.status_code == 200
    cards = text(response).count('class="fr-card ')
    assert cards == (20 if shown == 1 else 5)
    assert "25 communautés" in text(response)


def test_pagination_links_ignore_hostile_query_arguments(client, agent, open_community):
    for n in range(51):
        MembershipFactory(community=open_community,
                          user=UserFactory(display_name=f"Membre {n:02d}", password_hash="!"))
    for n in range(21):
        CommunityFactory(name=f"Communauté {n:02d}")
    client.login(agent)
    members = client.get(f"/communautes/{open_community.slug}/membres?slug=autre&page=2")
    assert members.status_code == 200
    assert f"/communautes/{open_community.slug}/membres?page=1" in members.text
    listing = client.get("/communautes/?_external=1&_scheme=javascript&_anchor=x&q=Commu")
    assert listing.status_code == 200
    assert 'href="/communautes/?q=Commu&amp;page=2"' in listing.text
    links = re.findall(r'href="([^"]*)"', listing.text)
    assert not [link for link in links if "javascript" in link or "#x" in link or
                link.startswith("http")]


def test_unknown_community_is_404(client, agent):
    client.login(agent)
    for url in ("/communautes/nexiste-pas", "/communautes/nexiste-pas/membres",
                "/communautes/../admin/agents"):
        assert client.get(url).status_code == 404
    assert client.post("/communautes/nexiste-pas/rejoindre").status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, open_community):
    assert redirects_to_login(client.get("/communautes/"))
    assert redirects_to_login(client.get(f"/communautes/{open_community.slug}"))
    assert redirects_to_login(client.post(f"/communautes/{open_community.slug}/rejoindre"))
    assert count(Membership) == 0


# -- Joining, leaving, requests

def test_join_and_leave_an_open_community(client, db, agent, open_community):
    client.login(agent)
    response = client.post(f"/communautes/{open_community.slug}/rejoindre", htmx=True)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Vous avez rejoint la communauté." in text(response)
    assert "Quitter la communauté" in text(response)
    assert_count_exact(db, open_community, 1)
    assert open_community.name in text(client.get("/communautes/miennes"))
    assert open_community.name in text(client.get("/"))

    response = client.post(f"/communautes/{open_community.slug}/quitter")
    assert location(response) == f"/communautes/{open_community.slug}"
    assert_count_exact(db, open_community, 0)
    assert client.post(f"/communautes/{open_community.slug}/quitter").status_code == 403


def test_joining_a_private_community_directly_is_forbidden(client, db, agent,
                                                           private_community):
    client.login(agent)
    assert client.post(f"/communautes/{private_community.slug}/rejoindre").status_code == 403
    assert count(Membership, user_id=agent.id) == 0
    assert_count_exact(db, private_community, 0)


def test_joining_an_archived_community_is_refused(client, db, agent, manager, open_community):
    client.login(manager)
    assert location(client.post(f"/communautes/{open_community.slug}/archiver")) == (
        f"/communautes/{open_community.slug}")
    client.logout()
    client.login(agent)
    response = client.post(f"/communautes/{open_community.slug}/rejoindre", htmx=True)
    assert response.status_code == 409
    assert "archivée" in text(response)
    assert_count_exact(db, open_community, 0)


def test_request_then_approval_by_a_facilitator(client, db, agent, facilitator,
                                                private_community, make_client):
    client.login(agent)
    response = client.post(f"/communautes/{private_community.slug}/demander",
                           {"message": "Je travaille sur ce sujet."}, htmx=True)
    assert "Votre demande est envoyée" in text(response)
    request = db.session.scalar(db.select(Membership).filter_by(user_id=agent.id))
    assert request.status == MembershipStatus.PENDING
    assert client.get(f"/communautes/{private_community.slug}/membres").status_code == 404

    animator = make_client(facilitator)
    members = text(animator.get(f"/communautes/{private_community.slug}/membres"))
    assert "Je travaille sur ce sujet." in members
    response = animator.post(
        f"/communautes/{private_community.slug}/membres/{request.id}/accepter",
        follow_redirects=True)
    assert "La demande est acceptée." in text(response)
    db.session.refresh(request)
    assert request.is_active
    assert_count_exact(db, private_community, 2)
    assert client.get(f"/communautes/{private_community.slug}/membres").status_code == 200


def test_overlong_request_message_is_refused(client, db, agent, private_community):
    client.login(agent)
    response = client.post(f"/communautes/{private_community.slug}/demander",
                           {"message": "x" * 501}, htmx=True)
    assert response.status_code == 422
    assert "500 caractères" in text(response)
    assert count(Membership, user_id=agent.id) == 0


def test_facilitator_of_one_community_has_no_power_in_another(client, db, facilitator):
    other = CommunityFactory(name="Autre communauté", is_private=True)
    requester = UserFactory()
    request = MembershipFactory(user=requester, community=other,
                                status=MembershipStatus.PENDING)
    member = MembershipFactory(community=other)
    client.login(facilitator)
    for action in ("accepter", "refuser", "retirer", "animateur"):
        response = client.post(f"/communautes/{other.slug}/membres/{request.id}/{action}")
        assert response.status_code == 403, action
    assert client.post(f"/communautes/{other.slug}/inviter",
                       {"email": "x@reseau-canope.fr"}).status_code == 403
    assert client.get(f"/communautes/{other.slug}/membres").status_code == 404
    db.session.refresh(request)
    assert request.status == MembershipStatus.PENDING
    assert count(Membership, id=member.id) == 1
    assert_count_exact(db, other, 1)


def test_tampered_membership_id_changes_nothing(client, db, facilitator, open_community):
    other = CommunityFactory(name="Autre communauté", is_private=True)
    request = MembershipFactory(community=other, status=MembershipStatus.PENDING)
    member = MembershipFactory(community=other)
    client.login(facilitator)
    base = f"/communautes/{open_community.slug}/membres"
    for action, membership_id in [("accepter", request.id), ("refuser", request.id),
                                  ("retirer", member.id), ("accepter", 999_999)]:
        response = client.post(f"{base}/{membership_id}/{action}", follow_redirects=True)
        assert response.status_code == 200
        assert response.request.path == base
        assert ("n'existe plus" in text(response)
                or "ne fait pas partie de la communauté" in text(response)), action
    db.session.refresh(request)
    assert request.status == MembershipStatus.PENDING
    assert count(Membership, id=member.id) == 1
    assert_count_exact(db, other, 1)


def test_facilitator_removes_a_member_but_cannot_appoint(client, db, facilitator,
                                                        open_community):
    member = MembershipFactory(community=open_community)
    client.login(facilitator)
    base = f"/communautes/{open_community.slug}/membres/{member.id}"
    assert client.post(f"{base}/animateur").status_code == 403
    response = client.post(f"{base}/retirer", follow_redirects=True)
    assert "Le membre est retiré de la communauté." in text(response)
    assert count(Membership, id=member.id) == 0
    assert_count_exact(db, open_community, 1)


def test_manager_appoints_and_relieves_a_facilitator(client, db, manager, open_community):
    member = MembershipFactory(community=open_community)
    client.login(manager)
    base = f"/communautes/{open_community.slug}/membres/{member.id}"
    client.post(f"{base}/animateur")
    db.session.refresh(member)
    assert member.is_facilitator
    client.post(f"{base}/membre")
    db.session.refresh(member)
    assert member.is_active and not member.is_facilitator
    assert_count_exact(db, open_community, 1)


def test_my_communities_mark_only_what_i_animate(client, admin, facilitator, open_community,
                                                 private_community):
    MembershipFactory(user=admin, community=open_community)
    client.login(admin)
    page = text(client.get("/communautes/miennes"))
    assert _card(open_community.name) in page and ">Animation</p>" not in page
    client.logout()
    client.login(facilitator)
    page = text(client.get("/communautes/miennes"))
    assert page.count(">Animation</p>") == 2


# -- Create, edit, archive

def test_agent_cannot_create_edit_or_archive(client, agent, open_community):
    client.login(agent)
    assert client.get("/communautes/nouvelle").status_code == 403
    assert client.post("/communautes/nouvelle", {"name": "Pirate"}).status_code == 403
    assert client.get(f"/communautes/{open_community.slug}/modifier").status_code == 403
    assert client.post(f"/communautes/{open_community.slug}/archiver").status_code == 403
    assert count(Community) == 1


def test_create_community(client, db, manager, catalogue):
    client.login(manager)
    theme = catalogue["themes"][0]
    response = client.post("/communautes/nouvelle", {
        "name": "Achats responsables", "description": "Des achats sobres.",
        "theme_ids": [theme.id], "is_private": "y", "territory_id": ""})
    assert location(response) == "/communautes/achats-responsables"
    community = db.session.scalar(db.select(Community).filter_by(slug="achats-responsables"))
    assert community.is_private and community.themes == [theme]
    assert community.territory_id is None


@pytest.mark.parametrize("changes, message", [
    ({"name": "ab"}, "Le nom doit faire entre 3 et 120 caractères."),
    ({"name": "ÉNERGIE AU SIÈGE"}, "Une communauté porte déjà ce nom."),
    ({"territory_id": "999999"}, "Choisissez un territoire dans la liste."),
])
def test_create_refusals_keep_typed_values(client, manager, catalogue, changes, message):
    client.login(manager)
    data = {"name": "Nom valable", "description": "Ma description tapée à la main",
            "territory_id": ""}
    data.update(changes)
    before = count(Community)
    response = client.post("/communautes/nouvelle", data)
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert f'value="{data["name"]}"' in page
    assert "Ma description tapée à la main" in page
    assert count(Community) == before


def test_edit_refusal_keeps_typed_values_and_changes_nothing(client, db, manager, catalogue):
    energy = catalogue["energy"]
    client.login(manager)
    assert client.get(f"/communautes/{energy.slug}/modifier").status_code == 200
    response = client.post(f"/communautes/{energy.slug}/modifier", {
        "name": "Qualité de vie", "description": "Nouvelle description tapée"})
    assert response.status_code == 422
    assert "Une communauté porte déjà ce nom." in text(response)
    assert "Nouvelle description tapée" in text(response)
    db.session.refresh(energy)
    assert energy.name == "Énergie au siège"
    response = client.post(f"/communautes/{energy.slug}/modifier", {
        "name": "Énergie et fluides", "description": "Mise à jour"})
    assert location(response) == f"/communautes/{energy.slug}"
    db.session.refresh(energy)
    assert (energy.name, energy.description) == ("Énergie et fluides", "Mise à jour")


def test_archive_and_restore(client, db, manager, open_community):
    client.login(manager)
    client.post(f"/communautes/{open_community.slug}/archiver")
    db.session.refresh(open_community)
    assert open_community.is_archived
    assert _card(open_community.name) not in text(client.get("/communautes/"))
    client.post(f"/communautes/{open_community.slug}/restaurer")
    db.session.refresh(open_community)
    assert not open_community.is_archived
