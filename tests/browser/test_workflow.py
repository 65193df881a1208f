"""The workflow in a real browser: a manager moves an idea in_review → selected → piloting →
adopted from its page, creating the service on the spot; a refusal comes back in place (htmx)
with what was typed; the timeline and the service page link both ways. axe-core on the idea
page with the form open and on the service page."""

import re

import pytest
from playwright.sync_api import expect

from ideas.extensions import db
from ideas.ideation.models import IdeaStatus
from tests import factories
from tests.browser.axe import check_accessibility

TITLE = "Un atelier de réparation de vélos dans chaque Atelier"
SERVICE = "Atelier vélo itinérant"


@pytest.fixture
def idea_in_review(live_app, world) -> int:
    with live_app.app_context():
        community = db.session.scalar(db.select(factories.Community).filter_by(
            slug=world.open_slug))
        idea = factories.IdeaFactory(community=community, status=IdeaStatus.IN_REVIEW,
                                     title=TITLE)
        idea_id = idea.id
        db.session.remove()
    return idea_id


def open_form(page):
    toggle = page.get_by_role("button", name="Changer le statut", exact=True).first
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(page.locator("#workflow-move-form")).to_be_visible()
    return page.locator("#workflow-move-form")


def move(page, label: str, answer: str = "") -> None:
    form = open_form(page)
    form.get_by_label("Nouveau statut").select_option(label=label)
    if answer:
        form.get_by_label(re.compile("^Réponse officielle")).fill(answer)
    form.get_by_role("button", name="Changer le statut").click()
    expect(page.get_by_text(f"L'idée est passée au statut « {label} ».")).to_be_visible()


def test_manager_moves_an_idea_up_to_a_new_service(manager_page, idea_in_review):
    page = manager_page
    page.goto(f"/idees/{idea_in_review}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    move(page, "retenue", "La direction **retient** l'idée.")
    expect(page.locator("#statut")).to_contain_text("à l'étude → retenue")
    expect(page.locator("#statut strong", has_text="retient")).to_be_visible()
    move(page, "en expérimentation")
    expect(page.locator("#statut")).to_contain_text("retenue → en expérimentation")

    form = open_form(page)
    # Only the chosen state's fields show: nothing about services until "adoptée" is chosen.
    service_section = form.locator("[data-when-status='adopted']")
    expect(service_section).to_be_hidden()
    form.get_by_label("Nouveau statut").select_option(label="adoptée — devenue service")
    expect(service_section).to_be_visible()
    form.locator("label", has_text="Un nouveau service, créé maintenant").click()
    expect(form.get_by_label("Nom du nouveau service")).to_be_visible()
    expect(form.get_by_label("Service existant", exact=True)).to_be_hidden()
    form.get_by_label("Nom du nouveau service").fill(SERVICE)
    form.get_by_label("Type", exact=True).select_option(label="Accompagnement")
    form.get_by_label(re.compile("^Date de lancement")).fill("15/03/2026")
    form.get_by_label("État du service").select_option(label="Lancé")
    check_accessibility(page, "idea-workflow-form")

    # No answer: refused in place, without a reload, everything typed kept.
    page.evaluate("() => { window.notReloaded = true; }")
    form.get_by_role("button", name="Changer le statut").click()
    form = page.locator("#workflow-move-form")
    expect(form.get_by_text("Une réponse officielle est obligatoire pour ce statut.")
           ).to_be_visible()
    assert page.evaluate("() => window.notReloaded === true")
    expect(form.get_by_label("Nom du nouveau service")).to_have_value(SERVICE)
    expect(form.get_by_label("Nom du nouveau service")).to_be_visible()
    check_accessibility(page, "idea-workflow-form-error")

    form.get_by_label(re.compile("^Réponse officielle")).fill("Adoptée : le service est ouvert.")
    form.get_by_role("button", name="Changer le statut").click()
    expect(page.get_by_text("L'idée est passée au statut « adoptée — devenue service ».")
           ).to_be_visible()
    timeline = page.locator("#statut")
    expect(timeline).to_contain_text("en expérimentation → adoptée — devenue service")
    expect(page.get_by_role("button", name="Changer le statut", exact=True)).to_have_count(0)

    timeline.get_by_role("link", name=SERVICE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SERVICE)
    expect(page.get_by_text("15 mars 2026")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    check_accessibility(page, "service")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
