"""Research interventions: recorded from the community page by its facilitators and
management (dates ISO or French, typed input kept on every refusal), listed on the community
page for those who may read it, a full list, edit and delete for management only."""

from datetime import date, timedelta

import pytest

from ideas.extensions import db
from ideas.research.models import InterventionFormat, ResearchIntervention
from tests.factories import CommunityFactory, MembershipFactory
from tests.helpers import count, location, text


def _form(**changes) -> dict:
    data = {"researcher": "Marie Curie-Durand", "institution": "Université de Poitiers",
            "held_on": "14/03/2025", "format": "atelier",
            "topic": "Apprendre entre pairs : ce que dit la recherche", "notes": "30 agents."}
    data.update(changes)
    return data


def make_intervention(community, held_on=date(2025, 3, 14), topic="Sobriété et usages",
                      **extra) -> ResearchIntervention:
    intervention = ResearchIntervention(
        community_id=community.id, researcher="Paul Lefèvre", institution="CNRS",
        held_on=held_on, format=InterventionFormat.TALK, topic=topic, **extra)
    db.session.add(intervention)
    db.session.commit()
    return intervention


@pytest.mark.parametrize("who", ["facilitator", "manager"])
def test_facilitator_or_manager_records_an_intervention(make_client, facilitator, manager,
                                                        open_community, who):
    user = facilitator if who == "facilitator" else manager
    client = make_client(user)
    page = text(client.get(f"/communautes/{open_community.slug}"))
    assert "Enregistrer une intervention" in page
    response = client.post(f"/communautes/{open_community.slug}/interventions/nouvelle",
                           _form(held_on="2025-03-14"))
    assert response.status_code == 302
    assert location(response) == f"/communautes/{open_community.slug}#interventions"
    intervention = db.session.scalar(db.select(ResearchIntervention))
    assert intervention.held_on == date(2025, 3, 14) and intervention.created_by_id == user.id
    assert intervention.format == InterventionFormat.WORKSHOP
    page = text(client.get(f"/communautes/{open_community.slug}"))
    assert "Apprendre entre pairs : ce que dit la recherche" in page
    assert "Marie Curie-Durand (Université de Poitiers) · Atelier · 14 mars 2025" in page


@pytest.mark.parametrize("changes, message", [
    ({"held_on": "31/02/2025"}, "Date invalide : « 31/02/2025 »"),
    ({"held_on": ""}, "Indiquez la date de l'intervention."),
    ({"held_on": "14/03/0025"}, "Cette date n'est pas plausible : vérifiez l'année."),
    ({"researcher": "   "}, "Indiquez le chercheur ou la chercheuse."),
    ({"topic": ""}, "Indiquez le sujet de l'intervention."),
    ({"format": "rituel"}, "N'est pas un choix valide."),
])
def test_refusals_keep_what_was_typed(make_client, facilitator, open_community, changes,
                                      message):
    response = make_client(facilitator).post(
        f"/communautes/{open_community.slug}/interventions/nouvelle", _form(**changes))
    assert response.status_code == 422
    page = text(response)
    assert message in page and "Université de Poitiers" in page and "30 agents." in page
    assert count(ResearchIntervention) == 0


def test_a_date_far_in_the_future_is_refused(make_client, manager, open_community):
    later = (date.today() + timedelta(days=400)).strftime("%d/%m/%Y")
    response = make_client(manager).post(
        f"/communautes/{open_community.slug}/interventions/nouvelle", _form(held_on=later))
    assert response.status_code == 422 and count(ResearchIntervention) == 0


def test_agents_and_other_facilitators_cannot_record(make_client, agent, open_community):
    other = CommunityFactory(name="Une autre communauté")
    elsewhere = make_client_for_facilitator_of(other)
    for client in (make_client(agent), make_client(elsewhere)):
        url = f"/communautes/{open_community.slug}/interventions/nouvelle"
        assert client.get(url).status_code == 403
        assert client.post(url, _form()).status_code == 403
        assert "Enregistrer une intervention" not in text(
            client.get(f"/communautes/{open_community.slug}"))
    assert count(ResearchIntervention) == 0


def make_client_for_facilitator_of(community):
    from tests.factories import UserFactory

    user = UserFactory()
    MembershipFactory(user=user, community=community, role="facilitator")
    return user


def test_community_page_lists_interventions_for_readers_only(make_client, agent,
                                                             private_community,
                                                             open_community):
    make_intervention(open_community, topic="Intervention ouverte")
    make_intervention(private_community, topic="Intervention du cercle")
    client = make_client(agent)
    assert "Intervention ouverte" in text(client.get(f"/communautes/{open_community.slug}"))
    private_page = text(client.get(f"/communautes/{private_community.slug}"))
    assert "Intervention du cercle" not in private_page
    assert "Interventions de la recherche" not in private_page
    url = f"/communautes/{private_community.slug}/interventions/nouvelle"
    assert client.get(url).status_code == 404  # a private community's content is hidden


def test_community_page_shows_the_latest_ten_and_the_total(make_client, agent, open_community):
    for n in range(12):
        make_intervention(open_community, held_on=date(2024, 1, 1) + timedelta(days=n),
                          topic=f"Sujet numéro {n:02d}")
    page = text(make_client(agent).get(f"/communautes/{open_community.slug}"))
    assert "12 interventions enregistrées" in page
    assert "Sujet numéro 11" in page and "Sujet numéro 01" not in page


def test_manager_list_filters_edit_and_delete(make_client, manager, open_community,
                                              private_community):
    kept = make_intervention(open_community, held_on=date(2024, 6, 1), topic="Climat scolaire")
    other = make_intervention(private_community, held_on=date(2025, 6, 1), topic="Numérique")
    client = make_client(manager)
    page = text(client.get("/interventions"))
    assert "Climat scolaire" in page and "Numérique" in page and "2 interventions" in page
    assert "Numérique" not in text(client.get("/interventions?year=2024"))
    by_community = client.get(f"/interventions?community={other.community_id}")
    assert "Climat scolaire" not in text(by_community)
    assert "Numérique" not in text(client.get("/interventions?q=CLIMAT"))
    htmx = client.get("/interventions?year=2025", headers={"HX-Request": "true"})
    assert "<html" not in text(htmx) and "1 intervention" in text(htmx)

    form = text(client.get(f"/interventions/{kept.id}/modifier"))
    assert 'value="01/06/2024"' in form and '<option selected value="conference">' in form
    response = client.post(f"/interventions/{kept.id}/modifier",
                           _form(topic="Climat scolaire et RSE", held_on="02/06/2024"))
    assert response.status_code == 302
    db.session.expire_all()
    edited = db.session.get(ResearchIntervention, kept.id)
    assert (edited.topic, edited.held_on) == ("Climat scolaire et RSE", date(2024, 6, 2))

    bad = client.post(f"/interventions/{kept.id}/modifier", _form(held_on="demain"))
    assert bad.status_code == 422 and 'value="demain"' in text(bad)

    response = client.post(f"/interventions/{kept.id}/supprimer", {"back": "community"})
    assert location(response) == f"/communautes/{open_community.slug}#interventions"
    assert client.post(f"/interventions/{other.id}/supprimer").headers["Location"] == \
        "/interventions"
    assert count(ResearchIntervention) == 0


def test_facilitators_and_agents_cannot_list_edit_or_delete(make_client, facilitator, agent,
                                                            open_community):
    intervention = make_intervention(open_community)
    for user in (facilitator, agent):
        client = make_client(user)
        assert client.get("/interventions").status_code == 403
        assert client.get(f"/interventions/{intervention.id}/modifier").status_code == 403
        assert client.post(f"/interventions/{intervention.id}/modifier",
                           _form()).status_code == 403
        assert client.post(f"/interventions/{intervention.id}/supprimer").status_code == 403
    assert count(ResearchIntervention) == 1
    assert make_client(facilitator).get("/interventions/999999/modifier").status_code == 403


def test_unknown_intervention_is_404_for_management(make_client, manager):
    client = make_client(manager)
    assert client.get("/interventions/999999/modifier").status_code == 404
    assert client.post("/interventions/99999999999/supprimer").status_code == 404
