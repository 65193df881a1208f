"""Catalogue pages: list and filters (full page and htmx), a service's page with its origins
(private ideas hidden from outsiders), create/edit/retire for management with typed input kept
on every refusal, and 403 for agents."""

from datetime import date

import pytest

from ideas.extensions import db
from ideas.offer.models import Service, ServiceStatus, ServiceType
from tests.factories import IdeaFactory, MembershipFactory
from tests.helpers import count, location, text
from tests.offer.conftest import territory


@pytest.fixture
def catalogue(service_factory, open_community, private_community):
    open_idea = IdeaFactory(community=open_community, title="Imprimer en recto-verso",
                            status="adopted")
    private_idea = IdeaFactory(community=private_community, title="Idée du cercle privé",
                               status="adopted")
    return {
        "from_ideas": service_factory("Formation éco-impression", ideas=[open_idea, private_idea],
                                      launch_date=date(2024, 5, 2), territory_code="atelier-86"),
        "national": service_factory("Plateforme Éduthèque 2", type=ServiceType.PLATFORM,
                                    stated_origin="Commande du ministère",
                                    launch_date=date(2025, 1, 1)),
        "planned": service_factory("Malle 100 % réemploi", type=ServiceType.RESOURCE,
                                   status=ServiceStatus.PLANNED, launch_date=None,
                                   stated_origin="Équipe interne"),
        "ideas": (open_idea, private_idea),
    }


def _names(response) -> set[str]:
    page = text(response)
    return {name for name in ("Formation éco-impression", "Plateforme Éduthèque 2",
                              "Malle 100 % réemploi") if name in page}


@pytest.mark.parametrize("query, expected", [
    ("", {"Formation éco-impression", "Plateforme Éduthèque 2", "Malle 100 % réemploi"}),
    ("?type=plateforme", {"Plateforme Éduthèque 2"}),
    ("?status=planned", {"Malle 100 % réemploi"}),
    ("?year=2024", {"Formation éco-impression"}),
    ("?origin=communities", {"Formation éco-impression"}),
    ("?origin=other", {"Plateforme Éduthèque 2", "Malle 100 % réemploi"}),
    ("?q=MINISTÈRE", {"Plateforme Éduthèque 2"}),  # the stated origin is searched too
    ("?q=100 %", {"Malle 100 % réemploi"}),  # % typed is searched literally
    ("?q=%25", {"Malle 100 % réemploi"}),
    ("?type=&status=&year=abc&origin=", {"Formation éco-impression",
                                               "Plateforme Éduthèque 2",
                                               "Malle 100 % réemploi"}),
])
def test_list_filters(make_client, agent, catalogue, query, expected):
    assert _names(make_client(agent).get(f"/services/{query}")) == expected


@pytest.mark.parametrize("query", ["type=nope", "status=x", "origin=y"])
def test_list_refuses_values_no_filter_offers(make_client, agent, catalogue, query):
    response = make_client(agent).get(f"/services/?{query}")
    assert response.status_code == 400
    assert f"Le paramètre « {query.split('=')[0]} » n'accepte pas" in response.text


def test_territory_filter_includes_the_ateliers_of_a_directorate(make_client, agent, catalogue):
    client = make_client(agent)
    directorate = territory("dir-nouvelle-aquitaine")
    assert _names(client.get(f"/services/?territory={directorate.id}")) == {
        "Formation éco-impression"}
    assert _names(client.get(f"/services/?territory={territory('siege').id}")) == set()


def test_list_htmx_returns_the_results_only(make_client, agent, catalogue):
    response = make_client(agent).get("/services/?origin=other", headers={"HX-Request": "true"})
    page = text(response)
    assert "<html" not in page and "2 services" in page
    assert "Vary" in response.headers and "HX-Request" in response.headers["Vary"]


def test_list_shows_years_and_origin(make_client, agent, catalogue):
    page = text(make_client(agent).get("/services/"))
    assert '<option value="2025">2025</option>' in page and '<option value="2024">' in page
    assert "2 idées d'origine (" in page and "origine : Commande du ministère" in page
    assert "Ajouter un service" not in page  # agents read, management writes


def test_service_page_lists_visible_ideas_and_hides_private_ones(make_client, agent, catalogue,
                                                                 open_community):
    service = catalogue["from_ideas"]
    open_idea = catalogue["ideas"][0]
    page = text(make_client(agent).get(f"/services/{service.id}"))
    assert f'href="/idees/{open_idea.id}"' in page and open_community.name in page
    assert f'href="/communautes/{open_community.slug}"' in page
    assert "Idée du cercle privé" not in page
    assert "et 1 idée d'une communauté privée" in page
    assert "Atelier Canopé 86 – Vienne" in page and "2 mai 2024" in page


def test_service_page_shows_private_ideas_to_members(make_client, agent, catalogue,
                                                     private_community):
    MembershipFactory(user=agent, community=private_community)
    page = text(make_client(agent).get(f"/services/{catalogue['from_ideas'].id}"))
    assert "Idée du cercle privé" in page and "communauté privée" not in page


def test_service_page_states_the_origin_of_a_service_without_idea(make_client, agent,
                                                                  catalogue):
    page = text(make_client(agent).get(f"/services/{catalogue['national'].id}"))
    assert "Origine déclarée :" in page and "Commande du ministère" in page


def test_unknown_service_is_404(make_client, agent):
    client = make_client(agent)
    assert client.get("/services/424242").status_code == 404
    assert client.get("/services/99999999999").status_code == 404


# -- Management: create, edit, retire

def _form(**changes) -> dict:
    data = {"name": "Atelier réemploi itinérant", "description": "Un camion-atelier.",
            "type": "accompagnement", "territory_id": "", "launch_date": "15/03/2026",
            "status": "launched", "idea_ids": "", "stated_origin": "Partenaire : Emmaüs"}
    data.update(changes)
    return data


@pytest.mark.parametrize("typed", ["15/03/2026", "2026-03-15", "15.03.2026"])
def test_manager_creates_a_service_with_iso_or_french_dates(make_client, manager, typed):
    response = make_client(manager).post("/services/nouveau", _form(launch_date=typed))
    service = db.session.scalar(db.select(Service))
    assert response.status_code == 302 and location(response) == f"/services/{service.id}"
    assert service.launch_date == date(2026, 3, 15) and service.created_by_id == manager.id
    assert service.stated_origin == "Partenaire : Emmaüs" and service.ideas == []


def test_create_from_ideas_by_number(make_client, manager, open_community):
    first, second = IdeaFactory(community=open_community), IdeaFactory(community=open_community)
    client = make_client(manager)
    response = client.post("/services/nouveau", _form(idea_ids=f"{first.id}, #{second.id}",
                                                      stated_origin=""))
    assert response.status_code == 302
    service = db.session.scalar(db.select(Service))
    assert [idea.id for idea in service.ideas] == [first.id, second.id]
    edit = text(client.get(f"/services/{service.id}/modifier"))
    assert f'value="{first.id}, {second.id}"' in edit and 'value="15/03/2026"' in edit


@pytest.mark.parametrize("changes, message", [
    ({"launch_date": "32/01/2026"},
     "Date invalide : « 32/01/2026 » (attendu : JJ/MM/AAAA ou AAAA-MM-JJ)."),
    ({"launch_date": "mars 2026"}, "Date invalide : « mars 2026 »"),
    ({"stated_origin": ""}, "Indiquez les idées dont le service est issu, ou son origine"),
    ({"name": "  "}, "Indiquez le nom du service."),
    ({"launch_date": ""}, "Un service lancé doit avoir une date de lancement."),
    ({"idea_ids": "12, douze"}, "« douze » n'est pas un numéro d'idée."),
    ({"idea_ids": "424242"}, "Aucune idée visible ne porte ce numéro : 424242."),
    ({"type": "magie"}, "N'est pas un choix valide."),  # WTForms' own French message
])
def test_create_refusals_keep_what_was_typed(make_client, manager, changes, message):
    data = _form(**changes)
    response = make_client(manager).post("/services/nouveau", data)
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert 'value="Partenaire : Emmaüs"' in page or not data["stated_origin"]
    assert "Un camion-atelier." in page
    assert count(Service) == 0


def test_idea_numbers_are_read_whatever_the_separator():
    from ideas.offer.forms import parse_idea_ids

    assert parse_idea_ids("1 2,3;4|#5 n°6") == [1, 2, 3, 4, 5, 6]
    with pytest.raises(ValueError):
        parse_idea_ids("99999999999")


def test_manager_edits_then_retires(make_client, manager, service_factory, open_community):
    service = service_factory("Ancien nom")
    idea = IdeaFactory(community=open_community)
    client = make_client(manager)
    response = client.post(f"/services/{service.id}/modifier",
                           _form(name="Nouveau nom", idea_ids=str(idea.id), stated_origin="x"))
    assert response.status_code == 302
    db.session.expire_all()
    service = db.session.get(Service, service.id)
    assert service.name == "Nouveau nom" and [i.id for i in service.ideas] == [idea.id]
    assert service.stated_origin is None  # ideas make the stated origin moot

    assert client.post(f"/services/{service.id}/retirer").status_code == 302
    db.session.expire_all()
    service = db.session.get(Service, service.id)
    assert service.status == ServiceStatus.RETIRED and service.retired_at is not None
    page = text(client.get(f"/services/{service.id}"))
    assert "Retiré" in page and "Retirer de l'offre" not in page


def test_edit_refusal_changes_nothing(make_client, manager, service_factory):
    service = service_factory("Nom gardé")
    response = make_client(manager).post(f"/services/{service.id}/modifier",
                                         _form(name="Nom tenté", launch_date="2026-02-30"))
    assert response.status_code == 422 and 'value="Nom tenté"' in text(response)
    db.session.expire_all()
    assert db.session.get(Service, service.id).name == "Nom gardé"


def test_agents_cannot_manage_the_catalogue(make_client, agent, facilitator, service_factory):
    service = service_factory()
    for user in (agent, facilitator):
        client = make_client(user)
        assert client.get("/services/nouveau").status_code == 403
        assert client.post("/services/nouveau", _form()).status_code == 403
        assert client.get(f"/services/{service.id}/modifier").status_code == 403
        assert client.post(f"/services/{service.id}/modifier", _form()).status_code == 403
        assert client.post(f"/services/{service.id}/retirer").status_code == 403
        assert client.get("/services/import").status_code == 403
    assert count(Service) == 1
    db.session.expire_all()
    assert db.session.get(Service, service.id).status == ServiceStatus.LAUNCHED


def test_signed_out_visitors_go_to_login(client, service_factory):
    service = service_factory()
    assert client.get(f"/services/{service.id}").status_code == 302
    assert client.get("/services/").status_code == 302
