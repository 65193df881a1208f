"""Account use cases, without HTTP."""

import pytest

from ideas.accounts import services
from ideas.accounts.models import Role, User
from ideas.errors import DomainError
from tests.factories import PASSWORD, UserFactory


def test_passwords_are_argon2_hashes_never_plain(db):
    user = services.create_user("Claire@Reseau-Canope.fr", "Claire", "une phrase de passe")
    db.session.commit()
    assert user.password_hash.startswith("$argon2id$")
    assert "une phrase de passe" not in user.password_hash
    assert user.email == "claire@reseau-canope.fr"


@pytest.mark.parametrize("length, ok", [(11, False), (12, True), (64, True), (128, True),
                                        (129, False)])
def test_password_length_bounds_without_truncation(db, length, ok):
    password = "é" * length
    if ok:
        user = services.create_user(f"p{length}@reseau-canope.fr", "P", password)
        assert services.verify_password(user, password)
        assert not services.verify_password(user, password[:-1])
    else:
        with pytest.raises(DomainError):
            services.create_user(f"p{length}@reseau-canope.fr", "P", password)


def test_email_is_unique_whatever_the_case(db):
    services.create_user("dup@reseau-canope.fr", "A", PASSWORD)
    with pytest.raises(DomainError) as error:
        services.create_user("  DUP@Reseau-Canope.FR ", "B", PASSWORD)
    assert error.value.field == "email"


def test_authenticate_gives_one_generic_error(db, agent):
    with pytest.raises(DomainError) as unknown:
        services.authenticate("nobody@reseau-canope.fr", PASSWORD)
    with pytest.raises(DomainError) as wrong:
        services.authenticate(agent.email, "not the right password")
    assert str(unknown.value) == str(wrong.value)
    assert services.authenticate(agent.email.upper(), PASSWORD) == agent


def test_deactivated_user_cannot_authenticate_and_keeps_account(db, agent):
    token = agent.session_token
    services.deactivate(agent)
    db.session.commit()
    with pytest.raises(DomainError):
        services.authenticate(agent.email, PASSWORD)
    assert agent.session_token != token
    assert db.session.get(User, agent.id) is not None


def test_reset_token_is_single_use(db, agent):
    token = services.make_reset_token(agent)
    assert services.user_for_reset_token(token) == agent
    services.set_password(agent, "a brand new passphrase")
    with pytest.raises(DomainError):
        services.user_for_reset_token(token)


def test_reset_token_expires(app, db, agent):
    token = services.make_reset_token(agent)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        with pytest.raises(DomainError):
            services.user_for_reset_token(token)
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600


def test_tampered_reset_token_is_refused(db, agent):
    token = services.make_reset_token(agent)
    with pytest.raises(DomainError):
        services.user_for_reset_token(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))


def test_change_password_needs_current_one_and_rotates_sessions(db, agent):
    before = agent.session_token
    with pytest.raises(DomainError) as error:
        services.change_password(agent, "wrong password here", "another passphrase")
    assert error.value.field == "current_password"
    assert agent.session_token == before
    services.change_password(agent, PASSWORD, "another passphrase")
    assert agent.session_token != before
    assert services.verify_password(agent, "another passphrase")


def test_registration_modes(app, db):
    app.config.update(REGISTRATION_MODE="invitation")
    try:
        with pytest.raises(DomainError):
            services.register("new@reseau-canope.fr", "New", PASSWORD, territory_id=None,
                              locale="fr")
        invitation, _token = services.create_invitation("new@reseau-canope.fr", None)
        user = services.register("new@reseau-canope.fr", "New", PASSWORD, territory_id=None,
                                 locale="fr", invitation=invitation)
        assert user.role == Role.AGENT
    finally:
        app.config.update(REGISTRATION_MODE="open")


def test_allowed_domains(app, db):
    app.config.update(REGISTRATION_ALLOWED_DOMAINS=["reseau-canope.fr"])
    try:
        with pytest.raises(DomainError) as error:
            services.register("someone@gmail.com", "X", PASSWORD, territory_id=None, locale=None)
        assert error.value.field == "email"
        assert services.register("someone@RESEAU-CANOPE.fr", "X", PASSWORD, territory_id=None,
                                 locale=None)
    finally:
        app.config.update(REGISTRATION_ALLOWED_DOMAINS=[])


def test_invitation_token_is_stored_hashed_and_single_use(db, admin):
    invitation, token = services.create_invitation("Invited@Reseau-Canope.fr", admin)
    db.session.commit()
    assert token not in invitation.token_hash
    assert services.invitation_for_token(token) == invitation
    user = UserFactory(email="invited@reseau-canope.fr")
    services.accept_invitation(invitation, user)
    with pytest.raises(DomainError):
        services.invitation_for_token(token)
