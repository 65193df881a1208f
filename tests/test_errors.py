"""Error pages: translated HTML with a reference id (also sent as X-Request-ID), a fragment for
htmx aimed at the page's alert region, and never a traceback."""

import re

import pytest
from flask_babel import force_locale, gettext

from ideas import create_app
from tests.conftest import Client
from tests.helpers import text

HTMX = {"HX-Request": "true"}


def _reference(response) -> str:
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{12}", request_id)
    assert request_id in response.text
    return request_id


@pytest.mark.parametrize("status, url, method, title", [
    (404, "/cette-page-nexiste-pas", "get", "Page introuvable"),
    (403, "/communautes/nouvelle", "get", "Accès refusé"),
    (405, "/deconnexion", "get", "Méthode non autorisée"),
])
def test_error_pages_are_translated_html_with_a_reference(client, agent, status, url, method,
                                                          title):
    client.login(agent)
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = text(response)
    assert "<html" in page and f"<h1>{title}</h1>" in page
    _reference(response)
    assert "HX-Request" in response.headers["Vary"]

    fragment = client.get(url, headers=HTMX) if method == "get" else None
    assert fragment.status_code == status
    assert "<html" not in fragment.text
    assert title in text(fragment)
    assert fragment.headers["HX-Retarget"] == "#htmx-alerts"
    assert fragment.headers["HX-Reswap"] == "innerHTML"
    _reference(fragment)


def test_error_page_in_english(app, client):
    response = client.get("/nulle-part", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.status_code == 404
    assert '<html lang="en"' in response.text
    with app.test_request_context(), force_locale("en"):
        title = gettext("Page introuvable")
    if title != "Page introuvable":  # the English catalog is compiled
        assert f"<h1>{title}</h1>" in text(response)


def test_405_says_which_methods_are_allowed(client):
    response = client.get("/deconnexion")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_unknown_community_for_htmx_is_a_fragment(client, agent):
    client.login(agent)
    response = client.post("/communautes/inconnue/rejoindre", htmx=True)
    assert response.status_code == 404
    assert "<html" not in response.text
    assert response.headers["HX-Retarget"] == "#htmx-alerts"


@pytest.fixture
def crashing_app():
    """A separate app instance with a route that fails, as a bug in a view would."""
    app = create_app("testing", TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boum")
    def boom():
        raise RuntimeError("secret detail: /srv/fabrique/ideas/views.py line 42")

    with app.app_context():
        yield app


@pytest.mark.parametrize("htmx", [False, True])
def test_an_exception_gives_a_500_page_without_traceback(crashing_app, db, htmx, caplog):
    response = Client(crashing_app.test_client()).get("/boum", headers=HTMX if htmx else {})
    assert response.status_code == 500
    body = text(response)
    assert "Erreur inattendue" in body
    assert "Traceback" not in body and "secret detail" not in body and "RuntimeError" not in body
    request_id = _reference(response)
    assert ("<html" in body) is not htmx
    if htmx:
        assert response.headers["HX-Retarget"] == "#htmx-alerts"
    # the traceback goes to the log, under the same reference
    assert any(request_id in record.getMessage() and record.exc_info
               for record in caplog.records)
