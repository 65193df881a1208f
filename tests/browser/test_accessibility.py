"""axe-core finds no serious or critical WCAG A/AA violation on the foundation pages."""

import pytest

from tests.browser.axe import check_accessibility


@pytest.mark.parametrize(("name", "path"), [
    ("login", "/connexion"),
    ("signup", "/inscription"),
    ("accessibility-statement", "/accessibilite"),
])
def test_anonymous_pages_have_no_serious_violation(page, name, path):
    assert page.goto(path).ok
    check_accessibility(page, name)


def test_signed_in_pages_have_no_serious_violation(agent_page, world):
    page = agent_page
    pages = [
        ("home", "/"),
        ("communities", "/communautes/"),
        ("community-open", f"/communautes/{world.open_slug}"),
        ("community-private-member", f"/communautes/{world.private_slug}"),
        ("my-communities", "/communautes/miennes"),
        ("profile", "/profil"),
    ]
    for name, path in pages:
        assert page.goto(path).ok, path
        check_accessibility(page, name)


def test_form_errors_have_no_serious_violation(page):
    """Inline errors (aria-invalid, messages) are part of the page people must read."""
    page.goto("/connexion")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector(".fr-alert--error")
    check_accessibility(page, "login-errors")
