"""axe-core finds no serious or critical WCAG A/AA violation on the foundation pages."""

import pytest

from tests.browser.axe import check_accessibility


@pytest.mark.parametrize(("name", "path"), [
    ("login", "/connexion"),
    ("signup", "/inscription"),
    ("accessibility-statement", "/accessibilite"),
    ("privacy", "/donnees-personnelles"),
    ("forgot-password", "/mot-de-passe/oubli"),
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
        ("members", f"/communautes/{world.private_slug}/membres"),
        ("profile", "/profil"),
        ("change-password", "/profil/mot-de-passe"),
        ("my-data", "/profil/mes-donnees"),
        ("delete-account", "/profil/supprimer-mon-compte"),
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


def test_not_found_page_has_no_serious_violation(agent_page):
    assert agent_page.goto("/communautes/cette-communaute-n-existe-pas").status == 404
    check_accessibility(agent_page, "not-found")


def test_the_check_fails_on_a_real_violation(page):
    """The helper is not a rubber stamp: a field stripped of its label is reported."""
    page.goto("/connexion")
    page.evaluate("() => document.querySelector('label[for=email]').remove()")
    with pytest.raises(AssertionError) as failure:
        check_accessibility(page, "broken-login", save=False)
    assert "label" in str(failure.value)
    assert 'id="email"' in str(failure.value)  # the offending node's HTML is shown


def test_admin_erasure_page_has_no_serious_violation(page, live_app, world):
    """The admin's confirmation before erasing an account (RGPD), with its form errors."""
    from ideas.extensions import db
    from tests import factories
    from tests.browser.conftest import log_in

    with live_app.app_context():
        email = factories.UserFactory(role="admin", display_name="Admin Navigateur").email
        target = factories.UserFactory(display_name="Agent à effacer").id
        db.session.remove()
    log_in(page, email)
    assert page.goto(f"/admin/agents/{target}/supprimer").ok
    check_accessibility(page, "admin-erase-account")
    page.get_by_role("button", name="Supprimer définitivement ce compte").click()
    page.wait_for_selector(".fr-message--error")
    check_accessibility(page, "admin-erase-account-errors")
