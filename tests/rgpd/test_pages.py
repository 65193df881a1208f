"""The privacy page ("Données personnelles") states what is kept, why, for how long (from the
configuration) and how to exercise each right; the accessibility statement is generated from
the browser suite's axe-core results; both are public and linked from every page's footer."""

import json

import pytest

from tests.helpers import text

pytestmark = pytest.mark.checklist(50, 51, 52)

AXE_RESULTS = {
    "generated_by": "tests/browser/axe.py", "axe_version": "4.10.2",
    "updated_at": "2026-11-20T09:30:00Z",
    "pages": [
        {"name": "login", "path": "/connexion", "title": "Connexion – Fabrique à idées",
         "checked_at": "2026-11-20T09:30:00Z", "incomplete": 2, "violations": [
             {"id": "region", "impact": "moderate", "help": "All page content should be "
              "contained by landmarks", "tags": ["wcag2a", "wcag131"], "nodes": 1}]},
        {"name": "home", "path": "/", "title": "Accueil – Fabrique à idées",
         "checked_at": "2026-11-20T09:30:00Z", "incomplete": 0, "violations": []},
    ],
}


@pytest.fixture
def settings(app):
    saved = dict(app.config)
    yield app.config
    app.config.clear()
    app.config.update(saved)


def test_the_privacy_page_states_periods_rights_and_contact(client, settings):
    settings.update(RETENTION_READ_NOTIFICATION_DAYS=60, RETENTION_EMAIL_DAYS=45,
                    RETENTION_MODERATION_LOG_DAYS=1825, RETENTION_SECURITY_LOG_DAYS=365,
                    RETENTION_UNACTIVATED_ACCOUNT_DAYS=0, DPO_EMAIL="dpd@example.fr")
    response = client.get("/donnees-personnelles")
    assert response.status_code == 200
    page = text(response)
    for expected in ("2 mois", "45 jours", "5 ans", "1 an", "sans limite",
                     "mission d'intérêt public", "Argon2", "dpd@example.fr",
                     "cnil.fr/fr/plaintes", "Agent supprimé"):
        assert expected in page, expected
    # Signed out, the rights are explained without links that would only ask to log in.
    assert "/profil/mes-donnees" not in page


def test_signed_in_the_rights_are_links(make_client, agent):
    page = make_client(agent).get("/donnees-personnelles").text
    assert 'href="/profil/mes-donnees"' in page
    assert 'href="/profil/supprimer-mon-compte"' in page


def test_the_privacy_page_in_english(client):
    client.post("/langue", {"locale": "en"})
    page = text(client.get("/donnees-personnelles"))
    assert "Personal data" in page and "3 months" in page


def test_without_an_audit_the_statement_says_non_conforme(client, settings, tmp_path):
    results = tmp_path / "axe.json"
    results.write_text(json.dumps(AXE_RESULTS), encoding="utf-8")
    settings.update(ACCESSIBILITY_RESULTS=str(results), ACCESSIBILITY_AUDIT_RATE="",
                    CONTACT_EMAIL="fabrique@example.fr")
    page = text(client.get("/accessibilite"))
    assert "La Fabrique à idées est non conforme" in page
    assert "Accessibilité : non conforme" in page  # the footer, on every page
    assert "Aucun audit de conformité RGAA" in page
    assert "2 pages vérifiées avec axe-core 4.10.2, le 20 novembre 2026." in page
    assert "region" in page and "WCAG 1.3.1" in page and "Connexion – Fabrique à idées" in page
    assert "<code>/connexion</code>" in page
    assert "à vérifier manuellement" in page
    assert "fabrique@example.fr" in page
    assert "Défenseur des droits" in page and "Libre réponse 71120" in page
    assert "Accessibilité : non conforme" in text(client.get("/connexion"))


def test_an_audit_rate_sets_the_status(client, settings, tmp_path):
    settings.update(ACCESSIBILITY_RESULTS=str(tmp_path / "absent.json"),
                    ACCESSIBILITY_AUDIT_RATE="75,5", ACCESSIBILITY_AUDIT_DATE="2026-10-01")
    page = text(client.get("/accessibilite"))
    assert "est partiellement conforme" in page
    assert "révèle que 75,5" in page
    assert "ne sont pas disponibles" in page
    settings.update(ACCESSIBILITY_AUDIT_RATE="100")
    assert "Accessibilité : totalement conforme" in text(client.get("/accessibilite"))


def test_the_statement_in_the_repository_is_readable(client):
    """docs/accessibility/axe-results.json, as the browser suite last wrote it."""
    page = text(client.get("/accessibilite"))
    assert "pages vérifiées avec axe-core" in page
    assert "<code>/profil/mes-donnees</code>" in page


def test_the_footer_links_both_pages(client):
    page = client.get("/connexion").text
    assert 'href="/accessibilite"' in page and 'href="/donnees-personnelles"' in page
