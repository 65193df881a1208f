"""Supports and follows in a real browser: agent B supports agent A's idea and sees the count
change in place, without a page reload, then withdraws the support; same for following."""

import pytest
from playwright.sync_api import expect

from ideas.extensions import db
from tests import factories


@pytest.fixture
def idea_id(live_app, world) -> int:
    """A fresh idea in the open community, by another agent (A), for each test."""
    with live_app.app_context():
        from ideas.communities.models import Community

        community = db.session.scalar(db.select(Community).filter_by(slug=world.open_slug))
        idea = factories.IdeaFactory(community=community,
                                     title="Des gourdes plutôt que des bouteilles",
                                     author=factories.UserFactory(display_name="Agente A"))
        idea_id = idea.id
        db.session.remove()
    return idea_id


def _stored_votes(live_app, idea_id: int) -> tuple[int, int]:
    """(counter, rows) as the live app's database holds them."""
    from ideas.ideation.models import Idea
    from ideas.votes.models import Vote

    with live_app.app_context():
        counter = db.session.get(Idea, idea_id).vote_count
        rows = db.session.scalar(db.select(db.func.count()).select_from(Vote)
                                 .where(Vote.idea_id == idea_id))
        db.session.remove()
    return counter, rows


def test_support_and_withdraw_without_reload(agent_page, idea_id, live_app):
    page = agent_page
    page.goto(f"/idees/{idea_id}")
    page.evaluate("() => { window.pageNotReloaded = true; }")
    support = page.locator(f"#soutien-{idea_id}")
    button = support.get_by_role("button", name="Soutenir")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(support).to_contain_text("0 soutien")

    button.click()
    expect(support.get_by_role("button", name="Soutenir")).to_have_attribute("aria-pressed", "true")
    expect(support).to_contain_text("1 soutien · dont le vôtre")
    expect(page.locator(f"#soutien-{idea_id}-annonce")).to_have_text(
        "Vous soutenez cette idée. 1 soutien")
    assert _stored_votes(live_app, idea_id) == (1, 1)

    support.get_by_role("button", name="Soutenir").click()
    expect(support.get_by_role("button", name="Soutenir")).to_have_attribute(
        "aria-pressed", "false")
    expect(support).to_contain_text("0 soutien")
    expect(page.locator(f"#soutien-{idea_id}-annonce")).to_have_text(
        "Votre soutien est retiré. 0 soutien")
    assert page.evaluate("() => window.pageNotReloaded === true")
    assert _stored_votes(live_app, idea_id) == (0, 0)


def test_double_click_supports_once(agent_page, idea_id, live_app):
    """A double click leaves one support, never a support then a withdrawal: the button is
    disabled while its request is in flight, and a second request would ask for the same state."""
    page = agent_page
    page.goto(f"/idees/{idea_id}")
    page.locator(f"#soutien-{idea_id}").get_by_role("button", name="Soutenir").dblclick()
    expect(page.locator(f"#soutien-{idea_id}-annonce")).to_have_text(
        "Vous soutenez cette idée. 1 soutien")
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"#soutien-{idea_id}").get_by_role("button", name="Soutenir")
           ).to_have_attribute("aria-pressed", "true")
    assert _stored_votes(live_app, idea_id) == (1, 1)


def test_the_author_sees_the_count_but_no_button(page, idea_id, live_app):
    from tests.browser.conftest import log_in

    with live_app.app_context():
        from ideas.ideation.models import Idea

        author_email = db.session.get(Idea, idea_id).author.email
        db.session.remove()
    log_in(page, author_email)
    page.goto(f"/idees/{idea_id}")
    support = page.locator(f"#soutien-{idea_id}")
    expect(support).to_contain_text("0 soutien")
    expect(support).to_contain_text("Vous ne pouvez pas soutenir votre propre idée.")
    expect(support.get_by_role("button")).to_have_count(0)


def test_follow_and_unfollow_without_reload(agent_page, idea_id):
    page = agent_page
    page.goto(f"/idees/{idea_id}")
    page.evaluate("() => { window.pageNotReloaded = true; }")
    follow = page.locator(f"#suivi-{idea_id}")
    follow.get_by_role("button", name="Suivre l'idée").click()
    expect(follow.get_by_role("button", name="Suivre l'idée")).to_have_attribute(
        "aria-pressed", "true")
    expect(follow).to_contain_text("1 personne suit cette idée")
    follow.get_by_role("button", name="Suivre l'idée").click()
    expect(follow.get_by_role("button", name="Suivre l'idée")).to_have_attribute(
        "aria-pressed", "false")
    expect(follow).to_contain_text("0 personne suit cette idée")
    assert page.evaluate("() => window.pageNotReloaded === true")
