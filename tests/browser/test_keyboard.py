"""Keyboard only: the skip link comes first and leads to the content; logging in needs no mouse."""

import re

from playwright.sync_api import expect

from tests import factories


def focused_outline(page) -> str:
    return page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")


def test_skip_link_is_first_and_moves_focus_to_main(page):
    page.goto("/connexion")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # DSFR shows the skip links when they get focus
    assert focused_outline(page) != "none", "the focused skip link has no visible outline"

    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
    # The next Tab starts from the content, not from the top of the page.
    page.keyboard.press("Tab")
    expect(page.locator("#email")).to_be_focused()


def test_login_form_works_with_the_keyboard_only(page, world):
    page.goto("/connexion")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip to the content
    page.keyboard.press("Tab")
    expect(page.locator("#email")).to_be_focused()
    page.keyboard.type(world.agent_email)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    assert focused_outline(page) != "none", "the focused field has no visible outline"
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile("/connexion"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {world.agent_name}")


def test_wrong_password_with_the_keyboard_keeps_the_email_and_says_why(page, world):
    page.goto("/connexion")
    page.locator("#email").focus()
    page.keyboard.type(world.agent_email)
    page.keyboard.press("Tab")
    page.keyboard.type("not the right password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#email")).to_have_value(world.agent_email)
    expect(page.locator("#password")).to_have_value("")


def test_joining_with_the_keyboard_keeps_focus_in_the_membership_box(agent_page, world):
    """htmx replaces the button that had focus: focus must land on the news, not on <body>."""
    page = agent_page
    page.goto(f"/communautes/{world.keyboard_slug}")
    box = page.locator("#membership-box")
    box.get_by_role("button", name="Rejoindre la communauté").focus()
    page.keyboard.press("Enter")
    notice = box.get_by_role("status").filter(has_text="Vous avez rejoint la communauté.")
    expect(notice).to_be_focused()
    page.keyboard.press("Tab")
    expect(box.get_by_role("button", name="Quitter la communauté")).to_be_focused()
