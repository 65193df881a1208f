"""The foundation journey a newcomer makes, in a real browser: sign up, log out and in, join an
open community without a page reload, find it under "Mes communautés", switch to English."""

import re

from babel.support import Translations
from playwright.sync_api import expect

from tests.browser.axe import check_accessibility

NEWCOMER = {"email": "Nouvelle.Agente@reseau-canope.fr", "name": "Nouvelle Agente",
            "territory": "Atelier Canopé 35 – Ille-et-Vilaine",
            "password": "une phrase de passe assez longue"}


def english(live_app, french: str) -> str:
    """The English the live app will show for a French source string (itself if untranslated)."""
    catalogs = Translations.load(live_app.config["BABEL_TRANSLATION_DIRECTORIES"], ["en"])
    return catalogs.gettext(french)


def sign_up(page) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/connexion\?next="))  # anonymous: sent to log in
    page.get_by_role("link", name="Créer un compte").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")
    page.get_by_role("textbox", name="Adresse électronique professionnelle").fill(
        NEWCOMER["email"])
    page.get_by_role("textbox", name="Nom affiché").fill(NEWCOMER["name"])
    page.get_by_role("combobox", name="Territoire d'affectation").select_option(
        label=NEWCOMER["territory"])
    # DSFR puts the hint inside the label, so it is part of the field's accessible name.
    page.get_by_role("textbox", name=re.compile("^Mot de passe")).fill(NEWCOMER["password"])
    page.get_by_role("textbox", name="Confirmez le mot de passe").fill(NEWCOMER["password"])
    page.get_by_role("button", name="Créer mon compte").click()


def test_newcomer_signs_up_joins_a_community_and_switches_to_english(page, world, live_app):
    sign_up(page)
    expect(page.locator("#flash-messages")).to_contain_text("Votre compte est créé")
    header = page.locator("header[role=banner]")
    expect(header.get_by_role("link", name=NEWCOMER["name"])).to_be_visible()

    header.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile(r"/connexion$"))
    expect(page.locator("#flash-messages")).to_contain_text("Vous êtes déconnecté")
    expect(header.get_by_role("link", name=NEWCOMER["name"])).to_have_count(0)

    # Emails are unique whatever their case: the lower-case address logs in.
    page.get_by_role("textbox", name="Adresse électronique").fill(NEWCOMER["email"].lower())
    page.get_by_role("textbox", name="Mot de passe", exact=True).fill(NEWCOMER["password"])
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {NEWCOMER['name']}")

    nav = page.locator("#navigation-principale")  # its label is translated too
    nav.get_by_role("link", name="Communautés", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Communautés apprenantes")
    page.get_by_role("link", name=world.open_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.open_name)

    # The join button posts through htmx: only the membership box changes, the page stays.
    box = page.locator("#membership-box")
    page.evaluate("() => { window.pageNotReloaded = true; }")
    box.get_by_role("button", name="Rejoindre la communauté").click()
    expect(box).to_contain_text("Vous êtes membre de cette communauté.")
    expect(box.get_by_role("button", name="Quitter la communauté")).to_be_visible()
    assert page.evaluate("() => window.pageNotReloaded === true"), "the page was reloaded"

    nav.get_by_role("link", name="Mes communautés").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes communautés")
    expect(page.locator("main").get_by_role("link", name=world.open_name)).to_be_visible()

    header.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/communautes/miennes$"))  # stays on the same page
    expect(header.get_by_role("button", name="Français")).to_be_visible()
    my_communities = english(live_app, "Mes communautés")
    if my_communities != "Mes communautés":  # the English catalog may still be in progress
        expect(page.get_by_role("heading", level=1)).to_have_text(my_communities)
        expect(nav.get_by_role("link", name=my_communities)).to_be_visible()
    check_accessibility(page, "my-communities-en")

    # The choice is saved on the profile: it survives logging out and in again.
    page.context.clear_cookies()
    page.goto("/connexion")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("textbox", name="Adresse électronique").fill(NEWCOMER["email"])
    page.locator("#password").fill(NEWCOMER["password"])
    page.locator("#password").press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
