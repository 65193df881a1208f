"""Admin pages: list, search, filter and page through agents; roles; (de)activation."""

import re

import pytest

from ideas.accounts import services
from ideas.accounts.models import Role, User
from ideas.communities.models import Membership
from ideas.extensions import db as _db
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.helpers import count, location, redirects_to_login, text

ROW = re.compile(r'<td><a href="/admin/agents/\d+">([^<]+)</a></td>')


def _listed(response) -> list[str]:
    return ROW.findall(text(response))


def db_role(user) -> Role:
    """The role as stored now (the test's own copy of `user` may be stale)."""
    return _db.session.scalar(_db.select(User.role).where(User.id == user.id))


@pytest.fixture
def admin_client(admin, make_client):
    return make_client(admin)


def test_only_admins_reach_the_admin_pages(client, agent, manager, admin):
    assert redirects_to_login(client.get("/admin/agents"))
    for user in (agent, manager):
        client.login(user)
        assert client.get("/admin/agents").status_code == 403
        assert client.get(f"/admin/agents/{admin.id}").status_code == 403
        assert client.post(f"/admin/agents/{admin.id}", {"role": "agent"}).status_code == 403
        client.logout()
    assert db_role(admin) == Role.ADMIN


def test_list_search_and_filters(admin_client, db, admin):
    UserFactory(display_name="Élodie Martin", email="elodie.martin@reseau-canope.fr")
    UserFactory(display_name="Bruno Dupont", email="bruno@reseau-canope.fr", role=Role.MANAGER)
    UserFactory(display_name="Inès Retirée", email="ines@reseau-canope.fr", is_active=False)
    UserFactory(display_name="Invité Sans Mot", email="invite@reseau-canope.fr",
                password_hash=None)
    cases = {
        "": {"Admin Test", "Élodie Martin", "Bruno Dupont", "Inès Retirée", "Invité Sans Mot"},
        "q=élodie": {"Élodie Martin"},
        "q=ÉLODIE": {"Élodie Martin"},
        "q=BRUNO@RESEAU": {"Bruno Dupont"},
        "q=%25": set(),
        "q=_": set(),
        "role=manager": {"Bruno Dupont"},
        "role=admin": {"Admin Test"},
        "status=inactive": {"Inès Retirée"},
        "status=invited": {"Invité Sans Mot"},
        "status=active": {"Admin Test", "Élodie Martin", "Bruno Dupont"},
        "role=&status=&page=abc": {"Admin Test", "Élodie Martin", "Bruno Dupont",
                                               "Inès Retirée", "Invité Sans Mot"},
    }
    for query, expected in cases.items():
        response = admin_client.get(f"/admin/agents?{query}")
        assert response.status_code == 200, query
        assert set(_listed(response)) == expected, query
    assert "<script>" not in admin_client.get("/admin/agents?q=<script>").text
    for query in ("role=<script>", "status=nope"):
        refused = admin_client.get(f"/admin/agents?{query}")
        assert refused.status_code == 400 and "<script>" not in refused.text


def test_list_pages_by_fifty(admin_client, db):
    for n in range(54):
        UserFactory(display_name=f"Agent {n:02d}")
    first = _listed(admin_client.get("/admin/agents"))
    second = _listed(admin_client.get("/admin/agents?page=2"))
    assert len(first) == 50 and len(second) == 5
    assert not set(first) & set(second)
    assert _listed(admin_client.get("/admin/agents?page=999999")) == second
    assert _listed(admin_client.get("/admin/agents?page=-4")) == first


def test_change_role(admin_client, db, agent):
    assert admin_client.get(f"/admin/agents/{agent.id}").status_code == 200
    response = admin_client.post(f"/admin/agents/{agent.id}", {"role": "manager"})
    assert location(response) == f"/admin/agents/{agent.id}"
    assert db_role(agent) == Role.MANAGER
    page = admin_client.get(f"/admin/agents/{agent.id}")
    assert "Le rôle de Agent Test est maintenant : Direction." in text(page)


def test_unknown_role_is_refused(admin_client, db, agent):
    response = admin_client.post(f"/admin/agents/{agent.id}", {"role": "superuser"})
    assert response.status_code == 422
    assert db_role(agent) == Role.AGENT


def test_admin_cannot_change_own_role_or_deactivate_self(admin_client, db, admin):
    assert admin_client.post(f"/admin/agents/{admin.id}", {"role": "agent"}).status_code == 403
    assert admin_client.post(f"/admin/agents/{admin.id}", {"role": "x"}).status_code == 403
    assert admin_client.post(f"/admin/agents/{admin.id}/desactiver").status_code == 403
    assert db_role(admin) == Role.ADMIN
    assert db.session.scalar(db.select(User.is_active).where(User.id == admin.id))
    page = text(admin_client.get(f"/admin/agents/{admin.id}"))
    assert "Vous ne pouvez pas modifier votre propre rôle" in page


def test_unknown_user_is_404(admin_client):
    assert admin_client.get("/admin/agents/999999").status_code == 404
    assert admin_client.post("/admin/agents/999999/desactiver").status_code == 404


def test_deactivation_ends_sessions_and_login_then_reactivation(admin_client, db, agent,
                                                                make_client,
                                                                open_community):
    MembershipFactory(user=agent, community=open_community)
    agent_client = make_client(agent)
    assert agent_client.get("/").status_code == 200

    response = admin_client.post(f"/admin/agents/{agent.id}/desactiver")
    assert location(response) == f"/admin/agents/{agent.id}"
    assert redirects_to_login(agent_client.get("/"))
    refused = agent_client.post("/connexion", {"email": agent.email, "password": PASSWORD})
    assert refused.status_code == 422
    assert count(User, id=agent.id) == 1  # the account and its content stay
    assert count(Membership, user_id=agent.id) == 1
    assert "Ce compte est désactivé" in text(admin_client.get(f"/admin/agents/{agent.id}"))

    admin_client.post(f"/admin/agents/{agent.id}/reactiver")
    agent_client.login(agent)
    assert agent_client.get("/").status_code == 200
    db.session.refresh(agent)
    assert agent.is_active and agent.deactivated_at is None


def test_deactivated_agent_gets_no_password_reset(client, db, agent, smtp):
    services.deactivate(agent)
    db.session.commit()
    client.post("/mot-de-passe/oubli", {"email": agent.email})
    assert smtp.messages == []


def test_platform_invitation_with_bad_email_is_refused(admin_client, smtp):
    response = admin_client.post("/admin/invitations", {"email": "pas-une-adresse"},
                                 follow_redirects=True)
    assert "Cette adresse électronique n'est pas valide." in text(response)
    assert smtp.messages == []
