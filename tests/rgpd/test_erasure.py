"""Deleting an account (SECURITY-CHECKLIST item 51; RGPD art. 17): by its owner (password
and confirmation) or by an admin, the agent becomes "Agent supprimé" ("Deleted agent" in
English) on pages, exports, notifications and in the search index (Whoosh and PostgreSQL);
every session ends; follows, preferences, notifications, emails, memberships, mentions go; the
ideas, comments and supports the community relies on stay; the erasure is logged (ids only) and
can be applied again after restoring an older backup."""

import io
import json

import pytest
from openpyxl import load_workbook

from ideas.accounts.models import Invitation, User
from ideas.accounts.services import create_invitation
from ideas.comments.models import Comment
from ideas.comments.services import post_comment
from ideas.communities.models import Community, Membership, MembershipStatus
from ideas.extensions import db
from ideas.follows.models import CommunityFollow, IdeaFollow
from ideas.ideation.models import Idea
from ideas.moderation.models import Report, Suspension
from ideas.notifications.models import (
    CommentMention,
    Notification,
    NotificationPreference,
    OutboxEmail,
)
from ideas.privacy import erasure
from ideas.search import queries as search
from ideas.votes.models import Vote
from tests.factories import PASSWORD, UserFactory
from tests.helpers import count, text
from tests.rgpd.conftest import ALICE_EMAIL, ALICE_NAME

pytestmark = pytest.mark.checklist(51, asvs="8.3.2")


def _delete_own_account(client, password=PASSWORD, understood="y"):
    data = {"password": password}
    if understood:
        data["understood"] = understood
    return client.post("/profil/supprimer-mon-compte", data)


def _reload(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


# -- By the agent

def test_a_wrong_password_or_no_confirmation_deletes_nothing(make_client, world):
    client = make_client(world.alice)
    for response in (_delete_own_account(client, password="pas le bon mot de passe"),
                     _delete_own_account(client, understood=None)):
        assert response.status_code == 422
        assert response.headers["Cache-Control"] == "no-store"
    assert _reload(world.alice).erased_at is None
    assert "Le mot de passe est incorrect." in text(
        _delete_own_account(client, password="pas le bon mot de passe"))


def test_the_agent_deletes_their_account_and_every_session_ends(make_client, world,
                                                                erasure_log):
    phone = make_client(world.alice)  # another device, signed in before
    client = make_client(world.alice)
    assert client.get("/profil/supprimer-mon-compte").headers["Cache-Control"] == "no-store"
    response = _delete_own_account(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/connexion"
    assert "Votre compte est supprimé." in text(client.get("/connexion"))
    for device in (client, phone):
        assert device.get("/profil").headers["Location"].startswith("/connexion")
    refused = client.post("/connexion", {"email": ALICE_EMAIL, "password": PASSWORD})
    assert refused.status_code == 422
    alice = _reload(world.alice)
    assert alice.erased_at is not None and not alice.is_active
    assert alice.stored_display_name == erasure.ERASED_NAME
    assert alice.email == erasure.erased_email(alice.id)
    assert alice.password_hash is None and alice.territory_id is None
    assert alice.display_name == "Agent supprimé"
    logged = [json.loads(line) for line in erasure_log.read_text().splitlines()]
    assert [entry["user_id"] for entry in logged] == [alice.id]
    assert ALICE_NAME not in erasure_log.read_text()
    assert ALICE_EMAIL not in erasure_log.read_text()


def test_what_was_theirs_goes_and_what_the_community_relies_on_stays(world):
    alice = world.alice
    create_invitation(ALICE_EMAIL, world.admin)
    kept = {"ideas": count(Idea, author_id=alice.id), "comments": count(Comment,
            author_id=alice.id), "supports": count(Vote, user_id=alice.id),
            "reports": count(Report, reporter_id=alice.id)}
    assert all(kept.values())
    erasure.erase_account(alice)
    db.session.commit()
    for model, column in ((Membership, "user_id"), (IdeaFollow, "user_id"),
                          (CommunityFollow, "user_id"), (NotificationPreference, "user_id"),
                          (Notification, "user_id"), (OutboxEmail, "user_id"),
                          (CommentMention, "user_id"), (Suspension, "user_id")):
        assert count(model, **{column: alice.id}) == 0, model.__name__
    assert count(Invitation, email=ALICE_EMAIL) == 0
    assert {"ideas": count(Idea, author_id=alice.id), "comments": count(Comment,
            author_id=alice.id), "supports": count(Vote, user_id=alice.id),
            "reports": count(Report, reporter_id=alice.id)} == kept
    # Counters still equal their rows.
    for community in db.session.scalars(db.select(Community)):
        assert community.member_count == db.session.scalar(
            db.select(db.func.count()).select_from(Membership).where(
                Membership.community_id == community.id,
                Membership.status == MembershipStatus.ACTIVE))
    for idea in db.session.scalars(db.select(Idea)):
        assert idea.follower_count == count(IdeaFollow, idea_id=idea.id)
        assert idea.vote_count == count(Vote, idea_id=idea.id)
    assert erasure.erase_account(_reload(alice)) is False  # once is enough


def test_the_name_is_gone_from_texts_too(world):
    erasure.erase_account(world.alice)
    db.session.commit()
    idea = db.session.get(Idea, world.alice_idea.id)
    assert idea.body == "Proposée par Agent supprimé, atelier 86 : des gourdes pour tous."
    assert "Alice" not in idea.body_html
    mention = db.session.get(Comment, world.bruno_comment.id)
    assert mention.body == "Merci @Agent supprimé, je complète avec un détail de Bruno."


def test_a_one_word_name_is_replaced_only_where_it_mentions_the_agent(world):
    """"Atelier" is a word too: texts that merely use it keep it; the mention goes."""
    atelier = UserFactory(display_name="Atelier")
    from tests.factories import MembershipFactory

    MembershipFactory(user=atelier, community=world.open)
    mention = post_comment(world.bruno, world.alice_idea, "Merci @Atelier pour l'atelier.")
    db.session.commit()
    assert count(CommentMention, user_id=atelier.id) == 1
    erasure.erase_account(atelier)
    db.session.commit()
    assert db.session.get(Comment, mention.id).body == "Merci @Agent supprimé pour l'atelier."
    assert "Proposée par Alice Zéphyrine, atelier 86" in db.session.get(
        Idea, world.alice_idea.id).body


# -- Everywhere the name was shown

def test_pages_show_agent_supprime_in_each_language(make_client, world):
    erasure.erase_account(world.alice)
    db.session.commit()
    bruno = make_client(world.bruno)
    thread = text(bruno.get(f"/idees/{world.bruno_idea.id}"))
    assert "Agent supprimé" in thread and ALICE_NAME not in thread
    facilitator = make_client(world.facilitator)
    page = text(facilitator.get(f"/idees/{world.alice_idea.id}"))
    assert "Proposée par Agent supprimé" in page and ALICE_NAME not in page
    members = text(facilitator.get(f"/communautes/{world.private.slug}/membres"))
    assert ALICE_NAME not in members and "Agent supprimé" not in members
    bruno.post("/langue", {"locale": "en"})
    english = text(bruno.get(f"/idees/{world.bruno_idea.id}"))
    assert "Deleted agent" in english and ALICE_NAME not in english


def test_notifications_to_others_say_agent_supprime(make_client, world):
    erasure.erase_account(world.alice)
    db.session.commit()
    bruno = make_client(world.bruno)
    centre = text(bruno.get("/notifications"))
    assert "Agent supprimé a commenté votre idée" in centre
    assert ALICE_NAME not in centre
    bruno.post("/langue", {"locale": "en"})
    assert "Deleted agent" in text(bruno.get("/notifications"))


def test_pending_emails_to_others_lose_the_name(world):
    """An email to Bruno already written, waiting for the sender, that names Alice."""
    from ideas.notifications.models import OutboxStatus

    waiting = OutboxEmail(user_id=world.bruno.id, recipient="bruno.quillard@reseau-canope.fr",
                          kind="comment_on_my_idea", subject=f"{ALICE_NAME} a commenté",
                          text=f"{ALICE_NAME} a commenté votre idée.",
                          html=f"<p>{ALICE_NAME} a commenté votre idée.</p>",
                          dedup_key="test-pending", status=OutboxStatus.PENDING)
    db.session.add(waiting)
    db.session.commit()
    erasure.erase_account(world.alice)
    db.session.commit()
    email = db.session.get(OutboxEmail, waiting.id)
    assert ALICE_NAME not in email.subject + email.text + email.html
    assert email.subject == "Agent supprimé a commenté"


def test_admin_pages_and_moderation_exports(make_client, world):
    erasure.erase_account(world.alice)
    db.session.commit()
    admin = make_client(world.admin)
    listing = text(admin.get("/admin/agents"))
    assert ALICE_NAME not in listing and ALICE_EMAIL not in listing
    assert "Supprimé" in listing
    page = text(admin.get(f"/admin/agents/{world.alice.id}"))
    assert "Ce compte a été supprimé" in page and "Changer le rôle" not in page
    # The moderation log names the suspended account: no longer.
    log = admin.get("/moderation/journal.csv").get_data(as_text=True)
    assert "Agent supprimé" in log and ALICE_NAME not in log
    facilitator = make_client(world.facilitator)
    queue_log = facilitator.get(f"/communautes/{world.private.slug}/moderation/journal.csv")
    assert ALICE_NAME not in queue_log.get_data(as_text=True)
    manager = make_client(UserFactory(role="manager"))
    assert ALICE_NAME not in text(manager.get("/pilotage/revue"))
    workbook = load_workbook(io.BytesIO(manager.get("/pilotage/revue.xlsx").data))
    cells = [str(cell) for sheet in workbook for row in sheet.values for cell in row]
    assert cells and not any(ALICE_NAME in cell for cell in cells)


def test_search_no_longer_finds_the_name(search_backend, world):
    """The name was in her idea and in a colleague's comment mentioning her: both ideas are
    indexed again, and neither the index nor the results hold it any more."""
    post_comment(world.facilitator, world.alice_idea, "Bravo @Alice Zéphyrine !")
    db.session.commit()
    admin = world.admin
    assert search.search_ideas(admin, "Zéphyrine").total == 1
    erasure.erase_account(world.alice)
    db.session.commit()
    assert search.search_ideas(admin, "Zéphyrine").total == 0
    assert search.search_ideas(admin, "gourdes").total == 1  # the idea itself is still found
    with db.engine.connect() as connection:
        drift = search_backend.check(connection)
    assert drift.missing == [] and drift.stale == []


# -- By an admin

def test_an_admin_erases_an_account_after_confirming(make_client, world, erasure_log, caplog):
    caplog.set_level("INFO", logger="ideas.security")
    admin = make_client(world.admin)
    page = admin.get(f"/admin/agents/{world.alice.id}")
    assert f"/admin/agents/{world.alice.id}/supprimer" in page.text
    confirm = admin.get(f"/admin/agents/{world.alice.id}/supprimer")
    assert confirm.status_code == 200 and confirm.headers["Cache-Control"] == "no-store"
    assert admin.post(f"/admin/agents/{world.alice.id}/supprimer").status_code == 422
    assert _reload(world.alice).erased_at is None
    response = admin.post(f"/admin/agents/{world.alice.id}/supprimer", {"understood": "y"})
    assert response.headers["Location"] == f"/admin/agents/{world.alice.id}"
    assert _reload(world.alice).erased_at is not None
    erased = [r.getMessage() for r in caplog.records if "event=account.erased" in r.getMessage()]
    assert len(erased) == 1
    assert f"user={world.admin.id}" in erased[0] and f"target={world.alice.id}" in erased[0]
    assert ALICE_NAME not in erased[0] and ALICE_EMAIL not in erased[0]
    # Nothing more to do on it: erasing again, changing its role, reactivating it.
    assert admin.get(f"/admin/agents/{world.alice.id}/supprimer").status_code == 403
    assert admin.post(f"/admin/agents/{world.alice.id}/reactiver").status_code == 403
    assert len(erasure_log.read_text().splitlines()) == 1


def test_nobody_else_erases_an_account(make_client, world):
    for user in (world.bruno, world.facilitator):
        response = make_client(user).post(f"/admin/agents/{world.alice.id}/supprimer",
                                          {"understood": "y"})
        assert response.status_code == 403
    admin = make_client(world.admin)
    assert admin.post(f"/admin/agents/{world.admin.id}/supprimer",
                      {"understood": "y"}).status_code == 403  # one's own: from the profile
    assert admin.get("/admin/agents/999999/supprimer").status_code == 404
    assert _reload(world.alice).erased_at is None


def test_the_last_admin_cannot_delete_their_own_account(make_client, world):
    admin = make_client(world.admin)
    page = text(admin.get("/profil/supprimer-mon-compte"))
    assert "Vous êtes le seul administrateur" in page
    assert _delete_own_account(admin).status_code == 403
    UserFactory(role="admin")
    assert _delete_own_account(make_client(world.admin)).status_code == 302


# -- The erasure log, and a restore

def test_a_rolled_back_erasure_is_not_logged(world, erasure_log):
    erasure.erase_account(world.alice)
    db.session.rollback()
    assert not erasure_log.exists()
    assert _reload(world.alice).erased_at is None


def test_erasures_are_applied_again_after_restoring_an_older_backup(app, world, erasure_log):
    alice_id = world.alice.id
    erasure.erase_account(world.alice)
    db.session.commit()
    # The restored backup predates the erasure: the account is back as it was.
    alice = _reload(world.alice)
    alice.erased_at, alice.is_active = None, True
    alice.stored_display_name, alice.email = ALICE_NAME, ALICE_EMAIL
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["erasures", "reapply"])
    assert result.exit_code == 0, result.output
    assert "1 account(s) erased again" in result.output
    alice = db.session.get(User, alice_id)
    assert alice.erased_at is not None and alice.email != ALICE_EMAIL
    assert len(erasure_log.read_text().splitlines()) == 1  # a replay is not logged twice
    again = runner.invoke(args=["erasures", "reapply"])
    assert "0 account(s) erased again, 1 already erased" in again.output


def test_a_reused_id_is_not_erased_by_the_replay(app, world, erasure_log):
    """After a restore, a new account may get a logged id: its creation time tells them
    apart, and the replay refuses it (exit status 1) rather than erase the wrong person."""
    erasure.append_to_log(erasure_log, [{"user_id": world.bruno.id,
                                         "created_at": "2001-01-01T00:00:00"}])
    result = app.test_cli_runner().invoke(args=["erasures", "reapply"])
    assert result.exit_code == 1
    assert "1 skipped" in result.output
    assert _reload(world.bruno).erased_at is None
