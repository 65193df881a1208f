"""The DSFR layout holds together on a desktop and a phone; screenshots go to test-artifacts/."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS

PHONE = {"width": 320, "height": 640}  # WCAG 1.4.10: reflow at 320 CSS pixels


def assert_no_horizontal_scroll(page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {page.viewport_size}"


@pytest.mark.parametrize("name", ["home", "community"])
def test_desktop_layout(agent_page, world, name):
    page = agent_page
    page.goto("/" if name == "home" else f"/communautes/{world.open_slug}")
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.locator("#navigation-principale")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if name == "home":
        expect(page.locator("main .fr-card")).not_to_have_count(0)
    else:
        expect(page.locator("#membership-box")).to_be_visible()
    assert_no_horizontal_scroll(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-1280.png"), full_page=True)


def test_phone_layout_opens_the_menu(agent_page, world):
    page = agent_page
    page.set_viewport_size(PHONE)
    page.goto(f"/communautes/{world.open_slug}")
    nav = page.locator("#navigation-principale")
    expect(nav).to_be_hidden()  # folded into the DSFR menu button
    assert_no_horizontal_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "community-320.png"), full_page=True)
    page.get_by_role("button", name="Menu").click()
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Mes communautés")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "menu-320.png"))


@pytest.mark.parametrize(("name", "path"), [("login", "/connexion"), ("signup", "/inscription")])
def test_anonymous_forms_layout(page, name, path):
    page.goto(path)
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_be_visible()
    assert_no_horizontal_scroll(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-1280.png"), full_page=True)
