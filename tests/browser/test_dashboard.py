"""The dashboard in a real browser: a manager opens it from the header, the charts are drawn
from their JSON data islands, the data tables are there, a figure drills down to the service
behind it; axe-core on the dashboard, a drill-down list and the review page."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from ideas.extensions import db
from ideas.ideation.models import IdeaStatus
from ideas.offer.models import Service, ServiceStatus, ServiceType
from ideas.research.models import InterventionFormat, ResearchIntervention
from tests import factories
from tests.browser.axe import check_accessibility

COMMUNITY = "Communauté du tableau de bord"
SERVICE = "Parcours de formation à la sobriété numérique"
TABLES = ["quarters", "territories", "communities", "funnel", "delays", "vitality"]


@pytest.fixture(scope="module")
def launched_service(live_app):
    """This year: a service from an adopted idea of a community, and a research intervention."""
    with live_app.app_context():
        community = factories.CommunityFactory(name=COMMUNITY)
        idea = factories.IdeaFactory(community=community, status=IdeaStatus.ADOPTED,
                                     title="Former les ateliers à la sobriété numérique")
        db.session.add_all([
            Service(name=SERVICE, type=ServiceType.TRAINING, launch_date=date.today(),
                    status=ServiceStatus.LAUNCHED, ideas=[idea]),
            ResearchIntervention(community_id=community.id, researcher="Dr Lemaire",
                                 institution="Université de Poitiers", held_on=date.today(),
                                 format=InterventionFormat.WORKSHOP, topic="Mesurer l'empreinte")])
        db.session.commit()
        db.session.remove()


def test_manager_opens_the_dashboard_and_drills_down_to_a_service(manager_page,
                                                                  launched_service):
    page = manager_page
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Pilotage").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau de bord")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"année {date.today().year}")

    for key in TABLES:
        expect(page.locator(f"table#table-{key}")).to_be_visible()
    # Every chart was drawn by Chart.js from its data island, on a canvas of real size.
    canvases = page.locator("canvas[data-chart]")
    expect(canvases).to_have_count(3)
    drawn = page.evaluate("""() => Array.from(document.querySelectorAll('canvas[data-chart]'))
        .map(c => Boolean(window.Chart.getChart(c)) && c.width > 0 && c.height > 0)""")
    assert drawn == [True, True, True]
    data = page.evaluate("""() => JSON.parse(
        document.getElementById('chart-services').textContent).datasets[0].data
        .reduce((a, b) => a + b, 0)""")
    assert data >= 1

    check_accessibility(page, "dashboard")

    row = page.locator("#table-communities tbody tr", has_text=COMMUNITY)
    row.get_by_role("link", name="1", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Services lancés")
    expect(page.get_by_text(f"communauté : {COMMUNITY}")).to_be_visible()
    check_accessibility(page, "dashboard-services")
    page.get_by_role("link", name=SERVICE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SERVICE)
    expect(page.get_by_role("link", name=COMMUNITY)).to_be_visible()


def test_review_page_filters_in_place_and_is_accessible(manager_page, launched_service):
    page = manager_page
    page.goto("/pilotage/revue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Idées à décider")
    check_accessibility(page, "review")
    page.get_by_label("Statut", exact=True).select_option("adopted")
    expect(page).to_have_url(re.compile(r"/pilotage/revue\?status=adopted$"))
    expect(page.locator("#review-results a[href$='.csv?status=adopted']")).to_have_count(1)
    check_accessibility(page, "review-filtered")


def test_dashboard_with_a_wrong_period_keeps_what_was_typed(manager_page):
    page = manager_page
    page.goto("/pilotage/")
    page.get_by_role("textbox", name=re.compile(r"^Du\b")).fill("31/02/2025")
    page.get_by_role("textbox", name=re.compile(r"^Au\b")).fill("01/03/2025")
    page.get_by_role("button", name="Afficher cette période").click()
    expect(page.get_by_text("Date invalide : « 31/02/2025 »")).to_be_visible()
    expect(page.get_by_role("textbox", name=re.compile(r"^Du\b"))).to_have_value("31/02/2025")
    check_accessibility(page, "dashboard-period-error")
