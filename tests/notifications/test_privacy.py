"""No notification leaks a private or hidden item: someone who left a private community gets
nothing new, loses the old ones (page, bell count, email; an old link is a 404), and content
hidden or deleted since disappears from the centre and from the emails."""

import re

from ideas.comments.services import delete_comment, post_comment
from ideas.communities import services as communities
from ideas.extensions import db
from ideas.ideation.models import IdeaStatus
from ideas.moderation import services as moderation
from ideas.notifications import dispatch
from ideas.notifications.kinds import Kind
from ideas.notifications.models import EmailStatus, OutboxEmail
from ideas.notifications.queries import unread_count
from ideas.workflow.services import move_idea
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import count, text
from tests.notifications.conftest import kinds_of, notifications_of


def _bell(client) -> int:
    return int(re.search(r'data-unread="(\d+)"', client.get("/").text).group(1))


def _member(community, name="Membre Privé"):
    user = UserFactory(display_name=name)
    MembershipFactory(user=user, community=community)
    return user


def test_a_member_who_left_gets_nothing_new(private_idea, private_community, smtp):
    author = private_idea.author
    communities.leave(author, private_community)
    db.session.commit()
    post_comment(_member(private_community), private_idea, "Pendant ton absence…")
    db.session.commit()
    assert kinds_of(author) == []
    dispatch.run_once()
    assert smtp.messages == []


def test_leaving_after_the_fact_hides_old_notifications_everywhere(
        make_client, private_idea, private_community, smtp):
    author = private_idea.author
    post_comment(_member(private_community), private_idea, "Un secret de la communauté.")
    db.session.commit()
    client = make_client(author)
    old = notifications_of(author)[0]
    assert _bell(client) == 1

    client.post(f"/communautes/{private_community.slug}/quitter")
    assert _bell(client) == 0
    assert unread_count(author) == 0
    page = text(client.get("/notifications"))
    assert "Un secret" not in page and "Une idée réservée" not in page
    assert client.get(f"/notifications/{old.id}").status_code == 404
    assert client.get(f"/idees/{private_idea.id}").status_code == 404
    # The email was still waiting: it is not sent.
    dispatch.run_once()
    assert smtp.messages == []
    assert notifications_of(author)[0].email_status == EmailStatus.SKIPPED


def test_a_follower_outside_a_private_community_is_not_told(private_idea, private_community):
    from ideas.follows.models import IdeaFollow

    # A follow left from before they were removed.
    outsider = UserFactory(display_name="Ancien membre")
    db.session.add(IdeaFollow(user_id=outsider.id, idea_id=private_idea.id))
    db.session.commit()
    post_comment(_member(private_community), private_idea, "Entre nous.")
    move_idea(UserFactory(role="manager"), private_idea, IdeaStatus.IN_REVIEW)
    db.session.commit()
    assert kinds_of(outsider) == []


def test_management_follows_private_ideas(private_idea, private_community, manager):
    from ideas.follows.services import follow_idea

    follow_idea(manager, private_idea)
    post_comment(_member(private_community), private_idea, "Entre nous.")
    db.session.commit()
    assert kinds_of(manager) == [Kind.COMMENT_ON_FOLLOWED_IDEA]


def test_a_hidden_comment_leaves_the_centre_but_its_author_is_told(
        make_client, idea, author, facilitator, smtp):
    commenter = UserFactory(display_name="Commentateur")
    comment = post_comment(commenter, idea, "Propos déplacé.")
    db.session.commit()
    client = make_client(author)
    assert _bell(client) == 1
    moderation.hide_item(facilitator, comment, "Propos irrespectueux.")
    db.session.commit()
    assert _bell(client) == 0
    assert "Propos déplacé" not in text(client.get("/notifications"))
    assert client.get(f"/notifications/{notifications_of(author)[0].id}").status_code == 404
    assert kinds_of(commenter) == [Kind.MODERATION_OF_MY_CONTENT]
    dispatch.run_once()
    assert [m["To"] for m in smtp.messages] == [commenter.email]
    assert "Propos irrespectueux." in smtp.last_text()


def test_a_hidden_idea_leaves_its_followers_centre(make_client, idea, follower, facilitator,
                                                   manager):
    move_idea(manager, idea, IdeaStatus.IN_REVIEW)
    db.session.commit()
    client = make_client(follower)
    assert _bell(client) == 1
    moderation.hide_item(facilitator, idea, "Doublon d'une idée existante.")
    db.session.commit()
    assert _bell(client) == 0
    assert "Éteindre les écrans" not in text(client.get("/notifications"))


def test_a_deleted_comment_is_not_emailed(idea, author, smtp):
    commenter = UserFactory()
    comment = post_comment(commenter, idea, "Oups, mauvais fil.")
    db.session.commit()
    delete_comment(commenter, comment)
    db.session.commit()
    dispatch.run_once()
    assert smtp.messages == []
    assert count(OutboxEmail) == 0
    assert unread_count(author) == 0


def test_a_relieved_facilitator_no_longer_sees_join_requests(private_community, facilitator):
    communities.request_to_join(UserFactory(display_name="Demandeuse"), private_community)
    db.session.commit()
    assert unread_count(facilitator) == 1
    communities.set_facilitator(private_community, facilitator, False)
    db.session.commit()
    assert unread_count(facilitator) == 0


def test_a_mention_of_someone_who_cannot_see_the_idea_creates_nothing(
        private_idea, private_community):
    outsider = UserFactory(display_name="Hors Communauté")
    post_comment(_member(private_community), private_idea, "Qu'en pense @Hors Communauté ?")
    db.session.commit()
    assert kinds_of(outsider) == []
