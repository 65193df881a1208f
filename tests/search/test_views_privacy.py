"""Private stays private, through the pages: a private community's ideas and the ideas hidden by
the moderation never reach someone who may not see them — in results, facet counts, the header's
suggestions, the similar ideas beside the new-idea form, nor the possible duplicates on an idea
page — on each backend. Members, management and moderators do find what is theirs to see."""

import re

import pytest

from ideas.ideation.models import Idea
from ideas.utils import utcnow
from tests import factories
from tests.helpers import text
from tests.search.conftest import post

HX = {"HX-Request": "true"}
SECRET_WORDS = "photovoltaïques"  # only in the private community's idea


def idea_links(response) -> set[int]:
    return {int(i) for i in re.findall(r'/idees/(\d+)"', response.get_data(as_text=True))}


def suggested(response) -> set[int]:
    return {int(i) for i in re.findall(r'role="option"[^>]*data-href="/idees/(\d+)"',
                                       response.get_data(as_text=True))}


@pytest.fixture
def outsider(corpus, make_client):
    """An agent who belongs to no community."""
    return make_client(factories.UserFactory(display_name="Agent extérieur"))


@pytest.fixture
def open_facilitator(corpus):
    """Facilitates the open community only (not a member of the private one)."""
    user = factories.UserFactory(display_name="Animatrice ouverte")
    factories.MembershipFactory(user=user, community=corpus.open, role="facilitator")
    return user


def test_a_non_member_finds_nothing_private_anywhere(backend, corpus, outsider):
    secret = corpus.ids["secret"]
    page = outsider.get(f"/recherche?q={SECRET_WORDS}")
    assert "0 idée trouvée" in text(page) and secret not in idea_links(page)
    for url in ("/recherche", "/recherche?q=énergie", "/recherche?q=énergie solaire",
                f"/recherche?community={corpus.private.id}",
                f"/recherche?q=énergie&community={corpus.private.id}",
                f"/recherche?q=community:{corpus.private.id}&community={corpus.private.id}",
                "/recherche?q=confidentiel", "/recherche?q=Cercle"):
        response = outsider.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert secret not in idea_links(response), url
        assert f'id="facet-community-{corpus.private.id}"' not in page, url
        assert "Projet confidentiel" not in page and "Cercle confidentiel" not in page, url
    # The facet counts add up to what the outsider may see: 16 open ideas, none private.
    everything = outsider.get("/recherche")
    assert "16 idées" in text(everything)
    assert f'id="facet-community-{corpus.open.id}"' in everything.get_data(as_text=True)
    assert "(16)" in text(everything).split(f'id="facet-community-{corpus.open.id}"')[1][:400]


def test_suggestions_and_similar_ideas_keep_private_ideas_private(backend, corpus, outsider):
    secret = corpus.ids["secret"]
    for typed in ("Projet conf", "photovolt", "énergie sol", "Projet confidentiel"):
        response = outsider.get("/recherche/suggestions", query_string={"q": typed},
                                headers=HX)
        assert secret not in suggested(response), typed
        options = text(response).split('id="header-search-option-all"')[0]
        assert "Projet confidentiel" not in options and "Cercle" not in options, typed
    similar = outsider.post("/idees/similaires", {
        "title": "Projet confidentiel sur l'énergie solaire",
        "body": "Étudier des panneaux photovoltaïques pour l'énergie du siège."}, htmx=True)
    assert secret not in idea_links(similar)
    assert "Projet confidentiel" not in text(similar)


def test_duplicates_show_only_what_the_facilitator_may_read(backend, corpus, make_client,
                                                           open_facilitator, manager):
    twin = post(factories.UserFactory(), corpus.open, "Énergie solaire au siège",
                "Des panneaux photovoltaïques sur le toit pour l'énergie du siège.")
    page = text(make_client(open_facilitator).get(f"/idees/{twin.id}"))
    assert "doublons possibles" in page
    assert "Projet confidentiel" not in page.split("doublons possibles")[1]
    # An admin reads the private community: the twin is offered as a possible duplicate, but
    # a merge into another community's private idea is not (the workflow refuses it).
    admin = factories.UserFactory(role="admin")
    section = text(make_client(admin).get(f"/idees/{twin.id}")).split("doublons possibles")[1]
    assert "Projet confidentiel sur l'énergie solaire" in section
    assert f"merge_into={corpus.ids['secret']}" not in section
    # Managers read everything but moderate nothing: no duplicates box.
    assert "doublons possibles" not in text(make_client(manager).get(f"/idees/{twin.id}"))


def test_members_and_management_find_the_private_idea(backend, corpus, make_client, manager):
    secret = corpus.ids["secret"]
    for user in (corpus.member, manager):
        client = make_client(user)
        response = client.get(f"/recherche?q={SECRET_WORDS}")
        assert idea_links(response) >= {secret}
        assert f'id="facet-community-{corpus.private.id}"' in response.get_data(as_text=True)
        assert secret in suggested(client.get("/recherche/suggestions?q=Projet conf",
                                              headers=HX))
        similar = client.post("/idees/similaires", {"title": "Énergie solaire photovoltaïque",
                                                    "body": "panneaux"}, htmx=True)
        assert secret in idea_links(similar)


def test_hidden_ideas_only_for_their_moderators(backend, corpus, db, outsider, make_client,
                                                open_facilitator, admin):
    velos = corpus.ids["velos"]
    db.session.get(Idea, velos).hidden_at = utcnow()
    db.session.commit()
    author = make_client(corpus.author)
    for client in (outsider, author):  # its author sees the idea's page, not search hits
        response = client.get("/recherche?q=vélo OR covoiturage")
        assert velos not in idea_links(response)
        assert "1 idée trouvée" in text(response)
        assert "(1)" in text(response).split(f'id="facet-community-{corpus.open.id}"')[1][:400]
        assert velos not in suggested(client.get("/recherche/suggestions?q=Des vélos",
                                                 headers=HX))
        similar = client.post("/idees/similaires", {
            "title": "Des vélos de service", "body": "vélo à assistance électrique"}, htmx=True)
        assert velos not in idea_links(similar)
    for user in (open_facilitator, admin):
        response = make_client(user).get("/recherche?q=vélo")
        assert velos in idea_links(response)
        assert "masquée par la modération" in text(response)


def test_a_hidden_idea_is_no_duplicate_for_another_communitys_facilitator(backend, corpus, db,
                                                                          make_client):
    """A facilitator of the private community reads the open one but does not moderate it:
    its hidden ideas are not offered to them."""
    facilitator = factories.UserFactory()
    factories.MembershipFactory(user=facilitator, community=corpus.private, role="facilitator")
    twin = post(corpus.member, corpus.private, "Plateforme de covoiturage entre agents",
                "Partager les trajets domicile-travail.")
    client = make_client(facilitator)

    def duplicates() -> str:
        return text(client.get(f"/idees/{twin.id}")).split("doublons possibles")[1]

    assert "Plateforme de covoiturage domicile-travail" in duplicates()
    db.session.get(Idea, corpus.ids["covoiturage"]).hidden_at = utcnow()
    db.session.commit()
    assert "Plateforme de covoiturage domicile-travail" not in duplicates()
