"""Account pages through HTTP: sign-up, login/logout, passwords, profile, invitations."""

import re

import pytest
from flask_babel import force_locale, gettext

from ideas.accounts import services
from ideas.accounts.models import Invitation, User
from ideas.communities.models import Membership
from ideas.reference.models import Territory, TerritoryKind
from tests.factories import PASSWORD, CommunityFactory, UserFactory
from tests.helpers import count, error_alerts, location, redirects_to_login, text

NEW_PASSWORD = "une toute nouvelle phrase de passe"
LINK = re.compile(r"http://localhost(/\S+)")


def _atelier(db):
    return db.session.scalar(
        db.select(Territory).filter_by(kind=TerritoryKind.ATELIER).order_by(Territory.id).limit(1))


def _signup_data(**changes):
    data = {"email": "nouvelle@reseau-canope.fr", "display_name": "Nouvelle Agente",
            "territory_id": "", "password": PASSWORD, "confirm": PASSWORD}
    data.update(changes)
    return data


def _link_in_last_mail(smtp) -> str:
    return LINK.search(smtp.last_text()).group(1)


# -- Sign-up

def test_signup_creates_the_account_and_logs_in(client, db):
    territory = _atelier(db)
    response = client.post("/inscription", _signup_data(
        email="Nouvelle@Reseau-Canope.FR", territory_id=territory.id))
    assert response.status_code == 302
    assert location(response) == "/communautes/"
    user = services.get_user_by_email("nouvelle@reseau-canope.fr")
    assert user.email == "nouvelle@reseau-canope.fr"
    assert user.territory_id == territory.id
    assert user.password_hash.startswith("$argon2id$")
    home = client.get("/")
    assert home.status_code == 200
    assert "Bonjour Nouvelle Agente" in text(home)


@pytest.mark.parametrize("case, changes, message", [
    ("duplicate email, other case", {"email": "DEJA.LA@Reseau-Canope.FR"},
     "Un compte existe déjà avec cette adresse électronique."),
    ("weak password", {"password": "court-1234", "confirm": "court-1234"},
     "Le mot de passe doit contenir au moins 12 caractères."),
    ("mismatched confirmation", {"password": "phrase secrète numéro un",
                                 "confirm": "phrase secrète numéro deux"},
     "Les deux mots de passe ne correspondent pas."),
    ("invalid email", {"email": "pas-une-adresse"},
     "Cette adresse électronique n'est pas valide."),
])
def test_signup_refusals_keep_typed_values_and_create_nothing(client, db, case, changes,
                                                              message):
    UserFactory(email="deja.la@reseau-canope.fr")
    users_before = count(User)
    data = _signup_data(display_name="Camille Tapé-à-la-main", **changes)
    response = client.post("/inscription", data)
    assert response.status_code == 422, case
    page = text(response)
    assert message in page
    assert 'value="Camille Tapé-à-la-main"' in page
    assert f'value="{data["email"]}"' in page
    assert data["password"] not in page
    assert data["confirm"] not in page
    assert count(User) == users_before


def test_signup_restricted_to_allowed_domains(client, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTRATION_ALLOWED_DOMAINS", ["reseau-canope.fr"])
    assert "@reseau-canope.fr" in text(client.get("/inscription"))
    response = client.post("/inscription", _signup_data(email="camille@gmail.com"))
    assert response.status_code == 422
    assert "Les inscriptions sont réservées aux adresses @reseau-canope.fr." in text(response)
    assert 'value="camille@gmail.com"' in text(response)
    assert count(User) == 0
    assert client.post("/inscription", _signup_data()).status_code == 302
    assert count(User) == 1


def test_signup_closed_when_registration_is_by_invitation(client, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTRATION_MODE", "invitation")
    closed = "Les inscriptions se font uniquement sur invitation."
    assert closed in text(client.get("/inscription"))
    response = client.post("/inscription", _signup_data())
    assert response.status_code == 422
    assert closed in text(response)
    assert count(User) == 0


def test_signed_in_agent_is_sent_home_from_signup_and_login(client, agent):
    client.login(agent)
    assert location(client.get("/inscription")) == "/"
    assert location(client.get("/connexion")) == "/"


# -- Login and logout

def test_login_and_logout(client, agent):
    response = client.post("/connexion", {"email": agent.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert location(response) == "/"
    assert client.get("/").status_code == 200
    assert location(client.logout()) == "/connexion"
    assert redirects_to_login(client.get("/"))


def test_a_copied_cookie_is_worthless_after_logout(client, agent, make_client):
    client.post("/connexion", {"email": agent.email, "password": PASSWORD, "remember": "y"})
    copied = {name: client.raw.get_cookie(name).value for name in ("session", "remember_token")}
    client.logout()
    thief = make_client()
    for name, value in copied.items():
        thief.raw.set_cookie(name, value)
    assert redirects_to_login(thief.get("/"))


def test_unknown_email_and_wrong_password_get_the_same_message(client, agent):
    unknown = client.post("/connexion", {"email": "personne@reseau-canope.fr",
                                         "password": PASSWORD})
    wrong = client.post("/connexion", {"email": agent.email, "password": "pas le bon mot"})
    assert unknown.status_code == wrong.status_code == 422
    assert error_alerts(unknown) == error_alerts(wrong)
    assert "Adresse électronique ou mot de passe incorrect." in error_alerts(wrong)[0]
    assert f'value="{agent.email}"' in text(wrong)
    assert "pas le bon mot" not in text(wrong)


def test_deactivated_agent_cannot_log_in(client, db, agent):
    services.deactivate(agent)
    db.session.commit()
    response = client.post("/connexion", {"email": agent.email, "password": PASSWORD})
    assert response.status_code == 422
    assert "Adresse électronique ou mot de passe incorrect." in text(response)


@pytest.mark.parametrize("target", [
    "https://evil.fr", "//evil.fr", "/\\evil.fr", "https:evil.fr", "javascript:alert(1)",
    "%2F%2Fevil.fr", "/communautes/\r\nSet-Cookie: x=1", "/\tevil", "evil.fr", "///evil.fr",
])
def test_login_next_only_accepts_local_paths(client, agent, target):
    response = client.post("/connexion", {"email": agent.email, "password": PASSWORD},
                           query_string={"next": target})
    assert response.status_code == 302
    assert location(response) == "/"


def test_login_next_keeps_a_local_path(client, agent):
    bounced = client.get("/communautes/")
    assert redirects_to_login(bounced)
    response = client.post(location(bounced), {"email": agent.email, "password": PASSWORD})
    assert location(response) == "/communautes/"


def test_session_cookie_changes_at_login_and_drops_pre_login_data(client, agent):
    client.get("/connexion")
    with client.raw.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = client.raw.get_cookie("session").value
    client.login(agent)
    assert client.raw.get_cookie("session").value != before
    with client.raw.session_transaction() as session:
        assert "planted" not in session


# -- Password change

def test_password_change_needs_the_current_password(client, db, agent):
    client.login(agent)
    response = client.post("/profil/mot-de-passe", {
        "current_password": "pas le mot actuel", "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD})
    assert response.status_code == 422
    assert "Le mot de passe actuel est incorrect." in text(response)
    db.session.refresh(agent)
    assert services.verify_password(agent, PASSWORD)


def test_password_change_ends_the_other_sessions(client, db, agent, make_client):
    client.login(agent)
    elsewhere = make_client()
    elsewhere.post("/connexion", {"email": agent.email, "password": PASSWORD, "remember": "y"})
    assert elsewhere.get("/").status_code == 200
    response = client.post("/profil/mot-de-passe", {
        "current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert location(response) == "/profil"
    assert client.get("/").status_code == 200  # this device stays signed in
    assert redirects_to_login(elsewhere.get("/"))  # session and remember-me cookie both refused
    db.session.refresh(agent)
    assert services.verify_password(agent, NEW_PASSWORD)


# -- Password reset through a real SMTP server

def test_password_reset_by_email(client, db, agent, smtp):
    response = client.post("/mot-de-passe/oubli", {"email": agent.email.upper()})
    assert location(response) == "/connexion"
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["To"] == agent.email
    link = _link_in_last_mail(smtp)
    assert PASSWORD not in smtp.last_text()

    assert client.get(link).status_code == 200
    weak = client.post(link, {"password": "trop court", "confirm": "trop court"})
    assert weak.status_code == 422
    response = client.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert location(response) == "/connexion"
    assert client.post("/connexion", {"email": agent.email, "password": PASSWORD}
                       ).status_code == 422
    client.login(agent, NEW_PASSWORD)

    client.logout()
    reused = client.get(link, follow_redirects=True)
    assert reused.request.path == "/mot-de-passe/oubli"
    assert "Ce lien de réinitialisation est invalide, expiré ou déjà utilisé." in text(reused)
    client.post(link, {"password": "encore une autre phrase",
                       "confirm": "encore une autre phrase"})
    db.session.refresh(agent)
    assert services.verify_password(agent, NEW_PASSWORD)


def test_password_reset_for_unknown_email_looks_the_same_and_sends_nothing(client, agent,
                                                                           smtp):
    known = client.post("/mot-de-passe/oubli", {"email": agent.email}, follow_redirects=True)
    unknown = client.post("/mot-de-passe/oubli", {"email": "personne@reseau-canope.fr"},
                          follow_redirects=True)
    sent = "Si un compte actif correspond à cette adresse"
    assert sent in text(known) and sent in text(unknown)
    assert known.request.path == unknown.request.path == "/connexion"
    assert [m["To"] for m in smtp.messages] == [agent.email]


def test_expired_reset_link_is_refused(client, app, db, agent, smtp, monkeypatch):
    client.post("/mot-de-passe/oubli", {"email": agent.email})
    link = _link_in_last_mail(smtp)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    response = client.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                           follow_redirects=True)
    assert "Ce lien de réinitialisation est invalide, expiré ou déjà utilisé." in text(response)
    db.session.refresh(agent)
    assert services.verify_password(agent, PASSWORD)


# -- Profile

def test_profile_edit_and_english_interface(client, app, db, agent):
    client.login(agent)
    territory = _atelier(db)
    response = client.post("/profil", {"display_name": "  Agent Renommé ",
                                       "territory_id": territory.id, "locale": "en"})
    assert location(response) == "/profil"
    db.session.refresh(agent)
    assert (agent.display_name, agent.territory_id, agent.locale) == (
        "Agent Renommé", territory.id, "en")
    page = text(client.get("/profil"))
    assert '<html lang="en"' in page
    with app.test_request_context(), force_locale("en"):
        english = gettext("Mon profil")
    if english != "Mon profil":  # the English catalog is compiled: its words show
        assert english in page


def test_profile_refusal_keeps_typed_values(client, db, agent):
    client.login(agent)
    response = client.post("/profil", {"display_name": "X", "territory_id": "999999",
                                       "locale": "fr"})
    assert response.status_code == 422
    page = text(response)
    assert "Le nom affiché doit faire entre 2 et 80 caractères." in page
    assert "Choisissez un territoire dans la liste." in page
    assert 'value="X"' in page
    db.session.refresh(agent)
    assert agent.display_name == "Agent Test"


def test_language_switch_for_anonymous_visitor(client):
    response = client.post("/langue", {"locale": "en", "next": "//evil.fr"})
    assert location(response) == "/"
    assert '<html lang="en"' in text(client.get("/connexion"))
    client.post("/langue", {"locale": "xx", "next": "/connexion"})
    assert '<html lang="en"' in text(client.get("/connexion"))


# -- Invitations

def test_platform_invitation_signs_up_even_when_registration_is_closed(
        client, app, db, admin, make_client, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTRATION_MODE", "invitation")
    admin_client = make_client(admin)
    response = admin_client.post("/admin/invitations", {"email": "Invitee@Reseau-Canope.fr"})
    assert location(response) == "/admin/agents"
    assert smtp.messages[-1]["To"] == "Invitee@Reseau-Canope.fr"
    link = _link_in_last_mail(smtp)

    form = client.get(link)
    assert form.status_code == 200
    assert 'value="invitee@reseau-canope.fr"' in text(form)
    response = client.post(link, _signup_data(email="someone-else@gmail.com",
                                              display_name="Invitée"))
    assert response.status_code == 302
    user = services.get_user_by_email("invitee@reseau-canope.fr")
    assert user.display_name == "Invitée"
    assert services.get_user_by_email("someone-else@gmail.com") is None
    assert db.session.scalar(db.select(Invitation.accepted_at)) is not None
    assert client.get("/").status_code == 200

    reused = make_client().get(link, follow_redirects=True)
    assert "Cette invitation est invalide, expirée ou déjà utilisée." in text(reused)


def test_platform_invitation_refused_for_an_existing_account(db, admin, agent, make_client,
                                                             smtp):
    response = make_client(admin).post("/admin/invitations", {"email": agent.email},
                                       follow_redirects=True)
    assert "Un compte existe déjà avec cette adresse électronique." in text(response)
    assert smtp.messages == []
    assert count(Invitation) == 0


def test_community_invitation_joins_the_private_community(
        client, db, facilitator, private_community, make_client, smtp):
    before = private_community.member_count
    response = make_client(facilitator).post(
        f"/communautes/{private_community.slug}/inviter", {"email": "collegue@reseau-canope.fr"})
    assert location(response) == f"/communautes/{private_community.slug}/membres"
    assert private_community.name in smtp.last_text()
    link = _link_in_last_mail(smtp)

    response = client.post(link, _signup_data(email="collegue@reseau-canope.fr",
                                              display_name="Collègue"))
    assert response.status_code == 302
    user = services.get_user_by_email("collegue@reseau-canope.fr")
    membership = db.session.scalar(db.select(Membership).filter_by(
        user_id=user.id, community_id=private_community.id))
    assert membership is not None and membership.is_active
    db.session.refresh(private_community)
    assert private_community.member_count == before + 1
    assert client.get(f"/communautes/{private_community.slug}/membres").status_code == 200


def test_invitation_for_another_address_is_refused_to_a_signed_in_agent(
        client, db, admin, agent):
    _invitation, token = services.create_invitation("autre@reseau-canope.fr", admin,
                                                    CommunityFactory(is_private=True).id)
    db.session.commit()
    client.login(agent)
    response = client.get(f"/invitation/{token}", follow_redirects=True)
    assert "Cette invitation est destinée à une autre adresse électronique." in text(response)
    assert count(Membership, user_id=agent.id) == 0
