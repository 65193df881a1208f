"""Notifications in Chromium: another agent comments on my idea and my bell's count rises without
a reload (htmx polling, sped up here); opening the notification leads to the comment and marks
it read; marking all as read updates the bell in place; axe-core on the centre and the
preferences page."""

import re

import pytest
from playwright.sync_api import expect

from ideas.extensions import db
from tests import factories
from tests.browser.axe import check_accessibility


@pytest.fixture
def fast_polling(live_app):
    live_app.config["NOTIFICATIONS_POLL_SECONDS"] = 1
    yield
    live_app.config["NOTIFICATIONS_POLL_SECONDS"] = 45


@pytest.fixture
def my_idea(live_app, world) -> int:
    """A fresh idea by the seeded agent in the open community, which the agent follows."""
    with live_app.app_context():
        from ideas.accounts.models import User
        from ideas.communities.models import Community
        from ideas.follows.services import follow_idea

        agent = db.session.scalar(db.select(User).filter_by(email=world.agent_email))
        community = db.session.scalar(db.select(Community).filter_by(slug=world.open_slug))
        idea = factories.IdeaFactory(community=community, author=agent,
                                     title="Des gourdes pour les réunions")
        follow_idea(agent, idea)
        db.session.commit()
        idea_id = idea.id
        db.session.remove()
    return idea_id


def _comment_as_someone_else(live_app, idea_id: int, body: str) -> int:
    with live_app.app_context():
        from ideas.comments.services import post_comment
        from ideas.ideation.models import Idea

        commenter = factories.UserFactory(display_name="Collègue Curieuse")
        comment = post_comment(commenter, db.session.get(Idea, idea_id), body)
        db.session.commit()
        comment_id = comment.id
        db.session.remove()
    return comment_id


def _mark_all_read(live_app, world) -> None:
    """Earlier tests may have left notifications for the seeded agent."""
    with live_app.app_context():
        from ideas.accounts.models import User
        from ideas.notifications.services import mark_all_read

        mark_all_read(db.session.scalar(db.select(User).filter_by(email=world.agent_email)))
        db.session.commit()
        db.session.remove()


def _bell(page):
    return page.locator("header .fr-header__tools-links .notifications-bell")


def test_the_bell_counts_a_new_comment_without_reload_and_opening_reads_it(
        agent_page, live_app, world, my_idea, fast_polling):
    page = agent_page
    _mark_all_read(live_app, world)
    page.goto("/idees")
    bell = _bell(page)
    expect(bell).to_have_attribute("data-unread", "0")
    page.evaluate("() => { window.notReloaded = true; }")

    comment_id = _comment_as_someone_else(live_app, my_idea, "Et des carafes en salle ?")
    expect(bell).to_have_attribute("data-unread", "1", timeout=10_000)
    expect(bell).to_contain_text("(1 non lue)")
    assert page.evaluate("() => window.notReloaded === true"), "the page was reloaded"

    bell.click()
    page.wait_for_url("**/notifications")
    item = page.locator("#notifications-list li").first
    expect(item).to_contain_text("Collègue Curieuse a commenté votre idée « Des gourdes pour "
                                 "les réunions ».")
    expect(item).to_contain_text("Et des carafes en salle ?")
    expect(item).to_contain_text("Non lue")
    check_accessibility(page, "notifications")

    item.get_by_role("link", name=re.compile("^Collègue Curieuse a commenté")).click()
    page.wait_for_url(re.compile(rf"/idees/{my_idea}#commentaire-{comment_id}$"))
    expect(page.locator(f"#commentaire-{comment_id}")).to_contain_text("Et des carafes")
    expect(_bell(page)).to_have_attribute("data-unread", "0")

    page.goto("/notifications")
    expect(page.locator("#notifications-list li").first).not_to_contain_text("Non lue")


def test_the_bell_of_the_mobile_menu_refreshes_too(agent_page, live_app, world, my_idea,
                                                   fast_polling):
    """DSFR copies the header tools into the mobile menu as plain HTML; that copy polls too."""
    page = agent_page
    _mark_all_read(live_app, world)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/idees")
    page.get_by_role("button", name="Menu").click()
    bell = page.locator("header .fr-header__menu-links .notifications-bell")
    expect(bell).to_be_visible()
    expect(bell).to_have_attribute("data-unread", "0")
    _comment_as_someone_else(live_app, my_idea, "Vu depuis mon téléphone.")
    expect(bell).to_have_attribute("data-unread", "1", timeout=10_000)


def test_mark_one_and_all_read_in_place(agent_page, live_app, world, my_idea):
    page = agent_page
    _mark_all_read(live_app, world)
    _comment_as_someone_else(live_app, my_idea, "Premier avis.")
    _comment_as_someone_else(live_app, my_idea, "Second avis.")
    page.goto("/notifications")
    expect(_bell(page)).to_have_attribute("data-unread", "2")
    page.evaluate("() => { window.notReloaded = true; }")

    first = page.locator("#notifications-list li").first
    first.get_by_role("button", name=re.compile("^Marquer comme lue")).click()
    expect(first).not_to_contain_text("Non lue")
    expect(_bell(page)).to_have_attribute("data-unread", "1")
    expect(page.locator("#notifications-unread")).to_have_text("1 notification non lue.")

    page.get_by_role("button", name="Tout marquer comme lu").click()
    expect(_bell(page)).to_have_attribute("data-unread", "0")
    expect(page.locator("#notifications-unread")).to_have_text("Aucune notification non lue.")
    expect(page.locator("#notifications-list")).not_to_contain_text("Non lue")
    assert page.evaluate("() => window.notReloaded === true")


def test_preferences_page_saves_and_is_accessible(agent_page):
    page = agent_page
    page.goto("/profil")
    page.get_by_role("link", name="Choisir quand recevoir des emails").click()
    page.wait_for_url("**/profil/notifications")
    check_accessibility(page, "notification-preferences")
    group = page.get_by_role("group", name="Une nouvelle idée dans une communauté que je suis")
    expect(group.get_by_role("radio", name="Résumé hebdomadaire")).to_be_checked()
    group.locator("label", has_text="Jamais").click()  # DSFR draws the radio
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    expect(page.locator("#flash-messages")).to_contain_text("préférences de notification")
    group = page.get_by_role("group", name="Une nouvelle idée dans une communauté que je suis")
    expect(group.get_by_role("radio", name="Jamais")).to_be_checked()
    group.locator("label", has_text="Résumé hebdomadaire").click()
    page.get_by_role("button", name="Enregistrer mes préférences").click()
