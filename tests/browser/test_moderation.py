"""Moderation in a real browser: an agent reports a comment in place; the facilitator sees the
badge in the menu, opens the queue, hides the comment with a reason (htmx, in place); its author
reads the reason; the log shows the action. axe-core on the queue and on the log."""

import pytest
from playwright.sync_api import expect

from ideas.comments.services import post_comment
from ideas.extensions import db
from tests import factories
from tests.browser.axe import check_accessibility
from tests.browser.conftest import log_in

AGENT = "agent.navigateur@reseau-canope.fr"
FACILITATOR = "animatrice.navigateur@reseau-canope.fr"
COMMENTER = "commentateur.navigateur@reseau-canope.fr"
COMMENT = "Ceux qui proposent ça n'ont jamais travaillé en atelier."
REASON = "Propos désobligeants envers les collègues."


@pytest.fixture
def commented_idea(live_app, world) -> tuple[int, int]:
    with live_app.app_context():
        community = db.session.scalar(db.select(factories.Community).filter_by(
            slug=world.open_slug))
        idea = factories.IdeaFactory(community=community, title="Des vélos de service partagés",
                                     author=factories.UserFactory(display_name="Autrice"))
        commenter = db.session.scalar(db.select(factories.User).filter_by(email=COMMENTER))
        if commenter is None:
            commenter = factories.UserFactory(email=COMMENTER, display_name="Commentateur")
        comment = post_comment(commenter, idea, COMMENT)
        db.session.commit()
        ids = idea.id, comment.id
        db.session.remove()
    return ids


def switch_user(page, email: str) -> None:
    page.context.clear_cookies()
    log_in(page, email)


def test_report_hide_and_log(agent_page, commented_idea):
    page = agent_page
    idea_id, comment_id = commented_idea
    article = f"#commentaire-{comment_id}"

    # The agent reports the comment, in place.
    page.goto(f"/idees/{idea_id}")
    page.locator(article).get_by_role("link", name="Signaler ce commentaire").click()
    form = page.locator(f"#signaler-c{comment_id}")
    form.locator("label", has_text="Irrespectueux").click()  # DSFR: the label takes the click
    form.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.locator(f"#signaler-c{comment_id}")).to_contain_text("Signalé")
    page.reload()
    expect(page.locator(f"#signaler-c{comment_id}")).to_contain_text("Signalé")

    # The facilitator sees the badge and opens the queue from the menu.
    switch_user(page, FACILITATOR)
    menu_link = page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Modération")
    expect(menu_link.locator(".moderation-badge")).to_have_text("1")
    menu_link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("File de modération")
    entry = page.locator(f"#file-c{comment_id}")
    expect(entry).to_contain_text(COMMENT)
    expect(entry).to_contain_text("Irrespectueux (1)")
    check_accessibility(page, "moderation-queue")

    # Hidden in place, with the reason its author will read.
    entry.get_by_label("Motif du masquage (lu par l'auteur ou l'autrice)").fill(REASON)
    page.evaluate("() => { window.notReloaded = true; }")
    entry.get_by_role("button", name="Masquer").click()
    expect(page.locator(f"#file-c{comment_id}")).to_contain_text("Traité")
    assert page.evaluate("() => window.notReloaded === true")

    # Others see a placeholder; the author reads the reason.
    switch_user(page, AGENT)
    page.goto(f"/idees/{idea_id}")
    expect(page.locator(article)).to_contain_text("Masqué par la modération")
    expect(page.locator(article)).not_to_contain_text(COMMENT)
    switch_user(page, COMMENTER)
    page.goto(f"/idees/{idea_id}")
    expect(page.locator(article)).to_contain_text(COMMENT)
    expect(page.locator(article)).to_contain_text(f"Motif : {REASON}")

    # The log shows the action.
    switch_user(page, FACILITATOR)
    page.goto("/moderation/journal")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Masquage")
    expect(row).to_contain_text("Animatrice Navigateur")
    expect(row).to_contain_text(REASON)
    check_accessibility(page, "moderation-log")

