"""Search in Chromium: the header's search box with the keyboard (arrows through the suggestions,
Enter opens the idea, Escape closes the list), the results page and its facets in place, the
similar ideas appearing beside the new-idea form while typing, a private community's idea absent
for a non-member; axe-core on the search page and on the form with its similar ideas."""

import re

import pytest
from playwright.sync_api import expect

from ideas.communities.models import Community
from ideas.extensions import db
from ideas.reference.models import Theme
from tests import factories
from tests.browser.axe import check_accessibility
from tests.browser.conftest import log_in

COMPOST = "Composter les marcs de café de la salle de pause"
SECRET = "Récupérateur de chaleur confidentiel au siège"


@pytest.fixture(scope="module")
def ideas(live_app, world):
    """A few ideas with words of their own (other browser tests post ideas too)."""
    with live_app.app_context():
        communities = {c.slug: c for c in db.session.scalars(db.select(Community))}
        open_community = communities[world.open_slug]
        private = communities[world.private_slug]
        themes = db.session.scalars(db.select(Theme).order_by(Theme.position).limit(2)).all()
        author = factories.UserFactory(display_name="Autrice Recherche")
        made = {}
        for key, title, body, community, theme in [
            ("compost", COMPOST, "Un bac à compost près de la cafétéria, vidé chaque semaine.",
             open_community, themes[0]),
            ("compost2", "Compost collectif avec le jardin voisin",
             "Mutualiser le composteur avec l'école d'à côté.", open_community, themes[1]),
            ("compost3", "Atelier compostage pour les agents",
             "Apprendre à composter : une heure, un maître composteur.", open_community,
             themes[1]),
            ("secret", SECRET, "Récupérer la chaleur des serveurs pour chauffer l'accueil.",
             private, themes[0]),
        ]:
            idea = factories.IdeaFactory(community=community, author=author, title=title,
                                         body=body, body_html=f"<p>{body}</p>", themes=[theme])
            made[key] = idea.id
        db.session.remove()
    return made


@pytest.fixture
def outsider(live_app):
    """A new agent, member of no community: the private idea is not theirs to see."""
    with live_app.app_context():
        email = factories.UserFactory(display_name="Agent Recherche").email
        db.session.remove()
    return email


def search_box(page):
    return page.get_by_role("combobox", name="Rechercher des idées")


def test_header_search_with_the_keyboard(page, ideas, outsider):
    log_in(page, outsider)
    page.goto("/communautes/")
    box = search_box(page)
    listbox = page.locator("#header-search-listbox")
    box.focus()
    page.keyboard.type("compost", delay=30)
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options).to_have_count(4)  # three ideas and "see all the results"
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#header-search-status")).to_contain_text("3 idées suggérées")

    page.keyboard.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    first_id = options.nth(0).get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    expect(box).to_be_focused()  # focus stays in the box: the option is only "active"
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # wraps to the last option, "see all the results"
    expect(options.nth(3)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")  # and back to the first
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")

    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    expect(box).to_have_value("compost")  # Escape closes the list, keeps the text

    page.keyboard.press("ArrowDown")  # opens it again on the first suggestion
    expect(listbox).to_be_visible()
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    title = options.nth(0).locator(".header-search__title").inner_text()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/idees/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_enter_without_a_choice_opens_the_results(page, ideas, outsider):
    log_in(page, outsider)
    page.goto("/")
    search_box(page).fill("compostage")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/recherche\?q=compostage$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rechercher des idées")
    expect(page.locator("#search-results-title")).to_contain_text("pour « compostage »")
    expect(page.locator(".search-results mark").first).to_be_visible()


def test_a_click_on_a_suggestion_opens_it(page, ideas, outsider):
    log_in(page, outsider)
    page.goto("/")
    search_box(page).press_sequentially("marcs de caf", delay=30)
    option = page.locator("#header-search-listbox").get_by_role("option", name=re.compile(
        "Composter les marcs"))
    option.click()
    expect(page).to_have_url(re.compile(rf"/idees/{ideas['compost']}$"))


def test_results_page_facets_in_place_and_accessible(page, ideas, outsider):
    log_in(page, outsider)
    page.goto("/recherche?q=compost")
    expect(page.locator("#search-results-title")).to_contain_text("3 idées trouvées")
    check_accessibility(page, "search-results")
    # A theme narrows the results in place; the URL keeps it; the count is announced.
    page.evaluate("() => { window.notReloaded = true; }")
    facet = page.locator("#facet-theme").locator("label.fr-label").first
    label = facet.inner_text()
    expected = int(re.search(r"\((\d+)\)", label).group(1))
    facet.click()
    expect(page).to_have_url(re.compile(r"theme=\d+"))
    expect(page.locator(".search-results > li")).to_have_count(expected)
    expect(page.locator("#search-announce")).to_contain_text(
        "idée trouvée" if expected == 1 else "idées trouvées")
    assert page.evaluate("() => window.notReloaded === true")
    # Focus stays on the checkbox just ticked (the facets were replaced around it).
    expect(page.locator("#facet-theme input:checked")).to_be_focused()
    check_accessibility(page, "search-results-filtered")
    # Sort by most supported: in place too.
    page.get_by_label("Trier par").select_option("votes")
    expect(page).to_have_url(re.compile(r"sort=votes"))


def test_a_private_idea_is_absent_for_a_non_member(page, ideas, outsider, world):
    log_in(page, outsider)
    page.goto("/recherche?q=chaleur serveurs")
    expect(page.locator("#search-results-title")).to_contain_text("0 idée trouvée")
    expect(page.get_by_text(SECRET)).to_have_count(0)
    search_box(page).press_sequentially("Récupérateur de chal", delay=20)
    expect(page.locator("#header-search-status")).to_contain_text("Aucune idée suggérée")
    expect(page.locator("#header-search-listbox").get_by_text(SECRET)).to_have_count(0)


def test_a_member_finds_the_private_idea(page, ideas, world):
    log_in(page, world.agent_email)  # a member of the private community
    page.goto("/recherche?q=chaleur serveurs")
    expect(page.get_by_role("link", name=SECRET)).to_be_visible()


def test_similar_ideas_appear_while_typing_a_new_idea(page, ideas, outsider, world):
    log_in(page, outsider)
    page.goto(f"/communautes/{world.open_slug}/idees/nouvelle")
    box = page.locator("#similar-ideas")
    expect(box).to_contain_text("Commencez à écrire le titre")
    page.get_by_role("textbox", name=re.compile("^Titre")).press_sequentially(
        "Composter le café", delay=20)
    similar = box.get_by_role("link", name=COMPOST)
    expect(similar).to_be_visible()
    expect(page.locator("#similar-ideas-status")).to_contain_text("déjà proposée")
    assert box.locator("li").count() <= 5
    page.get_by_role("textbox", name=re.compile("^Description")).press_sequentially(
        "Un compost à la cafétéria.", delay=5)
    expect(similar).to_be_visible()
    check_accessibility(page, "idea-form-similar")
    # Support the existing idea in place instead of posting a second one.
    item = box.locator("li", has=page.get_by_role("link", name=COMPOST))
    support = item.get_by_role("button", name="Soutenir")
    support.click()
    expect(item.get_by_role("button", name="Soutenir")).to_have_attribute("aria-pressed", "true")
    expect(page).to_have_url(re.compile(r"/idees/nouvelle$"))  # still writing


def test_on_a_phone_the_facets_fold_and_stay_folded(page, ideas, outsider):
    log_in(page, outsider)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/recherche?q=compost")
    facets = page.locator("#search-facets")
    expect(facets).not_to_have_attribute("open", "")
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    search = page.locator("#search-q")
    search.fill("compostage")
    search.press("Enter")
    expect(page.locator("#search-results-title")).to_contain_text("pour « compostage »")
    expect(facets).not_to_have_attribute("open", "")  # still folded after the update
    facets.locator("summary").click()
    expect(page.get_by_label("Trier par")).to_be_visible()
