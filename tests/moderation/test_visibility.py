"""A hidden item leaves every list, count, search result, similar ideas and export for everyone
but its author (who sees it marked, with the reason) and the community's moderators."""

import pytest

from ideas.comments.services import post_comment
from ideas.extensions import db
from ideas.ideation import services as ideation
from ideas.ideation.models import IdeaStatus
from ideas.moderation import services
from ideas.search import queries as search
from tests.dashboard.test_review import csv_titles
from tests.factories import IdeaFactory
from tests.helpers import text
from tests.search.conftest import backend, search_settings, theme_ids  # noqa: F401 - fixtures

SECRET_TITLE = "Compost partagé des ateliers canopé"


@pytest.fixture
def hidden_idea(idea, facilitator):
    services.hide_item(facilitator, idea, "Contient des données personnelles")
    db.session.commit()
    return idea


def test_lists_and_direct_access(make_client, hidden_idea, author, agent, facilitator, admin,
                                 manager, open_community):
    IdeaFactory(community=open_community, title="Une idée restée visible")
    pages = ("/idees", f"/communautes/{open_community.slug}/idees",
             f"/communautes/{open_community.slug}")
    for user in (agent, manager):
        client = make_client(user)
        for page in pages:
            body = text(client.get(page))
            assert "Une idée restée visible" in body and hidden_idea.title not in body, page
        assert client.get(f"/idees/{hidden_idea.id}").status_code == 404
    for user in (author, facilitator, admin):
        client = make_client(user)
        body = text(client.get("/idees"))
        assert hidden_idea.title in body and "masquée par la modération" in body
        page = text(client.get(f"/idees/{hidden_idea.id}"))
        assert "Masqué par la modération" in page
        assert "Motif : Contient des données personnelles" in page
    assert "Rétablir l'idée" in text(make_client(facilitator).get(f"/idees/{hidden_idea.id}"))
    assert "Rétablir l'idée" not in text(make_client(author).get(f"/idees/{hidden_idea.id}"))


def test_the_author_sees_it_in_mine_but_cannot_take_part(make_client, hidden_idea, author,
                                                         agent):
    assert hidden_idea.title in text(make_client(author).get("/idees?scope=mine"))
    from ideas.ideation.permissions import can_take_part

    assert not can_take_part(author, hidden_idea)


def test_a_hidden_comment_is_a_placeholder_for_others(make_client, comment, commenter,
                                                      facilitator, agent, idea):
    services.hide_item(facilitator, comment, "Propos hors sujet")
    db.session.commit()
    url = f"/idees/{idea.id}"
    other = text(make_client(agent).get(url))
    assert "Masqué par la modération" in other
    assert "hors de propos" not in other and "Propos hors sujet" not in other
    assert "Aucun commentaire" in other or "0 commentaire" in other
    own = text(make_client(commenter).get(url))
    assert "Un commentaire hors de propos" in own and "Motif : Propos hors sujet" in own
    moderator = text(make_client(facilitator).get(url))
    assert "Un commentaire hors de propos" in moderator and "Rétablir le commentaire" in moderator
    # The permalink fragment says the same.
    fragment = make_client(agent).get(f"/commentaires/{comment.id}", headers={
        "HX-Request": "true"})
    assert "hors de propos" not in text(fragment) and "Masqué par la modération" in text(fragment)


def test_review_export_keeps_hidden_ideas_for_moderators_only(make_client, open_community,
                                                             facilitator, manager, admin):
    shown = IdeaFactory(community=open_community, title="À décider, visible",
                        status=IdeaStatus.IN_REVIEW)
    hidden = IdeaFactory(community=open_community, title="À décider, masquée",
                         status=IdeaStatus.IN_REVIEW)
    services.hide_item(facilitator, hidden, "Doublon injurieux")
    db.session.commit()
    assert set(csv_titles(make_client(manager).get("/pilotage/revue.csv"))) == {shown.title}
    for user in (facilitator, admin):
        assert set(csv_titles(make_client(user).get("/pilotage/revue.csv"))) == {
            shown.title, hidden.title}


def _post(author, community, title, body):
    idea = ideation.post_idea(author, community, title=title, body=body,
                              theme_ids=theme_ids("dechets-papier"))
    db.session.commit()
    return idea


def test_search_and_similar_ideas_on_each_backend(backend, author, agent, manager, facilitator,  # noqa: F811
                                                  admin, open_community):
    hidden = _post(author, open_community, SECRET_TITLE,
                   "Un composteur commun pour les déchets verts des ateliers.")
    _post(author, open_community, "Tri du papier au siège", "Des bacs de tri du papier.")
    services.hide_item(facilitator, hidden, "Publicité déguisée")
    db.session.commit()
    for user in (agent, manager, author):
        found = search.search_ideas(user, "compost")
        assert found.total == 0 and found.items == []
        assert sum(found.facets.get("community", {}).values()) == 0
        assert search.suggest_ideas(user, "Compost par") == []
        similar = search.similar_ideas(user, "Compost des ateliers", "déchets verts compost")
        assert hidden.id not in {item.idea.id for item in similar}
    for user in (facilitator, admin):
        assert [i.idea.id for i in search.search_ideas(user, "compost").items] == [hidden.id]
    services.restore_item(facilitator, hidden)
    db.session.commit()
    assert [i.idea.id for i in search.search_ideas(agent, "compost").items] == [hidden.id]


def test_a_hidden_comment_leaves_the_search_index(backend, author, commenter, agent,  # noqa: F811
                                                  facilitator, open_community):
    idea = _post(author, open_community, "Tri du papier au siège", "Des bacs de tri.")
    comment = post_comment(commenter, idea, "Un mot introuvable : zygomatique")
    db.session.commit()
    assert search.search_ideas(agent, "zygomatique").total == 1
    services.hide_item(facilitator, comment, "Hors sujet")
    db.session.commit()
    assert search.search_ideas(agent, "zygomatique").total == 0
    services.restore_item(facilitator, comment)
    db.session.commit()
    assert search.search_ideas(agent, "zygomatique").total == 1
