"""The review of ideas to decide on: who sees which rows (page and export), filters, sorting,
and a fixed number of queries whatever the number of ideas."""

import csv
import io
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from ideas.extensions import db
from ideas.ideation.models import IdeaStatus
from ideas.offer.models import Service, ServiceStatus, ServiceType
from ideas.reference.models import Territory, Theme
from ideas.utils import utcnow
from tests.factories import CommunityFactory, IdeaFactory, MembershipFactory, UserFactory
from tests.helpers import text

TITLE = re.compile(r'<th scope="row"><a href="/idees/\d+">([^<]+)</a>')


def titles(response) -> list[str]:
    return TITLE.findall(text(response))


def csv_titles(response) -> list[str]:
    rows = list(csv.reader(io.StringIO(response.get_data()[3:].decode()), delimiter=";"))
    return [row[1] for row in rows[1:]]


def xlsx_titles(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return [row[1] for row in list(sheet.iter_rows(values_only=True))[1:]]


def _idea(title, community, status=IdeaStatus.IN_REVIEW, posted_days=10, changed_days=None,
          **kwargs):
    now = utcnow()
    return IdeaFactory(title=title, community=community, status=status,
                       created_at=now - timedelta(days=posted_days),
                       status_changed_at=None if changed_days is None
                       else now - timedelta(days=changed_days), **kwargs)


@pytest.fixture
def world(db):
    territory = db.session.scalars(db.select(Territory).where(
        Territory.kind == "direction").order_by(Territory.position)).first()
    theme = db.session.scalars(db.select(Theme).order_by(Theme.position)).first()
    a = CommunityFactory(name="Communauté A", territory_id=territory.id)
    b = CommunityFactory(name="Communauté B")
    _idea("Idée A à l'étude", a, posted_days=40, changed_days=35, themes=[theme])
    _idea("Idée A retenue", a, IdeaStatus.SELECTED, posted_days=200, changed_days=3)
    adopted = _idea("Idée A adoptée", a, IdeaStatus.ADOPTED, posted_days=100, changed_days=10)
    _idea("Idée A adoptée il y a longtemps", a, IdeaStatus.ADOPTED, posted_days=400,
          changed_days=300)
    _idea("Idée A déposée", a, IdeaStatus.SUBMITTED)
    _idea("Idée A non retenue", a, IdeaStatus.DECLINED)
    _idea("Idée B en expérimentation", b, IdeaStatus.PILOTING, posted_days=20, changed_days=5,
          vote_count=9)
    db.session.add(Service(name="Gourdes en atelier", type=ServiceType.RESOURCE,
                           status=ServiceStatus.LAUNCHED, ideas=[adopted]))
    db.session.commit()
    facilitator_of_a = UserFactory(display_name="Animatrice A")
    MembershipFactory(user=facilitator_of_a, community=a, role="facilitator")
    MembershipFactory(user=facilitator_of_a, community=b)  # a member of B, not its facilitator
    return {"a": a, "b": b, "territory": territory, "theme": theme,
            "facilitator": facilitator_of_a}


def test_manager_sees_ideas_to_decide_and_recent_adoptions(make_client, manager, world):
    response = make_client(manager).get("/pilotage/revue")
    assert response.status_code == 200
    # Waiting longest (since the last status change) first.
    assert titles(response) == ["Idée A à l'étude", "Idée A adoptée",
                                "Idée B en expérimentation", "Idée A retenue"]
    assert "Gourdes en atelier" in text(response)


def test_facilitator_gets_only_their_communities_in_page_and_export(make_client, world):
    client = make_client(world["facilitator"])
    expected = {"Idée A à l'étude", "Idée A retenue", "Idée A adoptée"}
    assert set(titles(client.get("/pilotage/revue"))) == expected
    # Asking for B explicitly gives nothing either.
    assert titles(client.get(f"/pilotage/revue?community={world['b'].id}")) == []
    assert set(csv_titles(client.get("/pilotage/revue.csv"))) == expected
    assert set(xlsx_titles(client.get("/pilotage/revue.xlsx"))) == expected
    assert xlsx_titles(client.get(f"/pilotage/revue.xlsx?community={world['b'].id}")) == []
    assert "Communauté B" not in text(client.get("/pilotage/revue"))


def test_agents_and_plain_members_are_refused(make_client, agent, world):
    assert make_client(agent).get("/pilotage/revue").status_code == 403
    assert make_client(agent).get("/pilotage/revue.csv").status_code == 403
    member = UserFactory()
    MembershipFactory(user=member, community=world["a"])
    assert make_client(member).get("/pilotage/revue").status_code == 403


@pytest.mark.parametrize(("query", "expected"), [
    ("status=selected", ["Idée A retenue"]),
    ("status=adopted", ["Idée A adoptée"]),
    ("community={b}", ["Idée B en expérimentation"]),
    ("territory={territory}", ["Idée A à l'étude", "Idée A adoptée", "Idée A retenue"]),
    ("theme={theme}", ["Idée A à l'étude"]),
    ("age=30", ["Idée A à l'étude"]),
    ("age=30&since=posted", ["Idée A à l'étude", "Idée A adoptée", "Idée A retenue"]),
    ("sort=supported", ["Idée B en expérimentation", "Idée A retenue", "Idée A adoptée",
                        "Idée A à l'étude"]),
    ("sort=recent", ["Idée B en expérimentation", "Idée A à l'étude", "Idée A adoptée",
                     "Idée A retenue"]),
    ("status=&sort=", ["Idée A à l'étude", "Idée A adoptée",
                                       "Idée B en expérimentation", "Idée A retenue"]),
])
def test_filters_and_sorts(make_client, manager, world, query, expected):
    url = "/pilotage/revue?" + query.format(b=world["b"].id, territory=world["territory"].id,
                                            theme=world["theme"].id)
    client = make_client(manager)
    assert titles(client.get(url)) == expected
    assert csv_titles(client.get(url.replace("/revue?", "/revue.csv?"))) == expected


@pytest.mark.parametrize("query", ["status=declined", "sort=nimporte", "since=jamais"])
def test_values_the_review_does_not_offer_are_refused(make_client, manager, query):
    response = make_client(manager).get(f"/pilotage/revue?{query}")
    assert response.status_code == 400
    assert f"Le paramètre « {query.split('=')[0]} » n'accepte pas" in response.text


def test_htmx_filter_returns_the_results_fragment(make_client, manager, world):
    response = make_client(manager).get("/pilotage/revue?status=selected",
                                        headers={"HX-Request": "true"})
    page = text(response)
    assert "<html" not in page and titles(response) == ["Idée A retenue"]
    assert 'href="/pilotage/revue.csv?status=selected"' in page
    assert response.headers["HX-Push-Url"] == "/pilotage/revue?status=selected"


@contextmanager
def counting_queries():
    statements: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _queries(client, url) -> int:
    with counting_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_no_n_plus_one(make_client, manager):
    client = make_client(manager)
    themes = db.session.scalars(db.select(Theme).limit(2)).all()

    def add(n):
        for i in range(n):
            community = CommunityFactory(territory_id=None)
            idea = _idea(f"Idée n°{i} à décider", community, themes=themes,
                         status=IdeaStatus.ADOPTED if i % 2 else IdeaStatus.IN_REVIEW,
                         changed_days=1)
            db.session.add(Service(name=f"Service {i}", type=ServiceType.RESOURCE,
                                   status=ServiceStatus.LAUNCHED, ideas=[idea]))
        db.session.commit()

    add(3)
    few = [_queries(client, url) for url in ("/pilotage/revue", "/pilotage/revue.csv")]
    add(15)
    assert [_queries(client, url) for url in ("/pilotage/revue", "/pilotage/revue.csv")] == few


def test_a_page_past_the_end_shows_the_last_page(make_client, manager, app):
    community = CommunityFactory()
    for n in range(app.config["PER_PAGE"] + 3):
        _idea(f"Idée en attente n°{n:02d}", community, changed_days=100 - n)
    response = make_client(manager).get("/pilotage/revue?page=99")
    assert response.status_code == 200
    assert titles(response) == [f"Idée en attente n°{n:02d}"
                                for n in range(app.config["PER_PAGE"], app.config["PER_PAGE"] + 3)]
