"""A long thread in a real browser: the idea page shows its first comments; "Afficher les
commentaires suivants" adds the next ones in place (focus on the first new comment, the live
region says how many), until there are no more; a link to a comment beyond the first page shows
it; without JavaScript the same link opens the next page."""

import re

import pytest
from playwright.sync_api import expect

from ideas.comments.queries import THREADS_PER_PAGE
from ideas.extensions import db
from tests import factories
from tests.browser.axe import check_accessibility

THREADS = THREADS_PER_PAGE * 2 + 3  # three pages


@pytest.fixture
def long_thread(live_app, world) -> tuple[int, list[int]]:
    """An idea in the open community with THREADS top-level comments (the 21st answered)."""
    with live_app.app_context():
        from ideas.comments import services
        from ideas.communities.models import Community

        community = db.session.scalar(db.select(Community).filter_by(slug=world.open_slug))
        idea = factories.IdeaFactory(community=community, title="Des fontaines dans les ateliers",
                                     author=factories.UserFactory(display_name="Autrice"))
        writer = factories.UserFactory(display_name="Commentatrice")
        ids = []
        for n in range(THREADS):
            comment = services.post_comment(writer, idea, f"Avis numéro {n + 1}")
            db.session.flush()
            ids.append(comment.id)
        services.post_comment(writer, idea, "Réponse à l'avis 21",
                              parent=db.session.get(services.Comment, ids[THREADS_PER_PAGE]))
        db.session.commit()
        idea_id = idea.id
        db.session.remove()
    return idea_id, ids


def test_load_more_comments_in_place(agent_page, long_thread):
    page = agent_page
    idea_id, ids = long_thread
    page.goto(f"/idees/{idea_id}")
    articles = page.locator("#commentaires-liste article")
    expect(articles).to_have_count(THREADS_PER_PAGE)
    more = page.get_by_role("link", name="Afficher les commentaires suivants")
    page.evaluate("() => { window.pageNotReloaded = true; }")

    more.click()
    expect(articles).to_have_count(2 * THREADS_PER_PAGE + 1)  # and the reply to n°21
    first_new = page.locator(f"#commentaire-{ids[THREADS_PER_PAGE]}")
    expect(first_new).to_be_focused()
    expect(first_new).to_contain_text(f"Avis numéro {THREADS_PER_PAGE + 1}")
    expect(page.locator("#commentaires-annonce")).to_have_text(
        f"{THREADS_PER_PAGE + 1} commentaires de plus affichés.")
    check_accessibility(page, "idea-page-more-comments")

    page.get_by_role("link", name="Afficher les commentaires suivants").click()
    expect(articles).to_have_count(THREADS + 1)
    expect(page.locator(f"#commentaire-{ids[2 * THREADS_PER_PAGE]}")).to_be_focused()
    expect(page.get_by_role("link", name="Afficher les commentaires suivants")).to_have_count(0)
    assert page.evaluate("() => window.pageNotReloaded === true"), "the page was reloaded"
    # In order, each once.
    shown = [int(i.removeprefix("commentaire-")) for i in articles.evaluate_all(
        "(nodes) => nodes.map((n) => n.id)")]
    assert [i for i in shown if i in ids] == ids


def test_a_comment_posted_then_reached_by_loading_more_shows_once(agent_page, long_thread):
    page = agent_page
    idea_id, _ids = long_thread
    page.goto(f"/idees/{idea_id}")
    thread = page.locator("#commentaires")
    thread.get_by_role("textbox", name=re.compile("^Votre commentaire")).fill("Le tout dernier")
    thread.get_by_role("button", name="Publier le commentaire").click()
    expect(thread.locator("#commentaires-liste")).to_contain_text("Le tout dernier")
    for _ in range(2):
        page.get_by_role("link", name="Afficher les commentaires suivants").click()
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
    expect(page.get_by_role("link", name="Afficher les commentaires suivants")).to_have_count(0)
    expect(page.locator("#commentaires-liste article", has_text="Le tout dernier")).to_have_count(1)


def test_an_old_link_to_a_later_comment_shows_it(agent_page, long_thread):
    """Emails and bookmarks link /idees/<id>#commentaire-<n>: on the first page it is not, so
    the page goes through the comment's permalink, which opens the page that shows it."""
    page = agent_page
    idea_id, ids = long_thread
    page.goto(f"/idees/{idea_id}#commentaire-{ids[-2]}")
    expect(page).to_have_url(re.compile(rf"/idees/{idea_id}\?commentaires=3#commentaire-{ids[-2]}$"))
    expect(page.locator(f"#commentaire-{ids[-2]}")).to_contain_text(f"Avis numéro {THREADS - 1}")
    expect(page.get_by_role("link", name="Afficher les commentaires précédents")).to_be_visible()


def test_without_javascript_the_link_opens_the_next_page(no_script_agent_page, long_thread):
    page = no_script_agent_page
    idea_id, ids = long_thread
    page.goto(f"/idees/{idea_id}")
    page.get_by_role("link", name="Afficher les commentaires suivants").click()
    expect(page).to_have_url(re.compile(rf"/idees/{idea_id}\?commentaires=2#commentaires$"))
    expect(page.locator(f"#commentaire-{ids[THREADS_PER_PAGE]}")).to_be_visible()
    expect(page.locator(f"#commentaire-{ids[0]}")).to_have_count(0)
    page.get_by_role("link", name="Afficher les commentaires précédents").click()
    expect(page.locator(f"#commentaire-{ids[0]}")).to_be_visible()
