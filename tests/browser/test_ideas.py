"""Ideas in a real browser: post with a preview (htmx, no reload) and a draft that survives a
reload, edit, withdraw; lists that load more in place and keep their filters in the URL; axe-core
on the list, idea and form pages."""

import re

import pytest
from playwright.sync_api import expect

from ideas.extensions import db
from ideas.reference.models import Theme
from tests import factories
from tests.browser.axe import check_accessibility
from tests.browser.conftest import log_in

TITLE = "Des gourdes plutôt que des bouteilles en réunion"
BODY = ("Remplacer les bouteilles par des **gourdes** et une fontaine.\n\n"
        "- moins de plastique\n- moins d'achats\n\n"
        "<script>window.hacked = true</script> [lien piégé](javascript:window.hacked=true)")


def _in_live_app(live_app, make):
    with live_app.app_context():
        value = make()
        db.session.remove()
    return value


@pytest.fixture
def author(live_app):
    """An agent of their own, so joining the open community on the way changes no other test."""
    return _in_live_app(live_app, lambda: factories.UserFactory(
        display_name="Agente Idées").email)


@pytest.fixture
def theme_name(live_app) -> str:
    return _in_live_app(live_app, lambda: db.session.scalars(
        db.select(Theme).where(Theme.is_active).order_by(Theme.position)).first().name_fr)


def tick(page, label: str) -> None:
    """DSFR draws the box on the label, over the real input: click the label, as people do."""
    page.locator("label.fr-label", has_text=re.compile(f"^{re.escape(label)}$")).click()
    expect(page.get_by_role("checkbox", name=label, exact=True)).to_be_checked()


def no_reload_marker(page) -> None:
    page.evaluate("() => { window.notReloaded = true; }")


def was_not_reloaded(page) -> bool:
    return page.evaluate("() => window.notReloaded === true")


def test_post_with_preview_and_draft_then_edit_and_withdraw(page, world, author, theme_name):
    log_in(page, author)
    page.goto(f"/communautes/{world.open_slug}")
    page.get_by_role("link", name="Proposer une idée").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposer une idée")
    expect(page.get_by_text("vous rejoindrez cette communauté ouverte")).to_be_visible()
    check_accessibility(page, "idea-form")

    page.get_by_role("textbox", name=re.compile("^Titre")).fill(TITLE)
    page.get_by_role("textbox", name=re.compile("^Description")).fill(BODY)
    tick(page, theme_name)
    tick(page, "12 – Consommation et production responsables")
    page.get_by_role("textbox", name=re.compile("^Mots-clés")).fill("Plastique, réunions")

    # Preview: rendered by the server, swapped in place, hostile Markdown inert.
    no_reload_marker(page)
    page.get_by_role("button", name="Aperçu").click()
    preview = page.locator("#idea-preview")
    expect(preview.locator("strong")).to_have_text("gourdes")
    expect(preview.locator("li")).to_have_count(2)
    expect(preview.locator("script")).to_have_count(0)
    expect(preview.locator("a[href^='javascript']")).to_have_count(0)
    assert was_not_reloaded(page)
    assert page.evaluate("() => window.hacked") is None

    # The draft survives a reload (closed tab, crash), with a notice.
    page.wait_for_timeout(500)  # the draft is saved 300 ms after the last keystroke
    page.reload()
    expect(page.get_by_role("textbox", name=re.compile("^Titre"))).to_have_value(TITLE)
    expect(page.get_by_role("checkbox", name=theme_name, exact=True)).to_be_checked()
    expect(page.locator("#draft-notice")).to_be_visible()

    page.get_by_role("button", name="Publier l'idée").click()
    expect(page).to_have_url(re.compile(r"/idees/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#flash-messages")).to_contain_text("Votre idée est publiée")
    expect(page.locator(".idea-body strong")).to_have_text("gourdes")
    expect(page.locator(".idea-body script")).to_have_count(0)
    assert page.evaluate("() => window.hacked") is None
    drafts = page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.includes('idee-brouillon'))")
    assert drafts == [], "the draft should be cleared once the idea is published"
    expect(page.get_by_text("1 personne suit cette idée")).to_be_visible()  # the author
    check_accessibility(page, "idea-page")

    # Edit: the new title shows, with the "modifiée" mark.
    page.get_by_role("link", name="Modifier mon idée").click()
    title = page.get_by_role("textbox", name=re.compile("^Titre"))
    expect(title).to_have_value(TITLE)
    new_title = "Des gourdes pour toutes les réunions"
    title.fill(new_title)
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(new_title)
    expect(page.locator(".fr-badges-group")).to_contain_text("modifiée")

    # Withdraw, after a confirmation page.
    page.get_by_role("link", name="Retirer mon idée").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Retirer l'idée")
    page.get_by_role("button", name="Oui, retirer mon idée").click()
    expect(page.locator(".fr-badges-group")).to_contain_text("retirée")
    expect(page.get_by_role("link", name="Modifier mon idée")).to_have_count(0)
    expect(page.locator("#flash-messages")).to_contain_text("Votre idée est retirée")


def test_form_errors_keep_the_text_and_are_accessible(page, world, author):
    log_in(page, author)
    page.goto(f"/communautes/{world.open_slug}/idees/nouvelle")
    page.get_by_role("textbox", name=re.compile("^Description")).fill("Un texte sans titre.")
    page.get_by_role("button", name="Publier l'idée").click()
    expect(page.get_by_text("Donnez un titre à votre idée.")).to_be_visible()
    expect(page.get_by_text("Choisissez au moins un thème.")).to_be_visible()
    expect(page.get_by_role("textbox", name=re.compile("^Description"))).to_have_value(
        "Un texte sans titre.")
    check_accessibility(page, "idea-form-errors")


@pytest.fixture
def crowded_community(live_app):
    """A community with 25 ideas: more than one page."""
    def make():
        community = factories.CommunityFactory(name="Communauté très active")
        authors = [factories.UserFactory() for _ in range(3)]
        for n in range(25):
            factories.IdeaFactory(community=community, author=authors[n % 3],
                                  title=f"Idée numéro {n:02d} de la communauté active",
                                  vote_count=n)
        return community.id, community.slug

    return _in_live_app(live_app, make)


def test_lists_load_more_in_place_and_keep_filters_in_the_url(agent_page, crowded_community):
    page = agent_page
    community_id, slug = crowded_community
    page.goto(f"/idees?community={community_id}")
    cards = page.locator("#idea-list .fr-card")
    expect(cards).to_have_count(20)
    check_accessibility(page, "ideas-list")

    no_reload_marker(page)
    page.get_by_role("link", name="Afficher plus d'idées").click()
    expect(cards).to_have_count(25)
    expect(page.get_by_role("link", name="Afficher plus d'idées")).to_have_count(0)
    # Focus lands on the first idea it brought, not on <body>.
    expect(page.locator("#idea-list > li").nth(20).locator("a")).to_be_focused()
    assert was_not_reloaded(page)

    # Sorting updates the list in place and the URL, so it can be shared; back restores.
    page.get_by_role("combobox", name="Trier par").select_option("supported")
    expect(page).to_have_url(re.compile(r"sort=supported"))
    expect(cards.first).to_contain_text("Idée numéro 24")
    assert was_not_reloaded(page)
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"sort=supported"))
    expect(cards.first).to_be_visible()

    page.goto(f"/communautes/{slug}/idees?sort=supported")
    expect(page.locator("#idea-list .fr-card").first).to_contain_text("Idée numéro 24")
    check_accessibility(page, "community-ideas-list")
