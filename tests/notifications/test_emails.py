"""Emails through a real SMTP server on loopback: recipients, subject, language (French and
English readers), absolute links on PUBLIC_URL, digests grouped by community and idea, the
calm defaults, and unsubscribing (confirmation page, form, RFC 8058 one-click, bad tokens)."""

import re
from datetime import datetime, timedelta

import pytest

from ideas.comments.services import post_comment
from ideas.extensions import db
from ideas.follows.services import follow_idea
from ideas.ideation.models import IdeaStatus
from ideas.notifications import dispatch
from ideas.notifications.emails import unsubscribe_token
from ideas.notifications.kinds import Frequency, Kind
from ideas.notifications.models import EmailStatus, NotificationPreference, OutboxEmail
from ideas.notifications.services import set_preferences
from ideas.workflow.services import move_idea
from tests.factories import CommunityFactory, IdeaFactory, UserFactory
from tests.helpers import count, text
from tests.notifications.conftest import notifications_of

PUBLIC = "http://localhost"  # PUBLIC_URL of the testing configuration


def _html(message) -> str:
    return message.get_body(("html",)).get_content()


def _plain(message) -> str:
    return message.get_body(("plain",)).get_content()


def _links(body: str) -> list[str]:
    return re.findall(r'https?://[^\s"<>]+', body)


def _comment(idea, body="Un avis.", name="Léa Commente", by=None):
    post_comment(by or UserFactory(display_name=name), idea, body)
    db.session.commit()


def _to(smtp, user) -> list:
    return [m for m in smtp.messages if m["To"] == user.email]


def test_an_immediate_email_in_french(idea, author, follower, smtp):
    _comment(idea, "Et les imprimantes ?")
    report = dispatch.run_once()
    assert report.immediate == 1 and report.delivery.sent == 1
    [message] = smtp.messages  # the follower's comment news waits for the daily digest
    assert message["To"] == author.email
    assert message["Subject"] == ("Léa Commente a commenté votre idée « Éteindre les écrans "
                                  "la nuit ».")
    assert message["From"] == "Fabrique à idées <ne-pas-repondre@reseau-canope.fr>"
    plain, html = _plain(message), _html(message)
    assert "Bonjour Claire Autrice," in plain and "Et les imprimantes ?" in plain
    assert 'lang="fr"' in html
    notification = notifications_of(author)[0]
    assert f"{PUBLIC}/notifications/{notification.id}" in plain
    assert all(link.startswith(PUBLIC + "/") for link in _links(plain) + _links(html))
    assert f"{PUBLIC}/profil/notifications" in plain
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{PUBLIC}/notifications/desabonnement/")
    assert unsubscribe.strip("<>") in plain and unsubscribe.strip("<>") in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"] and message["Auto-Submitted"] == "auto-generated"
    assert notification.email_status == EmailStatus.QUEUED
    # Sent once: a second run sends nothing more.
    dispatch.run_once()
    assert len(smtp.messages) == 1


def test_an_english_reader_gets_english(idea, author, manager, smtp):
    author.locale = "en"
    db.session.commit()
    move_idea(manager, idea, IdeaStatus.IN_REVIEW)
    move_idea(manager, idea, IdeaStatus.SELECTED, answer="Retenue pour 2027.")
    db.session.commit()
    dispatch.run_once()
    assert len(smtp.messages) == 2
    message = smtp.messages[-1]
    assert message["Subject"] == ("Your idea “Éteindre les écrans la nuit” is now "
                                  "“selected”.")
    plain = _plain(message)
    assert "Hello Claire Autrice," in plain
    assert "Official answer: Retenue pour 2027." in plain
    assert 'lang="en"' in _html(message)


def test_links_follow_public_url(app, idea, author, smtp):
    app.config["PUBLIC_URL"] = "https://idees.reseau-canope.fr/"
    try:
        _comment(idea)
        dispatch.run_once()
    finally:
        app.config["PUBLIC_URL"] = PUBLIC
    links = _links(_plain(smtp.messages[0]))
    assert links and all(link.startswith("https://idees.reseau-canope.fr/") for link in links)
    assert not any("//notifications" in link or "fr//" in link for link in links)


def test_never_means_no_email_but_the_centre_keeps_it(idea, author, smtp):
    set_preferences(author, {Kind.COMMENT_ON_MY_IDEA: Frequency.NEVER})
    db.session.commit()
    _comment(idea)
    dispatch.run_once()
    assert smtp.messages == []
    assert len(notifications_of(author)) == 1


def test_invited_accounts_get_no_email(idea, author, smtp):
    author.password_hash = None
    db.session.commit()
    _comment(idea)
    dispatch.run_once()
    assert smtp.messages == []


# -- Digests

MONDAY_8 = datetime(2026, 3, 2, 7, 0)  # 8:00 in Paris (UTC+1), a Monday
TUESDAY_8 = MONDAY_8 + timedelta(days=1)


def _age(notifications, moment: datetime) -> None:
    for n in notifications:
        n.created_at = moment
    db.session.commit()


def test_a_daily_digest_groups_by_community_and_idea(open_community, smtp):
    reader = UserFactory(display_name="Lectrice Assidue")
    other = CommunityFactory(name="Achats responsables")
    ideas = [IdeaFactory(community=open_community, title="Éteindre les écrans"),
             IdeaFactory(community=open_community, title="Covoiturage"),
             IdeaFactory(community=other, title="Papier recyclé")]
    for idea in ideas:
        follow_idea(reader, idea)
    db.session.commit()
    _comment(ideas[0], "Premier avis sur les écrans.")
    _comment(ideas[2], "Avis sur le papier.")
    _comment(ideas[0], "Second avis sur les écrans.", name="Marc Répond")
    _comment(ideas[1], "Avis sur le covoiturage.")
    _age(notifications_of(reader), MONDAY_8 - timedelta(hours=3))

    # Before 7:00 in Paris nothing is due; the first run after it sends the digest.
    assert dispatch.run_once(MONDAY_8 - timedelta(hours=2)).digests == 0
    assert _to(smtp, reader) == []  # the ideas' authors had theirs at once
    report = dispatch.run_once(MONDAY_8)
    assert report.digests == 1
    [message] = _to(smtp, reader)
    assert message["To"] == reader.email
    assert message["Subject"] == "Votre résumé du jour : 4 nouveautés"
    plain = _plain(message)
    # Communities by name, ideas by title, each idea's news together.
    order = [plain.index(s) for s in ("== Achats responsables ==", "Papier recyclé",
                                      "== Sobriété numérique ==", "Covoiturage",
                                      "Éteindre les écrans", "Premier avis sur les écrans",
                                      "Second avis sur les écrans")]
    assert order == sorted(order)
    assert plain.count("* Éteindre les écrans") == 1
    html = _html(message)
    assert html.count("<h2") == 2 and html.count("<h3") == 3
    assert all(link.startswith(PUBLIC + "/") for link in _links(html))
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # One digest a day: the next run of the same day sends nothing.
    assert dispatch.run_once(MONDAY_8 + timedelta(hours=5)).digests == 0
    assert len(_to(smtp, reader)) == 1


def test_news_after_the_digest_hour_waits_for_the_next_day(idea, follower, smtp):
    _comment(idea)
    _age(notifications_of(follower), MONDAY_8 + timedelta(minutes=30))
    assert dispatch.run_once(MONDAY_8 + timedelta(hours=2)).digests == 0
    assert dispatch.run_once(TUESDAY_8).digests == 1
    assert len(_to(smtp, follower)) == 1


def test_a_weekly_digest_in_english(open_community, smtp):
    from ideas.follows.services import follow_community
    from ideas.ideation.signals import idea_posted

    reader = UserFactory(display_name="Weekly Reader", locale="en")
    follow_community(reader, open_community)
    db.session.commit()
    idea = IdeaFactory(community=open_community, title="Réemploi du mobilier")
    idea_posted.send(idea, author=idea.author)
    db.session.commit()
    _age(notifications_of(reader), MONDAY_8 - timedelta(days=3))  # a Friday
    assert dispatch.run_once(MONDAY_8 - timedelta(days=1)).digests == 0  # Sunday: not yet
    assert dispatch.run_once(MONDAY_8 + timedelta(days=2)).digests == 1  # Wednesday: due
    [message] = _to(smtp, reader)
    assert message["Subject"] == "Your weekly digest: 1 update"
    assert "New idea in “Sobriété numérique”: “Réemploi du mobilier”" in _plain(message)


def test_a_digest_skips_what_became_invisible(private_idea, private_community, smtp):
    from ideas.communities import services as communities
    from tests.factories import MembershipFactory

    member = UserFactory(display_name="Membre qui part")
    MembershipFactory(user=member, community=private_community)
    follow_idea(member, private_idea)
    db.session.commit()
    other = UserFactory(display_name="Autre membre")
    MembershipFactory(user=other, community=private_community)
    _comment(private_idea, by=other)
    _age(notifications_of(member), MONDAY_8 - timedelta(hours=3))
    communities.leave(member, private_community)
    db.session.commit()
    assert dispatch.run_once(MONDAY_8).digests == 0
    assert [m["To"] for m in smtp.messages] == [private_idea.author.email]  # the author's own
    assert notifications_of(member)[0].email_status == EmailStatus.SKIPPED


# -- Unsubscribe

def _token(user, *kinds) -> str:
    return unsubscribe_token(user.id, kinds or [Kind.COMMENT_ON_MY_IDEA])


def test_unsubscribe_asks_then_unsubscribes_without_signing_in(client, author):
    url = f"/notifications/desabonnement/{_token(author)}"
    page = client.get(url)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Un commentaire sur une de mes idées" in text(page)
    assert count(NotificationPreference, user_id=author.id) == 0  # GET changes nothing
    response = client.post(url)
    assert response.status_code == 200
    assert "vous ne recevrez plus d'email pour ces notifications" in text(response)
    pref = db.session.get(NotificationPreference, (author.id, Kind.COMMENT_ON_MY_IDEA))
    assert pref.frequency == Frequency.NEVER


def test_one_click_unsubscribe_rfc_8058(app, author):
    # A mail client posts `List-Unsubscribe=One-Click`, with no session and no CSRF token.
    raw = app.test_client()
    response = raw.post(f"/notifications/desabonnement/{_token(author, Kind.MENTION)}",
                        data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert db.session.get(NotificationPreference, (author.id, Kind.MENTION)).frequency == \
        Frequency.NEVER


def test_the_link_of_a_real_email_unsubscribes(app, idea, author, smtp):
    _comment(idea)
    dispatch.run_once()
    link = smtp.messages[0]["List-Unsubscribe"].strip("<>").removeprefix(PUBLIC)
    assert app.test_client().post(link, data={"List-Unsubscribe": "One-Click"}).status_code \
        == 200
    _comment(idea, "Encore un avis.")
    dispatch.run_once()
    assert len(smtp.messages) == 1


def test_unsubscribing_from_a_digest_covers_its_kinds(idea, follower, smtp, client):
    _comment(idea)
    _age(notifications_of(follower), MONDAY_8 - timedelta(hours=3))
    dispatch.run_once(MONDAY_8)
    [digest] = _to(smtp, follower)
    link = digest["List-Unsubscribe"].strip("<>").removeprefix(PUBLIC)
    assert "Un commentaire sur une idée que je suis" in text(client.get(link))
    client.post(link)
    assert db.session.get(NotificationPreference,
                          (follower.id, Kind.COMMENT_ON_FOLLOWED_IDEA)).frequency == \
        Frequency.NEVER


@pytest.mark.parametrize("token", ["jeton-forge", "eyJ1IjoxLCJrIjpbIm1lbnRpb24iXX0.forged",
                                   "x" * 300])
def test_a_bad_token_is_refused_clearly(client, author, token):
    for response in (client.get(f"/notifications/desabonnement/{token}"),
                     client.post(f"/notifications/desabonnement/{token}")):
        assert response.status_code == 400
        assert "Ce lien de désabonnement n'est pas valide" in text(response)
    assert count(NotificationPreference) == 0


def test_a_token_signed_with_another_key_is_refused(app, client, author):
    from itsdangerous import URLSafeSerializer

    forged = URLSafeSerializer("une-autre-cle", salt="notifications-unsubscribe").dumps(
        {"u": author.id, "k": ["mention"]})
    assert client.post(f"/notifications/desabonnement/{forged}").status_code == 400
    assert count(NotificationPreference) == 0


def test_the_command_sends_and_reports(app, idea, author, smtp):
    _comment(idea)
    result = app.test_cli_runner().invoke(args=["notifications", "send"])
    assert result.exit_code == 0, result.output
    assert "1 email(s) written, 0 digest(s) written; 1 sent" in result.output
    assert [m["To"] for m in smtp.messages] == [author.email]
    assert count(OutboxEmail, status="sent") == 1
