"""Passwords (SECURITY-CHECKLIST items 27 and 32; ASVS 2.1.1–2.1.9, 2.1.6, 2.5.5; CNIL 2022-100):
12 to 128 characters, never truncated, no composition rule, common and breached passwords
refused (French ones included, from the list shipped in the repository), the current password
required to change it, and a notice emailed to the owner."""

import pytest

from ideas.accounts import passwords
from ideas.accounts.services import make_reset_token, verify_password
from ideas.extensions import db
from tests.factories import PASSWORD
from tests.helpers import count, text

pytestmark = pytest.mark.checklist(27, asvs="2.1.1")

COMMON = "figure parmi les mots de passe courants"


def _signup(client, password: str):
    from ideas.accounts.models import User

    email = f"nouvel.agent{count(User)}@reseau-canope.fr"
    response = client.post("/inscription", {
        "email": email, "display_name": "Nouvel Agent", "territory_id": "",
        "password": password, "confirm": password})
    return response, email


def _of_length(length: int) -> str:
    return ("la pluie tombe sur le toit rouge " * 5)[:length]


@pytest.mark.parametrize("password, accepted", [
    (_of_length(11), False),
    (_of_length(12), True),
    (_of_length(64), True),
    (_of_length(128), True),
    (_of_length(129), False),
    ("    espaces    autour    ", True),
    ("🦊 le renard et la 🍇 raisin", True),
    ("Łódź, Ærøskøbing & Ñuñoa", True),
])
def test_length_from_12_to_128_and_any_character(client, password, accepted):
    response, email = _signup(client, password)
    assert (response.status_code == 302) is accepted, (len(password), text(response)[:300])
    if accepted:
        from ideas.accounts.services import get_user_by_email

        assert verify_password(get_user_by_email(email), password)
    else:
        assert response.status_code == 422


def test_the_refusal_says_why(client):
    short = text(_signup(client, "trop court")[0])
    assert "au moins 12 caractères" in short
    long_ = text(_signup(client, _of_length(129))[0])
    assert "ne doit pas dépasser 128 caractères" in long_


def test_long_passwords_are_not_truncated(db, agent):
    """Argon2 hashes every byte: a password sharing its first 72 or 127 characters with the
    real one (bcrypt stops at 72) is a different password."""
    from ideas.accounts.services import set_password

    real = _of_length(128)
    set_password(agent, real)
    db.session.commit()
    assert verify_password(agent, real)
    for prefix in (real[:72], real[:127], real[:-1] + "?"):
        assert not verify_password(agent, prefix)


def test_no_composition_rules(client):
    """Lower-case words only, no digit, no symbol: a passphrase is welcome."""
    assert _signup(client, "les abeilles butinent tranquillement")[0].status_code == 302


@pytest.mark.parametrize("password", [
    # international breach lists (Django's and zxcvbn's), as typed by people
    "123456789012", "passwordpassword", "qwertyuiopasdf", "iloveyou12345", "1qaz2wsx3edc",
    "correct horse battery staple",
    # French ones, with the decorations people add to reach 12 characters
    "azertyuiop123", "Motdepasse2026!", "mot de passe 123", "doudou123456", "soleil2024!!",
    "marseille13013", "jetaimemonamour", "loulou1234567", "&é\"'(-è_çà)=",
    "chouchou12345", "bonjour123456", "Camille1990!!", "nicolas1985!!",
    # this service's own words
    "Canope2026!!!", "fabrique-a-idees", "Reseau-Canope-1",
])
def test_common_and_breached_passwords_are_refused(client, password):
    response, _email = _signup(client, password)
    assert response.status_code == 422
    assert COMMON in text(response)


def test_the_list_ships_in_the_repository_with_french_entries():
    listed = passwords.common_passwords()
    assert len(listed) > 5000
    assert {"azerty", "motdepasse", "doudou", "soleil", "marseille", "jetaime",
            "123456789012", "correcthorsebatterystaple"} <= listed
    assert passwords.LIST_FILE.read_text(encoding="utf-8").startswith("# ")  # says its sources


@pytest.mark.parametrize("password", ["les abeilles butinent tranquillement",
                                      "Une phrase de passe pour les tests",
                                      "vélo, train et covoiturage"])
def test_ordinary_passphrases_are_not_mistaken_for_common_ones(password):
    assert not passwords.is_common(password)


def test_reset_and_change_apply_the_same_rules(client, make_client, agent):
    link = f"/mot-de-passe/reinitialiser/{make_reset_token(agent)}"
    response = client.post(link, {"password": "azertyuiop123", "confirm": "azertyuiop123"})
    assert response.status_code == 422 and COMMON in text(response)
    signed_in = make_client(agent)
    response = signed_in.post("/profil/mot-de-passe", {
        "current_password": PASSWORD, "password": "Motdepasse2026!",
        "confirm": "Motdepasse2026!"})
    assert response.status_code == 422 and COMMON in text(response)


# -- Changing it ----------------------------------------------------------------------------

NEW = "une toute nouvelle phrase de passe"


@pytest.mark.checklist(32, asvs="2.1.6")
def test_changing_requires_the_current_password(make_client, agent, smtp):
    client = make_client(agent)
    response = client.post("/profil/mot-de-passe", {
        "current_password": "pas le bon mot de passe", "password": NEW, "confirm": NEW})
    assert response.status_code == 422
    assert "Le mot de passe actuel est incorrect." in text(response)
    response = client.post("/profil/mot-de-passe", {"password": NEW, "confirm": NEW})
    assert response.status_code == 422
    db.session.refresh(agent)
    assert verify_password(agent, PASSWORD) and not verify_password(agent, NEW)
    assert smtp.messages == []


@pytest.mark.checklist(32, asvs="2.5.5")
def test_a_change_emails_a_notice_in_the_owners_language(make_client, agent, smtp):
    agent.locale = "en"
    db.session.commit()
    client = make_client(agent)
    response = client.post("/profil/mot-de-passe", {
        "current_password": PASSWORD, "password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert len(smtp.messages) == 1
    notice = smtp.messages[0]
    assert notice["To"] == agent.email
    body = smtp.last_text()
    assert NEW not in body and PASSWORD not in body  # never the password itself
    assert "http://localhost/mot-de-passe/oubli" in body  # what to do if it was not them
    if notice["Subject"] != "Votre mot de passe a été modifié":  # English catalog compiled
        assert "password" in notice["Subject"].lower()


@pytest.mark.checklist(32, asvs="2.5.5")
def test_a_reset_emails_a_notice_too(client, agent, smtp):
    link = f"/mot-de-passe/reinitialiser/{make_reset_token(agent)}"
    response = client.post(link, {"password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert [m["To"] for m in smtp.messages] == [agent.email]
    assert "vient d'être modifié" in smtp.last_text()


@pytest.mark.checklist(32, asvs="2.5.5")
def test_a_mail_server_down_does_not_undo_the_change(make_client, agent, app):
    from tests.conftest import free_port

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nobody listens
    try:
        response = make_client(agent).post("/profil/mot-de-passe", {
            "current_password": PASSWORD, "password": NEW, "confirm": NEW})
    finally:
        app.config.update(MAIL_SERVER=None)
    assert response.status_code == 302
    db.session.refresh(agent)
    assert verify_password(agent, NEW)
