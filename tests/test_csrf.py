"""CSRF: every POST route of `app.url_map`, posted without a token or with another session's
token, answers 400 and changes nothing (rows, session, mail). New routes are covered as soon as
they exist: their URL comes from the permission matrix's row, which its own test demands."""

import re

import pytest

from tests.conftest import Client
from tests.test_permissions_matrix import IGNORED_METHODS, ROWS, _as, build_world

FORM_FIELDS = {"email": "x@reseau-canope.fr", "password": "une phrase de passe assez longue",
               "confirm": "une phrase de passe assez longue", "name": "Nom", "role": "admin",
               "locale": "en", "message": "Bonjour", "display_name": "Nom", "body": "Texte"}


def _post_urls(app, world) -> dict[str, str]:
    urls = {row.endpoint: row.url.format(**world) for row in ROWS if row.method == "POST"}
    post_endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                      if "POST" in rule.methods - IGNORED_METHODS}
    missing = sorted(post_endpoints - set(urls))
    assert not missing, f"POST routes with no row in tests/test_permissions_matrix.py: {missing}"
    return {endpoint: urls[endpoint] for endpoint in sorted(post_endpoints)}


def _snapshot(db) -> dict:
    db.session.expire_all()
    return {table.name: sorted((tuple(row) for row in db.session.execute(table.select())),
                               key=repr)
            for table in db.metadata.sorted_tables}


@pytest.fixture
def signed_in(app, db):
    """An admin's browser (admins may do the most) that already holds its own CSRF token."""
    world = build_world(db)
    client = Client(app.test_client())
    _as(client, world["users"]["admin"])
    own_token = client.csrf_token()
    return client, world, own_token


def _session_keys(client) -> dict:
    with client.raw.session_transaction() as session:
        return dict(session)


@pytest.mark.parametrize("how", ["no token", "another session's token", "forged token"])
def test_post_without_a_valid_token_is_refused_and_changes_nothing(app, db, signed_in, smtp,
                                                                  make_client, how):
    client, world, _own = signed_in
    tokens = {"no token": None, "another session's token": make_client().csrf_token(),
              "forged token": "IjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAi.Zz.forged"}
    token = tokens[how]
    before, session_before = _snapshot(db), _session_keys(client)
    wrong = []
    for endpoint, url in _post_urls(app, world).items():
        data = dict(FORM_FIELDS, **({"csrf_token": token} if token else {}))
        for htmx in (False, True):
            headers = {"X-CSRFToken": token} if token and htmx else {}
            response = client.post(url, data, csrf=False, htmx=htmx, headers=headers)
            if response.status_code != 400:
                wrong.append(f"{endpoint} {url} (htmx={htmx}): {response.status_code}")
            elif htmx:
                assert response.headers.get("HX-Retarget") == "#htmx-alerts", endpoint
    assert not wrong, "accepted without a valid CSRF token:\n" + "\n".join(wrong)
    assert _snapshot(db) == before
    assert _session_keys(client) == session_before
    assert smtp.messages == []


def test_refusal_is_a_translated_page(signed_in):
    client, world, _own = signed_in
    response = client.post(f"/communautes/{world['open']}/rejoindre", {}, csrf=False)
    assert response.status_code == 400
    assert "Votre session a expiré ou le formulaire n'est plus valide." in response.text.replace(
        "&#39;", "'")
    assert re.search(r"Référence[^:]*:\s*" + response.headers["X-Request-ID"], response.text)


def test_token_in_the_htmx_header_alone_is_accepted(signed_in):
    """htmx sends the token from base.html's hx-headers, not as a form field."""
    client, world, own_token = signed_in
    response = client.post(f"/communautes/{world['open']}/rejoindre", {}, csrf=False,
                           htmx=True, headers={"X-CSRFToken": own_token})
    assert response.status_code == 200
    assert "Vous avez rejoint la communauté." in response.text
