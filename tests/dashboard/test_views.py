"""The dashboard pages: who may see them, the period chooser, the figures on known data, and
the drill-down links that lead to the rows behind each figure."""

import re
from datetime import date, datetime

import pytest

from ideas.dashboard.indicators import Period
from ideas.dashboard.periods import parse_period, quarters
from ideas.extensions import db
from ideas.ideation.models import IdeaStatus
from ideas.offer.models import Service, ServiceStatus, ServiceType
from ideas.reference.models import Territory
from ideas.research.models import InterventionFormat, ResearchIntervention
from ideas.workflow.models import StatusChange
from tests.factories import CommunityFactory, IdeaFactory, MembershipFactory, UserFactory
from tests.helpers import redirects_to_login, text

LINK = re.compile(r'<a href="(/pilotage/[^"]+)">([^<]+)</a>')


def _service(name, launch, ideas=(), territory=None, status=ServiceStatus.LAUNCHED):
    service = Service(name=name, type=ServiceType.TRAINING, launch_date=launch, status=status,
                      ideas=list(ideas), territory_id=territory.id if territory else None,
                      stated_origin=None if ideas else "Commande nationale")
    db.session.add(service)
    db.session.commit()
    return service


def _intervention(community, held_on, topic="Sobriété numérique et pédagogie"):
    db.session.add(ResearchIntervention(
        community_id=community.id, researcher="Dr Lemaire", institution="Université de Poitiers",
        held_on=held_on, format=InterventionFormat.TALK, topic=topic))
    db.session.commit()


def _territory(code):
    return db.session.scalar(db.select(Territory).where(Territory.code == code))


@pytest.fixture
def known(db):
    """2025: 17 services launched, 12 from communities (70.6 %); one of them from ideas of two
    communities; 3 interventions. Plus services outside 2025 or not launched."""
    brittany = db.session.scalars(db.select(Territory).where(
        Territory.kind == "direction").order_by(Territory.position)).first()
    first = CommunityFactory(name="Énergie et fluides", territory_id=brittany.id)
    second = CommunityFactory(name="Mobilité durable")
    for n in range(11):
        _service(f"Service communautaire {n:02d}", date(2025, 1 + n, 10),
                 [IdeaFactory(community=first, status=IdeaStatus.ADOPTED)], territory=brittany)
    _service("Service de deux communautés", date(2025, 12, 31),
             [IdeaFactory(community=first, status=IdeaStatus.ADOPTED),
              IdeaFactory(community=second, status=IdeaStatus.ADOPTED)])
    for n in range(5):
        _service(f"Commande nationale {n}", date(2025, 6, 1 + n))
    _service("Lancé en 2024", date(2024, 12, 31))
    _service("Prévu en 2025", date(2025, 9, 1), status=ServiceStatus.PLANNED)
    for held in (date(2025, 2, 1), date(2025, 2, 2), date(2025, 11, 5)):
        _intervention(first, held)
    _intervention(second, date(2024, 5, 5))
    return {"first": first, "second": second, "territory": brittany}


def _normal(url: str) -> str:
    """The URL with its query arguments sorted: their order means nothing."""
    path, _, query = url.replace("&amp;", "&").partition("?")
    return f"{path}?{'&'.join(sorted(query.split('&')))}"


class Links(dict):
    """The page's drill-down links: {url: [texts of the links to it]}, looked up whatever the
    order of the query arguments."""

    def __getitem__(self, url):
        return super().__getitem__(_normal(url))


def links(response) -> Links:
    found = Links()
    for url, label in LINK.findall(response.get_data(as_text=True)):
        found.setdefault(_normal(url), []).append(label)
    return found


# -- access


@pytest.mark.parametrize("url", ["/pilotage/", "/pilotage/services", "/pilotage/interventions",
                                 "/pilotage/idees", "/pilotage/export/vitality.csv",
                                 "/pilotage/services.csv"])
def test_dashboard_is_for_management_only(make_client, agent, facilitator, manager, admin, url):
    assert redirects_to_login(make_client().get(url))
    assert make_client(agent).get(url).status_code == 403
    assert make_client(facilitator).get(url).status_code == 403
    assert make_client(manager).get(url).status_code == 200
    assert make_client(admin).get(url).status_code == 200


def test_pilotage_in_the_header_only_for_those_who_may_see_it(make_client, agent, facilitator,
                                                             manager):
    assert "Pilotage" not in make_client(agent).get("/").text
    assert 'href="/pilotage/revue"' in make_client(facilitator).get("/").text
    assert 'href="/pilotage/"' in make_client(manager).get("/").text


# -- period


def test_parse_period_default_year_range_and_errors(app):
    today = date(2026, 3, 15)
    with app.test_request_context():
        assert parse_period({}, today).period == Period.year(2026)
        assert parse_period({"year": "2024"}, today).period == Period.year(2024)
        chosen = parse_period({"start": "01/02/2025", "end": "2025-03-31"}, today)
        assert chosen.period == Period(date(2025, 2, 1), date(2025, 3, 31)) and chosen.is_range
        for args, field, message in [
            ({"year": "1990"}, "year", "entre 2000 et 2031"),
            ({"year": "deux mille"}, "year", "entre 2000 et 2031"),
            ({"start": "31/02/2025", "end": "01/03/2025"}, "start", "Date invalide"),
            ({"start": "01/03/2025"}, "end", "premier et le dernier jour"),
            ({"start": "01/03/2025", "end": "01/02/2025"}, "end", "doit suivre"),
            ({"start": "01/01/1999", "end": "01/02/2025"}, "start", "entre le 01/01/2000"),
            ({"start": "01/01/2025", "end": "01/01/2040"}, "end", "31/12/2031"),
        ]:
            chosen = parse_period(args, today)
            assert chosen.period is None, args
            assert message in " ".join(map(str, getattr(chosen.form, field).errors)), args


def test_quarters_cut_to_the_period():
    found = quarters(Period(date(2024, 11, 15), date(2025, 2, 10)))
    assert [(y, q, p.start, p.end) for y, q, p in found] == [
        (2024, 4, date(2024, 11, 15), date(2024, 12, 31)),
        (2025, 1, date(2025, 1, 1), date(2025, 2, 10))]


def test_default_period_is_the_current_year(client, manager):
    client.login(manager)
    page = text(client.get("/pilotage/"))
    assert f"année {date.today().year}" in page


def test_bad_dates_give_a_clear_message_and_keep_what_was_typed(client, manager):
    client.login(manager)
    response = client.get("/pilotage/?start=31/02/2025&end=15/01/2025")
    assert response.status_code == 422
    page = text(response)
    assert "Date invalide : « 31/02/2025 »" in page
    assert 'value="31/02/2025"' in page and 'value="15/01/2025"' in page
    assert "Indicateurs du contrat" not in page
    response = client.get("/pilotage/?start=01/03/2025&end=01/02/2025")
    assert response.status_code == 422
    assert "Le dernier jour doit suivre le premier" in text(response)


def test_impossible_year_is_refused_and_shown(client, manager):
    client.login(manager)
    response = client.get("/pilotage/?year=1870")
    assert response.status_code == 422
    page = text(response)
    assert "Choisissez une année entre 2000" in page
    assert '<option value="1870" selected>1870</option>' in page


# -- figures and drill-down


def test_share_with_its_count_and_target(client, manager, known):
    client.login(manager)
    page = text(client.get("/pilotage/?year=2025"))
    assert "70,6\xa0%" in page
    found = links(client.get("/pilotage/?year=2025"))
    assert found["/pilotage/services?year=2025&origin=communities"] == ["70,6\xa0%", "12"]
    assert found["/pilotage/services?year=2025"] == ["17"]
    assert re.search(r">12</a> services sur <a [^>]+>17</a> lancés", page)
    assert "Objectif atteint" in page
    assert found["/pilotage/interventions?year=2025"] == ["3"]
    assert "une fois dans le total et une fois pour chacune de ces communautés" in page


def test_no_service_launched_is_no_data(client, manager):
    client.login(manager)
    response = client.get("/pilotage/?year=2019")
    assert response.status_code == 200
    page = text(response)
    assert "pas de données" in page and "0,0\xa0%" not in page
    assert "Aucun service lancé pendant cette période" in page


def _names(response) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/services/\d+">([^<]+)</a>', text(response))


def test_drill_down_links_lead_to_the_rows_behind_each_figure(client, manager, known):
    client.login(manager)
    found = links(client.get("/pilotage/?year=2025"))
    from_communities = client.get("/pilotage/services?year=2025&origin=communities")
    names = _names(from_communities)
    assert len(names) == 12 and "Service de deux communautés" in names
    assert "Commande nationale 0" not in names and "Lancé en 2024" not in names
    assert "Prévu en 2025" not in names

    # By community: the two-community service is under each of them.
    first, second = known["first"], known["second"]
    first_url = f"/pilotage/services?year=2025&origin=communities&community={first.id}"
    second_url = f"/pilotage/services?year=2025&origin=communities&community={second.id}"
    assert (found[first_url], found[second_url]) == (["12"], ["1"])
    assert _names(client.get(second_url)) == ["Service de deux communautés"]

    # By territory: the territory's 11, and the national ones (5 orders + the two-community).
    territory_url = f"/pilotage/services?year=2025&territory={known['territory'].id}"
    assert found[territory_url] == ["11"]
    assert len(_names(client.get(territory_url))) == 11
    assert found["/pilotage/services?year=2025&territory=national"] == ["6"]
    national = _names(client.get("/pilotage/services?year=2025&territory=national"))
    assert sorted(national)[0] == "Commande nationale 0" and len(national) == 6

    # By quarter: a range of days; Q4 holds October, November and the 31 December launch.
    q4 = "/pilotage/services?start=2025-10-01&end=2025-12-31"
    assert found[q4] == ["3"]
    assert set(_names(client.get(q4))) == {
        "Service communautaire 09", "Service communautaire 10", "Service de deux communautés"}

    interventions = text(client.get(f"/pilotage/interventions?year=2025&community={first.id}"))
    assert interventions.count("Sobriété numérique et pédagogie") == 3
    assert found["/pilotage/interventions?start=2025-01-01&end=2025-03-31"] == ["2"]


def test_service_list_shows_ideas_and_communities(client, manager, known):
    client.login(manager)
    page = text(client.get("/pilotage/services?year=2025&territory=national"))
    assert "Mobilité durable" in page and "Énergie et fluides" in page
    assert "Autre origine : Commande nationale" in page
    assert "territoire : national" in page


def test_funnel_counts_drill_down_to_ideas(client, manager):
    community = CommunityFactory(name="Achats responsables")
    adopted = IdeaFactory(community=community, title="Des gourdes pour tous",
                          created_at=datetime(2025, 1, 5), status=IdeaStatus.ADOPTED)
    IdeaFactory(community=community, title="Une idée qui attend", created_at=datetime(2025, 2, 5))
    for source, target, day in [(IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW, 10),
                                (IdeaStatus.IN_REVIEW, IdeaStatus.SELECTED, 11),
                                (IdeaStatus.SELECTED, IdeaStatus.ADOPTED, 12)]:
        db.session.add(StatusChange(idea_id=adopted.id, from_status=source, to_status=target,
                                    created_at=datetime(2025, 3, day)))
    db.session.commit()
    client.login(manager)
    found = links(client.get("/pilotage/?year=2025"))
    assert found["/pilotage/idees?year=2025&stage=submitted"] == ["2"]
    assert found["/pilotage/idees?year=2025&stage=piloting"] == ["1"]
    page = text(client.get("/pilotage/idees?year=2025&stage=adopted"))
    assert "Des gourdes pour tous" in page and "Une idée qui attend" not in page
    vitality = f"/pilotage/idees?year=2025&stage=submitted&community={community.id}"
    assert found[vitality] == ["2"]


def test_drill_down_with_a_bad_period_shows_the_form(client, manager):
    client.login(manager)
    response = client.get("/pilotage/services?start=demain&end=2025-01-01&origin=communities")
    assert response.status_code == 422
    page = text(response)
    assert "Date invalide : « demain »" in page
    assert '<input type="hidden" name="origin" value="communities">' in page
    assert client.get("/pilotage/services.csv?start=demain").status_code == 422


def test_drill_down_numbers_are_clamped_and_unknown_choices_refused(client, manager, known):
    client.login(manager)
    response = client.get("/pilotage/services?year=2025&origin=&territory=x&community=-1")
    assert response.status_code == 200
    assert len(_names(response)) == 17
    refused = client.get("/pilotage/services?year=2025&origin=tout")
    assert refused.status_code == 400
    assert "Le paramètre « origin » n'accepte pas cette valeur." in refused.text


def test_membership_of_a_facilitator_does_not_open_the_dashboard(make_client):
    user = UserFactory()
    MembershipFactory(user=user, community=CommunityFactory(), role="facilitator")
    assert make_client(user).get("/pilotage/").status_code == 403


def test_dashboard_queries_do_not_grow_with_the_data(client, manager):
    from sqlalchemy import event

    def add(n):
        for i in range(n):
            community = CommunityFactory()
            _service(f"Service {community.id}", date(2025, 1 + i % 12, 1),
                     [IdeaFactory(community=community, status=IdeaStatus.ADOPTED)],
                     territory=_territory("siege") if i % 2 else None)
            _intervention(community, date(2025, 1 + i % 12, 2))

    def count() -> int:
        statements = []

        def record(*_args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get("/pilotage/?year=2025").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    client.login(manager)
    add(2)
    few = count()
    add(10)
    assert count() == few


def test_activity_figures_may_be_remembered_but_indicators_stay_live(app, client, manager):
    from ideas.dashboard import cache

    community = CommunityFactory(name="Communauté mémorisée")
    IdeaFactory(community=community, created_at=datetime(2025, 3, 1))
    client.login(manager)
    vitality_url = f"/pilotage/idees?year=2025&stage=submitted&community={community.id}"
    app.config["DASHBOARD_CACHE_SECONDS"] = 300
    try:
        cache.forget()
        first = client.get("/pilotage/?year=2025")
        assert links(first)[vitality_url] == ["1"]
        assert "recalculés au plus toutes les 5 minutes" in text(first)
        IdeaFactory(community=community, created_at=datetime(2025, 4, 1))
        _service("Lancé entre-temps", date(2025, 5, 1))
        again = client.get("/pilotage/?year=2025")
        assert links(again)[vitality_url] == ["1"]  # remembered
        assert links(again)["/pilotage/services?year=2025"] == ["1"]  # live
        cache.forget()
        assert links(client.get("/pilotage/?year=2025"))[vitality_url] == ["2"]
    finally:
        app.config.pop("DASHBOARD_CACHE_SECONDS")
        cache.forget()
    assert "recalculés" not in text(client.get("/pilotage/?year=2025"))


def test_hidden_origin_idea_keeps_its_title_from_managers(client, manager, known):
    """The service still counts for its community; the hidden idea's title stays with its
    author and moderators, on the list and in its export."""
    idea = db.session.scalar(db.select(Service).where(
        Service.name == "Service de deux communautés")).ideas[1]
    idea.title = "Titre qui fâche"
    idea.hidden_at = datetime(2025, 12, 31)
    db.session.commit()
    client.login(manager)
    page = text(client.get("/pilotage/services?year=2025"))
    assert "Service de deux communautés" in page and "Mobilité durable" in page
    assert "Titre qui fâche" not in page and "Idée masquée par la modération" in page
    export = client.get("/pilotage/services.csv?year=2025").get_data(as_text=True)
    assert "Titre qui fâche" not in export and "Idée masquée par la modération" in export
