"""Each event of the domains, through the real services, notifies the right people once, with
the most specific reason, and never the one who acted."""

from datetime import date

from ideas.comments.services import post_comment
from ideas.communities import services as communities
from ideas.extensions import db
from ideas.follows.services import follow_community, follow_idea
from ideas.ideation import importer
from ideas.ideation.import_reading import Record
from ideas.ideation.models import IdeaStatus
from ideas.ideation.services import post_idea
from ideas.moderation.signals import content_moderated, report_filed
from ideas.notifications.kinds import Frequency, Kind
from ideas.notifications.messages import describe, details
from ideas.notifications.models import EmailStatus
from ideas.offer.models import Service, ServiceType
from ideas.reference.models import Theme
from ideas.workflow.services import move_idea
from tests.factories import IdeaFactory, MembershipFactory, UserFactory
from tests.notifications.conftest import kinds_of, notifications_of


def test_comment_notifies_the_author_and_followers_not_the_commenter(idea, author, follower):
    commenter = UserFactory(display_name="Léa Commente")
    follow_idea(commenter, idea)
    comment = post_comment(commenter, idea, "Bonne idée, et les imprimantes ?")
    db.session.commit()

    assert kinds_of(author) == [Kind.COMMENT_ON_MY_IDEA]
    assert kinds_of(follower) == [Kind.COMMENT_ON_FOLLOWED_IDEA]
    assert kinds_of(commenter) == []
    mine = notifications_of(author)[0]
    assert (mine.idea_id, mine.comment_id, mine.actor_id, mine.community_id) == (
        idea.id, comment.id, commenter.id, idea.community_id)
    assert describe(mine) == "Léa Commente a commenté votre idée « Éteindre les écrans la nuit »."
    assert ("Commentaire", "Bonne idée, et les imprimantes ?") in details(mine)


def test_the_author_commenting_their_own_idea_notifies_only_followers(idea, author, follower):
    post_comment(author, idea, "Je précise : la nuit, c'est après 20 h.")
    db.session.commit()
    assert kinds_of(author) == []
    assert kinds_of(follower) == [Kind.COMMENT_ON_FOLLOWED_IDEA]


def test_a_reply_notifies_the_comment_author_once_as_a_reply(idea, author, follower):
    first = post_comment(follower, idea, "Et le week-end ?")
    db.session.commit()
    replier = UserFactory(display_name="Marc Répond")
    post_comment(replier, idea, "Aussi le week-end.", parent=first)
    db.session.commit()
    # The follower is both a follower and the comment's author: one notification, the reply.
    assert kinds_of(follower) == [Kind.REPLY_TO_MY_COMMENT]
    assert kinds_of(author) == [Kind.COMMENT_ON_MY_IDEA, Kind.COMMENT_ON_MY_IDEA]


def test_status_change_notifies_author_and_followers_with_the_official_answer(
        idea, author, follower, manager):
    move_idea(manager, idea, IdeaStatus.IN_REVIEW)
    move_idea(manager, idea, IdeaStatus.SELECTED, answer="Retenue pour 2027 : bravo.")
    db.session.commit()

    assert kinds_of(author) == [Kind.STATUS_OF_MY_IDEA] * 2
    assert kinds_of(follower) == [Kind.STATUS_OF_FOLLOWED_IDEA] * 2
    assert kinds_of(manager) == []
    selected = notifications_of(author)[-1]
    assert describe(selected) == ("Votre idée « Éteindre les écrans la nuit » est maintenant "
                                  "« retenue ».")
    assert ("Réponse officielle", "Retenue pour 2027 : bravo.") in details(selected)
    assert "que vous suivez" in describe(notifications_of(follower)[-1])


def test_adoption_tells_the_author_which_service_their_idea_became(idea, author, follower,
                                                                   manager):
    service = Service(name="Formation sobriété numérique", type=ServiceType.TRAINING,
                      launch_date=date(2026, 9, 1))
    db.session.add(service)
    move_idea(manager, idea, IdeaStatus.IN_REVIEW)
    move_idea(manager, idea, IdeaStatus.SELECTED, answer="Oui.")
    db.session.commit()
    move_idea(manager, idea, IdeaStatus.ADOPTED, answer="Adoptée.", service=service)
    db.session.commit()

    adopted = notifications_of(author)[-1]
    assert adopted.kind == Kind.MY_IDEA_ADOPTED and adopted.service_id == service.id
    assert describe(adopted) == ("Votre idée « Éteindre les écrans la nuit » est adoptée : elle "
                                 "devient le service « Formation sobriété numérique ».")
    assert notifications_of(follower)[-1].kind == Kind.STATUS_OF_FOLLOWED_IDEA


def test_a_merge_tells_the_followers_of_the_merged_idea(idea, author, follower, facilitator,
                                                         open_community):
    target = IdeaFactory(community=open_community, title="Éteindre les écrans le soir")
    move_idea(facilitator, idea, IdeaStatus.MERGED, merge_into=target)
    db.session.commit()
    assert kinds_of(follower) == [Kind.STATUS_OF_FOLLOWED_IDEA]
    assert kinds_of(author) == [Kind.STATUS_OF_MY_IDEA]
    assert "fusionnée" in describe(notifications_of(follower)[0])


def test_the_author_withdrawing_notifies_followers_only(idea, author, follower):
    move_idea(author, idea, IdeaStatus.WITHDRAWN)
    db.session.commit()
    assert kinds_of(author) == []
    assert kinds_of(follower) == [Kind.STATUS_OF_FOLLOWED_IDEA]


def _theme_ids():
    return [db.session.scalars(db.select(Theme.id).limit(1)).first()]


def test_a_new_idea_notifies_the_community_followers_not_the_author(open_community):
    reader, poster = UserFactory(display_name="Lectrice"), UserFactory(display_name="Auteur")
    follow_community(reader, open_community)
    follow_community(poster, open_community)
    idea = post_idea(poster, open_community, title="Covoiturage entre ateliers",
                     body="Une plateforme simple.", theme_ids=_theme_ids())
    db.session.commit()
    assert kinds_of(reader) == [Kind.NEW_IDEA_IN_COMMUNITY]
    assert notifications_of(reader)[0].idea_id == idea.id
    assert kinds_of(poster) == []
    assert notifications_of(reader)[0].email_frequency == Frequency.WEEKLY


def test_imported_ideas_are_not_news(open_community, admin):
    reader = UserFactory(display_name="Lectrice")
    follow_community(reader, open_community)
    theme = db.session.scalars(db.select(Theme).limit(1)).first()
    report = importer.import_records([Record(1, {
        "title": "Une idée d'hier", "body": "Importée d'un tableur.",
        "community": open_community.name, "themes": theme.code, "author_email": admin.email})])
    db.session.commit()
    assert not report.errors and len(report.created) == 1
    assert kinds_of(reader) == []


def test_a_join_request_notifies_the_facilitators(private_community, facilitator, admin):
    asker = UserFactory(display_name="Nina Demande")
    communities.request_to_join(asker, private_community, "Je voudrais participer.")
    db.session.commit()
    assert kinds_of(facilitator) == [Kind.JOIN_REQUEST]
    assert kinds_of(admin) == []  # the community has a facilitator
    request = notifications_of(facilitator)[0]
    assert describe(request) == "Nina Demande demande à rejoindre la communauté « Réseau privé »."
    assert request.email_frequency == Frequency.DAILY


def test_a_join_request_without_facilitator_goes_to_the_admins(admin):
    from tests.factories import CommunityFactory

    lonely = CommunityFactory(name="Sans animation", is_private=True)
    communities.request_to_join(UserFactory(), lonely)
    db.session.commit()
    assert kinds_of(admin) == [Kind.JOIN_REQUEST]


def test_moderation_of_my_content_tells_me_why(idea, author, facilitator):
    content_moderated.send(idea, actor=facilitator, action="lock",
                           reason="Le débat a été tranché en réunion.")
    content_moderated.send(idea, actor=facilitator, action="dismiss", reason="")
    db.session.commit()
    told = notifications_of(author)
    assert [n.kind for n in told] == [Kind.MODERATION_OF_MY_CONTENT]
    assert "verrouillée" in describe(told[0])
    assert ("Motif", "Le débat a été tranché en réunion.") in details(told[0])
    assert kinds_of(facilitator) == []


def test_a_report_asks_the_facilitators_to_review(idea, follower, facilitator, author):
    comment = post_comment(follower, idea, "Un commentaire discuté.")
    db.session.commit()
    reporter = UserFactory(display_name="Signaleur")
    report_filed.send(object(), item=comment, reporter=reporter)
    db.session.commit()
    assert kinds_of(facilitator) == [Kind.NEW_REPORT]
    assert notifications_of(facilitator)[0].comment_id == comment.id
    assert kinds_of(reporter) == []


def test_preferences_decide_the_email_of_each_new_notification(idea, author, follower):
    from ideas.notifications.services import set_preferences

    set_preferences(author, {Kind.COMMENT_ON_MY_IDEA: Frequency.NEVER})
    post_comment(follower, idea, "Un avis.")
    db.session.commit()
    mine = notifications_of(author)[0]
    assert (mine.email_frequency, mine.email_status) == (Frequency.NEVER, EmailStatus.SKIPPED)


def test_deactivated_agents_get_nothing(idea, author, follower):
    author.is_active = False
    db.session.commit()
    post_comment(follower, idea, "Un avis.")
    db.session.commit()
    assert kinds_of(author) == []


def test_member_of_a_private_community_is_notified(private_idea, private_community):
    member = UserFactory()
    MembershipFactory(user=member, community=private_community)
    post_comment(member, private_idea, "Entre nous.")
    db.session.commit()
    assert kinds_of(private_idea.author) == [Kind.COMMENT_ON_MY_IDEA]
