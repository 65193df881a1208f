"""Access control, IDOR and side channels (checklist items 15–24; ASVS 4.1.1–4.1.5, 4.2.1,
13.1.4). Every role × route status is in tests/test_permissions_matrix.py; here, the attacks:
another agent's content by id (pages and htmx, rows unchanged), a private idea by every URL
that names it (404 like an id that does not exist), search, exports and notifications that must
not leak, a tampered community, privileged actions, a deactivated account's live cookie, and a
permission rule that raises.

No API exists yet (item 19): when one comes, its routes join the permission matrix and these
tables."""

import csv
import io
import re

import pytest
from flask_login import AnonymousUserMixin

from ideas import authz
from ideas.accounts import services as accounts
from ideas.comments import services as comments
from ideas.comments.models import Comment
from ideas.communities.models import Membership
from ideas.communities.services import remove_member
from ideas.ideation.models import Idea, IdeaStatus
from ideas.notifications.models import Notification
from ideas.reference.models import Theme
from tests import factories
from tests.helpers import count, redirects_to_login, text
from tests.search.conftest import backend, search_settings  # noqa: F401 - fixtures

SECRET = "Confidentiel Zéphyrin"  # a word found nowhere else


@pytest.fixture
def world(db, open_community, private_community):
    """Authors and a bystander: `member` belongs to the open community only."""
    author = factories.UserFactory(display_name="Autrice")
    member = factories.UserFactory(display_name="Membre")
    for user in (author, member):
        factories.MembershipFactory(user=user, community=open_community)
    factories.MembershipFactory(user=author, community=private_community)
    idea = factories.IdeaFactory(community=open_community, author=author,
                                 title="Idée de l'autrice")
    comment = comments.post_comment(author, idea, "Commentaire de l'autrice")
    private_idea = factories.IdeaFactory(community=private_community, author=author,
                                         title=f"{SECRET} privé")
    private_comment = comments.post_comment(author, private_idea, f"{SECRET} commentaire")
    db.session.commit()
    return {"author": author, "member": member, "idea": idea.id, "comment": comment.id,
            "private_idea": private_idea.id, "private_comment": private_comment.id,
            "open": open_community, "private": private_community}


def _snapshot(db, world) -> tuple:
    db.session.expire_all()
    idea = db.session.get(Idea, world["idea"])
    comment = db.session.get(Comment, world["comment"])
    return (idea.title, idea.body, idea.status, idea.hidden_at, idea.locked_at, idea.pinned_at,
            comment.body, comment.deleted_at if hasattr(comment, "deleted_at") else None,
            count(Comment), count(Idea))


OTHERS_CONTENT = [
    ("GET", "/idees/{idea}/modifier", {}),
    ("POST", "/idees/{idea}/modifier", {"title": "Titre volé !!", "body": "Volé"}),
    ("GET", "/idees/{idea}/retirer", {}),
    ("POST", "/idees/{idea}/retirer", {}),
    ("GET", "/commentaires/{comment}/modifier", {}),
    ("POST", "/commentaires/{comment}/modifier", {"body": "Commentaire volé"}),
    ("POST", "/commentaires/{comment}/supprimer", {}),
]


@pytest.mark.checklist(15, asvs="4.2.1")
@pytest.mark.parametrize("method, url, data", OTHERS_CONTENT)
@pytest.mark.parametrize("htmx", [False, True])
def test_another_agents_idea_or_comment_cannot_be_changed_by_id(db, make_client, world,
                                                                 method, url, data, htmx):
    client = make_client(world["member"])
    before = _snapshot(db, world)
    target = url.format(**world)
    if method == "GET":
        response = client.get(target, headers={"HX-Request": "true"} if htmx else {})
    else:
        response = client.post(target, data, htmx=htmx)
    assert response.status_code in (403, 404), (target, response.status_code)
    assert _snapshot(db, world) == before


PRIVATE_URLS = [
    "/idees/{private_idea}", "/idees/{private_idea}/modifier", "/idees/{private_idea}/retirer",
    "/idees/{private_idea}/statut", "/idees/{private_idea}/signaler",
    "/commentaires/{private_comment}", "/commentaires/{private_comment}/repondre",
    "/commentaires/{private_comment}/modifier", "/commentaires/{private_comment}/signaler",
    "/moderation/idees/{private_idea}/fusionner", "/moderation/idees/{private_idea}/titre",
]
PRIVATE_POSTS = [
    "/idees/{private_idea}/commentaires", "/idees/{private_idea}/soutenir",
    "/idees/{private_idea}/suivre", "/idees/{private_idea}/signaler",
    "/commentaires/{private_comment}/supprimer",
]


def _comparable(response) -> str:
    """The page without what changes on every request (nonce, ids, tokens)."""
    body = re.sub(r'(nonce|value|content)="[^"]*"', "", text(response))
    body = re.sub(r"[0-9a-f]{12}", "", body)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", body)


@pytest.mark.checklist(16, asvs="4.1.3")
@pytest.mark.parametrize("htmx", [False, True])
def test_a_private_idea_is_a_404_by_every_url_and_looks_like_no_idea(db, make_client, world,
                                                                    htmx):
    client = make_client(world["member"])
    client.get("/")  # shows (and so drops) the welcome message
    headers = {"HX-Request": "true"} if htmx else {}
    missing = {"private_idea": 999_999, "private_comment": 999_999}
    wrong = []
    for url in PRIVATE_URLS:
        response = client.get(url.format(**world), headers=headers)
        unknown = client.get(url.format(**missing), headers=headers)
        if response.status_code != 404 or SECRET in text(response):
            wrong.append(f"GET {url}: {response.status_code}")
        elif _comparable(response) != _comparable(unknown):
            wrong.append(f"GET {url}: differs from a missing id")
    for url in PRIVATE_POSTS:
        response = client.post(url.format(**world), {"body": "x"}, htmx=htmx)
        if response.status_code != 404 or SECRET in text(response):
            wrong.append(f"POST {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert count(Comment, idea_id=world["private_idea"]) == 1


@pytest.mark.checklist(16, 17, asvs="4.1.3")
def test_lists_and_community_pages_never_show_a_private_idea(make_client, world):
    client = make_client(world["member"])
    private = world["private"]
    for url in ("/idees", f"/idees?community={private.id}", "/", "/communautes/",
                f"/communautes/{private.slug}", "/idees?scope=mine", "/profil/suivis"):
        response = client.get(url)
        assert SECRET not in text(response), url
    for url in (f"/communautes/{private.slug}/idees", f"/communautes/{private.slug}/membres"):
        assert client.get(url).status_code == 404


@pytest.mark.checklist(17, asvs="4.1.3")
def test_search_results_counts_facets_and_suggestions_leave_private_ideas_out(
        db, backend, make_client, world):  # noqa: F811 - backend is a fixture
    client = make_client(world["member"])
    private = world["private"]
    # The query is echoed back; the title's other word ("Confidentiel") must not be.
    for url in ("/recherche?q=Zéphyrin", f"/recherche?q=Zéphyrin&community={private.id}",
                f"/recherche?q=community:{private.id}", "/recherche?q=",
                "/recherche/suggestions?q=Zéphy"):
        response = client.get(url, headers={"HX-Request": "true"} if "suggest" in url else {})
        assert response.status_code == 200, url
        body = text(response)
        assert "Confidentiel" not in body and private.name not in body, url
    # The author, a member, finds it: the query works, the filter is what hides it.
    assert "Confidentiel" in text(make_client(world["author"]).get("/recherche?q=Zéphyrin"))


def _csv_rows(response) -> str:
    return response.get_data().decode("utf-8-sig")


@pytest.mark.checklist(18, asvs="4.1.3")
def test_a_facilitator_of_one_community_gets_nothing_of_another_in_reviews_and_exports(
        db, make_client, world):
    facilitator = factories.UserFactory(display_name="Animateur de l'ouverte")
    factories.MembershipFactory(user=facilitator, community=world["open"], role="facilitator")
    client = make_client(facilitator)
    for url in ("/pilotage/revue", "/pilotage/revue.csv", "/moderation",
                "/moderation/journal", "/moderation/journal.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in (_csv_rows(response) if url.endswith(".csv") else text(response))
    xlsx = client.get("/pilotage/revue.xlsx")
    assert xlsx.status_code == 200 and SECRET.encode() not in _xlsx_text(xlsx.get_data())
    slug = world["private"].slug
    for url in (f"/communautes/{slug}/moderation", f"/communautes/{slug}/moderation/journal",
                f"/communautes/{slug}/moderation/journal.csv"):
        assert client.get(url).status_code in (403, 404), url
    for url in ("/pilotage/", "/pilotage/idees.csv", "/pilotage/services.xlsx"):
        assert client.get(url).status_code == 403, url


def _xlsx_text(data: bytes) -> bytes:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                     for cell in row).encode()


@pytest.mark.checklist(18, asvs="4.1.3")
def test_management_exports_hold_no_hidden_idea_title_for_those_who_may_not_see_it(
        db, make_client, world, manager):
    from ideas.moderation import services as moderation

    facilitator = factories.UserFactory()
    factories.MembershipFactory(user=facilitator, community=world["open"], role="facilitator")
    idea = db.session.get(Idea, world["idea"])
    moderation.hide_item(facilitator, idea, "Hors charte")
    db.session.commit()
    rows = _csv_rows(make_client(manager).get("/pilotage/idees.csv"))
    assert "Idée de l'autrice" not in rows
    assert list(csv.reader(io.StringIO(rows), delimiter=";"))  # still a valid CSV


@pytest.mark.checklist(20, asvs="4.1.3")
def test_an_old_notification_link_is_a_404_once_removed_from_the_community(db, make_client,
                                                                          world):
    reader = factories.UserFactory(display_name="Lectrice")
    membership = factories.MembershipFactory(user=reader, community=world["private"])
    private_idea = db.session.get(Idea, world["private_idea"])
    from ideas.follows.services import follow_idea

    follow_idea(reader, private_idea)
    comments.post_comment(world["author"], private_idea, "Nouveau commentaire privé")
    db.session.commit()
    notification = db.session.scalar(db.select(Notification).filter_by(user_id=reader.id))
    assert notification is not None
    client = make_client(reader)
    assert client.get(f"/notifications/{notification.id}").status_code == 302
    remove_member(world["private"], membership.id)
    db.session.commit()
    assert client.get(f"/notifications/{notification.id}").status_code == 404
    assert client.post(f"/notifications/{notification.id}/lue").status_code == 404
    assert SECRET not in text(client.get("/notifications"))
    assert ">0<" in text(client.get("/notifications/compteur", headers={"HX-Request": "true"})
                         ) or SECRET not in text(client.get("/notifications/compteur"))


@pytest.mark.checklist(21, 35, asvs="4.2.1")
def test_community_tampering_cannot_post_into_another_community(db, make_client, world):
    theme = db.session.scalars(db.select(Theme).where(Theme.is_active)).first()
    client = make_client(world["member"])
    private = world["private"]
    fields = {"title": "Idée déposée ailleurs", "body": "Texte.", "theme_ids": [theme.id],
              "community_id": private.id, "community": private.slug}
    response = client.post(f"/communautes/{world['open'].slug}/idees/nouvelle", fields)
    assert response.status_code == 302
    idea = db.session.scalar(db.select(Idea).filter_by(title="Idée déposée ailleurs"))
    assert idea.community_id == world["open"].id
    refused = client.post(f"/communautes/{private.slug}/idees/nouvelle",
                          dict(fields, title="Dans la privée"))
    assert refused.status_code == 403
    assert count(Idea, community_id=private.id) == 1


PRIVILEGED = [  # (method, url, data): facilitator or manager actions on an open-community idea
    ("POST", "/moderation/idees/{idea}/masquer", {"reason": "Je masque"}),
    ("POST", "/moderation/idees/{idea}/verrouiller", {}),
    ("POST", "/moderation/idees/{idea}/epingler", {}),
    ("POST", "/moderation/idees/{idea}/titre", {"title": "Titre imposé", "reason": "x"}),
    ("POST", "/moderation/commentaires/{comment}/masquer", {"reason": "Je masque"}),
    ("POST", "/idees/{idea}/statut", {"expected": "submitted", "status": "selected",
                                      "answer": "Retenue"}),
    ("POST", "/communautes/{open_slug}/modifier", {"name": "Renommée"}),
    ("POST", "/communautes/{open_slug}/archiver", {}),
    ("GET", "/pilotage/", {}),
    ("GET", "/pilotage/idees.csv", {}),
    ("GET", "/admin/agents", {}),
]


@pytest.mark.checklist(22, 36, asvs="4.1.1")
@pytest.mark.parametrize("method, url, data", PRIVILEGED)
@pytest.mark.parametrize("who", ["agent", "facilitator of another community"])
def test_privileged_actions_are_refused_and_change_nothing(db, make_client, world, method,
                                                           url, data, who):
    user = world["member"]
    if who != "agent":
        user = factories.UserFactory()
        factories.MembershipFactory(user=user, community=factories.CommunityFactory(
            name="Ailleurs"), role="facilitator")
    client = make_client(user)
    before = _snapshot(db, world)
    target = url.format(open_slug=world["open"].slug, **world)
    response = client.get(target) if method == "GET" else client.post(target, data)
    assert response.status_code in (403, 404), (target, response.status_code)
    assert _snapshot(db, world) == before
    db.session.refresh(world["open"])
    assert world["open"].name != "Renommée" and world["open"].archived_at is None


@pytest.mark.checklist(23, asvs="3.3.1")
@pytest.mark.parametrize("remember", [False, True])
def test_a_deactivated_account_with_a_live_cookie_is_anonymous_at_once(db, client, world,
                                                                       remember):
    member = world["member"]
    response = client.post("/connexion", {"email": member.email,
                                          "password": factories.PASSWORD,
                                          "remember": "y" if remember else ""})
    assert response.status_code == 302
    assert client.get("/idees").status_code == 200
    accounts.deactivate(db.session.get(type(member), member.id))
    db.session.commit()
    assert redirects_to_login(client.get("/idees"))
    if remember:  # the remember-me cookie alone does not bring the session back either
        client.raw.delete_cookie("session")
        assert redirects_to_login(client.get("/idees"))
    assert redirects_to_login(client.post(f"/idees/{world['idea']}/soutenir"))


def _raising(user, *args):
    raise RuntimeError("a rule that breaks")


@pytest.mark.checklist(24, asvs="4.1.5")
def test_a_permission_rule_that_raises_denies(app, db, world, caplog):
    from werkzeug.exceptions import Forbidden, NotFound

    with app.test_request_context():
        from flask_login import login_user

        login_user(world["author"])
        assert authz.allowed(_raising, object()) is False
        with pytest.raises(Forbidden):
            authz.require(_raising, object())
        with pytest.raises(NotFound):
            authz.require(_raising, object(), hide=True)
        from ideas.templating import Can

        can = Can([])
        can._checks["raising"] = _raising
        assert can.raising(object()) is False
    assert "permission check _raising failed: denying" in caplog.text


@pytest.mark.checklist(24, asvs="4.1.5")
def test_rules_deny_an_anonymous_or_broken_user_rather_than_raise(db, world):
    """The rules themselves, given an anonymous user or a half-loaded object: a denial."""
    from ideas.comments.permissions import can_edit_comment
    from ideas.ideation.permissions import can_edit_idea, can_view_idea

    anonymous = AnonymousUserMixin()
    idea = db.session.get(Idea, world["private_idea"])
    comment = db.session.get(Comment, world["private_comment"])
    for rule, target in ((can_view_idea, idea), (can_edit_idea, idea),
                         (can_edit_comment, comment)):
        assert authz.allowed(lambda _user, obj, rule=rule: rule(anonymous, obj), target) is False
    assert db.session.scalar(db.select(Membership).filter_by(user_id=world["member"].id))
    assert idea.status == IdeaStatus.SUBMITTED
